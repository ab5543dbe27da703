"""The setup plan and the troubleshooting look-up: pure functions, no terminal.

``plan`` turns a trip's answers, the knowledge file and the check results into
an ordered setup plan: what to fix first, then each device's steps in the order
the guide sets devices up (the primary device, phones and tablets, watches after
the phone they pair with, laptops), then the data routing done once on the
primary device, with a recommended priority per device; around them the guide's
setup checklist and pre-departure steps (marked by their checks), and its habits
for staying current. (Finding a troubleshooting procedure is ``troubleshoot``'s.)

Every step comes from the data file; this module only chooses and orders them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from readiness import versions
from readiness.answers import Answers, Device
from readiness.checks import deadline
from readiness.knowledge import (
    KIND_KEYS,
    Activity,
    ChecklistItem,
    Knowledge,
    SetupProcedure,
)
from readiness.results import CheckResult, Status, Verdict, verdict_of

PRIORITY_RANK = {"background": 0, "standard": 1, "primary": 2}
# Order of the device sections after the primary device.
KIND_ORDER = ("phone", "tablet", "watch", "laptop")


@dataclass(frozen=True)
class PlanStep:
    """One step for one device; ``number`` is its place in the data file's procedure."""

    procedure: str
    number: int
    text: str

    @property
    def ref(self) -> str:
        return f"{self.procedure}.{self.number}"


@dataclass(frozen=True)
class StepGroup:
    """The steps of one procedure that apply to one device, in order."""

    procedure: str
    title: str
    about: str
    steps: tuple[PlanStep, ...]


@dataclass(frozen=True)
class Section:
    """One stop of the plan: a device (by label), or the plan-wide data routing."""

    label: str  # "" for the plan-wide section
    model: str
    kind: str  # phone | tablet | watch | laptop; "" when unknown or plan-wide
    role: str  # primary | secondary | plan
    groups: tuple[StepGroup, ...]
    notes: tuple[str, ...] = ()
    pairs_with: str = ""  # a watch: the label of its phone

    @property
    def steps(self) -> tuple[PlanStep, ...]:
        return tuple(step for group in self.groups for step in group.steps)


@dataclass(frozen=True)
class PriorityAdvice:
    """The priority the guide's activity table suggests for a device, and why."""

    label: str
    answered: str
    recommended: str | None  # None: nothing planned says which
    reason: str
    notes: tuple[str, ...] = ()

    @property
    def mismatch(self) -> bool:
        return self.recommended is not None and self.recommended != self.answered


@dataclass(frozen=True)
class Mismatch:
    """A device whose answered priority differs from what its use suggests."""

    label: str
    answered: str
    recommended: str
    message: str


@dataclass(frozen=True)
class Blocker:
    """A failing check to fix before setup starts."""

    check: str
    message: str
    fix: str


@dataclass(frozen=True)
class FixFirst:
    """What blocks setting up one device (or the plan) until it is fixed."""

    subject: str  # a device label; "" for the trip and plan
    blockers: tuple[Blocker, ...]


@dataclass(frozen=True)
class ChecklistLine:
    """A checklist item of the guide, with how its check came out on this trip."""

    text: str
    check: str
    status: Status


@dataclass(frozen=True)
class SetupPlan:
    """The whole setup plan ``guide`` prints, in order."""

    trip: str
    traveler: str
    verdict: Verdict
    departure: dt.datetime
    deadline: dt.datetime
    fix_first: tuple[FixFirst, ...]
    sections: tuple[Section, ...]
    priorities: tuple[PriorityAdvice, ...]
    mismatches: tuple[Mismatch, ...]
    setup_checklist: tuple[ChecklistLine, ...] = ()
    predeparture: tuple[ChecklistLine, ...] = ()
    activities: tuple[Activity, ...] = ()  # the guide's table, beside the priorities
    priority_assumption: str = ""  # "Assumed: ..." when a priority is suggested
    habits: tuple[str, ...] = ()

    @property
    def device_sections(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.role != "plan")


