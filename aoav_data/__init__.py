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
    from .provenance import RetiredIdWarning, evidence_for, record
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
    "RetiredIdWarning": "provenance",
    "ValidationReport": "validation",
    "validate": "validation",
}


# The typed loaders: one function per table, named after it. Each is made on first use, with a
# docstring built from datapackage.json (the table's description and every column's type and
# meaning), so that help(aoav_data.incidents) documents the published columns themselves.
_LOADERS = {
    "sources": ("Every document: the article, its footnoted works and the external references."),
    "claims": ("What each external reference states: one value of one variable, in its own words."),
    "attacks": ("Attacks that struck several sites or days, as the sources name them."),
    "incidents": ("Attacks that happened or were attempted: one row per site and day."),
    "operations": ("Counter-terrorism actions: intelligence shared, joint operations, warnings."),
    "arrests": ("People detained, per arrest event or per reported tally."),
    "statistics": ("Aggregate figures the sources report."),
    "evidence": ("The provenance of every fact: quotes with offsets, or reference claims."),
    "actors": ("People, organisations, groups and states named in the sources."),
    "actor_roles": ("Which actor takes part in which record, in what role."),
    "errata": ("Where a source is wrong or inconsistent, and what the dataset records instead."),
    "timeline": ("Every dated incident, operation and arrest, in date order."),
    "retired_ids": ("Every id a release removed, with the records that replace it."),
}

if TYPE_CHECKING:

    def sources() -> DataFrame[models.Sources]: ...
    def claims() -> DataFrame[models.Claims]: ...
    def attacks() -> DataFrame[models.Attacks]: ...
    def incidents() -> DataFrame[models.Incidents]: ...
    def operations() -> DataFrame[models.Operations]: ...
    def arrests() -> DataFrame[models.Arrests]: ...
    def statistics() -> DataFrame[models.Statistics]: ...
    def evidence() -> DataFrame[models.Evidence]: ...
    def actors() -> DataFrame[models.Actors]: ...
    def actor_roles() -> DataFrame[models.ActorRoles]: ...
    def errata() -> DataFrame[models.Errata]: ...
    def timeline() -> DataFrame[models.Timeline]: ...
    def retired_ids() -> DataFrame[models.RetiredIds]: ...


def _make_loader(table: str) -> object:
    summary = _LOADERS[table]

    def loader() -> object:
        return importlib.import_module(".loaders", __name__).load(table)

    loader.__name__ = loader.__qualname__ = table
    loader.__module__ = __name__
    model = "".join(part.capitalize() for part in table.split("_"))  # as aoav_data/models.py names it
    loader.__annotations__ = {"return": f"DataFrame[models.{model}]"}
    try:
        loader.__doc__ = importlib.import_module(".docs", __name__).loader_doc(table)
    except Exception:  # any damage to the descriptor: validate() reports it, and help() still works
        loader.__doc__ = summary
    return loader


def __getattr__(name: str) -> object:
    if name == "__version__":  # read lazily: importing never fails on a damaged descriptor
        return importlib.import_module(".descriptor", __name__).version()
    if name in _LAZY:
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    if name in _LOADERS:
        loader = globals()[name] = _make_loader(name)
        return loader
    raise AttributeError(f"module 'aoav_data' has no attribute {name!r}")


def __dir__() -> list[str]:
    """Every public name, also those made on first use, for dir() and tab completion."""
    return sorted(set(__all__) | {name for name in globals() if name.startswith("__")})


__all__ = [
    "DataError",
    "IntegrityError",
    "RetiredIdWarning",
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
    "retired_ids",
    "sources",
    "statistics",
    "tables",
    "timeline",
    "validate",
]
