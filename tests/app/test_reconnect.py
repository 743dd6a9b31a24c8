"""A page that outlived its session (server restart, replica lost) reconnects to a new session and sends
its widgets' values with the user's next input, as the labels it shows (components/urlsync.py)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from core import keys as K
from core.i18n import current, use
from tests.app.test_app import APP, qp, run_app

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
