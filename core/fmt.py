"""Number and label formatting, in the current language (core.i18n). One place, so figures read
the same everywhere: "about 60", "at least 200", "≈ 173 (derived)", "58.5 bn KZT" / "58,5 млрд ₸"."""

from __future__ import annotations

import pandas as pd

from core.i18n import N_, current, long_date, number, percent, t

QUALIFIERS = {"exact": "", "about": N_("about"), "at_least": N_("at least"), "more_than": N_("more than"),
              "at_most": N_("at most")}
PRECISIONS = {
    "site": N_("exact site"),
    "zone": N_("approximate: zone named, site not disclosed"),
    "district": N_("approximate: district only"),
    "city": N_("approximate: city only"),
    "region": N_("approximate: region only"),
}
BASES = {"reported": N_("reported"), "derived": N_("derived"), "not_disclosed": N_("not disclosed"),
         "not_applicable": N_("not applicable"), "unsourced": N_("source missing")}
# what the point drawn on the map is (plants.csv point_basis)
POINT_BASES = {"site": N_("the site itself"), "city_centroid": N_("approximate: the city's centre"),
               "region_admin_centre": N_("approximate: the region's administrative centre"),
               "unit_centroid": N_("approximate: the centre of the city or region")}
STATUSES = {"talks": N_("talks (prospective)"), "approved": N_("approved"),
            "agreement_signed": N_("agreement signed"), "under_construction": N_("under construction"),
            "operating": N_("operating")}
RATE_TYPES = (N_("official"), N_("market"))  # fx_rates.csv values, translated where shown


def qualifier_word(q: str) -> str:
    """'' / 'about ' / 'at least ' (with its space), translated."""
    word = QUALIFIERS.get(q, "")
    return f"{t(word)} " if word else ""


def precision_word(p: str) -> str:
    return t(PRECISIONS.get(p, p))


def point_word(p: str) -> str:
    return t(POINT_BASES.get(p, p))


def status_word(s: str) -> str:
    return t(STATUSES.get(s, s))


def basis_word(b: str) -> str:
    return t(BASES.get(b, b))


def not_disclosed() -> str:
    return t("not disclosed")


def bn_kzt(value: float | None, qualifier: str | None = "exact", basis: str | None = None) -> str:
    """'58.5 bn KZT', 'more than 103 bn KZT', 'not disclosed'; 'not applicable' where the figure does not exist
    for the row (``basis`` 'not_applicable': an existing plant has no programme investment)."""
    if basis == "not_applicable":
        return t("not applicable")
    if value is None or pd.isna(value):
        return not_disclosed()
    q = qualifier if isinstance(qualifier, str) else "exact"
    return qualifier_word(q) + t("{value} bn KZT", value=number(value, 1))


SYMBOLS = {"exact": "", "about": "≈ ", "at_least": "≥ ", "more_than": "> ", "at_most": "≤ "}  # short qualifiers
BOUNDS = {q: s for q, s in SYMBOLS.items() if q in ("more_than", "at_least", "at_most")}


def converted_prefix(qualifier: str | None) -> str:
    """The sign before a figure converted at a dated rate: '≈ ', or the bound the source gives ('> ' for "more
    than 103 bn KZT"): a conversion of a lower bound is a lower bound."""
    return BOUNDS.get(qualifier or "", "≈ ")


def rate_kind(rate) -> str:
    """How a rate of fx_rates.csv was set, as said beside it: 'official', 'market', or 'market, derived' for a
    mid-point worked out from exchange-office quotes (the EUR rate: no official one was found)."""
    kind = t(str(rate["rate_type"]))
    return t("{kind}, derived", kind=kind) if str(rate.get("basis", "")) == "derived" else kind


def millions(value: float | None, currency: str) -> str:
    if value is None:
        return "—"
    amount = number(value, 1)
    if current() == "en":
        return f"{ {'USD': 'US$', 'EUR': '€'}.get(currency, currency + ' ')}{amount} M"
    return t("{value} M {currency}", value=amount, currency={"USD": "$", "EUR": "€"}.get(currency, currency))


def figure(value, qualifier: str = "exact", basis: str = "reported", unit: str = "") -> str:
    """'about 60', 'at least 200', '≈ 173 (derived)', 'not disclosed', 'not applicable' (basis not_applicable)."""
    if basis == "not_applicable":
        return t("not applicable")
    if value is None or pd.isna(value):
        return not_disclosed()
    shown = f"{number(value)}{unit}"
    if basis == "derived":
        derived = t("derived")
        return f"≈ {shown} ({derived})" if qualifier in ("exact", "about") else \
            f"{qualifier_word(qualifier)}{shown} ({derived})"
    return f"{qualifier_word(qualifier)}{shown}"


def number_text(value: float) -> str:
    """A stated figure as written: 173, 316.3, 340.586 (no rounding of what a source printed)."""
    return number(value, 0) if float(value).is_integer() else number(value, len(f"{value}".split(".")[1]))


def share(value: float | None) -> str:
    return "—" if value is None else percent(value)


def split_list(value) -> list[str]:
    if not isinstance(value, str):
        return []
    return [v.strip() for v in value.split(";") if v.strip()]


def date_long(value) -> str:
    """'2026-01-22' -> '22 January 2026' / '22 января 2026 г.'; unparsable values come back as given."""
    ts = pd.to_datetime(value, errors="coerce", format="%Y-%m-%d")
    if pd.isna(ts):
        return str(value)
    if current() == "en":  # Babel's English 'long' is US order (January 22, 2026)
        return f"{ts.day} {ts.strftime('%B %Y')}"
    text = long_date(ts.date())
    # Russian 'long' ends in "г." ("22 января 2026 г."); inside a sentence that doubles the full stop
    return text.removesuffix("\u202fг.").removesuffix(" г.") if current() == "ru" else text
