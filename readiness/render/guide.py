"""Rendering the setup plan, troubleshooting procedures and a report for `show`.

Plain strings only, as in ``render``: text for a terminal, Markdown a person can
print or send, JSON for scripts. The CLI decides where they go.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from readiness.checks import CHECKS, GROUPS
from readiness.guide import (
    ChecklistLine,
    PriorityAdvice,
    Section,
    SetupPlan,
    activity_devices,
    activity_priority,
    priority_name,
)
from readiness.knowledge import Activity, Knowledge, Procedure
from readiness.render.results import (
    COLOURS,
    MARKS,
    hours_before_departure,
    summary_counts,
    timing_lines,
    verdict_sentence,
)
from readiness.render.style import (
    PLAIN,
    Styler,
    display_width,
    fits_column,
    pad,
    width_of,
    wrap,
    wrap_lines,
    wrap_row,
)
from readiness.results import CheckResult, Status, Verdict, format_moment
from readiness.text import safe

TRIP_AND_PLAN = "The trip and plan"
VERDICT_WORDS = {
    Verdict.READY: "ready",
    Verdict.READY_WITH_WARNINGS: "ready, with warnings",
    Verdict.NOT_READY: "not ready",
}


def _heading(section: Section, number: int) -> str:
    if section.role == "plan":
        return f"{number}. Data routing"
    what = f"{section.kind}, {section.model}" if section.kind else section.model
    if section.role == "primary":
        return f"{number}. {section.label}: the primary device ({what})"
    pairs = f", pairs with {section.pairs_with}" if section.pairs_with else ""
    return f"{number}. {section.label} ({what}){pairs}"


def _opening(plan: SetupPlan) -> str:
    count = len(plan.device_sections)
    devices = f"{count} device{'' if count == 1 else 's'}"
    if plan.verdict is Verdict.NOT_READY:
        return (
            f"{devices}. Not ready yet: fix what is listed under 'Fix before you start', "
            "then set the devices up in this order."
        )
    return f"{devices}, set up in this order. The steps are the guide's."


def _closing(plan: SetupPlan, next_command: str, now: dt.datetime) -> list[str]:
    if now >= plan.deadline:
        timing = f"The pre-departure steps are due now: run `{next_command}`."
    else:
        timing = (
            f"Then, {hours_before_departure(plan.deadline, plan.departure)} hours before "
            f"departure ({format_moment(plan.deadline)}), run `{next_command}`."
        )
    return [
        timing,
        "On the road, `readiness troubleshoot` lists what to try when something stops working.",
    ]


def _priority_row(advice: PriorityAdvice) -> tuple[str, str, str]:
    """A mark, the setting (answered -> recommended when they differ) and why."""
    if advice.recommended is None:
        return MARKS[Status.SKIP], priority_name(advice.answered), advice.reason
    if advice.mismatch:
        setting = f"{priority_name(advice.answered)} -> {priority_name(advice.recommended)}"
        return MARKS[Status.WARN], setting, advice.reason
    return MARKS[Status.PASS], priority_name(advice.answered), advice.reason


SETUP_CHECKLIST = "Checklist before setup"
STAYING_CURRENT = "Staying current"


def _before_departure(plan: SetupPlan) -> str:
    return f"Before departure (by {format_moment(plan.deadline)})"


def activity_amount(activity: Activity) -> str:
    """``50-100 MB a day``, ``1-2 GB an hour``, or ``varies widely``."""
    if activity.varies or activity.low_mb is None or activity.high_mb is None:
        return "varies widely"
    low, high, unit = activity.low_mb, activity.high_mb, "MB"
    if low >= 1000 and low % 1000 == 0 and high % 1000 == 0:
        low, high, unit = low // 1000, high // 1000, "GB"
    return f"{low}-{high} {unit} {'an' if activity.per == 'hour' else 'a'} {activity.per}"


def activity_rows(activities: Sequence[Activity]) -> list[list[str]]:
    """The guide's activity table as cells: activity, use, device, priority."""
    return [
        [a.name, activity_amount(a), activity_devices(a), activity_priority(a)] for a in activities
    ]


