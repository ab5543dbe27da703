"""The answers model: what the traveller told us, from a prompt or a file.

An answers document is plain TOML (see ``examples/``). ``from_document``
validates one completely against the declared keys of ``readiness.schema``,
collecting every problem with its key path, and ``to_document`` gives the
canonical form that reports store, so that loading a report's answers gives
back the same ``Answers``.

A value that cannot be understood (a battery of 185, a country that does not
exist) is an input error. A value that is understood but not ready (an IMEI
with a wrong check digit) is kept as given: the checks fail it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from packaging.version import Version

from readiness import identifiers, places, schema
from readiness.errors import InputError, InvalidValue, shown
from readiness.fields import Fields
from readiness.files import read_toml
from readiness.knowledge import Knowledge
from readiness.schema import NOT_APPLICABLE, USAGE_DAILY, USAGE_HOURLY, USAGE_KEYS, WORLDWIDE

SCHEMA = 1
DEVICE_KEYS = tuple(key.key for key in schema.section("device"))
CHECKLIST_KEYS = tuple(key.key for key in schema.section("checklist"))
__all__ = [
    "CHECKLIST_KEYS",
    "DEVICE_KEYS",
    "NOT_APPLICABLE",
    "SCHEMA",
    "USAGE_DAILY",
    "USAGE_HOURLY",
    "USAGE_KEYS",
    "WORLDWIDE",
    "Answers",
    "Checklist",
    "Device",
    "Plan",
    "Trip",
    "check_partial",
    "crosses_time_zones",
    "departure_is_fixed",
    "from_document",
    "load",
    "may_cross_time_zones",
    "missing",
    "model_has_wifi_calling",
    "model_may_be_dual_sim",
    "overlay",
    "parse_os_version",
    "to_document",
    "wifi_calling_capable",
]


@dataclass(frozen=True)
class Device:
    """One device as answered; identifiers are kept compact, checked by the checks."""

    label: str
    model: str
    os_version: str = ""
    imei: str = ""
    imei2: str = ""
    eid: str = ""
    battery: int | None = None
    primary: bool = False
    priority: str = "standard"
    roaming_authorized: bool | None = None
    wifi_calling: bool | None = None
    inventory: str = ""


@dataclass(frozen=True)
class Trip:
    """Where and when; ``departure`` is always an aware instant."""

    name: str
    departure: dt.datetime
    timezone: str
    home: str
    destinations: tuple[str, ...]
    return_date: dt.date | None = None

    @property
    def zone(self) -> dt.tzinfo:
        return ZoneInfo(self.timezone) if self.timezone else self.departure.tzinfo or dt.UTC


@dataclass(frozen=True)
class Plan:
    """The eSIM plan; ``None`` limits fall back to the knowledge file's."""

    provider: str
    multi_device: bool
    coverage: tuple[str, ...]
    max_devices: int | None = None
    pool_gb: float | None = None
    device_limits: tuple[tuple[str, int], ...] = ()
    # Destinations the provider lets use the plan on any number of devices.
    uncapped: tuple[str, ...] = ()

    @property
    def worldwide(self) -> bool:
        return WORLDWIDE in self.coverage


@dataclass(frozen=True)
class Checklist:
    """The yes/no preparation answers; ``None`` means not answered yet."""

    same_wifi: bool | None = None
    profiles_backed_up: bool | str | None = None
    offline_maps: bool | None = None
    network_preference: bool | None = None
    airplane_schedule: bool | None = None


@dataclass(frozen=True)
class Answers:
    """Everything the traveller said, validated: what the checks run on."""

    traveler: str
    trip: Trip
    plan: Plan
    devices: tuple[Device, ...]
    checklist: Checklist = field(default_factory=Checklist)
    usage: tuple[tuple[str, bool | float], ...] = ()


# An answers file describes one trip; a thousand devices is far past any plan.
MAX_DEVICES = 1_000


def load(path: Path) -> Answers:
    """Read and validate an answers file."""
    text, doc = read_toml(path, "answers file")
    return from_document(doc, str(path), text)


