"""Files a user takes away: data (CSV, XLSX), charts (PNG, SVG), the map as one offline HTML
file, and a one-page brief (PDF, PNG). Pure: bytes in, bytes out; no Streamlit.

Charts and the brief are rendered by vl-convert (Vega-Lite without a browser); the map file
inlines Leaflet, the map's own script and styles and the data, so it opens with no server and no network.
"""

from __future__ import annotations

import copy
import io
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


def chart_png(spec: dict, scale: float = 2.0) -> bytes:
    return _vlc().vegalite_to_png(static_spec(spec), scale=scale)


def chart_svg(spec: dict) -> bytes:
    return _vlc().vegalite_to_svg(static_spec(spec)).encode("utf-8")


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


def _wrap(text: str, width: int) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width) or [""]


def brief_spec(title: str, subtitle: str, kpis: list[tuple[str, str, str]], charts: list[dict],
               sources: list[str], footer: str | None = None, source_word: str = "Source") -> dict:
    """A Vega-Lite page: title, a row of KPIs (label, value, note), charts, sources and a footer."""
    text = {"font": FONT}

    def lines(rows: list[str], size: int, weight: str = "normal", color: str = "#1f1f1f", width: int = 1100):
        return {"data": {"values": [{"t": r, "y": i} for i, r in enumerate(rows)]}, "width": width,
                "height": round(size * 1.45 * max(1, len(rows))),
                "mark": {"type": "text", "align": "left", "baseline": "top", "fontSize": size,
                         "fontWeight": weight, "color": color, "x": 0, "limit": width, **text},
                "encoding": {"text": {"field": "t"},
                             "y": {"field": "y", "type": "ordinal", "axis": None, "scale": {"padding": 0}}}}

    kpi_row = {"hconcat": [
        {"vconcat": [lines([label], 15, "bold", "#555", 200), lines([value], 32, "bold", width=200),
                     lines(_wrap(note, 34), 11, color="#555", width=200)], "spacing": 2}
        for label, value, note in kpis], "spacing": 28}
    body = []
    for spec in charts:
        chart = static_spec(spec, 820)
        chart.pop("$schema", None)
        chart.pop("config", None)
        chart.pop("background", None)
        chart.pop("padding", None)
        body.append(chart)
    footer_lines = [f"{source_word}: {s}" for s in sources[:6]]
    footer_lines.append(footer or f"Generated {date.today():%d %B %Y} by Pharma Plants Map.")
    charts_config = copy.deepcopy(charts[0].get("config", {})) if charts else {}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "background": "white", "padding": 28,
        "vconcat": [lines([title], 28, "bold"), lines([subtitle], 14, color="#444"), kpi_row, *body,
                    lines(footer_lines, 10, color="#444")],
        "spacing": 18,
        "config": {**_regular(charts_config), "view": {"stroke": None}, "concat": {"spacing": 18}},
    }


def brief_pdf(spec: dict) -> bytes:
    return _vlc().vegalite_to_pdf(spec)


def brief_png(spec: dict) -> bytes:
    return _vlc().vegalite_to_png(spec, scale=1.5)