def priority_name(priority: str) -> str:
    """``primary`` -> ``Primary``: how the guide writes the levels."""
    return priority.capitalize()


def activity_priority(activity: Activity) -> str:
    """The table's priority cell: ``Background with limits`` where the data marks limits."""
    return priority_name(activity.priority) + (" with limits" if activity.limits else "")


def activity_devices(activity: Activity) -> str:
    """The table's device cell: ``phone or watch``; every kind is ``any device``."""
    kinds = (
        "any device" if set(KIND_KEYS) <= set(activity.devices) else " or ".join(activity.devices)
    )
    return kinds + (" (Wi-Fi preferred)" if activity.wifi_preferred else "")


# Worst first: how a checklist item reads when its check gave several results.
_WORST = (Status.FAIL, Status.WARN, Status.PASS, Status.SKIP)


def _checklist(
    items: Sequence[ChecklistItem], results: Sequence[CheckResult]
) -> tuple[ChecklistLine, ...]:
    lines = []
    for item in items:
        found = {r.status for r in results if r.id == item.check}
        status = next((s for s in _WORST if s in found), Status.SKIP)
        lines.append(ChecklistLine(item.text, item.check, status))
    return tuple(lines)


# --- the plan ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Placed:
    """A device with its kind and OS family resolved once."""

    device: Device
    kind: str | None
    family: str | None


def plan(answers: Answers, knowledge: Knowledge, results: Sequence[CheckResult]) -> SetupPlan:
    """The ordered setup plan for exactly this trip's devices."""
    placed = [_place(d, knowledge) for d in answers.devices]
    primary = next((p for p in placed if p.device.primary), None)
    others = [p for p in placed if p is not primary]
    phones_tablets = [p for p in others if p.kind in ("phone", "tablet") or p.kind is None]
    watches = [p for p in others if p.kind == "watch"]
    laptops = [p for p in others if p.kind == "laptop"]
    failing = {r.subject for r in results if r.status is Status.FAIL and r.subject}

    phones = [p for p in ([primary] if primary else []) + phones_tablets if p.kind == "phone"]
    companions = {
        watch: phone
        for procedure in knowledge.setup_procedures.values()
        for watch, phone in procedure.companions.items()
    }
    pairs = {id(w): _pair(w, primary, phones, companions) for w in watches}
    # Each watch after the phone it pairs with: by that phone's place, unpaired last.
    order = {id(p): index for index, p in enumerate(phones)}
    watches.sort(key=lambda w: order.get(id(pairs[id(w)][0]), len(phones)))

    sections: list[Section] = []
    if primary is not None:
        sections.append(_device_section(primary, "primary", knowledge, failing))
    for item in phones_tablets:
        sections.append(_device_section(item, "secondary", knowledge, failing))
    for item in watches:
        phone, note = pairs[id(item)]
        section = _device_section(item, "secondary", knowledge, failing, note)
        if phone is not None:
            section = replace(section, pairs_with=phone.device.label)
        sections.append(section)
    for item in laptops:
        sections.append(_device_section(item, "secondary", knowledge, failing))
    routing = _plan_section(knowledge, primary)
    if routing is not None and len(answers.devices) > 1:
        sections.append(routing)
    elif routing is not None and sections:
        # Priorities and handoff are between devices: one device alone has neither.
        alone = sections[0]
        note = "One device alone, so the plan leaves out the data routing between devices."
        sections[0] = replace(alone, notes=(*alone.notes, note))

    in_order = [*([primary] if primary else []), *phones_tablets, *watches, *laptops]
    priorities = tuple(recommend_priority(p.device, answers, knowledge) for p in in_order)
    mismatches = tuple(
        Mismatch(
            a.label,
            a.answered,
            a.recommended or "",
            f"{a.label} is set to {priority_name(a.answered)}, but from the guide's activity "
            f"table readiness suggests {priority_name(a.recommended or '')} ({a.reason}).",
        )
        for a in priorities
        if a.mismatch
    )
    suggested = any(a.recommended for a in priorities)
    return SetupPlan(
        trip=answers.trip.name,
        traveler=answers.traveler,
        verdict=verdict_of(results),
        departure=answers.trip.departure,
        deadline=deadline(answers, knowledge),
        fix_first=_fix_first(answers, results),
        sections=tuple(sections),
        priorities=priorities,
        mismatches=mismatches,
        setup_checklist=_checklist(knowledge.setup, results),
        predeparture=_checklist(knowledge.predeparture, results),
        activities=knowledge.activities,
        priority_assumption=knowledge.note("priority-highest") if suggested else "",
        habits=knowledge.habits,
    )


