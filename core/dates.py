"""Dates written at the precision they are known: "2026", "June 2025", "22 January 2026".

A year or a month from the data is never shown as a day: ``2026`` is not "1 January 2026".
In the current language (core.i18n), through Babel. Nothing here imports Streamlit.
"""

from __future__ import annotations

import re
from datetime import date

from babel.dates import format_skeleton

from core import fmt
from core.i18n import current, t

_ISO = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
_HALF = re.compile(r"^(\d{4})-H([12])$")


def _without_year_word(text: str) -> str:
    # Babel's Russian ends month-year dates in "г."; inside a sentence that doubles the full stop (as core.fmt)
    return text.removesuffix("\u202fг.").removesuffix(" г.") if current() == "ru" else text


def date_text(value: str) -> str:
    """``YYYY`` -> "2026"; ``YYYY-MM`` -> "June 2025"; ``YYYY-MM-DD`` -> "22 January 2026".

    Anything else (an empty cell, free text) comes back as given."""
    value = str(value).strip()
    m = _ISO.match(value)
    if not m:
        return value
    year, month, day = m.groups()
    if day:
        return fmt.date_long(value)
    if month:
        try:
            first = date(int(year), int(month), 1)
        except ValueError:
            return value
        return _without_year_word(format_skeleton("yMMMM", first, locale=current()))
    return year


def period_text(value: str) -> str:
    """A period as the data writes it (``2024``, ``2024-H1``, ``2025-06``) in words; free text as given."""
    value = str(value).strip()
    half = _HALF.match(value)
    if half:
        year, which = half.groups()
        return t("first half of {year}", year=year) if which == "1" else t("second half of {year}", year=year)
    return date_text(value)
