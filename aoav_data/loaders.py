"""Typed DataFrames from the published CSVs, each checked against its recorded size and hash."""

from __future__ import annotations

import hashlib
import io
from typing import TYPE_CHECKING, Any

from ._paths import confined_file
from .descriptor import path, resource
from .errors import DataError, IntegrityError

if TYPE_CHECKING:
    import pandas as pd

_SIMPLE = {"string": "string", "integer": "Int64", "number": "Float64"}


def dtypes(fields: list[dict[str, Any]]) -> dict[str, Any]:
    """The pandas dtype of every non-date field: vocabularies become categoricals."""
    import pandas as pd

    out: dict[str, Any] = {}
    for field in fields:
        enum = field.get("constraints", {}).get("enum")
        if enum is not None:
            out[field["name"]] = pd.CategoricalDtype(enum)
        elif field["type"] != "date":
            out[field["name"]] = _SIMPLE.get(field["type"], "string")
    return out


def read_verified(name: str) -> bytes:
    """A table's bytes, after checking them against the descriptor's `bytes` and `hash`."""
    file = path(name)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise DataError(str(file), f"cannot be read: {exc}") from exc
    verify(name, len(data), hashlib.sha256(data).hexdigest())
    return data


def verify(name: str, size: int, sha256: str) -> None:
    """IntegrityError unless a table's byte size and SHA-256 (hex) are the descriptor's `bytes` and `hash`."""
    res, file = resource(name), path(name)
    if size != res.get("bytes"):
        raise IntegrityError(str(file), f"has {size} bytes, datapackage.json records {res.get('bytes')}")
    digest = "sha256:" + sha256
    if digest != res.get("hash"):  # a resource without a hash is never served
        raise IntegrityError(str(file), f"hash is {digest}, datapackage.json records {res.get('hash')}")


def read_stored(source: dict[str, str]) -> str:
    """A stored source's text, from inside the package and after checking its SHA-256 in sources.csv."""
    file = confined_file(source["stored_path"])
    if file is None:
        message = f"record {source['source_id']!r}, field 'stored_path': is not a path inside the package"
        raise DataError(str(path("sources")), message)
    try:
        with open(file, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise DataError(file, f"cannot be read: {exc}") from exc
    if hashlib.sha256(data).hexdigest() != source["sha256"]:
        raise IntegrityError(file, f"SHA-256 differs from sources.csv (record {source['source_id']!r})")
    return data.decode("utf-8")


def frame_from_bytes(data: bytes, fields: list[dict[str, Any]], file: str) -> pd.DataFrame:
    """Parse CSV bytes with the declared dtypes; dates strictly as YYYY-MM-DD."""
    import pandas as pd

    names = [f["name"] for f in fields]
    dates = [f["name"] for f in fields if f["type"] == "date"]
    try:
        frame = pd.read_csv(
            io.BytesIO(data),
            dtype={**dtypes(fields), **dict.fromkeys(dates, "string")},
            keep_default_na=False,
            na_values=[""],
        )
        if list(frame.columns) != names:
            raise DataError(file, f"has columns {list(frame.columns)}, expected {names}")
        for name in dates:
            frame[name] = pd.to_datetime(frame[name], format="%Y-%m-%d").astype("datetime64[ms]")
    except (ValueError, TypeError) as exc:
        raise DataError(file, f"cannot be read with its declared types: {exc}") from exc
    return frame


def load(name: str) -> pd.DataFrame:
    """One published table as a typed DataFrame."""
    data = read_verified(name)
    fields = (resource(name).get("schema") or {}).get("fields")
    if not isinstance(fields, list):
        raise DataError(str(path(name)), "has no schema with fields in datapackage.json")
    return frame_from_bytes(data, fields, str(path(name)))
