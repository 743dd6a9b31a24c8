"""Write a valid data folder of N synthetic plants with the real schema (for benchmarks and tests).

    python scripts/synthetic.py 10000 /tmp/plants-10000

Reference tables and regions are copied from data/; plants are placed uniformly at random
inside their region, so every row passes validation.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
from pathlib import Path

import shapely
from shapely.geometry import shape

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
REFERENCE = ["regions.geojson", "programme.csv", "programme_facts.csv", "therapeutic_areas.csv", "fx_rates.csv",
             "countries.geojson", "market.csv"]
# no events (statuses stay as written) and no partners: written empty, with their headers
EMPTY = {"events.csv": "event_id,date,plant_id,status_after,title,detail,figures_note,source,date_precision,"
                       "date_note,partner_ids,event_type\n",
         "partners.csv": "partner_id,name,country_code,country,country_numeric,hq_city,lat,lon,location_precision,"
                         "role,plant_ids,since,status,note,source,hq_basis,hq_source,point_source,unknown_slot\n"}
AREAS = ["oncology", "diabetes", "immunobiological", "antiviral", "anti_anaemic", "analgesic",
         "anti_inflammatory", "cold", "antimicrobial"]
COUNTRIES = ["China", "Turkey", "India", "Germany", "Kazakhstan", "Russia", "Italy", ""]
FOCUS = ["Oncology biologics", "Generics", "APIs", "Vaccines", "Insulins", "Antibiotics", "Infusions"]
PRECISIONS = ["site", "zone", "district", "city", "region"]
FIGURES = ["investment_kzt_bn", "medicines_count", "socially_significant_count", "jobs", "therapeutic_areas",
           "partners", "employees", "capacity", "operating_since"]
SOURCE = "https://example.org/synthetic"


def _points(geom, n: int, rng: random.Random) -> list[tuple[float, float]]:
    inner = geom.buffer(-0.02) if geom.buffer(-0.02).area > 0 else geom
    minx, miny, maxx, maxy = inner.bounds
    out: list[tuple[float, float]] = []
    while len(out) < n:
        xs = [rng.uniform(minx, maxx) for _ in range(max(16, 3 * (n - len(out))))]
        ys = [rng.uniform(miny, maxy) for _ in range(len(xs))]
        ok = shapely.contains_xy(inner, xs, ys)
        out.extend((round(y, 5), round(x, 5)) for x, y, k in zip(xs, ys, ok, strict=True) if k)
    return out[:n]


def write_synthetic(dest: Path, n: int, seed: int = 1) -> Path:
    rng = random.Random(seed)
    dest.mkdir(parents=True, exist_ok=True)
    for name in REFERENCE:
        shutil.copy2(DATA / name, dest / name)
    for name, header in EMPTY.items():
        (dest / name).write_text(header, encoding="utf-8")
    regions = json.loads((DATA / "regions.geojson").read_text(encoding="utf-8"))["features"]
    geoms = {f["properties"]["name"]: shape(f["geometry"]) for f in regions}
    names = list(geoms)
    assigned = [rng.choice(names) for _ in range(n)]
    pts = {r: iter(_points(geoms[r], assigned.count(r), rng)) for r in set(assigned)}
    companies = [f"Company {i:02d}" for i in range(40)]
    plants, prov = [], []
    for i, region in enumerate(assigned):
        lat, lon = next(pts[region])
        pid = f"p{i:05d}"
        inv = "" if rng.random() < 0.05 else f"{rng.lognormvariate(3, 0.9):.1f}"
        med = "" if rng.random() < 0.1 else str(rng.randint(5, 120))
        ss = "" if not med or rng.random() < 0.3 else str(rng.randint(0, int(med)))
        jobs = "" if rng.random() < 0.1 else str(rng.randint(20, 900))
        areas = ";".join(rng.sample(AREAS, rng.randint(0, 3)))
        country = rng.choice(COUNTRIES)
        partners = f"Partner {rng.randint(1, 60)}" if country else ""
        plants.append(row := {
            "plant_id": pid, "name": f"Synthetic plant {i}", "company": rng.choice(companies),
            "legal_name": f"ТОО «Синтетика {i}»", "region": region, "site": f"Site {i}", "lat": lat, "lon": lon,
            "location_precision": "", "location_note": "Synthetic point",
            "investment_kzt_bn": inv, "medicines_count": med, "socially_significant_count": ss, "jobs": jobs,
            "jobs_qualifier": rng.choice(["exact", "about", "at_least"]) if jobs else "",
            "therapeutic_areas": areas, "product_focus": rng.choice(FOCUS), "partners": partners,
            "partner_countries": country, "status": "approved", "approved_on": "2026-01-22",
            "sources": f"{SOURCE}/{pid}", "scope": "approved_2026_01_22", "related_plant_ids": "",
            "investment_qualifier": "exact" if inv else "", "site_precision": (precision := rng.choice(PRECISIONS)),
            "point_basis": "site" if precision == "site" else "unit_centroid", "point_source": "",
            "location_source": "", "approved_by": "", "operating_since": "", "employees": "",
            "employees_qualifier": "", "capacity": "", "context_note": "",
        })
        row["location_precision"] = row["site_precision"]
        values = {"investment_kzt_bn": inv, "medicines_count": med, "socially_significant_count": ss,
                  "jobs": jobs, "therapeutic_areas": areas, "partners": partners, "employees": "", "capacity": "",
                  "operating_since": ""}
        for fld in FIGURES:
            if not values[fld]:
                prov.append({"plant_id": pid, "field": fld, "basis": "not_disclosed", "source": "", "method": ""})
            elif fld == "medicines_count" and rng.random() < 0.1:
                prov.append({"plant_id": pid, "field": fld, "basis": "derived", "source": "",
                             "method": "synthetic derivation"})
            else:
                prov.append({"plant_id": pid, "field": fld, "basis": "reported", "source": f"{SOURCE}/{pid}",
                             "method": ""})
    for name, rows in (("plants.csv", plants), ("provenance.csv", prov)):
        with (dest / name).open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
    return dest


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("n", type=int)
    ap.add_argument("dest", type=Path)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    print(write_synthetic(args.dest, args.n, args.seed))


if __name__ == "__main__":
    main()
