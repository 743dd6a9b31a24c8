"""The map's browser code (static/pharmamap/map.js) uses a few private Leaflet members, listed in one
place, static/pharmamap/leaflet-private.json. Each must exist, where map.js expects it, in the Leaflet
the app serves; map.js must use no other, and the partners map's code (partners.js) none at all. A
Leaflet upgrade that renames or moves one fails here, not in a user's browser."""

from __future__ import annotations

import json
import re

import pytest

from core.assets import PHARMAMAP_DIR, ensure_leaflet, leaflet_source

PRIVATE = json.loads((PHARMAMAP_DIR / "leaflet-private.json").read_text(encoding="utf-8"))
MEMBERS = {m["name"]: m for m in PRIVATE["members"]}
OWN = PRIVATE["own"]
CODE = (PHARMAMAP_DIR / "map.js").read_text(encoding="utf-8")
PARTNERS_CODE = (PHARMAMAP_DIR / "partners.js").read_text(encoding="utf-8")
SOURCE = (leaflet_source() / "leaflet-src.js").read_text(encoding="utf-8")  # readable, same release
BANNER = re.compile(r"Leaflet (\d+\.\d+\.\d+), a JS library for interactive maps")


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> str:
    """leaflet.js exactly as the app copies it into static/ and serves it (core/assets.py)."""
    return (ensure_leaflet(tmp_path_factory.mktemp("static")) / "leaflet.js").read_text(encoding="utf-8")


def class_body(owner: str) -> str:
    """The source of ``var <owner> = <Base>.extend({ ... });`` in leaflet-src.js."""
    start = re.search(rf"^  var {owner} = \w+\.extend\(\{{", SOURCE, re.M)
    assert start, f"no class {owner} in leaflet-src.js"
    end = SOURCE.index("\n  });\n", start.end())
    return SOURCE[start.end():end]


def test_the_list_is_for_the_leaflet_served(served):
    versions = [BANNER.search(text) for text in (served, SOURCE)]
    assert all(versions), "no Leaflet banner"
    assert {v.group(1) for v in versions if v} == {PRIVATE["leaflet"]}, (
        "Leaflet changed: check every member in leaflet-private.json against it, then update 'leaflet'")


@pytest.mark.parametrize("name", sorted(MEMBERS))
def test_each_private_member_exists_in_the_served_leaflet(name, served):
    member = MEMBERS[name]
    owner, kind = member["owner"], member["kind"]
    assert re.search(rf"\bexports\.{owner} = {owner};", SOURCE), f"L.{owner} is not public"
    body = class_body(owner)
    if kind == "method":
        assert re.search(rf"^\s*{name}: function\b", body, re.M), f"L.{owner} has no method {name}"
        assert re.search(rf"[{{,]{name}:function\b", served), f"served leaflet.js defines no method {name}"
    elif kind == "field":
        assert re.search(rf"\bthis\.{name} = ", body), f"L.{owner} sets no field {name}"
        assert re.search(rf"\.{name}=", served), f"served leaflet.js sets no field {name}"
    else:
        pytest.fail(f"{name}: unknown kind {kind!r}")
    assert member["use"], "say how map.js uses it"


def private_members(code: str) -> set[str]:
    return set(re.findall(r"\.(_[A-Za-z]\w*)", code)) | set(re.findall(r"""\[\s*['"](_\w+)['"]\s*\]""", code))


def test_map_js_uses_no_unlisted_private_member():
    used = private_members(CODE)
    unlisted = used - set(MEMBERS) - set(OWN)
    assert not unlisted, f"list these in static/pharmamap/leaflet-private.json: {sorted(unlisted)}"
    assert set(MEMBERS) <= used, f"listed but no longer used: {sorted(set(MEMBERS) - used)}"


def test_partners_js_uses_no_private_member():
    """The partners map needs only Leaflet's public API: nothing for this list to track."""
    assert private_members(PARTNERS_CODE) == set()
    assert "__ppp" in PARTNERS_CODE  # the check reads the file it means to


@pytest.mark.parametrize("name", sorted(OWN))
def test_own_properties_do_not_collide_with_leaflet(name, served):
    assert name.startswith("_ppm")
    assert name not in SOURCE and name not in served
    assert f".{name}" in CODE
