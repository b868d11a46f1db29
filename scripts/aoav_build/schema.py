"""The table definitions of curation/schema.yaml, the one place each column is described."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import CurationError
from .yamlio import load_yaml


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    description: str
    required: bool = False
    unique: bool = False
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None
    vocabulary: str | None = None
    derived: bool = False
    evidence: bool = False
    claims: tuple[str, ...] = ()  # claim variables that may support the field; empty: its own name

    @property
    def claim_variables(self) -> tuple[str, ...]:
        return self.claims or (self.name,)


@dataclass(frozen=True)
class ForeignKey:
    fields: list[str]
    resource: str
    reference: list[str]


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    primary_key: list[str]
    fields: list[Field]
    foreign_keys: list[ForeignKey] = field(default_factory=list)

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]


@dataclass(frozen=True)
class Schema:
    tables: dict[str, Table]
    vocabularies: dict[str, dict[str, str]]

    def vocabulary(self, name: str) -> dict[str, str]:
        return self.vocabularies[name]


_FIELD_KEYS = set(Field.__dataclass_fields__)


def _field(path: Path, table: str, raw: dict[str, Any]) -> Field:
    unknown = set(raw) - _FIELD_KEYS
    if unknown:
        raise CurationError(path, f"unknown keys {sorted(unknown)}", table, raw.get("name"))
    return Field(**{**raw, "claims": tuple(raw.get("claims", ()))})


def _fields(path: Path, table: str, raw: list[dict[str, Any]], groups: dict[str, Any]) -> list[Field]:
    out: list[Field] = []
    for item in raw:
        if "group" in item:
            out.extend(_field(path, table, g) for g in groups[item["group"]])
        else:
            out.append(_field(path, table, item))
    return out


def _vocabulary(path: Path, name: str, raw: dict[str, Any]) -> dict[str, str]:
    if "file" in raw:
        with (path.parent / raw["file"]).open(encoding="utf-8", newline="") as handle:
            return {row["code"]: row["name"] for row in csv.DictReader(handle)}
    return {str(k): str(v) for k, v in raw.items()}


def load_schema(path: Path) -> Schema:
    raw = load_yaml(path)
    groups = raw.get("field_groups", {})
    tables = {
        name: Table(
            name=name,
            title=spec["title"],
            description=spec["description"],
            primary_key=spec["primary_key"],
            fields=_fields(path, name, spec["fields"], groups),
            foreign_keys=[ForeignKey(**fk) for fk in spec.get("foreign_keys", [])],
        )
        for name, spec in raw["tables"].items()
    }
    vocabularies = {n: _vocabulary(path, n, v) for n, v in raw["vocabularies"].items()}
    return Schema(tables, vocabularies)
