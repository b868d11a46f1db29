"""Whole-process timing, alternated: every command of a comparison runs in turn (A B A B ...) after a
warm-up round, each run is timed from outside the same way, and medians and spreads are reported.

Peak memory is the child's own maximum resident set: with `/usr/bin/time -f '%e %M'` where it
exists, else from `os.wait4` on that child alone (`getrusage(RUSAGE_CHILDREN)` would give the
largest of every child this process ever waited for).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

TIME = shutil.which("time", path="/usr/bin")


@dataclass(frozen=True)
class Command:
    argv: list[str]
    env: dict[str, str] | None = None  # added to this process's environment
    cwd: Path | None = None
    ok: tuple[int, ...] = (0,)  # exit codes that are not a failure (frictionless exits 1 on invalid data)


@dataclass
class Sample:
    """Every timed run of one command: wall seconds and peak resident memory in bytes."""

    seconds: list[float] = field(default_factory=list)
    peaks: list[int] = field(default_factory=list)
    stdout: str = ""  # of the last timed run, when captured

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak(self) -> int:
        return max(self.peaks)

    def spread(self) -> str:
        """The range of the runs around the median, as text: '±4%' (or '1 run')."""
        if len(self.seconds) < 2:
            return "1 run"
        half = (max(self.seconds) - min(self.seconds)) / 2
        return f"±{100 * half / self.median:.0f}%"

    def shown(self) -> str:
        return f"{self.median:.3f} s {self.spread()}"


class Failed(RuntimeError):
    pass


def _with_time(command: Command, capture: bool) -> tuple[float, int, str]:
    """Wrapped in /usr/bin/time: wall seconds from here, the child's peak RSS from time's %M."""
    env = None if command.env is None else {**os.environ, **command.env}
    out = subprocess.PIPE if capture else subprocess.DEVNULL
    with tempfile.NamedTemporaryFile("r", prefix="aoav-time-", suffix=".txt") as report:
        argv = [str(TIME), "-q", "-f", "%e %M", "-o", report.name, *command.argv]
        started = time.perf_counter()
        done = subprocess.run(argv, cwd=command.cwd, env=env, stdout=out, stderr=subprocess.PIPE, text=True)
        elapsed = time.perf_counter() - started
        if done.returncode not in command.ok:
            raise Failed(f"{' '.join(command.argv)} exited {done.returncode}: {done.stderr[-2000:]}")
        peak = int(Path(report.name).read_text().split()[-1]) * 1024  # %M is in KiB
    return elapsed, peak, done.stdout or ""


def _popen_wait4(command: Command) -> tuple[float, int, str]:
    """Without /usr/bin/time: the child's own rusage from os.wait4."""
    env = None if command.env is None else {**os.environ, **command.env}
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as sink:
        child = subprocess.Popen(command.argv, cwd=command.cwd, env=env, stdout=sink, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode not in command.ok:
            raise Failed(f"{' '.join(command.argv)} exited {child.returncode}")
        sink.seek(0)
        return elapsed, usage.ru_maxrss * 1024, sink.read()


def once(command: Command, capture: bool = False) -> tuple[float, int, str]:
    return _with_time(command, capture) if TIME else _popen_wait4(command)


def alternate(commands: dict[str, Command], runs: int, warmup: bool = True, capture: bool = False) -> dict[str, Sample]:
    """Time each command `runs` times, in turn (A B C A B C ...), after one untimed warm-up round.
    With `capture`, the output of each command's last timed run is kept (for checking what it found,
    or the profile it printed)."""
    samples = {name: Sample() for name in commands}
    if warmup:
        for command in commands.values():
            once(command, False)
    for _ in range(runs):
        for name, command in commands.items():
            seconds, peak, stdout = once(command, capture)
            samples[name].seconds.append(seconds)
            samples[name].peaks.append(peak)
            samples[name].stdout = stdout
    return samples


class Targets:
    """Every target judged in a run, and the ones missed, for the summary line."""

    def __init__(self, judge: bool = True) -> None:
        self.judge, self.missed, self.met = judge, [], []  # type: tuple[bool, list[str], list[str]]

    def verdict(self, name: str, met: bool | None) -> str:
        """'met', 'MISSED' or 'not measured' (None); in a smoke run, 'not judged (smoke)'."""
        if met is None:
            return "not measured"
        if not self.judge:
            return "not judged (smoke)"
        (self.met if met else self.missed).append(name)
        return "met" if met else "MISSED"

    def summary(self) -> str:
        if not self.judge:
            return "targets: not judged (smoke run: one run per command)"
        if not self.missed:
            return f"targets: all {len(self.met)} met"
        return f"targets missed ({len(self.missed)} of {len(self.met) + len(self.missed)}): " + "; ".join(self.missed)


def python() -> str:
    return sys.executable


def mib(value: int) -> str:
    return f"{value / 2**20:,.0f} MiB"
