"""Every format the dataset is written in, each written one way only.

`aoav-data export` and `aoav-data release` share these writers. Each is driven by
datapackage.json (field names, types, descriptions, vocabularies, primary and foreign keys),
never by a list of columns, so a column or table added to the descriptor reaches every format.
Each writer gives the same bytes for the same published files: no clock, fixed zip timestamps
and member order, rows in their published order.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import struct
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._paths import DESCRIPTOR, confined_file, published_file
from .descriptor import metadata, resource, tables, version
from .errors import DataError
from .loaders import load, read_verified
from .phases import phase

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa

RELEASE_EXTRA = "pip install 'aoav-data[release]'"
# Text columns searched by the SQLite full-text index, wherever a table has them.
FTS_FIELDS = ("title", "name", "summary", "description", "quote", "explanation")
# Columns a map needs, shared by every table with places; the rest are copied when present.
PLACE_FIELDS = ("latitude", "longitude")
FEATURE_FIELDS = (
    "title", "date", "date_start", "date_end", "date_precision", "location", "geo_precision", "country_iso3",
)  # fmt: skip
# Files of the data package zip besides the tables and the descriptor.
PACKAGE_FILES = ("docs/codebook.md", "LICENSE", "CITATION.cff")
STATA_LABEL = 80  # characters of a Stata variable label
STATA_ROWS = 20_000  # rows of a table pandas turns into Stata records at a time (write_dta)
XLSX_ROWS = 1_048_576
DATE_FORMAT = "yyyy-mm-dd"
# First characters of text a spreadsheet may take for a formula or an error ("" is the empty string).
RISKY = ("", "=", "+", "-", "@", "#")
WIDTH_SAMPLE = 500  # rows that set a sheet's column widths
ROW_BATCH = 10_000  # rows turned into Python values at a time, so a large table never is all at once
COPY_BLOCK = 1 << 20


def fields(table: str) -> list[dict[str, Any]]:
    return list(resource(table)["schema"]["fields"])


def _enum(spec: dict[str, Any]) -> list[str] | None:
    enum = spec.get("constraints", {}).get("enum")
    return list(enum) if enum is not None else None


def fixed_time() -> dt.datetime:
    """The one timestamp every format records: the descriptor's `created`, never the clock."""
    created = str(metadata().get("created", "1980-01-01T00:00:00Z"))
    return dt.datetime.fromisoformat(created.replace("Z", "+00:00")).replace(tzinfo=None)


def _singular(table: str) -> str:
    """A record's kind as the timeline names it (incidents -> incident)."""
    kinds = {k + "s": k for f in fields("timeline") if f["name"] == "kind" for k in _enum(f) or []}
    return kinds.get(table, table)


# --- Arrow: the typed table every binary format starts from -----------------------------------


def arrow_type(spec: dict[str, Any]) -> pa.DataType:
    import pyarrow as pa

    if _enum(spec) is not None:
        return pa.dictionary(pa.int32(), pa.string())
    return {"integer": pa.int64(), "number": pa.float64(), "date": pa.date32()}.get(spec["type"], pa.string())


def arrow_schema(table: str) -> pa.Schema:
    """The table's Arrow schema: dates as date32, vocabularies as dictionaries, descriptions kept."""
    import pyarrow as pa

    res = resource(table)
    return pa.schema(
        [
            pa.field(
                spec["name"],
                arrow_type(spec),
                nullable=not spec.get("constraints", {}).get("required", False),
                metadata={"description": spec.get("description", "")},
            )
            for spec in res["schema"]["fields"]
        ],
        metadata={"table": table, "description": res.get("description", ""), "version": version()},
    )


def arrow_table(table: str) -> pa.Table:
    """One published table in Arrow, each vocabulary a dictionary holding its whole vocabulary."""
    import pyarrow as pa

    frame = load(table)
    schema = arrow_schema(table)
    converted = pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
    columns = []
    for spec, column in zip(fields(table), converted.columns, strict=True):
        enum = _enum(spec)
        if enum is not None:  # codes against the declared vocabulary, not only the values present
            codes = frame[spec["name"]].cat.codes.to_numpy()
            indices = pa.array(codes, pa.int32(), mask=codes < 0)
            column = pa.DictionaryArray.from_arrays(indices, pa.array(enum, pa.string()))
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=converted.schema)


