"""pandera schemas of the published tables, built from datapackage.json at run time.

The descriptor is the only description of the tables: every column's type, requiredness,
vocabulary, pattern, bounds and uniqueness, and every table's primary key, are read from it here,
so no copy can drift. Importing this module imports pandera, so aoav_data imports it only on demand.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.engines import pandas_engine

from .descriptor import resource, tables

_DTYPES: dict[str, Any] = {
    "string": "string",
    "integer": "Int64",
    "number": "Float64",
    "date": pandas_engine.DateTime(unit="ms"),  # type: ignore[call-arg]
}


def column(spec: dict[str, Any]) -> pa.Column:
    """One field descriptor as a pandera column."""
    constraints = spec.get("constraints", {})
    checks = []
    if "minimum" in constraints:
        checks.append(pa.Check.ge(constraints["minimum"]))
    if "maximum" in constraints:
        checks.append(pa.Check.le(constraints["maximum"]))
    if "enum" in constraints:
        kind: Any = pd.CategoricalDtype(constraints["enum"])
    else:
        kind = _DTYPES[spec["type"]]
        if "pattern" in constraints and spec["type"] == "string":
            checks.append(pa.Check.str_matches(constraints["pattern"]))
    required = bool(constraints.get("required", False))
    return pa.Column(kind, checks, nullable=not required, unique=bool(constraints.get("unique", False)))


def schema_of(res: dict[str, Any]) -> pa.DataFrameSchema:
    """A resource descriptor as a pandera schema: columns in CSV order, the primary key unique."""
    fields = res["schema"]["fields"]
    columns = {spec["name"]: column(spec) for spec in fields}
    key = res["schema"].get("primaryKey")
    return pa.DataFrameSchema(columns, strict=True, ordered=True, unique=key, name=res["name"])


def schema(table: str) -> pa.DataFrameSchema:
    """The pandera schema of one published table."""
    return schema_of(resource(table))


def schemas() -> dict[str, pa.DataFrameSchema]:
    """Every published table's pandera schema, by table name."""
    return {table: schema(table) for table in tables()}
