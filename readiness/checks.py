"""The check engine: pure functions of (answers, knowledge, now) -> results.

Each check is one function plus one row in ``CHECKS``. Checks never print and
never read the clock: ``now`` is given, so a run can be reproduced exactly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from readiness import answers as answers_mod
from readiness import budget, identifiers, places, versions
from readiness.answers import NOT_APPLICABLE, Answers
from readiness.errors import InvalidValue
from readiness.knowledge import Knowledge
from readiness.placement import unplaced
from readiness.results import (
    CheckResult,
    Evaluation,
    Status,
    _plural,
    format_moment,
    format_span,
    verdict_of,
)

CheckFn = Callable[[Answers, Knowledge, dt.datetime], Iterable[CheckResult]]


@dataclass(frozen=True)
class Check:
    """A row of the check table: adding a check is a function and one of these."""

    id: str
    group: str
    run: CheckFn


def _result(
    knowledge: Knowledge,
    check_id: str,
    status: Status,
    subject: str,
    message: str,
    fix: str | None = None,
) -> CheckResult:
    """A result; a failing or warning one gets the data file's fix hint for its check."""
    if fix is None:
        fix = knowledge.fix(check_id) if status in (Status.FAIL, Status.WARN) else ""
    return CheckResult(check_id, status, subject, message, fix)


def _country(code: str) -> str:
    return f"{places.resolve_country(code).name} ({code})"


def _max_devices(answers: Answers, knowledge: Knowledge) -> int:
    return answers.plan.max_devices or knowledge.limits.max_devices


def device_count(a: Answers, k: Knowledge, now: dt.datetime) -> Iterator[CheckResult]:
    count, limit, ceiling = len(a.devices), _max_devices(a, k), k.limits.max_devices
    devices = _plural(count, "device")
    if count > limit:
        message = f"{devices}, but one plan serves at most {limit}."
        yield _result(k, "device-count", Status.FAIL, "", message)
    elif limit > ceiling:
        provider = a.plan.provider or "the provider"
        yield _result(
            k,
            "device-count",
            Status.WARN,
            "",
            f"{devices}; the plan is set to serve up to {limit}, but the guide's ceiling is "
            f"{ceiling} per subscription: confirm the number with {provider}.",
        )
    else:
        message = f"{devices}; the plan serves up to {limit}."
        yield _result(k, "device-count", Status.PASS, "", message)


def destination_device_limit(a: Answers, k: Knowledge, now: dt.datetime) -> Iterator[CheckResult]:
    """A recorded cap is kept or failed; a destination whose cap is unknown gets the caution."""
    count = len(a.devices)
    caps = dict(a.plan.device_limits)
    over = [(code, caps[code]) for code in a.trip.destinations if count > caps.get(code, count)]
    for code, cap in over:
        yield _result(
            k,
            "destination-device-limit",
            Status.FAIL,
            "",
            f"{_country(code)} allows {_plural(cap, 'device')} on a multi-device "
            f"profile; this trip has {count}.",
        )
    restricted = k.limits.restricted_destination_max_devices
    unknown = [c for c in a.trip.destinations if c not in caps and c not in a.plan.uncapped]
    if unknown and count > restricted:
        provider = a.plan.provider or "the provider"
        yield _result(
            k,
            "destination-device-limit",
            Status.WARN,
            "",
            f"Some destinations allow only {restricted} devices on a multi-device profile and "
            f"this trip has {count}; no cap is recorded for {', '.join(map(_country, unknown))}: "
            f"confirm with {provider}.",
        )
    elif not over:
        message = f"{_plural(count, 'device')} is within every destination's limit."
        yield _result(k, "destination-device-limit", Status.PASS, "", message)


def primary_device(a: Answers, k: Knowledge, now: dt.datetime) -> Iterator[CheckResult]:
    primaries = [d for d in a.devices if d.primary]
    if len(primaries) != 1:
        names = ", ".join(d.label for d in primaries)
        message = (
            f"{len(primaries)} devices are marked primary ({names}); exactly one manages the plan."
            if primaries
            else "No device is marked primary; one device must manage the plan."
        )
        yield _result(k, "primary-device", Status.FAIL, "", message)
        return
    device = primaries[0]
    placement = k.place(device.model)
    row, kind = placement.row, placement.kind
    if kind == "watch":
        status, message = (
            Status.FAIL,
            (
                f"{device.model} is a watch; the guide makes the smartphone the hub and sets a "
                "watch up through the phone's companion app, so a watch cannot manage the plan."
            ),
        )
    elif placement.no_esim:
        status, message = (
            Status.FAIL,
            f"{placement.shown_as} has no eSIM, so it cannot manage a multi-device profile.",
        )
    elif row is None:
        status, message = (
            Status.WARN,
            (
                f"{device.model} is not in the compatibility matrix; it may not manage "
                "a multi-device profile."
            ),
        )
    elif not k.is_full(row, "multi_device"):
        status, message = (
            Status.FAIL,
            (
                f"{row.name}: multi-device profile is {row.multi_device}; the primary "
                "device must manage the plan fully."
            ),
        )
    elif kind != "phone":
        status, message = (
            Status.WARN,
            (
                f"{row.name} manages multi-device profiles, but it is a {kind}: the guide makes "
                "the smartphone the hub and sets watches up through the phone's companion app."
            ),
        )
    else:
        status, message = Status.PASS, f"Primary device; {row.name} manages multi-device profiles."
    yield _result(k, "primary-device", status, device.label, message)


