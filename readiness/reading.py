"""Reading a signed report back: `show` and the setup plan of `guide`, as one call each.

The steps (load, verify, trust, results as of now, the plan) are chained here,
so a command parses its options, calls one function and renders what it returns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from readiness import answers as answers_mod
from readiness import guide, refresh, report, workflow
from readiness.answers import Answers
from readiness.errors import VerifyError
from readiness.guide import SetupPlan
from readiness.knowledge import Knowledge
from readiness.report import Report, Trust, Verification
from readiness.results import CheckResult, Verdict


def answers_of(loaded: Report) -> Answers:
    """A report's answers, checked as an answers file's would be (named after the report)."""
    return answers_mod.from_document(loaded.answers, f"{loaded.source} [answers]")


@dataclass(frozen=True)
class Shown:
    """A report as of ``now``: its results and verdict for this moment, and whether it verifies.

    Times are in the trip's zone; ``report`` keeps what was signed.
    """

    source: Path
    report: Report
    answers: Answers
    verification: Verification
    #: What the verification found, in words.
    detail: str
    results: tuple[CheckResult, ...]
    verdict: Verdict
    evaluated_at: dt.datetime
    signed_at: dt.datetime
    deadline: dt.datetime
    now: dt.datetime

    @property
    def verified(self) -> bool:
        return self.verification.ok

    @property
    def ok(self) -> bool:
        """Verifies and is not "not ready" as of now: what exits 0."""
        return self.verified and self.verdict is not Verdict.NOT_READY


def show(report_path: Path, knowledge: Knowledge, now: dt.datetime, trust: Trust) -> Shown:
    """Load and verify a report, and say its results for ``now`` (a report that fails is shown)."""
    loaded = report.load(report_path)
    outcome = report.verify(loaded, trust)
    answers = answers_of(loaded)
    # Sentences about "now" are said for this moment, not the one the report was signed at.
    results = refresh.as_of(loaded.results, answers, knowledge, now)
    zone = answers.trip.zone
    return Shown(
        source=report_path,
        report=loaded,
        answers=answers,
        verification=outcome,
        detail=report.words(outcome, loaded.signoff.by),
        results=results,
        verdict=refresh.verdict_as_of(loaded.verdict, loaded.results, results),
        evaluated_at=loaded.evaluated_at.astimezone(zone),
        signed_at=loaded.signoff.at.astimezone(zone),
        deadline=loaded.deadline.astimezone(zone),
        now=now,
    )


@dataclass(frozen=True)
class PlanView:
    """The setup plan, and (with ``force``) why its report did not verify as trusted."""

    plan: SetupPlan
    #: Set when a report that does not verify was planned from anyway: what it found.
    forced: str = ""


def plan_from_report(
    report_path: Path, knowledge: Knowledge, trust: Trust, *, force: bool
) -> PlanView:
    """The setup plan of a report's answers and results; only a trusted report, unless forced."""
    loaded = report.load(report_path)
    outcome = report.verify(loaded, trust)
    forced = ""
    if not outcome.ok:
        said = f"{report_path}: {report.words(outcome, loaded.signoff.by)}"
        if not force:
            raise VerifyError([f"{said}; {report.UNTRUSTED}"])
        forced = said
    plan = guide.plan(answers_of(loaded), knowledge, list(loaded.results))
    return PlanView(plan, forced)


def plan_from_answers(answers_path: Path, knowledge: Knowledge, now: dt.datetime) -> PlanView:
    """The setup plan of an answers file, checked as of ``now`` (nothing is written)."""
    answers, evaluation = workflow.assess(answers_path, knowledge, now)
    return PlanView(guide.plan(answers, knowledge, list(evaluation.results)))
