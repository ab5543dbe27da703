"""The inventory's values: entries, their rules, and the index that finds clashes."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from readiness.errors import MAX_PROBLEMS as MAX_PROBLEMS  # the cap every file shares
from readiness.errors import (
    InvalidValue,
    InventoryError,
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
#: Written only for a device with no IMEI on record: why there is none ("not in the export").
NO_IMEI = "no_imei"
MAX_TEXT = 100

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
    # Why no IMEI is on record (a Wi-Fi-only iPad, a Mac, an export without one);
    # empty whenever ``imei`` is set. The ``imei`` check still fails such a device.
    no_imei: str = ""
    added: dt.datetime = field(kw_only=True)
    changed: dt.datetime = field(kw_only=True)

    def imeis(self) -> tuple[str, ...]:
        """Every IMEI the device answers to (none, one, or two for dual SIM)."""
        return tuple(number for number in (self.imei, self.imei2) if number)

    def as_toml(self) -> dict[str, Any]:
        """The ``[[devices]]`` table, keys in file order (``no_imei`` only when set)."""
        table: dict[str, Any] = {name: getattr(self, name) for name in TEXT_FIELDS}
        if self.no_imei:
            table[NO_IMEI] = self.no_imei
        table["added"] = self.added
        table["changed"] = self.changed
        return table

    def as_record(self, *, reveal: bool = True) -> dict[str, str]:
        """Strings only (times in ISO 8601), for JSON and CSV; masked unless ``reveal``."""
        record = {name: getattr(self, name) for name in TEXT_FIELDS}
        if not reveal:
            for name in ("imei", "imei2", "eid"):
                record[name] = mask(record[name]) if record[name] else ""
        if self.no_imei:
            record[NO_IMEI] = self.no_imei
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
        raise InvalidValue(f"{what} must be one line of text with no hidden characters")
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


def check_no_imei(value: str) -> str:
    """Why a device has no IMEI on record: one line, may be empty."""
    return _one_line(value, "the reason for having no IMEI")


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
    no_imei: str = "",
    now: dt.datetime,
    added: dt.datetime | None = None,
) -> Entry:
    """Validate what a person gave and make the entry, or ``Refused`` with every reason.

    The IMEI may be left empty only with ``no_imei`` saying why; a device given
    an IMEI loses that reason.
    """
    if now.tzinfo is None:
        raise ValueError("now must carry a UTC offset")
    reasons: list[str] = []
    texts: dict[str, str] = {}
    for name, value, check in (
        ("label", label, check_label),
        ("model", model, check_model),
        ("owner", owner, check_owner),
        ("no_imei", no_imei if not imei.strip() else "", check_no_imei),
    ):
        try:
            texts[name] = check(value)
        except InvalidValue as exc:
            reasons.append(str(exc))
    if not imei.strip() and not texts.get("no_imei"):
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
        no_imei=texts["no_imei"],
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
        no_imei=values.get(NO_IMEI, ""),
        now=now,
        added=added,
    )


# --------------------------------------------------------------------------- the store


def _label_key(label: str) -> str:
    """What two labels that print alike have in common: case, spacing and composition aside.

    NFC first and after casefolding, so "é" typed as one character and as "e" and
    an accent are one label.
    """
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFC", label).casefold())
    return " ".join(folded.split())


def _ending(number: str) -> str:
    return f"IMEI ending {number[-4:]}" if number else "no IMEI"


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
                    f'label "{entry.label}" is already used ({other.model}, {_ending(other.imei)})',
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
