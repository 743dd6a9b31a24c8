"""Profile one warm rerun of the app with pyinstrument (the server side of a filter change).

    python scripts/profile_rerun.py 10000          # synthetic data with N plants
    python scripts/profile_rerun.py 4              # the bundled data
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from core import keys as K  # noqa: E402
from scripts.synthetic import write_synthetic  # noqa: E402


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 4
    with tempfile.TemporaryDirectory() as tmp:
        folder = ROOT / "data" if n == 4 else write_synthetic(Path(tmp) / "d", n)
        report = Path(tmp) / "profile.txt"
        os.environ.update(PHARMAMAP_DATA_DIR=str(folder), PHARMAMAP_OFFLINE="1", PHARMAMAP_PROFILE=str(report))
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        at.run()  # cold: imports, load, publish, the whole page
        at.multiselect(key=K.AREA).select("oncology")
        at.run()  # warm: what a filter change costs the server
        print(report.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
