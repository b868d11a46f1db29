"""What the polars and DuckDB implementations of validate()'s rules share: the descriptor, the
integrity check (byte size and SHA-256, hashed in a thread while the engine parses), the strict
syntaxes of aoav_data/cells.py, and one output format.

Each engine checks, driven by datapackage.json: types (ASCII-digit integers without leading zeros
that fit 64 bits, strict decimals that are finite, YYYY-MM-DD dates that exist), required, enum,
pattern, minimum, maximum, unique, formula-like text, control characters, the maximum cell length,
primary keys, foreign keys and count ranges (X_low <= X <= X_high). aoav_data.validate() checks
more (derived dates, EDTF values, self-references, evidence pointers and quotes against the stored
sources): `ONLY_OURS` names those messages, which the comparison sets aside.

`python -m benchmarks.validate_polars FOLDER` (or validate_duckdb) prints JSON:
{"seconds": in-process seconds, "problems": [{"table", "record", "field", "message"}, ...]}.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

# The syntaxes of aoav_data/cells.py, with \d spelt [0-9] (Rust's regex reads \d as any Unicode digit).
INTEGER = r"^-?(0|[1-9][0-9]{0,17})$"
NUMBER = r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]{1,3})?$"
DATE_SHAPE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
NUMERIC_TEXT = r"^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$"
FORMULA_START = r"^[=+\-@]"
CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
MAX_CELL = 131_072
# Messages of the rules only aoav_data.validate() checks.
ONLY_OURS = re.compile(
    r"is not the interval of date|EDTF|has no (month|day)|ends before it starts|names its own record"
    r"|is not a record of|is not a column of|has no offsets|differs from the source text"
)

Problem = dict[str, "str | None"]


def ascii_digits(pattern: str) -> str:
    return pattern.replace(r"\d", "[0-9]")


def problem(table: str, record: str | None, field: str | None, message: str) -> Problem:
    return {"table": table, "record": record, "field": field, "message": message}


def _digest(path: Path) -> tuple[int, str]:
    """Size and SHA-256 of a file, read in large blocks (hashlib releases the GIL on each)."""
    sha, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        while block := handle.read(1 << 24):
            sha.update(block)
            size += len(block)
    return size, "sha256:" + sha.hexdigest()


def run(folder: Path, check_table: Callable[[dict[str, Any], Path], Any], cross: Callable[..., list[Problem]]) -> None:
    """Hash every file in a thread while the engine reads and checks it; tables that fail their
    integrity check are reported and left out of the cross-table checks."""
    started = time.perf_counter()
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    resources = {res["name"]: res for res in descriptor["resources"]}
    problems: list[Problem] = []
    with ThreadPoolExecutor(max_workers=1) as pool:
        digests: dict[str, Future[tuple[int, str]]] = {
            name: pool.submit(_digest, folder / res["path"]) for name, res in resources.items()
        }
        tables: dict[str, Any] = {}
        for name, res in resources.items():
            table, found = check_table(res, folder / res["path"])
            size, digest = digests[name].result()
            if size != res["bytes"]:
                problems.append(problem(name, None, None, f"has {size} bytes, datapackage.json records {res['bytes']}"))
            elif digest != res["hash"]:
                problems.append(problem(name, None, None, f"hash is {digest}, datapackage.json records {res['hash']}"))
            else:
                tables[name] = table
                problems += found
    if set(tables) == set(resources):
        problems += cross(tables, resources)
    print(json.dumps({"seconds": time.perf_counter() - started, "problems": problems}))


def ranges(names: list[str]) -> list[tuple[str, str, str, str, str]]:
    """(column, left, comparison, right, message) of each count range: X_low <= X <= X_high."""
    out = []
    for base in sorted(n for n in names if {f"{n}_low", f"{n}_high"} <= set(names)):
        low, high = f"{base}_low", f"{base}_high"
        out += [(low, low, ">", base, f"is above {base}"), (high, high, "<", base, f"is below {base}"),
                (high, high, "<", low, f"is below {base}")]  # fmt: skip
    return out
