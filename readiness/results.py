"""What checks produce: statuses, results, verdicts, and how two runs differ."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    SKIP = "skip"


class Verdict(StrEnum):
    READY = "ready"
    READY_WITH_WARNINGS = "ready-with-warnings"
    NOT_READY = "not-ready"


@dataclass(frozen=True)
class CheckResult:
    """One check's verdict on the trip or on one device (``subject``)."""

    id: str
    status: Status
    subject: str
    message: str
    fix: str = ""


@dataclass(frozen=True)
class Evaluation:
    """Every result of one run, the overall verdict and the pre-departure deadline."""

    results: tuple[CheckResult, ...]
    verdict: Verdict
    deadline: dt.datetime


def verdict_of(results: Iterable[CheckResult], *, strict: bool = False) -> Verdict:
    statuses = {r.status for r in results}
    if Status.FAIL in statuses or (strict and Status.WARN in statuses):
        return Verdict.NOT_READY
    if Status.WARN in statuses:
        return Verdict.READY_WITH_WARNINGS
    return Verdict.READY


def format_moment(moment: dt.datetime) -> str:
    """``Tue 1 Dec 2026 09:30 +08`` style: unambiguous and short."""
    offset = moment.strftime("%z")
    offset = offset[:3] if offset.endswith("00") else f"{offset[:3]}:{offset[3:]}"
    return f"{moment:%a} {moment.day} {moment:%b %Y %H:%M} {offset or 'UTC'}"


def format_span(span: dt.timedelta) -> str:
    """Days and hours, or hours and minutes when it is close."""
    minutes = int(abs(span).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{_plural(days, 'day')} {hours} h"
    return f"{hours} h {mins:02d} min" if hours else f"{mins} min"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class Change:
    """A check whose status moved between two evaluations (a report and its recheck)."""

    id: str
    subject: str
    before: str  # a status, or "" when the check did not run before
    after: str  # a status, or "" when it no longer runs

    @property
    def rank(self) -> int:
        """New failures first, then resolved ones, then the rest."""
        if self.after == "fail":
            return 0
        if self.before == "fail":
            return 1
        return 2


def changes(before: list[CheckResult], after: list[CheckResult]) -> list[Change]:
    """Every check (per subject) whose status differs, new and resolved failures first."""
    old = {(r.id, r.subject): str(r.status) for r in before}
    new = {(r.id, r.subject): str(r.status) for r in after}
    keys = list(dict.fromkeys([*new, *old]))
    moved = [
        Change(i, s, old.get((i, s), ""), new.get((i, s), ""))
        for i, s in keys
        if old.get((i, s)) != new.get((i, s))
    ]
    return sorted(moved, key=lambda c: c.rank)