def from_document(doc: Mapping[str, Any], source: str = "answers", text: str = "") -> Answers:
    """Validate a whole answers document, reporting every problem at once."""
    f = Fields(source, text)
    f.unknown_keys(doc, ("schema", "traveler", "trip", "plan", "devices", "checklist", "usage"), "")
    schema = f.take(doc, "schema", "", int, required=False, default=SCHEMA)
    if schema != SCHEMA:
        f.problem("schema", f"this version of readiness reads schema {SCHEMA}, got {schema}")
    traveler = _values(f, f.table(doc, "traveler", required=False), "traveler")
    trip = _trip(f, f.table(doc, "trip"))
    plan = _plan(f, f.table(doc, "plan"))
    devices: tuple[Device, ...] = ()
    if isinstance(doc.get("devices"), list) and len(doc["devices"]) > MAX_DEVICES:
        f.problem("devices", f"at most {MAX_DEVICES:,} devices, got {len(doc['devices']):,}")
    else:
        devices = tuple(_device(f, path, item) for path, item in f.tables(doc, "devices"))
    if "devices" in doc and isinstance(doc["devices"], list) and not doc["devices"]:
        f.problem("devices", "list at least one device")
    _unique_labels(f, devices)
    checklist = _values(f, f.table(doc, "checklist", required=False), "checklist")
    usage = _values(f, f.table(doc, "usage", required=False), "usage")
    f.raise_if_any()
    if trip is None or plan is None:  # every path to None records a problem first
        raise InputError.single(source, "trip", "incomplete")
    return Answers(
        traveler.get("name", ""),
        trip,
        plan,
        devices,
        Checklist(**checklist),
        tuple((key, usage[key]) for key in USAGE_KEYS if key in usage),
    )


def check_partial(doc: Mapping[str, Any], source: str = "answers", text: str = "") -> None:
    """Refuse what is wrong in a partial document; what is missing is left to the prompts."""
    try:
        from_document(doc, source, text)
    except InputError as exc:
        wrong = [p for p in exc.problems if not p.missing]
        if wrong:
            raise InputError(wrong) from None


def _values(f: Fields, table: Mapping[str, Any], section: str, path: str = "") -> dict[str, Any]:
    """The keys the schema declares for ``section``, each of its type and meeting its rule.

    Only what the table holds (and passes) is returned; what is missing and
    required, or wrong, is recorded.
    """
    path = path or section
    keys = schema.section(section)
    f.unknown_keys(table, (k.key for k in keys), path)
    out: dict[str, Any] = {}
    for key in keys:
        if key.key not in table:
            if key.required:
                f.missing(f"{path}.{key.key}")
            continue
        value = f.take(table, key.key, path, key.kind)
        if value is not None:
            value = f.convert(f"{path}.{key.key}", value, key.rule)
        if value is not None:
            out[key.key] = value
    return out


def _countries(
    f: Fields, path: str, values: Iterable[Any], parse: Callable[[str], str] = schema.country
) -> list[str]:
    out: list[str] = []
    for index, value in enumerate(values, start=1):
        code = _country(f, f"{path}[{index}]", value, parse)
        if code and code not in out:
            out.append(code)
    return out


def _country(
    f: Fields, path: str, value: Any, parse: Callable[[str], str] = schema.country
) -> str | None:
    if not isinstance(value, str):
        f.problem(path, f"must be a country name or code, got {value!r}")
        return None
    return f.convert(path, value, parse)


def _trip(f: Fields, table: Mapping[str, Any]) -> Trip | None:
    values = _values(f, table, "trip")
    timezone = values.get("timezone", "")
    departure = _departure(f, table, values.get("departure"), timezone)
    destinations = _countries(f, "trip.destinations", values.get("destinations", []))
    if "destinations" in values and not values["destinations"]:
        f.problem("trip.destinations", "list at least one destination")
    day = values.get("return")
    if day is not None and departure is not None:
        day = f.convert("trip.return", day, lambda d: schema.return_after(d, departure))
    if departure is None or "home" not in values:
        return None
    return Trip(
        values.get("name", ""), departure, timezone, values["home"], tuple(destinations), day
    )


def _departure(
    f: Fields, table: Mapping[str, Any], value: Any, timezone: str
) -> dt.datetime | None:
    """A departure must pin an instant: an offset, or a local time plus a zone."""
    if value is None:
        return None
    if isinstance(value, str):
        value = f.convert("trip.departure", value, schema.departure_text)
        if value is None:
            return None
    if not isinstance(value, dt.datetime):
        f.problem("trip.departure", schema.time_needed(value))
        return None
    if f.convert("trip.departure", value, schema.departure) is None:
        return None
    if value.tzinfo is None:
        if not timezone and table.get("timezone"):
            return None  # the zone was given but is no zone: reported already
        if not timezone:
            f.problem(
                "trip.departure",
                "has no UTC offset; add one (+08:00) or set "
                "trip.timezone to an IANA zone such as Asia/Singapore",
            )
            return None
        pinned: dt.datetime | None = f.convert(
            "trip.departure", value, lambda v: schema.in_zone(v, timezone, in_file=True)
        )
        return pinned
    if timezone and value.utcoffset() != value.astimezone(ZoneInfo(timezone)).utcoffset():
        local = value.astimezone(ZoneInfo(timezone)).strftime("%z")
        f.problem(
            "trip.departure",
            f"its offset {value:%z} contradicts trip.timezone "
            f"{timezone} ({local} at that time); give one of them",
        )
        return None
    return value


