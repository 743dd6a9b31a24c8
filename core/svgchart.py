"""The side charts as SVG, drawn on the server from the same Vega-Lite specs the exports render.

Why not Vega in the browser: its 775 KB bundle and the compile of four charts held the page's one
main thread for 200–400 ms while the map's frame was loading (docs/performance.md, 2026-11-26 evening:
map drawn 1.40 s with Vega charts against 1.18 s with these). vl-convert (the exports' renderer)
draws the same SVG on the server but takes 40–100 ms a chart, 250 ms for the four: a filter change
would wait for it. These specs are a small family (horizontal bars, stacked or not, with a label layer;
the plant × area matrix), so this module reads that family directly, in about a millisecond a chart.

Reads: a ``layer`` spec whose first layer is the marks (``bar``, or ``rect`` + ``point`` for the
matrix) and whose ``text`` layer gives the label beside each bar; ``y`` nominal with a ``sort`` list;
``x`` quantitative (``aggregate: sum`` stacks by the colour scale's domain order; an explicit ``scale.domain``
with the mark's ``clip`` cuts longer bars at its end, marked with a break); colour from a scale's
domain/range or the mark's colour; ``opacity``/``stroke``/``strokeDash`` as a value or a one-test
condition (derived values, the tour's highlight); ``tooltip`` fields as each mark's ``<title>``.
Anything else in a spec is ignored, so ``tests/unit/test_svgchart.py`` draws every chart the app builds.

Every text from the data is escaped here; the SVG's own accessible name is the chart's title and
``alt``. Text widths are measured in the bundled Source Sans (``core.exports.text_width``), so labels are
cut with "…" only when they would not fit, and never overlap.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

from core.exports import text_width, wrap_px
from core.i18n import number

WIDTH = 600  # the viewBox width; the page scales the drawing to its column
FONT = 13
TITLE_FONT = 15
LABEL_LIMIT = 220  # px of a y label, as the Vega config's labelLimit
LINE = 18  # px between text lines
PAD = 8
SLACK = 1.08  # a browser that draws another font (the web font not loaded yet) still fits
INK, GRID, AXIS = "#1f1f1f", "#e6e6e6", "#888888"
FAMILY = "'Source Sans', 'Source Sans Pro', sans-serif"


def _fit(text: str, limit: float, size: float = FONT) -> str:
    """``text`` cut with '…' to ``limit`` px."""
    text = _one_line(text)
    if _width(text, size) <= limit:
        return text
    lo, hi = 0, len(text)
    while lo < hi:  # the longest prefix that fits with the ellipsis
        mid = (lo + hi + 1) // 2
        if _width(text[:mid] + "…", size) <= limit:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "…"


def _value(channel: dict | None, row: dict, default=None):
    """A channel's value for ``row``: a constant, a one-test condition, or ``default``."""
    if not channel:
        return default
    cond = channel.get("condition")
    if cond and "test" in cond:
        test = cond["test"]
        return cond["value"] if row.get(test.get("field")) == test.get("equal") else channel.get("value", default)
    return channel.get("value", default)


# markup's own characters and Markdown's, as character references, in one pass
REFERENCES = str.maketrans({c: f"&#{ord(c)};" for c in "&<>\"'[]()*_`$~\\|#!{}"})


def _one_line(s: str) -> str:
    return " ".join(str(s).split())


def _esc(s: str) -> str:
    """Escaped, on one line: the page reads the drawing as one HTML block, which a blank line would end; and
    Markdown's own characters as character references, so no text could act as Markdown even outside one."""
    return _one_line(s).translate(REFERENCES)


def _width(s: str, size: float = FONT) -> float:
    return text_width(_one_line(s), size)


def _num(v: float) -> str:
    """A coordinate: one decimal at most, so the markup stays small."""
    return f"{v:.1f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, s: str, size: float = FONT, anchor: str = "start", weight: int = 400,
          extra: str = "") -> str:
    bold = f' font-weight="{weight}"' if weight != 400 else ""
    return (f'<text x="{_num(x)}" y="{_num(y)}" font-size="{size:g}" text-anchor="{anchor}"{bold}{extra}>'
            f'{_esc(s)}</text>')


