"""validate(): every check a user can run on the installed data, gathered in one report."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ._paths import DESCRIPTOR, published_file
from .descriptor import metadata, path, resource, tables
from .errors import DataError
from .loaders import read_verified

if TYPE_CHECKING:
    import pyarrow as pa

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


def _key(text: pa.Table, table: str, row: int) -> str:
    """A row's primary key as text, to name its record in messages."""
    return "/".join(str(text.column(c)[row].as_py() or "") for c in resource(table)["schema"]["primaryKey"])


def _problems(table: str, text: pa.Table, findings: list[tuple[int, str | None, str]]) -> list[Problem]:
    file, out = str(path(table)), []
    for row, column, message in findings:
        value = text.column(column)[row].as_py() if column else None
        shown = "" if value is None else f"{value!r} "
        out.append(Problem(file, shown + message, _key(text, table, row), column))
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


def _read_table(table: str, report: ValidationReport) -> pa.Table | None:
    """The table's cells as text, after the integrity check; None (and a problem) when unreadable."""
    from .checks import read_text_table

    try:
        text = read_text_table(read_verified(table))
    except DataError as exc:
        report.problems.append(Problem(exc.file, str(exc).removeprefix(exc.file + ": ")))
        return None
    except (ValueError, UnicodeDecodeError) as exc:  # pyarrow's ArrowInvalid is a ValueError
        report.problems.append(Problem(str(path(table)), f"is not readable CSV: {exc}"))
        return None
    names = [f["name"] for f in resource(table)["schema"]["fields"]]
    if text.column_names != names:
        report.problems.append(Problem(str(path(table)), f"has columns {text.column_names}, expected {names}"))
        return None
    return text


def _key_problems(texts: dict[str, pa.Table], not_unique: dict[tuple[str, str], list[int]]) -> list[Problem]:
    """Duplicate primary keys and dangling foreign keys; `not_unique` holds the rows the unique
    constraints already found, which a one-column key need not look for again."""
    import pyarrow.compute as pc

    from .checks import duplicated, is_in, rows_where

    out = []
    for table, text in texts.items():
        schema = resource(table)["schema"]
        key = schema["primaryKey"]
        if len(key) == 1 and (table, key[0]) in not_unique:
            rows = not_unique[(table, key[0])]
        else:
            columns = [text.column(c) for c in key]
            joined = columns[0] if len(columns) == 1 else pc.binary_join_element_wise(*columns, "\x1f")
            rows = [int(i) for i in rows_where(duplicated(joined))]
        findings: list[tuple[int, str | None, str]] = [(row, None, "duplicate primary key") for row in rows]
        for fk in schema.get("foreignKeys", []):
            (column,), ref = fk["fields"], fk["reference"]
            target = texts.get(ref["resource"] or table)
            if target is not None:
                values = text.column(column)
                missing = pc.and_(
                    pc.is_valid(values), pc.invert(is_in(values, target.column(ref["fields"][0]).drop_null()))
                )
                message = f"is not a {ref['fields'][0]} of {ref['resource'] or table}"
                findings += [(int(i), column, message) for i in rows_where(missing)]
        out += _problems(table, text, findings)
    return out


def _stored_texts(sources: pa.Table) -> tuple[dict[str, str], list[Problem]]:
    from pathlib import Path

    texts, out = {}, []
    columns = (sources.column(c).to_pylist() for c in ("source_id", "stored_path", "sha256"))
    for source_id, rel, digest in zip(*columns, strict=True):
        if rel is None:
            continue
        file = Path(published_file(rel))
        data = file.read_bytes() if file.is_file() else b""
        if hashlib.sha256(data).hexdigest() != digest:
            message = "stored source is missing or its SHA-256 differs from sources.csv"
            out.append(Problem(str(file), message, source_id, "sha256"))
        else:
            texts[source_id] = data.decode("utf-8")
    return texts, out


def _offset_problems(tables: dict[str, pa.Table]) -> list[Problem]:
    """Every quote equals its stored source's text at its offsets.

    The text at each distinct (source, start, end) is cut once, then compared with every quote
    that claims it in one vectorised step: evidence repeats a quote for each field it supports."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from .checks import rows_where

    texts, out = _stored_texts(tables["sources"])
    keys = ["source_id", "char_start", "char_end"]
    for table in ("evidence", "errata"):
        text = tables[table]
        quoted = text.select([*keys, "quote"]).append_column("row", pa.array(range(text.num_rows), pa.int64()))
        quoted = quoted.filter(
            pc.and_(pc.is_valid(quoted["quote"]), pc.is_in(quoted["source_id"], pa.array(list(texts))))
        )
        spans = quoted.group_by(keys).aggregate([])
        cut = [_cut(texts[s], a, b) for s, a, b in zip(*(spans[k].to_pylist() for k in keys), strict=True)]
        joined = quoted.join(spans.append_column("expected", pa.array(cut, pa.string())), keys, keys)
        skip = pc.equal(joined["expected"], SKIP)  # a bad offset, already reported as a type error
        missing = pc.or_(pc.is_null(joined["char_start"]), pc.is_null(joined["char_end"]))
        differs = pc.and_(
            pc.invert(pc.fill_null(pc.equal(joined["expected"], joined["quote"]), False)), pc.invert(skip)
        )
        rows = joined["row"].to_numpy()
        findings: list[tuple[int, str | None, str]] = [
            (int(rows[i]), "quote", "has no offsets") for i in rows_where(missing)
        ]
        findings += [
            (int(rows[i]), "quote", "differs from the source text at its offsets")
            for i in rows_where(pc.and_(differs, pc.invert(missing)))
        ]
        out += _problems(table, text, sorted(findings))
    return out


SKIP = "\x00not an offset"


def _cut(text: str, start: str | None, end: str | None) -> str | None:
    """The source text at string offsets; SKIP when an offset is not a number (reported elsewhere)."""
    if start is None or end is None:
        return None
    if not (start.isdigit() and end.isdigit()):
        return SKIP
    return text[int(start) : int(end)]


def validate(raise_on_error: bool = False) -> ValidationReport:
    """Check hashes, types and constraints, keys and evidence offsets of every published table."""
    from .checks import UNIQUE, table_findings

    report, texts, not_unique = ValidationReport(), {}, {}
    report.problems += _descriptor_problems()
    for table in tables():
        report.checked.append(table)
        text = _read_table(table, report)
        if text is None:
            continue
        texts[table] = text
        fields = resource(table)["schema"]["fields"]
        findings = table_findings(text, fields)
        report.problems += _problems(table, text, findings)
        for spec in fields:
            if spec.get("constraints", {}).get("unique"):
                not_unique[(table, spec["name"])] = [r for r, f, m in findings if f == spec["name"] and m == UNIQUE]
    if set(texts) >= set(TABLES):  # cross-table checks need every table readable
        report.problems += _key_problems(texts, not_unique) + _offset_problems(texts)
    if raise_on_error:
        report.raise_if_invalid()
    return report