def _place(device: Device, knowledge: Knowledge) -> _Placed:
    placement = knowledge.place(device.model)
    return _Placed(device, placement.kind, knowledge.os_family(device.model, device.os_version))


def _group(procedure: SetupProcedure, kind: str | None, family: str | None) -> StepGroup:
    steps = tuple(
        PlanStep(procedure.id, number, step.text)
        for number, step in procedure.steps_for(kind, family)
    )
    return StepGroup(procedure.id, procedure.title, procedure.about, steps)


def _device_section(
    item: _Placed, role: str, knowledge: Knowledge, failing: set[str], note: str = ""
) -> Section:
    device, kind, family = item.device, item.kind, item.family
    notes: list[str] = []
    if device.label in failing:
        notes.append("A check failed for this device: fix it first (see above).")
    steps_kind = kind
    if kind is None:
        steps_kind = "phone"
        notes.append(
            f"{device.model!r} is not in the catalogue, so its kind is unknown; "
            "these are the guide's steps for tablets and secondary phones."
        )
    if note:
        notes.append(note)
    own = [
        p
        for p in knowledge.setup_procedures.values()
        if p.role == role and (role == "primary" or p.covers(steps_kind, family))
    ]
    if role == "primary" and (kind, family) != ("phone", "ios") and knowledge.note("apple-centric"):
        notes.append(knowledge.note("apple-centric"))
    if role == "primary" and own and not any(p.covers(steps_kind, family) for p in own):
        notes.append(
            f"The guide sets up a phone as the primary device; this is a {kind or 'device'}, "
            "so menu names may differ."
        )
    if role == "secondary" and not own:
        notes.append(
            f"The guide gives no steps for joining a {kind} like this one; "
            "ask the provider's support how it joins the plan."
        )
    shared = [
        p for p in knowledge.setup_procedures.values() if p.role == "any" and p.covers(kind, family)
    ]
    groups = [_group(p, steps_kind, family) for p in [*own, *shared]]
    for procedure in shared:
        narrowed = [s for s in procedure.steps if s.os]
        if narrowed and not any(s.applies(steps_kind, family) for s in narrowed):
            named = [
                versions.display_name(f)
                for f in versions.FAMILIES
                if any(f in s.os for s in narrowed)
            ]
            notes.append(
                f"{procedure.title}: the guide names the menu only for {' and '.join(named)}."
            )
    return Section(
        device.label,
        device.model,
        kind or "",
        role,
        tuple(g for g in groups if g.steps),
        tuple(notes),
    )


def _plan_section(knowledge: Knowledge, primary: _Placed | None) -> Section | None:
    procedures = [p for p in knowledge.setup_procedures.values() if p.role == "plan"]
    if not procedures:
        return None
    where = primary.device.label if primary else "the primary device"
    groups = tuple(_group(p, None, None) for p in procedures)
    note = f"Do this on {where}, once every device has joined the plan."
    return Section("", "", "", "plan", groups, (note,))