def _label(x: float, y: float, s: str) -> str:
    """A row's name, right-aligned; cut to LABEL_LIMIT with the whole name as its tooltip."""
    shown = _fit(s, LABEL_LIMIT)
    text = _text(x, y, shown, anchor="end")
    return text if shown == s else text.replace("</text>", f"<title>{_esc(s)}</title></text>")


def _tooltip(fields: list[dict], row: dict) -> str:
    parts = []
    for f in fields or []:
        v = row.get(f["field"])
        if v is None:
            continue
        shown = number(v) if isinstance(v, int | float) and not isinstance(v, bool) else str(v)
        parts.append(f"{f.get('title', f['field'])}: {shown}")
    # one line of markup: a page that reads it as Markdown sees one HTML block (no blank line ends it)
    return f"<title>{'&#10;'.join(_esc(p) for p in parts)}</title>" if parts else ""


def nice_step(span: float, count: int) -> float:
    """A tick step of 1, 2, 2.5 or 5 × 10^k giving about ``count`` ticks over ``span``."""
    if span <= 0:
        return 1.0
    raw = span / max(count, 1)
    base = 10 ** math.floor(math.log10(raw))
    return next(m * base for m in (1, 2, 2.5, 5, 10) if m * base >= raw)


def _legend(items: list[tuple[str, str, str]], title: str | None, top: float, width: float) -> tuple[list[str], float]:
    """Swatches in rows under the chart: (label, colour, shape) items; returns markup and height."""
    if not items:
        return [], 0.0
    out, y = [], top
    if title:
        out.append(_text(0, y + FONT, title, weight=600))
        y += LINE + 2
    x = 0.0
    for label, colour, shape in items:
        w = 18 + _width(label, FONT) + 16
        if x and x + w > width:
            x, y = 0.0, y + LINE + 2
        cy = y + FONT / 2 + 2
        mark = (f'<path d="M{_num(x + 6)},{_num(cy - 6)}l6,6l-6,6l-6,-6Z" fill="{colour}"/>' if shape == "diamond" else
                f'<circle cx="{_num(x + 6)}" cy="{_num(cy)}" r="5.5" fill="{colour}"/>' if shape == "circle" else
                f'<rect x="{_num(x)}" y="{_num(cy - 6)}" width="12" height="12" fill="{colour}"/>')
        out.append(mark + _text(x + 18, y + FONT, label))
        x += w
    return out, (y - top) + LINE + 4


def _frame(title: str, alt: str, body: list[str], width: float, height: float, kind: str) -> str:
    label = f"{title}. {alt}" if alt else title
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="ppm-chart" data-chart="{_esc(kind)}" role="img" '
            f'aria-label="{_esc(label)}" viewBox="0 0 {_num(width)} {_num(height)}" width="100%" '
            f'preserveAspectRatio="xMinYMin meet" font-family="{FAMILY}" fill="{INK}">'
            + "".join(body) + "</svg>")


def _title(title: str, width: float) -> tuple[list[str], float]:
    lines = wrap_px(_one_line(title), TITLE_FONT, width)
    return [_text(0, TITLE_FONT + i * (TITLE_FONT + 4), s, TITLE_FONT, weight=600) for i, s in enumerate(lines)], \
        len(lines) * (TITLE_FONT + 4) + PAD


def _order(sort: list | None, values) -> list[str]:
    """The axis's sort list, then any value it leaves out, in data order."""
    order = [str(v) for v in sort or []]
    for v in values:
        if str(v) not in order:
            order.append(str(v))
    return order


def _left(names: list[str]) -> float:
    """Where the plot starts: the widest row name (up to LABEL_LIMIT) and a gap."""
    return min(max((_width(k, FONT) * SLACK for k in names), default=0), LABEL_LIMIT) + PAD


