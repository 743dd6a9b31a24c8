"""Detail card for one plant: every field, with qualifiers, precision and source links."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from components.text import link, md
from core import fmt
from core import keys as K
from core.distances import RADII_KM, Distance, Geo, Place
from core.domain import FIELD_NAMES, area_label, provenance_row
from core.i18n import current, number, t


def card_rows(plant: pd.Series, region: str) -> list[tuple[str, str, str]]:
    """(label, value, basis) for every figure and field (pure: tested without Streamlit); ``region``: its name.

    Bases come from the ``basis_<field>`` columns attached at load (core.data.attach_basis)."""
    by = plant.get("approved_by")  # which approval the date is, as the source says (Khan Tengri: the HQ's)
    approved_by = [(t("Approved by"), by, "")] if isinstance(by, str) and by else []

    def basis_of(fld: str) -> str:
        return str(plant[f"basis_{fld}"])

    def basis(fld: str) -> str:
        return fmt.basis_word(basis_of(fld))

    q = plant["jobs_qualifier"]
    jq = q if isinstance(q, str) else "exact"

    def text(v):
        return v if isinstance(v, str) and v else fmt.not_disclosed()

    return [
        (t("Company"), text(plant["company"]), ""),
        (t("Legal name"), text(plant["legal_name"]), ""),
        (t("Region"), region, ""),
        (t("Site"), text(plant["site"]), ""),
        (t("Site known to"), fmt.precision_word(str(plant["site_precision"])), ""),
        (t("Point drawn"), fmt.point_word(str(plant["point_basis"])) + " · " + text(plant["location_note"]), ""),
        (t("Investment"), fmt.bn_kzt(plant.at["investment_kzt_bn"], plant.at["investment_qualifier"],
                                     basis_of("investment_kzt_bn")), basis("investment_kzt_bn")),
        (t("Medicines"), fmt.figure(plant["medicines_count"], "exact", basis_of("medicines_count")),
         basis("medicines_count")),
        (t("Socially significant"), fmt.figure(plant["socially_significant_count"], "exact",
                                               basis_of("socially_significant_count")),
         basis("socially_significant_count")),
        (t("Jobs"), fmt.figure(plant["jobs"], jq, basis_of("jobs")), basis("jobs")),
        (t("Therapeutic areas"), ", ".join(t(area_label(a)) for a in plant["areas"]) or fmt.not_disclosed(),
         basis("therapeutic_areas")),
        (t("Product focus"), text(plant["product_focus"]), ""),
        (t("Partners"), ", ".join(fmt.split_list(plant["partners"])) or fmt.not_disclosed(), basis("partners")),
        (t("Partner countries"), ", ".join(fmt.split_list(plant["partner_countries"])) or fmt.not_disclosed(), ""),
        (t("Status"), fmt.status_word(str(plant["status"])), ""),
        (t("Approved on"), fmt.date_long(str(plant["approved_on"])) if pd.notna(plant.at["approved_on"])
         else t("not applicable: an existing plant"), ""),
    ] + approved_by + [(label, value, basis) for label, value, basis in (
        (t("Operating since"), text(plant.get("operating_since")), basis("operating_since")),
        (t("Employees"), fmt.figure(plant.get("employees"), str(plant.get("employees_qualifier") or "exact")),
         basis("employees")),
        (t("Capacity"), text(plant.get("capacity")), basis("capacity")),
        (t("Context"), text(plant.get("context_note")), ""),
    ) if value != fmt.not_disclosed() or plant.get("scope") == "existing"]


def km_text(d: Distance) -> str:
    """'≈ 312 km (± 30 km, approximate location)'; a sourced site: '312 km (± 1 km)'."""
    km = number(d.km, 1 if d.km < 10 else 0)
    if d.error is None:
        return t("≈ {km} km (approximate location; possible error not known)", km=km)
    error = number(d.error)
    if d.approximate:
        return t("≈ {km} km (± {error} km, approximate location)", km=km, error=error)
    return t("{km} km (± {error} km)", km=km, error=error)


def place_label(place: Place) -> str:
    """A gazetteer place's name in the current language (places.csv name, name_ru, name_kk)."""
    return {"ru": place.name_ru, "kk": place.name_kk}.get(current(), "") or place.name


def distance_lines(plant: pd.Series, plants: pd.DataFrame, geo: Geo, radius_km: float,
                   region_name: Callable[[str], str]) -> tuple[list[tuple[str, str]], list[tuple[str, str]], str]:
    """(label, distance) to the region's centre, Almaty and Astana; (plant name, distance) of the other plants
    within ``radius_km``; the note on approximate points ('' for a sourced site). Pure."""
    region = str(plant["region"])
    places = []
    for role, place, d in geo.to_places(plant):
        name = place_label(place)
        label = t("{place}, administrative centre of {region}", place=name, region=region_name(region)) \
            if role == "centre" and place.kind == "admin_centre" else name
        places.append((label, km_text(d)))
    names = dict(zip(plants["plant_id"], plants["name"], strict=True))
    near = [(names.get(d.to, d.to), km_text(d)) for d in geo.within(plant, plants, radius_km)]
    precision, error = geo.plant_error(plant)
    if precision == "site":
        note = ""
    elif error is None:
        note = t("Approximate points give approximate distances: this plant's point ({precision}) may be far "
                 "from its site; the possible error is not known.", precision=fmt.precision_word(precision))
    else:
        note = t("Approximate points give approximate distances: this plant's point ({precision}) may be up to "
                 "{error} km from its site, and a distance to another approximate point adds that point's error.",
                 precision=fmt.precision_word(precision), error=number(error))
    return places, near, note