def _checklist_text(title: str, items: Sequence[ChecklistLine], style: Styler) -> list[str]:
    lines = [style(title, "bold")]
    for item in items:
        mark = style(MARKS[item.status], COLOURS.get(item.status, ""))
        lines.append(f"  {mark} {item.text}")
    return [*lines, ""]


def _activity_table_text(plan: SetupPlan, width: int | None) -> list[str]:
    """The table where it fits; one activity a line where the terminal is too narrow."""
    rows = activity_rows(plan.activities)
    widths = [max(display_width(row[i]) for row in rows) for i in range(3)]
    column = 5 + sum(w + 2 for w in widths)
    lines = ["   The guide's activity table"]
    for row in rows:
        if fits_column(column, width):
            cells = "  ".join(pad(cell, widths[i]) for i, cell in enumerate(row[:3]))
            lines += wrap_row(f"     {cells}  {row[3]}", width, column)
        else:
            lines += wrap(f"     {row[0]}: {row[1]}; {row[2]}; {row[3]}", width)
    return lines


def plan_text(
    plan: SetupPlan, next_command: str, now: dt.datetime, style: Styler = PLAIN
) -> list[str]:
    """The plan for a terminal: what to fix first, then each stop with numbered steps."""
    width = width_of(style)
    title = f"Setup plan: {plan.trip}" + (f" ({plan.traveler})" if plan.traveler else "")
    lines = [style(title, "bold"), _opening(plan), ""]
    if plan.mismatches:
        count = len(plan.mismatches)
        lines.insert(
            2,
            f"{count} device priorit{'y differs' if count == 1 else 'ies differ'} from the "
            "one suggested under Data routing.",
        )
    if plan.fix_first:
        lines.append(style("Fix before you start", "bold"))
        for item in plan.fix_first:
            lines.append(f"  {item.subject or TRIP_AND_PLAN}")
            check_width = max(display_width(b.check) for b in item.blockers)
            for blocker in item.blockers:
                mark = style(MARKS[Status.FAIL], "red")
                lines.append(f"    {mark} {pad(blocker.check, check_width)}  {blocker.message}")
                if blocker.fix:
                    lines.append(f"      {' ' * check_width}  {style('→ ' + blocker.fix, 'cyan')}")
        lines.append("")
    if plan.setup_checklist:
        lines += _checklist_text(SETUP_CHECKLIST, plan.setup_checklist, style)
    explained: set[str] = set()
    for number, section in enumerate(plan.sections, start=1):
        lines.append(style(_heading(section, number), "bold"))
        for note in section.notes:
            lines.append(f"   Note: {note}")
        for group in section.groups:
            lines.append(f"   {group.title}")
            if group.about and group.procedure not in explained:
                lines.append(f"   {style(group.about, 'bright_black')}")
            explained.add(group.procedure)
            for index, step in enumerate(group.steps, start=1):
                lines.append(f"     {index}. {step.text}")
        if section.role == "plan" and plan.activities:
            lines += _activity_table_text(plan, width)
        if section.role == "plan" and plan.priorities:
            lines.append("   Priorities for this trip (the guide's activity table and [usage])")
            if plan.priority_assumption:
                lines.append(f"     {plan.priority_assumption}")
            rows = [(a, *_priority_row(a)) for a in plan.priorities]
            label_width = max(display_width(a.label) for a in plan.priorities)
            setting_width = max(display_width(r[2]) for r in rows)
            column = label_width + setting_width + 11  # where the reasons start
            note_at = column if fits_column(column, width) else 7
            for advice, mark, setting, reason in rows:
                colour = "yellow" if advice.mismatch else ""
                shown = style(mark, colour) if colour else mark
                row = f"     {shown} {pad(advice.label, label_width)}  "
                lines += wrap_row(f"{row}{pad(setting, setting_width)}  {reason}", width, column)
                for note in advice.notes:
                    arrow = style("→ " + note, "cyan")
                    lines += wrap(f"{' ' * note_at}{arrow}", width, note_at + 2)
        lines.append("")
    if plan.predeparture:
        lines += _checklist_text(_before_departure(plan), plan.predeparture, style)
    if plan.habits:
        lines.append(style(STAYING_CURRENT, "bold"))
        lines += [f"  - {habit}" for habit in plan.habits]
        lines.append("")
    lines.extend(_closing(plan, next_command, now))
    return wrap_lines(lines, width)


