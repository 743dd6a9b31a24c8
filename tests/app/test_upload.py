"""The "Your data" tab under AppTest: an upload checked, shown in this session only (KPIs, table, map,
exports marked), one click back; a file with problems lists them all; the bundled files are not written."""

from __future__ import annotations

import hashlib

from core import keys as K
from core.data import DEFAULT_DATA_DIR
from tests import upload_files as F
from tests.app.test_app import map_args, metrics, plain, run_app, table_rows


def bundled_hashes() -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(DEFAULT_DATA_DIR.iterdir())
            if p.is_file()}


def open_tab(at, label: str):
    at.session_state[K.TAB] = label
    at.run()
    assert not at.exception, at.exception
    return at


def upload(at, name: str, raw: bytes):
    at.get("file_uploader")[0].upload(name, raw, "text/csv")
    at.run()
    assert not at.exception, at.exception
    return at


def banner(at) -> str:
    return plain("\n".join(w.value for w in at.warning))


def test_an_upload_is_shown_in_this_session_and_one_click_brings_the_bundled_data_back(monkeypatch):
    before = bundled_hashes()
    at = open_tab(run_app(monkeypatch), "Your data")
    assert "Nobel Almaty Pharmaceutical Factory" in map_args(at)["feature_group"]  # the map's legend
    upload(at, "update.csv", F.good())
    assert "update.csv: 2 of 2 rows passed the checks; 0 problems." in plain(at.success[0].value)
    at.button(key=K.UPLOAD_SHOW).click().run()
    assert not at.exception, at.exception
    assert "Your data (not published): 2 plants from update.csv" in banner(at)
    assert metrics(at)["Plants"] == "2" and metrics(at)["Investment, KZT"] == "95.2 bn"
    assert "Nobel Almaty Pharmaceutical Factory" not in map_args(at)["feature_group"]  # two companies left
    open_tab(at, "Export")  # the banner, and the export tab says its files are of the upload
    assert banner(at).count("Your data (not published): 2 plants from update.csv") == 2
    assert table_rows(at) == 2
    at.button(key=K.UPLOAD_BACK).click().run()
    assert "Your data" not in banner(at) and metrics(at)["Plants"] == "4"
    assert bundled_hashes() == before


def test_a_file_with_five_problems_lists_all_five_and_shows_nothing(monkeypatch):
    at = open_tab(run_app(monkeypatch), "Your data")
    upload(at, "five.csv", F.five_problems())
    report = next(df.value for df in at.dataframe if "fix" in df.value.columns)
    assert sorted(zip(report["row"], report["column"], report["value"], strict=True)) == \
        [(row, column, value) for row, column, value in F.FIVE]
    assert metrics(at)["Plants"] == "4" and "not published" not in banner(at)


def test_a_hostile_file_gets_its_message_and_no_button(monkeypatch):
    at = open_tab(run_app(monkeypatch), "Your data")
    name, raw, expected = F.hostile()["semicolons"]
    upload(at, name, raw)
    assert "plants.csv cannot be used (1 problems); nothing from it is shown." in plain(at.error[0].value)
    report = next(df.value for df in at.dataframe if "fix" in df.value.columns)
    assert expected in report.loc[0, "problem"]
    assert not [b for b in at.button if b.key == K.UPLOAD_SHOW]


def test_filters_the_upload_lacks_are_dropped_and_the_presentation_shows_the_banner(monkeypatch):
    """A link's company the upload does not have no longer breaks the sidebar (it raised
    StreamlitDefaultNotInOptionsError); the region it has stays chosen."""
    at = run_app(monkeypatch, query={"company": "nobel-almaty-pharmaceutical-factory", "region": "almaty"})
    upload(open_tab(at, "Your data"), "update.csv", F.good())
    at.button(key=K.UPLOAD_SHOW).click().run()
    assert not at.exception, at.exception
    assert at.multiselect(key=K.COMPANY).value == [] and at.multiselect(key=K.REGION).value == ["Almaty"]
    assert metrics(at)["Plants"] == "1"
    at.toggle(key=K.PRESENT).set_value(True).run()
    assert not at.exception, at.exception
    assert "Your data (not published): 2 plants from update.csv" in banner(at)


def test_the_geocoder_is_off_in_offline_mode(monkeypatch):
    at = upload(open_tab(run_app(monkeypatch), "Your data"), "update.csv", F.good())
    assert at.button(key=K.UPLOAD_GEOCODE).disabled is True
    assert any("The geocoder is off in offline mode" in c.value for c in at.caption)


def test_the_geocoder_proposes_points_for_the_uploaded_rows(monkeypatch, tmp_path):
    """Online, against a fake Nominatim on 127.0.0.1: the gazetteer first, Nominatim for the rest, a diff of
    every row and the table to download; nothing is written but the cache (none here: no good answer)."""
    import components.upload as panel
    from tests.unit.test_geocode import FakeNominatim, serve_fake_nominatim

    before = bundled_hashes()
    with serve_fake_nominatim() as domain:  # the unit tests' fake server
        monkeypatch.setenv(panel.NOMINATIM_ENV, f"http://{domain}")
        monkeypatch.setattr(panel, "GEOCODE_CACHE", str(tmp_path / "nominatim.json"))
        at = upload(open_tab(run_app(monkeypatch, offline=None), "Your data"), "update.csv", F.good())
        at.button(key=K.UPLOAD_GEOCODE).click().run()
        assert not at.exception, at.exception
        diff = next(df.value for df in at.dataframe if "status" in df.value.columns)
        assert len(diff) == 2 and set(diff["status"]) <= {"changed", "kept", "unresolved"}
        info = plain("\n".join(i.value for i in at.info))
        assert "of 2 rows got a finer point" in info
        assert all(r["agent"] and r["countrycodes"] == "kz" for r in FakeNominatim.requests)
        assert not (tmp_path / "nominatim.json").exists()  # the fake gave no good answer: nothing cached
    assert bundled_hashes() == before
