"""The slide deck of the tour (core/deck.py, components/exports.py deck_slides): one slide per tour step, in
order, each with its title, map, figures in large type and its sources in the speaker notes."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Emu

from components.exports import deck_file, deck_slides
from components.partners import relevant_partners
from components.present import tour_steps
from core import deck, fmt
from core.domain import Filters, colour_map, compute_kpis
from core.i18n import t, use

STEPS = ["overview", "altinfarm", "nobel-aff", "abdi-ibrahim", "msp-rompharm", "partners", "closing"]
PNG = b"\x89PNG\r\n\x1a\n"


def make(ds, lang: str, currency: str) -> tuple[list[deck.Slide], bytes]:
    use(lang)
    try:
        args = (ds, ds.plants, compute_kpis(ds.plants, ds.programme), Filters(), currency,
                colour_map(ds.plants, "company"), "company", ds.facts["approved_on"])
        return deck_slides(*args), deck_file(*args)
    finally:
        use("en")


@pytest.fixture(scope="module")
def english(ds):
    return make(ds, "en", "KZT")


@pytest.fixture(scope="module")
def kazakh(ds):
    return make(ds, "kk", "USD")


def slides_of(data: bytes) -> list[Any]:
    return list(Presentation(io.BytesIO(data)).slides)


def shape(slide: Any, name: str) -> Any:
    return next(s for s in slide.shapes if s.name == name)


def title_of(slide: Any) -> str:
    return slide.shapes.title.text


def runs(shape_: Any) -> list[Any]:
    return [r for p in shape_.text_frame.paragraphs for r in p.runs]


def expected_titles(ds) -> list[str]:
    names = dict(zip(ds.plants["plant_id"], ds.plants["name"], strict=True))
    return [t("{n} plants approved on {date}", n=4, date=fmt.date_long(ds.facts["approved_on"])),
            *(names[p] for p in STEPS[1:5]), t("Who we work with"), t("Summary")]


def test_one_slide_per_tour_step_in_order(ds, english):
    slides, data = english
    assert tour_steps(ds.plants, partners=True) == STEPS  # the bundled default view: 7 steps
    pages = slides_of(data)
    assert len(slides) == len(pages) == 7
    assert [s.title for s in slides] == expected_titles(ds)
    assert [title_of(p) for p in pages] == expected_titles(ds)  # the title placeholder: outline, readers
    prs = Presentation(io.BytesIO(data))
    assert (prs.slide_width, prs.slide_height) == (Emu(12192000), Emu(6858000))  # 13.333 × 7.5 in: 16:9
    assert prs.core_properties.title == "Kazakhstan's four approved pharmaceutical plants"  # the page's title


def test_each_slide_has_its_map_and_figures_in_large_type(english):
    slides, data = english
    for k, (slide, page) in enumerate(zip(slides, slides_of(data), strict=True), start=1):
        pictures: list[Any] = [s for s in page.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1, k
        assert pictures[0].image.blob == slide.picture and slide.picture.startswith(PNG)
        assert pictures[0]._element.nvPicPr.cNvPr.get("descr") == slide.alt and slide.alt  # alt text
        assert all(r.font.size.pt >= 32 for r in runs(page.shapes.title))
        figure = runs(shape(page, "Key figure"))
        assert figure[0].text == slide.figure and figure[0].font.size.pt >= 40 and figure[0].font.bold
        assert all(r.font.size.pt >= 20 for r in figure[1:])
        card = shape(page, "Card")
        assert [p.text for p in card.text_frame.paragraphs] == slide.lines
        assert all(r.font.size.pt >= 20 for r in runs(card))
        assert shape(page, "Footer").text_frame.text.endswith(f"· {k}/7")


def test_the_slides_tell_the_tours_story(ds, english):
    from components.present import story_lines

    slides, _ = english
    altinfarm = ds.plants.set_index("plant_id").loc["altinfarm"]
    # the card's lines, and the plant's share of the programme as the tour's KPIs give it
    assert slides[1].lines == [*story_lines(altinfarm.rename("altinfarm"), ds.region_name("Almaty")),
                               "Share of the programme: investment 34%, medicines 15%, jobs 9%"]
    assert slides[1].figure == "58.5 bn KZT" and slides[1].figure_label == "Investment"
    assert slides[0].figure == "173.4 bn KZT"
    assert (slides[6].figure, slides[6].figure_label) == ("173.4 bn KZT", "Investment, KZT")  # as the tour's
    assert slides[0].lines[0] == "AltINFARM (Almaty): 58.5 bn KZT"
    assert any("Sinopharm" in line for line in slides[5].lines)  # who we work with
    assert slides[6].lines[0].startswith("Plants: 4")


def test_sources_are_in_the_speaker_notes(ds, english):
    slides, data = english
    plants = ds.plants.set_index("plant_id")
    wanted = {k: fmt.split_list(plants.at[pid, "sources"]) for k, pid in enumerate(STEPS) if pid in plants.index}
    every_plant = [u for cell in ds.plants["sources"] for u in fmt.split_list(cell)]
    wanted[0] = wanted[6] = every_plant
    wanted[5] = [u for r in relevant_partners(ds.partners, ds.plants) for u in fmt.split_list(r["source"])]
    for k, page in enumerate(slides_of(data)):
        notes = page.notes_slide.notes_text_frame.text
        assert notes == slides[k].notes and notes.startswith("Sources:")
        lines = notes.splitlines()
        assert set(wanted[k]) <= set(lines), k  # each URL on a line of its own
        assert len(lines) == len(set(lines))


def test_nothing_overlaps_or_leaves_the_slide(english):
    _, data = english
    prs: Any = Presentation(io.BytesIO(data))
    for page in prs.slides:
        boxes = [(s.name, s.left, s.top, s.left + s.width, s.top + s.height) for s in page.shapes]
        for name, x0, y0, x1, y1 in boxes:
            assert 0 <= x0 < x1 <= prs.slide_width and 0 <= y0 < y1 <= prs.slide_height, name
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                assert not (a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]), (a[0], b[0])


def test_the_kazakh_deck_is_in_kazakh_and_in_the_chosen_currency(ds, kazakh):
    slides, data = kazakh
    use("kk")
    try:
        titles = expected_titles(ds)
    finally:
        use("en")
    assert [title_of(p) for p in slides_of(data)] == titles
    assert titles[0] == "2026\u202fж. 22 қаңтар мақұлданған 4 зауыт"
    assert titles[5:] == ["Кіммен жұмыс істейміз", "Қорытынды"]
    assert slides[1].figure == "≈ 116,2 млн $"  # US$ at the dated official rate, as the dashboard
    assert slides[0].figure == "≈ 344,5 млн $"  # 173.4 bn KZT at 503.35 KZT/USD
    assert slides[1].lines[0].startswith("Орны: ")
    assert slides[1].notes.startswith("Дереккөздер:")


def test_text_stays_text():
    """Nothing escaped by hand and nothing neutralised: a title with markup and a line that looks like a
    formula come back exactly as given."""
    odd = deck.Slide("<img src=x onerror=alert(1)> & «Kazakh» ₸", ["=HYPERLINK(\"http://x\",\"y\")", "@a -1 +2"],
                     "> 315.9 bn", "≤ & <", None, "", "https://example.org/?a=1&b=<2>")
    (page,) = slides_of(deck.deck_pptx([odd], "T & <t>", "F & <f>"))
    assert title_of(page) == odd.title
    assert [p.text for p in shape(page, "Card").text_frame.paragraphs] == odd.lines
    assert shape(page, "Key figure").text_frame.text == "> 315.9 bn\n≤ & <"
    assert page.notes_slide.notes_text_frame.text == odd.notes
    assert shape(page, "Footer").text_frame.text == "F & <f> · 1/1"


def test_a_long_card_makes_the_map_smaller_never_the_type():
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (800, 600), "white").save(buf, "PNG")
    short = deck.Slide("Short", ["One line."], "1", "a figure", buf.getvalue())
    long = deck.Slide("Long", ["A long line of the card, as a plant's story can be, with its sources. " * 2] * 6,
                      "1", "a figure", buf.getvalue())
    a, b = deck.layout(short), deck.layout(long)
    assert a.picture is not None and b.picture is not None
    assert b.picture[2] < a.picture[2] and b.text[2] > a.text[2]
    (page,) = slides_of(deck.deck_pptx([long], "", ""))
    assert all(r.font.size.pt >= 20 for r in runs(shape(page, "Card")))


def test_a_title_too_long_for_two_lines_is_set_at_32_pt():
    slide = deck.Slide("A title " * 30)
    assert deck.layout(slide).title_pt == deck.TITLE_MIN_PT == 32
    assert deck.layout(deck.Slide("Summary")).title_pt == 36


def test_a_wider_scopes_deck_claims_no_single_approval_date(ds_all):
    """With the existing plants: "9 plants approved on 22 January 2026" would be false (the overview card's
    fix, in the deck too); the deck's title and footer are the scope's."""
    plants = ds_all.scope_plants("existing")
    args = (ds_all, plants, compute_kpis(plants, ds_all.programme, "existing"), Filters(scope="existing"), "KZT",
            colour_map(plants, "company"), "company", ds_all.facts["approved_on"])
    slides, data = deck_slides(*args), deck_file(*args)
    assert slides[0].title == "Plants on the map: 9"
    assert slides[0].lines[0] == "By status: approved 5, agreement signed 1, operating 3"
    prs = Presentation(io.BytesIO(data))
    assert prs.core_properties.title == "Kazakhstan's pharmaceutical investment agreements and existing plants"
    footer = shape(prs.slides[0], "Footer").text_frame.text
    assert "approved on" not in footer and "existing plants" in footer
