"""Published CSV bytes to typed DataFrames, and the pandera schema each must satisfy."""

from __future__ import annotations

import io

import pandas as pd
import pandera.pandas as pa

from .errors import CurationError
from .schema import Field, Schema, Table

DTYPES = {"string": "string", "integer": "Int64", "number": "Float64"}


def dtype(field: Field, schema: Schema) -> object:
    if field.vocabulary:
        return pd.CategoricalDtype(list(schema.vocabulary(field.vocabulary)))
    return DTYPES.get(field.type, "string")


def read_typed(data: bytes, table: Table, schema: Schema) -> pd.DataFrame:
    """What users get: the CSV read with the declared dtypes, dates parsed strictly."""
    dates = [f.name for f in table.fields if f.type == "date"]
    dtypes = {f.name: dtype(f, schema) for f in table.fields if f.type != "date"}
    frame = pd.read_csv(io.BytesIO(data), dtype=dtypes | dict.fromkeys(dates, "string"), keep_default_na=False, na_values=[""])
    for name in dates:
        frame[name] = pd.to_datetime(frame[name], format="%Y-%m-%d").astype("datetime64[ms]")
    return frame


def pandera_schema(table: Table, schema: Schema) -> pa.DataFrameSchema:
    columns = {}
    for field in table.fields:
        checks = []
        if field.minimum is not None:
            checks.append(pa.Check.ge(field.minimum))
        if field.maximum is not None:
            checks.append(pa.Check.le(field.maximum))
        if field.pattern:
            checks.append(pa.Check.str_matches(field.pattern))
        kind = "datetime64[ms]" if field.type == "date" else dtype(field, schema)
        columns[field.name] = pa.Column(kind, checks, nullable=not field.required, unique=field.unique)
    return pa.DataFrameSchema(columns, strict=True, ordered=True, unique=table.primary_key)


def validate_table(data: bytes, table: Table, schema: Schema, path: str) -> None:
    try:
        pandera_schema(table, schema).validate(read_typed(data, table, schema), lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases.head(5).to_dict("records")
        raise CurationError(path, f"fails its schema: {cases}") from exc
