"""Streamlit's protections stay on, uploads are capped, and no secret is in the repository."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_xsrf_and_cors_keep_their_defaults_and_uploads_are_capped():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    server = config["server"]
    assert server.get("enableXsrfProtection", True) is True
    assert server.get("enableCORS", True) is True
    assert server["maxUploadSize"] == 5
    assert "cookieSecret" not in server


def test_no_secrets_in_the_repository():
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    assert not [f for f in files if Path(f).name in ("secrets.toml", ".env") or f.endswith((".pem", ".key"))]
    pattern = re.compile(r"cookieSecret\s*=|(?:api[_-]?key|token|password)\s*[=:]\s*['\"][^'\"]{8,}|"
                         r"AKIA[0-9A-Z]{16}|ghp_[0-9A-Za-z]{30,}|-----BEGIN [A-Z ]*PRIVATE KEY", re.IGNORECASE)
    hits = []
    for name in files:
        path = ROOT / name
        if path.suffix in (".py", ".toml", ".js", ".json", ".md", ".txt", ".cfg", ".yml", ".yaml", ".ini") \
                and path.is_file() and "node_modules" not in name and name != "tests/unit/test_config.py":
            hits += [f"{name}: {m.group(0)[:20]}" for m in pattern.finditer(path.read_text(encoding="utf-8",
                                                                                         errors="replace"))]
    assert hits == []
