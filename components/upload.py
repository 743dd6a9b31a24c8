"""The "Your data" tab: an analyst uploads a plants table (CSV or XLSX), reads every problem at once,
downloads the report, the template and the cleaned table, and may show the valid rows in this browser
session only. The banner says so in every view, with one click back. The bundled files are never written:
the upload lives in the session state (core/keys.py UPLOAD) and the page swaps it in (components/page.py)."""

from __future__ import annotations

import hashlib
import os
from dataclasses import replace
from pathlib import Path

import streamlit as st

from components.text import md
from core import exports, geocode
from core import keys as K
from core.data import PLANTS, Dataset, attach_basis
from core.files import read_csv
from core.i18n import current, number, t
from core.problems import problems_frame
from core.upload import MAX_MB, XLSX, Checked, check_upload, template_xlsx

UPLOAD_STEM = "your-data-not-published"  # in the names of the files exported from an upload


def active() -> Checked | None:
    """The upload this session shows instead of the bundled plants, if any."""
    return st.session_state.get(K.UPLOAD)


def upload_label() -> str | None:
    """'Your data (not published): … from <file>' while an upload is shown, else None."""
    up = active()
    if up is None:
        return None
    return t("Your data (not published): {n} plants from {file}", n=number(up.valid), file=up.name)


@st.cache_resource(show_spinner=False, max_entries=8)
def _session_dataset(digest: str, signature: tuple, _bundled: Dataset, _checked: Checked) -> Dataset:  # noqa: ARG001
    """The bundled data with its plants replaced by the upload's valid rows (one per file and data version;
    the figures' bases come from the bundled provenance.csv, 'unsourced' for a plant it does not list)."""
    return replace(_bundled, plants=attach_basis(_checked.plants, _bundled.provenance),
                   problems=[p for p in _bundled.problems if p.file != PLANTS],
                   rows_total=_checked.rows, rows_rejected=0)


def session_dataset(bundled: Dataset, signature: tuple, up: Checked) -> Dataset:
    """The session's dataset while an upload is shown: the bundled one with the upload's plants."""
    return _session_dataset(up.digest, signature, bundled, up)


def _show(checked: Checked) -> None:
    st.session_state[K.UPLOAD] = checked


def _back() -> None:
    st.session_state.pop(K.UPLOAD, None)


def render_upload_banner() -> None:
    """Every view, while an upload is shown: whose data this is, and the way back."""
    label = upload_label()
    if label is None:
        return
    text, button = st.columns([4, 1], vertical_alignment="center")
    text.warning(md(label) + ". " + t("Only this browser session sees it; the published data is unchanged."),
                 icon=":material/edit_note:")
    button.button(t("Back to the bundled data"), key=K.UPLOAD_BACK, on_click=_back, width="stretch")


def _checked(raw: bytes, name: str, ds: Dataset) -> Checked:
    """The file checked once per content and language (the messages are in the current language)."""
    key = (hashlib.sha256(raw).hexdigest(), current())
    cached = st.session_state.get(K.UPLOAD_CHECKED)
    if cached is not None and cached[0] == key:
        return cached[1]
    shapes = ds.geo.shapes  # built once per data version
    checked = check_upload(raw, name, list(shapes) if ds.regions is not None else None, shapes)
    st.session_state[K.UPLOAD_CHECKED] = (key, checked)
    return checked


def _template(ds: Dataset) -> bytes:
    """The template, its example row the first row of the bundled plants.csv."""
    table = read_csv(ds.data_dir / PLANTS, [], [])
    return template_xlsx({} if table is None or table.empty else table.iloc[0].to_dict())


def render_upload_tab(ds: Dataset) -> None:
    st.caption(t("Check a plants table of your own against the same rules as the published data, and see its "
                 "valid rows on the map, charts, KPIs and table in this browser session only. Nothing is saved "
                 "on the server. Start from the template: the documented columns, one example row, and a "
                 "second sheet explaining each column."))
    st.download_button(t("Template (Excel)"), lambda: _template(ds), "pharma-plants-template.xlsx", XLSX,
                       key=K.UPLOAD_PREFIX + "template", on_click="ignore")
    file = st.file_uploader(t("Plants table (CSV UTF-8 or XLSX, at most {mb} MB)", mb=MAX_MB), type=["csv", "xlsx"],
                            key=K.UPLOAD_FILE)
    if file is None:
        return
    checked = _checked(file.getvalue(), file.name, ds)
    _render_result(checked)
    if checked.valid:
        _render_geocoder(checked, ds)


