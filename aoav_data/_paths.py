"""Where the published files are: inside the installed wheel, or at the root of a checkout."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

DESCRIPTOR = "datapackage.json"
ENV = "AOAV_DATA_DIR"


@cache
def published_root() -> Path:
    """The folder holding datapackage.json, csv/ and sources/ (or $AOAV_DATA_DIR, if set)."""
    if os.environ.get(ENV):
        return Path(os.environ[ENV])
    packaged = Path(__file__).resolve().parent / "published"
    if (packaged / DESCRIPTOR).is_file():
        return packaged
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / DESCRIPTOR).is_file():
        return checkout
    raise FileNotFoundError(f"{DESCRIPTOR} is neither in {packaged} nor in {checkout}")
