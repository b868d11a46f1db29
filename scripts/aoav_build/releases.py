"""Releases: curation/releases.yaml, the version policy, the retired ids and CHANGELOG.md.

The last released package is read from git history at the commit releases.yaml records for it
(`git show`, nothing checked out), so no copy of an old release is kept. Where there is no history
(an export, a shallow clone without the commit), the policy and the changelog are skipped with a
message, and the drift check leaves CHANGELOG.md alone.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from aoav_data.diff import RISES, Package, actual_rise, cell, diff, from_git, next_version, schema_lines

from .errors import CurationError
from .yamlio import load_yaml

RELEASES = "curation/releases.yaml"
CHANGELOG = "CHANGELOG.md"
_VERSION = re.compile(r"^\d+\.\d+\.\d+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_COMMIT = re.compile(r"^[0-9a-f]{40}$")


@dataclass(frozen=True)
class Release:
    version: str
    date: str
    commit: str | None
    summary: str
    retired: list[dict[str, Any]] = field(default_factory=list)
    reasons: list[dict[str, Any]] = field(default_factory=list)


def _release(raw: dict[str, Any]) -> Release:
    version = str(raw.get("version", ""))
    if not _VERSION.match(version):
        raise CurationError(RELEASES, f"version {version!r} is not MAJOR.MINOR.PATCH", version, "version")
    if not _DATE.match(str(raw.get("date", ""))):
        raise CurationError(RELEASES, "needs a release date as YYYY-MM-DD", version, "date")
    commit = raw.get("commit") or None
    if commit is not None and not _COMMIT.match(str(commit)):
        raise CurationError(RELEASES, f"{commit!r} is not a full 40-character commit hash", version, "commit")
    return Release(
        version, str(raw["date"]), commit, str(raw.get("summary", "")), raw.get("retired", []), raw.get("reasons", [])
    )


def load_releases(root: Path, version: str) -> list[Release]:
    """Every release, newest first; the newest must be the version in pyproject.toml."""
    raw = load_yaml(root / RELEASES)
    releases = [_release(r) for r in raw.get("releases", [])]
    if not releases or releases[0].version != version:
        newest = releases[0].version if releases else "none"
        raise CurationError(RELEASES, f"the newest release is {newest}, pyproject.toml says {version}: add {version}")
    versions = [tuple(int(p) for p in r.version.split(".")) for r in releases]
    if versions != sorted(versions, reverse=True) or len(set(versions)) != len(versions):
        raise CurationError(RELEASES, "releases must be listed newest first, each version once")
    return releases


# --- retired ids --------------------------------------------------------------------------------


def retired_rows(releases: list[Release]) -> list[dict[str, Any]]:
    """One row per retired id, from every release's `retired` entries."""
    rows: list[dict[str, Any]] = []
    for release in releases:
        for entry in release.retired:
            new_ids = [str(i) for i in entry.get("new_ids", [])]
            for old_id in entry.get("ids", []):
                rows.append({
                    "old_table": entry["table"], "old_id": str(old_id),
                    "new_table": entry.get("new_table") if new_ids else None,
                    "new_ids": "; ".join(new_ids) or None, "version": release.version, "reason": entry["reason"],
                })  # fmt: skip
    return sorted(rows, key=lambda r: (r["old_table"], r["old_id"]))


def check_retired(rows: list[dict[str, Any]], tables: dict[str, list[dict[str, Any]]], keys: dict[str, str]) -> None:
    """A retired id is not in use again in its table, and every id it points to exists."""
    live = {name: {str(r[keys[name]]) for r in table} for name, table in tables.items() if name in keys}
    for row in rows:
        if row["old_id"] in live.get(row["old_table"], set()):
            raise CurationError(RELEASES, f"{row['old_table']} still has this id: a retired id is never reused",
                                row["old_id"], "ids")  # fmt: skip
        for new_id in (row["new_ids"] or "").split("; "):
            if new_id and new_id not in live.get(row["new_table"] or "", set()):
                raise CurationError(
                    RELEASES, f"new id {new_id!r} is not in {row['new_table']}", row["old_id"], "new_ids"
                )


