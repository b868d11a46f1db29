"""The cyclic garbage collector paused while many rows are made and held.

Rows and parsed YAML form no reference cycles, so the collector, run whenever allocations pile up,
only walks every object held again and again (40% of a build of 1,000 reports). Reference counting
still frees what is let go. Code that makes cycles (matplotlib, drawing the timeline) runs with the
collector `resumed` on what it makes alone: its cycles hold exceptions, and so the frames of the
build that called it, and with them every row, until collected (400 MB at 1,000 reports).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection inside the block; afterwards the collector is on again if it was on."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def resumed() -> Iterator[None]:
    """Inside a pause, the collector on for the block, over the objects the block makes: those made
    before are frozen out of its sight (gc.freeze), so it never walks the rows held. The cycles the
    block made are collected as it ends."""
    if gc.isenabled():  # not paused: nothing to do
        yield
        return
    gc.freeze()
    gc.enable()
    try:
        yield
    finally:
        try:
            gc.collect()
        finally:
            gc.disable()
            gc.unfreeze()
