"""Number and label formatting (English). One place, so figures read the same everywhere."""

from __future__ import annotations

import pandas as pd

QUALIFIER_WORDS = {"exact": "", "about": "about ", "at_least": "at least "}
PRECISION_WORDS = {
    "site": "exact site",
    "zone": "approximate: zone named, site not disclosed",
    "district": "approximate: district only",
    "city": "approximate: city only",
    "region": "approximate: region only",
}
BASIS_WORDS = {"reported": "reported", "derived": "derived", "not_disclosed": "not disclosed",
               "unsourced": "source missing"}


def number(value: float, decimals: int = 0) -> str:
    return f"{value:,.{decimals}f}"


def bn_kzt(value: float | None) -> str:
    if value is None or pd.isna(value):
        return "not disclosed"
    return f"{value:,.1f} bn KZT"


def millions(value: float | None, currency: str) -> str:
    symbol = {"USD": "US$", "EUR": "€"}.get(currency, currency + " ")
    return "—" if value is None else f"{symbol}{value:,.1f} M"


def figure(value, qualifier: str = "exact", basis: str = "reported", unit: str = "") -> str:
    """'about 60', 'at least 200', '≈ 173 (derived)', 'not disclosed'."""
    if value is None or pd.isna(value):
        return "not disclosed"
    text = f"{QUALIFIER_WORDS.get(qualifier, '')}{value:,.0f}{unit}"
    if basis == "derived":
        text = f"≈ {value:,.0f}{unit} (derived)" if qualifier in ("exact", "about") else f"{text} (derived)"
    return text


def share(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def split_list(value) -> list[str]:
    if not isinstance(value, str):
        return []
    return [v.strip() for v in value.split(";") if v.strip()]


def date_long(value) -> str:
    """'2026-01-22' -> '22 January 2026'; anything unparsable is returned as given."""
    ts = pd.to_datetime(value, errors="coerce", format="%Y-%m-%d")
    return str(value) if pd.isna(ts) else f"{ts.day} {ts.strftime('%B %Y')}"
