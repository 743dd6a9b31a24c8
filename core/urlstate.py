"""The view as URL query parameters, and back: a copied link reproduces the view.

Values in the URL are stable codes and slugs, never display text (which changes with the
language): ``?area=oncology&area=diabetes&region=almaty&company=nobel-almaty-pharmaceutical-factory
&inv=39-40&colour=country&plant=altinfarm&currency=USD&tab=table``. Unknown or malformed values
are dropped and reported, never raised.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from core import keys as K
from core.domain import COLOUR_SCHEMES, SCOPES
from core.i18n import LANGS, N_

COLOURS = {s.code: s.label for s in COLOUR_SCHEMES}  # URL code -> colour-by label
TABS = {"map": N_("Map & charts"), "timeline": N_("Timeline"), "partners": N_("Partners"), "market": N_("Market"),
        "table": N_("Table"), "sources": N_("Sources & method"), "export": N_("Export"), "data": N_("Your data")}
CURRENCIES = ("KZT", "USD", "EUR")
_RANGE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)\s*$")


def slug(text: str) -> str:
    """'Nobel Almaty Pharmaceutical Factory' -> 'nobel-almaty-pharmaceutical-factory'.

    Accents are dropped ('Nobel İlaç' -> 'nobel-ilac'); Cyrillic letters are kept."""
    text = unicodedata.normalize("NFKD", str(text).lower())
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return re.sub(r"[^\w]+", "-", text).strip("-")


@dataclass(frozen=True)
class ViewState:
    areas: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()  # display names (as in regions.geojson)
    companies: tuple[str, ...] = ()  # display names
    investment: tuple[float, float] | None = None
    colour: str = "company"
    plant: str | None = None
    currency: str = "KZT"
    tab: str = "map"
    present: bool = False
    projector: bool = False  # presentation mode for a projector: higher contrast, heavier lines
    step: int = 0  # index of the tour's step: the link's step=n is index n - 1 (step=0: -1, out of range)
    lang: str = "en"
    scope: str = "approved"
    as_of: date | None = None
    partner: str | None = None
    dropped: tuple[str, ...] = field(default=(), compare=False)


KEYS = (K.Q_AREA, K.Q_REGION, K.Q_COMPANY, K.Q_INVESTMENT, K.Q_COLOUR, K.Q_PLANT, K.Q_CURRENCY, K.Q_TAB, K.Q_LANG,
        K.Q_VIEW, K.Q_STEP, K.Q_SCOPE, K.Q_AS_OF, K.Q_PARTNER, K.Q_PROJECTOR)
MAX_VALUE = 200  # characters: longer than any code or slug the app writes
MAX_VALUES = 32  # values of one key (more areas than there are)
MAX_KEYS = 32  # keys read from one link
SHOWN = 40  # characters of an ignored value the note shows


def cut(text: str) -> str:
    """A value as the note shows it: its first characters, then '…'."""
    return text if len(text) <= SHOWN else text[:SHOWN] + "…"


def bounded(params: dict[str, list[str]]) -> tuple[dict[str, list[str]], list[str]]:
    """The known keys' values, each at most MAX_VALUE characters and MAX_VALUES a key; what was left out,
    cut for the note. Runs before any parsing, so a long link costs no more than a normal one."""
    kept: dict[str, list[str]] = {}
    dropped: list[str] = []
    items = list(params.items())
    for key, values in items[:MAX_KEYS]:
        if key not in KEYS:
            dropped.append(cut(key))
            continue
        for v in values[:MAX_VALUES]:
            if len(v) <= MAX_VALUE:
                kept.setdefault(key, []).append(v)
            else:
                dropped.append(f"{key}={cut(v)}")
        if len(values) > MAX_VALUES:
            dropped.append(f"{key}=… ×{len(values) - MAX_VALUES}")
    if len(items) > MAX_KEYS:
        dropped.append(f"… ×{len(items) - MAX_KEYS}")
    return kept, dropped


def parse_query(params: dict[str, list[str]], area_codes, regions, companies, plant_ids,
                investment_bounds: tuple[float, float], partner_ids=()) -> ViewState:
    """Read a query string (each key -> its values) against what the data offers. Unknown keys,
    overlong values and too many values are left out first (``bounded``); every value left out is
    reported in ``dropped``, cut to SHOWN characters."""
    params, dropped = bounded(params)

    def pick(key: str, allowed: dict[str, str]) -> tuple[str, ...]:
        out = []
        for v in params.get(key, []):
            if v in allowed:
                out.append(allowed[v])
            elif v != "":
                dropped.append(f"{key}={cut(v)}")
        return tuple(dict.fromkeys(out))

    def one(key: str, allowed, default):
        values = [v for v in params.get(key, []) if v != ""]
        if not values:
            return default
        if values[0] in allowed:
            dropped.extend(f"{key}={cut(v)}" for v in values[1:])
            return values[0]
        dropped.extend(f"{key}={cut(v)}" for v in values)
        return default

    for key in (K.Q_STEP, K.Q_INVESTMENT, K.Q_AS_OF):  # one value each: the first
        dropped.extend(f"{key}={cut(v)}" for v in params.get(key, [])[1:])
    step = 0
    for v in params.get(K.Q_STEP, [])[:1]:
        if v.isascii() and v.isdigit() and len(v) <= 4:
            step = int(v) - 1  # the link counts from 1, as the page does ("step 1 of 7"); the tour says if it lacks one
        else:
            dropped.append(f"{K.Q_STEP}={cut(v)}")
    investment = None
    for v in params.get(K.Q_INVESTMENT, [])[:1]:
        m = _RANGE.match(v)
        lo, hi = investment_bounds
        if m and float(m.group(1)) <= float(m.group(2)):
            a, b = max(lo, float(m.group(1))), min(hi, float(m.group(2)))
            if a <= b and (a, b) != (lo, hi):
                investment = (a, b)
        else:
            dropped.append(f"{K.Q_INVESTMENT}={cut(v)}")
    as_of = None
    for v in params.get(K.Q_AS_OF, [])[:1]:
        try:
            as_of = date.fromisoformat(v) if len(v) == 10 else None
        except ValueError:
            as_of = None
        if as_of is None or not date(2000, 1, 1) <= as_of <= date(2100, 1, 1):
            as_of = None
            dropped.append(f"{K.Q_AS_OF}={cut(v)}")
    return ViewState(
        areas=pick(K.Q_AREA, {c: c for c in area_codes}),
        regions=pick(K.Q_REGION, {slug(r): r for r in regions}),
        companies=pick(K.Q_COMPANY, {slug(c): c for c in companies}),
        investment=investment,
        colour=one(K.Q_COLOUR, COLOURS, "company"),
        plant=one(K.Q_PLANT, set(plant_ids), None),
        currency=one(K.Q_CURRENCY, CURRENCIES, "KZT"),
        tab=one(K.Q_TAB, TABS, "map"),
        present=one(K.Q_VIEW, ("normal", "present"), "normal") == "present",
        projector=one(K.Q_PROJECTOR, ("0", "1"), "0") == "1",
        step=step,
        lang=one(K.Q_LANG, LANGS, "en"),
        scope=one(K.Q_SCOPE, [s.code for s in SCOPES], "approved"),
        as_of=as_of,
        partner=one(K.Q_PARTNER, set(partner_ids), None),
        dropped=tuple(dropped),
    )


def to_query(state: ViewState) -> dict[str, list[str] | str]:
    """The query parameters for a view; defaults are left out to keep links short."""
    q: dict[str, list[str] | str] = {}
    if state.areas:
        q[K.Q_AREA] = list(state.areas)
    if state.regions:
        q[K.Q_REGION] = [slug(r) for r in state.regions]
    if state.companies:
        q[K.Q_COMPANY] = [slug(c) for c in state.companies]
    if state.investment is not None:
        q[K.Q_INVESTMENT] = f"{state.investment[0]:g}-{state.investment[1]:g}"
    if state.colour != "company":
        q[K.Q_COLOUR] = state.colour
    if state.plant:
        q[K.Q_PLANT] = state.plant
    if state.currency != "KZT":
        q[K.Q_CURRENCY] = state.currency
    if state.tab != "map":
        q[K.Q_TAB] = state.tab
    if state.scope != "approved":
        q[K.Q_SCOPE] = state.scope
    if state.as_of is not None:
        q[K.Q_AS_OF] = state.as_of.isoformat()
    if state.partner:
        q[K.Q_PARTNER] = state.partner
    if state.lang != "en":
        q[K.Q_LANG] = state.lang
    if state.present:
        q[K.Q_VIEW] = "present"
        if state.step > 0:
            q[K.Q_STEP] = str(state.step + 1)
        if state.projector:
            q[K.Q_PROJECTOR] = "1"
    return q
