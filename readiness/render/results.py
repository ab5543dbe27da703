"""Turning results into text a person reads, or JSON a script reads.

Plain strings only: the CLI decides where they go and whether colour is on.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from json.encoder import encode_basestring

from readiness import versions
from readiness.checks import CHECKS, GROUPS
from readiness.knowledge import CAPABILITY_KEYS, Knowledge, Placement
from readiness.placement import closest
from readiness.render.style import PLAIN, Styler, display_width, pad, table, width_of, wrap
from readiness.results import Change, CheckResult, Status, Verdict, format_moment, format_span
from readiness.text import safe

MARKS = {Status.PASS: "✓", Status.WARN: "!", Status.FAIL: "✗", Status.SKIP: "-"}
COLOURS = {
    Status.PASS: "green",
    Status.WARN: "yellow",
    Status.FAIL: "red",
    Status.SKIP: "bright_black",
}
VERDICT_OPENING = {
    Verdict.READY: "Ready",
    Verdict.READY_WITH_WARNINGS: "Ready, with warnings",
    Verdict.NOT_READY: "Not ready",
}
VERDICT_COLOURS = {
    Verdict.READY: "green",
    Verdict.READY_WITH_WARNINGS: "yellow",
    Verdict.NOT_READY: "red",
}


def results_text(
    results: Sequence[CheckResult], verdict: Verdict, style: Styler = PLAIN
) -> list[str]:
    """Grouped like a doctor command: trip-wide lines, then each device's, a verdict last.

    Failures and warnings carry their fix on the next line. ``style(text, colour)``
    colours a fragment; the default leaves text plain.
    """
    group_of = {c.id: c.group for c in CHECKS}
    width = max((len(r.id) for r in results), default=0)
    wrap_at = width_of(style)
    lines: list[str] = []

    def add(result: CheckResult, indent: str) -> None:
        # Device lines sit two deeper; their messages still start in one column.
        room = max(width + 2 - len(indent), len(result.id))
        column = len(indent) + 2 + room + 2
        mark = style(MARKS[result.status], COLOURS[result.status])
        line = f"{indent}{mark} {safe(result.id):<{room}}  {safe(result.message)}"
        lines.extend(wrap(line, wrap_at, column))
        if result.fix and result.status in (Status.FAIL, Status.WARN):
            fix = f"{indent}  {' ' * room}  {style('→ ' + safe(result.fix), 'cyan')}"
            lines.extend(wrap(fix, wrap_at, column + 2))

    for group in GROUPS:
        members = [r for r in results if group_of.get(r.id) == group]
        if not members:
            continue
        lines.append(style(group, "bold"))
        for result in members:
            if not result.subject:
                add(result, "  ")
        by_subject: dict[str, list[CheckResult]] = {}
        for result in members:
            if result.subject:
                by_subject.setdefault(result.subject, []).append(result)
        for subject, own in by_subject.items():
            lines.append(f"  {safe(subject)}")
            for result in own:
                add(result, "    ")
        lines.append("")
    counts = summary_counts(results)
    sentence = verdict_sentence(verdict, results)
    lines.extend(wrap(style(sentence, VERDICT_COLOURS[verdict]) + f"  ({counts})", wrap_at))
    return lines


def verdict_sentence(verdict: Verdict, results: Iterable[CheckResult]) -> str:
    """The verdict, naming only marks that are on screen.

    A "not ready" with no failure shown can only come from ``--strict``, which
    counts warnings as failures: then the '!' lines are the ones to fix.
    """
    shown = {r.status for r in results}
    opening = VERDICT_OPENING[verdict]
    fails, warns = Status.FAIL in shown, Status.WARN in shown
    if verdict is Verdict.NOT_READY and fails:
        return f"{opening}: fix the lines marked '{MARKS[Status.FAIL]}'."
    if verdict is Verdict.NOT_READY and warns:
        return (
            f"{opening}: warnings count as failures here (--strict); "
            f"fix the lines marked '{MARKS[Status.WARN]}'."
        )
    if verdict is Verdict.READY_WITH_WARNINGS and warns:
        return f"{opening}: read the lines marked '{MARKS[Status.WARN]}'."
    if verdict is Verdict.READY and not (fails or warns):
        return f"{opening}: every device and step checks out."
    return f"{opening}."


def summary_counts(results: Iterable[CheckResult]) -> str:
    tally = dict.fromkeys(Status, 0)
    for r in results:
        tally[r.status] += 1
    names = {
        Status.PASS: "passed",
        Status.WARN: "warning",
        Status.FAIL: "failed",
        Status.SKIP: "skipped",
    }

    def word(status: Status) -> str:
        plural = status is Status.WARN and tally[status] != 1
        return names[status] + ("s" if plural else "")

    return ", ".join(f"{tally[s]} {word(s)}" for s in Status if tally[s])


def results_json(results: Sequence[CheckResult], verdict: Verdict, deadline: dt.datetime) -> str:
    """The same names the report uses, so scripts read either; one check per line.

    Rows are put together around json's C string encoder: ``indent`` would force
    json's slow pure-Python encoder, which matters with thousands of devices.
    """
    e = encode_basestring
    rows = [
        f'{{"id": {e(r.id)}, "status": {e(r.status.value)}, "subject": {e(r.subject)}, '
        f'"message": {e(r.message)}, "fix": {e(r.fix)}}}'
        for r in results
    ]
    checks = "[\n    " + ",\n    ".join(rows) + "\n  ]" if rows else "[]"
    return (
        f'{{\n  "verdict": {json.dumps(str(verdict))},\n'
        f'  "deadline": {json.dumps(deadline.isoformat())},\n'
        f'  "checks": {checks}\n}}'
    )


def closing_line(verdict: Verdict, report: object, deadline: dt.datetime, now: dt.datetime) -> str:
    """What to do next, said once at the end of a check or recheck."""
    if verdict is Verdict.NOT_READY:
        return (
            f"Fix what failed, then run `readiness recheck {report}`: it starts from these answers."
        )
    if now >= deadline:
        return (
            f"Next: set the devices up with `readiness guide {report}`; the pre-departure "
            "steps are due now."
        )
    return (
        f"Next: set the devices up with `readiness guide {report}`. Rerun "
        f"`readiness recheck {report}` in the rerun window, by {format_moment(deadline)}; "
        f"`readiness remind {report}` puts the window in your calendar."
    )


def hours_before_departure(deadline: dt.datetime, departure: dt.datetime) -> int:
    """How far ahead of departure the deadline falls: the data file's hours, as applied."""
    return round((departure - deadline).total_seconds() / 3600)


