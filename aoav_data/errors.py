"""Errors raised by aoav_data; each names the file it is about."""

from __future__ import annotations


class DataError(Exception):
    """A published file is missing, damaged or inconsistent."""

    def __init__(self, file: str, message: str) -> None:
        self.file = file
        super().__init__(f"{file}: {message}")


class IntegrityError(DataError):
    """A published file's bytes differ from what datapackage.json records."""
