"""Build ``data/countries.geojson`` (country outlines for the partners map) from Natural Earth.

Reproducible: the same package version, box and precision give the same file.

    python scripts/build_countries.py                       # runs `npm pack world-atlas@2.0.2` itself
    python scripts/build_countries.py --source countries-110m.json   # or use an unpacked copy

Source: the npm package ``world-atlas`` 2.0.2 (ISC, © Michael Bostock), file
``countries-110m.json``: Natural Earth 1:110m Admin 0 countries, version 4.1.0, as TopoJSON.
Natural Earth data is in the public domain.

What it does, and why:
- decodes the TopoJSON here, in plain Python (no topojson dependency): the arcs are
  quantized and delta-encoded, so each arc is rebuilt by a running sum of its (dx, dy)
  pairs and mapped to degrees with the topology's ``transform`` (scale, translate); a
  negative arc index ``~i`` means arc ``i`` reversed; consecutive arcs of a ring share
  their joining point, which is kept once;
- cuts the polygons that cross the antimeridian: world-atlas keeps them whole for
  spherical renderers (Russia's mainland ring runs from 26 E over 180 to -169 W; Wrangel
  Island too), which is an invalid, self-crossing ring on a flat map. Such a ring is
  unwrapped to continuous longitudes, clipped at 180, and the part beyond is shifted back
  by -360;
- keeps only the countries that intersect the Eurasia-North Africa box (lon -20..150,
  lat -5..75), each *whole* (Russia therefore keeps its Chukotka part beyond the
  antimeridian, at lon -180..-169);
- rounds coordinates to 3 decimals (about 100 m, far below the 1:110m generalisation),
  drops the points that rounding makes repeat, and checks every geometry is valid
  (``make_valid`` repairs the rare ring that rounding makes touch itself);
- stores the ISO 3166-1 numeric code (``id``, a 3-digit string; ``null`` for the three
  units Natural Earth gives none: N. Cyprus, Somaliland, Kosovo) and the English ``name``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

import shapely
import shapely.affinity
from shapely.geometry import box, mapping, shape

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "data" / "countries.geojson"
PACKAGE = "world-atlas@2.0.2"
MEMBER = "package/countries-110m.json"
BOX = (-20.0, -5.0, 150.0, 75.0)  # lon_min, lat_min, lon_max, lat_max
PRECISION = 3


# --------------------------------------------------------------------------- TopoJSON


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Absolute lon/lat points of every arc (quantized, delta-encoded -> degrees)."""
    tr = topology.get("transform")
    out = []
    for arc in topology["arcs"]:
        if tr:
            (sx, sy), (tx, ty) = tr["scale"], tr["translate"]
            x = y = 0
            pts = []
            for dx, dy in arc:
                x += dx
                y += dy
                pts.append((x * sx + tx, y * sy + ty))
        else:  # an unquantized topology stores absolute positions
            pts = [(float(p[0]), float(p[1])) for p in arc]
        out.append(pts)
    return out


def ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """Stitch the arcs of one ring; ``~i`` (negative) is arc ``i`` reversed."""
    pts: list[tuple[float, float]] = []
    for k, i in enumerate(indices):
        seg = arcs[i] if i >= 0 else arcs[~i][::-1]
        pts.extend(seg if k == 0 else seg[1:])  # the joining point is shared
    return pts


def geometry(geom: dict, arcs: list) -> dict | None:
    kind = geom.get("type")
    if kind == "Polygon":
        return {"type": "Polygon", "coordinates": [ring(r, arcs) for r in geom["arcs"]]}
    if kind == "MultiPolygon":
        return {"type": "MultiPolygon", "coordinates": [[ring(r, arcs) for r in poly] for poly in geom["arcs"]]}
    return None  # no other types in this object (null geometries are skipped)


# --------------------------------------------------------------------------- antimeridian


def _crosses(r: list[tuple[float, float]]) -> bool:
    return any(abs(b[0] - a[0]) > 180 for a, b in zip(r, r[1:], strict=False))