def device_compatibility(a: Answers, k: Knowledge, now: dt.datetime) -> Iterator[CheckResult]:
    for device in a.devices:
        placement = k.place(device.model)
        row = placement.row
        if placement.no_esim:
            yield _result(
                k,
                "device-compatibility",
                Status.FAIL,
                device.label,
                f"{placement.shown_as} has no eSIM: {placement.no_esim}.",
                fix=k.fix("device-compatibility.no-esim"),
            )
            continue
        if row is None:
            yield _result(
                k, "device-compatibility", Status.WARN, device.label, unplaced(k, placement)
            )
            continue
        partial = [
            f"{k.capability(c).name.lower()}: {row.value(c)}"
            for c in ("multi_device", "shared_pool", "routing")
            if not k.is_full(row, c)
        ]
        detail = f"; {', '.join(partial)}" if partial else ""
        if k.is_full(row, "esim"):
            yield _result(
                k,
                "device-compatibility",
                Status.PASS,
                device.label,
                f"{row.name}: {row.esim} eSIM support{detail}.",
            )
        else:
            yield _result(
                k,
                "device-compatibility",
                Status.WARN,
                device.label,
                f"{row.name}: eSIM support {row.esim}{detail}.",
            )


def os_version(a: Answers, k: Knowledge, now: dt.datetime) -> Iterator[CheckResult]:
    for device in a.devices:
        family = k.os_family(device.model, device.os_version)
        if not device.os_version:
            yield _result(k, "os-version", Status.FAIL, device.label, "No OS version given.")
            continue
        if family is None:
            yield _result(
                k,
                "os-version",
                Status.SKIP,
                device.label,
                f"Cannot tell which OS {device.model} runs; no minimum to compare.",
            )
            continue
        name = versions.display_name(family)
        try:
            found = answers_mod.parse_os_version(device, family, k)
        except InvalidValue as exc:
            yield _result(
                k,
                "os-version",
                Status.FAIL,
                device.label,
                fix=k.fix("os-version.unreadable"),
                message=f"OS version {device.os_version!r}: {exc}.",
            )
            continue
        minimum = k.os_minimum(family)
        if minimum is None:
            yield _result(
                k,
                "os-version",
                Status.SKIP,
                device.label,
                f"The guide gives no minimum for {name}; "
                f"{k.describe_version(found, family)} cannot be judged.",
            )
        elif found >= minimum:
            yield _result(
                k,
                "os-version",
                Status.PASS,
                device.label,
                f"{k.describe_version(found, family)} meets the minimum "
                f"{k.describe_version(minimum, family)}.",
            )
        else:
            yield _result(
                k,
                "os-version",
                Status.FAIL,
                device.label,
                f"{k.describe_version(found, family)} is below the minimum "
                f"{k.describe_version(minimum, family)}{_update_to(k, family)}.",
            )


def imei(a: Answers, k: Knowledge, now: dt.datetime) -> Iterator[CheckResult]:
    owners: dict[str, str] = {}
    for device in a.devices:
        problems = []
        if not device.imei:
            problems.append("no IMEI documented")
        for name, value, validate in (
            ("IMEI", device.imei, identifiers.validate_imei),
            ("IMEI2", device.imei2, identifiers.validate_imei),
            ("EID", device.eid, identifiers.validate_eid),
        ):
            if not value:
                continue
            try:
                validate(value)
            except InvalidValue as exc:
                problems.append(f"{name} {value}: {exc}")
                continue
            if name == "EID":
                continue
            if name == "IMEI2" and value == device.imei:
                problems.append("IMEI2 is the same as the IMEI; a dual-SIM device has two")
            elif value in owners:
                problems.append(f"{name} {identifiers.mask(value)} is also on {owners[value]}")
            else:
                owners[value] = device.label
        if problems:
            message = "; ".join(problems)
            yield _result(
                k, "imei", Status.FAIL, device.label, message[0].upper() + message[1:] + "."
            )
        else:
            extra = " and IMEI2" if device.imei2 else ""
            yield _result(
                k,
                "imei",
                Status.PASS,
                device.label,
                f"IMEI{extra} documented and valid ({identifiers.mask(device.imei)}).",
            )