def _rows(data: pa.Table) -> Iterator[tuple[Any, ...]]:
    """Rows as Python values (dates as datetime.date, missing as None), converted a batch at a time."""
    for batch in data.to_batches(max_chunksize=ROW_BATCH):
        yield from zip(*(column.to_pylist() for column in batch.columns), strict=True)


def _dates_as_text(data: pa.Table) -> pa.Table:
    """Date columns as YYYY-MM-DD text, converted by Arrow a column at a time, not value by value."""
    import pyarrow as pa

    for i, field in enumerate(data.schema):
        if pa.types.is_date(field.type):
            data = data.set_column(i, field.name, data.column(i).cast(pa.string()))
    return data


# --- Per-table formats ------------------------------------------------------------------------


def write_csv(table: str, target: Path) -> Path:
    """The published CSV itself, byte for byte, after its hash check."""
    target.write_bytes(read_verified(table))
    return target


def write_parquet(table: str, target: Path) -> Path:
    """Parquet with dates as DATE (date32), vocabularies as dictionaries, descriptions as field metadata."""
    import pyarrow.parquet as pq

    pq.write_table(arrow_table(table), target, compression="zstd")
    return target


def _json_value(value: Any) -> Any:
    """Dates as YYYY-MM-DD (a date column read by pandas holds midnight timestamps)."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return value.isoformat() if isinstance(value, dt.date) else value


def json_records(frame: pd.DataFrame) -> str:
    """A typed table as JSON records: dates as YYYY-MM-DD, numbers as numbers, missing as null."""
    import pyarrow as pa

    rows = pa.Table.from_pandas(frame, preserve_index=False).to_pylist()
    return json.dumps([{k: _json_value(v) for k, v in row.items()} for row in rows], ensure_ascii=False, indent=1)


def write_json(table: str, target: Path) -> Path:
    """JSON records: dates as YYYY-MM-DD, numbers as numbers, missing as null."""
    target.write_text(json_records(load(table)) + "\n", encoding="utf-8", newline="\n")
    return target


def _stata_label(text: str) -> str:
    """The description's first sentence, within Stata's 80 characters."""
    first = re.split(r"(?<=[.;:])\s", text.strip(), maxsplit=1)[0]
    return first if len(first) <= STATA_LABEL else first[: STATA_LABEL - 1].rstrip() + "…"


def write_dta(table: str, target: Path) -> Path:
    """Stata 14+ .dta: variable labels from the descriptions, value labels for every vocabulary.

    pandas' to_stata holds several fixed-width copies of the whole table at once (each text column
    padded to its longest value, then a record array of every column, then its bytes): gigabytes for
    a table of a million rows. A table longer than STATA_ROWS is therefore written a slice at a time
    (_write_dta_slices), in the bytes to_stata gives for the whole table."""
    frame = load(table)
    specs = fields(table)
    for spec in specs:  # Stata's missing text is the empty string
        if spec["type"] == "string" and _enum(spec) is None:
            frame[spec["name"]] = frame[spec["name"]].fillna("")
    strl = [
        s["name"] for s in specs if s["type"] == "string" and _enum(s) is None and _longest(frame[s["name"]]) > 2045
    ]
    options: dict[str, Any] = {
        "write_index": False,
        "version": 118,
        "convert_dates": {s["name"]: "td" for s in specs if s["type"] == "date"},
        "variable_labels": {s["name"]: _stata_label(s.get("description", "")) for s in specs},
        "data_label": _stata_label(resource(table).get("title", table)),
        "time_stamp": fixed_time(),
        "convert_strl": strl,
    }
    if len(frame) <= STATA_ROWS or strl:  # a strL column's texts are stored after the rows, from every row
        frame.to_stata(target, **options)  # pandas removes the file if writing fails
    else:
        _write_dta_slices(frame, target, options)
    return target


def _write_dta_slices(frame: pd.DataFrame, target: Path, options: dict[str, Any]) -> None:
    """A .dta written STATA_ROWS rows at a time, byte for byte what to_stata writes for the whole frame.

    Each slice goes through to_stata with the rows that set the whole frame's variable types and widths
    (_extreme_rows) after it, so that pandas types every slice as the whole; the slice's records are cut
    from its file. The header, the map and what follows the records (value labels) are the first slice's,
    with the row count and the offsets past the records set for the whole frame."""
    import pandas as pd

    extremes = frame.iloc[sorted({i for name in frame.columns for i in _extreme_rows(frame[name])})]
    partial = target.with_name(target.name + ".partial")
    try:
        with partial.open("wb") as out:
            for start in range(0, len(frame), STATA_ROWS):
                part = frame.iloc[start : start + STATA_ROWS]
                buffer = io.BytesIO()
                pd.concat([part, extremes], ignore_index=True).to_stata(buffer, **options)
                dta = _DtaParts(buffer.getvalue(), len(part) + len(extremes))
                if start == 0:
                    tail = dta.tail
                    out.write(dta.head(rows=len(frame)))
                out.write(dta.records[: len(part) * dta.width])
            out.write(tail)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def _extreme_rows(column: pd.Series) -> set[int]:
    """Positions of the values that decide a column's Stata type: its least and greatest (_type_key) and
    its first missing value (pandas counts a missing integer as 0 when it sizes the column)."""
    import numpy as np

    missing = column.isna().to_numpy()
    out = {int(missing.argmax())} if missing.any() else set()
    key = _type_key(column)
    if key is not None and not np.isnan(key).all():
        out |= {int(np.nanargmax(key)), int(np.nanargmin(key))}
    return out


def _type_key(column: pd.Series) -> np.ndarray[Any, Any] | None:
    """What pandas sizes a column's Stata type by, as floats (missing as NaN): a text's UTF-8 bytes (the
    width of the column), a vocabulary's code or a number (a 1-, 2- or 4-byte integer by its range).
    None for a date, whose type is fixed."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy().astype(np.float64)
    if pd.api.types.is_string_dtype(column.dtype):
        lengths = pc.binary_length(pa.array(column, type=pa.string()))
        return np.asarray(lengths.to_numpy(zero_copy_only=False), dtype=np.float64)
    if pd.api.types.is_numeric_dtype(column.dtype):
        return column.to_numpy(dtype=np.float64, na_value=np.nan)
    return None


