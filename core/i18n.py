"""Three languages: English, Russian, Kazakh.

Messages are looked up by their English text (gettext style): ``t("Plants shown: {n}", n=3)``.
The catalogues are data files, ``i18n/<lang>.json``, mapping each English message to its
translation; a test fails when a message used in the code is missing from any catalogue, or a
catalogue holds one the code no longer uses.

The language of the current script run is a context variable, so concurrent sessions (each
runs in its own thread) never see each other's language. Numbers and dates go through Babel.
"""

from __future__ import annotations

import json
from contextvars import ContextVar
from datetime import date
from functools import cache
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

LANGS = ("en", "ru", "kk")
NAMES = {"en": "English", "ru": "Русский", "kk": "Қазақша"}
FOLDER = Path(__file__).resolve().parents[1] / "i18n"
_lang: ContextVar[str] = ContextVar("lang", default="en")


@cache
def catalogue(lang: str) -> dict[str, str]:
    path = FOLDER / f"{lang}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def use(lang: str) -> str:
    """Set the language of this script run; unknown codes fall back to English."""
    lang = lang if lang in LANGS else "en"
    _lang.set(lang)
    return lang


def current() -> str:
    return _lang.get()


def N_(message: str) -> str:
    """Mark a message for the catalogues without translating it yet (translated where shown)."""
    return message


def t(message: str, **values) -> str:
    """The message in the current language, with ``{name}`` placeholders filled in."""
    text = catalogue(current()).get(message) or message
    return text.format(**values) if values else text


def number(value: float, decimals: int = 0) -> str:
    """Grouped number in the current language: 12,345.6 / 12 345,6."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=current())


def percent(value: float) -> str:
    return format_percent(value, locale=current())


def long_date(value: date) -> str:
    return format_date(value, "long", locale=current())
