"""The timeline figure stays a bounded canvas whatever the number of records."""

from __future__ import annotations

import csv
import datetime as dt
import struct
from typing import Any

from aoav_build.figure import MAX_LANE_ROWS, render
from conftest import ROOT


def _rows(copies: int) -> list[dict[str, Any]]:
    with (ROOT / "csv" / "timeline.csv").open(encoding="utf-8", newline="") as handle:
        rows: list[dict[str, Any]] = list(csv.DictReader(handle))
    for row in rows:
        row["date_start"], row["date_end"] = (dt.date.fromisoformat(row[k]) for k in ("date_start", "date_end"))
    many = [{**r, "record_id": f"{r['record_id']}-{i}"} for i in range(copies) for r in rows]
    return sorted(many, key=lambda r: (r["date_start"], r["date_end"], r["kind"], r["record_id"]))


def _png_size(data: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk follows the 8-byte signature
    return width, height


def test_a_thousand_reports_draw_no_taller_than_one() -> None:
    one, many = (_png_size(render(_rows(n))["docs/timeline.png"]) for n in (1, 1000))
    assert many[0] == one[0]
    assert many[1] <= one[1]
    assert len(_rows(1000)) > 10 * MAX_LANE_ROWS


def test_the_real_timeline_is_drawn_record_by_record() -> None:
    rows = _rows(1)
    assert all(sum(r["kind"] == k for r in rows) <= MAX_LANE_ROWS for k in ("incident", "operation", "arrest"))
    assert render(rows)["docs/timeline.png"] == (ROOT / "docs" / "timeline.png").read_bytes()
