"""validate(): every check a user can run on the installed data, gathered in one report."""

from __future__ import annotations

import hashlib
from pathlib import Path
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ._paths import DESCRIPTOR, published_file
from .descriptor import metadata, path, resource, tables
from .errors import DataError
from .loaders import frame_from_bytes, read_verified

if TYPE_CHECKING:
    import pandas as pd

FORMULA_START = ("=", "+", "-", "@")


@dataclass(frozen=True)
class Problem:
    file: str
    message: str
    record: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.file + (f": record {self.record!r}" if self.record else "")
        where += f", field {self.field!r}" if self.field else ""
        return f"{where}: {self.message}"


@dataclass
class ValidationReport:
    """What validate() found; empty `problems` means every check passed."""

    checked: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def __str__(self) -> str:
        head = f"{len(self.checked)} tables checked: " + ("valid" if self.ok else f"{len(self.problems)} problems")
        return "\n".join([head, *(f"  {p}" for p in self.problems)])

    def raise_if_invalid(self) -> None:
        if self.problems:
            first = self.problems[0]
            raise DataError(first.file, f"{len(self.problems)} problems, first: {first}")


def _keys(frame: pd.DataFrame, table: str) -> list[str]:
    """Each row's primary key as text, to name records in messages."""
    columns = resource(table)["schema"]["primaryKey"]
    parts = [frame[c].astype("string").fillna("").tolist() for c in columns]
    return ["/".join(values) for values in zip(*parts, strict=True)]


def _problems(
    table: str, frame: pd.DataFrame, mask: Any, field: str | None, message: Callable[[Any], str]
) -> list[Problem]:
    """One problem per row where `mask` holds, naming the row's record."""
    keys, file = _keys(frame, table), str(path(table))
    values = frame[field].tolist() if field else [None] * len(frame)
    import numpy as np

    return [Problem(file, message(values[i]), keys[i], field) for i in np.flatnonzero(np.asarray(mask, dtype=bool))]


def _schema_problems(table: str, frame: pd.DataFrame, raw: pd.DataFrame) -> list[Problem]:
    import pandera.pandas as pa

    from .models import MODELS

    out = []
    for spec in resource(table)["schema"]["fields"]:
        enum = spec.get("constraints", {}).get("enum")
        if enum is not None:
            bad = raw[spec["name"]].notna() & ~raw[spec["name"]].isin(enum)
            out += _problems(table, raw, bad, spec["name"], lambda v: f"{v!r} is not in the vocabulary")
    try:
        MODELS[table].validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        keys = _keys(raw, table)
        for case in exc.failure_cases.head(50).to_dict("records"):
            index = case.get("index")
            record = keys[index] if isinstance(index, int) and 0 <= index < len(keys) else None
            message = f"fails {case['check']}: {case['failure_case']!r}"
            out.append(Problem(str(path(table)), message, record, case.get("column")))
    return out


def _formula_problems(table: str, raw: pd.DataFrame) -> list[Problem]:
    """Text a spreadsheet would run as a formula (=, +, -, @ first, and not a number)."""
    import pandas as pd

    out = []
    for column in raw.columns:
        values = raw[column]
        risky = values.str.startswith(FORMULA_START).fillna(False) & pd.to_numeric(values, errors="coerce").isna()
        out += _problems(table, raw, risky, column, lambda v: f"{v!r} would run as a spreadsheet formula")
    return out


def _descriptor_problems() -> list[Problem]:
    """The descriptor declares every table the package serves, with the fields and types its models expect."""
    from .models import MODELS

    file, out = published_file(DESCRIPTOR), []
    declared = set(tables())
    for table, model in MODELS.items():
        if table not in declared:
            out.append(Problem(file, f"has no resource {table!r}"))
            continue
        fields = {f["name"]: f for f in resource(table)["schema"]["fields"]}
        for name, column in model.to_schema().columns.items():
            spec = fields.get(name)
            expected = _descriptor_type(column.dtype)
            if spec is None:
                out.append(Problem(file, f"resource {table!r} has no field {name!r}"))
            elif spec["type"] != expected:
                out.append(Problem(file, f"field {table}.{name} has type {spec['type']!r}, expected {expected!r}"))
    for res in metadata()["resources"]:
        for fk in res["schema"].get("foreignKeys", []):
            target = fk["reference"]["resource"] or res["name"]
            if target not in declared:
                out.append(
                    Problem(
                        file, f"foreign key of {res['name']}.{fk['fields'][0]} refers to unknown resource {target!r}"
                    )
                )
    return out


