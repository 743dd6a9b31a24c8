"""Filters, KPIs and aggregations: pure functions over the validated frames."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import cast

import numpy as np
import pandas as pd

from core.context import split, status_at
from core.i18n import N_, number, t

NOT_DISCLOSED = "not disclosed"  # colour category key; shown translated
# the programme's nine areas as therapeutic_areas.csv labels them, marked for the catalogues
AREA_NAMES = (N_("Oncology"), N_("Diabetes"), N_("Immunobiological"), N_("Antiviral"), N_("Anti-anaemic"),
              N_("Analgesic"), N_("Anti-inflammatory"), N_("Cold remedies"), N_("Antimicrobial"),
              N_("Autoimmune diseases"), N_("Rare diseases"), N_("Inflammatory diseases"), N_("Cardiovascular"),
              N_("Infectious diseases"), N_("Tuberculosis"))
AREA_LABEL: dict[str, str] = dict(zip(("oncology", "diabetes", "immunobiological", "antiviral", "anti_anaemic",
                                       "analgesic", "anti_inflammatory", "cold", "antimicrobial", "autoimmune",
                                       "rare_diseases", "inflammatory", "cardiovascular", "infectious",
                                       "tuberculosis"), AREA_NAMES, strict=True))
FIELD_NAMES = {"investment_kzt_bn": N_("investment"), "medicines_count": N_("number of medicines"),
               "socially_significant_count": N_("socially significant medicines"), "jobs": N_("jobs"),
               "therapeutic_areas": N_("therapeutic areas"), "partners": N_("strategic partners")}


@dataclass(frozen=True)
class ColourScheme:
    """One way to colour the plants: its code in the URL, its label (translated where shown), its column."""

    code: str
    label: str
    column: str  # partner_countries may list several: the first one colours the plant


COLOUR_SCHEMES = (ColourScheme("company", N_("Company"), "company"),
                  ColourScheme("country", N_("Partner country"), "partner_countries"),
                  ColourScheme("focus", N_("Product focus"), "product_focus"))
COLOUR_BY = {s.label: s.column for s in COLOUR_SCHEMES}  # label -> column, in the order offered


@dataclass(frozen=True)
class Scope:
    """Which projects the view covers: its code in the URL, its label, the plants.csv scopes it shows,
    and the programme.csv scope whose stated totals it is measured against."""

    code: str
    label: str
    rows: tuple[str, ...]
    programme: str


SCOPES = (Scope("approved", N_("Approved 22 Jan 2026"), ("approved_2026_01_22",), "approved_2026_01_22"),
          Scope("six", N_("All six agreements"), ("approved_2026_01_22", "agreement"), "six_agreements"),
          Scope("existing", N_("With existing plants"), ("approved_2026_01_22", "agreement", "existing"),
                "six_agreements"))
SCOPE = {s.code: s for s in SCOPES}
CONTEXT_SCOPE = "existing"  # rows shown for context, never summed into a programme figure


def area_label(code: str) -> str:
    """The label of an area code, marked for translation; an unknown code as it is."""
    return AREA_LABEL.get(code, code)


@dataclass(frozen=True)
class Filters:
    """What the user has chosen. Empty tuples mean 'no restriction'."""

    areas: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    companies: tuple[str, ...] = ()
    investment: tuple[float, float] | None = None  # inclusive bn KZT range
    scope: str = "approved"  # a code of SCOPES; not a restriction of the scope's own totals
    as_of: date | None = None  # statuses on this day; None: the latest the data knows
    partner: str | None = None  # partner_id: only the projects it serves

    @property
    def active(self) -> bool:
        """Whether the plants shown are a part of the scope (KPIs then give their share of its totals)."""
        return bool(self.areas or self.regions or self.companies or self.investment is not None
                    or self.as_of is not None or self.partner)


def apply_filters(plants: pd.DataFrame, f: Filters, partners: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rows of the scope matching every filter; a plant matches the area filter if it has any chosen area.

    Plants with undisclosed investment are dropped only when an investment range is set. The partner
    filter keeps the plants the partner's row in ``partners`` names (none for a prospective partner).
    """
    mask = plants["scope"].isin(SCOPE.get(f.scope, SCOPES[0]).rows) if "scope" in plants else \
        pd.Series(True, index=plants.index)
    if f.partner is not None:
        served: set[str] = set()
        if partners is not None:
            for cell in partners.loc[partners["partner_id"] == f.partner, "plant_ids"]:
                served.update(p.strip() for p in str(cell).split(";") if p.strip())
        mask &= plants["plant_id"].isin(sorted(served))
    if f.areas:
        wanted = set(f.areas)
        mask &= plants["areas"].map(lambda a: bool(wanted.intersection(a)))
    if f.regions:
        mask &= plants["region"].isin(f.regions)
    if f.companies:
        mask &= plants["company"].isin(f.companies)
    if f.investment is not None:
        lo, hi = f.investment
        inv = plants["investment_kzt_bn"]
        mask &= inv.notna() & (inv >= lo - 1e-9) & (inv <= hi + 1e-9)
    return cast(pd.DataFrame, plants[mask])


