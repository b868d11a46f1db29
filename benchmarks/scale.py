"""The scale benchmark: a project of N reports (benchmarks/reports.py) built, checked, loaded,
validated and turned into a site, each step a whole process timed with its peak memory.

Targets (issue 14): 1,000 reports build in at most 30 s from nothing (no cache), and in a few
seconds (5) after one record is edited; every step peaks below 1 GiB; the time per report at 1,000
is within 1.2x of that at 100 (it grows linearly); the site's first view takes
under 2 s in headless Chromium (benchmarks/site_load.py, where present).
"""

from __future__ import annotations

import importlib
import tempfile
from pathlib import Path

from .reports import make_project
from .synthetic import ROOT
from .timing import Command, Sample, Targets, alternate, mib, python

GIB = 2**30
BUILD_TARGET = 30.0
REBUILD = "build, one record edited"
REBUILD_TARGET = 5.0  # "a few seconds"
LINEAR = 1.2
FIRST_VIEW = 2.0
ONCE = 100  # from this many reports on, each step runs once
LOAD = "import aoav_data\nfor t in aoav_data.tables(): aoav_data.load(t)"


def _steps(dest: Path, site: Path) -> dict[str, Command]:
    env = {"AOAV_DATA_DIR": str(dest)}
    cli = str(Path(python()).parent / "aoav-data")
    build = [python(), "scripts/build.py", "--root", str(dest), "--no-cache"]  # from nothing, every run
    return {
        # The build proper, with the time of each of its steps; the site is a step of its own below.
        "build": Command([*build, "--no-site", "--timings"], cwd=ROOT),
        "build --check": Command([*build, "--check"], cwd=ROOT),
        "load every table": Command([python(), "-c", LOAD], env=env),
        "validate": Command([cli, "validate"], env=env),
        "site": Command([cli, "site", str(site), "--timings"], env=env),
    }


def _first_view(site: Path) -> float | None:
    try:
        module = importlib.import_module("benchmarks.site_load")
    except ImportError:
        return None
    return float(module.first_view_seconds(site))


def scale(sizes: list[int], runs: int, targets: Targets) -> list[str]:
    """Each size: `runs` timed rounds of every step in turn after a warm-up round (the build first,
    making the tree the later steps read); one round without warm-up from ONCE reports on (a build
    of 100 reports takes a minute). The rebuild after one edit always has its warm-up run, which
    fills the cache it relies on."""
    lines = [
        "| reports | step | runs | median | spread | per report | peak memory |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    results: dict[int, dict[str, Sample]] = {}
    views: dict[int, float | None] = {}
    with tempfile.TemporaryDirectory(prefix="aoav-scale-") as tmp:
        for n in sizes:
            dest, site = make_project(Path(tmp) / f"r{n}", n), Path(tmp) / f"site{n}"
            repeats = 1 if n >= ONCE else runs
            # Each round runs the steps in order, so the build makes the tree the others read.
            samples = alternate(_steps(dest, site), repeats, warmup=n < ONCE and runs > 1, capture=True)
            # After a warm-up run that fills the build's cache, whatever the size.
            rebuild = Command([python(), "-m", "benchmarks.rebuild", str(dest), "--timings"], cwd=ROOT)
            samples |= alternate({REBUILD: rebuild}, repeats, capture=True)
            results[n] = samples
            for step, sample in samples.items():
                lines.append(
                    f"| {n:,} | {step} | {len(sample.seconds)} | {sample.median:.2f} s | {sample.spread()} | "
                    f"{sample.median / n:.3f} s | {mib(sample.peak)} |"
                )
            views[n] = _first_view(site)
            lines.append(f"| {n:,} | site first view (headless Chromium) | - | " + (
                "not measured (benchmarks/site_load.py absent) | - | - | - |" if views[n] is None
                else f"{views[n]:.2f} s | - | - | - |"))  # fmt: skip
    lines += ["", "| scale target | measured | met |", "| --- | --- | --- |"]
    big, mid = results.get(1000), results.get(100)
    build = big["build"].median if big else None
    lines.append(
        f"| build of 1,000 reports ≤ {BUILD_TARGET:.0f} s | " + (f"{build:.1f} s" if build is not None else "-")
        + f" | {targets.verdict('build of 1,000 reports ≤ 30 s', None if build is None else build <= BUILD_TARGET)} |"
    )  # fmt: skip
    edited = big[REBUILD].median if big else None
    name = f"one edited record in 1,000 reports rebuilds in ≤ {REBUILD_TARGET:.0f} s"
    shown = "-" if edited is None else f"{edited:.1f} s"
    met = None if edited is None else edited <= REBUILD_TARGET
    lines.append(f"| {name} | {shown} | {targets.verdict(name, met)} |")
    largest = max(results)
    peak = max(s.peak for s in results[largest].values())
    name = f"peak memory < 1 GiB (every step, {largest:,} reports)"
    lines.append(f"| {name} | {mib(peak)} | {targets.verdict(name, peak < GIB if largest >= 1000 else None)} |")
    for step in big or results[largest]:
        name = f"{step}: per report at 1,000 ≤ {LINEAR}x at 100"
        if big and mid:
            ratio = (big[step].median / 1000) / (mid[step].median / 100)
            lines.append(f"| {name} | {ratio:.2f}x | {targets.verdict(name, ratio <= LINEAR)} |")
        else:
            lines.append(f"| {name} | - | {targets.verdict(name, None)} |")
    view = views.get(1000)
    name = f"site first view < {FIRST_VIEW:.0f} s (1,000 reports)"
    shown = "-" if view is None else f"{view:.2f} s"
    lines.append(f"| {name} | {shown} | {targets.verdict(name, None if view is None else view < FIRST_VIEW)} |")
    return (
        lines
        + _profile(largest, results[largest]["build"], "build", "scripts/build.py --timings")
        + _profile(largest, results[largest][REBUILD], REBUILD, "scripts/build.py --timings")
        + _profile(largest, results[largest]["site"], "site", "aoav-data site --timings")
    )


def _profile(reports: int, sample: Sample, step: str, command: str) -> list[str]:
    """Where a step's time and memory went at the largest size (its `--timings` table): what stands
    in the way of a missed target."""
    table = [line for line in sample.stdout.splitlines() if line.startswith("|")]
    size = f"{reports:,} report{'s' * (reports != 1)}"
    return ["", f"Where the time and memory of '{step}' go at {size} ({command}):", "", *table]