def battery(a: Answers, k: Knowledge, now: dt.datetime) -> Iterator[CheckResult]:
    minimum = k.limits.min_battery_percent
    for device in a.devices:
        if device.battery is None:
            yield _result(k, "battery", Status.FAIL, device.label, "Battery level not given.")
        elif device.battery < minimum:
            yield _result(
                k,
                "battery",
                Status.FAIL,
                device.label,
                f"Battery at {device.battery} %; setup needs at least {minimum} %.",
            )
        else:
            yield _result(
                k, "battery", Status.PASS, device.label, f"Battery at {device.battery} %."
            )


def destination_coverage(a: Answers, k: Knowledge, now: dt.datetime) -> Iterator[CheckResult]:
    provider = a.plan.provider or "The plan"
    if not a.plan.multi_device:
        yield _result(
            k,
            "destination-coverage",
            Status.FAIL,
            "",
            f"{provider} is not a multi-device plan; devices cannot share it.",
        )
        return
    missing = [c for c in a.trip.destinations if c not in a.plan.coverage]
    if a.plan.worldwide:
        yield _result(
            k,
            "destination-coverage",
            Status.PASS,
            "",
            "Worldwide multi-device plan covers every destination.",
        )
    elif missing:
        yield _result(
            k,
            "destination-coverage",
            Status.FAIL,
            "",
            f"Not covered: {', '.join(_country(c) for c in missing)}.",
        )
    else:
        yield _result(
            k,
            "destination-coverage",
            Status.PASS,
            "",
            f"Multi-device plan covers {', '.join(map(_country, a.trip.destinations))}.",
        )


def _yes_no(check_id: str, key: str, yes: str, no: str) -> CheckFn:
    """A checklist answer: true passes, false fails, unanswered fails."""

    def run(a: Answers, k: Knowledge, now: dt.datetime) -> Iterator[CheckResult]:
        value = getattr(a.checklist, key)
        if value is True or value == NOT_APPLICABLE:
            yield _result(
                k,
                check_id,
                Status.PASS,
                "",
                "No eSIM profiles are being replaced." if value == NOT_APPLICABLE else yes,
            )
        elif value is False:
            yield _result(k, check_id, Status.FAIL, "", no)
        else:
            yield _result(k, check_id, Status.FAIL, "", "Not answered.")

    run.__name__ = key
    return run


def roaming(a: Answers, k: Knowledge, now: dt.datetime) -> Iterator[CheckResult]:
    for device in a.devices:
        if device.roaming_authorized:
            yield _result(
                k, "roaming", Status.PASS, device.label, "International roaming pre-authorised."
            )
        else:
            said = "not answered" if device.roaming_authorized is None else "not pre-authorised"
            yield _result(k, "roaming", Status.FAIL, device.label, f"International roaming {said}.")


def wifi_calling(a: Answers, k: Knowledge, now: dt.datetime) -> Iterator[CheckResult]:
    assumed = k.note("wifi-calling-kinds")  # said with the first device it leaves out
    for device in a.devices:
        if not answers_mod.wifi_calling_capable(device, k):
            kind = k.place(device.model).kind or "device"
            message = " ".join(filter(None, (f"Wi-Fi Calling is not asked of a {kind}.", assumed)))
            assumed = ""
            yield _result(k, "wifi-calling", Status.SKIP, device.label, message)
        elif device.wifi_calling:
            yield _result(k, "wifi-calling", Status.PASS, device.label, "Wi-Fi Calling on.")
        else:
            said = "not answered" if device.wifi_calling is None else "off"
            yield _result(k, "wifi-calling", Status.FAIL, device.label, f"Wi-Fi Calling {said}.")


def airplane_schedule(a: Answers, k: Knowledge, now: dt.datetime) -> Iterator[CheckResult]:
    if not answers_mod.crosses_time_zones(a):
        yield _result(
            k,
            "airplane-schedule",
            Status.SKIP,
            "",
            "Home and destinations share a UTC offset at departure; no schedule needed.",
        )
    elif a.checklist.airplane_schedule:
        yield _result(
            k,
            "airplane-schedule",
            Status.PASS,
            "",
            "Airplane-mode schedules set for the time-zone changes.",
        )
    else:
        yield _result(
            k,
            "airplane-schedule",
            Status.WARN,
            "",
            "The trip crosses time zones and no airplane-mode schedule is set.",
        )


def deadline(a: Answers, k: Knowledge) -> dt.datetime:
    """When the pre-departure steps are due, in the departure's own time zone."""
    # Subtract in UTC: wall-clock arithmetic would be off by an hour across DST.
    due = a.trip.departure.astimezone(dt.UTC) - dt.timedelta(hours=k.limits.predeparture_hours)
    return due.astimezone(a.trip.departure.tzinfo)