def provenance_row(provenance: pd.DataFrame, plant_id: str, fld: str) -> dict | None:
    hit = provenance[(provenance["plant_id"] == plant_id) & (provenance["field"] == fld)]
    return hit.iloc[0].to_dict() if len(hit) else None


def combine_qualifiers(qualifiers: list[str]) -> str:
    """Qualifier of a sum. Exact only if all parts are; a lower bound ('at least', 'more than') if every
    part is exact or a lower bound ('more than' if any part is); 'at most' if every part is exact or an
    upper bound; anything else, a mix of bounds or an 'about', is 'about'."""
    qs = set(qualifiers)
    if qs <= {"exact"}:
        return "exact"
    if qs <= {"exact", "at_least", "more_than"}:
        return "more_than" if "more_than" in qs else "at_least"
    if qs <= {"exact", "at_most"}:
        return "at_most"
    return "about"


@dataclass(frozen=True)
class Kpi:
    """A summed figure over the plants shown, and how sure it is."""

    field: str
    value: float | None  # None when no plant shown discloses it
    qualifier: str = "exact"
    n_plants: int = 0
    disclosed: tuple[str, ...] = ()
    not_disclosed: tuple[str, ...] = ()  # plant names
    derived: tuple[tuple[str, float], ...] = ()  # (plant name, value) included in ``value``
    programme_total: float | None = None
    programme_qualifier: str = "exact"

    @property
    def share(self) -> float | None:
        if self.value is None or not self.programme_total:
            return None
        return self.value / self.programme_total


@dataclass(frozen=True)
class Kpis:
    investment: Kpi
    medicines: Kpi
    socially_significant: Kpi
    jobs: Kpi
    plants: Kpi


def programme_value(programme: pd.DataFrame, metric: str,
                    scope: str = "approved_2026_01_22") -> tuple[float | None, str]:
    """The stated total of ``metric`` for a programme scope (programme.csv), with its qualifier."""
    rows = programme[programme["scope"] == scope] if "scope" in programme else programme
    hit = cast(pd.DataFrame, rows[rows["metric"] == metric])
    if not len(hit):
        return None, "exact"
    return float(hit["value"].iloc[0]), hit["qualifier"].iloc[0]


QUALIFIER_COLUMN = {"jobs": "jobs_qualifier", "investment_kzt_bn": "investment_qualifier"}


def programme_rows(plants: pd.DataFrame) -> pd.DataFrame:
    """The projects of the programme: context rows (existing plants) are shown, never summed."""
    if "scope" not in plants:
        return plants
    mask = plants["scope"] != CONTEXT_SCOPE
    return plants if bool(mask.all()) else cast(pd.DataFrame, plants[mask])  # no copy when none is context