_MD_SPECIAL = re.compile(r"([\\*_\[\]<|])")
_BACKTICKS = re.compile("`+")


def md(text: str, *, cell: bool = False) -> str:
    """Text safe inside Markdown: what would format is escaped, `code` is kept as it is.

    In a table ``cell`` a ``|`` ends the cell even inside a code span, so there it is
    escaped too (GitHub's tables read ``\\|`` in code as ``|``).
    """
    parts = safe(text).split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: no code spans at all
        return _MD_SPECIAL.sub(r"\\\1", "`".join(parts)).replace("`", "\\`")
    return "`".join(
        (part.replace("|", "\\|") if cell else part)
        if index % 2
        else _MD_SPECIAL.sub(r"\\\1", part)
        for index, part in enumerate(parts)
    )


def md_code(text: str) -> str:
    """``text`` as one Markdown code span, whatever backticks or brackets it holds.

    The fence is one backtick longer than the longest run inside, and control
    characters are shown escaped so that a line break cannot end the paragraph.
    """
    text = safe(text)
    fence = "`" * (max((len(run) for run in _BACKTICKS.findall(text)), default=0) + 1)
    pad = " " if text.startswith(("`", " ")) or text.endswith(("`", " ")) else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def plan_markdown(plan: SetupPlan, next_command: str, now: dt.datetime) -> str:
    """The plan as Markdown, to print or send to the people travelling."""
    out = [f"# Setup plan: {md(plan.trip)}", ""]
    facts = []
    if plan.traveler:
        facts.append(f"**Traveller:** {md(plan.traveler)}")
    facts.append(f"**Verdict:** {VERDICT_WORDS[plan.verdict]}")
    facts.append(f"**Pre-departure deadline:** {format_moment(plan.deadline)}")
    out += ["  \n".join(facts), "", md(_opening(plan)), ""]
    if plan.fix_first:
        out += ["## Fix before you start", ""]
        for item in plan.fix_first:
            out.append(f"- **{md(item.subject or TRIP_AND_PLAN)}**")
            for blocker in item.blockers:
                fix = f" Fix: {md(blocker.fix)}" if blocker.fix else ""
                out.append(f"  - `{blocker.check}`: {md(blocker.message)}{fix}")
        out.append("")
    if plan.setup_checklist:
        out += _checklist_markdown(SETUP_CHECKLIST, plan.setup_checklist)
    explained: set[str] = set()
    for number, section in enumerate(plan.sections, start=1):
        out += [f"## {md(_heading(section, number))}", ""]
        for note in section.notes:
            out.append(f"- *Note:* {md(note)}")
        if section.notes:
            out.append("")
        for group in section.groups:
            out += [f"**{md(group.title)}**", ""]
            if group.about and group.procedure not in explained:
                out += [f"*{md(group.about)}*", ""]
            explained.add(group.procedure)
            out += [f"{i}. {md(step.text)}" for i, step in enumerate(group.steps, start=1)]
            out.append("")
        if section.role == "plan" and plan.activities:
            out += [
                "**The guide's activity table**",
                "",
                "| Activity | Typical use | Device | Priority |",
                "|---|---|---|---|",
            ]
            out += [
                "| " + " | ".join(map(md, row)) + " |" for row in activity_rows(plan.activities)
            ]
            out.append("")
        if section.role == "plan" and plan.priorities:
            out += [
                "**Priorities for this trip** (the guide's activity table and the planned use)",
                "",
                *([f"*{md(plan.priority_assumption)}*", ""] if plan.priority_assumption else []),
                "| Device | Set to | Suggested | Why |",
                "|---|---|---|---|",
            ]
            for advice in plan.priorities:
                suggested = priority_name(advice.recommended) if advice.recommended else "-"
                if advice.mismatch:
                    suggested = f"**{suggested}** (differs)"
                why = " ".join([advice.reason, *advice.notes])
                out.append(
                    f"| {md(advice.label, cell=True)} | {priority_name(advice.answered)} "
                    f"| {suggested} | {md(why, cell=True)} |"
                )
            out.append("")
    if plan.predeparture:
        out += _checklist_markdown(_before_departure(plan), plan.predeparture)
    if plan.habits:
        out += [f"## {STAYING_CURRENT}", "", *(f"- {md(h)}" for h in plan.habits), ""]
    for line in _closing(plan, next_command, now):
        out += [md(line), ""]
    return "\n".join(out).rstrip() + "\n"


