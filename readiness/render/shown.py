"""Rendering a report for `show`: text for a terminal, Markdown for a person, JSON for scripts."""

from __future__ import annotations

import json
from typing import Any

from readiness import report
from readiness.knowledge import Knowledge
from readiness.reading import Shown
from readiness.render import guide as render_guide
from readiness.render import results as render_results
from readiness.render.style import PLAIN, Styler


def _verification_line(shown: Shown) -> str:
    return render_guide.verification_line(shown.verified, shown.detail)


def show_document(shown: Shown) -> dict[str, Any]:
    """What a script reads: the verdict now and as signed, the timing, the verification."""
    outcome = shown.verification
    return {
        "report": str(shown.source),
        "trip": shown.answers.trip.name,
        "traveler": shown.answers.traveler,
        "verdict": str(shown.verdict),
        "signed_verdict": str(shown.report.verdict),
        "evaluated_at": shown.evaluated_at.isoformat(),
        "departure": shown.answers.trip.departure.isoformat(),
        "deadline": shown.deadline.isoformat(),
        "hours_to_deadline": round((shown.deadline - shown.now).total_seconds() / 3600, 1),
        "verification": {
            "verified": shown.verified,
            "digest_ok": outcome.digest_ok,
            "signature": outcome.signature,
            "state": outcome.state,
            "fingerprint": outcome.fingerprint,
            "changed": list(outcome.changed),
            "detail": shown.detail,
        },
        "checks": [report.result_document(r) for r in shown.results],
    }


def show_json(shown: Shown) -> str:
    return json.dumps(show_document(shown), indent=2, ensure_ascii=False)


def show_markdown(shown: Shown, knowledge: Knowledge) -> str:
    return render_guide.report_markdown(
        shown.source,
        shown.answers.trip.name,
        shown.answers.traveler,
        shown.results,
        shown.verdict,
        shown.deadline,
        shown.answers.trip.departure,
        shown.now,
        _verification_line(shown),
        knowledge,
        signed=shown.report.verdict,
    )


def show_text(shown: Shown, knowledge: Knowledge, style: Styler = PLAIN) -> list[str]:
    """Header, verification, results, what time changed, timing and (when it verifies) what next."""
    lines = render_guide.report_header(
        shown.source,
        shown.answers.trip.name,
        shown.answers.traveler,
        shown.evaluated_at,
        shown.report.signoff.by,
        shown.signed_at,
    )
    mark = style("✓", "green") if shown.verified else style("✗", "red")
    lines += [f"{mark} {_verification_line(shown)}", ""]
    lines += render_results.results_text(shown.results, shown.verdict, style)
    if shown.verdict is not shown.report.verdict:
        at = shown.now.astimezone(shown.answers.trip.zone)
        lines.append(render_guide.verdict_moved_line(shown.report.verdict, shown.verdict, at))
    departure = shown.answers.trip.departure
    lines += render_results.timing_lines(shown.deadline, departure, shown.now, knowledge)
    if shown.verified:
        lines.append(
            render_results.closing_line(shown.verdict, shown.source, shown.deadline, shown.now)
        )
    return lines
