"""The subset of EDTF (ISO 8601-2) the dataset uses: YYYY, YYYY-MM, YYYY-MM-DD and intervals of them."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import NamedTuple

_PART = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class Bounds(NamedTuple):
    start: dt.date
    end: dt.date
    precision: str


def _part_bounds(text: str) -> tuple[dt.date, dt.date, str]:
    match = _PART.match(text)
    if not match:
        raise ValueError(f"{text!r} is not an EDTF date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year = int(match[1])
    if match[2] is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31), "year"
    month = int(match[2])
    if not 1 <= month <= 12:
        raise ValueError(f"{text!r} has no month {month}")
    last = calendar.monthrange(year, month)[1]
    if match[3] is None:
        return dt.date(year, month, 1), dt.date(year, month, last), "month"
    day = int(match[3])
    if not 1 <= day <= last:
        raise ValueError(f"{text!r} has no day {day} in that month")
    day_date = dt.date(year, month, day)
    return day_date, day_date, "day"


def bounds(text: str) -> Bounds:
    """Earliest and latest day an EDTF value allows, and its precision."""
    if "/" in text:
        first, _, last = text.partition("/")
        start = _part_bounds(first)[0]
        end = _part_bounds(last)[1]
        if end < start:
            raise ValueError(f"{text!r} ends before it starts")
        return Bounds(start, end, "range")
    start, end, precision = _part_bounds(text)
    return Bounds(start, end, precision)
