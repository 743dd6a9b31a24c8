"""The detail card's distances under AppTest: to the region's centre, Almaty and Astana, and the plants
within the chosen radius, with the stated error of approximate points."""

from __future__ import annotations

from core import keys as K
from tests.app.test_app import captions, plain, run_app


def body(at) -> str:
    return plain("\n".join(m.value for m in at.markdown))


def test_card_shows_distances_and_the_radius_changes_the_neighbours(monkeypatch):
    at = run_app(monkeypatch)
    at.selectbox(key=K.DETAIL).set_value("abdi-ibrahim").run()
    text = body(at)
    assert "- Konaev, administrative centre of Almaty Region: ≈ 1.3 km (± 347 km, approximate location)" in text
    assert "- Almaty: ≈ 68 km (± 347 km, approximate location)" in text
    assert "- Astana: ≈ 915 km (± 347 km, approximate location)" in text
    assert "Other plants shown within 50 km:**\n- none" in text
    assert "may be up to 347 km from its site" in captions(at)
    at.selectbox(key=K.DETAIL_RADIUS).set_value(100).run()
    assert not at.exception
    text = body(at)
    assert "Other plants shown within 100 km:**\n- AltINFARM: ≈ 68 km (± 378 km, approximate location)\n" \
           "- Nobel Almaty Pharmaceutical Factory: ≈ 68 km (± 377 km, approximate location)" in text


def test_card_distances_in_kazakh(monkeypatch):
    at = run_app(monkeypatch, query={"lang": "kk", "plant": "msp-rompharm"})
    text = body(at)
    assert "- Түркістан (әкімшілік орталық, Түркістан облысы): ≈ 0,0 км (± 313 км, шамамен алынған орын)" in text
    assert "- Астана: ≈ 908 км (± 313 км, шамамен алынған орын)" in text
