"""Where a build's time goes: the wall time of each of its steps, shown by `build.py --timings` and
printed by the scale benchmark beside its targets (a missed target comes with its profile).

The steps are flat, not nested, so their times add up to the build's; what no step covers is "other".
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

_SPENT: dict[str, float] = {}
_STARTED = time.perf_counter()


@contextmanager
def phase(name: str) -> Iterator[None]:
    """Count the time of the block towards step `name` (several blocks may add to one step)."""
    start = time.perf_counter()
    try:
        yield
    finally:
        _SPENT[name] = _SPENT.get(name, 0.0) + time.perf_counter() - start


def report() -> str:
    """A Markdown table of every step, slowest first, with its share of the time since the start."""
    total = time.perf_counter() - _STARTED
    rows = sorted(_SPENT.items(), key=lambda item: -item[1])
    rows.append(("other (start-up, imports, what no step covers)", total - sum(_SPENT.values())))
    lines = ["| build step | seconds | share |", "| --- | --- | --- |"]
    lines += [f"| {name} | {seconds:.2f} | {100 * seconds / total:.0f}% |" for name, seconds in rows]
    return "\n".join([*lines, f"| total | {total:.2f} | 100% |"])
