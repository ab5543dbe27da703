"""The IMEI inventory: the devices a person keeps between trips, in one TOML file.

A carrier activates an eSIM against a device's IMEI, so the inventory is where
those numbers are kept right once instead of being read off each phone before
every trip. It lives in the state folder as ``inventory.toml`` (mode 0600: IMEIs
are personal data). Every change takes a file lock, reads the file afresh and
replaces it atomically, so two commands at once never lose an entry and a crash
leaves the previous file whole. A file that cannot be read is reported with its
path and line and never replaced.

Times are always passed in (``now``); nothing here reads the clock, so tests
and ``--now`` give reproducible files.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import difflib
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from readiness.errors import (
    InputError,
    InvalidValue,
    InventoryError,
    Problem,
    StateError,
    is_one_line,
    shown,
)
from readiness.identifiers import (
    compact_imei,
    is_valid_imei,
    mask,
    validate_eid,
    validate_imei,
)
from readiness.state import ensure_home
from readiness.tomlfile import Fields, read_text, read_toml, write_atomic

__all__ = [
    "FIELDS",
    "INVENTORY_FILE",
    "SCHEMA",
    "CsvTable",
    "Entry",
    "ImportResult",
    "Inventory",
    "Refused",
    "RowNote",
    "add",
    "check_label",
    "check_model",
    "check_owner",
    "edit",
    "import_csv",
    "import_rows",
    "load",
    "new_entry",
    "parse_csv",
    "read_csv",
    "remove",
    "to_csv",
    "to_toml",
]

INVENTORY_FILE = "inventory.toml"
LOCK_FILE = "inventory.toml.lock"
SCHEMA = 1
FILE_MODE = 0o600
LOCK_TIMEOUT = 30.0
#: Keys of a ``[[devices]]`` table, in file order; JSON and CSV use the same names.
FIELDS = ("label", "model", "imei", "imei2", "eid", "owner", "added", "changed")
#: The fields a person gives; ``added`` and ``changed`` are set from ``now``.
TEXT_FIELDS = ("label", "model", "imei", "imei2", "eid", "owner")
REQUIRED = ("label", "model", "imei")
MAX_TEXT = 100
#: A corrupt file is reported up to this many problems; the rest are counted.
MAX_PROBLEMS = 20

_HEADER = "# The readiness IMEI inventory. Change it with `readiness inventory`.\n"


# --------------------------------------------------------------------------- entries


@dataclass(frozen=True)
class Entry:
    """One device as the inventory keeps it: identifiers compact (digits only)."""

    label: str
    model: str
    imei: str
    imei2: str = ""
    eid: str = ""
    owner: str = ""
    added: dt.datetime = field(kw_only=True)
    changed: dt.datetime = field(kw_only=True)

    def imeis(self) -> tuple[str, ...]:
        """Every IMEI the device answers to (one, or two for dual SIM)."""
        return (self.imei, self.imei2) if self.imei2 else (self.imei,)

    def as_toml(self) -> dict[str, Any]:
        """The ``[[devices]]`` table, keys in file order."""
        return {name: getattr(self, name) for name in FIELDS}

    def as_record(self, *, reveal: bool = True) -> dict[str, str]:
        """Strings only (times in ISO 8601), for JSON and CSV; masked unless ``reveal``."""
        record = {name: getattr(self, name) for name in TEXT_FIELDS}
        if not reveal:
            for name in ("imei", "imei2", "eid"):
                record[name] = mask(record[name]) if record[name] else ""
        record["added"] = self.added.isoformat()
        record["changed"] = self.changed.isoformat()
        return record


class Refused(InventoryError):
    """An inventory change that was refused, with every reason on its own line."""

    def __init__(self, reasons: Sequence[str]) -> None:
        self.reasons = tuple(reasons)
        super().__init__("\n".join(self.reasons))

    def lines(self) -> list[str]:
        return list(self.reasons)


# Only what an IMEI can be written with; anything else cannot be mistaken for one.
_NUMBER_LIKE = re.compile(r"[\d\s\-/.\u2010-\u2015\u2212]+")


def _one_line(value: str, what: str) -> str:
    text = value.strip()
    if not is_one_line(text):
        raise InvalidValue(f"{what} must be one line of text")
    if len(text) > MAX_TEXT:
        raise InvalidValue(f"{what} has at most {MAX_TEXT} characters, got {len(text)}")
    return text


def check_label(value: str) -> str:
    """A device's name as stored: one line, not empty, and not mistakable for an IMEI.

    ``remove LABEL|IMEI`` accepts either, so a label that is itself an IMEI
    would make the command ambiguous.
    """
    text = _one_line(value, "a label")
    if not text:
        raise InvalidValue('no label given; name the device, e.g. "Ada\'s iPhone"')
    if _NUMBER_LIKE.fullmatch(text) and is_valid_imei(text):
        raise InvalidValue('a label cannot be an IMEI; name the device, e.g. "Ada\'s iPhone"')
    return text


def check_model(value: str) -> str:
    """The model as stored: one line, not empty (the checks place it in the matrix)."""
    text = _one_line(value, "a model")
    if not text:
        raise InvalidValue('no model given, e.g. "iPhone 15 Pro"')
    return text


def check_owner(value: str) -> str:
    """Who the device belongs to: one line, may be empty."""
    return _one_line(value, "an owner")


def _identifier(name: str, value: str, parse: Any, reasons: list[str]) -> str:
    """Validate an optional identifier, recording ``NAME value: reason`` when it is bad."""
    if not value.strip():
        return ""
    try:
        result: str = parse(value)
    except InvalidValue as exc:
        reasons.append(f"{name} {shown(value)}: {exc}")
        return ""
    return result


def new_entry(
    *,
    label: str,
    model: str,
    imei: str,
    imei2: str = "",
    eid: str = "",
    owner: str = "",
    now: dt.datetime,
    added: dt.datetime | None = None,
) -> Entry:
    """Validate what a person gave and make the entry, or ``Refused`` with every reason."""
    if now.tzinfo is None:
        raise ValueError("now must carry a UTC offset")
    reasons: list[str] = []
    texts: dict[str, str] = {}
    for name, value, check in (
        ("label", label, check_label),
        ("model", model, check_model),
        ("owner", owner, check_owner),
    ):
        try:
            texts[name] = check(value)
        except InvalidValue as exc:
            reasons.append(str(exc))
    if not imei.strip():
        reasons.append("no IMEI given; dial *#06# on the device to see it")
    number = _identifier("IMEI", imei, validate_imei, reasons)
    number2 = _identifier("IMEI2", imei2, validate_imei, reasons)
    eid_number = _identifier("EID", eid, validate_eid, reasons)
    if number and number == number2:
        reasons.append(f"IMEI2 {number2} is the same as the IMEI; leave IMEI2 empty")
    if reasons:
        raise Refused(reasons)
    return Entry(
        label=texts["label"],
        model=texts["model"],
        imei=number,
        imei2=number2,
        eid=eid_number,
        owner=texts["owner"],
        added=added or now,
        changed=now,
    )


def _entry_from(
    values: Mapping[str, str], now: dt.datetime, added: dt.datetime | None = None
) -> Entry:
    return new_entry(
        label=values.get("label", ""),
        model=values.get("model", ""),
        imei=values.get("imei", ""),
        imei2=values.get("imei2", ""),
        eid=values.get("eid", ""),
        owner=values.get("owner", ""),
        now=now,
        added=added,
    )


# --------------------------------------------------------------------------- the store


def _label_key(label: str) -> str:
    return " ".join(label.casefold().split())


def _ending(number: str) -> str:
    return f"ending {number[-4:]}"


class _Book:
    """The entries being changed, indexed by label, IMEI and EID so clashes cost O(1)."""

    def __init__(self, entries: Iterable[Entry] = ()) -> None:
        self._rows: dict[int, Entry] = {}
        self._labels: dict[str, int] = {}
        self._imeis: dict[str, int] = {}
        self._eids: dict[str, int] = {}
        self._next = 0
        for entry in entries:
            self.put(entry)

    def entries(self) -> tuple[Entry, ...]:
        return tuple(self._rows.values())

    def _slot(self, entry: Entry) -> int:
        return self._labels[_label_key(entry.label)]

    def by_imei(self, number: str) -> Entry | None:
        slot = self._imeis.get(number)
        return None if slot is None else self._rows[slot]

    def clashes(self, entry: Entry, ignore: Entry | None = None) -> list[tuple[str, str]]:
        """(field, reason) for each way ``entry`` collides with another device."""
        skip = self._slot(ignore) if ignore is not None else None
        found: list[tuple[str, str]] = []
        slot = self._labels.get(_label_key(entry.label))
        if slot is not None and slot != skip:
            other = self._rows[slot]
            found.append(
                (
                    "label",
                    f'label "{entry.label}" is already used ({other.model}, '
                    f"IMEI {_ending(other.imei)})",
                )
            )
        for name, number in (("imei", entry.imei), ("imei2", entry.imei2)):
            slot = self._imeis.get(number) if number else None
            if slot is not None and slot != skip:
                other = self._rows[slot]
                also = " as its IMEI2" if other.imei2 == number else ""
                found.append((name, f'{name.upper()} {number} is already on "{other.label}"{also}'))
        slot = self._eids.get(entry.eid) if entry.eid else None
        if slot is not None and slot != skip:
            found.append(("eid", f'EID {entry.eid} is already on "{self._rows[slot].label}"'))
        return found

    def put(self, entry: Entry, slot: int | None = None) -> None:
        if slot is None:
            slot = self._next
            self._next += 1
        self._rows[slot] = entry
        self._labels[_label_key(entry.label)] = slot
        for number in entry.imeis():
            self._imeis[number] = slot
        if entry.eid:
            self._eids[entry.eid] = slot

    def _unindex(self, entry: Entry) -> int:
        slot = self._labels.pop(_label_key(entry.label))
        for number in entry.imeis():
            self._imeis.pop(number, None)
        if entry.eid:
            self._eids.pop(entry.eid, None)
        return slot

    def drop(self, entry: Entry) -> None:
        del self._rows[self._unindex(entry)]

    def swap(self, old: Entry, new: Entry) -> None:
        """Replace ``old`` by ``new`` in the same place in the file."""
        self.put(new, self._unindex(old))


@dataclass(frozen=True)
class Inventory:
    """The devices as read from the file, in file order."""

    path: Path
    entries: tuple[Entry, ...] = ()

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    @cached_property
    def _labels(self) -> dict[str, Entry]:
        return {_label_key(e.label): e for e in self.entries}

    @cached_property
    def _imeis(self) -> dict[str, Entry]:
        return {number: e for e in self.entries for number in e.imeis()}

    def find(self, key: str) -> Entry | None:
        """The device with this label (any case) or IMEI/IMEI2 (separators allowed)."""
        entry = self._labels.get(_label_key(key))
        if entry is None:
            entry = self._imeis.get(compact_imei(key))
        return entry

    def by_imei(self, number: str) -> Entry | None:
        return self._imeis.get(compact_imei(number))

    def suggestions(self, key: str) -> list[str]:
        """Labels close to a key that matched nothing, for a 'did you mean'."""
        by_key = {_label_key(e.label): e.label for e in self.entries}
        close = difflib.get_close_matches(_label_key(key), list(by_key), n=3, cutoff=0.6)
        return [by_key[k] for k in close]


def load(home: Path) -> Inventory:
    """The inventory in ``home``; a missing file is an empty inventory.

    A file that cannot be read raises ``InputError`` naming the file, the key
    path (``devices[3].imei``, 1-based) and the line, and is left as it is.
    """
    path = home / INVENTORY_FILE
    if not path.exists() and not path.is_symlink():
        return Inventory(path, ())
    try:
        text, doc = read_toml(path, "inventory")
    except InputError as exc:
        raise InputError([*exc.problems, _left_alone(path)]) from None
    fields = Fields(str(path), text)
    entries = _parse(doc, fields)
    if fields.problems:
        raise InputError([*fields.problems, _left_alone(path)])
    return Inventory(path, entries)


def _left_alone(path: Path) -> Problem:
    return Problem(
        str(path),
        "",
        "the inventory was left as it is; fix it, or move it aside to start a new one",
    )


def _parse(doc: Mapping[str, Any], fields: Fields) -> tuple[Entry, ...]:
    schema = fields.take(doc, "schema", "", int)
    if schema is not None and schema != SCHEMA:
        fields.problem("schema", f"is {schema}; this version of readiness reads schema {SCHEMA}")
    fields.unknown_keys(doc, ("schema", "devices"), "")
    book = _Book()
    tables = fields.tables(doc, "devices", required=False)
    for number, (where, table) in enumerate(tables, start=1):
        if len(fields.problems) >= MAX_PROBLEMS:
            fields.problems.append(
                Problem(fields.source, "", f"not checked past devices[{number - 1}]")
            )
            break
        entry = _parse_entry(where, table, fields)
        if entry is not None:
            for name, reason in book.clashes(entry):
                fields.problem(f"{where}.{name}", reason)
            book.put(entry)
    return book.entries()


_FIELD_SET = frozenset(FIELDS)


def _stored_number(value: object, length: int, is_valid: Any) -> bool:
    return (
        type(value) is str
        and len(value) == length
        and value.isascii()
        and value.isdigit()
        and bool(is_valid(value))
    )


def _stored_entry(table: Mapping[str, Any]) -> Entry | None:
    """The entry when the table is exactly as this module writes it; else None.

    Checking a well-formed table directly keeps a 10,000-device inventory
    quick to load; anything unusual takes the slow path, which says what is
    wrong and where.
    """
    from stdnum import luhn
    from stdnum.iso7064 import mod_97_10

    if table.keys() != _FIELD_SET:
        return None
    label, model, imei, imei2, eid, owner = (table[name] for name in TEXT_FIELDS)
    added, changed = table["added"], table["changed"]
    for text in (label, model, owner):
        if type(text) is not str or text != text.strip() or len(text) > MAX_TEXT:
            return None
        if not is_one_line(text):
            return None
    if not label or not model or _NUMBER_LIKE.fullmatch(label):
        return None
    for moment in (added, changed):
        if type(moment) is not dt.datetime or moment.tzinfo is None:
            return None
    if not _stored_number(imei, 15, luhn.is_valid):
        return None
    if imei2 != "" and (imei2 == imei or not _stored_number(imei2, 15, luhn.is_valid)):
        return None
    if eid != "" and not _stored_number(eid, 32, mod_97_10.is_valid):
        return None
    return Entry(label, model, imei, imei2, eid, owner, added=added, changed=changed)


def _parse_entry(where: str, table: Mapping[str, Any], fields: Fields) -> Entry | None:
    fast = _stored_entry(table)
    if fast is not None:
        return fast
    fields.unknown_keys(table, FIELDS, where)
    before = len(fields.problems)  # an unknown key alone does not hide the entry's clashes
    text = {
        name: fields.take(table, name, where, str, required=name in REQUIRED, default="")
        for name in TEXT_FIELDS
    }
    times: dict[str, dt.datetime] = {}
    for name in ("added", "changed"):
        value = fields.take(table, name, where, dt.datetime)
        if isinstance(value, dt.datetime):
            if value.tzinfo is None:
                fields.problem(f"{where}.{name}", "needs a UTC offset, e.g. 2026-11-30T12:00:00Z")
            times[name] = value
    if len(fields.problems) > before:
        return None
    parsed: dict[str, str] = {}
    checks: dict[str, Any] = {
        "label": check_label,
        "model": check_model,
        "owner": check_owner,
        "imei": validate_imei,
        "imei2": validate_imei,
        "eid": validate_eid,
    }
    for name in TEXT_FIELDS:
        value = text[name]
        if name not in REQUIRED and not value:
            parsed[name] = ""
            continue
        result = fields.convert(f"{where}.{name}", value, checks[name])
        parsed[name] = result if isinstance(result, str) else ""
    if len(fields.problems) > before:
        return None
    if parsed["imei"] == parsed["imei2"]:
        fields.problem(f"{where}.imei2", "is the same as the IMEI")
        return None
    return Entry(
        label=parsed["label"],
        model=parsed["model"],
        imei=parsed["imei"],
        imei2=parsed["imei2"],
        eid=parsed["eid"],
        owner=parsed["owner"],
        added=times["added"],
        changed=times["changed"],
    )


def _dump(entries: Iterable[Entry]) -> str:
    import tomli_w

    body = tomli_w.dumps({"schema": SCHEMA, "devices": [e.as_toml() for e in entries]})
    return _HEADER + body


def to_toml(inventory: Inventory) -> str:
    """The inventory in the file's own format (``schema = 1`` then ``[[devices]]``)."""
    return _dump(inventory.entries)