def _band(spec: dict, default: float) -> float:
    height = spec.get("height")
    return float(height.get("step", default)) if isinstance(height, dict) else default


def _scale(channel: dict) -> dict:
    """A channel's scale as {domain value: range value}."""
    return dict(zip(channel["scale"]["domain"], channel["scale"]["range"], strict=False))


def _row_y(top: float, i: int, band: float) -> float:
    """The text baseline of row ``i``, centred in its band."""
    return top + i * band + band / 2 + FONT * 0.35


def _colour_items(color: dict | None, present: set) -> list[tuple[str, str, str]]:
    if not color or color.get("legend", {}) is None or "scale" not in color:
        return []
    return [(str(d), r, "square") for d, r in _scale(color).items() if d in present]


def bars(spec: dict, alt: str = "", kind: str = "", width: float = WIDTH) -> str:
    """A horizontal bar chart (stacked if ``x`` sums), with the text layer's labels beside the bars."""
    marks, labels = spec["layer"][0], next((ly for ly in spec["layer"][1:] if "text" in ly["encoding"]), None)
    enc = marks["encoding"]
    yf, xf = enc["y"]["field"], enc["x"]["field"]
    rows = marks["data"]["values"]
    order = _order(enc["y"].get("sort"), (r.get(yf) for r in rows + (labels["data"]["values"] if labels else [])))
    color = enc.get("color")
    colour_of = _scale(color) if color and "scale" in color else {}
    domain = list(colour_of)
    fixed = marks["mark"].get("color", "#4c78a8")
    # stacks: a row's segment starts where the previous one of its bar ended, in the scale's domain order
    stacked = sorted(rows, key=lambda r: domain.index(r[color["field"]]) if color and r.get(color["field"]) in domain
                     else len(domain))
    ends: dict[str, float] = {}
    segments = []
    for r in stacked:
        v = r.get(xf)
        if v is None or (isinstance(v, float) and math.isnan(v)):
            continue
        key = str(r.get(yf))
        start = ends.get(key, 0.0)
        ends[key] = start + float(v)
        segments.append((key, start, float(v), r))
    text_at = {str(r.get(yf)): (float(r.get(labels["encoding"]["x"]["field"]) or 0), str(r.get(
        labels["encoding"]["text"]["field"]) or "")) for r in labels["data"]["values"]} if labels else {}

    # a bar longer than an explicit domain (the others' sum) is cut at its end, its label drawn there
    limit = float(enc["x"]["scale"]["domain"][1]) if marks["mark"].get("clip") and "scale" in enc["x"] else math.inf
    cut = {key for key, end in ends.items() if end > limit}
    ends = {key: min(end, limit) for key, end in ends.items()}

    head, top = _title(str(spec.get("title", "")), width)
    left = _left(order)
    plot = width - left
    top_value = max([*ends.values(), *(min(v, limit) for v, _ in text_at.values())], default=0.0)
    step = nice_step(top_value, max(int(plot / 90), 2))
    domain_max = max(math.ceil(top_value / step) * step, step)
    decimals = 0 if step >= 1 else 1
    # room for the last tick's number, centred on the scale's end, and for each bar's label to its right:
    # the scale is as wide as the tightest of them allows
    scale = plot - _width(number(domain_max, decimals), FONT) * SLACK / 2
    for key, (v, s) in text_at.items():
        v = max(min(v, limit), ends.get(key, 0.0))
        if v > 0:
            scale = min(scale, (plot - 6 - _width(s, FONT) * SLACK) * domain_max / v)
    scale = max(scale, plot * 0.3)
    band = _band(spec, 30.0)
    bar_h = band * 0.8
    body = list(head)
    x0 = left

    def sx(v: float) -> float:
        return x0 + v / domain_max * scale

    ticks = [i * step for i in range(int(domain_max / step + 1e-9) + 1)]
    chart_h = band * len(order)
    for tv in ticks:  # grid, under the bars
        body.append(f'<path d="M{_num(sx(tv))},{_num(top)}v{_num(chart_h)}" stroke="{GRID}"/>')
    for i, key in enumerate(order):
        body.append(_label(left - PAD, _row_y(top, i, band), key))
    tooltip = enc.get("tooltip")
    for key, start, v, r in segments:
        i = order.index(key)
        fill = colour_of.get(r.get(color["field"]), fixed) if color else fixed
        opacity = _value(enc.get("opacity"), r, 1.0)
        stroke = _value(enc.get("stroke"), r, None)
        dash = _value(enc.get("strokeDash"), r, None)
        attrs = f' fill="{fill}"'
        if opacity != 1.0:
            attrs += f' fill-opacity="{opacity:g}"'
        if stroke:
            attrs += f' stroke="{stroke}" stroke-width="{marks["mark"].get("strokeWidth", 1):g}"'
            if dash and list(dash) != [1, 0]:
                attrs += f' stroke-dasharray="{" ".join(f"{d:g}" for d in dash)}"'
        y = top + i * band + (band - bar_h) / 2
        if start >= limit:
            continue
        end = min(start + v, limit)
        body.append(f'<rect x="{_num(sx(start))}" y="{_num(y)}" width="{_num(max(sx(end) - sx(start), 0))}" '
                    f'height="{_num(bar_h)}"{attrs}>{_tooltip(tooltip, r)}</rect>')
    for key in sorted(cut):  # a break across the cut bar's end: it goes on
        y, x = top + order.index(key) * band + (band - bar_h) / 2, sx(limit)
        body.append(f'<path class="cut" d="M{_num(x - 9)},{_num(y + bar_h + 2)}l5,{_num(-bar_h - 4)}m4,0'
                    f'l-5,{_num(bar_h + 4)}" stroke="#ffffff" stroke-width="2.5" fill="none"/>')
    for key, (v, s) in text_at.items():
        i = order.index(key)
        body.append(_text(sx(max(min(v, limit), ends.get(key, 0.0))) + 4, _row_y(top, i, band), s))
    axis_y = top + chart_h
    body.append(f'<path d="M{_num(x0)},{_num(axis_y)}h{_num(scale)}" stroke="{AXIS}"/>')
    for tv in ticks:
        body.append(f'<path d="M{_num(sx(tv))},{_num(axis_y)}v5" stroke="{AXIS}"/>')
        body.append(_text(sx(tv), axis_y + 6 + FONT, number(tv, decimals), anchor="middle"))
    height = axis_y + 6 + FONT + 4
    if enc["x"].get("title"):
        body.append(_text(x0 + scale / 2, height + FONT, str(enc["x"]["title"]), anchor="middle", weight=600))
        height += LINE + 2
    present = {r.get(color["field"]) for r in rows} if color else set()
    legend, lh = _legend(_colour_items(color, present), color.get("title") if color else None, height + 6, width)
    body += legend
    return _frame(str(spec.get("title", "")), alt, body, width, height + 6 + lh + 2, kind)


