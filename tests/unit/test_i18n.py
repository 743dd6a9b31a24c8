"""Catalogues complete and consistent; numbers and dates per language; Kazakh letters everywhere."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from core import fmt
from core.i18n import LANGS, catalogue, long_date, number, t, use
from scripts.i18n_extract import messages

ROOT = Path(__file__).resolve().parents[2]
KAZAKH = set("әғқңөұүі")  # һ is rare in Kazakh words; the page and exports are checked with it elsewhere


@pytest.fixture(autouse=True)
def english_after():
    yield
    use("en")


@pytest.mark.parametrize("lang", LANGS)
def test_catalogue_has_every_message_and_no_other(lang):
    cat = json.loads((ROOT / "i18n" / f"{lang}.json").read_text(encoding="utf-8"))
    used = messages()
    assert sorted(used - set(cat)) == [], "missing in the catalogue"
    assert sorted(set(cat) - used) == [], "no longer used by the code"
    assert all(v.strip() and not v.startswith("TODO") for v in cat.values())


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_translations_keep_placeholders_and_are_translated(lang):
    cat = catalogue(lang)
    for msg, text in cat.items():
        assert set(re.findall(r"\{(\w+)\}", msg)) == set(re.findall(r"\{(\w+)\}", text)), msg
    translated = sum(1 for m, v in cat.items() if m != v)
    assert translated / len(cat) > 0.95


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


def test_placeholders_fill_in():
    use("ru")
    assert t("step {k} of {n}", k=2, n=6) == "шаг 2 из 6"