def compute_kpi(plants: pd.DataFrame, programme: pd.DataFrame, fld: str,
                scope: str = "approved_2026_01_22") -> Kpi:
    """Sum of ``fld`` over the programme's plants, with its qualifier, derived parts and undisclosed plants.

    Vectorised over the ``basis_<fld>`` columns added at load time (fast for 10,000 plants).
    """
    plants = programme_rows(plants)
    # numpy arrays, not pandas Series: Series.where on Arrow strings cost ~0.2 s a KPI at 10,000 plants
    values = cast(pd.Series, pd.to_numeric(cast(pd.Series, plants[fld]), errors="coerce")).to_numpy(dtype=float)
    known = ~np.isnan(values)
    basis = cast(pd.Series, plants[f"basis_{fld}"]).to_numpy(dtype=object) if f"basis_{fld}" in plants else \
        np.full(len(plants), "reported", dtype=object)
    derived = known & (basis == "derived")
    qcol = QUALIFIER_COLUMN.get(fld)
    quals = cast(pd.Series, plants[qcol]).to_numpy(dtype=object) if qcol and qcol in plants else \
        np.full(len(plants), "exact", dtype=object)
    quals = np.where(pd.isna(quals), "exact", quals)
    quals = np.where(derived & (quals == "exact"), "about", quals)
    total, tq = programme_value(programme, fld, scope)
    names = cast(pd.Series, plants["name"]).to_numpy(dtype=object)
    return Kpi(
        field=fld,
        value=math.fsum(values[known].tolist()) if known.any() else None,
        # a sum that leaves out undisclosed plants is a lower bound: 35 + 17 with two plants undisclosed is
        # "at least 52", not "52"
        qualifier=combine_qualifiers(list(set(quals[known].tolist()) | ({"at_least"} if (~known).any() else set()))),
        n_plants=len(plants),
        disclosed=tuple(names[known].tolist()),
        not_disclosed=tuple(names[~known].tolist()),
        derived=tuple(zip(names[derived].tolist(), values[derived].tolist(), strict=True)),
        programme_total=total,
        programme_qualifier=tq,
    )


def compute_kpis(plants: pd.DataFrame, programme: pd.DataFrame, scope: str = "approved") -> Kpis:
    """The five KPIs of the plants shown, against the stated totals of the ``scope`` (a SCOPES code)."""
    target = SCOPE.get(scope, SCOPES[0]).programme
    total, tq = programme_value(programme, "plants_count", target)
    projects = programme_rows(plants)
    return Kpis(
        investment=compute_kpi(projects, programme, "investment_kzt_bn", target),
        medicines=compute_kpi(projects, programme, "medicines_count", target),
        socially_significant=compute_kpi(projects, programme, "socially_significant_count", target),
        jobs=compute_kpi(projects, programme, "jobs", target),
        plants=Kpi(field="plants", value=float(len(projects)), n_plants=len(projects),
                   disclosed=tuple(projects["name"].tolist()), programme_total=total, programme_qualifier=tq),
    )


def status_on(plants: pd.DataFrame, events: pd.DataFrame, day: date | None) -> pd.DataFrame:
    """The plants as they stood on ``day``: ``status`` is the status then, and a plant whose status
    events all come later is left out (not yet in the programme). ``None``: the data as it is."""
    if day is None or events.empty:
        return plants
    statuses = status_at(events, day)
    tracked = {pid for cell in events.loc[events["status_after"] != "", "plant_id"] for pid in split(cell)}
    ids = cast(pd.Series, plants["plant_id"])
    keep = ids.isin(list(statuses)) | ~ids.isin(list(tracked))
    out = cast(pd.DataFrame, plants[keep]).copy()
    out["status"] = cast(pd.Series, out["plant_id"]).map(statuses).fillna(cast(pd.Series, out["status"]))
    return out