def to_csv(inventory: Inventory) -> str:
    """The inventory as CSV with the file's field names as the header; import reads it back."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIELDS)
    for entry in inventory.entries:
        record = entry.as_record()
        writer.writerow([record[name] for name in FIELDS])
    return out.getvalue()


@contextlib.contextmanager
def _locked(home: Path) -> Iterator[None]:
    """Hold the inventory's lock so each read-change-write happens alone."""
    from filelock import FileLock, Timeout

    ensure_home(home)
    path = home / LOCK_FILE
    lock = FileLock(str(path), timeout=LOCK_TIMEOUT, mode=FILE_MODE)
    try:
        lock.acquire()
    except Timeout:
        raise StateError(
            f"{path}: another readiness command has held the inventory for "
            f"{LOCK_TIMEOUT:.0f} s; try again when it has finished"
        ) from None
    except OSError as exc:
        raise StateError(f"{path}: cannot lock the inventory: {exc.strerror or exc}") from None
    try:
        yield
    finally:
        lock.release()


def _save(path: Path, entries: Iterable[Entry]) -> None:
    write_atomic(path, _dump(entries).encode("utf-8"), mode=FILE_MODE)


def _not_found(inventory: Inventory, key: str) -> Refused:
    close = inventory.suggestions(key)
    hint = "; did you mean " + " or ".join(f'"{c}"' for c in close) + "?" if close else ""
    if not inventory.entries:
        hint = "; the inventory is empty"
    return Refused([f'no device "{shown(key)}" in the inventory{hint}'])


