"""Importing MDM exports (CSV) into the inventory.

Real exports are read as they come: UTF-8 (with or without a byte-order mark),
UTF-16 and Windows-1252 (what Excel saves in Europe), comma, semicolon or tab
separated, with or without Excel's ``sep=;`` first line. Which column holds
what comes from the product the header looks like (``columns.py``). A row is
numbered as a spreadsheet shows it: the header is row 1.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path

from readiness.errors import InputError, InvalidValue
from readiness.files import MAX_CSV_BYTES, read_bytes
from readiness.inventory.cells import read_eid, read_imeis, read_owner
from readiness.inventory.columns import GENERIC, ColumnMap, map_columns
from readiness.inventory.model import NO_IMEI, Entry, Refused, _Book, _entry_from
from readiness.inventory.store import _locked, _save, load

#: Why a row has no IMEI, as the inventory then keeps it.
NO_IMEI_COLUMN = "no IMEI column in the export"
NO_IMEI_CELL = "none in the export"
MEID_ONLY = "only an MEID in the export"

_SEP_LINE = re.compile(r'"?sep=(.)"?[ \t]*')
_DELIMITERS = (",", ";", "\t")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}


@dataclass(frozen=True)
class CsvRow:
    """One data row: inventory fields, what was repaired, and why it cannot be imported."""

    row: int
    values: Mapping[str, str]
    notes: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class CsvTable:
    """A CSV export read into rows of inventory fields, numbered as a spreadsheet shows them."""

    source: str
    product: str
    encoding: str
    delimiter: str
    #: Role -> the header names used for it, best first.
    columns: Mapping[str, tuple[str, ...]]
    ignored: tuple[str, ...]
    rows: tuple[CsvRow, ...]

    def read_as(self) -> str:
        """How the file was read, for a dry run: product, encoding, separator."""
        looks = f"the {self.product} layout" if self.product else "no known MDM's layout"
        return f"{looks} ({self.encoding}, {_DELIMITER_NAMES[self.delimiter]}-separated)"


class Outcome(Enum):
    """What happened to one row."""

    ADDED = "added"
    SKIPPED = "skipped"
    REJECTED = "rejected"


@dataclass(frozen=True)
class RowNote:
    """Why one CSV row was skipped or rejected, or what was repaired in an added one."""

    row: int
    reason: str


@dataclass(frozen=True)
class RowOutcome:
    """One row's fate: the device it became (when added) and the reasons or notes."""

    row: int
    outcome: Outcome
    message: str
    entry: Entry | None = None


@dataclass(frozen=True)
class ImportResult:
    """What an import did (or, in a dry run, would do), row by row."""

    outcomes: tuple[RowOutcome, ...]
    table: CsvTable | None = None
    dry_run: bool = False

    def _notes(self, outcome: Outcome) -> tuple[RowNote, ...]:
        return tuple(RowNote(o.row, o.message) for o in self.outcomes if o.outcome is outcome)

    @property
    def added(self) -> tuple[Entry, ...]:
        return tuple(o.entry for o in self.outcomes if o.entry is not None)

    @property
    def duplicates(self) -> tuple[RowNote, ...]:
        """Rows already in the inventory (or earlier in the file)."""
        return self._notes(Outcome.SKIPPED)

    @property
    def rejected(self) -> tuple[RowNote, ...]:
        return self._notes(Outcome.REJECTED)

    @property
    def notes(self) -> tuple[RowNote, ...]:
        """Added rows with something worth saying (a repair, a missing IMEI)."""
        return tuple(n for n in self._notes(Outcome.ADDED) if n.reason)

    @property
    def ignored(self) -> tuple[str, ...]:
        return self.table.ignored if self.table is not None else ()


# --------------------------------------------------------------------------- reading the file


def decode(raw: bytes, source: str) -> tuple[str, str]:
    """The text and the name of its encoding: a byte-order mark decides, else UTF-8, else cp1252."""
    for bom, codec, name in (
        (b"\xef\xbb\xbf", "utf-8", "UTF-8"),
        (b"\xff\xfe", "utf-16-le", "UTF-16"),
        (b"\xfe\xff", "utf-16-be", "UTF-16"),
    ):
        if raw.startswith(bom):
            try:
                return raw[len(bom) :].decode(codec), name
            except UnicodeDecodeError:
                raise InputError.single(source, "", f"is not {name} text") from None
    if b"\x00" in raw[:1000]:
        # UTF-16 without a mark: ASCII characters leave every other byte zero.
        codec = "utf-16-le" if raw[1:2] == b"\x00" else "utf-16-be"
        with contextlib.suppress(UnicodeDecodeError):
            return raw.decode(codec), "UTF-16"
        raise InputError.single(source, "", "is not a text file")
    with contextlib.suppress(UnicodeDecodeError):
        return raw.decode("utf-8"), "UTF-8"
    try:
        return raw.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError.single(
            source, f"line {line}", "is not UTF-8, UTF-16 or Windows-1252 text"
        ) from None


