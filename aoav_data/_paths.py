"""Where the published files are: inside the installed wheel, or at the root of a checkout.

Plain os.path, not pathlib: this runs on every command line start, where pathlib's import is a
noticeable share of the time.
"""

from __future__ import annotations

import os
from functools import cache

DESCRIPTOR = "datapackage.json"
ENV = "AOAV_DATA_DIR"
_OVERRIDE: list[str] = []  # a folder to read instead, while the build validates what it stages


@cache
def published_root() -> str:
    """The folder holding datapackage.json, csv/ and sources/ (or $AOAV_DATA_DIR, if set)."""
    if _OVERRIDE:
        return _OVERRIDE[-1]
    if os.environ.get(ENV):
        return os.environ[ENV]
    here = os.path.dirname(os.path.abspath(__file__))
    for folder in (os.path.join(here, "published"), os.path.dirname(here)):
        if os.path.isfile(os.path.join(folder, DESCRIPTOR)):
            return folder
    raise FileNotFoundError(f"{DESCRIPTOR} is neither in {here}/published nor in {os.path.dirname(here)}")


def published_file(rel: str) -> str:
    return os.path.join(published_root(), rel)


def inside(folder: str, rel: object) -> str | None:
    """`rel` resolved under `folder`, or None when it is not a relative path staying inside it
    (no absolute path, no `..` out, no symlink out): paths read from files are not trusted."""
    if not isinstance(rel, str) or not rel or os.path.isabs(rel) or "\x00" in rel or "\\" in rel:
        return None
    if ".." in rel.split("/"):
        return None
    base = os.path.realpath(folder)
    target = os.path.realpath(os.path.join(base, rel))
    if os.path.commonpath([base, target]) != base or target == base:
        return None
    return os.path.join(folder, rel)


def confined_file(rel: object) -> str | None:
    """A path named by the descriptor or sources.csv, resolved inside the published folder."""
    return inside(published_root(), rel)
