"""Vectorised checks of one table against its descriptor schema: the engine behind validate().

Cells are read as text, then each column is converted to its declared type once, for the whole
column; the cells that fail to convert or break a constraint are reported by record and field.
No row loops, so validation grows linearly and stays fast on large tables.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

FORMULA_START = ("=", "+", "-", "@")
Finding = tuple[int, str, str]  # (row position, field, message)


def _rows(mask: Any) -> np.ndarray:
    return np.flatnonzero(np.asarray(mask, dtype=bool))


def _convert(text: pd.Series, kind: str) -> tuple[pd.Series, pd.Series, str]:
    """The column in its declared type, and the cells that could not be converted."""
    present = text.notna()
    if kind in {"integer", "number"}:
        values = pd.to_numeric(text, errors="coerce")
        bad = present & values.isna()
        if kind == "integer":
            bad |= present & values.notna() & (values != values.round())
            return values.where(~bad).astype("Float64").astype("Int64"), bad, "is not an integer"
        return values.astype("Float64"), bad, "is not a number"
    if kind == "date":
        values = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce").astype("datetime64[ms]")
        return values, present & values.isna(), "is not a date (YYYY-MM-DD)"
    return text, pd.Series(False, index=text.index), ""


def field_findings(text: pd.Series, spec: dict[str, Any]) -> tuple[pd.Series, list[Finding]]:
    """Check one column of text against its field descriptor; return the typed column and the findings."""
    name, constraints = spec["name"], spec.get("constraints", {})
    present = text.notna()
    typed, bad_type, type_message = _convert(text, spec["type"])
    findings = [(i, name, type_message) for i in _rows(bad_type)]
    checks: list[tuple[Any, str]] = []
    if constraints.get("required"):
        checks.append((~present, "is required"))
    if "enum" in constraints:
        checks.append((present & ~text.isin(constraints["enum"]), "is not in the vocabulary"))
    if "pattern" in constraints:
        matches = text.str.fullmatch(constraints["pattern"]).fillna(True)
        checks.append((present & ~matches.astype(bool), f"does not match {constraints['pattern']}"))
    numeric = spec["type"] in {"integer", "number"}
    if numeric and "minimum" in constraints:
        checks.append(
            ((typed < constraints["minimum"]).fillna(False), f"is below the minimum {constraints['minimum']}")
        )
    if numeric and "maximum" in constraints:
        checks.append(
            ((typed > constraints["maximum"]).fillna(False), f"is above the maximum {constraints['maximum']}")
        )
    if constraints.get("unique"):
        checks.append((present & text.duplicated(keep=False), "is not unique"))
    if spec["type"] == "string":
        risky = text.str.startswith(FORMULA_START).fillna(False) & pd.to_numeric(text, errors="coerce").isna()
        checks.append((risky, "would run as a formula in a spreadsheet"))
    for mask, message in checks:
        findings += [(i, name, message) for i in _rows(mask)]
    return typed, findings


def typed_frame(raw: pd.DataFrame, fields: list[dict[str, Any]]) -> tuple[pd.DataFrame, list[Finding]]:
    """The whole table checked and typed as the loaders type it (vocabularies as categoricals)."""
    columns, findings = {}, []
    for spec in fields:
        typed, found = field_findings(raw[spec["name"]], spec)
        enum = spec.get("constraints", {}).get("enum")
        columns[spec["name"]] = typed.astype(pd.CategoricalDtype(enum)) if enum is not None else typed
        findings += found
    return pd.DataFrame(columns), findings
