"""One measured run of aoav_data.validate() on a package folder: prints JSON (time, memory, problems).

The process is timed whole against the polars and DuckDB ones, so it does nothing validate() does not
need: no other module of the package is imported, and the size of the data (for the memory ratio) is
measured by the harness, not by parsing the tables again here.
"""

from __future__ import annotations

import json
import os
import sys
import time


def _status(key: str) -> int:
    """A memory figure of this process from /proc, in bytes."""
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    raise KeyError(key)


def main(folder: str) -> None:
    os.environ["AOAV_DATA_DIR"] = folder
    import aoav_data
    from aoav_data import cells  # noqa: F401 - imported before the baseline is taken

    baseline = _status("VmRSS")
    started = time.perf_counter()
    report = aoav_data.validate()
    elapsed = time.perf_counter() - started
    peak = _status("VmHWM")
    problems = [{"file": p.file, "record": p.record, "field": p.field, "message": p.message} for p in report.problems]
    print(json.dumps({"seconds": elapsed, "peak_increase": peak - baseline, "problems": problems}))


if __name__ == "__main__":
    main(sys.argv[1])
