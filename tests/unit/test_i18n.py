"""Catalogues complete and consistent; numbers and dates per language; Kazakh letters everywhere.

The catalogues are checked against what Babel extracts from the code with babel.cfg, in memory
(nothing is written into the repository): `make i18n` brings them in line.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import date
from functools import lru_cache
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from core import fmt, i18n
from core.i18n import LANGS, catalogue, long_date, number, t, use

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "i18n"
KAZAKH = set("әғқңөұүі")  # һ is rare in Kazakh words; the page and exports are checked with it elsewhere
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
PLURAL_FORMS = {
    "en": "nplurals=2; plural=(n != 1);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "kk": "nplurals=2; plural=(n != 1);",
}


@pytest.fixture(autouse=True)
def english_after():
    yield
    use("en")


@lru_cache(maxsize=1)
def used_messages() -> frozenset[str]:
    """Every message the code marks, as `pybabel extract -F babel.cfg .` finds it."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)
    found = frozenset(m for _, _, m, _, _ in extract_from_dir(str(ROOT), method_map, options_map))
    assert all(isinstance(m, str) for m in found), "plural messages are not used"
    return frozenset(str(m) for m in found)


def po_path(lang: str) -> Path:
    return FOLDER / lang / "LC_MESSAGES" / "messages.po"


def read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, abort_invalid=True)


def entries(cat: Catalog) -> dict[str, str]:
    return {str(m.id): str(m.string) for m in cat if m.id}


def test_extraction_reads_the_syntax_tree():
    code = b'''
html = f"<h4>{t('In an f-string')}</h4>"
kind = t(rate["rate_type"])
AREAS = [N_("Marked"), other("Not a message")]
text = t("Filled {n}", n=3)
'''
    found = [m for _, m, _, _ in extract("core.i18n:extract", BytesIO(code), keywords={"t": None, "N_": None})]
    assert found == ["In an f-string", "Marked", "Filled {n}"]


def test_the_code_marks_messages():
    assert len(used_messages()) > 200
    assert {"All areas", "step {k} of {n}", "Legend"} <= used_messages()  # "Legend" sits in an f-string


@pytest.mark.parametrize("lang", ["template", *LANGS])
def test_catalogue_has_every_message_and_no_other(lang):
    cat = read(FOLDER / "messages.pot" if lang == "template" else po_path(lang))
    have, used = set(entries(cat)), used_messages()
    assert sorted(used - have) == [], "missing from the catalogue: run make i18n"
    assert sorted(have - used) == [], "no longer used by the code: run make i18n"
    assert sorted(str(m) for m in cat.obsolete) == [], "obsolete (#~) messages: run make i18n"


@pytest.mark.parametrize("lang", LANGS)
def test_translations_are_complete_and_reviewed(lang):
    cat = read(po_path(lang))
    assert not cat.fuzzy, "the catalogue's header is marked fuzzy: pybabel compile would skip it"
    assert sorted(str(m.id) for m in cat if m.id and m.fuzzy) == [], "fuzzy: check the translation, then unmark it"
    if lang != "en":  # English is the source language: empty msgstrs show the msgid
        assert sorted(m for m, text in entries(cat).items() if not text.strip()) == [], "not translated"


@pytest.mark.parametrize("lang", LANGS)
def test_translations_keep_placeholders(lang):
    for msg, text in entries(read(po_path(lang))).items():
        if text:
            assert sorted(set(PLACEHOLDER.findall(msg))) == sorted(set(PLACEHOLDER.findall(text))), msg


@pytest.mark.parametrize("lang", LANGS)
def test_catalogue_headers(lang):
    headers = dict(read(po_path(lang)).mime_headers)
    assert headers["Language"] == lang
    assert headers["Plural-Forms"] == PLURAL_FORMS[lang]
    assert headers["Content-Type"] == "text/plain; charset=utf-8"


def test_every_catalogue_compiles(tmp_path):
    """`pybabel compile --statistics` on a copy of the catalogues: no errors, nothing skipped as fuzzy."""
    for lang in LANGS:
        (tmp_path / lang / "LC_MESSAGES").mkdir(parents=True)
        shutil.copy(po_path(lang), tmp_path / lang / "LC_MESSAGES" / "messages.po")
    out = subprocess.run([sys.executable, "-m", "babel.messages.frontend", "compile", "--statistics",
                          "-d", str(tmp_path), "-D", "messages"], capture_output=True, text=True)
    log = out.stdout + out.stderr
    assert out.returncode == 0, log
    assert "error" not in log and "skipping" not in log, log
    n = len(used_messages())
    for lang in LANGS:
        assert (tmp_path / lang / "LC_MESSAGES" / "messages.mo").stat().st_size > 0
        if lang != "en":
            assert f"{n} of {n} messages (100%) translated in {tmp_path / lang}" in log, log