def _descriptor_type(dtype: Any) -> str:
    text = str(dtype)
    return {"Int64": "integer", "Float64": "number"}.get(text, "date" if text.startswith("datetime") else "string")


def _key_problems(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    out = []
    for table, frame in frames.items():
        schema = resource(table)["schema"]
        dup = frame.duplicated(schema["primaryKey"], keep=False)
        out += _problems(table, frame, dup, None, lambda _: "duplicate primary key")
        for fk in schema.get("foreignKeys", []):
            (column,), ref = fk["fields"], fk["reference"]
            target = frames.get(ref["resource"] or table)
            if target is not None:
                missing = frame[column].notna() & ~frame[column].isin(target[ref["fields"][0]])
                message = f"is not a {ref['fields'][0]} of {ref['resource']}"
                out += _problems(table, frame, missing, column, _prefix_value(message))
    return out


def _prefix_value(message: str) -> Callable[[Any], str]:
    return lambda value: f"{value!r} {message}"


def _stored_texts(sources: pd.DataFrame) -> tuple[dict[str, str], list[Problem]]:
    texts, out = {}, []
    stored = sources[sources["stored_path"].notna()]
    for source_id, rel, digest in zip(stored["source_id"], stored["stored_path"], stored["sha256"], strict=True):
        file = Path(published_file(str(rel)))
        data = file.read_bytes() if file.is_file() else b""
        if hashlib.sha256(data).hexdigest() != digest:
            message = "stored source is missing or its SHA-256 differs from sources.csv"
            out.append(Problem(str(file), message, str(source_id), "sha256"))
        else:
            texts[str(source_id)] = data.decode("utf-8")
    return texts, out


def _offset_problems(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    """Every quote equals its stored source's text at its offsets."""
    texts, out = _stored_texts(frames["sources"])
    for table in ("evidence", "errata"):
        frame = frames[table]
        quoted = frame["quote"].notna().tolist()
        columns = (
            frame[c].astype("string").fillna("").tolist() for c in ("source_id", "quote", "char_start", "char_end")
        )
        bad = [
            has and sid in texts and (not start or not end or texts[sid][int(start) : int(end)] != quote)
            for has, sid, quote, start, end in zip(quoted, *columns, strict=True)
        ]
        out += _problems(table, frame, bad, "quote", lambda _: "differs from the source text at its offsets")
    return out


def validate(raise_on_error: bool = False) -> ValidationReport:
    """Check hashes, schemas, keys and evidence offsets of every published table."""
    import io

    import pandas as pd

    report, frames, raws = ValidationReport(), {}, {}
    report.problems += _descriptor_problems()
    for table in tables():
        report.checked.append(table)
        try:
            data = read_verified(table)
            frames[table] = frame_from_bytes(data, resource(table)["schema"]["fields"], str(path(table)))
        except DataError as exc:
            report.problems.append(Problem(exc.file, str(exc).removeprefix(exc.file + ": ")))
            continue
        raws[table] = pd.read_csv(io.BytesIO(data), dtype="string", keep_default_na=False, na_values=[""])
        report.problems += _schema_problems(table, frames[table], raws[table])
        report.problems += _formula_problems(table, raws[table])
    from .models import MODELS

    if set(frames) >= set(MODELS):  # cross-table checks need every table readable
        report.problems += _key_problems(frames) + _offset_problems(frames)
    if raise_on_error:
        report.raise_if_invalid()
    return report
