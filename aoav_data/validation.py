"""validate(): every check a user can run on the installed data, gathered in one report."""

from __future__ import annotations

import hashlib
import mmap
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import _paths, descriptor
from ._paths import DESCRIPTOR, confined_file, published_file
from .descriptor import metadata, path, resource
from .errors import DataError
from .loaders import verify

if TYPE_CHECKING:
    import pyarrow as pa

    from .rules import Counts

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
    key = [c for c in resource(table)["schema"]["primaryKey"] if c in text.column_names]  # a broken key is reported
    return "/".join(str(text.column(c)[row].as_py() or "") for c in key)


def _problems(table: str, text: pa.Table, findings: list[tuple[int, str | None, str]]) -> list[Problem]:
    from .cells import shown

    file, out = str(path(table)), []
    for row, column, message in findings:
        value = text.column(column)[row].as_py() if column else None
        out.append(Problem(file, shown(value) + message, _key(text, table, row), column))
    return out


_RESOURCE_KEYS = ("name", "path", "bytes", "hash", "schema")


def _resource_problems() -> tuple[list[Problem], list[str]]:
    """Every resource is whole (name, path inside the package, bytes, hash, schema with fields and a
    key) and named once; returns the problems and the tables that can be checked further."""
    file, out, good = published_file(DESCRIPTOR), [], []
    for number, res in enumerate(metadata()["resources"], 1):
        name = res.get("name") if isinstance(res, dict) else None
        label = name if isinstance(name, str) else f"resource {number}"
        schema = res.get("schema") if isinstance(res, dict) else None
        missing = [k for k in _RESOURCE_KEYS if not isinstance(res, dict) or k not in res]
        if not missing and not (isinstance(schema, dict) and isinstance(schema.get("fields"), list)):
            missing.append("schema.fields")
        if not missing and "primaryKey" not in schema:  # type: ignore[operator]
            missing.append("schema.primaryKey")
        if missing:
            out.append(Problem(file, "resource lacks " + ", ".join(missing), label, missing[0]))
        elif name in good or not isinstance(name, str):
            out.append(Problem(file, "two resources have this name", label, "name"))
        elif confined_file(res["path"]) is None:
            out.append(Problem(file, f"{res['path']!r} is not a relative path inside the package", label, "path"))
        else:
            good.append(name)
    return out, good


def _descriptor_problems(good: list[str]) -> list[Problem]:
    """The descriptor declares every table the package serves, and foreign keys name real tables."""
    file, out = published_file(DESCRIPTOR), []
    out += [Problem(file, f"has no resource {table!r}") for table in TABLES if table not in good]
    for name in good:
        out += _field_problems(file, name)
        schema = resource(name)["schema"]
        if not _names_fields(schema["primaryKey"], name):
            message = f"primary key {schema['primaryKey']!r} is not a list of fields of {name}"
            out.append(Problem(file, message, name, "primaryKey"))
        for fk in schema.get("foreignKeys", []):
            target = fk["reference"]["resource"] or name
            if target not in good:
                message = f"foreign key of {name}.{fk['fields'][0]} refers to unknown resource {target!r}"
                out.append(Problem(file, message, name, "foreignKeys"))
            elif not (_names_fields(fk["fields"], name, 1) and _names_fields(fk["reference"]["fields"], target, 1)):
                message = f"foreign key {fk['fields']!r} -> {target}.{fk['reference']['fields']!r} is not one field "
                out.append(Problem(file, message + "of each table", name, "foreignKeys.fields"))
    return out


def _names_fields(names: object, table: str, most: int | None = None) -> bool:
    """A key's fields: a list of names of the table's fields (at most `most` of them: the package's
    foreign keys are one field each)."""
    fields = {f.get("name") for f in resource(table)["schema"]["fields"] if isinstance(f, dict)}
    if not isinstance(names, list) or not names or (most is not None and len(names) > most):
        return False
    return all(isinstance(n, str) and n in fields for n in names)


# Which field types each constraint may qualify (Table Schema): a count retyped as text is caught
# by the bounds it still carries.
_CONSTRAINT_TYPES = {"minimum": {"integer", "number", "date"}, "maximum": {"integer", "number", "date"},
                     "pattern": {"string"}}  # fmt: skip
_TYPES = {"string", "integer", "number", "date"}


def _field_problems(file: str, table: str) -> list[Problem]:
    out = []
    for spec in resource(table)["schema"]["fields"]:
        kind, where = spec.get("type"), f"{table}.{spec.get('name')}"
        if kind not in _TYPES:
            out.append(Problem(file, f"field {where} has type {kind!r}, not one of {sorted(_TYPES)}", table, "type"))
            continue
        for constraint, kinds in _CONSTRAINT_TYPES.items():
            if constraint in spec.get("constraints", {}) and kind not in kinds:
                message = f"field {where} has type {kind!r}, which cannot have a {constraint!r}"
                out.append(Problem(file, message, table, "type"))
    return out


def _mapped(file: str) -> Any:
    """A file's bytes without a copy (an mmap; bytes for an empty or unmappable file)."""
    with open(file, "rb") as handle:
        try:
            return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # empty, or not a regular file
            return handle.read()


def _sha256(data: Any) -> str:
    return hashlib.sha256(data).hexdigest()  # releases the GIL: Arrow parses meanwhile


