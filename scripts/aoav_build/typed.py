"""The pandera schema each published table must satisfy, checked on the bytes about to be published."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pandera.pandas as pa

from aoav_data.loaders import frame_from_bytes

from .errors import CurationError
from .schema import Schema, Table


def _column(field: Any, schema: Schema) -> pa.Column:
    checks = []
    if field.minimum is not None:
        checks.append(pa.Check.ge(field.minimum))
    if field.maximum is not None:
        checks.append(pa.Check.le(field.maximum))
    if field.pattern:
        checks.append(pa.Check.str_matches(field.pattern))
    if field.vocabulary:
        kind: Any = pd.CategoricalDtype(list(schema.vocabulary(field.vocabulary)))
    else:
        kind = {"string": "string", "integer": "Int64", "number": "Float64", "date": "datetime64[ms]"}[field.type]
    return pa.Column(kind, checks, nullable=not field.required, unique=field.unique)


def pandera_schema(table: Table, schema: Schema) -> pa.DataFrameSchema:
    columns = {field.name: _column(field, schema) for field in table.fields}
    return pa.DataFrameSchema(columns, strict=True, ordered=True, unique=table.primary_key)


def validate_table(data: bytes, fields: list[dict[str, Any]], table: Table, schema: Schema, path: str) -> None:
    """Read the bytes exactly as users will, then hold them to the table's schema."""
    try:
        pandera_schema(table, schema).validate(frame_from_bytes(data, fields, path), lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases.head(5).to_dict("records")
        raise CurationError(path, f"fails its schema: {cases}") from exc
