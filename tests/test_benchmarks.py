"""The benchmark command runs end to end at its smallest sizes (a smoke check: no timing is judged
here, but every row is present and every engine finds the same errors)."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT

STARTUP_ROWS = [
    "import + incidents() vs pandas read_csv",
    "every table typed vs pandas + pyarrow read of every CSV",
    "every table typed vs frictionless to_pandas",
    "aoav-data cite vs python -c pass",
    "aoav-data --help vs python -c pass",
]
SCALE_STEPS = [
    "build", "build --check", "load every table", "validate", "site", "build, one record edited",
    "site first view (headless Chromium)",
]  # fmt: skip


def test_benchmark_smoke_run_has_every_row_and_every_engine_finds_the_same_errors() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--smoke"], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for name in STARTUP_ROWS:
        assert any(line.startswith(f"| {name} |") for line in lines), name
    (row,) = [line for line in lines if line.startswith("| 1,000 |")]
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert len(cells) == 11, row
    # ours, polars and DuckDB agree on every (table, record, field); frictionless on the records it checks
    assert cells[-1].startswith("yes (12 (table, record, field) found by all, 1 only ours checks"), row
    assert "frictionless: same records but the formula" in cells[-1], row
    for step in SCALE_STEPS:
        assert any(line.startswith(f"| 1 | {step} |") for line in lines), step
    assert "| build of 1,000 reports ≤ 30 s |" in result.stdout
    assert "| one edited record in 1,000 reports rebuilds in ≤ 5 s |" in result.stdout
    # where the time and memory of a build from nothing, of one after an edit and of the site go, step by step
    profiles = {
        ("build", "scripts/build.py"): "| curated records (YAML, input checks, quotes) |",
        ("build, one record edited", "scripts/build.py"): "| curated records (YAML, input checks, quotes) |",
        ("site", "aoav-data site"): "| site: tables read as text |",
    }
    for (step, command), expected in profiles.items():
        heading = f"Where the time and memory of '{step}' go at 1 report ({command} --timings):"
        profile = lines[lines.index(heading) + 4 :]
        profile = profile[: next(i for i, line in enumerate(profile) if line.startswith("| total |")) + 1]
        assert any(line.startswith(expected) for line in profile), profile
        cells = [[cell.strip() for cell in line.strip("|").split("|")] for line in profile]
        seconds, total = sum(float(row[1]) for row in cells[:-1]), float(cells[-1][1])
        assert abs(seconds - total) < 0.01 * len(cells), profile  # the steps add up to the whole
        raised, peak = sum(int(row[3].split()[0].replace(",", "")) for row in cells[:-1]), cells[-1][3]
        assert peak == f"peak {raised:,} MiB" or abs(int(peak.split()[1].replace(",", "")) - raised) < len(cells), peak
    assert lines[-1] == "targets: not judged (smoke run: one run per command)"
