"""The answers model: what the traveller told us, from a prompt or a file.

An answers document is plain TOML (see ``examples/``). ``from_document``
validates one completely, collecting every problem with its key path, and
``to_document`` gives the canonical form that reports store, so that loading
a report's answers gives back the same ``Answers``.

A value that cannot be understood (a battery of 185, a country that does not
exist) is an input error. A value that is understood but not ready (an IMEI
with a wrong check digit) is kept as given: the checks fail it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from packaging.version import Version

from readiness import identifiers, places, versions
from readiness.errors import InputError, InvalidValue, is_one_line, shown
from readiness.fields import Fields
from readiness.files import read_toml
from readiness.knowledge import PRIORITIES, Knowledge

SCHEMA = 1
WORLDWIDE = "*"
NOT_APPLICABLE = "n/a"
# Planned use: daily activities are on or off, hourly ones are hours a day.
# Each key names an activity id in the data file (``_hours`` stripped).
USAGE_DAILY = ("email", "browsing", "navigation")
USAGE_HOURLY = ("video_call_hours", "streaming_hours")
USAGE_KEYS = USAGE_DAILY + USAGE_HOURLY
DEVICE_KEYS = (
    "label",
    "model",
    "os_version",
    "imei",
    "imei2",
    "eid",
    "battery",
    "primary",
    "priority",
    "roaming_authorized",
    "wifi_calling",
    "inventory",
)
CHECKLIST_KEYS = (
    "same_wifi",
    "profiles_backed_up",
    "offline_maps",
    "network_preference",
    "airplane_schedule",
)


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


def load(path: Path, knowledge: Knowledge) -> Answers:
    """Read and validate an answers file."""
    text, doc = read_toml(path, "answers file")
    return from_document(doc, knowledge, str(path), text)


def from_document(
    doc: Mapping[str, Any], knowledge: Knowledge, source: str = "answers", text: str = ""
) -> Answers:
    """Validate a whole answers document, reporting every problem at once."""
    f = Fields(source, text)
    f.unknown_keys(doc, ("schema", "traveler", "trip", "plan", "devices", "checklist", "usage"), "")
    schema = f.take(doc, "schema", "", int, required=False, default=SCHEMA)
    if schema != SCHEMA:
        f.problem("schema", f"this version of readiness reads schema {SCHEMA}, got {schema}")
    traveler_doc = f.table(doc, "traveler", required=False)
    f.unknown_keys(traveler_doc, ("name",), "traveler")
    traveler = _text(f, traveler_doc, "name", "traveler", required=False)
    trip = _trip(f, f.table(doc, "trip"))
    plan = _plan(f, f.table(doc, "plan"))
    devices = tuple(_device(f, path, item) for path, item in f.tables(doc, "devices"))
    if "devices" in doc and isinstance(doc["devices"], list) and not doc["devices"]:
        f.problem("devices", "list at least one device")
    _unique_labels(f, devices)
    checklist = _checklist(f, f.table(doc, "checklist", required=False))
    usage = _usage(f, f.table(doc, "usage", required=False))
    f.raise_if_any()
    if trip is None or plan is None:  # every path to None records a problem first
        raise InputError.single(source, "trip", "incomplete")
    return Answers(traveler, trip, plan, devices, checklist, usage)


def check_partial(
    doc: Mapping[str, Any], knowledge: Knowledge, source: str = "answers", text: str = ""
) -> None:
    """Refuse what is wrong in a partial document; what is missing is left to the prompts."""
    try:
        from_document(doc, knowledge, source, text)
    except InputError as exc:
        wrong = [p for p in exc.problems if p.message != "missing"]
        if wrong:
            raise InputError(wrong) from None


def _text(
    f: Fields, table: Mapping[str, Any], key: str, path: str, *, required: bool = True
) -> str:
    text: str = f.take(table, key, path, str, required=required, default="").strip()
    # Only a string can be empty: a wrong type is already reported by ``take``.
    if required and not text and isinstance(table.get(key), str):
        f.problem(f"{path}.{key}", "must not be empty")
    if not is_one_line(text):
        f.problem(f"{path}.{key}", "must be one line of text")
    return text


def _country(f: Fields, path: str, value: Any) -> str | None:
    if not isinstance(value, str):
        f.problem(path, f"must be a country name or code, got {value!r}")
        return None
    country = f.convert(path, value, places.resolve_country)
    return country.alpha_2 if country else None


def _trip(f: Fields, table: Mapping[str, Any]) -> Trip | None:
    f.unknown_keys(
        table, ("name", "departure", "timezone", "home", "destinations", "return"), "trip"
    )
    name = _text(f, table, "name", "trip")
    timezone = f.take(table, "timezone", "trip", str, required=False, default="")
    if timezone:
        timezone = f.convert("trip.timezone", timezone, places.validate_timezone) or ""
    departure = _departure(f, table, timezone)
    home = _country(f, "trip.home", table["home"]) if "home" in table else None
    if "home" not in table:
        f.problem("trip.home", "missing")
    raw_destinations = f.take(table, "destinations", "trip", list, default=[])
    destinations: list[str] = []
    for index, value in enumerate(raw_destinations, start=1):
        code = _country(f, f"trip.destinations[{index}]", value)
        if code and code not in destinations:
            destinations.append(code)
    if "destinations" in table and not raw_destinations:
        f.problem("trip.destinations", "list at least one destination")
    return_date = f.take(table, "return", "trip", (dt.date, dt.datetime), required=False)
    if isinstance(return_date, dt.datetime):
        return_date = return_date.date()
    if return_date and departure and return_date < departure.date():
        f.problem("trip.return", f"{return_date} is before the departure")
    if departure is None or home is None:
        return None
    return Trip(name, departure, timezone, home, tuple(destinations), return_date)


def _departure(f: Fields, table: Mapping[str, Any], timezone: str) -> dt.datetime | None:
    """A departure must pin an instant: an offset, or a local time plus a zone."""
    value = f.take(table, "departure", "trip", (dt.datetime, dt.date, str))
    if value is None:
        return None
    if isinstance(value, str):
        try:
            # A day alone would silently mean midnight: refused below, as a TOML date is.
            value = _day_only(value.strip()) or dt.datetime.fromisoformat(value.strip())
        except ValueError:
            f.problem(
                "trip.departure",
                f"{value!r} is not a date and time (write it like 2026-12-03T09:30:00+08:00)",
            )
            return None
    if not isinstance(value, dt.datetime):
        f.problem("trip.departure", "give the time of day too, e.g. 2026-12-03T09:30:00")
        return None
    # The deadline (48 h before) and time-zone conversions must stay inside datetime's range.
    if not 2 <= value.year <= 9998:
        f.problem("trip.departure", f"year {value.year} is out of range; give a year 2-9998")
        return None
    offset = value.utcoffset()
    if offset is not None and offset % dt.timedelta(minutes=1):
        # fromisoformat reads "+08:00:30" but a TOML report cannot store it.
        f.problem("trip.departure", f"UTC offset {value:%z} has seconds; give +HH:MM")
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
        return value.replace(tzinfo=ZoneInfo(timezone))
    if timezone and value.utcoffset() != value.astimezone(ZoneInfo(timezone)).utcoffset():
        local = value.astimezone(ZoneInfo(timezone)).strftime("%z")
        f.problem(
            "trip.departure",
            f"its offset {value:%z} contradicts trip.timezone "
            f"{timezone} ({local} at that time); give one of them",
        )
        return None
    return value


def _day_only(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _plan(f: Fields, table: Mapping[str, Any]) -> Plan | None:
    f.unknown_keys(
        table,
        (
            "provider",
            "multi_device",
            "coverage",
            "max_devices",
            "pool_gb",
            "device_limits",
            "uncapped",
        ),
        "plan",
    )
    provider = _text(f, table, "provider", "plan", required=False)
    multi = f.take(table, "multi_device", "plan", bool, default=False)
    coverage: list[str] = []
    for index, value in enumerate(f.take(table, "coverage", "plan", list, default=[]), 1):
        if value == WORLDWIDE:
            coverage.append(WORLDWIDE)
        elif (code := _country(f, f"plan.coverage[{index}]", value)) and code not in coverage:
            coverage.append(code)
    max_devices = f.take(table, "max_devices", "plan", int, required=False)
    if max_devices is not None and not 1 <= max_devices <= 1000:
        f.problem("plan.max_devices", f"must be 1-1000, got {max_devices}")
    pool = f.take(table, "pool_gb", "plan", float, required=False)
    if pool is not None and not 0 <= pool <= 1_000_000:
        f.problem("plan.pool_gb", f"must be 0 or more, got {pool}")
    limits: dict[str, int] = {}
    for key, value in f.table(table, "device_limits", "plan", required=False).items():
        path = f"plan.device_limits.{key}"
        code = _country(f, path, key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            f.problem(path, f"must be a whole number of devices, got {value!r}")
        elif code:
            limits[code] = value
    uncapped: list[str] = []
    for index, value in enumerate(f.take(table, "uncapped", "plan", list, required=False) or [], 1):
        path = f"plan.uncapped[{index}]"
        if (code := _country(f, path, value)) in limits:
            f.problem(path, f"{code} also has a cap in plan.device_limits; give one of them")
        elif code and code not in uncapped:
            uncapped.append(code)
    return Plan(
        provider,
        multi,
        tuple(coverage),
        max_devices,
        float(pool) if pool is not None else None,
        tuple(sorted(limits.items())),
        tuple(uncapped),
    )


def _device(f: Fields, path: str, table: Mapping[str, Any]) -> Device:
    f.unknown_keys(table, DEVICE_KEYS, path)
    label = _text(f, table, "label", path)
    model = _text(f, table, "model", path)
    os_version = _text(f, table, "os_version", path, required=False)
    imei = identifiers.compact_imei(_text(f, table, "imei", path, required=False))
    imei2 = identifiers.compact_imei(_text(f, table, "imei2", path, required=False))
    eid = identifiers.compact_eid(_text(f, table, "eid", path, required=False))
    battery = f.take(table, "battery", path, int, required=False)
    if battery is not None and not 0 <= battery <= 100:
        f.problem(f"{path}.battery", f"must be 0-100, got {battery}")
    priority = f.take(table, "priority", path, str, required=False, default="standard")
    if priority not in PRIORITIES:
        f.problem(f"{path}.priority", f"must be one of: {', '.join(PRIORITIES)}; got {priority!r}")
    return Device(
        label=label,
        model=model,
        os_version=os_version,
        imei=imei,
        imei2=imei2,
        eid=eid,
        battery=battery,
        primary=f.take(table, "primary", path, bool, required=False, default=False),
        priority=priority,
        roaming_authorized=f.take(table, "roaming_authorized", path, bool, required=False),
        wifi_calling=f.take(table, "wifi_calling", path, bool, required=False),
        inventory=_text(f, table, "inventory", path, required=False),
    )


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


def _checklist(f: Fields, table: Mapping[str, Any]) -> Checklist:
    f.unknown_keys(table, CHECKLIST_KEYS, "checklist")
    values: dict[str, Any] = {}
    for key in CHECKLIST_KEYS:
        if key == "profiles_backed_up":
            value = f.take(table, key, "checklist", (bool, str), required=False)
            if isinstance(value, str) and value.lower() != NOT_APPLICABLE:
                f.problem(f"checklist.{key}", f'must be true, false or "n/a", got {value!r}')
                value = None
            values[key] = value.lower() if isinstance(value, str) else value
        else:
            values[key] = f.take(table, key, "checklist", bool, required=False)
    return Checklist(**values)


def _usage(f: Fields, table: Mapping[str, Any]) -> tuple[tuple[str, bool | float], ...]:
    f.unknown_keys(table, USAGE_KEYS, "usage")
    out: list[tuple[str, bool | float]] = []
    for key in USAGE_DAILY:
        flag = f.take(table, key, "usage", bool, required=False)
        if flag is not None:
            out.append((key, flag))
    for key in USAGE_HOURLY:
        hours = f.take(table, key, "usage", float, required=False)
        if hours is not None and not 0 <= hours <= 24:
            f.problem(f"usage.{key}", f"must be hours a day, 0-24, got {hours}")
        elif hours is not None:
            out.append((key, float(hours)))
    return tuple(out)


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
    """Unknown kinds are asked: better one question too many than a missed fallback."""
    kind = knowledge.place(device.model).kind
    return kind is None or kind in knowledge.wifi_calling_kinds


def crosses_time_zones(answers: Answers) -> bool:
    """Home and destinations with no UTC offset in common at departure."""
    trip = answers.trip
    return trip_crosses_time_zones(trip.home, trip.destinations, trip.departure)


def trip_crosses_time_zones(home: str, destinations: Iterable[str], at: dt.datetime) -> bool:
    """The rule on its own, for a walk-through that has no complete answers yet."""
    return not places.share_an_offset([home, *destinations], at)


def to_document(answers: Answers) -> dict[str, Any]:
    """The canonical TOML document: stable key order, only what was given."""
    trip = answers.trip
    trip_doc: dict[str, Any] = {"name": trip.name}
    local = trip.departure.replace(tzinfo=None)
    if trip.timezone and local.replace(tzinfo=ZoneInfo(trip.timezone)) == trip.departure:
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
    doc["devices"] = [_device_doc(d) for d in answers.devices]
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


def _device_doc(device: Device) -> dict[str, Any]:
    out: dict[str, Any] = {}
    defaults = Device(label="", model="")
    for key in DEVICE_KEYS:
        value = getattr(device, key)
        if key in ("label", "model") or value != getattr(defaults, key):
            out[key] = value
    return out


def parse_os_version(device: Device, family: str | None) -> Version:
    """The device's OS version, read for its OS family (raises ``InvalidValue``)."""
    if not device.os_version:
        raise InvalidValue("no OS version given")
    return versions.parse_version(device.os_version, family)


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
