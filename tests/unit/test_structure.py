"""Rules of the codebase that keep it honest: core/ is pure, docs name every column."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd

from core.data import PLANT_COLUMNS

ROOT = Path(__file__).resolve().parents[2]


def test_core_never_imports_streamlit():
    for path in (ROOT / "core").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            assert not any(n.split(".")[0] == "streamlit" for n in names), f"{path.name} imports streamlit"
    code = "import sys, core.data, core.domain, core.fmt, core.assets; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_data_readme_documents_every_plant_column():
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    header = pd.read_csv(ROOT / "data" / "plants.csv", nrows=0).columns.tolist()
    assert header == PLANT_COLUMNS
    for col in PLANT_COLUMNS:
        assert f"`{col}`" in readme, f"data/README.md does not document {col}"


def test_readme_gives_the_two_commands_first():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_screen = "\n".join(readme.splitlines()[:30])
    assert "make run" in first_screen and "make test" in first_screen
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, re.M)


def test_no_cdn_in_app_code():
    pattern = re.compile(r"cdn\.jsdelivr|cdnjs\.cloudflare|unpkg\.com|code\.jquery\.com|bootstrapcdn|d3js\.org")
    for path in list((ROOT / "core").glob("*.py")) + list((ROOT / "components").glob("*.py")) + [ROOT / "app.py"]:
        assert not pattern.search(path.read_text(encoding="utf-8")), path.name


def test_no_unsafe_html_in_app_code():
    """One exception: the side charts' SVG, escaped by core/svgchart.py and checked against its allowlist of
    elements and attributes (``svgchart.checked``) in the same statement that places it."""
    for path in list((ROOT / "components").glob("*.py")) + [ROOT / "app.py"]:
        text = path.read_text(encoding="utf-8")
        if path.name == "charts.py":
            (line,) = [ln for ln in text.splitlines() if "unsafe_allow_html" in ln]
            assert "drawing" in line and "drawing = svgchart.checked(svgchart.svg(" in text
            continue
        assert "unsafe_allow_html" not in text, path.name


# a key such as "filters.area"; not a file name such as "map.js"
KEY_LITERAL = re.compile(r"^(filters|map|view|tour|detail|url|table|export|upload)\.(?!(js|css|json)$)[a-z_0-9]+$")


def test_session_state_keys_are_named_only_in_core_keys():
    """Components, app.py and tests import key names from core/keys.py; none spells one as a string."""
    paths = [ROOT / "app.py", *(ROOT / "components").glob("*.py"), *(ROOT / "tests").rglob("*.py")]
    found = []
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and KEY_LITERAL.match(node.value):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value!r}")
    assert found == []


def test_data_readme_links_stay_inside_the_repository():
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)]+)\)", readme) + re.findall(r"`([^`\s]*\.\./[^`\s]*)`", readme)
    local = [t for t in targets if not t.startswith(("http://", "https://"))]
    assert not [t for t in local if t.startswith("..")], "data/README.md points outside the repository"
    for target in local:
        assert (ROOT / "data" / target.split("#")[0]).exists(), f"data/README.md links to a missing file: {target}"
    assert "sources/FACTS.md" in local