class _DtaParts:
    """The parts of a dta 118 file from to_stata: the header and map, the records, and what follows."""

    def __init__(self, dta: bytes, rows: int) -> None:
        self.dta = dta
        self.order = "<" if dta.startswith(b"<stata_dta><header><release>118</release><byteorder>LSF") else ">"
        self.rows_at = dta.index(b"<N>") + 3
        self.map_at = dta.index(b"</header><map>") + len(b"</header><map>")
        self.offsets = list(struct.unpack(f"{self.order}14Q", dta[self.map_at : self.map_at + 14 * 8]))
        # The map's entries: 9 is <data>, 10 is <strls>, each after the one before.
        if self.offsets[1] != self.map_at - len(b"<map>") or dta[self.offsets[9] : self.offsets[9] + 6] != b"<data>":
            raise ValueError("pandas wrote a .dta whose layout is not dta 118's")
        self.rows = rows
        self.records = dta[self.offsets[9] + len(b"<data>") : self.offsets[10] - len(b"</data>")]
        self.width = len(self.records) // rows
        if self.width * rows != len(self.records) or dta[self.offsets[10] - 7 : self.offsets[10]] != b"</data>":
            raise ValueError("pandas wrote .dta records that are not rows of one width")
        self.tail = dta[self.offsets[10] - len(b"</data>") :]

    def head(self, rows: int) -> bytes:
        """Everything before the records, for a file of `rows` rows: its row count and the map's offsets
        past the records moved by the records' length."""
        shift = (rows - self.rows) * self.width
        offsets = [at + shift if i >= 10 else at for i, at in enumerate(self.offsets)]
        head = bytearray(self.dta[: self.offsets[9] + len(b"<data>")])
        head[self.rows_at : self.rows_at + 8] = struct.pack(f"{self.order}Q", rows)
        head[self.map_at : self.map_at + 14 * 8] = struct.pack(f"{self.order}14Q", *offsets)
        return bytes(head)


