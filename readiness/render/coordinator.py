"""The coordinator's view of many reports: a line each, then a table, JSON or CSV.

Every string here came from a report someone else wrote, so each passes
through ``text.safe`` (text), JSON's own escaping (with ``ensure_ascii``) or
``text.spreadsheet_cell`` (CSV) before it is shown.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from readiness.collect import Collection, Row
from readiness.render.style import table
from readiness.results import format_moment
from readiness.text import safe, spreadsheet_cell

HEADERS = ("traveller", "trip", "departure", "verdict", "signature", "recheck")
_FIELDS = ("report", *HEADERS, "fingerprint", "ok", "detail")


def _departure(row: Row) -> str:
    return format_moment(row.departure) if row.departure is not None else ""


def _cells(row: Row) -> list[str]:
    return [row.traveler, row.trip, _departure(row), row.verdict, row.signature, row.recheck]


def failures(collection: Collection) -> list[str]:
    """One line per report that does not verify, saying which way (for ``error:`` lines)."""
    return [safe(row.line) for row in collection.rows if not row.ok]


def lines(collection: Collection, *, table_too: bool = True) -> list[str]:
    """A line per report that verifies; the table after them when there are many reports."""
    out = [f"✓ {safe(row.line)}" for row in collection.rows if row.ok]
    if table_too and len(collection.rows) > 1:
        if out:
            out.append("")
        body = [[safe(cell) for cell in _cells(row)] for row in collection.rows]
        out += table(HEADERS, body, rule=True)
        trusted = sum(row.ok for row in collection.rows)
        out.append("")
        out.append(f"{trusted} of {len(collection.rows)} reports unchanged and trusted.")
    return out


def notes(collection: Collection) -> list[str]:
    return [f"Note: {safe(note)}" for note in collection.skipped]


def _document(row: Row) -> dict[str, Any]:
    return {
        "report": row.source,
        "traveller": row.traveler,
        "trip": row.trip,
        "departure": row.departure.isoformat() if row.departure is not None else None,
        "verdict": row.verdict,
        "signature": row.signature,
        "recheck": str(row.recheck),
        "fingerprint": row.fingerprint,
        "ok": row.ok,
        "detail": row.line,
    }


def as_json(collection: Collection) -> str:
    """For a dashboard: every row, the files skipped, and whether all verify."""
    document = {
        "ok": collection.ok,
        "reports": [_document(row) for row in collection.rows],
        "skipped": list(collection.skipped),
    }
    # ensure_ascii: escape sequences and direction controls stay escaped in the JSON text.
    return json.dumps(document, indent=2, ensure_ascii=True)


def _plain(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def as_csv(collection: Collection) -> str:
    """For a spreadsheet: one row per report, each cell unable to act as a formula."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(_FIELDS)
    for row in collection.rows:
        document = _document(row)
        writer.writerow([spreadsheet_cell(safe(_plain(document[name]))) for name in _FIELDS])
    return out.getvalue()