# --- the version policy -------------------------------------------------------------------------


def has_history(root: Path, commit: str) -> bool:
    """Whether `root` is the top of a git checkout that holds `commit`."""
    try:
        top = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-toplevel"], capture_output=True, text=True)
        found = subprocess.run(["git", "-C", str(root), "cat-file", "-e", f"{commit}^{{commit}}"], capture_output=True)
    except FileNotFoundError:
        return False
    return top.returncode == 0 and Path(top.stdout.strip()).resolve() == root.resolve() and found.returncode == 0


def _compared(releases: list[Release]) -> Release | None:
    """The release the package is compared with: the newest that has a commit."""
    return next((r for r in releases if r.commit), None)


def enforce_policy(releases: list[Release], previous: Package, current: Package) -> dict[str, Any]:
    """The diff from the last release; fails when the version does not rise as it requires."""
    result = diff(previous, current)
    required, version = result["rise"], releases[0].version
    rise = actual_rise(previous.version, version)
    if rise == "lower" or RISES.index(rise) < RISES.index(required):
        files = ", ".join(f"csv/{name}.csv" for name in result["tables"]) or "datapackage.json"
        least = next_version(previous.version, required)
        raise CurationError(
            files,
            f"changed since release {previous.version} ({'; '.join(result['why'])}): the version policy requires a "
            f"{required} rise, but pyproject.toml says {version}; set {least} or later there and in {RELEASES}",
        )
    return result


def check_retirements(result: dict[str, Any], rows: list[dict[str, Any]], version: str) -> None:
    """Every id removed since the last release has a `retired` entry: ids never die silently."""
    retired = {(r["old_table"], r["old_id"]) for r in rows}
    for name, entry in result["tables"].items():
        missing = [k for k in entry["removed"] if entry["id_table"] and (name, k) not in retired]
        if missing:
            raise CurationError(
                RELEASES,
                f"{name} id(s) {', '.join(missing)} were released but are gone: list them under `retired` of "
                f"{version} with their new id(s) and a reason",
                version,
                "retired",
            )


def release_checks(root: Path, releases: list[Release], rows: list[dict[str, Any]], current: Package) -> bytes | None:
    """Enforce the policy and write CHANGELOG.md, where the released commits are in git history."""
    compared = _compared(releases)
    commits = [r.commit for r in releases if r.commit]
    if compared is None or not all(has_history(root, c) for c in commits):
        print(f"no git history of the released commits here: version policy and {CHANGELOG} skipped", file=sys.stderr)
        return None
    assert compared.commit is not None
    result = enforce_policy(releases, from_git(root, compared.commit), current)
    check_retirements(result, rows, releases[0].version)
    return changelog(root, releases, current, rows)


# --- CHANGELOG.md -------------------------------------------------------------------------------


def _reason(release: Release, table: str, key: str, column: str) -> str:
    for rule in release.reasons:
        names = (rule["table"], rule.get("record", "*"), rule.get("field", "*"))
        if all(fnmatchcase(value, str(glob)) for value, glob in zip((table, key, column), names, strict=True)):
            return str(rule["reason"])
    return "(no reason recorded)"


def _importance(release: Release, name: str, entry: dict[str, Any]) -> tuple[bool, int]:
    """Tables of ids before derived ones, then in the order the curator's `reasons` first name them."""
    order = [str(r["table"]) for r in release.reasons]
    return not entry["id_table"], order.index(name) if name in order else len(order)


