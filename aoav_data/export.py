"""Writing every table to a folder: kept for `from aoav_data.export import export`; the writers are in writers.py."""

from __future__ import annotations

from .writers import FORMATS, export

__all__ = ["FORMATS", "export"]
