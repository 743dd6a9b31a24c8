"""Development switches around one script run (off unless their environment variable is set).

- ``PHARMAMAP_PROFILE=path``: write a pyinstrument report of each rerun to ``path`` (scripts/profile_rerun.py);
- ``PHARMAMAP_TIMING=1``: print ``{"rerun_ms": ...}`` after each rerun (read by scripts/benchmark.py).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable


def run(main: Callable[[], None]) -> None:
    if os.environ.get("PHARMAMAP_PROFILE"):
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005)
        profiler.start()
        main()
        profiler.stop()
        with open(os.environ["PHARMAMAP_PROFILE"], "w", encoding="utf-8") as fh:
            fh.write(profiler.output_text(unicode=True, color=False))
    elif os.environ.get("PHARMAMAP_TIMING") == "1":
        t0 = time.perf_counter()
        main()
        print(json.dumps({"rerun_ms": round((time.perf_counter() - t0) * 1000, 1)}), flush=True)
    else:
        main()
