"""Screenshot the dashboard in headless Chromium at a screen-share and a laptop size.

    python scripts/screenshots.py [--out test-output] [--query "?"]

Starts the app offline on a free port, waits for the map's markers, saves PNGs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright  # noqa: E402

from scripts.pages import open_dashboard  # noqa: E402
from scripts.server import CHROMIUM, CHROMIUM_ARGS, streamlit_server  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=Path("test-output"))
    ap.add_argument("--full-page", action="store_true")
    ap.add_argument("--query", default="", help="e.g. '?tab=export' or '?area=oncology&currency=USD'")
    ap.add_argument("--name", default="dashboard")
    ap.add_argument("--sizes", default="1920x1080,1366x768", help="comma-separated WxH")
    ap.add_argument("--markers", type=int, default=4, help="plants the view shows (the wait for the map)")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with streamlit_server() as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for w, h in [tuple(int(v) for v in size.split("x")) for size in args.sizes.split(",")]:
            page = browser.new_page(viewport={"width": w, "height": h})
            open_dashboard(page, url, args.query, markers=None if "tab=" in args.query else args.markers)
            if "view=present" in args.query:  # wait for the tour's flight to land
                page.frame_locator('iframe[src*="/component/streamlit_folium.st_folium/"]').locator(
                    ".leaflet-container[data-ppm-focus]").wait_for()
            page.wait_for_load_state("networkidle")  # lazily loaded widget bundles
            page.get_by_test_id("stMetricValue").first.wait_for()
            path = args.out / f"{args.name}-{w}x{h}.png"
            page.screenshot(path=str(path), full_page=args.full_page)
            print(path)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
