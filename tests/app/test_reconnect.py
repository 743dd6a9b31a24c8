"""The browser holds select widgets' values as the labels it shows and sends them with every input.

A page that outlived its session (server restart, replica lost) reconnects to a new session and sends
them with the user's next input (components/urlsync.py); within a session, a run that relabels the
widgets must give the browser the new labels (components/filters.py)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from core import keys as K
from core.i18n import current, use
from tests.app.test_app import APP, qp, run_app
from tests.conftest import set_cell

LINKED = {"area": "diabetes", "region": ["almaty", "almaty-region"], "colour": "country"}  # 2 plants; 3 without area


def reconnect(old: AppTest) -> AppTest:
    """A new session on the old page: its link, and the widget values the page holds (with the input the
    test set on it, not yet run), serialised as the old page's labels."""
    shown = current()
    use(qp(old, "lang")[0] if qp(old, "lang") else "en")  # the format_funcs translate: in the old page's language
    try:
        states = old._tree.get_widget_states()
    finally:
        use(shown)
    new = AppTest.from_file(APP, default_timeout=60)
    for key, value in old.query_params.items():
        new.query_params[key] = value
    new._run(widget_state=states)  # AppTest.run() would send the new session's own (empty) widget states
    assert not new.exception, new.exception
    return new


def plants(at: AppTest) -> str:
    return at.metric[4].value


def test_a_language_switch_as_the_first_input_keeps_the_filters(monkeypatch):
    old = run_app(monkeypatch, query={"lang": "kk", **LINKED})
    assert plants(old) == "2"
    old.segmented_control(key=K.LANG).set_value("ru")
    new = reconnect(old)
    assert (qp(new, "lang"), qp(new, "area"), qp(new, "region"), qp(new, "colour")) == (
        ["ru"], ["diabetes"], ["almaty", "almaty-region"], ["country"])
    assert plants(new) == "2"
    assert new.multiselect(key=K.AREA).value == ["diabetes"]
    assert new.sidebar.header[0].value == "Фильтры"  # the whole page in Russian, not only the link


def test_a_scope_switch_as_the_first_input_keeps_the_areas(monkeypatch):
    """Oncology's label counts the scope's plants (1 approved, 3 of the six): a scope switch relabels it."""
    old = run_app(monkeypatch, query={"lang": "ru", "area": "oncology"})
    old.radio(key=K.SCOPE).set_value("six")
    new = reconnect(old)
    assert (qp(new, "area"), qp(new, "scope"), plants(new)) == (["oncology"], ["six"], "3")


def test_a_chip_removed_as_the_first_input_is_removed(monkeypatch):
    """The user's own input on a relabelled widget still counts: the link is not imposed over it."""
    old = run_app(monkeypatch, query={"lang": "kk", **LINKED})
    old.multiselect(key=K.AREA).unselect("diabetes")
    new = reconnect(old)
    assert (qp(new, "lang"), qp(new, "area"), qp(new, "region"), plants(new)) == (
        ["kk"], [], ["almaty", "almaty-region"], "3")


def test_a_currency_as_the_first_input_keeps_language_and_filters(monkeypatch):
    old = run_app(monkeypatch, query={"lang": "kk", **LINKED})
    old.segmented_control(key=K.CURRENCY).set_value("USD")
    new = reconnect(old)
    assert (qp(new, "lang"), qp(new, "area"), qp(new, "currency"), plants(new)) == (["kk"], ["diabetes"], ["USD"], "2")


def told(at: AppTest, key: str) -> list[str] | None:
    """The labels the last run told the browser to hold for a multiselect; None: it told it nothing."""
    proto = at.multiselect(key=key).proto
    return list(proto.raw_values) if proto.set_value else None


def test_a_language_switch_gives_the_browser_the_new_labels(monkeypatch):
    at = run_app(monkeypatch, query={"lang": "ru", **LINKED})
    use("ru")  # AppTest formats the values it sends in the test's language
    try:
        at.segmented_control(key=K.LANG).set_value("kk").run()
        assert (told(at, K.AREA), told(at, K.REGION)) == (["Қант диабеті (2 зауыт)"], ["Алматы", "Алматы облысы"])
        assert (at.radio(key=K.SCOPE).proto.raw_value, at.selectbox(key=K.COLOUR).proto.raw_value) == (
            "2026 ж. 22 қаң. мақұлданғандар", "Серіктес ел")
        use("kk")
        at.segmented_control(key=K.CURRENCY).set_value("EUR").run()  # nothing relabelled: nothing told
        assert (told(at, K.AREA), told(at, K.REGION), qp(at, "area")) == (None, None, ["diabetes"])
    finally:
        use("en")


def test_a_data_change_that_relabels_an_area_gives_the_browser_the_new_label(monkeypatch, data_dir):
    at = run_app(monkeypatch, data_dir, query={"area": "diabetes"})
    assert "Diabetes (2 plants)" in at.multiselect(key=K.AREA).options and told(at, K.AREA) is None
    set_cell(data_dir / "plants.csv", 3, "therapeutic_areas", "diabetes")  # MSP-ROMPHARM: a third plant
    at.run()
    assert (told(at, K.AREA), plants(at)) == (["Diabetes (3 plants)"], "3")
