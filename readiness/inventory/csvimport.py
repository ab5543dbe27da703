"""Importing MDM exports (CSV) into the inventory."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from readiness.errors import (
    InputError,
    Problem,
)
from readiness.files import MAX_CSV_BYTES, read_text
from readiness.inventory.model import REQUIRED, Entry, Refused, _Book, _entry_from
from readiness.inventory.store import _locked, _save, load

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
    return parse_csv(read_text(path, "CSV file", MAX_CSV_BYTES), str(path))


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
