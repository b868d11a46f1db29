"""What changed between two versions of the data package (`aoav-data diff OLD NEW`).

Driven by the two descriptors only: records are matched on each resource's primaryKey, compared
field by field on the CSV text (the published form is canonical, so equal text is equal value),
and the schemas are compared column by column. Every list is sorted, so the same two packages
always give the same diff. A package is a folder, a release zip or a git revision of the
repository in the current folder (read with `git show`, nothing checked out).
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import DataError

DESCRIPTOR = "datapackage.json"
RISES = ("none", "patch", "minor", "major")
# Package properties that change with every release, and the per-file checksums: not changes of the data.
RELEASE_PROPERTIES = ("version", "created", "resources")


@dataclass(frozen=True)
class Package:
    """A data package's descriptor and a reader of the files it names (paths relative to it)."""

    label: str
    descriptor: dict[str, Any]
    read: Callable[[str], bytes]

    @property
    def version(self) -> str:
        return str(self.descriptor.get("version", ""))

    def resources(self) -> dict[str, dict[str, Any]]:
        return {str(r["name"]): r for r in self.descriptor.get("resources", [])}

    def rows(self, name: str) -> list[dict[str, str]]:
        data = self.read(str(self.resources()[name]["path"]))
        return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


# --- opening a package: folder, zip or git revision ---------------------------------------------


def _descriptor(label: str, data: bytes) -> dict[str, Any]:
    try:
        descriptor = json.loads(data)
    except ValueError as exc:
        raise DataError(label, f"{DESCRIPTOR} is not JSON: {exc}") from exc
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise DataError(label, f"{DESCRIPTOR} is not a Data Package descriptor with resources")
    return descriptor


def _folder(folder: Path) -> Package:
    def read(rel: str) -> bytes:
        try:
            return (folder / rel).read_bytes()
        except OSError as exc:
            raise DataError(str(folder / rel), f"cannot be read: {exc.strerror}") from exc

    return Package(str(folder), _descriptor(str(folder), read(DESCRIPTOR)), read)


def _zip(file: Path) -> Package:
    try:
        archive = zipfile.ZipFile(file)
    except (OSError, zipfile.BadZipFile) as exc:
        raise DataError(str(file), f"is not a readable zip file: {exc}") from exc
    found = sorted((n for n in archive.namelist() if n.rsplit("/", 1)[-1] == DESCRIPTOR), key=len)
    if not found:
        raise DataError(str(file), f"holds no {DESCRIPTOR}")
    prefix = found[0][: -len(DESCRIPTOR)]

    def read(rel: str) -> bytes:
        try:
            return archive.read(prefix + rel)
        except KeyError as exc:
            raise DataError(str(file), f"has no member {prefix + rel}") from exc

    return Package(str(file), _descriptor(str(file), read(DESCRIPTOR)), read)


