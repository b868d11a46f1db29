"""Checks across tables: keys resolve, facts have evidence, counts are ordered."""

from __future__ import annotations

import operator
from collections import defaultdict
from typing import Any

from .evidence import Where
from .records import Record, id_field
from .references import check_claims
from .schema import Schema

Rows = list[dict[str, Any]]
RANGES = [
    ("incidents", "killed"), ("incidents", "injured"), ("attacks", "killed"), ("attacks", "injured"),
    ("statistics", "value"),
]  # fmt: skip
# UCDP codes a best, low and high toll for every event; GTD counts attackers killed apart (nkillter).
INCIDENT_TOLLS = ("killed", "killed_low", "killed_high", "perpetrators_killed")
# Counts of an attack that its incidents (one per site and day) add up to: attackers killed exactly;
# victims and injured at most, since references do not attribute every death in hospital, or every
# injury, to a site. Low and high are not summed: a death recognised later may be known for the
# attack but not for one site.
PART_SUMS = {"perpetrators_killed": "equal", "killed": "at_most", "injured": "at_most"}


class Index:
    """Record ids per table, and where each record was written."""

    def __init__(self, tables: dict[str, Rows], records: list[Record], schema: Schema) -> None:
        self.tables = tables
        self.ids = {
            name: {row[id_field(spec)] for row in tables.get(name, [])}
            for name, spec in schema.tables.items()
            if len(spec.primary_key) == 1
        }
        self.where = {(r.table, r.where.record): r.where for r in records}
        self.schema = schema
        self._covered: set[tuple[str, str, str]] | None = None

    @property
    def covered(self) -> set[tuple[str, str, str]]:
        """Every (table, record, field) some evidence row is about: made once, for the checks that need it."""
        if self._covered is None:
            self._covered = set(
                map(operator.itemgetter("table", "record_id", "field"), self.tables.get("evidence", []))
            )
        return self._covered

    def at(self, table: str, record: Any, derived_table: str) -> Where:
        """Where a record was written; for a row the build derived, the table it is in."""
        return self.where.get((table, record)) or Where(f"<{derived_table} derived by the build>", record)

    def require(self, table: str, value: Any, where: Where, field: str) -> None:
        if value is not None and value not in self.ids.get(table, set()):
            raise where.error(f"refers to {value!r}, which is not a record of {table}", field)


def _foreign_keys(tables: dict[str, Rows], idx: Index) -> None:
    for name, spec in idx.schema.tables.items():
        key = spec.primary_key[0]
        for fk in spec.foreign_keys:
            (column,) = fk.fields
            known = idx.ids.get(fk.resource, set())
            # Every row is looked at; only a failing one is traced back to where it was written.
            for row in tables.get(name, []):
                if row[column] is None or row[column] in known:
                    continue
                record = row.get("record_id") if name in {"evidence", "actor_roles"} else row[key]
                table = row.get("table", name) if name in {"evidence", "actor_roles"} else name
                idx.require(fk.resource, row[column], idx.at(table, record, name), column)


def _partners(tables: dict[str, Rows], idx: Index) -> None:
    for row in tables["operations"]:
        for column in ("partners", "recipients"):
            for actor in row[column].split("; ") if row[column] else []:
                idx.require("actors", actor, idx.at("operations", row["operation_id"], "operations"), column)


def _evidence_present(tables: dict[str, Rows], idx: Index) -> None:
    covered = idx.covered
    for name, spec in idx.schema.tables.items():
        key = spec.primary_key[0]
        needs = [field.name for field in spec.fields if field.evidence]
        for row in tables.get(name, []) if needs else []:
            for field in needs:
                if row.get(field) is not None and (name, row[key], field) not in covered:
                    raise idx.at(name, row[key], name).error("has a value but no evidence entry", field)


def _ranges(tables: dict[str, Rows], idx: Index) -> None:
    for name, base in RANGES:
        key = idx.schema.tables[name].primary_key[0]
        for row in tables[name]:
            low, best, high = row[f"{base}_low"], row[base], row[f"{base}_high"]
            where = idx.at(name, row[key], name)
            if high is not None and best is None and low is None:
                raise where.error(f"a high toll needs a best or low beside it ({base} or {base}_low)", f"{base}_high")


def _tolls(tables: dict[str, Rows], idx: Index) -> None:
    """Every incident has its toll coded as UCDP and GTD need it; an attack's parts add up to it."""
    for row in tables["incidents"]:
        for column in INCIDENT_TOLLS:
            if row[column] is None:
                where = idx.at("incidents", row["incident_id"], "incidents")
                raise where.error(
                    "is empty: every incident needs best, low and high tolls and attackers killed", column
                )
    by_attack: dict[Any, Rows] = defaultdict(list)  # one pass, not a scan of every incident per attack
    for row in tables["incidents"]:
        by_attack[row["attack_id"]].append(row)
    for attack in tables["attacks"]:
        parts = by_attack.get(attack["attack_id"], [])
        where = idx.at("attacks", attack["attack_id"], "attacks")
        if len(parts) < 2:
            raise where.error(f"has {len(parts)} incident(s): an attack groups two or more", "attack_id")
        for column, rule in PART_SUMS.items():
            values = [p[column] for p in parts if p[column] is not None]
            total = sum(values)
            if attack[column] is None or not values:
                continue
            if total > attack[column] or (rule == "equal" and total != attack[column]):
                raise where.error(f"is {attack[column]}, but its incidents add up to {total}", column)


def _linked_counts(tables: dict[str, Rows], idx: Index) -> None:
    arrested = {a["arrest_id"]: a["arrested"] for a in tables["arrests"]}
    for row in tables["statistics"]:
        if (
            row["arrest_id"]
            and row["indicator"] == "people_arrested"
            and arrested.get(row["arrest_id"]) != row["value"]
        ):
            where = idx.at("statistics", row["statistic_id"], "statistics")
            raise where.error(f"value {row['value']} differs from arrests {row['arrest_id']!r}", "value")


def _actors_used(tables: dict[str, Rows], idx: Index) -> None:
    used = {r["actor_id"] for r in tables["actor_roles"]}
    for row in tables["actors"]:
        if row["actor_id"] not in used:
            raise idx.at("actors", row["actor_id"], "actors").error(
                "is linked to no record: add it to a record's `actors` or its own `roles`", "actor_id"
            )


def check_all(tables: dict[str, Rows], records: list[Record], schema: Schema) -> None:
    """Every check that needs more than one record; the first failure is raised."""
    idx = Index(tables, records, schema)
    # Pointers of evidence, errata and roles to (table, record_id, field) are aoav_data.rules', run
    # before these by cell_rules.check_cells.
    for check in (_partners, _foreign_keys, _evidence_present,
                  _ranges, _tolls, _linked_counts, _actors_used, check_claims):  # fmt: skip
        check(tables, idx)