def _checklist_markdown(title: str, items: Sequence[ChecklistLine]) -> list[str]:
    return [f"## {md(title)}", "", *(f"- {MARKS[i.status]} {md(i.text)}" for i in items), ""]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, Verdict | Status):
        return str(value)
    raise TypeError(f"cannot write a {type(value).__name__} as JSON")


def plan_document(plan: SetupPlan) -> dict[str, Any]:
    """The plan as plain data, the names scripts read."""
    return {
        "trip": plan.trip,
        "traveler": plan.traveler,
        "verdict": str(plan.verdict),
        "departure": plan.departure.isoformat(),
        "deadline": plan.deadline.isoformat(),
        "fix_first": [
            {
                "subject": item.subject,
                "checks": [
                    {"id": b.check, "message": b.message, "fix": b.fix} for b in item.blockers
                ],
            }
            for item in plan.fix_first
        ],
        "sections": [
            {
                "label": s.label,
                "model": s.model,
                "kind": s.kind,
                "role": s.role,
                "pairs_with": s.pairs_with,
                "procedures": [
                    {
                        "id": g.procedure,
                        "title": g.title,
                        "steps": [{"ref": step.ref, "text": step.text} for step in g.steps],
                    }
                    for g in s.groups
                ],
                "notes": list(s.notes),
            }
            for s in plan.sections
        ],
        "priorities": [
            {
                "label": a.label,
                "answered": a.answered,
                "recommended": a.recommended,
                "reason": a.reason,
                "mismatch": a.mismatch,
                "notes": list(a.notes),
            }
            for a in plan.priorities
        ],
        "mismatches": [m.message for m in plan.mismatches],
        "setup_checklist": [_checklist_document(i) for i in plan.setup_checklist],
        "predeparture": [_checklist_document(i) for i in plan.predeparture],
        "assumptions": [plan.priority_assumption] if plan.priority_assumption else [],
        "habits": list(plan.habits),
    }


def _checklist_document(item: ChecklistLine) -> dict[str, str]:
    return {"text": item.text, "check": item.check, "status": str(item.status)}


def plan_json(plan: SetupPlan) -> str:
    return json.dumps(plan_document(plan), indent=2, ensure_ascii=False, default=_jsonable)


# --- troubleshooting --------------------------------------------------------------------


def symptoms_text(procedures: Iterable[Procedure]) -> list[str]:
    items = list(procedures)
    width = max((display_width(p.id) for p in items), default=0)
    lines = ["Known problems; run `readiness troubleshoot ID` (or a few words) for the steps:"]
    lines += [f"  {pad(p.id, width)}  {p.title}" for p in items]
    return lines


def picker_choice(procedure: Procedure) -> str:
    return f"{procedure.title} ({procedure.id})"


def closest_note(text: str, closest: Sequence[Procedure]) -> str:
    """Said (on stderr) before the closest procedures are printed in place of a match."""
    names = ", ".join(p.id for p in closest)
    what = "the closest is" if len(closest) == 1 else "the closest are"
    return (
        f"No known symptom matches {text!r} exactly; {what} {names}. "
        "`readiness troubleshoot` lists them all."
    )


def procedure_heading(procedure: Procedure) -> list[str]:
    """The title, and how to read the list: steps to try in turn, or conditions to hold."""
    cause = f" ({procedure.cause})" if procedure.cause else ""
    if procedure.kind == "conditions":
        how = "All of these must be true; check each one."
    else:
        how = "Try these in order; stop at the first that works."
    return [f"{procedure.title}{cause}", how]