def _longest(series: pd.Series) -> int:
    """The longest value's UTF-8 bytes, counted by Arrow (a loop in Python is slow on a large table)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    longest = pc.max(pc.binary_length(pa.array(series, type=pa.string()))).as_py()
    return int(longest or 0)


# --- Whole-dataset formats ----------------------------------------------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


SQL_TYPES = {"integer": "INTEGER", "number": "REAL", "date": "DATE"}


def _create_table(table: str) -> str:
    schema = resource(table)["schema"]
    lines = []
    for spec in schema["fields"]:
        column = f"{_quote(spec['name'])} {SQL_TYPES.get(spec['type'], 'TEXT')}"
        if spec.get("constraints", {}).get("required"):
            column += " NOT NULL"
        enum = _enum(spec)
        if enum is not None:
            allowed = ", ".join("'" + v.replace("'", "''") + "'" for v in enum)
            column += f" CHECK ({_quote(spec['name'])} IN ({allowed}))"
        lines.append(column)
    lines.append(f"PRIMARY KEY ({', '.join(_quote(c) for c in schema['primaryKey'])})")
    for fk in schema.get("foreignKeys", []):
        target = fk["reference"]["resource"] or table
        lines.append(
            f"FOREIGN KEY ({', '.join(_quote(c) for c in fk['fields'])}) "
            f"REFERENCES {_quote(target)} ({', '.join(_quote(c) for c in fk['reference']['fields'])})"
        )
    return f"CREATE TABLE {_quote(table)} (\n  " + ",\n  ".join(lines) + "\n)"


def fts_fields(table: str) -> list[str]:
    return [s["name"] for s in fields(table) if s["name"] in FTS_FIELDS and s["type"] == "string"]


def write_sqlite(target: Path) -> Path:
    """SQLite: typed columns, primary and foreign keys, NULL for missing, full-text search (FTS5)."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        _fill_sqlite(partial, target)
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise DataError(str(target), f"cannot be written: {exc}") from exc
    os.replace(partial, target)
    return target


def _fill_sqlite(partial: Path, target: Path) -> None:
    connection = sqlite3.connect(partial)
    try:
        for table in tables():
            connection.execute(_create_table(table))
            data = _dates_as_text(arrow_table(table))  # SQLite's DATE is the ISO text
            marks = ", ".join("?" for _ in data.column_names)
            connection.executemany(f"INSERT INTO {_quote(table)} VALUES ({marks})", _rows(data))
            for fk in resource(table)["schema"].get("foreignKeys", []):
                columns = ", ".join(_quote(c) for c in fk["fields"])
                index = _quote(f"idx_{table}_{'_'.join(fk['fields'])}")
                connection.execute(f"CREATE INDEX {index} ON {_quote(table)} ({columns})")
            searched = fts_fields(table)
            if searched:
                columns = ", ".join(_quote(c) for c in searched)
                connection.execute(
                    f"CREATE VIRTUAL TABLE {_quote(table + '_fts')} USING fts5({columns}, content={_quote(table)})"
                )
                connection.execute(
                    f"INSERT INTO {_quote(table + '_fts')} (rowid, {columns}) "
                    f"SELECT rowid, {columns} FROM {_quote(table)}"
                )
        connection.commit()
        broken = connection.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            table, rowid, parent, _ = broken[0]
            raise DataError(str(target), f"{len(broken)} broken foreign keys, first: {table} row {rowid} -> {parent}")
        connection.execute("VACUUM")
    finally:
        connection.close()