def _delimiter(text: str) -> tuple[str, str]:
    """The delimiter and the text from the header on (Excel's ``sep=`` line removed)."""
    first, _, rest = text.partition("\n")
    line = first.rstrip("\r")
    declared = _SEP_LINE.fullmatch(line)
    if declared and declared.group(1) in _DELIMITERS:
        return declared.group(1), rest
    # The separator that splits the header into the most cells.
    counts = {sep: len(next(csv.reader([line], delimiter=sep), [])) for sep in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda sep: counts[sep])
    return (best if counts[best] > 1 else ","), text


def read_csv(path: Path) -> CsvTable:
    """Read an MDM export; a file that cannot be read or understood is an ``InputError``."""
    text, encoding = decode(read_bytes(path, "CSV file", MAX_CSV_BYTES), str(path))
    return parse_csv(text, str(path), encoding=encoding)


def parse_csv(text: str, source: str, *, encoding: str = "UTF-8") -> CsvTable:
    """Match the header to inventory fields and read every row's values."""
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise InputError.single(source, "", "is empty; expected a CSV file with a header row")
    delimiter, text = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip() for name in next(reader, [])]
        mapping = map_columns(header)
        if "model" not in mapping.roles and "model_id" not in mapping.roles:
            names = ", ".join(f'"{name}"' for name in GENERIC.columns["model"][:3])
            raise InputError.single(source, "row 1", f"no model column; name one {names}")
        records = [(number, record) for number, record in enumerate(reader, start=2)]
    except csv.Error as exc:
        raise InputError.single(source, f"row {reader.line_num}", f"not valid CSV: {exc}") from None
    rows = [
        _read_row(number, record, mapping)
        for number, record in records
        if any(cell.strip() for cell in record)
    ]
    return CsvTable(
        source=source,
        product=mapping.product,
        encoding=encoding,
        delimiter=delimiter,
        columns={role: tuple(header[i] for i in found) for role, found in mapping.roles.items()},
        ignored=tuple(header[i] for i in mapping.unused),
        rows=_unique_labels(rows),
    )


# --------------------------------------------------------------------------- one row


def _cells(record: Sequence[str], mapping: ColumnMap, role: str) -> list[str]:
    found = mapping.roles.get(role, ())
    return [record[i].strip() for i in found if i < len(record) and record[i].strip()]


def _first(record: Sequence[str], mapping: ColumnMap, role: str) -> str:
    cells = _cells(record, mapping, role)
    return cells[0] if cells else ""


def _read_row(number: int, record: Sequence[str], mapping: ColumnMap) -> CsvRow:
    values: dict[str, str] = {}
    notes: list[str] = []
    problems: list[str] = []
    values["model"] = _first(record, mapping, "model") or _first(record, mapping, "model_id")
    values["owner"] = next(
        (owner for cell in _cells(record, mapping, "owner") if (owner := read_owner(cell))), ""
    )
    values["serial"] = _first(record, mapping, "serial")
    imeis: list[str] = []
    for role, what in (("imei", "IMEI"), ("imei2", "IMEI2")):
        try:
            cell = read_imeis(_first(record, mapping, role), what)
        except InvalidValue as exc:
            problems.append(str(exc))
            continue
        imeis.extend(cell.imeis)
        notes.extend(cell.notes)
    if len(imeis) > 2:
        problems.append(f"{len(imeis)} IMEIs between the IMEI and IMEI2 columns; a device has two")
    values["imei"], values["imei2"] = [*imeis, "", ""][:2]
    try:
        values["eid"] = read_eid(_first(record, mapping, "eid"))
    except InvalidValue as exc:
        problems.append(str(exc))
    if not imeis and not problems:
        if "imei" not in mapping.roles:
            values[NO_IMEI] = NO_IMEI_COLUMN
        elif _first(record, mapping, "meid"):
            values[NO_IMEI] = MEID_ONLY
        else:
            values[NO_IMEI] = NO_IMEI_CELL
        notes.append(f"no IMEI: {values[NO_IMEI]}")
    label = _first(record, mapping, "label")
    if not label and values["model"]:
        label = f"{values['model']} ({values['owner']})" if values["owner"] else values["model"]
    values["label"] = label
    return CsvRow(number, values, tuple(notes), tuple(problems))


def _label_key(label: str) -> str:
    return " ".join(label.casefold().split())


def _identity(row: CsvRow) -> str:
    """What makes a row one device: its IMEI, else its serial number, else the row itself."""
    return row.values["imei"] or row.values["serial"] or f"row {row.row}"


def _tagged(label: str, tag: str, owner: str) -> str:
    # A label built as "Pixel 9 (owner)" takes the next tag inside the same brackets.
    if owner and label.endswith(f" ({owner})"):
        return f"{label[:-1]}, {tag})"
    return f"{label} ({tag})"


