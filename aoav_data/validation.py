"""validate(): every check a user can run on the installed data, gathered in one report."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ._paths import DESCRIPTOR, published_file
from .descriptor import metadata, path, resource, tables
from .errors import DataError
from .loaders import read_verified

if TYPE_CHECKING:
    import pandas as pd

# The tables the package serves; the descriptor must declare each of them.
TABLES = ("sources", "incidents", "operations", "arrests", "statistics", "actors", "actor_roles", "errata",
          "evidence", "timeline")  # fmt: skip


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


def _problems(table: str, frame: pd.DataFrame, findings: list[tuple[int, str | None, str]]) -> list[Problem]:
    if not findings:
        return []
    keys, file = _keys(frame, table), str(path(table))
    out = []
    for row, column, message in findings:
        value = frame[column].iloc[row] if column else None
        shown = "" if column is None or value is None or value != value else f"{value!r} "
        out.append(Problem(file, shown + message, keys[row], column))
    return out


def _descriptor_problems() -> list[Problem]:
    """The descriptor declares every table the package serves, with the types the package reads."""
    from .models import MODELS

    file, out, declared = published_file(DESCRIPTOR), [], set(tables())
    for table in TABLES:
        if table not in declared:
            out.append(Problem(file, f"has no resource {table!r}"))
            continue
        fields = {f["name"]: f for f in resource(table)["schema"]["fields"]}
        for name, column in MODELS[table].to_schema().columns.items():
            spec, expected = fields.get(name), _descriptor_type(column.dtype)
            if spec is None:
                out.append(Problem(file, f"resource {table!r} has no field {name!r}"))
            elif spec["type"] != expected:
                out.append(Problem(file, f"field {table}.{name} has type {spec['type']!r}, expected {expected!r}"))
    for res in metadata()["resources"]:
        for fk in res["schema"].get("foreignKeys", []):
            target = fk["reference"]["resource"] or res["name"]
            if target not in declared:
                message = f"foreign key of {res['name']}.{fk['fields'][0]} refers to unknown resource {target!r}"
                out.append(Problem(file, message))
    return out


def _descriptor_type(dtype: Any) -> str:
    text = str(dtype)
    return {"Int64": "integer", "Float64": "number"}.get(text, "date" if text.startswith("datetime") else "string")


def _read_table(table: str, report: ValidationReport) -> pd.DataFrame | None:
    """The table's cells as text, after the integrity check; None (and a problem) when unreadable."""
    import pandas as pd

    try:
        data = read_verified(table)
        raw = pd.read_csv(io.BytesIO(data), dtype="string", keep_default_na=False, na_values=[""])
    except DataError as exc:
        report.problems.append(Problem(exc.file, str(exc).removeprefix(exc.file + ": ")))
        return None
    except ValueError as exc:
        report.problems.append(Problem(str(path(table)), f"is not readable CSV: {exc}"))
        return None
    names = [f["name"] for f in resource(table)["schema"]["fields"]]
    if list(raw.columns) != names:
        report.problems.append(Problem(str(path(table)), f"has columns {list(raw.columns)}, expected {names}"))
        return None
    return raw


def _key_problems(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    out = []
    for table, frame in frames.items():
        schema = resource(table)["schema"]
        findings: list[tuple[int, str | None, str]] = []
        duplicated = frame.duplicated(schema["primaryKey"], keep=False).to_numpy().nonzero()[0]
        findings += [(int(i), None, "duplicate primary key") for i in duplicated]
        for fk in schema.get("foreignKeys", []):
            (column,), ref = fk["fields"], fk["reference"]
            target = frames.get(ref["resource"] or table)
            if target is not None:
                missing = (frame[column].notna() & ~frame[column].isin(target[ref["fields"][0]])).to_numpy()
                message = f"is not a {ref['fields'][0]} of {ref['resource'] or table}"
                findings += [(int(i), column, message) for i in missing.nonzero()[0]]
        out += _problems(table, frame, findings)
    return out


def _stored_texts(sources: pd.DataFrame) -> tuple[dict[str, str], list[Problem]]:
    from pathlib import Path

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
        columns = (
            frame[c].astype("string").fillna("").tolist() for c in ("source_id", "quote", "char_start", "char_end")
        )
        findings = [
            (row, "quote", "differs from the source text at its offsets")
            for row, (sid, quote, start, end) in enumerate(zip(*columns, strict=True))
            if quote and sid in texts and (not start or not end or texts[sid][int(start) : int(end)] != quote)
        ]
        out += _problems(table, frame, findings)  # type: ignore[arg-type]
    return out


def validate(raise_on_error: bool = False) -> ValidationReport:
    """Check hashes, types and constraints, keys and evidence offsets of every published table."""
    from .checks import typed_frame

    report, frames = ValidationReport(), {}
    report.problems += _descriptor_problems()
    for table in tables():
        report.checked.append(table)
        raw = _read_table(table, report)
        if raw is None:
            continue
        frames[table], findings = typed_frame(raw, resource(table)["schema"]["fields"])
        report.problems += _problems(table, raw, findings)  # type: ignore[arg-type]
    if set(frames) >= set(TABLES):  # cross-table checks need every table readable
        report.problems += _key_problems(frames) + _offset_problems(frames)
    if raise_on_error:
        report.raise_if_invalid()
    return report
