"""Files a user takes away: data (CSV, XLSX), charts (PNG, SVG), the map as one offline HTML
file, and a one-page brief (PDF, PNG). Pure: bytes in, bytes out; no Streamlit.

Charts and the brief are rendered by vl-convert (Vega-Lite without a browser); the map file
inlines Leaflet, the map's own script and styles and the data, so it opens with no server and no network.
"""

from __future__ import annotations

import copy
import io
import math
import re
from datetime import date
from functools import lru_cache
from typing import cast

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
STATIC_WIDTH = 640  # px: charts drawn at this width, then scaled for print sharpness


def neutralise(value):
    """Prefix text a spreadsheet would run as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _safe(frame: pd.DataFrame) -> pd.DataFrame:
    # one Series per column in and out, so a DataFrame
    return cast(pd.DataFrame, frame.apply(lambda col: col.map(neutralise)
                                          if col.dtype == object or pd.api.types.is_string_dtype(col) else col))


def csv_bytes(frame: pd.DataFrame) -> bytes:
    return _safe(frame).to_csv(index=False).encode("utf-8-sig")  # BOM: Excel opens Cyrillic correctly


def xlsx_bytes(frame: pd.DataFrame, notes: list[tuple[str, str]] | None = None) -> bytes:
    """Workbook with the rows and, on a second sheet, where they come from."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        _safe(frame).to_excel(xl, sheet_name="Plants", index=False)
        if notes:
            _safe(pd.DataFrame(notes, columns=["About", "Value"])).to_excel(xl, sheet_name="Sources", index=False)
        for sheet in xl.sheets.values():  # readable column widths
            for col in sheet.columns:
                width = max((len(str(c.value)) for c in col if c.value is not None), default=8)
                sheet.column_dimensions[col[0].column_letter].width = min(60, max(8, width + 2))
    return buf.getvalue()


# vl-convert's bundled sans-serif lacks ұ, ң, қ and ₸, so Kazakh text fell back to a serif
# font (or to boxes on a machine without one). Source Sans Pro, from the PyPI package
# font-source-sans-pro (SIL OFL), has every Kazakh letter in every weight, and is the family
# the dashboard itself uses.
FONT = "Source Sans Pro"
FONTED = {"font": FONT, "title": {"font": FONT}, "axis": {"labelFont": FONT, "titleFont": FONT},
          "legend": {"labelFont": FONT, "titleFont": FONT}, "text": {"font": FONT}}


@lru_cache(maxsize=1)
def _vlc():
    """vl-convert, with the bundled fonts registered once per process."""
    import font_source_sans_pro
    import vl_convert as vlc

    vlc.register_font_directory(font_source_sans_pro.font_directory)
    return vlc


FONT_FILES = {"normal": "Regular", "bold": "Bold", 400: "Regular", 600: "Semibold", 700: "Bold"}


@lru_cache(maxsize=32)
def _font(weight: str | int, size: float):
    import font_source_sans_pro
    from PIL import ImageFont

    name = FONT_FILES.get(weight, "Regular")
    return ImageFont.truetype(f"{font_source_sans_pro.font_directory}/SourceSansPro-{name}.ttf", size)


def text_width(text: str, size: float, weight: str | int = "normal") -> float:
    """The width in px of ``text`` set in the bundled font, as vl-convert draws it (same font file, same
    advance widths: measured equal to the pixel)."""
    return float(_font(weight, size).getlength(text))


def _regular(config: dict | None) -> dict:
    """The chart config with every text set in the bundled font."""
    out = copy.deepcopy(config or {})
    for key, value in FONTED.items():
        out[key] = {**out.get(key, {}), **value} if isinstance(value, dict) else value
    return out


def static_spec(spec: dict, width: int = STATIC_WIDTH) -> dict:
    """A copy of a dashboard spec with a fixed width (``container`` means nothing outside a page)."""
    out = copy.deepcopy(spec)
    out["width"] = width
    out.setdefault("background", "white")
    out.setdefault("padding", 12)
    out["config"] = _regular(out.get("config"))
    return out


# every render is offline: vl-convert refuses any data URL (a spec carries its data inline)
NO_FETCH: dict = {"allowed_base_urls": []}