def datasette_metadata(database: str) -> dict[str, Any]:
    """Datasette's metadata: title, licence, source, every table's and column's description, facets."""
    meta = metadata()
    licence = (meta.get("licenses") or [{}])[0]
    sources = meta.get("sources") or [{}]
    out_tables: dict[str, Any] = {}
    for table in tables():
        res = resource(table)
        specs = res["schema"]["fields"]
        config: dict[str, Any] = {
            "title": res.get("title", table),
            "description": res.get("description", ""),
            "columns": {s["name"]: s.get("description", "") for s in specs},
            "facets": [s["name"] for s in specs if _enum(s) is not None],
        }
        label = next((c for c in ("title", "name") if c in {s["name"] for s in specs}), None)
        if label:
            config["label_column"] = label
        out_tables[table] = config
        if fts_fields(table):
            out_tables[table + "_fts"] = {"hidden": True}
    return {
        "title": f"{meta.get('title', 'aoav-data')} (version {version()})",
        "description": meta.get("description", ""),
        "license": licence.get("name", ""),
        "license_url": licence.get("path", ""),
        "source": "; ".join(str(s.get("title", "")) for s in sources),
        "source_url": str(sources[0].get("path", "")),
        "databases": {database: {"tables": out_tables}},
    }


def write_datasette_metadata(target: Path, database: str) -> Path:
    text = json.dumps(datasette_metadata(database), ensure_ascii=False, indent=2) + "\n"
    target.write_text(text, encoding="utf-8", newline="\n")
    return target


def geojson() -> dict[str, Any]:
    """Every located record (a table with latitude and longitude) as a GeoJSON Point feature."""
    features = []
    for table in tables():
        specs = {s["name"]: s for s in fields(table)}
        if not all(c in specs and specs[c]["type"] == "number" for c in PLACE_FIELDS):
            continue
        key = resource(table)["schema"]["primaryKey"]
        data = arrow_table(table)
        names = data.column_names
        for row in _rows(data):
            values = dict(zip(names, row, strict=True))
            if values["latitude"] is None or values["longitude"] is None:
                continue
            record_id = "/".join(str(values[k]) for k in key)
            properties = {"kind": _singular(table), "table": table, "record_id": record_id}
            properties.update({c: _json_value(values[c]) for c in FEATURE_FIELDS if c in values})
            features.append(
                {
                    "type": "Feature",
                    "id": f"{table}/{record_id}",
                    "geometry": {"type": "Point", "coordinates": [values["longitude"], values["latitude"]]},
                    "properties": properties,
                }
            )
    return {"type": "FeatureCollection", "features": features}