def _pair(
    watch: _Placed,
    primary: _Placed | None,
    phones: Sequence[_Placed],
    companions: Mapping[str, str],
) -> tuple[_Placed | None, str]:
    """The phone a watch pairs with (the primary phone if it can), and a note saying so."""
    wanted = companions.get(watch.family or "")
    if wanted is None:
        if primary is not None and primary.kind == "phone":
            return primary, f"Pairs with {primary.device.label}, the primary phone."
        return None, "No phone on this trip is known to pair with this watch."
    name = versions.display_name(wanted)
    if primary is not None and primary.kind == "phone" and primary.family == wanted:
        return primary, f"Pairs with {primary.device.label}, the primary phone."
    match = next((p for p in phones if p.family == wanted), None)
    if match is None:
        return None, (
            f"No {name} phone on this trip to pair it with; the guide sets a watch up "
            "through its phone's companion app."
        )
    return match, (
        f"Pairs with {match.device.label}: the guide pairs a watch with the primary phone, "
        f"but this watch needs a phone on {name}."
    )


def _fix_first(answers: Answers, results: Sequence[CheckResult]) -> tuple[FixFirst, ...]:
    """Failing checks by device (in the answers' order), then the trip's own."""
    failed = [r for r in results if r.status is Status.FAIL]
    subjects = [d.label for d in answers.devices]
    subjects += [s for s in dict.fromkeys(r.subject for r in failed) if s not in subjects]
    out = []
    for subject in [*(s for s in subjects if s), ""]:
        blockers = tuple(Blocker(r.id, r.message, r.fix) for r in failed if r.subject == subject)
        if blockers:
            out.append(FixFirst(subject, blockers))
    return tuple(out)


# --- priorities -------------------------------------------------------------------------


def planned_activities(answers: Answers, knowledge: Knowledge) -> list[tuple[Activity, str]]:
    """The activity rows [usage] plans, each with how much (``1 h a day``, or "")."""
    usage = dict(answers.usage)
    out = []
    for row in knowledge.activities:
        value = usage.get(row.id, usage.get(f"{row.id}_hours"))
        if value is None or value is False or value == 0:
            continue
        amount = "" if isinstance(value, bool) else f"{value:g} h a day"
        out.append((row, amount))
    return out


def _why(activity: Activity, amount: str) -> str:
    planned = f"{activity.name}, {amount}" if amount else activity.name
    kinds = " or ".join(activity.devices)
    return f"{planned}: {activity_priority(activity)} on a {kinds}"


def recommend_priority(device: Device, answers: Answers, knowledge: Knowledge) -> PriorityAdvice:
    """Primary, Standard or Background from the activity table and the planned use.

    The activities planned in [usage] whose recommended devices include this
    device's kind decide; the highest priority among them wins. A planned
    activity the table runs at Background (streaming) adds a note to set a limit.
    """
    kind = knowledge.place(device.model).kind
    if not answers.usage:
        return PriorityAdvice(
            device.label, device.priority, None, "no planned use given ([usage] is empty)"
        )
    if kind is None:
        return PriorityAdvice(
            device.label,
            device.priority,
            None,
            "the model's kind is unknown, so the activity table cannot place it",
        )
    relevant = [
        (a, amount) for a, amount in planned_activities(answers, knowledge) if kind in a.devices
    ]
    if not relevant:
        return PriorityAdvice(
            device.label,
            device.priority,
            None,
            f"nothing planned in [usage] is for a {kind} in the guide's table",
        )
    best, amount = max(relevant, key=lambda pair: PRIORITY_RANK.get(pair[0].priority, 0))
    notes = tuple(
        f"{f'{a.name}, {amt},' if amt else a.name} runs at Background with limits in the "
        "guide's table: set a data warning and a limit for this device."
        for a, amt in relevant
        if a.priority == "background" and a.limits
    )
    return PriorityAdvice(device.label, device.priority, best.priority, _why(best, amount), notes)
