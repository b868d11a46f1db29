"""aoav-data: counter-terrorism events curated from AOAV reporting, as typed pandas DataFrames.

Every loader checks its file against the size and SHA-256 recorded in
datapackage.json before parsing it. Importing this package imports neither
pandas, pandera nor frictionless, nor even its own modules: each name below is
imported when first used, so `import aoav_data` and the command line start fast.
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pandera.typing import DataFrame

    from . import models
    from .citation import cite
    from .descriptor import metadata, path, tables
    from .errors import DataError, IntegrityError
    from .loaders import load
    from .provenance import evidence_for, record
    from .validation import ValidationReport, validate

# Public name -> the module that defines it.
_LAZY = {
    "cite": "citation",
    "metadata": "descriptor",
    "path": "descriptor",
    "tables": "descriptor",
    "DataError": "errors",
    "IntegrityError": "errors",
    "load": "loaders",
    "evidence_for": "provenance",
    "record": "provenance",
    "ValidationReport": "validation",
    "validate": "validation",
}


def __getattr__(name: str) -> object:
    if name == "__version__":  # read lazily: importing never fails on a damaged descriptor
        return importlib.import_module(".descriptor", __name__).version()
    if name in _LAZY:
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'aoav_data' has no attribute {name!r}")


def _load(name: str) -> object:
    return importlib.import_module(".loaders", __name__).load(name)


def sources() -> DataFrame[models.Sources]:
    """Every document: the article, its footnoted works and the external references."""
    return _load("sources")  # type: ignore[return-value]


def claims() -> DataFrame[models.Claims]:
    """What each external reference states: one value of one variable, in the reference's own words."""
    return _load("claims")  # type: ignore[return-value]


def attacks() -> DataFrame[models.Attacks]:
    """Attacks that struck several sites or days, as the sources name them; incidents are their parts."""
    return _load("attacks")  # type: ignore[return-value]


def incidents() -> DataFrame[models.Incidents]:
    """Attacks that happened or were attempted: one row per site and day (attack_id groups them)."""
    return _load("incidents")  # type: ignore[return-value]


def operations() -> DataFrame[models.Operations]:
    """Counter-terrorism actions: intelligence shared, joint operations, warnings and more."""
    return _load("operations")  # type: ignore[return-value]


def arrests() -> DataFrame[models.Arrests]:
    """People detained, per arrest event or per reported tally."""
    return _load("arrests")  # type: ignore[return-value]


def statistics() -> DataFrame[models.Statistics]:
    """Aggregate figures the sources report."""
    return _load("statistics")  # type: ignore[return-value]


def evidence() -> DataFrame[models.Evidence]:
    """The provenance of every fact: quotes with offsets, or external references."""
    return _load("evidence")  # type: ignore[return-value]


def actors() -> DataFrame[models.Actors]:
    """People, organisations, groups and states named in the sources."""
    return _load("actors")  # type: ignore[return-value]


def actor_roles() -> DataFrame[models.ActorRoles]:
    """Which actor takes part in which record, in what role."""
    return _load("actor_roles")  # type: ignore[return-value]


def errata() -> DataFrame[models.Errata]:
    """Where a source is wrong or inconsistent, and what the dataset records instead."""
    return _load("errata")  # type: ignore[return-value]


def timeline() -> DataFrame[models.Timeline]:
    """Every dated incident, operation and arrest, in date order."""
    return _load("timeline")  # type: ignore[return-value]


__all__ = [
    "DataError",
    "IntegrityError",
    "ValidationReport",
    "__version__",
    "actor_roles",
    "actors",
    "arrests",
    "attacks",
    "cite",
    "claims",
    "errata",
    "evidence",
    "evidence_for",
    "incidents",
    "load",
    "metadata",
    "operations",
    "path",
    "record",
    "sources",
    "statistics",
    "tables",
    "timeline",
    "validate",
]