def _plan(f: Fields, table: Mapping[str, Any]) -> Plan | None:
    values = _values(f, table, "plan")
    coverage = _countries(f, "plan.coverage", values.get("coverage", []), schema.covered)
    limits: dict[str, int] = {}
    for key, value in values.get("device_limits", {}).items():
        path = f"plan.device_limits.{key}"
        code = _country(f, path, key)
        if isinstance(value, bool) or not isinstance(value, int):
            f.problem(path, f"must be a whole number of devices, got {value!r}")
        elif (cap := f.convert(path, value, schema.device_cap)) is not None and code:
            limits[code] = cap
    uncapped: list[str] = []
    for index, value in enumerate(values.get("uncapped", []), start=1):
        path = f"plan.uncapped[{index}]"
        if (code := _country(f, path, value)) in limits:
            f.problem(path, f"{code} also has a cap in plan.device_limits; give one of them")
        elif code and code not in uncapped:
            uncapped.append(code)
    return Plan(
        values.get("provider", ""),
        values.get("multi_device", False),
        tuple(coverage),
        values.get("max_devices"),
        values.get("pool_gb"),
        tuple(sorted(limits.items())),
        tuple(uncapped),
    )


def _device(f: Fields, path: str, table: Mapping[str, Any]) -> Device:
    values = _values(f, table, "device", path)
    for key in ("imei", "imei2"):
        if key in values:
            values[key] = identifiers.compact_imei(values[key])
    if "eid" in values:
        values["eid"] = identifiers.compact_eid(values["eid"])
    return Device(**{"label": "", "model": "", **values})


def _unique_labels(f: Fields, devices: tuple[Device, ...]) -> None:
    seen: dict[str, int] = {}
    for index, device in enumerate(devices, start=1):
        key = device.label.casefold()
        if key and key in seen:
            f.problem(
                f"devices[{index}].label",
                f'"{shown(device.label)}" is also the label of devices[{seen[key]}]',
            )
        seen.setdefault(key, index)


def missing(answers: Answers, knowledge: Knowledge) -> list[str]:
    """Key paths of answers a check needs but nobody gave: ``--no-input`` refuses them."""
    out = []
    for key in ("same_wifi", "profiles_backed_up", "offline_maps", "network_preference"):
        if getattr(answers.checklist, key) is None:
            out.append(f"checklist.{key}")
    for index, device in enumerate(answers.devices, start=1):
        path = f"devices[{index}]"
        for key in ("os_version", "battery", "roaming_authorized"):
            if getattr(device, key) in (None, ""):
                out.append(f"{path}.{key}")
        if device.wifi_calling is None and wifi_calling_capable(device, knowledge):
            out.append(f"{path}.wifi_calling")
    if crosses_time_zones(answers) and answers.checklist.airplane_schedule is None:
        out.append("checklist.airplane_schedule")
    return out


def wifi_calling_capable(device: Device, knowledge: Knowledge) -> bool:
    """Whether a device is asked about (and checked for) Wi-Fi Calling."""
    return model_has_wifi_calling(device.model, knowledge)


def model_has_wifi_calling(model: str, knowledge: Knowledge) -> bool:
    """Unknown kinds are asked: better one question too many than a missed fallback."""
    kind = knowledge.place(model).kind
    return kind is None or kind in knowledge.wifi_calling_kinds


def model_may_be_dual_sim(model: str, knowledge: Knowledge) -> bool:
    """Whether a second IMEI is asked: kinds the data file names, and unknown kinds."""
    kind = knowledge.place(model).kind
    return kind is None or kind in knowledge.imei.second_kinds


def crosses_time_zones(answers: Answers) -> bool:
    """Home and destinations with no UTC offset in common at departure."""
    trip = answers.trip
    return trip_crosses_time_zones(trip.home, trip.destinations, trip.departure)


def trip_crosses_time_zones(home: str, destinations: Iterable[str], at: dt.datetime) -> bool:
    """The rule on its own, for a walk-through that has no complete answers yet."""
    return not places.share_an_offset([home, *destinations], at)


def departure_is_fixed(trip: Mapping[str, Any]) -> bool:
    """A departure given with its offset pins the instant: no zone is needed for it."""
    value = trip.get("departure")
    return isinstance(value, dt.datetime) and value.tzinfo is not None


