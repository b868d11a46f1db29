"""The published datapackage.json, read once."""

from __future__ import annotations

import json
from functools import cache

from ._paths import DESCRIPTOR, confined_file, published_file
from .errors import DataError

TYPE_CHECKING = False  # typing itself is not imported: the command line starts faster
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any


@cache
def metadata() -> dict[str, Any]:
    """The Data Package descriptor (datapackage.json) as a dict."""
    file = published_file(DESCRIPTOR)
    try:
        with open(file, encoding="utf-8") as handle:
            data = json.load(handle, object_pairs_hook=_no_duplicate_keys)
    except (OSError, ValueError) as exc:
        raise DataError(file, f"cannot be read as JSON: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("resources"), list):
        raise DataError(file, "is not a Data Package descriptor with resources")
    return data


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """JSON objects whose keys are unique: json.load would silently keep the last of two."""
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        twice = next(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        raise ValueError(f"duplicate key {twice!r}")
    return out


def tables() -> list[str]:
    """Names of the published tables, in the descriptor's order."""
    return [r["name"] for r in _named(metadata()["resources"])]


def _named(resources: list[Any]) -> list[dict[str, Any]]:
    """The resources that are objects with a name; validate() reports the others."""
    return [r for r in resources if isinstance(r, dict) and isinstance(r.get("name"), str)]


def resource(name: str) -> dict[str, Any]:
    for res in _named(metadata()["resources"]):
        if res["name"] == name:
            return dict(res)
    raise KeyError(f"no table {name!r}; the tables are {', '.join(tables())}")


def path(name: str) -> Path:
    """Path of a table's published CSV file."""
    from pathlib import Path

    rel = resource(name).get("path")
    file = confined_file(rel)
    if file is None:
        message = f"resource {name!r}, field 'path': {rel!r} is not a relative path inside the package"
        raise DataError(published_file(DESCRIPTOR), message)
    return Path(file)


def version() -> str:
    return str(metadata()["version"])
