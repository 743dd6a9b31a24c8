"""Three languages: English, Russian, Kazakh.

Messages are looked up by their English text (gettext style): ``t("Plants shown: {n}", n=3)``.
The catalogues are gettext files, ``i18n/<lang>/LC_MESSAGES/messages.po``, with the English
text as msgid; ``make i18n`` extracts the messages (babel.cfg) into ``i18n/messages.pot`` and
updates the catalogues, and a test fails when a message used in the code is missing from any
catalogue, or a catalogue holds one the code no longer uses. English is the source language:
its msgstrs stay empty and the msgid is shown.

The compiled ``messages.mo`` files are build outputs (gitignored): the first lookup in a
language compiles a missing or stale one here, so ``make run`` and a plain ``streamlit run
app.py`` both work on a fresh clone.

The language of the current script run is a context variable, so concurrent sessions (each
runs in its own thread) never see each other's language. Numbers and dates go through Babel.
"""

from __future__ import annotations

import ast
import gettext
import os
import tempfile
from collections.abc import Collection, Iterator
from contextvars import ContextVar
from datetime import date
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import IO

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

LANGS = ("en", "ru", "kk")
NAMES = {"en": "English", "ru": "Русский", "kk": "Қазақша"}
FOLDER = Path(__file__).resolve().parents[1] / "i18n"
DOMAIN = "messages"
_lang: ContextVar[str] = ContextVar("lang", default="en")


def compile_po(po: Path) -> bytes:
    """The .mo bytes of a .po catalogue (fuzzy and empty translations left out, as gettext does)."""
    with po.open("rb") as f:
        cat = read_po(f)
    out = BytesIO()
    write_mo(out, cat)
    return out.getvalue()


@cache
def _compiled(lang: str) -> bytes:
    """The language's compiled catalogue; compiled from its .po when the .mo is missing or older.

    The new .mo is written to a temporary file and renamed over the old one, so another process
    never reads half a file; a checkout that cannot be written to uses the compiled bytes as they are.
    """
    folder = FOLDER / lang / "LC_MESSAGES"
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if not po.exists():
        return b""
    try:
        if mo.stat().st_mtime_ns >= po.stat().st_mtime_ns:
            return mo.read_bytes()
    except OSError:
        pass  # no .mo yet
    data = compile_po(po)
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{DOMAIN}.", suffix=".tmp.mo", dir=folder)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes it private to this user
        os.replace(tmp, mo)
    except OSError:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
    return data


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The language's compiled catalogue as stdlib gettext translations (English: none needed)."""
    data = _compiled(lang)
    return gettext.GNUTranslations(BytesIO(data)) if data else gettext.NullTranslations()


@cache
def catalogue(lang: str) -> dict[str, str]:
    """English message -> its translation, for every message the compiled catalogue translates."""
    data = _compiled(lang)
    if not data:
        return {}
    return {m.id: m.string for m in read_mo(BytesIO(data))
            if m.id and isinstance(m.id, str) and m.string and isinstance(m.string, str)}


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
    text = translations(current()).gettext(message)
    return text.format(**values) if values else text


def extract(fileobj: IO[bytes], keywords: Collection[str], _comment_tags: Collection[str],
            **_options) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extraction method (babel.cfg): the literal first argument of every ``t(...)`` and ``N_(...)``.

    It reads the syntax tree. Babel's own ``python`` method reads tokens: on Python 3.11 it
    misses calls inside f-strings and takes ``t(rate["rate_type"])`` for the message "rate_type".
    """
    found = []
    for node in ast.walk(ast.parse(fileobj.read())):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in keywords
                and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            found.append((node.lineno, node.col_offset, node.func.id, node.args[0].value))
    for lineno, _, funcname, message in sorted(found):
        yield lineno, funcname, message, []


def number(value: float, decimals: int = 0) -> str:
    """Grouped number in the current language: 12,345.6 / 12 345,6."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=current())


def percent(value: float, decimals: int = 0) -> str:
    """'23 %' in the current language; with ``decimals``, up to that many (0.4 % stays readable)."""
    if not decimals:
        return format_percent(value, locale=current())
    pattern = Locale.parse(current()).percent_formats[None].pattern  # the language's own: '#,##0 %' in ru
    return format_percent(value, format=pattern.replace("0", "0." + "#" * decimals, 1), locale=current())


def long_date(value: date) -> str:
    return format_date(value, "long", locale=current())
