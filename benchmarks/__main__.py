"""Run every benchmark and print medians, spreads, ratios, peak memory and every target as met or
missed: `python -m benchmarks [--smoke] [--scale] [--sizes ...] [--reports ...]`.

Every comparison is whole process against whole process (start-up and imports included on both
sides), the commands alternated within one run (A B A B ..., after an untimed warm-up round), and
each reported time is the median of the repeats, with the spread of the runs around it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
from pathlib import Path
from typing import Any

from .engines import ONLY_OURS
from .scale import ONCE, scale
from .synthetic import ROOT, write_package
from .timing import Command, Sample, Targets, alternate, mib, python

BIN = Path(sys.executable).parent
LOAD_ALL = "import aoav_data\nfor t in aoav_data.tables(): aoav_data.load(t)"
# The floor for loading: Python, pandas, and a pyarrow read of every CSV converted to pandas.
PYARROW_ALL = (
    "import json, pandas, pyarrow.csv as pv\n"
    "for r in json.load(open('datapackage.json'))['resources']: pv.read_csv(r['path']).to_pandas()"
)
FRICTIONLESS_ALL = (
    "from frictionless import Package\np = Package('datapackage.json')\n"
    "for n in p.resource_names: p.get_resource(n).to_pandas()"
)


def _ratio_row(targets: Targets, name: str, ours: Sample, other: Sample, limit: float | None, target: str) -> str:
    ratio = ours.median / other.median
    met = None if limit is None else ratio <= limit
    verdict = "-" if limit is None else targets.verdict(f"{name} {target} (was {ratio:.2f}x)", met)
    return f"| {name} | {ours.shown()} | {other.shown()} | {ratio:.2f}x | {target} | {verdict} |"


def startup(runs: int, targets: Targets) -> list[str]:
    py = python()
    commands = {
        "one": Command([py, "-c", "import aoav_data; aoav_data.incidents()"], cwd=ROOT),
        "read_csv": Command([py, "-c", "import pandas as pd; pd.read_csv('csv/incidents.csv')"], cwd=ROOT),
        "every": Command([py, "-c", LOAD_ALL], cwd=ROOT),
        "pyarrow": Command([py, "-c", PYARROW_ALL], cwd=ROOT),
        "frictionless": Command([py, "-c", FRICTIONLESS_ALL], cwd=ROOT),
        "pass": Command([py, "-c", "pass"], cwd=ROOT),
        "pandas": Command([py, "-c", "import pandas"], cwd=ROOT),
        "cite": Command([str(BIN / "aoav-data"), "cite"], cwd=ROOT),
        "help": Command([str(BIN / "aoav-data"), "--help"], cwd=ROOT),
    }
    s = alternate(commands, runs)
    return [
        f"\nStart-up and loading: whole processes, alternated, median of {runs} runs after a warm-up round "
        "(± half the range of the runs):\n",
        "| command | ours | baseline | ratio | target | met |",
        "| --- | --- | --- | --- | --- | --- |",
        _ratio_row(targets, "import + incidents() vs pandas read_csv", s["one"], s["read_csv"], 1.15, "≤ 1.15x"),
        _ratio_row(targets, "every table typed vs pandas + pyarrow read of every CSV", s["every"], s["pyarrow"],
                   1.1, "≤ 1.1x"),
        _ratio_row(targets, "every table typed vs frictionless to_pandas", s["every"], s["frictionless"], 1 / 3,
                   "≤ 0.33x (3x faster)"),
        _ratio_row(targets, "aoav-data cite vs python -c pass", s["cite"], s["pass"], 4, "≤ 4x"),
        _ratio_row(targets, "aoav-data --help vs python -c pass", s["help"], s["pass"], 4, "≤ 4x"),
        _ratio_row(targets, "(floor) python -c 'import pandas' vs frictionless to_pandas", s["pandas"],
                   s["frictionless"], None, "-"),
    ]  # fmt: skip


Found = set[tuple[str, str | None, str | None]]


def _ours_found(out: dict[str, Any]) -> tuple[Found, Found]:
    """What validate() found, as (table, record, field): the rules every engine checks, and the rest."""
    shared: Found = set()
    only: Found = set()
    for p in out["problems"]:
        (only if ONLY_OURS.search(p["message"]) else shared).add((Path(p["file"]).stem, p["record"], p["field"]))
    return shared, only


def _engine_found(out: dict[str, Any]) -> Found:
    return {(p["table"], p["record"], p["field"]) for p in out["problems"]}


def _frictionless_found(stdout: str, folder: Path) -> set[tuple[str, str]]:
    import pyarrow.csv as pv

    report = json.loads(stdout)
    rows = {(t["name"], e["rowNumber"] - 2) for t in report["tasks"] for e in t["errors"] if "rowNumber" in e}
    lines = pv.ParseOptions(newlines_in_values=True)  # evidence quotes hold line breaks
    keys = {t: pv.read_csv(folder / "csv" / f"{t}.csv", parse_options=lines).column(k).to_pylist()
            for t, k in (("incidents", "incident_id"), ("evidence", "evidence_id"))}  # fmt: skip
    return {(t, str(keys[t][row])) for t, row in rows if t in keys}


def _text_bytes(folder: Path) -> int:
    """The data in memory: the two grown tables as Arrow columns of text (they do not load typed:
    they hold errors). Measured here, outside the timed processes."""
    from aoav_data.cells import read_text_table

    return sum(read_text_table((folder / "csv" / f"{t}.csv").read_bytes()).nbytes for t in ("incidents", "evidence"))


def _peak_ratio(sample: Sample, data: int) -> str:
    return f"{mib(sample.peak)} ({sample.peak / data:.2f}x)"


def validation(sizes: list[int], runs: int, targets: Targets, frictionless_max: int) -> list[str]:
    """ours (python -m benchmarks.validate_ours: import aoav_data, validate()), polars, DuckDB and
    frictionless, each a whole process, alternated at each size."""
    py = python()
    lines = [
        f"\nValidation of incidents and evidence grown to N rows with 10 injected errors: whole processes, "
        f"alternated, median of {runs} runs after a warm-up round; peak memory is the process's maximum "
        "resident set (and its ratio to the two grown tables as Arrow text). Errors are compared as "
        "(table, record, field) over the rules all three engines check.\n",
        "| rows | ours | polars | DuckDB | frictionless | ours / faster engine | frictionless / ours "
        "| µs per row (ours) | peak (ours) | peak polars / DuckDB | same errors |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    per_row: dict[int, float] = {}
    with tempfile.TemporaryDirectory(prefix="aoav-bench-") as tmp:
        for size in sizes:
            folder = Path(tmp) / f"n{size}"
            injected = write_package(folder, size)
            data = _text_bytes(folder)
            commands = {
                "ours": Command([py, "-m", "benchmarks.validate_ours", str(folder)], cwd=ROOT),
                "polars": Command([py, "-m", "benchmarks.validate_polars", str(folder)], cwd=ROOT),
                "duckdb": Command([py, "-m", "benchmarks.validate_duckdb", str(folder)], cwd=ROOT),
            }
            if size <= frictionless_max:
                fl = [str(BIN / "frictionless"), "validate", "--json", str(folder / "datapackage.json")]
                commands["frictionless"] = Command(fl, cwd=ROOT, ok=(0, 1))
            s = alternate(commands, runs, capture=True)
            ours_out = json.loads(s["ours"].stdout)
            shared, only = _ours_found(ours_out)
            polars, duckdb = (_engine_found(json.loads(s[e].stdout)) for e in ("polars", "duckdb"))
            rows = {(i.table, i.row) for i in injected}
            same = shared == polars == duckdb and len({(t, r) for t, r, _ in shared}) == len(rows)
            verdict = "yes" if same else "NO"
            if not same:
                targets.missed.append(f"same errors at {size:,} rows (ours {len(shared)}, polars {len(polars)}, "
                                      f"DuckDB {len(duckdb)})")  # fmt: skip
            detail = f"{verdict} ({len(shared)} (table, record, field) found by all, {len(only)} only ours checks"
            if "frictionless" in s:
                fl_found = _frictionless_found(s["frictionless"].stdout, folder)
                ours_rows = {(t, r) for t, r, _ in shared} | {(t, r) for t, r, _ in only}
                formula = {(t, r) for t, r, f in shared if (t, f) == ("evidence", "note")}  # frictionless lacks it
                fl_same = fl_found == ours_rows - formula
                detail += f"; frictionless: {'same' if fl_same else 'DIFFERENT'} records but the formula"
                fl_text = s["frictionless"].shown()
                vs_fl = f"{s['frictionless'].median / s['ours'].median:.1f}x"
            else:
                fl_text, vs_fl = "not run", "-"
            faster = min(s["polars"].median, s["duckdb"].median)
            per_row[size] = 1e6 * s["ours"].median / size
            lines.append(
                f"| {size:,} | {s['ours'].shown()} | {s['polars'].shown()} | {s['duckdb'].shown()} | {fl_text} "
                f"| {s['ours'].median / faster:.2f}x | {vs_fl} | {per_row[size]:.2f} "
                f"| {_peak_ratio(s['ours'], data)} "
                f"| {mib(s['polars'].peak)} / {mib(s['duckdb'].peak)} | {detail}) |"
            )
            print(lines[-1], file=sys.stderr, flush=True)
            if size == 1_000_000:
                ratio = s["ours"].median / faster
                lines.append(f"\nvalidate() at 1M rows vs polars/DuckDB (faster): {ratio:.2f}x, target ≤ 1.2x: "
                             + targets.verdict(f"validate() at 1M ≤ 1.2x polars/DuckDB (was {ratio:.2f}x)",
                                               ratio <= 1.2))  # fmt: skip
                if "frictionless" in s:
                    gain = s["frictionless"].median / s["ours"].median
                    lines.append(f"validate() at 1M rows vs frictionless: {gain:.1f}x faster, target ≥ 20x: "
                                 + targets.verdict(f"validate() at 1M ≥ 20x faster than frictionless (was {gain:.1f}x)",
                                                   gain >= 20))  # fmt: skip
                peak = s["ours"].peak / data
                lines.append(f"validate() at 1M rows, peak memory / data: {peak:.2f}x, target < 3x: "
                             + targets.verdict(f"validate() peak < 3x data (was {peak:.2f}x)", peak < 3))  # fmt: skip
    if 100_000 in per_row and 1_000_000 in per_row:
        growth = per_row[1_000_000] / per_row[100_000]
        lines.append(f"validate() time per row at 1M / at 100k: {growth:.2f}x, target ≤ 1.2x (linear): "
                     + targets.verdict(f"validate() linear (was {growth:.2f}x)", growth <= 1.2))  # fmt: skip
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000],
                        help="rows of the validation benchmark")  # fmt: skip
    parser.add_argument("--runs", type=int, default=11, help="timed runs of each start-up command (median)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of each command at each size (median)")
    parser.add_argument("--frictionless-max", type=int, default=1_000_000, help="largest size frictionless runs at")
    parser.add_argument("--scale", action="store_true", help="run only the scale benchmark (reports)")
    parser.add_argument("--no-startup", action="store_true", help="leave out the start-up and loading benchmark")
    parser.add_argument("--reports", type=int, nargs="+", default=[1, 10, 100, 1000], help="scale benchmark sizes")
    parser.add_argument("--smoke", action="store_true", help="one tiny run of everything, for CI: no targets judged")
    args = parser.parse_args(argv)
    if args.smoke:
        args.sizes, args.runs, args.repeats, args.reports = [1_000], 1, 1, [1]
    targets = Targets(judge=not args.smoke)
    load = os.getloadavg()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.platform()}; load average at start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")  # fmt: skip
    if not args.scale and not args.no_startup:
        print("\n".join(startup(args.runs, targets)))
    if not args.scale:
        print("\n".join(validation(args.sizes, args.repeats, targets, args.frictionless_max)))
    if args.scale or args.smoke:
        print(f"\nScale: a project of N reports (benchmarks/reports.py), each step a whole process, median of "
              f"{args.repeats} runs after a warm-up round below {ONCE} reports, one run from {ONCE} on:\n")  # fmt: skip
        print("\n".join(scale(args.reports, args.repeats, targets)))
    load = os.getloadavg()
    print(f"\nload average at end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(targets.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