def add(home: Path, entry: Entry) -> Entry:
    """Add a device; refused when its label, an IMEI or its EID is already taken."""
    with _locked(home):
        current = load(home)
        book = _Book(current.entries)
        clashes = book.clashes(entry)
        if clashes:
            raise Refused([reason for _, reason in clashes])
        book.put(entry)
        _save(current.path, book.entries())
    return entry


def edit(home: Path, key: str, changes: Mapping[str, str], now: dt.datetime) -> tuple[Entry, Entry]:
    """Change only the given fields of the device ``key``; returns (before, after).

    An empty string clears an optional field (IMEI2, EID, owner). Nothing is
    written when the values given are the ones already stored.
    """
    unknown = set(changes) - set(TEXT_FIELDS)
    if unknown:
        raise ValueError(f"cannot edit {', '.join(sorted(unknown))}")
    with _locked(home):
        current = load(home)
        old = current.find(key)
        if old is None:
            raise _not_found(current, key)
        values: dict[str, str] = {name: getattr(old, name) for name in TEXT_FIELDS}
        values.update(changes)
        new = _entry_from(values, now, added=old.added)
        if replace(new, changed=old.changed) == old:
            return old, old
        book = _Book(current.entries)
        clashes = book.clashes(new, ignore=old)
        if clashes:
            raise Refused([reason for _, reason in clashes])
        book.swap(old, new)
        _save(current.path, book.entries())
    return old, new