def matrix(spec: dict, alt: str = "", kind: str = "", width: float = WIDTH) -> str:
    """The plant × area matrix: a grey cell for each pair, a mark where the status is not 'none'."""
    grid, points = spec["layer"][0], spec["layer"][1]
    enc = points["encoding"]
    xf, yf = grid["encoding"]["x"]["field"], grid["encoding"]["y"]["field"]
    cells = grid["data"]["values"]
    cols = _order(grid["encoding"]["x"].get("sort"), (r[xf] for r in cells))
    rows = _order(grid["encoding"]["y"].get("sort"), (r[yf] for r in cells))
    head, top = _title(str(spec.get("title", "")), width)
    left = _left(rows)
    angle = math.radians(40)
    col_labels = [_fit(c, LABEL_LIMIT * 0.7) for c in cols]
    longest = max((_width(c, FONT) * SLACK for c in col_labels), default=0)
    # the last column's label runs up and to the right: keep that room inside the drawing
    cell_w = (width - left - max(longest * math.cos(angle) - 12, 0)) / max(len(cols), 1)
    head_h = longest * math.sin(angle) + FONT + 4
    band = _band(spec, 26.0)
    body = list(head)
    base = top + head_h
    for j, c in enumerate(col_labels):
        cx = left + (j + 0.5) * cell_w
        body.append(_text(cx, base - 6, c, anchor="start",
                          extra=f' transform="rotate(-40 {_num(cx)} {_num(base - 6)})"'))
    for i, name in enumerate(rows):
        body.append(_label(left - PAD, _row_y(base, i, band), name))
        for j in range(len(cols)):
            body.append(f'<rect x="{_num(left + j * cell_w + 1)}" y="{_num(base + i * band + 1)}" '
                        f'width="{_num(cell_w - 2)}" height="{_num(band - 2)}" fill="#f4f4f4"/>')
    sf, cf = enc["shape"]["field"], enc["color"]["field"]
    shapes, colours = _scale(enc["shape"]), _scale(enc["color"])
    r_circle = math.sqrt(points["mark"].get("size", 220) / math.pi)
    half = math.sqrt(points["mark"].get("size", 220) / 2)
    for r in points["data"]["values"]:
        cx = left + (cols.index(str(r[xf])) + 0.5) * cell_w
        cy = base + (rows.index(str(r[yf])) + 0.5) * band
        fill = colours.get(r.get(cf), INK)
        tip = _tooltip(enc.get("tooltip"), r)
        if shapes.get(r.get(sf)) == "diamond":
            body.append(f'<path d="M{_num(cx)},{_num(cy - half)}l{_num(half)},{_num(half)}l{_num(-half)},{_num(half)}'
                        f'l{_num(-half)},{_num(-half)}Z" fill="{fill}">{tip}</path>')
        else:
            body.append(f'<circle cx="{_num(cx)}" cy="{_num(cy)}" r="{_num(r_circle)}" fill="{fill}">{tip}</circle>')
    height = base + band * len(rows) + 8
    present = {r.get(cf) for r in points["data"]["values"]}
    items = [(str(d), colours[d], shapes.get(d, "circle")) for d in enc["color"]["scale"]["domain"] if d in present]
    legend, lh = _legend(items, None, height, width)
    body += legend
    return _frame(str(spec.get("title", "")), alt, body, width, height + lh + 2, kind)


