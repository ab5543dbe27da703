"""The inventory file: one locked, atomic, private (0600) TOML file in the state folder.

A carrier activates an eSIM against a device's IMEI, so the inventory is where
those numbers are kept right once instead of being read off each phone before
every trip. Every change takes a file lock, reads the file afresh and replaces
it atomically, so two commands at once never lose an entry and a crash leaves
the previous file whole. A file that cannot be read is reported with its path
and line and never replaced. Times are always passed in (``now``).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from readiness.errors import (
    InputError,
    Problem,
    StateError,
    shown,
)
from readiness.fields import Fields
from readiness.files import read_toml, write_atomic
from readiness.identifiers import (
    validate_eid,
    validate_imei,
)
from readiness.inventory.model import (
    _HEADER,
    FIELDS,
    FILE_MODE,
    INVENTORY_FILE,
    LOCK_FILE,
    LOCK_TIMEOUT,
    NO_IMEI,
    REQUIRED,
    SCHEMA,
    TEXT_FIELDS,
    Entry,
    Inventory,
    Refused,
    _Book,
    _entry_from,
    check_label,
    check_model,
    check_no_imei,
    check_owner,
)
from readiness.state import ensure_home


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
        raise InputError(exc.problems, _left_alone(path)) from None
    fields = Fields(str(path), text)
    entries = _parse(doc, fields)
    if fields.problems:
        raise InputError(fields.problems, _left_alone(path))
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
    for where, table in tables:
        entry = _parse_entry(where, table, fields)
        if entry is not None:
            for name, reason in book.clashes(entry):
                fields.problem(f"{where}.{name}", reason)
            book.put(entry)
    return book.entries()


def _parse_entry(where: str, table: Mapping[str, Any], fields: Fields) -> Entry | None:
    fields.unknown_keys(table, (*FIELDS, NO_IMEI), where)
    before = len(fields.problems)  # an unknown key alone does not hide the entry's clashes
    text = {
        name: fields.take(table, name, where, str, required=name in REQUIRED, default="")
        for name in (*TEXT_FIELDS, NO_IMEI)
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
    no_imei = fields.convert(f"{where}.{NO_IMEI}", text[NO_IMEI], check_no_imei)
    if text[NO_IMEI] and text["imei"]:
        fields.problem(f"{where}.{NO_IMEI}", "is set but the device has an IMEI; remove one")
    for name in TEXT_FIELDS:
        value = text[name]
        if (name not in REQUIRED or (name == "imei" and no_imei)) and not value:
            parsed[name] = ""
            continue
        result = fields.convert(f"{where}.{name}", value, checks[name])
        parsed[name] = result if isinstance(result, str) else ""
    if len(fields.problems) > before:
        return None
    if parsed["imei2"] and parsed["imei"] == parsed["imei2"]:
        fields.problem(f"{where}.imei2", "is the same as the IMEI")
        return None
    return Entry(
        label=parsed["label"],
        model=parsed["model"],
        imei=parsed["imei"],
        imei2=parsed["imei2"],
        eid=parsed["eid"],
        owner=parsed["owner"],
        no_imei=no_imei if isinstance(no_imei, str) else "",
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
    """The inventory as CSV with the file's field names as the header; import reads it back.

    A cell a spreadsheet would run as a formula gets a leading ``'`` (``text.spreadsheet_cell``).
    """
    from readiness.text import spreadsheet_cell

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIELDS)
    for entry in inventory.entries:
        record = entry.as_record()
        writer.writerow([spreadsheet_cell(record[name]) for name in FIELDS])
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
        values[NO_IMEI] = old.no_imei
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
