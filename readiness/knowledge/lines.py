"""Product lines: which family of models a name belongs to, so suggestions stay in it.

A person who types an unknown Galaxy Tab must not be offered Galaxy S phones, nor a
Fold owner an S24 FE. The lines (brand and product-line words, and the kind of
device each line is) are data; this module reads them and finds a name's line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from readiness.fields import Fields
from readiness.knowledge.model import KIND_KEYS

__all__ = ["Line", "line_of", "read_lines"]


@dataclass(frozen=True)
class Line:
    """A product line ("Galaxy Tab"): the kind of device it is and the names it takes."""

    name: str
    kind: str
    pattern: re.Pattern[str]


def line_of(lines: tuple[Line, ...], normal: str) -> Line | None:
    """The first line whose pattern takes a normalised name ("galaxy tab s 9"), or None."""
    return next((line for line in lines if line.pattern.match(normal)), None)


def read_lines(f: Fields, doc: Mapping[str, Any]) -> tuple[Line, ...]:
    """[lines]: "Line name" = { kind = "...", pattern = '...' }, most specific first."""
    lines = []
    for name, item in f.table(doc, "lines").items():
        if name == "source":
            continue
        path = f"lines.{name}"
        if not isinstance(item, dict):
            f.problem(path, "must be a table with kind and pattern")
            continue
        f.unknown_keys(item, ("kind", "pattern"), path)
        kind = f.take(item, "kind", path, str, default="")
        pattern = f.take(item, "pattern", path, str, default="")
        if kind and kind not in KIND_KEYS:
            f.problem(f"{path}.kind", f"must be one of: {', '.join(KIND_KEYS)}")
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            f.problem(f"{path}.pattern", f"not a valid regular expression: {exc}")
            continue
        lines.append(Line(name, kind, compiled))
    return tuple(lines)