def remove(home: Path, key: str) -> Entry:
    """Remove the device with this label or IMEI; returns what was removed."""
    with _locked(home):
        current = load(home)
        entry = current.find(key)
        if entry is None:
            raise _not_found(current, key)
        book = _Book(current.entries)
        book.drop(entry)
        _save(current.path, book.entries())
    return entry


# --------------------------------------------------------------------------- CSV import

#: Column names as MDM exports write them, compared without case, spaces,
#: underscores or hyphens. The first matching column of each kind is used.
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "label": ("Device Name", "Name", "Label", "Device", "Device Label", "Display Name"),
    "model": ("Model", "Model Name", "Product Name", "Device Model", "Product"),
    "imei": ("IMEI", "IMEI 1", "IMEI/MEID", "IMEI Number", "Primary IMEI"),
    "imei2": ("Secondary IMEI", "IMEI 2", "IMEI2", "Second IMEI", "IMEI2/MEID"),
    "eid": ("EID", "eSIM EID", "Embedded SIM EID"),
    "owner": (
        "Username",
        "Primary user",
        "User",
        "Owner",
        "Assigned user",
        "User Name",
        "Primary User Display Name",
    ),
}
_FIELD_NAMES = {"imei": "IMEI", "imei2": "IMEI2", "eid": "EID"}


