"""Local copies of the browser assets the map needs, so nothing is fetched from a CDN.

Leaflet comes from the pinned PyPI package XStatic-Leaflet and is copied into ``static/``,
which Streamlit serves at ``/app/static/`` (``enableStaticServing`` in .streamlit/config.toml).
The copy is not committed: ``static/leaflet/`` is in .gitignore and made on first start.
The map's own browser code, ``static/pharmamap/map.js`` and ``map.css``, is committed and served
from there as it is.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import xstatic.pkg.leaflet as xleaflet

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
LEAFLET_URL = "/app/static/leaflet"
LEAFLET_JS = f"{LEAFLET_URL}/leaflet.js"
LEAFLET_CSS = f"{LEAFLET_URL}/leaflet.css"


PHARMAMAP_DIR = STATIC_DIR / "pharmamap"
PHARMAMAP_URL = "/app/static/pharmamap"


def versioned(name: str) -> str:
    """URL of a file of ``static/pharmamap`` with a digest of its content: Streamlit serves static files
    without a Cache-Control header, so a browser could keep an old copy after an update."""
    digest = hashlib.sha256((PHARMAMAP_DIR / name).read_bytes()).hexdigest()[:12]
    return f"{PHARMAMAP_URL}/{name}?v={digest}"


MAP_JS = versioned("map.js")
GUARD_JS = versioned("guard.js")  # the live map only: a message where the map would be if it cannot load
MAP_CSS = versioned("map.css")


def leaflet_source() -> Path:
    return Path(xleaflet.BASE_DIR)


def map_assets() -> dict[str, str]:
    """Text of every script and stylesheet the map loads, by the URL the page names it with (for a file
    that must open with no server: core.exports.standalone_html)."""
    src = leaflet_source()
    files = {LEAFLET_JS: src / "leaflet.js", LEAFLET_CSS: src / "leaflet.css",
             MAP_JS: PHARMAMAP_DIR / "map.js", MAP_CSS: PHARMAMAP_DIR / "map.css"}
    return {url: path.read_text(encoding="utf-8") for url, path in files.items()}


def ensure_leaflet(static_dir: Path = STATIC_DIR) -> Path:
    """Copy Leaflet's JS, CSS and images into ``static_dir/leaflet`` unless the same version is there."""
    target = static_dir / "leaflet"
    stamp = target / "VERSION"
    if stamp.exists() and stamp.read_text().strip() == xleaflet.VERSION:
        return target
    src = leaflet_source()
    tmp = static_dir / ".leaflet.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for name in ("leaflet.js", "leaflet.css"):
        shutil.copy2(src / name, tmp / name)
    if (src / "images").is_dir():
        shutil.copytree(src / "images", tmp / "images")
    (tmp / "VERSION").write_text(xleaflet.VERSION + "\n")
    shutil.rmtree(target, ignore_errors=True)
    tmp.rename(target)  # atomic on one filesystem: a browser never sees half a copy
    return target


CACHE_URL = "/app/static/cache"
CACHE_KEEP = 40  # published files kept; older ones are removed


def publish_json(obj, static_dir: Path = STATIC_DIR) -> str | None:
    """Write ``obj`` as a content-addressed JSON file under ``static/cache`` and return its URL.

    The browser fetches it once and caches it; the same content always gets the same name.
    Returns None when the folder is not writable (the caller then inlines the data).
    """
    import hashlib
    import json
    import os

    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]
    folder = static_dir / "cache"
    path = folder / f"{digest}.json"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            tmp = folder / f".{digest}.{os.getpid()}.tmp"
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(path)  # atomic: a browser never reads half a file
            old = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime)[:-CACHE_KEEP]
            for p in old:
                p.unlink(missing_ok=True)
    except OSError:
        return None
    return f"{CACHE_URL}/{path.name}"
