"""Where the published files are: inside the installed wheel, or at the root of a checkout.

Plain os.path, not pathlib: this runs on every command line start, where pathlib's import is a
noticeable share of the time.
"""

from __future__ import annotations

import os
from functools import cache

DESCRIPTOR = "datapackage.json"
ENV = "AOAV_DATA_DIR"


@cache
def published_root() -> str:
    """The folder holding datapackage.json, csv/ and sources/ (or $AOAV_DATA_DIR, if set)."""
    if os.environ.get(ENV):
        return os.environ[ENV]
    here = os.path.dirname(os.path.abspath(__file__))
    for folder in (os.path.join(here, "published"), os.path.dirname(here)):
        if os.path.isfile(os.path.join(folder, DESCRIPTOR)):
            return folder
    raise FileNotFoundError(f"{DESCRIPTOR} is neither in {here}/published nor in {os.path.dirname(here)}")


def published_file(rel: str) -> str:
    return os.path.join(published_root(), rel)