def _unwrap(r: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Continuous longitudes: a jump of more than 180 degrees goes the short way round."""
    out = [r[0]]
    shift = 0.0
    for (x0, _), (x1, y1) in zip(r, r[1:], strict=False):
        if x1 - x0 > 180:
            shift -= 360
        elif x1 - x0 < -180:
            shift += 360
        out.append((x1 + shift, y1))
    return out


def cut_antimeridian(geo: dict) -> dict:
    """Split polygons whose rings cross the antimeridian into parts inside -180..180."""
    polys = geo["coordinates"] if geo["type"] == "MultiPolygon" else [geo["coordinates"]]
    parts = []
    for poly in polys:
        if not any(_crosses(r) for r in poly):
            parts.append(shape({"type": "Polygon", "coordinates": poly}))
            continue
        ext = _unwrap(poly[0])
        if abs(ext[-1][0] - ext[0][0]) > 1e-9:  # circles a pole (Antarctica): not cut, left as it is
            parts.append(shape({"type": "Polygon", "coordinates": poly}))
            continue
        lo = min(x for x, _ in ext)
        holes = []
        for h in poly[1:]:
            h = _unwrap(h)
            k = round((lo - min(x for x, _ in h)) / 360)  # move the hole beside its exterior
            holes.append([(x + 360 * k, y) for x, y in h])
        g = shape({"type": "Polygon", "coordinates": [ext, *holes]})
        for k in (-1, 0, 1):  # the world copies west, on and east of -180..180
            piece = g.intersection(box(-180 + 360 * k, -90, 180 + 360 * k, 90))
            if not piece.is_empty:
                parts.append(shapely.affinity.translate(piece, xoff=-360 * k))
    if len(parts) == 1:
        return mapping(parts[0])
    polys = [q for p in parts for q in getattr(p, "geoms", [p]) if q.geom_type == "Polygon"]
    return mapping(shapely.MultiPolygon(polys))


# --------------------------------------------------------------------------- cleaning


def _round_ring(r: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for x, y in r:
        p = (round(x, PRECISION), round(y, PRECISION))
        if not out or p != out[-1]:
            out.append(p)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out


def _polygonal(g):
    if g.geom_type in ("Polygon", "MultiPolygon"):
        return g
    parts = [p for p in getattr(g, "geoms", []) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts)


def _coords(geo: dict) -> list:
    """Polygon rings as lists of tuples (mapping() gives nested tuples)."""
    polys = geo["coordinates"] if geo["type"] == "MultiPolygon" else [geo["coordinates"]]
    return [[[tuple(p) for p in r] for r in poly] for poly in polys]


def rounded(geo: dict):
    polys = _coords(geo)
    clean = []
    for poly in polys:
        rings = [_round_ring(r) for r in poly]
        rings = [r for r in rings if len(r) >= 4]
        if rings:
            clean.append(rings)
    g = shape({"type": "MultiPolygon", "coordinates": clean}) if len(clean) > 1 \
        else shape({"type": "Polygon", "coordinates": clean[0]})
    if not g.is_valid:
        g = _polygonal(shapely.make_valid(g))
        g = shapely.set_precision(g, 10**-PRECISION)
    return g


# --------------------------------------------------------------------------- build


def build(topology: dict) -> dict:
    arcs = decode_arcs(topology)
    window = box(*BOX)
    feats = []
    for g in topology["objects"]["countries"]["geometries"]:
        geo = geometry(g, arcs)
        if geo is None:
            continue
        geo = cut_antimeridian(geo)
        if not shape(geo).intersects(window):
            continue
        geom = rounded(geo)
        if geom.is_empty or not geom.is_valid:
            raise SystemExit(f"invalid geometry after rounding: {g.get('properties')}")
        feats.append({
            "type": "Feature",
            "id": g.get("id"),
            "properties": {"id": g.get("id"), "name": g["properties"]["name"]},
            "geometry": mapping(geom),
        })
    feats.sort(key=lambda f: f["properties"]["name"])
    return {
        "type": "FeatureCollection",
        "name": "countries-eurasia-north-africa",
        "source": f"Natural Earth 1:110m Admin 0 countries v4.1.0 (public domain), via npm {PACKAGE} "
                  "(countries-110m.json, ISC); countries intersecting lon -20..150, lat -5..75, kept whole",
        "features": feats,
    }


def load_source(path: Path | None) -> dict:
    if path is not None:
        return json.loads(path.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        name = subprocess.run(["npm", "pack", PACKAGE, "--pack-destination", tmp, "--silent"],
                              check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
        with tarfile.open(Path(tmp) / name) as tar:
            member = tar.extractfile(MEMBER)
            if member is None:
                raise SystemExit(f"{MEMBER} not found in {name}")
            return json.loads(member.read().decode("utf-8"))


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--source", type=Path, help="countries-110m.json (default: npm pack " + PACKAGE + ")")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args()
    data = build(load_source(args.source))
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(text.encode()) / 1024:.0f} KB, {len(data['features'])} countries)")


if __name__ == "__main__":
    main()
