"""The presentation tour as a slide deck (.pptx): a presenter whose meeting room has no connection still
has the story, in a file PowerPoint, Keynote, LibreOffice Impress and Google Slides open.

Pure: ``Slide`` records in (texts already in the chosen language and currency, the map as PNG), bytes
out (python-pptx). One 16:9 slide per record: the title (the slide's title placeholder, so outlines and
screen readers find it), the card's lines as bullets on the left, the map on the right with the key
figure and its label under it, a footer; the sources go in the speaker notes, one per line. Text is set as text: nothing
escaped by hand (python-pptx writes XML) and nothing neutralised (a slide runs no formula).

Sizes are for a room: title at least 32 pt, key figure 48 pt, body 20 pt. Text is measured in the
bundled font, widened by ``WIDTH_FACTOR`` for the Arial the deck names (metric-compatible
Liberation Sans measures 6-12 % wider); the map is made smaller until the text beside it fits.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Final

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from core.exports import text_width, wrap_px

SLIDE_W, SLIDE_H = 960.0, 540.0  # pt: 13.333 × 7.5 in, 16:9
MARGIN: Final = 36.0
GAP: Final = 24.0
FONT: Final = "Arial"  # on every machine that opens a .pptx (LibreOffice: Liberation Sans, same metrics)
WIDTH_FACTOR: Final = 1.15  # Arial against the bundled Source Sans Pro the text is measured in
TITLE_PT, TITLE_MIN_PT = 36, 32
FIGURE_PT: Final = 48
BODY_PT: Final = 20
FOOTER_PT: Final = 12
LEADING: Final = 1.2
PARAGRAPH_GAP: Final = 6.0  # pt after each bullet
BULLET_INDENT: Final = 20.0  # pt
PICTURE_SHARES: Final = (0.5, 0.45, 0.4, 0.35, 0.3)  # of the slide's width, tried in turn until the text fits
INK, GREY = RGBColor(0x1F, 0x1F, 0x1F), RGBColor(0x55, 0x55, 0x55)
TITLE_ONLY_LAYOUT: Final = 5  # in python-pptx's default template


@dataclass(frozen=True)
class Slide:
    """One tour step: ``title``; ``lines`` (the card's sentences, bullets); ``figure`` (the key figure,
    large) and ``figure_label`` (what it is); ``picture`` (PNG: the map) and ``alt`` (its alt text);
    ``notes`` (the speaker notes: the sources, one per line)."""

    title: str
    lines: list[str] = field(default_factory=list)
    figure: str = ""
    figure_label: str = ""
    picture: bytes | None = None
    alt: str = ""
    notes: str = ""


def _emu(points: float) -> Emu:
    return Emu(round(points * 12700))


def _wrapped(text: str, size: float, width: float, bold: bool = False) -> list[str]:
    return wrap_px(text, size, width / WIDTH_FACTOR, "bold" if bold else "normal")


def _png_size(png: bytes) -> tuple[int, int]:
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("the slide's picture is not a PNG")
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def _bullets_height(lines: list[str], width: float) -> float:
    """Height in pt of ``lines`` set as 20 pt bullets in a column ``width`` pt wide."""
    return sum(len(_wrapped(line, BODY_PT, width - BULLET_INDENT)) * BODY_PT * LEADING + PARAGRAPH_GAP
               for line in lines)


def _figure_height(slide: Slide, width: float) -> float:
    """Height in pt of the key figure (48 pt) and its label (20 pt) in a column ``width`` pt wide."""
    h = 0.0
    if slide.figure:
        h += len(_wrapped(slide.figure, FIGURE_PT, width, bold=True)) * FIGURE_PT * LEADING
    if slide.figure_label:
        h += len(_wrapped(slide.figure_label, BODY_PT, width)) * BODY_PT * LEADING
    return h


Box = tuple[float, float, float, float]  # left, top, width, height (pt)


@dataclass(frozen=True)
class Layout:
    """Where a slide's parts go: the title across the top; the bullets on the left; on the right, the
    picture with the key figure and its label under it."""

    title_pt: int
    title: Box
    text: Box
    picture: Box | None
    figure: Box


def layout(slide: Slide) -> Layout:
    """The title over the whole width (two lines at most: 32 pt if 36 pt needs three); the right column
    as wide as the bullets beside it allow (``PICTURE_SHARES`` tried in turn), its picture as large as
    the column and the figure under it allow."""
    inner = SLIDE_W - 2 * MARGIN
    size = TITLE_PT
    lines = _wrapped(slide.title, size, inner, bold=True)
    if len(lines) > 2:
        size = TITLE_MIN_PT
        lines = _wrapped(slide.title, size, inner, bold=True)
    title = (MARGIN, MARGIN * 0.7, inner, len(lines) * size * LEADING + 8)
    top = title[1] + title[3] + 14
    bottom = SLIDE_H - MARGIN - FOOTER_PT
    ratio = 0.75
    if slide.picture is not None:
        w_px, h_px = _png_size(slide.picture)
        ratio = h_px / w_px
    choice: tuple[float, float, float, float] | None = None
    for share in PICTURE_SHARES:
        col = SLIDE_W * share
        fig_h = _figure_height(slide, col)
        pic_w, pic_h = col, col * ratio if slide.picture is not None else 0.0
        if pic_h > bottom - top - fig_h - 10:
            pic_h = max(0.0, bottom - top - fig_h - 10)
            pic_w = pic_h / ratio
        choice = (col, pic_w, pic_h, fig_h)
        if _bullets_height(slide.lines, inner - col - GAP) <= bottom - top:
            break
    assert choice is not None
    col, pic_w, pic_h, fig_h = choice
    # a picture held back by the height leaves the column wider than it: the bullets take the rest
    texts = [(slide.figure, FIGURE_PT, True), (slide.figure_label, BODY_PT, False)]
    needed = max((max(text_width(x, pt, "bold" if bold else "normal") for x in _wrapped(s, pt, col, bold))
                  * WIDTH_FACTOR for s, pt, bold in texts if s), default=0.0)
    col = min(col, max(pic_w, needed))
    left = SLIDE_W - MARGIN - col
    picture = (left, top, pic_w, pic_h) if slide.picture is not None else None
    fig_top = top + (pic_h + 10 if picture else 0)
    return Layout(size, title, (MARGIN, top, left - GAP - MARGIN, bottom - top), picture,
                  (left, fig_top, col, max(fig_h, bottom - fig_top)))


def _run(paragraph, text: str, size: float, bold: bool = False, colour: RGBColor = INK):
    run = paragraph.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = FONT
    run.font.color.rgb = colour
    return run


def _bullet(paragraph) -> None:
    """A real bullet with a hanging indent (the lines of a wrapped bullet align with its text)."""
    ppr = paragraph._p.get_or_add_pPr()
    ppr.set("marL", str(round(BULLET_INDENT * 12700)))
    ppr.set("indent", str(-round(BULLET_INDENT * 12700)))
    for tag in ("a:buNone", "a:buAutoNum", "a:buChar"):
        for old in ppr.findall(qn(tag)):
            ppr.remove(old)
    font = ppr.makeelement(qn("a:buFont"), {"typeface": FONT})
    char = ppr.makeelement(qn("a:buChar"), {"char": "•"})
    ppr.append(font)
    ppr.append(char)


def _frame(shape):
    tf = shape.text_frame
    tf.word_wrap = True
    for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(tf, side, 0)
    return tf


def _box(page, box: Box, name: str):
    shape = page.shapes.add_textbox(*(_emu(v) for v in box))
    shape.name = name
    return shape


def _add(prs, slide: Slide, footer: str, k: int, n: int) -> None:
    page = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY_LAYOUT])
    at = layout(slide)
    title = page.shapes.title
    title.left, title.top, title.width, title.height = (_emu(v) for v in at.title)
    tf = _frame(title)
    tf.vertical_anchor = MSO_ANCHOR.TOP
    tf.paragraphs[0].alignment = PP_ALIGN.LEFT
    _run(tf.paragraphs[0], slide.title, at.title_pt, bold=True)

    if slide.lines:
        tf = _frame(_box(page, at.text, "Card"))
        for i, line in enumerate(slide.lines):
            p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            p.space_after = Pt(PARAGRAPH_GAP)
            _bullet(p)
            _run(p, line, BODY_PT)

    if slide.picture is not None and at.picture is not None:
        pic = page.shapes.add_picture(io.BytesIO(slide.picture), *(_emu(v) for v in at.picture))
        pic.name = "Map"
        pic._element.nvPicPr.cNvPr.set("descr", slide.alt or slide.title)

    if slide.figure or slide.figure_label:
        tf = _frame(_box(page, at.figure, "Key figure"))
        if slide.figure:
            _run(tf.paragraphs[0], slide.figure, FIGURE_PT, bold=True)
        if slide.figure_label:
            _run(tf.add_paragraph() if slide.figure else tf.paragraphs[0], slide.figure_label, BODY_PT, colour=GREY)

    foot = _box(page, (MARGIN, SLIDE_H - MARGIN * 0.5 - FOOTER_PT * LEADING, SLIDE_W - 2 * MARGIN,
                       FOOTER_PT * LEADING), "Footer")
    _run(_frame(foot).paragraphs[0], f"{footer} · {k}/{n}" if footer else f"{k}/{n}", FOOTER_PT, colour=GREY)

    if slide.notes:
        page.notes_slide.notes_text_frame.text = slide.notes


def deck_pptx(steps: list[Slide], title: str, footer: str) -> bytes:
    """The deck: one 16:9 slide per step, in order; ``title`` is the file's title (its properties),
    ``footer`` the line at the foot of every slide (with the slide's number)."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = _emu(SLIDE_W), _emu(SLIDE_H)
    prs.core_properties.title = title
    prs.core_properties.author = "Pharma Plants Map"
    for k, slide in enumerate(steps, start=1):
        _add(prs, slide, footer, k, len(steps))
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