def write_geojson(target: Path) -> Path:
    target.write_text(json.dumps(geojson(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8", newline="\n")
    return target


def _zip_entry(name: str, when: dt.datetime) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # the same bytes whichever system writes it
    info.external_attr = 0o644 << 16
    return info


def _write_zip(target: Path, members: list[tuple[str, Callable[[], bytes]]]) -> None:
    """Each member is read as it is written, so one file at a time is in memory, not the package."""
    when = max(fixed_time(), dt.datetime(1980, 1, 1))
    part = target.with_name(target.name + ".partial")  # a member that cannot be read leaves no zip
    try:
        with zipfile.ZipFile(part, "w") as archive:
            for name, read in members:
                archive.writestr(_zip_entry(name, when), read(), compresslevel=6)
        os.replace(part, target)
    finally:
        part.unlink(missing_ok=True)


def _stored_source_files() -> list[str]:
    """Every file of each stored source's folder (the text, and its source.yaml with its licence)."""
    data = arrow_table("sources")
    paths = data.column("stored_path").to_pylist() if "stored_path" in data.column_names else []
    folders = sorted({os.path.dirname(str(stored)) for stored in paths if stored})
    out = []
    for folder in folders:
        root = confined_file(folder)
        if root is None:
            raise DataError(published_file("csv/sources.csv"), f"stored_path {folder!r} leaves the package")
        if not os.path.isdir(root):
            raise DataError(root, "stored source folder is missing")
        out += [f"{folder}/{name}" for name in sorted(os.listdir(root)) if os.path.isfile(os.path.join(root, name))]
    return out


def _published_bytes(rel: str) -> bytes:
    file = confined_file(rel)
    if file is None:
        raise DataError(published_file(DESCRIPTOR), f"{rel!r} is not a relative path inside the package")
    try:
        with open(file, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise DataError(file, f"cannot be read: {exc.strerror or exc}") from exc


def write_package_zip(target: Path, folder: str) -> Path:
    """The data package as one zip, under `folder/`: descriptor, CSVs, codebook, stored sources,
    licence and citation; `frictionless validate` accepts it once unzipped."""
    members: dict[str, Callable[[], bytes]] = {DESCRIPTOR: functools.partial(_published_bytes, DESCRIPTOR)}
    members.update({resource(t)["path"]: functools.partial(read_verified, t) for t in tables()})
    members.update({rel: functools.partial(_published_bytes, rel) for rel in (*PACKAGE_FILES, *_stored_source_files())})
    _write_zip(target, [(f"{folder}/{rel}", members[rel]) for rel in sorted(members)])
    return target


def _require_openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError as exc:
        raise ModuleNotFoundError(f"the Excel workbook needs openpyxl: {RELEASE_EXTRA}", name="openpyxl") from exc
    return openpyxl


def write_xlsx(target: Path) -> Path:
    """Excel: a README sheet, a codebook sheet, and one sheet per table with real dates and numbers.

    Every text cell is stored as text (never as a formula), and the file's own timestamps are
    the descriptor's `created`, so the same data gives the same bytes. The workbook is written in
    openpyxl's write-only mode: rows stream to disk as they come, so time grows with the rows and
    memory stays flat (a normal workbook keeps every cell, and finding the last row is quadratic)."""
    openpyxl = _require_openpyxl()
    from openpyxl.styles import Font

    meta, bold = metadata(), Font(bold=True)
    book = openpyxl.Workbook(write_only=True)
    book.properties.creator = "aoav-data"
    book.properties.title = str(meta.get("title", ""))
    book.properties.created = book.properties.modified = fixed_time()
    _readme_sheet(book, bold)
    _codebook_sheet(book, bold)
    for table in tables():
        _table_sheet(book, table, bold, target)
    partial = target.with_name(target.name + ".partial")
    try:
        book.save(partial)
        _fixed_zip_times(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def _readme_sheet(book: Any, bold: Any) -> None:
    from .citation import cite

    meta = metadata()
    licence = (meta.get("licenses") or [{}])[0]
    lines: list[tuple[str, str]] = [
        ("title", str(meta.get("title", ""))),
        ("version", version()),
        ("licence", f"{licence.get('name', '')}: {licence.get('title', '')} {licence.get('path', '')}".strip()),
        ("description", str(meta.get("description", ""))),
        ("how to cite", cite("apa").strip()),
        ("codebook", "The sheet 'codebook' describes every column: type, vocabulary and meaning."),
    ]
    lines += [(f"sheet {t}", str(resource(t).get("description", ""))) for t in tables()]
    readme = book.create_sheet("README")
    _set_widths(readme, [18, 120])
    for name, text in lines:
        readme.append([*_cells(readme, [name], bold), *_cells(readme, [text])])


def _codebook_sheet(book: Any, bold: Any) -> None:
    codebook = book.create_sheet("codebook")
    codebook.freeze_panes = "A2"
    codebook.append(
        _cells(codebook, ["table", "field", "type", "required", "vocabulary", "references", "description"], bold)
    )
    for table in tables():
        schema = resource(table)["schema"]
        refs = {
            fk["fields"][0]: f"{fk['reference']['resource'] or table}.{fk['reference']['fields'][0]}"
            for fk in schema.get("foreignKeys", [])
        }
        for spec in schema["fields"]:
            constraints = spec.get("constraints", {})
            vocabulary = " | ".join(_enum(spec) or [])
            required = "yes" if constraints.get("required") else "no"
            described = (table, spec["name"], spec["type"], required, vocabulary, refs.get(spec["name"], ""))
            codebook.append(_cells(codebook, [*described, spec.get("description", "")]))


def _table_sheet(book: Any, table: str, bold: Any, target: Path) -> None:
    """One table's sheet: bold frozen header, autofilter over every row, columns as wide as their text."""
    from openpyxl.utils import get_column_letter

    data = arrow_table(table)
    if data.num_rows + 1 > XLSX_ROWS:
        raise DataError(str(target), f"table {table!r} has {data.num_rows} rows, more than a sheet holds")
    names = data.column_names
    sheet = book.create_sheet(table[:31])
    # A streamed sheet writes its view and column widths before its first row, so they are set first.
    sheet.freeze_panes = "A2"
    sample = list(_rows(data.slice(0, WIDTH_SAMPLE)))
    _set_widths(sheet, [_width(name, [row[i] for row in sample]) for i, name in enumerate(names)])
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(names))}{data.num_rows + 1}"
    sheet.append(_cells(sheet, names, bold))
    for row in _rows(data):
        sheet.append(_cells(sheet, row))


def _width(name: str, values: list[Any]) -> int:
    """A column's width: its widest value among the first rows, within 10 and 60 characters."""
    widest = max([len(name), *(len(str(v)) for v in values if v is not None)])
    return min(60, max(10, widest + 2))


def _set_widths(sheet: Any, widths: list[int]) -> None:
    from openpyxl.utils import get_column_letter

    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _cells(sheet: Any, values: list[Any] | tuple[Any, ...], font: Any = None) -> list[Any]:
    """A row for a streamed sheet. openpyxl types a plain value itself, and reads a string that starts
    with = as a formula (or "#N/A" as an error): a string that starts with any character a spreadsheet
    may read as more than text is a cell typed as text. Other strings and numbers go as they are (a
    cell object each costs several times more), dates as cells shown as yyyy-mm-dd."""
    from openpyxl.cell import WriteOnlyCell

    out: list[Any] = []
    for value in values:
        text = isinstance(value, str)
        if value is None or (font is None and not isinstance(value, dt.date) and not (text and value[:1] in RISKY)):
            out.append(value)
            continue
        cell = WriteOnlyCell(sheet, value)
        if text:
            cell.data_type = "s"
        elif isinstance(value, dt.date):
            cell.number_format = DATE_FORMAT
        if font is not None:
            cell.font = font
        out.append(cell)
    return out


def _fixed_zip_times(source: Path, target: Path) -> None:
    """The workbook's zip copied to `target` with fixed member times, and its `modified` date fixed.

    Members are streamed, not read whole: a sheet of a large table is hundreds of megabytes of XML."""
    stamp = fixed_time().strftime("%Y-%m-%dT%H:%M:%SZ")
    when = max(fixed_time(), dt.datetime(1980, 1, 1))
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(target, "w") as out:
        for info in archive.infolist():
            entry = _zip_entry(info.filename, when)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp.encode() + rb"\g<2>",
                    archive.read(info),
                )
                out.writestr(entry, content, compresslevel=6)
                continue
            entry.file_size = info.file_size  # so that zipfile knows whether the member needs ZIP64
            # A ZipInfo without a level compresses at zlib's default, which is level 6, as writestr's above.
            with archive.open(info) as src, out.open(entry, "w") as dst:
                shutil.copyfileobj(src, dst, COPY_BLOCK)


# --- export and release -------------------------------------------------------------------------

PER_TABLE = {"parquet": write_parquet, "csv": write_csv, "json": write_json, "dta": write_dta}
WHOLE = ("sqlite", "xlsx", "geojson", "zip")
FORMATS = (*PER_TABLE, *WHOLE)
# The files of a release: each whole-dataset format's suffixes after the stem, the per-table formats,
# and the checksums. release() writes exactly release_files(); the site's JSON-LD and the Croissant
# metadata list them from here.
WHOLE_SUFFIXES = {
    "sqlite": (".sqlite", ".datasette.json"),
    "xlsx": (".xlsx",),
    "geojson": (".geojson",),
    "zip": (".zip",),
}
RELEASE_PER_TABLE = ("parquet", "dta")
CHECKSUMS = "SHA256SUMS"
MEDIA_TYPES = {
    ".zip": "application/zip", ".sqlite": "application/vnd.sqlite3", ".datasette.json": "application/json",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".geojson": "application/geo+json",
    ".parquet": "application/vnd.apache.parquet", ".dta": "application/x-stata-dta", CHECKSUMS: "text/plain",
}  # fmt: skip


def release_files(release_version: str, table_names: list[str]) -> list[str]:
    """Names of every file `release` writes for this version and these tables, in its order."""
    stem = f"aoav-data-{release_version}"
    names = [stem + suffix for fmt in WHOLE for suffix in WHOLE_SUFFIXES[fmt]]
    names += [f"{stem}-{table}.{fmt}" for table in table_names for fmt in RELEASE_PER_TABLE]
    return [*sorted(names), CHECKSUMS]


def media_type(name: str) -> str:
    """The IANA media type of a release file, by its suffix (the longest that matches)."""
    return next(t for s, t in sorted(MEDIA_TYPES.items(), key=lambda i: -len(i[0])) if name.endswith(s))


def write_whole(fmt: str, folder: Path, stem: str) -> list[Path]:
    """One whole-dataset format, as `<folder>/<stem>.<ext>` (and Datasette's metadata beside SQLite)."""
    if fmt not in WHOLE:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    first, *rest = (folder / f"{stem}{suffix}" for suffix in WHOLE_SUFFIXES[fmt])
    if fmt == "sqlite":
        return [write_sqlite(first), write_datasette_metadata(rest[0], first.stem)]
    if fmt == "xlsx":
        return [write_xlsx(first)]
    if fmt == "geojson":
        return [write_geojson(first)]
    return [write_package_zip(first, stem)]


def export(folder: Path | str, fmt: str = "parquet") -> list[Path]:
    """Write the dataset in one format: `<folder>/<table>.<fmt>` for each table (parquet, csv, json,
    dta), or `<folder>/aoav-data.<fmt>` (sqlite, xlsx, geojson, zip). Returns the files written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "xlsx":
        _require_openpyxl()
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    if fmt in PER_TABLE:
        return [PER_TABLE[fmt](table, out / f"{table}.{fmt}") for table in tables()]
    return write_whole(fmt, out, "aoav-data")


def release(folder: Path | str, *, excel: bool = True) -> list[Path]:
    """Every format of the current version, each file named with the version, and SHA256SUMS.

    Writes aoav-data-<version>.zip (the data package), .sqlite (with .datasette.json), .xlsx and
    .geojson, and aoav-data-<version>-<table>.parquet and .dta for each table. `excel=False` leaves
    out the workbook (the dataset site does, where openpyxl is not installed)."""
    if excel:
        _require_openpyxl()
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    stem = f"aoav-data-{version()}"
    written: list[Path] = []
    for fmt in WHOLE:
        if fmt != "xlsx" or excel:
            with phase(f"release: {fmt}"):
                written += write_whole(fmt, out, stem)
    for table in tables():
        for fmt in RELEASE_PER_TABLE:
            with phase(f"release: {fmt}, one file per table"):
                written.append(PER_TABLE[fmt](table, out / f"{stem}-{table}.{fmt}"))
    with phase("release: SHA256SUMS"):
        sums = "".join(f"{_sha256(p)}  {p.name}\n" for p in sorted(written, key=lambda p: p.name))
    checksums = out / CHECKSUMS
    checksums.write_text(sums, encoding="utf-8", newline="\n")
    return [*sorted(written, key=lambda p: p.name), checksums]


def _sha256(file: Path) -> str:
    digest = hashlib.sha256()
    with file.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