def git_show(repo: Path, revision: str, rel: str) -> bytes:
    """A file as committed at `revision`, without checking anything out."""
    try:
        result = subprocess.run(["git", "-C", str(repo), "show", f"{revision}:{rel}"], capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise DataError(revision, "git is not installed, so a revision cannot be read") from exc
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines() or ["unknown error"]
        raise DataError(f"{revision}:{rel}", f"not in the git history of {repo}: {message[-1]}")
    return result.stdout


def _is_revision(repo: Path, revision: str) -> bool:
    command = ["git", "-C", str(repo), "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"]
    try:
        return subprocess.run(command, capture_output=True, check=False).returncode == 0
    except FileNotFoundError as exc:
        raise DataError(revision, "is not a folder or file, and git is not installed to read it as a revision") from exc


def from_git(repo: Path, revision: str) -> Package:
    """The package committed at `revision` of the repository at `repo`."""
    if not _is_revision(repo, revision):
        raise DataError(revision, f"is neither a folder, a zip file nor a git revision of {repo}")
    label = f"{revision} (git)"
    return Package(
        label, _descriptor(label, git_show(repo, revision, DESCRIPTOR)), lambda r: git_show(repo, revision, r)
    )


def open_package(spec: str, cwd: Path | None = None) -> Package:
    """A folder holding datapackage.json, a zip file holding one, or a git revision of the repository here."""
    here = cwd or Path.cwd()
    path = here / spec
    if path.is_dir():
        return _folder(path)
    if path.is_file():
        return _zip(path)
    return from_git(here, spec)


# --- comparing ----------------------------------------------------------------------------------


def _fields(res: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {str(f["name"]): f for f in res.get("schema", {}).get("fields", [])}


def _enum(field: dict[str, Any]) -> list[str]:
    return [str(v) for v in field.get("constraints", {}).get("enum", [])]


def schema_changes(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Columns added, removed and retyped; vocabulary values added and removed; a changed primary key."""
    before, after = _fields(old), _fields(new)
    out: dict[str, Any] = {}
    common = [n for n in after if n in before]
    added = [{"column": n, "type": after[n].get("type")} for n in after if n not in before]
    removed = [{"column": n, "type": before[n].get("type")} for n in before if n not in after]
    retyped = [
        {"column": n, "old": before[n].get("type"), "new": after[n].get("type")}
        for n in common
        if before[n].get("type") != after[n].get("type")
    ]
    vocabulary = []
    for n in common:
        old_values, new_values = _enum(before[n]), _enum(after[n])
        plus, minus = sorted(set(new_values) - set(old_values)), sorted(set(old_values) - set(new_values))
        if plus or minus:
            vocabulary.append({"column": n, "added": plus, "removed": minus})
    old_key, new_key = old.get("schema", {}).get("primaryKey"), new.get("schema", {}).get("primaryKey")
    for name, value in (("columns_added", added), ("columns_removed", removed), ("columns_retyped", retyped)):
        if value:
            out[name] = value
    if vocabulary:
        out["vocabulary"] = vocabulary
    if old_key != new_key:
        out["primary_key"] = {"old": old_key, "new": new_key}
    return out


def _key_fields(res: dict[str, Any]) -> list[str]:
    key = res.get("schema", {}).get("primaryKey") or [f for f in _fields(res)]
    return [key] if isinstance(key, str) else [str(k) for k in key]


def _keyed(rows: list[dict[str, str]], key: list[str]) -> dict[str, dict[str, str]]:
    return {"/".join(row.get(k) or "" for k in key): row for row in rows}


def _value(text: str | None) -> str | None:
    return text if text else None  # an empty cell is a missing value


def record_changes(old: Package, new: Package, name: str) -> dict[str, Any]:
    """Records added, removed and changed (every changed field's old and new value) of one table."""
    res_old, res_new = old.resources().get(name), new.resources().get(name)
    key = _key_fields(res_new or res_old or {})
    before = _keyed(old.rows(name), key) if res_old else {}
    after = _keyed(new.rows(name), key) if res_new else {}
    common_fields = [f for f in _fields(res_new or {}) if f in _fields(res_old or {})]
    changed = []
    for k in sorted(set(before) & set(after)):
        diffs = [
            {"field": f, "old": _value(before[k].get(f)), "new": _value(after[k].get(f))}
            for f in common_fields
            if before[k].get(f) != after[k].get(f)
        ]
        if diffs:
            changed.append({"key": k, "fields": diffs})
    return {
        "key": key,
        "added": sorted(set(after) - set(before)),
        "removed": sorted(set(before) - set(after)),
        "changed": changed,
    }


def is_id_table(res: dict[str, Any]) -> bool:
    """A table of citable ids: a one-column primary key constrained to a slug pattern (incidents, actors...).

    Removing one of its records retires an id; derived tables (evidence, timeline, actor_roles) renumber."""
    key = _key_fields(res)
    return len(key) == 1 and "pattern" in _fields(res).get(key[0], {}).get("constraints", {})


def _package_changes(old: Package, new: Package) -> list[dict[str, Any]]:
    names = sorted((set(old.descriptor) | set(new.descriptor)) - set(RELEASE_PROPERTIES))
    return [
        {"property": n, "old": old.descriptor.get(n), "new": new.descriptor.get(n)}
        for n in names
        if old.descriptor.get(n) != new.descriptor.get(n)
    ]


def _table_order(old: Package, new: Package) -> list[str]:
    """The new package's order, then tables only the old one has."""
    names = list(new.resources())
    return names + [n for n in old.resources() if n not in names]


def diff(old: Package, new: Package) -> dict[str, Any]:
    """The whole difference, JSON-ready; `tables` holds only the tables that changed."""
    tables: dict[str, Any] = {}
    for name in _table_order(old, new):
        res_old, res_new = old.resources().get(name), new.resources().get(name)
        status = "added" if res_old is None else "removed" if res_new is None else "changed"
        entry: dict[str, Any] = {"status": status, "id_table": is_id_table(res_new or res_old or {})}
        if status == "changed":
            schema = schema_changes(res_old or {}, res_new or {})
            if schema:
                entry["schema"] = schema
        entry.update(record_changes(old, new, name))
        if status != "changed" or entry.get("schema") or entry["added"] or entry["removed"] or entry["changed"]:
            tables[name] = entry
    out: dict[str, Any] = {
        "old": {"package": old.label, "version": old.version},
        "new": {"package": new.label, "version": new.version},
        "package": _package_changes(old, new),
        "tables": tables,
    }
    out["rise"], out["why"] = required_rise(out)
    return out


# --- the version policy -------------------------------------------------------------------------


def _table_reasons(name: str, entry: dict[str, Any]) -> list[tuple[str, str]]:
    """(rise, why) for one table's changes, by the policy in the README."""
    schema = entry.get("schema", {})
    out: list[tuple[str, str]] = []
    if entry["status"] == "removed":
        out.append(("major", f"table {name} removed"))
    if entry["status"] == "added":
        out.append(("minor", f"table {name} added"))
    for kind, rise in (("columns_removed", "major"), ("columns_retyped", "major"), ("columns_added", "minor")):
        if schema.get(kind):
            columns = ", ".join(c["column"] for c in schema[kind])
            out.append((rise, f"{name}: {kind.replace('_', ' ')}: {columns}"))
    if "primary_key" in schema:
        out.append(("major", f"{name}: primary key changed"))
    for vocabulary in schema.get("vocabulary", []):
        if vocabulary["removed"]:
            out.append(("major", f"{name}.{vocabulary['column']}: vocabulary values removed"))
        if vocabulary["added"]:
            out.append(("minor", f"{name}.{vocabulary['column']}: vocabulary values added"))
    if entry["removed"] and entry["status"] == "changed":
        if entry["id_table"]:
            out.append(("major", f"{name}: ids retired ({len(entry['removed'])})"))
        else:
            out.append(("patch", f"{name}: records removed ({len(entry['removed'])})"))
    if entry["added"] and entry["status"] == "changed":
        out.append(("minor", f"{name}: records added ({len(entry['added'])})"))
    if entry["changed"]:
        out.append(("patch", f"{name}: records with corrected values ({len(entry['changed'])})"))
    return out


def required_rise(result: dict[str, Any]) -> tuple[str, list[str]]:
    """The smallest version rise the policy requires for this diff, and why (the reasons of that rise)."""
    reasons = [r for name, entry in result["tables"].items() for r in _table_reasons(name, entry)]
    reasons += [("patch", f"package metadata: {c['property']}") for c in result["package"]]
    if not reasons:
        return "none", []
    rise = max((r for r, _ in reasons), key=RISES.index)
    return rise, [why for r, why in reasons if r == rise]


def parse_version(text: str) -> tuple[int, int, int]:
    parts = text.split(".")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise ValueError(f"version {text!r} is not MAJOR.MINOR.PATCH")
    return int(parts[0]), int(parts[1]), int(parts[2])


def actual_rise(old: str, new: str) -> str:
    """The rise from version `old` to `new`: major, minor, patch, none, or `lower` when it goes down."""
    a, b = parse_version(old), parse_version(new)
    if b < a:
        return "lower"
    for index, rise in enumerate(("major", "minor", "patch")):
        if b[index] != a[index]:
            return rise
    return "none"


def next_version(old: str, rise: str) -> str:
    """The smallest version after `old` with the given rise."""
    major, minor, patch = parse_version(old)
    return {
        "major": f"{major + 1}.0.0",
        "minor": f"{major}.{minor + 1}.0",
        "patch": f"{major}.{minor}.{patch + 1}",
    }.get(rise, old)


# --- rendering ----------------------------------------------------------------------------------


def _show(value: Any) -> str:
    """A cell for one line of text: missing as an em dash, line breaks as spaces."""
    return "—" if value is None else " ".join(str(value).split()) or "—"


def schema_lines(schema: dict[str, Any]) -> list[str]:
    """One line per schema change, the changes that need a major rise first."""
    lines = [f"column removed: {c['column']} ({c['type']})" for c in schema.get("columns_removed", [])]
    lines += [f"column retyped: {c['column']}: {c['old']} -> {c['new']}" for c in schema.get("columns_retyped", [])]
    if "primary_key" in schema:
        lines.append(f"primary key: {schema['primary_key']['old']} -> {schema['primary_key']['new']}")
    lines += [
        f"{v['column']}: vocabulary value removed: {x}" for v in schema.get("vocabulary", []) for x in v["removed"]
    ]
    lines += [f"column added: {c['column']} ({c['type']})" for c in schema.get("columns_added", [])]
    lines += [f"{v['column']}: vocabulary value added: {x}" for v in schema.get("vocabulary", []) for x in v["added"]]
    return lines


def counts(entry: dict[str, Any]) -> str:
    return f"{len(entry['added'])} added, {len(entry['removed'])} removed, {len(entry['changed'])} changed"


def _header(result: dict[str, Any]) -> list[str]:
    old, new = result["old"], result["new"]
    return [f"{old['package']} (version {old['version']}) -> {new['package']} (version {new['version']})"]


def text(result: dict[str, Any]) -> str:
    """The diff as readable text: per table its counts, schema changes, then + added, - removed, ~ changed."""
    lines = _header(result)
    if not result["tables"] and not result["package"]:
        return "\n".join([*lines, "no differences"]) + "\n"
    lines.append(f"the version policy requires: {result['rise']} ({'; '.join(result['why'])})")
    for change in result["package"]:
        lines.append(f"package {change['property']}: {_show(change['old'])} -> {_show(change['new'])}")
    for name, entry in result["tables"].items():
        lines += ["", f"{name} ({entry['status']}): {counts(entry)}"]
        lines += [f"  schema: {line}" for line in schema_lines(entry.get("schema", {}))]
        lines += [f"  + {k}" for k in entry["added"]] + [f"  - {k}" for k in entry["removed"]]
        for record in entry["changed"]:
            for f in record["fields"]:
                lines.append(f"  ~ {record['key']}: {f['field']}: {_show(f['old'])} -> {_show(f['new'])}")
    return "\n".join(lines) + "\n"


def cell(value: Any) -> str:
    """A value inside a Markdown table cell."""
    return _show(value).replace("|", "\\|")


def markdown(result: dict[str, Any]) -> str:
    """The diff as Markdown: a summary table, then a section per changed table."""
    lines = ["# Differences", "", *_header(result), ""]
    if not result["tables"] and not result["package"]:
        return "\n".join([*lines, "No differences."]) + "\n"
    lines += [f"The version policy requires a **{result['rise']}** rise: {'; '.join(result['why'])}.", ""]
    lines += ["| table | status | added | removed | changed |", "| --- | --- | --- | --- | --- |"]
    for name, e in result["tables"].items():
        lines.append(f"| {name} | {e['status']} | {len(e['added'])} | {len(e['removed'])} | {len(e['changed'])} |")
    for change in result["package"]:
        lines += ["", f"Package `{change['property']}`: {cell(change['old'])} → {cell(change['new'])}"]
    for name, entry in result["tables"].items():
        lines += ["", f"## {name}", ""]
        lines += [f"- schema: {line}" for line in schema_lines(entry.get("schema", {}))]
        lines += [f"- added: `{k}`" for k in entry["added"]] + [f"- removed: `{k}`" for k in entry["removed"]]
        if entry["changed"]:
            lines += ["", "| record | field | old | new |", "| --- | --- | --- | --- |"]
            for record in entry["changed"]:
                for f in record["fields"]:
                    lines.append(f"| `{record['key']}` | {f['field']} | {cell(f['old'])} | {cell(f['new'])} |")
    return "\n".join(lines) + "\n"


def as_json(result: dict[str, Any]) -> str:
    return json.dumps(result, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


FORMATS: dict[str, Callable[[dict[str, Any]], str]] = {"text": text, "markdown": markdown, "json": as_json}