def _column_key(name: str) -> str:
    return "".join(ch for ch in name.casefold() if ch.isalnum() or ch == "/")


_COLUMNS = {_column_key(alias): name for name, aliases in COLUMN_NAMES.items() for alias in aliases}


@dataclass(frozen=True)
class CsvTable:
    """A CSV export read into rows of inventory fields, numbered as a spreadsheet shows them."""

    source: str
    columns: Mapping[str, str]
    ignored: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]


@dataclass(frozen=True)
class RowNote:
    """Why one CSV row was skipped or rejected."""

    row: int
    reason: str


@dataclass(frozen=True)
class ImportResult:
    """What an import did (or, in a dry run, would do), row by row."""

    added: tuple[Entry, ...]
    duplicates: tuple[RowNote, ...]
    rejected: tuple[RowNote, ...]
    ignored: tuple[str, ...] = ()
    dry_run: bool = False


def read_csv(path: Path) -> CsvTable:
    """Read an MDM export (UTF-8, with or without a byte-order mark)."""
    return parse_csv(read_text(path, "CSV file"), str(path))


def _delimiter(first_line: str) -> str:
    # Spreadsheets in many European locales save CSV with semicolons.
    counts = {sep: first_line.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def parse_csv(text: str, source: str) -> CsvTable:
    """Match the header to inventory fields; a missing required column is an ``InputError``."""
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise InputError.single(source, "", "is empty; expected a CSV file with a header row")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.split("\n")[0]))
    try:
        header = next(reader)
        columns: dict[str, int] = {}
        ignored: list[str] = []
        for index, raw in enumerate(header):
            name = _COLUMNS.get(_column_key(raw))
            if name is None or name in columns:
                if raw.strip():
                    ignored.append(raw.strip())
            else:
                columns[name] = index
        missing = [
            Problem(
                source,
                "row 1",
                f"no {_FIELD_NAMES.get(name, name)} column; name one "
                + ", ".join(f'"{alias}"' for alias in COLUMN_NAMES[name][:3]),
            )
            for name in REQUIRED
            if name not in columns
        ]
        if missing:
            raise InputError(missing)
        rows: list[tuple[int, dict[str, str]]] = []
        for number, record in enumerate(reader, start=2):
            if not any(cell.strip() for cell in record):
                continue
            rows.append(
                (
                    number,
                    {
                        name: record[index].strip() if index < len(record) else ""
                        for name, index in columns.items()
                    },
                )
            )
    except csv.Error as exc:
        raise InputError.single(source, f"row {reader.line_num}", f"not valid CSV: {exc}") from None
    return CsvTable(
        source=source,
        columns={name: header[index].strip() for name, index in columns.items()},
        ignored=tuple(ignored),
        rows=tuple(rows),
    )