def chart_png(spec: dict, scale: float = 2.0, width: int = STATIC_WIDTH) -> bytes:
    return _vlc().vegalite_to_png(static_spec(spec, width), scale=scale, **NO_FETCH)


def chart_svg(spec: dict, width: int = STATIC_WIDTH) -> bytes:
    return _vlc().vegalite_to_svg(static_spec(spec, width), **NO_FETCH).encode("utf-8")


# --------------------------------------------------------------------------- the map as one file


def standalone_html(rendered: str, assets: dict[str, str]) -> bytes:
    """Inline scripts and stylesheets into a rendered folium page so it opens offline from a file.

    ``assets`` maps each URL the page loads (a ``<script src>`` or ``<link href>``, exactly as written)
    to the file's text: Leaflet and the map's own code (core.assets.map_assets)."""
    html = rendered
    for url, text in assets.items():
        if url.split("?")[0].endswith(".css"):
            tag = re.compile(rf'<link[^>]*href="{re.escape(url)}"[^>]*/?>')
            block = "<style>" + text.replace("</style", "<\\/style") + "</style>"
        else:
            tag = re.compile(rf'<script[^>]*src="{re.escape(url)}"[^>]*>\s*</script>')
            block = "<script>" + text.replace("</script", "<\\/script") + "</script>"
        found = tag.search(html)
        if not found:
            raise ValueError(f"the rendered map does not load {url}")
        html = html[:found.start()] + block + html[found.end():]
    return html.encode("utf-8")


# --------------------------------------------------------------------------- the one-page brief


