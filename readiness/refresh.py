"""A signed report's results as of another moment, for showing it later.

A report keeps each check's message as it was when signed, and the departure
window's message speaks of "now" ("8 days 13 h from now"). Shown a week later
beside a footer computed for the moment of showing, that sentence would be false:
those checks are run again for the moment of showing, the rest are kept as signed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from readiness.answers import Answers
from readiness.checks import CHECKS
from readiness.knowledge import Knowledge
from readiness.results import CheckResult, Verdict, verdict_of

# Checks whose message speaks of "now": a stored one is true only at its evaluation.
TIME_RELATIVE = frozenset({"departure-window"})


def as_of(
    results: Iterable[CheckResult], answers: Answers, knowledge: Knowledge, now: dt.datetime
) -> tuple[CheckResult, ...]:
    """``results`` with every time-relative check run again for ``now``, in its place."""
    fresh = {c.id: tuple(c.run(answers, knowledge, now)) for c in CHECKS if c.id in TIME_RELATIVE}
    out: list[CheckResult] = []
    for result in results:
        if result.id in fresh:
            out.extend(fresh.pop(result.id))
        elif result.id not in TIME_RELATIVE:
            out.append(result)
    return tuple(out)


def verdict_as_of(
    signed: Verdict, before: Iterable[CheckResult], after: Iterable[CheckResult]
) -> Verdict:
    """The verdict of ``after``; strict when the signed one was (a "not ready" with no failure)."""
    before = tuple(before)
    strict = signed is Verdict.NOT_READY and verdict_of(before) is not Verdict.NOT_READY
    return verdict_of(after, strict=strict)