def convert(kzt_bn: float | None, fx: pd.DataFrame, currency: str) -> tuple[float | None, dict | None]:
    """bn KZT -> millions of ``currency``, with the rate row used (None if no rate)."""
    hit = fx[(fx["currency"] == currency) & ((fx["use"] == "default") if "use" in fx else True)]
    if kzt_bn is None or not len(hit):
        return None, None
    rate = hit.iloc[0].to_dict()
    return kzt_bn * 1000 / rate["kzt_per_unit"], rate


# --------------------------------------------------------------------------- therapeutic areas


def area_attribution(plants: pd.DataFrame, area_codes: list[str]) -> dict[str, list[str]]:
    """Area code -> plant_ids a source attributes it to (empty list: programme-level only)."""
    out = {code: [] for code in area_codes}
    pairs = cast(pd.DataFrame, plants[["plant_id", "areas"]]).explode("areas").dropna(subset=["areas"])
    for code, ids in pairs.groupby("areas", sort=False)["plant_id"]:
        out[str(code)] = ids.tolist()  # the groups' keys are the area codes
    return out


def name_list(items, limit: int = 3) -> str:
    """'A, B, C' or 'A, B, C and 97 more plants': messages stay short with thousands of plants."""
    items = list(items)
    if len(items) <= limit:
        return ", ".join(items)
    return t("{names} and {n} more plants", names=", ".join(items[:limit]), n=number(len(items) - limit))


def explain_area_selection(selected: tuple[str, ...], plants: pd.DataFrame, labels: dict[str, str],
                           attribution: dict[str, list[str]] | None = None) -> list[str]:
    """Sentences explaining what an area selection cannot show (``attribution``: of ``plants``, if known)."""
    if not selected:
        return []
    attribution = attribution if attribution is not None else area_attribution(plants, list(labels))
    msgs = []
    programme_only = [t(labels.get(c, c)) for c in selected if not attribution.get(c)]
    if programme_only:
        msgs.append(t("{areas}: named in the programme as a whole, but no source attributes this to a "
                      "specific plant, so no plant is shown for it.", areas=", ".join(programme_only)))
    unknown = plants[plants["areas"].map(len) == 0]["name"].tolist()
    if unknown:
        msgs.append(t("The therapeutic areas of {names} are not disclosed, so they are hidden while an area "
                      "is selected.", names=name_list(unknown)))
    return msgs


# --------------------------------------------------------------------------- colour categories

# Okabe & Ito (2008), distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442"]
UNKNOWN_COLOUR = "#BDBDBD"  # light grey: distinct from every palette colour under simulated CVD
OTHER_COLOUR = "#404040"


def category_of(value) -> str:
    """The colour category of a cell: first of ';'-separated values, or 'not disclosed'."""
    if not isinstance(value, str) or not value.strip():
        return NOT_DISCLOSED
    parts = [v.strip() for v in value.split(";") if v.strip()]
    return parts[0] if len(parts) == 1 else " / ".join(parts)


def colour_map(plants: pd.DataFrame, column: str) -> dict[str, str]:
    """Category -> colour, biggest investment first so the largest plants get the strongest colours.

    Stable for a given table: built from all plants, not the filtered ones, so a plant
    keeps its colour while filters change.
    """
    cats = plants.assign(_cat=plants[column].map(category_of))
    cat = cast(pd.Series, cats["_cat"])
    totals = cast(pd.Series, cats[cat != NOT_DISCLOSED].groupby("_cat")["investment_kzt_bn"].sum())  # one per category
    order = cast(list[str], totals.sort_values(ascending=False, kind="stable").index.tolist())
    out = {c: PALETTE[i] if i < len(PALETTE) else OTHER_COLOUR for i, c in enumerate(order)}
    if (cat == NOT_DISCLOSED).any():
        out[NOT_DISCLOSED] = UNKNOWN_COLOUR
    return out


def investment_bounds(plants: pd.DataFrame) -> tuple[float, float]:
    inv = cast(pd.Series, plants["investment_kzt_bn"]).dropna()
    if inv.empty:
        return 0.0, 0.0
    return float(math.floor(inv.min())), float(math.ceil(inv.max()))