def import_rows(
    home: Path,
    rows: Iterable[tuple[int, Mapping[str, str]]],
    now: dt.datetime,
    *,
    dry_run: bool = False,
) -> ImportResult:
    """Add every good row in one locked write; a row whose IMEI is already known is skipped.

    Rows are (row number, field -> value). A bad or clashing row is rejected
    with its reason and does not stop the others. ``dry_run`` writes nothing.
    """
    added: list[Entry] = []
    duplicates: list[RowNote] = []
    rejected: list[RowNote] = []
    from_row: dict[str, int] = {}
    with _locked(home) if not dry_run else contextlib.nullcontext():
        current = load(home)
        book = _Book(current.entries)
        for number, row in rows:
            try:
                entry = _entry_from(row, now)
            except Refused as exc:
                rejected.append(RowNote(number, "; ".join(exc.reasons)))
                continue
            known = book.by_imei(entry.imei)
            if known is not None:
                where = f" (row {from_row[known.label]})" if known.label in from_row else ""
                duplicates.append(
                    RowNote(number, f'IMEI {entry.imei} is already on "{known.label}"{where}')
                )
                continue
            clashes = book.clashes(entry)
            if clashes:
                rejected.append(RowNote(number, "; ".join(reason for _, reason in clashes)))
                continue
            book.put(entry)
            from_row[entry.label] = number
            added.append(entry)
        if added and not dry_run:
            _save(current.path, book.entries())
    return ImportResult(tuple(added), tuple(duplicates), tuple(rejected), dry_run=dry_run)


