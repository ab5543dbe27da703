"""A coordinator's view: many reports verified at once, with where each trip stands.

Reports are named one by one or found in folders (``*.toml``; other TOML files
there, such as answers files, are skipped with a note). Each gets one line
saying whether it verifies, and a row for the coordinator's table: traveller,
trip, departure, verdict, signature state and recheck state, the last read
from the chain of reports present (``signoff.previous``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from readiness import report
from readiness.errors import InputError, Problem, ReadinessError
from readiness.files import read_toml
from readiness.report import Report, Trust, Verification


class RecheckState(StrEnum):
    """Where a report stands against its pre-departure recheck."""

    NOT_DUE = "not due yet"
    DUE = "due now"
    OVERDUE = "overdue"
    DONE = "done"
    UNKNOWN = ""  # a damaged report: nothing to say


@dataclass(frozen=True)
class Row:
    """One report as the coordinator sees it; ``line`` says whether it verifies."""

    source: str
    line: str
    ok: bool
    traveler: str = ""
    trip: str = ""
    departure: dt.datetime | None = None
    verdict: str = ""
    signature: str = "damaged"
    fingerprint: str = ""
    recheck: RecheckState = RecheckState.UNKNOWN


@dataclass(frozen=True)
class Collection:
    """Every report found, in order, and the files skipped as not being reports."""

    rows: tuple[Row, ...]
    skipped: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Every report unchanged and trusted (and at least one report)."""
        return bool(self.rows) and all(row.ok for row in self.rows)


@dataclass(frozen=True)
class _Found:
    path: Path
    named: bool  # given by name, not found in a folder: a bad one is an input error


def collect(paths: Iterable[Path], trust: Trust, now: dt.datetime, window_hours: int) -> Collection:
    """Verify every report named or found in a folder; ``InputError`` for a bad named one."""
    found, skipped = _find(paths)
    loaded: list[tuple[Path, Report | None, str]] = []
    for item in found:
        try:
            text, doc = read_toml(item.path, "report")
            if not item.named and not report.looks_like_report(doc):
                skipped.append(f"{item.path}: skipped, not a readiness report")
                continue
            loaded.append((item.path, report.parse(item.path, text, doc), ""))
        except ReadinessError as exc:
            if item.named:
                raise
            loaded.append((item.path, None, "; ".join(exc.lines())))
    superseded = {r.signoff.previous for _, r, _ in loaded if r is not None and r.signoff.previous}
    if not loaded:
        raise InputError(Problem(", ".join(map(str, paths)), "", "holds no readiness reports"))
    rows = [
        _damaged(path, problem)
        if r is None
        else _row(r, report.verify(r, trust), superseded, now, window_hours)
        for path, r, problem in loaded
    ]
    return Collection(tuple(rows), tuple(skipped))


def _find(paths: Iterable[Path]) -> tuple[list[_Found], list[str]]:
    found: list[_Found] = []
    skipped: list[str] = []
    empty: list[Problem] = []
    for path in paths:
        if path.is_dir():
            reports = sorted(p for p in path.glob("*.toml") if not p.name.startswith("."))
            if not reports:
                empty.append(Problem(str(path), "", "no readiness reports (*.toml) in this folder"))
            found += [_Found(p, named=False) for p in reports if p.is_file()]
        else:
            found.append(_Found(path, named=True))
    if empty:
        raise InputError(empty)
    return found, skipped


def _damaged(path: Path, problem: str) -> Row:
    return Row(str(path), f"{problem} (damaged report)", ok=False)


def _row(
    loaded: Report,
    outcome: Verification,
    superseded: set[str],
    now: dt.datetime,
    window_hours: int,
) -> Row:
    signoff = loaded.signoff
    said = report.words(outcome, signoff.by, signoff.at.isoformat(" "))
    trip = loaded.answers.get("trip", {})
    return Row(
        source=loaded.source,
        line=f"{loaded.source}: {said}",
        ok=outcome.ok,
        traveler=_text(loaded.answers.get("traveler", {}), "name") or signoff.by,
        trip=_text(trip, "name"),
        departure=departure(trip),
        verdict=str(loaded.verdict),
        signature=outcome.state,
        fingerprint=outcome.fingerprint,
        recheck=recheck_state(loaded, superseded, now, window_hours),
    )


def _text(table: Any, key: str) -> str:
    value = table.get(key, "") if isinstance(table, Mapping) else ""
    return value if isinstance(value, str) else ""


def departure(trip: Any) -> dt.datetime | None:
    """The departure as the traveller sees it: in the trip's zone when one is given."""
    if not isinstance(trip, Mapping):
        return None
    moment = trip.get("departure")
    if not isinstance(moment, dt.datetime):
        return None
    zone = trip.get("timezone")
    if isinstance(zone, str) and zone:
        from zoneinfo import ZoneInfo

        tz = ZoneInfo(zone)  # report.parse checked the name
        return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment.astimezone(tz)
    return moment


def recheck_state(
    loaded: Report, superseded: set[str], now: dt.datetime, window_hours: int
) -> RecheckState:
    """Done when a report present rechecks this one (or this one is the recheck); else
    by the clock: before the window opens, inside it, or past the deadline."""
    if loaded.signoff.digest in superseded or loaded.signoff.previous:
        return RecheckState.DONE
    if now > loaded.deadline:
        return RecheckState.OVERDUE
    if now >= loaded.deadline - dt.timedelta(hours=window_hours):
        return RecheckState.DUE
    return RecheckState.NOT_DUE


def check_chain_of(later: Path, earlier: Path) -> None:
    """Read both reports and ``check_chain`` them: `verify --previous` in one call."""
    check_chain(report.load(later), report.load(earlier))


def check_chain(later: Report, earlier: Report) -> None:
    """A ``VerifyError`` when ``later`` does not recheck ``earlier`` (``--previous``)."""
    from readiness.errors import VerifyError

    chained = later.signoff.previous
    if chained != earlier.signoff.digest:
        what = f"chains to {chained}" if chained else "chains to no earlier report"
        raise VerifyError([f"{later.source}: {what}, not to {earlier.source}"])
