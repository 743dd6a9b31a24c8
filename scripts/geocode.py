"""Propose points for plants rows: ``python -m scripts.geocode data/plants.csv --out data/plants.geocoded.csv``.

The gazetteer (places.csv beside regions.geojson) first, then Nominatim through geopy (one request a second,
answers cached in a JSON file), then the region's administrative centre; every point checked inside the row's
region. Writes the new file and a diff next to it (``<out stem>.diff.csv``, formula-safe, or ``.diff.md``);
never the input.
``--offline`` (or PHARMAMAP_OFFLINE=1) uses the gazetteer and the cache only and lists what it could not
resolve. Exit status: 0 done, 1 some rows unresolved, 2 bad arguments or input. See README "Geocoding".
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from core import geocode
from core.data import DEFAULT_DATA_DIR, PLANT_COLUMNS, REGIONS, load_regions, region_shapes
from core.exports import csv_bytes
from core.files import read_csv
from core.problems import Problem

DEFAULT_CACHE = geocode.CACHE


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m scripts.geocode", description=(__doc__ or "").split("\n\n")[0])
    ap.add_argument("input", type=Path, help="plants CSV (the plants.csv columns)")
    ap.add_argument("--out", type=Path, required=True, help="the new CSV to write (never the input)")
    ap.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR,
                    help="folder with regions.geojson and places.csv (default: the bundled data/)")
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help=f"Nominatim cache (default {DEFAULT_CACHE})")
    ap.add_argument("--offline", action="store_true", help="gazetteer and cache only (also PHARMAMAP_OFFLINE=1)")
    ap.add_argument("--diff", choices=("csv", "md"), default="md", help="diff format (default md)")
    ap.add_argument("--nominatim-domain", default="nominatim.openstreetmap.org", help="host[:port] of Nominatim")
    ap.add_argument("--scheme", choices=("http", "https"), default="https")
    ap.add_argument("--timeout", type=float, default=geocode.TIMEOUT_S, help="seconds per request")
    return ap.parse_args(argv)


def _fail(problems: list[Problem]) -> int:
    for p in problems:
        print(f"error: {p.text()}", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.out.resolve() == args.input.resolve():
        print(f"error: --out {args.out} is the input file; choose another path (the input is never overwritten)",
              file=sys.stderr)
        return 2
    diff_path = args.out.with_name(f"{args.out.stem}.diff.{args.diff}")
    if diff_path.resolve() == args.input.resolve():
        print(f"error: the diff {diff_path} would overwrite the input; choose another --out", file=sys.stderr)
        return 2
    problems: list[Problem] = []
    rows = read_csv(args.input, ["site", "region", "lat", "lon"], problems)
    regions = load_regions(args.data_dir / REGIONS, problems)
    if rows is None or regions is None:
        return _fail(problems)
    shapes = region_shapes(regions)
    places = geocode.load_places(args.data_dir / geocode.PLACES, problems, list(shapes))
    for p in problems:  # bad gazetteer rows are left out, and said
        print(f"warning: {p.text()}", file=sys.stderr)
    offline = args.offline or geocode.offline_from_env()
    cache = geocode.Cache.load(args.cache)
    if cache.problem:
        print(f"warning: {cache.problem}", file=sys.stderr)
    search = None if offline else geocode.nominatim_search(args.nominatim_domain, args.scheme, timeout=args.timeout)
    out, results = geocode.geocode_frame(rows, places, shapes, cache=cache, offline=offline, search=search)
    if cache.answers:
        cache.save()
    known = [c for c in PLANT_COLUMNS if c in out.columns]
    out = out[known + [c for c in out.columns if c not in known]]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    # a data file like the input (same columns first, cells as they were): the app reads it as plants.csv
    args.out.write_text(pd.DataFrame(out).to_csv(index=False), encoding="utf-8")
    if args.diff == "csv":
        diff_path.write_bytes(csv_bytes(geocode.diff_frame(results)))
    else:
        diff_path.write_text(geocode.diff_markdown(results), encoding="utf-8")
    changed = sum(r.status == "changed" for r in results)
    print(f"{len(results)} rows: {changed} changed, {sum(r.status == 'kept' for r in results)} kept, "
          f"{sum(r.status == 'unresolved' for r in results)} unresolved. Wrote {args.out} and {diff_path}.")
    missing = geocode.unresolved(results)
    if missing:
        print("Could not resolve" + (" (offline: gazetteer and cache only)" if offline else "") + ":")
        for r in missing:
            print(f"  row {r.row} ({r.plant_id}): " + "; ".join(r.messages))
    return 1 if any(r.status == "unresolved" for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