def may_cross_time_zones(doc: Mapping[str, Any]) -> bool:
    """For a partial document: unless its trip is complete and stays in one offset, say yes."""
    table = doc.get("trip")
    trip = _trip(Fields("answers"), table) if isinstance(table, Mapping) else None
    return trip is None or trip_crosses_time_zones(trip.home, trip.destinations, trip.departure)


# What an answers file says even when nothing was given, so the walk-through reading it
# again knows the question was answered ("" for "none", the priority it runs at).
EXPLICIT_DEVICE_KEYS = ("imei", "imei2", "eid", "priority")


def to_document(answers: Answers, *, explicit: bool = False) -> dict[str, Any]:
    """The canonical TOML document: stable key order, only what was given.

    ``explicit``: for a reusable answers file, the optional device answers are
    written even when empty, so checking it again asks nothing.
    """
    trip = answers.trip
    trip_doc: dict[str, Any] = {"name": trip.name}
    local = trip.departure.replace(tzinfo=None)
    if trip.timezone and _local_is_enough(local, trip.timezone, trip.departure):
        trip_doc["departure"] = local
        trip_doc["timezone"] = trip.timezone
    else:
        # An explicit offset pins the instant; writing it as local time in
        # another zone would move the departure on the way back in.
        trip_doc["departure"] = trip.departure
        if trip.timezone:
            trip_doc["timezone"] = trip.timezone
    trip_doc["home"] = trip.home
    trip_doc["destinations"] = list(trip.destinations)
    if trip.return_date:
        trip_doc["return"] = trip.return_date
    plan = answers.plan
    plan_doc: dict[str, Any] = {
        "provider": plan.provider,
        "multi_device": plan.multi_device,
        "coverage": list(plan.coverage),
    }
    if plan.max_devices is not None:
        plan_doc["max_devices"] = plan.max_devices
    if plan.pool_gb is not None:
        plan_doc["pool_gb"] = plan.pool_gb
    if plan.device_limits:
        plan_doc["device_limits"] = dict(plan.device_limits)
    if plan.uncapped:
        plan_doc["uncapped"] = list(plan.uncapped)
    doc: dict[str, Any] = {"schema": SCHEMA}
    if answers.traveler:
        doc["traveler"] = {"name": answers.traveler}
    doc["trip"] = trip_doc
    doc["plan"] = plan_doc
    doc["devices"] = [_device_doc(d, explicit) for d in answers.devices]
    checklist = {
        k: getattr(answers.checklist, k)
        for k in CHECKLIST_KEYS
        if getattr(answers.checklist, k) is not None
    }
    if checklist:
        doc["checklist"] = checklist
    if answers.usage:
        doc["usage"] = dict(answers.usage)
    return doc


def _local_is_enough(local: dt.datetime, zone: str, departure: dt.datetime) -> bool:
    """Whether the local time and the zone give back the departure (not in a repeated hour)."""
    try:
        return schema.in_zone(local, zone) == departure
    except InvalidValue:
        return False


def _device_doc(device: Device, explicit: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {}
    defaults = Device(label="", model="")
    always = ("label", "model", *(EXPLICIT_DEVICE_KEYS if explicit else ()))
    for key in DEVICE_KEYS:
        value = getattr(device, key)
        if key in always or value != getattr(defaults, key):
            out[key] = value
    return out


def parse_os_version(device: Device, family: str | None, knowledge: Knowledge) -> Version:
    """The device's OS version, read for its OS family by the knowledge's one reader
    (Windows releases, One UI) (raises ``InvalidValue``)."""
    if not device.os_version:
        raise InvalidValue("no OS version given")
    return knowledge.parse_version(device.os_version, family)


def overlay(base: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """``changes`` laid over ``base``: tables merge key by key, devices by label.

    A device in ``changes`` whose label matches one in ``base`` updates it; a new
    label adds a device. Lists other than ``devices`` are replaced whole.
    """
    out: dict[str, Any] = dict(base)
    for key, value in changes.items():
        old = out.get(key)
        if key == "devices" and isinstance(value, list) and isinstance(old, list):
            out[key] = _overlay_devices(old, value)
        elif isinstance(value, Mapping) and isinstance(old, Mapping):
            out[key] = overlay(old, value)
        else:
            out[key] = value
    return out


def _overlay_devices(base: list[Any], changes: list[Any]) -> list[Any]:
    merged = [dict(d) if isinstance(d, Mapping) else d for d in base]
    index = {
        str(d.get("label", "")).casefold(): i for i, d in enumerate(merged) if isinstance(d, dict)
    }
    for device in changes:
        label = str(device.get("label", "")).casefold() if isinstance(device, Mapping) else ""
        if label and label in index:
            merged[index[label]] = overlay(merged[index[label]], device)
        else:
            merged.append(device)
    return merged