def unmet_line(unmet: Sequence[int]) -> str:
    """After a checklist walk: the conditions answered "no", which come before the fallback."""
    numbers = ", ".join(str(n) for n in unmet)
    return (
        f"Not true yet: condition{'s' if len(unmet) > 1 else ''} {numbers}; put that right first."
    )


def fallback_line(procedure: Procedure) -> str:
    return f"If all of these hold and it still fails: {procedure.fallback}"


def procedure_text(procedure: Procedure) -> list[str]:
    lines = procedure_heading(procedure)
    lines += [f"  {n}. {step}" for n, step in enumerate(procedure.steps, start=1)]
    if procedure.fallback:
        lines.append(fallback_line(procedure))
    return lines


def procedure_document(procedure: Procedure) -> dict[str, Any]:
    return {
        "id": procedure.id,
        "title": procedure.title,
        "symptom": procedure.symptom,
        "cause": procedure.cause,
        "kind": procedure.kind,
        "steps": list(procedure.steps),
        "fallback": procedure.fallback,
    }


# --- show -------------------------------------------------------------------------------


def verification_line(verified: bool, detail: str) -> str:
    if verified:
        return f"Report verifies: {safe(detail)}."
    return f"Report does NOT verify: {safe(detail)}."


def verdict_moved_line(signed: Verdict, now_verdict: Verdict, now: dt.datetime) -> str:
    """Said when time alone (the departure window) has changed a report's verdict."""
    return (
        f"Signed as {VERDICT_WORDS[signed]}; as of {format_moment(now)} it is "
        f"{VERDICT_WORDS[now_verdict]}, because of the departure window."
    )


def report_header(
    path: object,
    trip: str,
    traveler: str,
    evaluated_at: dt.datetime,
    signed_by: str,
    signed_at: dt.datetime | None,
) -> list[str]:
    """Which report, whose trip, when it was evaluated and signed (times in the trip's zone)."""
    who = f" for {safe(traveler)}" if traveler else ""
    when = f" at {format_moment(signed_at)}" if signed_at else ""
    return [
        f"Report {safe(str(path))}: {safe(trip)}{who}",
        f"Evaluated {format_moment(evaluated_at)}; signed by {safe(signed_by)}{when}.",
    ]


def report_markdown(
    path: object,
    trip: str,
    traveler: str,
    results: Sequence[CheckResult],
    verdict: Verdict,
    deadline: dt.datetime,
    departure: dt.datetime,
    now: dt.datetime,
    verification: str,
    knowledge: Knowledge,
    signed: Verdict | None = None,
) -> str:
    """A report for a person, as Markdown: verdict, timing, verification, grouped checks.

    ``signed`` is the verdict the report was signed with, when time has changed it.
    """
    out = [f"# Readiness report: {md(trip)}", ""]
    facts = [f"**File:** {md_code(str(path))}"]
    if traveler:
        facts.append(f"**Traveller:** {md(traveler)}")
    sentence = verdict_sentence(verdict, results)
    facts.append(f"**Verdict:** {md(sentence)} ({summary_counts(results)})")
    if signed is not None and signed is not verdict:
        moment = now.astimezone(deadline.tzinfo)  # in the trip's zone, as the timing is
        facts.append(md(verdict_moved_line(signed, verdict, moment)))
    facts += [md(line) for line in timing_lines(deadline, departure, now, knowledge)]
    facts.append(md(verification))
    out += ["  \n".join(facts), ""]
    group_of = {c.id: c.group for c in CHECKS}
    for group in GROUPS:
        members = [r for r in results if group_of.get(r.id) == group]
        if not members:
            continue
        out += [f"## {group}", ""]
        for result in members:
            subject = f"{md(result.subject)}: " if result.subject else ""
            out.append(f"- {MARKS[result.status]} `{result.id}` {subject}{md(result.message)}")
            if result.fix and result.status in (Status.FAIL, Status.WARN):
                out.append(f"  - Fix: {md(result.fix)}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"