@pytest.mark.parametrize("lang,message,expected", [
    ("ru", "All areas", "Все области"), ("kk", "All areas", "Барлық салалар"),
    ("ru", "Filters", "Фильтры"), ("kk", "Filters", "Сүзгілер"), ("en", "Filters", "Filters"),
])
def test_t_translates(lang, message, expected):
    use(lang)
    assert t(message) == expected
    if lang != "en":
        assert catalogue(lang)[message] == expected


def reload():
    """Forget the compiled catalogues this process holds: the next lookup reads them again."""
    for cached in (i18n._compiled, i18n.translations, i18n.catalogue):
        cached.cache_clear()


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    """core.i18n reading its catalogues from a scratch folder holding a copy of the Russian one."""
    (tmp_path / "ru" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(po_path("ru"), tmp_path / "ru" / "LC_MESSAGES" / "messages.po")
    monkeypatch.setattr(i18n, "FOLDER", tmp_path)
    reload()
    yield tmp_path / "ru" / "LC_MESSAGES"
    monkeypatch.undo()
    reload()


def test_a_missing_mo_is_compiled_in_place(scratch):
    assert not (scratch / "messages.mo").exists()
    use("ru")
    assert t("All areas") == "Все области"
    assert sorted(p.name for p in scratch.iterdir()) == ["messages.mo", "messages.po"]  # no temporary file left
    compiled = {str(m.id): str(m.string) for m in read(scratch / "messages.po") if m.id and m.string and not m.fuzzy}
    assert catalogue("ru") == compiled


def test_a_stale_mo_is_compiled_again_and_a_fresh_one_is_kept(scratch):
    use("ru")
    t("All areas")
    mo, po = scratch / "messages.mo", scratch / "messages.po"
    first = mo.stat()
    reload()
    assert t("All areas") == "Все области"
    assert mo.stat().st_ino == first.st_ino, "an up-to-date .mo is read, not rewritten"
    po.write_text(po.read_text(encoding="utf-8").replace('"Все области"', '"Все области!"'), encoding="utf-8")
    edited = po.stat().st_mtime_ns
    os.utime(mo, ns=(edited - 10**9, edited - 10**9))  # the .mo predates the edit
    reload()
    assert t("All areas") == "Все области!"
    assert mo.stat().st_ino != first.st_ino and mo.stat().st_mtime_ns >= edited


def test_a_read_only_checkout_compiles_in_memory(scratch, monkeypatch):
    def refuse(*_args):
        raise PermissionError("read-only")
    monkeypatch.setattr(i18n.os, "replace", refuse)
    use("ru")
    assert t("All areas") == "Все области"
    assert sorted(p.name for p in scratch.iterdir()) == ["messages.po"]


def test_kazakh_catalogue_uses_kazakh_letters():
    assert set("".join(catalogue("kk").values())) >= KAZAKH


@pytest.mark.parametrize("lang,value,decimals,expected", [
    ("en", 12345.67, 1, "12,345.7"), ("ru", 12345.67, 1, "12\xa0345,7"), ("kk", 12345.67, 1, "12\xa0345,7"),
    ("en", 356, 0, "356"), ("ru", 173.4, 1, "173,4"),
])
def test_numbers_per_language(lang, value, decimals, expected):
    use(lang)
    assert number(value, decimals) == expected


@pytest.mark.parametrize("lang,expected", [("en", "58.5 bn KZT"), ("ru", "58,5 млрд ₸"), ("kk", "58,5 млрд ₸")])
def test_money(lang, expected):
    use(lang)
    assert fmt.bn_kzt(58.5) == expected


@pytest.mark.parametrize("lang,expected,babel", [
    ("en", "22 January 2026", "January 22, 2026"),  # Babel's English long date is in US order
    ("ru", "22 января 2026", "22 января 2026\u202fг."),  # its "г." would double a sentence's full stop
    ("kk", "2026\u202fж. 22 қаңтар", "2026\u202fж. 22 қаңтар"),
])
def test_dates(lang, expected, babel):
    use(lang)
    assert fmt.date_long("2026-01-22") == expected
    assert long_date(date(2026, 1, 22)) == babel


@pytest.mark.parametrize("lang,expected", [("en", "at least 200"), ("ru", "не менее 200"), ("kk", "кемінде 200")])
def test_qualifiers(lang, expected):
    use(lang)
    assert fmt.figure(200, "at_least") == expected


def test_unknown_language_falls_back_to_english():
    assert use("fr") == "en"
    assert t("Filters") == "Filters"


@pytest.mark.parametrize("lang,expected", [("ru", "шаг 2 из 6"), ("kk", "6 қадамның 2-қадамы")])
def test_placeholders_fill_in(lang, expected):
    use(lang)
    assert t("step {k} of {n}", k=2, n=6) == expected
