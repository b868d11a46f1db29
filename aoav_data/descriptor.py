"""The published datapackage.json, read once."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from ._paths import DESCRIPTOR, published_root
from .errors import DataError


@cache
def metadata() -> dict[str, Any]:
    """The Data Package descriptor (datapackage.json) as a dict."""
    path = published_root() / DESCRIPTOR
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(str(path), f"cannot be read as JSON: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("resources"), list):
        raise DataError(str(path), "is not a Data Package descriptor with resources")
    return data


def tables() -> list[str]:
    """Names of the published tables, in the descriptor's order."""
    return [r["name"] for r in metadata()["resources"]]


def resource(name: str) -> dict[str, Any]:
    for res in metadata()["resources"]:
        if res["name"] == name:
            return dict(res)
    raise KeyError(f"no table {name!r}; the tables are {', '.join(tables())}")


def path(name: str) -> Path:
    """Path of a table's published CSV file."""
    return published_root() / str(resource(name)["path"])


def version() -> str:
    return str(metadata()["version"])
