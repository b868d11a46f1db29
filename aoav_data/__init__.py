"""aoav-data: counter-terrorism events curated from AOAV reporting, as typed pandas DataFrames.

Every loader checks its file against the size and SHA-256 recorded in
datapackage.json before parsing it. Importing this package imports neither
pandas, pandera nor frictionless; they load when a table or a check needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .citation import cite
from .descriptor import metadata, path, tables, version
from .errors import DataError, IntegrityError
from .loaders import load
from .provenance import evidence_for, record
from .validation import ValidationReport, validate

if TYPE_CHECKING:
    from pandera.typing import DataFrame

    from . import models


def __getattr__(name: str) -> str:
    # Read lazily, so that importing the package never fails on a damaged descriptor.
    if name == "__version__":
        return version()
    raise AttributeError(f"module 'aoav_data' has no attribute {name!r}")


def sources() -> DataFrame[models.Sources]:
    """Every document: the article, its footnoted works and the external references."""
    return load("sources")  # type: ignore[return-value]


def incidents() -> DataFrame[models.Incidents]:
    """Attacks that happened or were attempted."""
    return load("incidents")  # type: ignore[return-value]


def operations() -> DataFrame[models.Operations]:
    """Counter-terrorism actions: intelligence shared, joint operations, warnings and more."""
    return load("operations")  # type: ignore[return-value]


def arrests() -> DataFrame[models.Arrests]:
    """People detained, per arrest event or per reported tally."""
    return load("arrests")  # type: ignore[return-value]


def statistics() -> DataFrame[models.Statistics]:
    """Aggregate figures the sources report."""
    return load("statistics")  # type: ignore[return-value]


def evidence() -> DataFrame[models.Evidence]:
    """The provenance of every fact: quotes with offsets, or external references."""
    return load("evidence")  # type: ignore[return-value]


def actors() -> DataFrame[models.Actors]:
    """People, organisations, groups and states named in the sources."""
    return load("actors")  # type: ignore[return-value]


def actor_roles() -> DataFrame[models.ActorRoles]:
    """Which actor takes part in which record, in what role."""
    return load("actor_roles")  # type: ignore[return-value]


def errata() -> DataFrame[models.Errata]:
    """Where a source is wrong or inconsistent, and what the dataset records instead."""
    return load("errata")  # type: ignore[return-value]


def timeline() -> DataFrame[models.Timeline]:
    """Every dated incident, operation and arrest, in date order."""
    return load("timeline")  # type: ignore[return-value]


__all__ = [
    "DataError",
    "IntegrityError",
    "ValidationReport",
    "__version__",
    "actor_roles",
    "actors",
    "arrests",
    "cite",
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
