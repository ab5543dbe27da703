"""The located field reader: typed values out of a parsed TOML document.

Every problem names the file, the key path and, where it can be found, the line.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from readiness.errors import InputError, Problem

T = TypeVar("T")
_INDEX = re.compile(r"^(?P<key>[^\[]+)\[(?P<index>\d+)\]$")


def line_of(text: str, path: str) -> int | None:
    """Best-effort line number of a key path such as ``devices[2].battery``.

    The parser gives no positions for values, but a person fixing a file wants a
    line. Indices are 1-based, as in every message the tool prints.
    """
    parts = [p for p in path.split(".") if p]
    if not parts:
        return None
    table: list[str] = []
    counts: dict[str, int] = {}
    target_table: list[str] = []
    for part in parts[:-1]:
        if m := _INDEX.match(part):
            target_table += [m["key"], f"#{m['index']}"]
        else:
            target_table.append(part)
    key = parts[-1]
    key_index = None
    if m := _INDEX.match(key):
        key, key_index = m["key"], m["index"]
    # ``devices[3]`` names the third [[devices]] table; ``devices.x`` any of them.
    wanted = [*target_table, key, f"#{key_index}"] if key_index else None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("[["):
            name = line[2:].split("]]")[0].strip()
            counts[name] = counts.get(name, 0) + 1
            table = [*name.split("."), f"#{counts[name]}"]
            if table == wanted or (wanted is None and table[:-1] == [*target_table, key]):
                return number
        elif line.startswith("["):
            name = line[1:].split("]")[0].strip()
            table = name.split(".")
            if table == [*target_table, key]:
                return number
        elif table == target_table and re.match(rf'^"?{re.escape(key)}"?\s*=', line):
            return number
    return None


_TYPE_NAMES: dict[type, str] = {
    str: "a string",
    bool: "true or false",
    int: "a whole number",
    float: "a number",
    list: "a list",
    dict: "a table",
    dt.datetime: "a date-time",
    dt.date: "a date",
}


def describe(value: object) -> str:
    """How a wrong value is shown in a message: short, with its TOML type."""
    kinds = {
        bool: "boolean",
        int: "integer",
        float: "number",
        str: "string",
        list: "list",
        dict: "table",
        dt.datetime: "date-time",
        dt.date: "date",
        dt.time: "time",
    }
    kind = next((name for typ, name in kinds.items() if type(value) is typ), type(value).__name__)
    if isinstance(value, (list, dict)):
        shown = ""
    elif isinstance(value, (dt.date, dt.time)):
        shown = value.isoformat()  # as TOML writes it, not datetime.date(...)
    else:
        shown = repr(value)
    if len(shown) > 40:
        shown = shown[:37] + "..."
    return f"{kind} {shown}".strip()


_LOCATE_BUDGET = 2_000_000  # lines scanned to locate problems, about a second


class Fields:
    """Collects typed values and every problem found, each with its key path.

    Validation goes on past the first problem so a person can fix a whole file
    in one pass; ``raise_if_any`` then raises them together.
    """

    def __init__(self, source: str, text: str = "") -> None:
        self.source = source
        self.text = text
        self.problems: list[Problem] = []
        # Each located problem scans the text: a huge file with thousands of problems
        # would take hours, so past a budget of lines scanned they go without a line.
        self._lines = text.count("\n") + 1
        self._budget = _LOCATE_BUDGET

    def missing(self, path: str) -> None:
        """A required key that is not there."""
        self.problem(path, "missing", missing=True)

    def problem(self, path: str, message: str, *, missing: bool = False) -> None:
        line = None
        if self.text and path:
            # A missing key has no line of its own: point at the nearest table that has one.
            parts = path.split(".")
            while parts and line is None and self._budget >= self._lines:
                self._budget -= self._lines
                line = line_of(self.text, ".".join(parts))
                parts.pop()
        if not path.isprintable():  # a quoted key may hold "\n": keep the problem on one line
            path = path.encode("unicode_escape").decode("ascii")
        where = f"{path} (line {line})" if line else path
        self.problems.append(Problem(self.source, where, message, missing))

    def raise_if_any(self) -> None:
        if self.problems:
            raise InputError(self.problems)

    def take(
        self,
        table: Mapping[str, Any],
        key: str,
        path: str,
        kind: type[T] | tuple[type, ...],
        *,
        required: bool = True,
        default: Any = None,
    ) -> Any:
        """The value at ``key`` if it has the right type; else record why and give ``default``."""
        if key not in table:
            if required:
                self.missing(f"{path}.{key}" if path else key)
            return default
        value = table[key]
        if type(value) is kind:  # the common case, decided at once (a bool is not an int)
            return value
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if not _is_instance(value, kinds):
            wanted = " or ".join(_TYPE_NAMES.get(k, k.__name__) for k in kinds)
            self.problem(
                f"{path}.{key}" if path else key, f"must be {wanted}, got {describe(value)}"
            )
            return default
        return value

    def table(
        self, parent: Mapping[str, Any], key: str, path: str = "", *, required: bool = True
    ) -> dict[str, Any]:
        value = self.take(parent, key, path, dict, required=required, default={})
        return value if isinstance(value, dict) else {}

    def tables(
        self, parent: Mapping[str, Any], key: str, *, required: bool = True
    ) -> list[tuple[str, dict[str, Any]]]:
        """An array of tables as (path, table) pairs; wrong entries are recorded."""
        items = self.take(parent, key, "", list, required=required, default=[])
        out: list[tuple[str, dict[str, Any]]] = []
        for index, item in enumerate(items, start=1):
            path = f"{key}[{index}]"
            if isinstance(item, dict):
                out.append((path, item))
            else:
                self.problem(path, f"must be a table, got {describe(item)}")
        return out

    def unknown_keys(self, table: Mapping[str, Any], allowed: Iterable[str], path: str) -> None:
        allowed_set = set(allowed)
        for key in table:
            if key not in allowed_set:
                full = f"{path}.{key}" if path else key
                names = ", ".join(sorted(allowed_set))
                self.problem(full, f"unknown key; expected one of: {names}")

    def convert(self, path: str, value: Any, parse: Callable[[Any], T]) -> T | None:
        """Run a parser that raises ``InvalidValue``; record its reason on failure."""
        try:
            return parse(value)
        except ValueError as exc:
            self.problem(path, str(exc))
            return None


def _is_instance(value: object, kinds: tuple[type, ...]) -> bool:
    # bool is an int in Python but never a number in a TOML file.
    if isinstance(value, bool):
        return bool in kinds
    if type(value) is dt.date and dt.date in kinds:
        return True
    if isinstance(value, dt.datetime):
        return dt.datetime in kinds
    if isinstance(value, int) and float in kinds:
        return True
    return isinstance(value, tuple(k for k in kinds if k is not dt.date))