def _read_table(table: str, report: ValidationReport, pool: ThreadPoolExecutor) -> pa.Table | None:
    """The table's cells as text, after the integrity check; None (and a problem) when unreadable.

    The file is read once and shared: it is hashed in `pool` while Arrow parses it, and the parse
    counts only once its size and hash are the descriptor's (else the integrity problem is
    reported, as if it had been checked first)."""
    from .cells import read_text_table

    file = str(path(table))
    try:
        data = _mapped(file)
    except OSError as exc:
        report.problems.append(Problem(file, f"cannot be read: {exc}"))
        return None
    digest = pool.submit(_sha256, data)
    text, unreadable = None, None
    try:
        text = read_text_table(data)
    except (ValueError, UnicodeDecodeError) as exc:  # pyarrow's ArrowInvalid is a ValueError
        unreadable = exc
    try:
        verify(table, len(data), digest.result())
    except DataError as exc:
        report.problems.append(Problem(exc.file, str(exc).removeprefix(exc.file + ": ")))
        return None
    if text is None:
        report.problems.append(Problem(file, f"is not readable CSV: {unreadable}"))
        return None
    names = [f["name"] for f in resource(table)["schema"]["fields"]]
    if text.column_names != names:
        report.problems.append(Problem(file, f"has columns {text.column_names}, expected {names}"))
        return None
    return text


def _key_problems(texts: dict[str, pa.Table], not_unique: dict[tuple[str, str], list[int]]) -> list[Problem]:
    """Duplicate primary keys and dangling foreign keys; `not_unique` holds the rows the unique
    constraints already found, which a one-column key need not look for again."""
    import pyarrow.compute as pc

    from .cells import duplicated, is_in, rows_where

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
        # A key cell is required even where its field does not say so (Table Schema); where it does,
        # the cell checks have reported it.
        required = {f["name"] for f in schema["fields"] if f.get("constraints", {}).get("required")}
        for column in (c for c in key if c not in required):
            findings += [(int(i), column, "is empty in the primary key") for i in rows_where(pc.is_null(text[column]))]
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
        inside = confined_file(rel)
        if inside is None:
            out.append(
                Problem(str(path("sources")), f"{rel!r} is not a path inside the package", source_id, "stored_path")
            )
            continue
        file = Path(inside)
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

    from .cells import rows_where

    texts, out = _stored_texts(tables["sources"])
    keys = ["source_id", "char_start", "char_end"]
    for table in ("evidence", "errata"):
        text = tables[table]
        quoted = text.select([*keys, "quote"]).append_column("row", pa.array(range(text.num_rows), pa.int64()))
        quoted = quoted.filter(
            pc.and_(pc.is_valid(quoted["quote"]), pc.is_in(quoted["source_id"], pa.array(list(texts), pa.string())))
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
    if not (start.isascii() and start.isdigit() and end.isascii() and end.isdigit()):
        return SKIP
    return text[int(start) : int(end)]


@contextmanager
def published_at(folder: str) -> Iterator[None]:
    """Read the package in `folder` meanwhile: the build validates what it has staged."""

    def forget() -> None:
        _paths.published_root.cache_clear()
        descriptor.metadata.cache_clear()

    _paths._OVERRIDE.append(folder)
    forget()
    try:
        yield
    finally:
        _paths._OVERRIDE.pop()
        forget()


def validate(raise_on_error: bool = False) -> ValidationReport:
    """Check hashes, types and constraints, keys and evidence offsets of every published table."""
    from .cells import UNIQUE, table_checks

    report, texts, not_unique, counts = ValidationReport(), {}, {}, {}
    resource_problems, good = _resource_problems()
    report.problems += resource_problems + _descriptor_problems(good)
    with ThreadPoolExecutor(max_workers=1) as pool:
        for table in good:
            report.checked.append(table)
            text = _read_table(table, report, pool)
            if text is None:
                continue
            texts[table] = text
            fields = resource(table)["schema"]["fields"]
            findings, counts[table] = table_checks(text, fields)
            report.problems += _problems(table, text, findings)
            for spec in fields:
                if spec.get("constraints", {}).get("unique"):
                    found = [r for r, f, m in findings if f == spec["name"] and m == UNIQUE]
                    not_unique[(table, spec["name"])] = found
    keys_whole = not any(p.field in ("primaryKey", "foreignKeys.fields") for p in report.problems)
    if set(texts) >= set(TABLES) and keys_whole:  # cross-table checks need every table readable, keys that hold
        report.problems += _cross_problems(texts, not_unique, counts)
    if raise_on_error:
        report.raise_if_invalid()
    return report


def _cross_problems(
    texts: dict[str, pa.Table], not_unique: dict[tuple[str, str], list[int]], counts: Mapping[str, Counts]
) -> list[Problem]:
    """Keys, quotes against their sources, and the rules across fields and tables: three independent
    passes of Arrow kernels (which release the GIL), run side by side on two cores."""
    from .rules import rule_problems

    def rules() -> list[Problem]:
        schemas = {t: resource(t)["schema"] for t in texts}
        return [Problem(str(path(t)), m, r, f) for t, r, f, m in rule_problems(texts, schemas, counts)]

    with ThreadPoolExecutor(max_workers=2) as pool:
        keys, offsets, rules_ = (pool.submit(_key_problems, texts, not_unique), pool.submit(_offset_problems, texts),
                                 pool.submit(rules))  # fmt: skip
        return keys.result() + offsets.result() + rules_.result()