def wrap_px(text: str, size: float, width: float, weight: str | int = "normal") -> list[str]:
    """``text`` broken into lines no wider than ``width`` px in the bundled font (at spaces; a word
    wider than a line, a long URL, is broken between characters). Never cut: every character is kept."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if text_width(candidate, size, weight) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for ch in word:  # a word too long for a line of its own
            if line and text_width(line + ch, size, weight) > width:
                lines.append(line)
                line = ""
            line += ch
    lines.append(line)
    return lines


BRIEF_WIDTH = 1240  # px: the page's text width (the KPI row and the body may be wider, never narrower)
KPI_MIN = 190  # px: the narrowest KPI cell
KPI_GAP = 28
CHART_WIDTH = 430  # px: each chart's plot area beside the map
TICK_SPACE = 64  # px: at most one x-axis tick this often, so round values with room between them


def _text_view(rows: list[str], size: int, weight: str = "normal", color: str = "#1f1f1f",
               width: float | None = None) -> dict:
    """Lines of text as a view, as wide as its widest line (or ``width``): no ``limit``, nothing cut."""
    widest = max((text_width(r, size, weight) for r in rows), default=0.0)
    return {"data": {"values": [{"t": r, "y": i} for i, r in enumerate(rows)]},
            "width": math.ceil(max(widest, width or 0.0)) + 2,
            "height": round(size * 1.45 * max(1, len(rows))),
            "mark": {"type": "text", "align": "left", "baseline": "top", "fontSize": size,
                     "fontWeight": weight, "color": color, "x": 0, "font": FONT},
            "encoding": {"text": {"field": "t"},
                         "y": {"field": "y", "type": "ordinal", "axis": None, "scale": {"padding": 0}}}}


def _kpi_cell(label: str, value: str, note: str) -> dict:
    """A KPI: label, value and note in a cell as wide as the longer of label and value."""
    width = max(KPI_MIN, math.ceil(max(text_width(label, 15, "bold"), text_width(value, 32, "bold"))) + 4)
    return {"vconcat": [_text_view([label], 15, "bold", "#555", width), _text_view([value], 32, "bold", width=width),
                        _text_view(wrap_px(note, 11, width), 11, color="#555", width=width)], "spacing": 2}


def _brief_chart(spec: dict, width: int) -> dict:
    """A dashboard chart as the brief draws it: ``width`` px of plot, its title wrapped to the chart's
    width (labels and bar texts included), and x-axis labels that never run together."""
    chart = static_spec(spec, width)
    for key in ("$schema", "config", "background", "padding"):
        chart.pop(key, None)
    names = [str(v.get(layer["encoding"]["y"]["field"], "")) for layer in chart.get("layer", [])
             if isinstance((layer.get("encoding") or {}).get("y"), dict) and "field" in layer["encoding"]["y"]
             for v in (layer.get("data") or {}).get("values", [])]
    axis_labels = max((text_width(n, 13) for n in names), default=0.0) + 10
    title = chart.get("title")
    if isinstance(title, str):  # titles are set from the left of the axis labels
        chart["title"] = {"text": wrap_px(title, 15, width + axis_labels, "bold")}
    for layer in chart.get("layer", []):
        x = (layer.get("encoding") or {}).get("x")
        if isinstance(x, dict) and x.get("type") == "quantitative" and x.get("axis", {}) is not None:
            x["axis"] = {**x.get("axis", {}), "tickCount": max(2, width // TICK_SPACE), "labelOverlap": "parity",
                         "labelSeparation": 8, "labelFlush": True}
    return chart


def brief_spec(title: str, subtitle: str, kpis: list[tuple[str, str, str]], charts: list[dict],
               sources: list[str], footer: str | None = None, source_word: str = "Source",
               map_view: dict | None = None, map_note: str = "") -> dict:
    """A Vega-Lite page: title, a row of KPIs (label, value, note), the map (``map_view``, a
    core.staticmap spec, with ``map_note`` under it) beside the charts, sources and a footer.

    Nothing is cut: every text is measured in the bundled font and its view sized (or the text
    wrapped) to hold it; no mark has a ``limit``, no axis a ``labelLimit``."""
    kpi_row = {"hconcat": [_kpi_cell(*cell) for cell in kpis], "spacing": KPI_GAP}
    page = max(BRIEF_WIDTH, sum(_view_width(c) for c in kpi_row["hconcat"]) + KPI_GAP * (len(kpis) - 1))
    body: list[dict] = []
    plots = [_brief_chart(spec, CHART_WIDTH if map_view else 820) for spec in charts]
    if map_view is not None:
        view = copy.deepcopy(map_view)
        for key in ("$schema", "config", "background", "padding", "autosize"):
            view.pop(key, None)
        if map_note:
            view = {"vconcat": [view, _text_view(wrap_px(map_note, 11, int(view["width"])), 11, color="#555")],
                    "spacing": 6}
        body.append({"hconcat": [view, {"vconcat": plots, "spacing": 24}], "spacing": 36} if plots else view)
    else:
        body.extend(plots)
    footer_lines = [line for s in sources[:6] for line in wrap_px(f"{source_word}: {s}", 10, page)]
    footer_lines += wrap_px(footer or f"Generated {date.today():%d %B %Y} by Pharma Plants Map.", 10, page)
    charts_config = copy.deepcopy(charts[0].get("config", {})) if charts else {}
    config = _regular(charts_config)
    config["axis"] = {**config.get("axis", {}), "labelLimit": 0}  # a plant's name is never cut
    config["legend"] = {**config.get("legend", {}), "labelLimit": 0}
    config["title"] = {**config.get("title", {}), "limit": 0}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "background": "white", "padding": 28,
        "vconcat": [_text_view(wrap_px(title, 28, page, "bold"), 28, "bold", width=page),  # the page's width
                    _text_view(wrap_px(subtitle, 14, page), 14, color="#444"), kpi_row, *body,
                    _text_view(footer_lines, 10, color="#444")],
        "spacing": 18,
        "config": {**config, "view": {"stroke": None}, "concat": {"spacing": 18}},
    }


def _view_width(view: dict) -> int:
    if "vconcat" in view:
        return max(_view_width(v) for v in view["vconcat"])
    if "hconcat" in view:
        return sum(_view_width(v) for v in view["hconcat"]) + view.get("spacing", 0) * (len(view["hconcat"]) - 1)
    return int(view.get("width", 0))


def brief_pdf(spec: dict) -> bytes:
    return _vlc().vegalite_to_pdf(spec, **NO_FETCH)


def brief_png(spec: dict) -> bytes:
    return _vlc().vegalite_to_png(spec, scale=1.5, **NO_FETCH)


def brief_svg(spec: dict) -> str:
    """The page as SVG: its text stays text (the tests read it)."""
    return _vlc().vegalite_to_svg(spec, **NO_FETCH)
