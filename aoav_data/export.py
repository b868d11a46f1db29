"""Writing every table to a folder as Parquet (types kept), CSV or JSON."""

from __future__ import annotations

from pathlib import Path

from .descriptor import tables
from .loaders import load

FORMATS = ("parquet", "csv", "json")


def export(folder: Path | str, fmt: str = "parquet") -> list[Path]:
    """Write each table as `<folder>/<table>.<fmt>`; returns the files written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in tables():
        frame, target = load(name), out / f"{name}.{fmt}"
        if fmt == "parquet":
            frame.to_parquet(target, index=False)
        elif fmt == "csv":
            frame.to_csv(target, index=False, lineterminator="\n", date_format="%Y-%m-%d")
        else:
            frame.to_json(target, orient="records", date_format="iso", force_ascii=False, indent=1)
        written.append(target)
    return written