def _section(release: Release, result: dict[str, Any] | None, rows: list[dict[str, Any]]) -> list[str]:
    out = [f"## {release.version} — {release.date}", "", release.summary, ""]
    if result is None:
        return out
    out += [f"Compared with {result['old']['version']}: the version policy requires a **{result['rise']}** rise "
            f"({'; '.join(result['why']) or 'no differences'}).", ""]  # fmt: skip
    out += ["| table | status | added | removed | changed |", "| --- | --- | --- | --- | --- |"]
    out += [f"| {n} | {e['status']} | {len(e['added'])} | {len(e['removed'])} | {len(e['changed'])} |"
            for n, e in result["tables"].items()]  # fmt: skip
    schema = [(n, e["schema"]) for n, e in result["tables"].items() if e.get("schema")]
    if schema:
        out += ["", "### Schema changes", ""] + [f"- {n}: {line}" for n, s in schema for line in schema_lines(s)]
    tables = sorted(result["tables"].items(), key=lambda item: _importance(release, item[0], item[1]))
    mine = {(r["old_table"], r["old_id"]): r for r in rows if r["version"] == release.version}
    listed = [(str(e["table"]), str(i)) for e in release.retired for i in e.get("ids", [])]  # the curator's order
    removed = [(n, k) for n, e in tables if e["id_table"] and e["status"] == "changed" for k in e["removed"]]
    retired = [p for p in listed if p in removed] + [p for p in removed if p not in listed]
    if retired:
        out += ["", "### Retired ids", ""]
        for n, k in retired:
            row = mine.get((n, k), {})
            target = f"{row['new_table']}: {row['new_ids']}" if row.get("new_ids") else "no successor"
            out.append(f"- {n}/`{k}` → {target}. {row.get('reason', '(no reason recorded)')}")
    by_kind = sorted(result["tables"].items(), key=lambda item: not item[1]["id_table"])  # descriptor order
    for title, kind in (("Added records", "added"), ("Removed records of derived tables", "removed")):
        lists = [(n, e[kind]) for n, e in by_kind if e[kind] and (kind == "added" or not e["id_table"])]
        if lists:
            out += ["", f"### {title}", ""] + [
                f"- {n} ({len(ks)}): " + ", ".join(f"`{k}`" for k in ks) for n, ks in lists
            ]
    changed = [(n, e["changed"]) for n, e in tables if e["changed"]]
    if changed:
        out += ["", "### Changed values"]
        for n, records in changed:
            out += ["", f"#### {n}", "", "| record | field | old | new | reason |", "| --- | --- | --- | --- | --- |"]
            for r in records:
                for f in r["fields"]:
                    why = cell(_reason(release, n, r["key"], f["field"]))
                    out.append(f"| `{r['key']}` | {f['field']} | {cell(f['old'])} | {cell(f['new'])} | {why} |")
    return [*out, ""]


def _first(release: Release, package: Package) -> list[str]:
    sizes = [f"{name} ({len(package.rows(name))})" for name in package.resources()]
    return [f"## {release.version} — {release.date}", "", release.summary, "", "Tables: " + ", ".join(sizes) + ".", ""]


def changelog(root: Path, releases: list[Release], current: Package, rows: list[dict[str, Any]]) -> bytes:
    """Every release's section, newest first: its differences from the release before it."""
    packages = [current if r is releases[0] else from_git(root, str(r.commit)) for r in releases]
    lines = ["# Changelog", "", f"Generated by scripts/build.py from {RELEASES} and the released packages (git "
             "history); do not edit. Versions follow the policy in the README (\"Versions\").", ""]  # fmt: skip
    for index, release in enumerate(releases):
        if index + 1 < len(releases):
            lines += _section(release, diff(packages[index + 1], packages[index]), rows)
        else:
            lines += _first(release, packages[index])
    return ("\n".join(lines).rstrip("\n") + "\n").encode("utf-8")


def artifacts_package(artifacts: dict[str, bytes], descriptor: str) -> Package:
    """The package this build is about to publish, read from memory."""
    return Package("this build", json.loads(artifacts[descriptor]), artifacts.__getitem__)