def timing_lines(
    deadline: dt.datetime, departure: dt.datetime, now: dt.datetime, knowledge: Knowledge
) -> list[str]:
    """The deadline in the departure's local time and in hours from now, said plainly.

    The hours come from the deadline itself (the data file set it), the rerun
    window from the data file: no number here is typed into a sentence.
    """
    if now > departure:
        return [f"Departure ({format_moment(departure)}) was {_hours(now - departure)} ago."]
    if now > deadline:
        return [
            f"Late: the pre-departure deadline was {format_moment(deadline)}, "
            f"{_hours(now - deadline)} ago; departure is in {_hours(departure - now)}."
        ]
    span = deadline - now
    days = f" ({format_span(span)})" if span >= dt.timedelta(days=2) else ""
    lines = [f"Pre-departure deadline: {format_moment(deadline)}, {_hours(span)} from now{days}."]
    opens = deadline - dt.timedelta(hours=knowledge.recheck_window_hours)
    if now < opens:
        hours = hours_before_departure(deadline, departure)
        lines.append(
            f"The {hours}-hour rerun is due between {format_moment(opens)} and "
            f"{format_moment(deadline)}."
        )
    return lines


def _hours(span: dt.timedelta) -> str:
    """Whole hours (cut, not rounded, so they never disagree with the days and hours beside
    them) for two days or more; hours and minutes, as the checks say it, for less."""
    if span >= dt.timedelta(days=2):
        return f"{int(span.total_seconds() // 3600)} h"
    return format_span(span)


def changes_text(changes: Sequence[Change], style: Styler = PLAIN) -> list[str]:
    """``battery  Ada's iPad  fail -> pass``: what moved since the last report."""
    if not changes:
        return ["No check changed since the last report."]
    width = max(len(c.id) for c in changes)
    subject_width = max(display_width(c.subject) for c in changes)
    lines = [style("Changed since the last report", "bold")]
    for c in changes:
        before, after = c.before or "new", c.after or "gone"
        colour = COLOURS.get(Status(c.after), "") if c.after else "bright_black"
        lines.append(
            f"  {c.id:<{width}}  {pad(c.subject, subject_width)}  {before} -> "
            f"{style(after, colour)}".rstrip()
        )
    return lines


def matrix_table(knowledge: Knowledge) -> list[str]:
    headers = ["Device", *(knowledge.capability(c).name for c in CAPABILITY_KEYS), "OS minimum"]
    rows = [
        [r.name, *(r.value(c) for c in CAPABILITY_KEYS), _minimum(knowledge, r.os)]
        for r in knowledge.matrix
    ]
    return table(headers, rows, rule=True)


def model_lines(knowledge: Knowledge, placement: Placement) -> list[str]:
    row = placement.row
    if placement.no_esim:
        lines = [f"{placement.shown_as}: no eSIM ({placement.no_esim})."]
        if placement.os:
            lines.append(f"  OS minimum: {_minimum(knowledge, placement.os)}")
        return lines
    if row is None:
        lines = [f"{placement.shown_as}: not in matrix."]
        if placement.catalogue_name:
            lines.append(
                "  readiness could not place this model in a row of the guide's table; "
                "its eSIM support is unknown."
            )
        if placement.os:
            lines.append(f"  OS minimum: {_minimum(knowledge, placement.os)}")
        close = closest(knowledge, placement)
        if close:
            lines.append(f"  Closest catalogue names: {', '.join(close)}")
        return lines
    name = placement.shown_as if placement.read_as else placement.catalogue_name or placement.model
    lines = [f"{name}: {row.name} ({row.kind})"]
    width = max(len(knowledge.capability(c).name) for c in CAPABILITY_KEYS)
    for c in CAPABILITY_KEYS:
        lines.append(f"  {knowledge.capability(c).name:<{width}}  {row.value(c)}")
    lines.append(f"  {'OS minimum':<{width}}  {_minimum(knowledge, row.os)}")
    return lines


def _minimum(knowledge: Knowledge, family: str | None) -> str:
    if family is None:
        return "unknown OS"
    name = versions.display_name(family)
    if family in knowledge.os_minimums:
        value = knowledge.os_minimums[family]
        return value if value.startswith(name) else f"{name} {value}"
    return f"{name}: none given"