def departure_window(a: Answers, k: Knowledge, now: dt.datetime) -> Iterator[CheckResult]:
    due = deadline(a, k)
    hours = k.limits.predeparture_hours
    if now <= due:
        yield _result(
            k,
            "departure-window",
            Status.PASS,
            "",
            f"Pre-departure steps due by {format_moment(due)}, {format_span(due - now)} from now.",
        )
    elif now <= a.trip.departure:
        yield _result(
            k,
            "departure-window",
            Status.WARN,
            "",
            f"Late: departure is {format_span(a.trip.departure - now)} away, inside "
            f"the {hours} hours the pre-departure steps need.",
        )
    else:
        yield _result(
            k,
            "departure-window",
            Status.FAIL,
            "",
            f"Departure ({format_moment(a.trip.departure)}) has passed.",
            fix="Check the departure date and time, and the time zone.",
        )


def _budget_skipped(a: Answers) -> str:
    """Why the budget cannot be estimated, or "" when it can."""
    if a.plan.pool_gb is None:
        return "No data pool given."
    if a.trip.return_date is None:
        return "No return date given, so the trip's data use cannot be estimated."
    return "" if a.usage else "No planned daily use given."


def data_budget(a: Answers, k: Knowledge, now: dt.datetime) -> Iterator[CheckResult]:
    pool = a.plan.pool_gb
    skipped = _budget_skipped(a)
    if skipped or pool is None:
        yield _result(k, "data-budget", Status.SKIP, "", skipped)
        return
    days = budget.trip_days(a)
    low, high = budget.estimate_mb(a, k)
    low_gb, high_gb = low * days / 1000, high * days / 1000
    if high_gb <= pool:
        status, verb = Status.PASS, "fits"
    elif low_gb > pool:
        status, verb = Status.FAIL, "exceeds"
    else:
        status, verb = Status.WARN, "may exceed"
    span = f"{low_gb:.1f}-{high_gb:.1f} GB over {_plural(days, 'day')}"
    told = (
        f"Estimated {span} {verb} the {pool:g} GB pool.",
        budget.uncounted(k),
        k.note("whole-days"),
    )
    yield _result(k, "data-budget", status, "", " ".join(t for t in told if t))


GROUPS = ("Plan and trip", "Devices", "Setup", "Before departure")

CHECKS: tuple[Check, ...] = (
    Check("device-count", "Plan and trip", device_count),
    Check("destination-device-limit", "Plan and trip", destination_device_limit),
    Check("destination-coverage", "Plan and trip", destination_coverage),
    Check("departure-window", "Plan and trip", departure_window),
    Check("data-budget", "Plan and trip", data_budget),
    Check("primary-device", "Devices", primary_device),
    Check("device-compatibility", "Devices", device_compatibility),
    Check("os-version", "Devices", os_version),
    Check("imei", "Devices", imei),
    Check("battery", "Devices", battery),
    Check(
        "same-wifi",
        "Setup",
        _yes_no(
            "same-wifi",
            "same_wifi",
            "All devices on the same Wi-Fi for provisioning.",
            "Devices are not on the same Wi-Fi network.",
        ),
    ),
    Check(
        "profile-backup",
        "Setup",
        _yes_no(
            "profile-backup",
            "profiles_backed_up",
            "eSIM profiles being replaced are backed up.",
            "eSIM profiles being replaced are not backed up.",
        ),
    ),
    Check(
        "offline-maps",
        "Before departure",
        _yes_no(
            "offline-maps",
            "offline_maps",
            "Offline maps downloaded on the navigation device.",
            "Offline maps are not downloaded.",
        ),
    ),
    Check(
        "network-preference",
        "Before departure",
        _yes_no(
            "network-preference",
            "network_preference",
            "Network-type preference set for the destinations.",
            "Network-type preference is not set for the destinations.",
        ),
    ),
    Check("roaming", "Before departure", roaming),
    Check("wifi-calling", "Before departure", wifi_calling),
    Check("airplane-schedule", "Before departure", airplane_schedule),
)

CHECK_IDS = tuple(c.id for c in CHECKS)


def evaluate(
    answers: Answers, knowledge: Knowledge, now: dt.datetime, *, strict: bool = False
) -> Evaluation:
    """Run every check; ``now`` must be timezone-aware."""
    results = tuple(r for check in CHECKS for r in check.run(answers, knowledge, now))
    return Evaluation(results, verdict_of(results, strict=strict), deadline(answers, knowledge))


def _update_to(k: Knowledge, family: str) -> str:
    """ "; update to the latest iOS (26 or later)": a release that exists, from the data file."""
    target = k.os_update_to.get(family)
    return f"; update to {target}" if target else ""
