"""The benchmark command runs end to end at the smallest size (a smoke check: no timing is judged here)."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_benchmark_smoke_run_finds_every_injected_error() -> None:
    result = subprocess.run([sys.executable, "-m", "benchmarks", "--smoke"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "| import + incidents() vs pandas read_csv |" in result.stdout
    (row,) = [line for line in result.stdout.splitlines() if line.startswith("| 1,000 |")]
    assert row.endswith("| yes (10 found, 1 only we check) |"), row