def _render_result(checked: Checked) -> None:
    name, n = md(checked.name), len(checked.problems)
    if checked.refused:
        st.error(t("{file} cannot be used ({n} problems); nothing from it is shown.", file=name, n=number(n)),
                 icon="⛔")
    elif checked.valid == 0:
        st.error(t("{file}: none of its {rows} rows passed the checks ({n} problems).", file=name,
                   rows=number(checked.rows), n=number(n)), icon="⛔")
    else:
        summary = t("{file}: {valid} of {rows} rows passed the checks; {n} problems.", file=name,
                    valid=number(checked.valid), rows=number(checked.rows), n=number(n))
        (st.warning if n else st.success)(summary)
    if checked.problems:
        st.markdown(f"**{t('Problems (every one at once)')}**")
        st.dataframe(problems_frame(checked.problems), hide_index=True, width="stretch")
        st.download_button(t("Problems (CSV)"), lambda: exports.csv_bytes(problems_frame(checked.problems)),
                           f"{checked.name}-problems.csv", "text/csv", key=K.UPLOAD_PREFIX + "report",
                           on_click="ignore")
    if checked.notes:
        st.info(t("Kept, with a remark:"), icon="ℹ️")
        st.dataframe(problems_frame(checked.notes), hide_index=True, width="stretch")
    if checked.valid:
        left, right = st.columns(2)
        left.download_button(t("Cleaned table: the valid rows (CSV)"), lambda: exports.csv_bytes(checked.cleaned),
                             f"{checked.name.rsplit('.', 1)[0]}-valid.csv", "text/csv",
                             key=K.UPLOAD_PREFIX + "cleaned", on_click="ignore", width="stretch")
        shown = active()
        right.button(t("Show these {n} plants on the map, charts and table", n=number(checked.valid)),
                     key=K.UPLOAD_SHOW, on_click=_show, args=(checked,), type="primary", width="stretch",
                     disabled=shown is not None and shown.digest == checked.digest)


GEOCODE_CACHE = geocode.CACHE  # shared with scripts/geocode.py: each query is asked once
NOMINATIM_ENV = "PHARMAMAP_NOMINATIM"  # another Nominatim, as scheme://host[:port] (the tests' fake one)


def _search():
    where = os.environ.get(NOMINATIM_ENV, "https://nominatim.openstreetmap.org")
    scheme, _, domain = where.partition("://")
    return geocode.nominatim_search(domain=domain, scheme=scheme)


def _render_geocoder(checked: Checked, ds: Dataset) -> None:
    """The geocoder of scripts/geocode.py for the upload's valid rows: the gazetteer, then Nominatim (one
    request a second, cached), every point checked inside its region. Off in offline mode. It proposes: the
    analyst downloads the table with the new points and the diff, and uploads the table again to use it."""
    offline = geocode.offline_from_env()
    st.markdown(f"**{md(t('Geocoder'))}**")
    if offline:
        st.caption(t("The geocoder is off in offline mode (PHARMAMAP_OFFLINE=1): no request may leave the machine. "
                     "Run `python -m scripts.geocode` with the gazetteer and the cache instead."))
    clicked = st.button(t("Propose points from the site and region texts"), key=K.UPLOAD_GEOCODE, disabled=offline,
                        help=t("The gazetteer (data/places.csv) first, then OpenStreetMap's Nominatim, at most one "
                               "request a second; a point outside the row's region is rejected."))
    key = (checked.digest, current())
    if clicked:
        cache = geocode.Cache.load(Path(GEOCODE_CACHE))
        with st.spinner(t("Geocoding…")):
            out, results = geocode.geocode_frame(checked.cleaned, ds.places, ds.geo.shapes, cache=cache,
                                                 offline=False, search=_search())
        if cache.answers:
            cache.save()
        st.session_state[K.UPLOAD_GEOCODED] = (key, out, results)
    held = st.session_state.get(K.UPLOAD_GEOCODED)
    if not held or held[0] != key:
        return
    _, out, results = held
    changed = sum(r.status == "changed" for r in results)
    left = geocode.unresolved(results)
    st.info(t("{changed} of {n} rows got a finer point; {left} could not be resolved.", changed=number(changed),
              n=number(len(results)), left=number(len(left))), icon="📍")
    st.dataframe(geocode.diff_frame(results), hide_index=True, width="stretch")
    stem = checked.name.rsplit(".", 1)[0]
    a, b = st.columns(2)
    a.download_button(t("Table with the proposed points (CSV)"), lambda: exports.csv_bytes(out),
                      f"{stem}-geocoded.csv", "text/csv", key=K.UPLOAD_PREFIX + "geocoded", on_click="ignore",
                      width="stretch")
    b.download_button(t("The changes (CSV)"), lambda: exports.csv_bytes(geocode.diff_frame(results)),
                      f"{stem}-geocoded-diff.csv", "text/csv", key=K.UPLOAD_PREFIX + "geocoded-diff",
                      on_click="ignore", width="stretch")
