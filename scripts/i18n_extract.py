"""List the messages the code translates, and bring the catalogues in line with them.

    python scripts/i18n_extract.py          # report what is missing or unused per language
    python scripts/i18n_extract.py --write  # add missing messages (English text as placeholder), drop unused

Messages are the first argument of ``t("...")`` and ``N_("...")`` calls (core/i18n.py).
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "app.py", *sorted((ROOT / "components").glob("*.py")), *sorted((ROOT / "core").glob("*.py"))]
LANGS = ("en", "ru", "kk")


def messages(paths=SOURCES) -> set[str]:
    found = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("t", "N_")
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.add(node.args[0].value)
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    wanted = messages()
    ok = True
    for lang in LANGS:
        path = ROOT / "i18n" / f"{lang}.json"
        cat = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        missing, unused = sorted(wanted - set(cat)), sorted(set(cat) - wanted)
        print(f"{lang}: {len(cat)} messages, {len(missing)} missing, {len(unused)} unused")
        ok &= not missing and not unused
        if args.write:
            new = {m: cat.get(m, m if lang == "en" else f"TODO {m}") for m in sorted(wanted)}
            path.write_text(json.dumps(new, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    sys.exit(0 if ok or args.write else 1)


if __name__ == "__main__":
    main()