def _unique_labels(rows: Sequence[CsvRow]) -> tuple[CsvRow, ...]:
    """Different devices that share a name (every personal "iPhone") get their owner added.

    Where the owner does not tell them apart, the serial number does, else the row.
    Rows for one device (a re-enrolment) keep one name, so the second is found as known.
    """
    groups: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        if row.values["label"]:
            groups.setdefault(_label_key(row.values["label"]), []).append(index)
    result = list(rows)
    for members in groups.values():
        devices = {_identity(rows[i]): rows[i] for i in reversed(members)}
        if len(devices) < 2:
            continue
        for role in ("owner", "serial", ""):
            tags = {
                key: row.values[role] if role else f"row {row.row}" for key, row in devices.items()
            }
            distinct = {tag.casefold() for tag in tags.values() if tag}
            if len(distinct) == len(devices):
                break
        for i in members:
            row = rows[i]
            label = _tagged(row.values["label"], tags[_identity(row)], row.values["owner"])
            result[i] = replace(row, values={**row.values, "label": label})
    return tuple(result)


# --------------------------------------------------------------------------- into the inventory


def _already_there(book: _Book, without_imei: Mapping[str, Entry], entry: Entry) -> Entry | None:
    """The device this row describes, if kept already: same IMEI, or same name and model."""
    for number in entry.imeis():
        known = book.by_imei(number)
        if known is not None:
            return known
    if entry.imei:
        return None
    known = without_imei.get(_label_key(entry.label))
    return known if known is not None and known.model == entry.model else None


#: The fields that make a row the same device, told the same way, as one already kept.
_SAME_FIELDS = ("label", "model", "imei", "imei2", "eid", "owner")


def _exact_duplicate(book: _Book, values: Mapping[str, str]) -> Entry | None:
    """The kept device a row repeats field for field, without validating the row.

    Its values are those of an entry that passed every check when it was kept,
    so validating them again would find the same: re-importing an export costs
    a look-up per row, not an IMEI check. Any difference takes the full way.
    """
    known = book.by_imei(values.get("imei", ""))
    if known is None or any(values.get(name, "") != getattr(known, name) for name in _SAME_FIELDS):
        return None
    return known


def _import(
    home: Path, rows: Iterable[CsvRow], now: dt.datetime, *, dry_run: bool
) -> tuple[RowOutcome, ...]:
    outcomes: list[RowOutcome] = []
    from_row: dict[str, int] = {}
    with _locked(home) if not dry_run else contextlib.nullcontext():
        current = load(home)
        book = _Book(current.entries)
        # Devices without an IMEI are known again by name and model.
        without_imei = {_label_key(e.label): e for e in current.entries if not e.imei}
        for row in rows:
            if row.problems:
                outcomes.append(RowOutcome(row.row, Outcome.REJECTED, "; ".join(row.problems)))
                continue
            known = _exact_duplicate(book, row.values)
            if known is not None:
                imei = known.imei
            else:
                try:
                    entry = _entry_from(row.values, now)
                except Refused as exc:
                    outcomes.append(RowOutcome(row.row, Outcome.REJECTED, "; ".join(exc.reasons)))
                    continue
                imei = entry.imei
                known = _already_there(book, without_imei, entry)
            if known is not None:
                where = f" (row {from_row[known.label]})" if known.label in from_row else ""
                what = f"IMEI {imei} is" if imei else "a device without an IMEI is"
                message = f'{what} already on "{known.label}"{where}'
                outcomes.append(RowOutcome(row.row, Outcome.SKIPPED, message))
                continue
            notes = list(row.notes)
            clashes = book.clashes(entry)
            owner = entry.owner
            if [name for name, _ in clashes] == ["label"] and owner and owner not in entry.label:
                # Named like a device already kept: the owner tells them apart.
                with contextlib.suppress(Refused):
                    renamed = _entry_from({**row.values, "label": f"{entry.label} ({owner})"}, now)
                    if not book.clashes(renamed):
                        entry, clashes = renamed, []
                        notes.append("the inventory has another of that name: named with its owner")
            if clashes:
                reasons = "; ".join(reason for _, reason in clashes)
                outcomes.append(RowOutcome(row.row, Outcome.REJECTED, reasons))
                continue
            book.put(entry)
            if not entry.imei:
                without_imei[_label_key(entry.label)] = entry
            from_row[entry.label] = row.row
            outcomes.append(RowOutcome(row.row, Outcome.ADDED, "; ".join(notes), entry))
        if any(o.entry for o in outcomes) and not dry_run:
            _save(current.path, book.entries())
    return tuple(outcomes)


def import_rows(
    home: Path,
    rows: Iterable[tuple[int, Mapping[str, str]]],
    now: dt.datetime,
    *,
    dry_run: bool = False,
) -> ImportResult:
    """Add every good row in one locked write; a row already in the inventory is skipped.

    Rows are (row number, field -> value). A bad or clashing row is rejected
    with its reason and does not stop the others. ``dry_run`` writes nothing.
    """
    ready = (CsvRow(number, values) for number, values in rows)
    return ImportResult(_import(home, ready, now, dry_run=dry_run), dry_run=dry_run)


def import_csv(home: Path, path: Path, now: dt.datetime, *, dry_run: bool = False) -> ImportResult:
    """Read an MDM export and import its rows (see ``import_rows``)."""
    table = read_csv(path)
    return ImportResult(_import(home, table.rows, now, dry_run=dry_run), table, dry_run)
