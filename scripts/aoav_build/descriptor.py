"""datapackage.json (Data Package v2), generated from the schema, the package metadata and the CSV bytes."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .schema import Field, Schema, Table

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
TABLE_PROFILE = "https://datapackage.org/profiles/2.0/tableschema.json"
MAX_LABELLED = 50  # larger vocabularies (ISO 3166) keep their labels in curation/
CONSTRAINTS = ("required", "unique", "minimum", "maximum", "pattern")


def csv_path(table: str) -> str:
    return f"csv/{table}.csv"


def field_descriptor(field: Field, schema: Schema) -> dict[str, Any]:
    out: dict[str, Any] = {"name": field.name, "type": field.type, "description": field.description}
    # `is not` rather than `in (None, False)`: a minimum of 0 is a constraint.
    constraints = {k: v for k in CONSTRAINTS if (v := getattr(field, k)) is not None and v is not False}
    if field.vocabulary:
        vocabulary = schema.vocabulary(field.vocabulary)
        constraints["enum"] = list(vocabulary)
        if len(vocabulary) <= MAX_LABELLED:  # the codebook reads the meanings from here
            out["categories"] = [{"value": v, "label": meaning} for v, meaning in vocabulary.items()]
    if constraints:
        out["constraints"] = constraints
    return out


def table_schema(table: Table, schema: Schema) -> dict[str, Any]:
    out: dict[str, Any] = {
        "$schema": TABLE_PROFILE,
        "fields": [field_descriptor(f, schema) for f in table.fields],
        "missingValues": [""],
        "primaryKey": table.primary_key,
    }
    if table.foreign_keys:
        out["foreignKeys"] = [
            {"fields": fk.fields, "reference": {"resource": fk.resource, "fields": fk.reference}}
            for fk in table.foreign_keys
        ]
    return out


def resource(table: Table, schema: Schema, data: bytes) -> dict[str, Any]:
    return {
        "name": table.name,
        "type": "table",
        "path": csv_path(table.name),
        "title": table.title,
        "description": table.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": len(data),
        "hash": f"sha256:{hashlib.sha256(data).hexdigest()}",
        "schema": table_schema(table, schema),
    }


def source_entry(meta: dict[str, Any]) -> dict[str, Any]:
    """A primary document as a descriptor `sources` item, with what a citation needs."""
    keys = ("author", "publisher", "published", "originally_published_in")
    return {"title": meta["title"], "path": meta["url"], **{k: meta[k] for k in keys if meta.get(k)}}


def build_descriptor(
    schema: Schema,
    package: dict[str, Any],
    version: str,
    data: dict[str, bytes],
    primary: list[dict[str, Any]],
) -> dict[str, Any]:
    head = {"$schema": PROFILE, "name": package["name"], "title": package["title"], "version": version}
    rest = {k: v for k, v in package.items() if k not in head}
    resources = [resource(t, schema, data[name]) for name, t in schema.tables.items()]
    return {**head, **rest, "sources": [source_entry(m) for m in primary], "resources": resources}


def dump(descriptor: dict[str, Any]) -> bytes:
    return (json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