def import_csv(home: Path, path: Path, now: dt.datetime, *, dry_run: bool = False) -> ImportResult:
    """Read an MDM export and import its rows (see ``import_rows``)."""
    table = read_csv(path)
    result = import_rows(home, table.rows, now, dry_run=dry_run)
    return replace(result, ignored=table.ignored)


def fill_devices(doc: Mapping[str, Any], inventory: Inventory, source: str) -> dict[str, Any]:
    """Devices that name an inventory entry (``inventory = "Ada's iPhone"``) get its details.

    What the answers say wins; the entry fills what they leave out (model, label,
    IMEI, IMEI2, EID). An entry that does not exist is an input error.
    """
    devices = doc.get("devices")
    if not isinstance(devices, list):
        return dict(doc)
    problems: list[Problem] = []
    filled: list[Any] = []
    for index, device in enumerate(devices, start=1):
        key = device.get("inventory") if isinstance(device, Mapping) else None
        if not isinstance(key, str) or not key.strip():
            filled.append(device)
            continue
        entry = inventory.find(key)
        if entry is None:
            hint = inventory.suggestions(key)
            near = f"; did you mean {', '.join(hint)}?" if hint else ""
            problems.append(
                Problem(
                    source,
                    f"devices[{index}].inventory",
                    f'no device "{shown(key)}" in the inventory{near}',
                )
            )
            filled.append(device)
            continue
        saved = {
            "label": entry.label,
            "model": entry.model,
            "imei": entry.imei,
            "imei2": entry.imei2,
            "eid": entry.eid,
        }
        filled.append({**{k: v for k, v in saved.items() if v}, **device, "inventory": entry.label})
    if problems:
        raise InputError(problems)
    return {**doc, "devices": filled}
