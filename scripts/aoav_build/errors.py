"""The one error type of the build: it names the file, the record and the field."""

from __future__ import annotations

from pathlib import Path


class CurationError(Exception):
    """Bad input found while building; the message says where and what."""

    def __init__(
        self,
        file: Path | str,
        message: str,
        record: str | None = None,
        field: str | None = None,
    ) -> None:
        self.file = str(file)
        self.record = record
        self.field = field
        self.message = message
        super().__init__(str(self))

    def __reduce__(self) -> tuple[type[CurationError], tuple[str, str, str | None, str | None]]:
        # As it was made, so that an error found in a worker process reaches the build whole.
        return CurationError, (self.file, self.message, self.record, self.field)

    def __str__(self) -> str:
        where = self.file
        if self.record is not None:
            where += f": record {self.record!r}"
        if self.field is not None:
            where += f", field {self.field!r}"
        return f"{where}: {self.message}"
