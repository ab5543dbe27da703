"""Where to find a device's IMEI, and which kinds have a second one: from the data file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from readiness.fields import Fields


@dataclass(frozen=True)
class ImeiHelp:
    """``where`` by OS family or kind (the family wins); ``second_kinds`` may be dual SIM."""

    where: Mapping[str, str] = field(default_factory=dict)
    second_kinds: frozenset[str] = frozenset()

    def hint(self, kind: str | None, family: str | None) -> str:
        return self.where.get(family or "", "") or self.where.get(kind or "", "")


def load_imei(f: Fields, doc: Mapping[str, Any]) -> ImeiHelp:
    """The optional ``[imei]`` table: a data file without it gives no hints and asks every
    device for a second IMEI."""
    table = f.table(doc, "imei", required=False)
    if not table:
        return ImeiHelp()
    f.unknown_keys(table, ("assumption", "second_imei_kinds", "where"), "imei")
    f.take(table, "assumption", "imei", str, required=False)
    kinds = f.take(table, "second_imei_kinds", "imei", list, default=[])
    where = f.table(table, "where", "imei")
    hints = {}
    for key, value in where.items():
        if isinstance(value, str) and value.strip():
            hints[key] = value.strip()
        else:
            f.problem(f"imei.where.{key}", "must be a sentence saying where to look")
    return ImeiHelp(hints, frozenset(str(k) for k in kinds))
