"""Where a build's or the site's time and memory go: the wall time of each of its steps, and how much
each raised the process's peak resident memory, shown by `scripts/build.py --timings` and `aoav-data
site --timings` and printed by the scale benchmark beside its targets (a missed target comes with its
profile). Here, in the runtime, so that the build and the site measure themselves with one tool.

The steps are flat, not nested, so their times add up to the build's time and their rises to its
peak; what no step covers (start-up and imports among it) is "other".
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

_SPENT: dict[str, float] = {}
_RAISED: dict[str, int] = {}  # bytes by which the steps raised the peak resident memory
_STARTED = time.perf_counter()


def _peak() -> int:
    """The process's peak resident memory so far, in bytes (0 where the platform does not tell)."""
    try:
        import resource
    except ImportError:  # Windows
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)  # macOS counts bytes, Linux KiB


@contextmanager
def phase(name: str) -> Iterator[None]:
    """Count the block's time and its rise of the peak memory towards step `name` (several blocks may
    add to one step)."""
    start, peak = time.perf_counter(), _peak()
    try:
        yield
    finally:
        _SPENT[name] = _SPENT.get(name, 0.0) + time.perf_counter() - start
        _RAISED[name] = _RAISED.get(name, 0) + _peak() - peak


def report(what: str = "build") -> str:
    """A Markdown table of every step of `what`, slowest first, with its share of the time since the
    start and the MiB by which it raised the peak memory."""
    total = time.perf_counter() - _STARTED
    rows = [(name, seconds, _RAISED[name]) for name, seconds in sorted(_SPENT.items(), key=lambda item: -item[1])]
    peak = _peak()
    rows.append(
        ("other (start-up, imports, what no step covers)", total - sum(_SPENT.values()), peak - sum(_RAISED.values()))
    )
    lines = [f"| {what} step | seconds | share | raised the peak memory by |", "| --- | --- | --- | --- |"]
    lines += [f"| {name} | {s:.2f} | {100 * s / total:.0f}% | {raised >> 20:,} MiB |" for name, s, raised in rows]
    return "\n".join([*lines, f"| total | {total:.2f} | 100% | peak {peak >> 20:,} MiB |"])