def svg(spec: dict, alt: str = "", kind: str = "", width: float = WIDTH) -> str:
    """The chart of ``spec`` as one ``<svg>`` element (a matrix if its first layer is of rects)."""
    first = spec["layer"][0]["mark"]
    return (matrix if (first.get("type") if isinstance(first, dict) else first) == "rect" else bars)(
        spec, alt, kind, width)


TAGS = {"svg", "rect", "path", "circle", "text", "title"}
ATTRIBUTES = {"xmlns", "class", "data-chart", "role", "aria-label", "viewBox", "width", "height",
              "preserveAspectRatio", "font-family", "font-size", "font-weight", "text-anchor", "fill", "fill-opacity",
              "stroke", "stroke-width", "stroke-dasharray", "x", "y", "cx", "cy", "r", "d", "transform"}


def checked(markup: str) -> str:
    """``markup`` if it is one well-formed drawing of the elements and attributes this module writes (no
    script, link, event handler, style or foreign content can be in it), on one line; else ValueError. The
    page places it as HTML (components/charts.py), so this is checked on every drawing, not trusted."""
    if "\n" in markup:
        raise ValueError("chart markup spans lines")
    root = ET.fromstring(markup)
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag not in TAGS or (element is root) != (tag == "svg"):
            raise ValueError(f"chart markup has a <{tag}>")
        unknown = set(element.attrib) - ATTRIBUTES
        if unknown:
            raise ValueError(f"chart markup has attributes {sorted(unknown)}")
    return markup