MAX_OPTIONS = 200  # a longer list would be resent on every rerun and is no use to scroll


def later_figures(events: pd.DataFrame, plant_id: str) -> list[tuple[str, str, str]]:
    """(date, event title, figures note) of the plant's events that give figures: beside the plant's own
    figures, never in place of them (Nobel's 30 Jan 2026 agreement disagrees with the 22 Jan resolution)."""
    if events.empty:
        return []
    mine = events[events["plant_id"].map(lambda cell: plant_id in fmt.split_list(cell))
                  & (events["figures_note"] != "")]
    return [(str(d), str(title), str(note)) for d, title, note in
            zip(mine["date"], mine["title"], mine["figures_note"], strict=True)]


def render_detail(plants: pd.DataFrame, provenance: pd.DataFrame, region_name: Callable[[str], str],
                  clicked: str | None = None, default: str | None = None,
                  events: pd.DataFrame | None = None, geo: Geo | None = None) -> None:
    """Selector and card. A plant ``clicked`` on the map becomes the selection; it is shown even when the
    list is too long to offer. ``default``: the plant the link names. ``geo``: places and regions for the
    card's distances (none without it)."""
    ss = st.session_state
    if clicked and clicked != ss.get(K.LAST_CLICKED):  # a new click, not the map's last value resent
        ss[K.LAST_CLICKED] = clicked
        if len(plants) <= MAX_OPTIONS:
            ss[K.DETAIL] = clicked
    if len(plants) > MAX_OPTIONS:
        st.caption(t("{n} plants shown: click one on the map for its details, or narrow the filters to {max} "
                     "or fewer to pick from a list.", n=number(len(plants)), max=MAX_OPTIONS))
        if ss.get(K.LAST_CLICKED) in set(plants["plant_id"]):
            plant = plants.loc[plants["plant_id"] == ss[K.LAST_CLICKED]].iloc[0]
            _card(plant, provenance, region_name, events)
            _distances(plant, plants, geo, region_name)
        return
    ids = plants["plant_id"].tolist()
    names = dict(zip(plants["plant_id"], plants["name"], strict=True))
    if K.DETAIL in ss and ss[K.DETAIL] not in ids:
        ss[K.DETAIL] = None
    pid = st.selectbox(t("Plant details"), ids, index=ids.index(default) if default in ids else None,
                       format_func=lambda i: names.get(i, i), key=K.DETAIL,
                       placeholder=t("Click a plant on the map, or choose one here"))
    if pid is not None:
        plant = plants.loc[plants["plant_id"] == pid].iloc[0]
        _card(plant, provenance, region_name, events)
        _distances(plant, plants, geo, region_name)


def _distances(plant: pd.Series, plants: pd.DataFrame, geo: Geo | None, region_name: Callable[[str], str]) -> None:
    """Geodesic distances to the region's centre, Almaty and Astana, and the plants shown within a radius."""
    if geo is None:
        return
    with st.container(border=True):
        radius = st.selectbox(t("Other plants within"), RADII_KM, index=1, key=K.DETAIL_RADIUS,
                              format_func=lambda r: t("{km} km", km=number(r)))
        places, near, note = distance_lines(plant, plants, geo, radius, region_name)
        lines = [f"**{md(t('Distances (geodesic)'))}:**"] + [f"- {md(label)}: {md(value)}" for label, value in places]
        lines.append(f"**{md(t('Other plants shown within {km} km', km=number(radius)))}:**")
        lines += [f"- {md(name)}: {md(value)}" for name, value in near] or [f"- {md(t('none'))}"]
        st.markdown("\n".join(lines))
        if note:
            st.caption(md(note))


def _card(plant: pd.Series, provenance: pd.DataFrame, region_name: Callable[[str], str],
          events: pd.DataFrame | None = None) -> None:
    pid = str(plant["plant_id"])
    with st.container(border=True):
        st.markdown(f"## {md(plant['name'])}")  # h2: the page's title is the h1
        lines = []
        for label, value, basis in card_rows(plant, region_name(str(plant["region"]))):
            tag = f" _({md(basis)})_" if basis else ""
            lines.append(f"- **{md(label)}:** {md(value)}{tag}")
        st.markdown("\n".join(lines))
        notes = [(f, provenance_row(provenance, pid, f)) for f in ("medicines_count", "jobs",
                                                                   "socially_significant_count")]
        for f, row in notes:
            if row and row.get("method"):
                st.caption(md(f"{t(FIELD_NAMES[f])}: {row['method']}"))
        later = later_figures(events if events is not None else pd.DataFrame(), pid)
        if later:
            st.markdown(f"**{md(t('Figures from later events (sources disagree; both kept)'))}:**\n"
                        + "\n".join(f"- {md(fmt.date_long(d))}, {md(title)}: {md(note)}" for d, title, note in later))
        urls = fmt.split_list(plant["sources"])
        if urls:
            st.markdown(f"**{md(t('Sources'))}:** " + " · ".join(link(u) for u in urls))
        where = fmt.split_list(plant["location_source"]) + fmt.split_list(plant["point_source"])
        if where:
            st.markdown(f"**{md(t('Sources of the location'))}:** "
                        + " · ".join(link(u) for u in dict.fromkeys(where)))
