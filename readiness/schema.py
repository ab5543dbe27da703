"""The answers file, key by key: what each answer may hold, declared once.

Each ``Key`` names an answer as the file spells it (``device.battery`` for a key
of any ``[[devices]]`` table), the TOML types a file may give, and the rule a
value must meet. The answers loader walks this table over a file; a prompt
reads the typed text into the same type and applies the same rule, so a value is
refused for the same reason wherever it comes from (``Key.parse`` is what a
prompt validates with).

Rules that involve two answers (a return before the departure, a departure's
zone) are functions here too, called by the loader and the walk-through alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from readiness import identifiers, places
from readiness.errors import InvalidValue, is_one_line
from readiness.knowledge import PRIORITIES

WORLDWIDE = "*"
NOT_APPLICABLE = "n/a"
# Planned use: daily activities are on or off, hourly ones are hours a day.
# Each key names an activity id in the data file (``_hours`` stripped).
USAGE_DAILY = ("email", "browsing", "navigation")
USAGE_HOURLY = ("video_call_hours", "streaming_hours")
USAGE_KEYS = USAGE_DAILY + USAGE_HOURLY
MAX_PLAN_DEVICES = 1000
MAX_POOL_GB = 1_000_000


# -- the rules, each a function of one value that raises ``InvalidValue`` --


def one_line(text: str) -> str:
    """A name kept as given (trimmed): shown in messages, tables and reports on one line."""
    text = text.strip()
    if not is_one_line(text):
        raise InvalidValue("must be one line of text with no hidden characters")
    return text


def name(text: str) -> str:
    """A name that must be there: a label, a model, a trip's name."""
    text = one_line(text)
    if not text:
        raise InvalidValue("must not be empty")
    return text


def country(text: str) -> str:
    """A country given by code or name, kept as its alpha-2 code."""
    return places.resolve_country(text).alpha_2


def covered(text: str) -> str:
    """A country a plan covers, or ``*`` for a worldwide plan."""
    return WORLDWIDE if text.strip() == WORLDWIDE else country(text)


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def whole_number(low: int, high: int, reason: str = "") -> Callable[[int], int]:
    """A whole number within ``low``-``high``."""

    def check(value: int) -> int:
        if not low <= value <= high:
            raise InvalidValue(reason or f"must be {low}-{high}, got {value}")
        return value

    return check


def pool_gb(value: float) -> float:
    if not 0 <= value <= MAX_POOL_GB:
        raise InvalidValue(f"must be 0 or more, got {_number(value)}")
    return float(value)


def hours(value: float) -> float:
    if not 0 <= value <= 24:
        raise InvalidValue(f"must be hours a day, 0-24, got {_number(value)}")
    return float(value)


def priority(value: str) -> str:
    if value not in PRIORITIES:
        raise InvalidValue(f"must be one of: {', '.join(PRIORITIES)}; got {value!r}")
    return value


def backed_up(value: bool | str) -> bool | str:
    if isinstance(value, str):
        if value.lower() != NOT_APPLICABLE:
            raise InvalidValue(f'must be true, false or "n/a", got {value!r}')
        return NOT_APPLICABLE
    return value


def return_date(day: dt.date | dt.datetime) -> dt.date:
    return day.date() if isinstance(day, dt.datetime) else day


def return_after(day: dt.date, departure: dt.datetime) -> dt.date:
    """The trip's end cannot come before its start (in the departure's own calendar)."""
    if day < departure.date():
        raise InvalidValue(f"{day} is before the departure")
    return day


TYPED_FORMAT = "YYYY-MM-DD HH:MM"


def departure_text(text: str, typed: bool = False) -> dt.datetime:
    """A departure written as text: a date and a time, with or without its offset.

    ``typed``: at a prompt, whose messages show the form the prompt asks for.
    """
    text = text.strip()
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        pass
    else:  # a day alone would silently mean midnight
        raise InvalidValue(time_needed(day, typed))
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        example = f"{TYPED_FORMAT}, e.g. 2026-12-03 09:30" if typed else "2026-12-03T09:30:00+08:00"
        raise InvalidValue(f"{text!r} is not a date and time (write it like {example})") from None


def time_needed(day: dt.date, typed: bool = False) -> str:
    """What to say about a departure given as a day alone: the form, with that day."""
    if typed:
        return f"a time of day is needed too: {TYPED_FORMAT}, e.g. {day.isoformat()} 09:30"
    return f"a time of day is needed too, e.g. {day.isoformat()}T09:30:00"


def departure(value: dt.datetime) -> dt.datetime:
    """A departure the deadline arithmetic and a TOML report can hold."""
    # The deadline (some hours before) and time-zone conversions must stay inside datetime's range.
    if not 2 <= value.year <= 9998:
        raise InvalidValue(f"year {value.year} is out of range; give a year 2-9998")
    offset = value.utcoffset()
    if offset is not None and offset % dt.timedelta(minutes=1):
        # fromisoformat reads "+08:00:30" but a TOML report cannot store it.
        raise InvalidValue(f"UTC offset {value:%z} has seconds; give +HH:MM")
    return value


class RepeatedTime(InvalidValue):
    """A local time the clocks show twice (autumn); ``choices`` are both instants."""

    def __init__(self, message: str, choices: tuple[dt.datetime, dt.datetime]) -> None:
        self.choices = choices
        super().__init__(message)


def _exists(local: dt.datetime) -> bool:
    back = local.astimezone(dt.UTC).astimezone(local.tzinfo)
    return back.replace(tzinfo=None) == local.replace(tzinfo=None)


def in_zone(local: dt.datetime, zone: str, *, in_file: bool = False) -> dt.datetime:
    """A wall-clock time at ``zone`` as an instant: one the clocks skip is refused with the
    nearest times they show; one they show twice raises ``RepeatedTime`` with both.

    ``in_file``: the message says how a file gives the offset.
    """
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(zone)
    moment = local.replace(tzinfo=tz, fold=0)
    if not _exists(moment):
        before = after = local.replace(second=0, microsecond=0)
        while not _exists(before.replace(tzinfo=tz)):
            before -= dt.timedelta(minutes=1)
        while not _exists(after.replace(tzinfo=tz)):
            after += dt.timedelta(minutes=1)
        raise InvalidValue(
            f"{local:%Y-%m-%d %H:%M} does not happen in {zone}: the clocks go forward; "
            f"the nearest times are {before:%H:%M} and {after:%H:%M}"
        )
    later = local.replace(tzinfo=tz, fold=1)
    if later.utcoffset() == moment.utcoffset():
        return moment
    pinned = (_pinned(moment), _pinned(later))
    when = f"{local:%Y-%m-%d %H:%M} happens twice in {zone} (the clocks go back)"
    if in_file:
        ways = " or ".join(p.isoformat() for p in pinned)
        raise RepeatedTime(f"{when}; give the offset: {ways}", pinned)
    ways = " or ".join(f"{p:%H:%M} {_offset(p)}" for p in pinned)
    raise RepeatedTime(f"{when}: {ways}", pinned)


def _pinned(moment: dt.datetime) -> dt.datetime:
    """The same wall-clock time under its fixed offset, as a file would write it."""
    return moment.replace(tzinfo=dt.timezone(moment.utcoffset() or dt.timedelta()), fold=0)


def _offset(moment: dt.datetime) -> str:
    text = moment.strftime("%z")
    return f"UTC{text[:3]}:{text[3:]}"


def local_departure(text: str, zone: str) -> dt.datetime:
    """A departure typed as the local time at the airport (an offset given is respected)."""
    from zoneinfo import ZoneInfo

    moment = departure_text(text, typed=True)
    zone = places.validate_timezone(zone)
    if moment.tzinfo:
        return departure(moment.astimezone(ZoneInfo(zone)))
    return departure(in_zone(moment, zone))


def upcoming(moment: dt.datetime, now: dt.datetime) -> dt.datetime:
    """A departure typed at a prompt is the coming one (a file's past one fails a check)."""
    if moment <= now:
        raise InvalidValue("that moment has passed; give the coming departure")
    return moment


def _same(value: Any) -> Any:
    return value


# -- reading typed text into the type a file would give --


def _text(text: str) -> str:
    return text


def _unit(text: str, unit: str) -> str:
    """``80%``, ``80 %``, ``20GB``, ``20 gb``: the number, the unit (if any) dropped."""
    text = text.strip()
    if text.casefold().endswith(unit.casefold()):
        text = text[: -len(unit)].rstrip()
    return text


def _whole(low: int, high: int, unit: str = "") -> Callable[[str], int]:
    def read(text: str) -> int:
        try:
            return int(_unit(text, unit) if unit else text.strip())
        except ValueError:
            example = f" (e.g. 80 or 80 {unit})" if unit else ""
            raise InvalidValue(f"give a whole number from {low} to {high}{example}") from None

    return read


def _decimal(reason: str, empty: float | None, unit: str = "") -> Callable[[str], float | None]:
    def read(text: str) -> float | None:
        number = _unit(text, unit) if unit else text.strip()
        if not number:
            return empty
        try:
            return float(number)
        except ValueError:
            raise InvalidValue(reason) from None

    return read


def _day(text: str) -> dt.date | None:
    if not text.strip():
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidValue(f"{text.strip()!r} is not a date (YYYY-MM-DD)") from None


def _yes_no(text: str) -> bool:
    return text.strip().lower() in ("y", "yes", "true")


def _identifier(validate: Callable[[str], str]) -> Callable[[str], str]:
    """Typed identifiers must be valid; a file's are kept and failed by the checks."""

    def read(text: str) -> str:
        return validate(text) if text.strip() else ""

    return read


@dataclass(frozen=True)
class Key:
    """One answer: where it sits, the TOML types it takes and the rule it meets."""

    path: str
    kind: type | tuple[type, ...]
    rule: Callable[[Any], Any] = _same
    read: Callable[[str], Any] = _text
    required: bool = False

    @property
    def section(self) -> str:
        return self.path.split(".")[0]

    @property
    def key(self) -> str:
        return self.path.split(".", 1)[1]

    def parse(self, text: str) -> Any:
        """A typed answer, read and held to the file's rule (raises ``InvalidValue``)."""
        value = self.read(text)
        return None if value is None else self.rule(value)


_DEVICE_COUNT = whole_number(1, MAX_PLAN_DEVICES)
SCHEMA: tuple[Key, ...] = (
    Key("traveler.name", str, one_line),
    Key("trip.name", str, name, required=True),
    Key("trip.departure", (dt.datetime, dt.date, str), required=True),
    Key("trip.timezone", str, places.validate_timezone),
    Key("trip.home", str, country, required=True),
    Key("trip.destinations", list, required=True),
    Key("trip.return", (dt.date, dt.datetime), return_date, _day),
    Key("plan.provider", str, one_line),
    Key("plan.multi_device", bool, read=_yes_no, required=True),
    Key("plan.coverage", list, required=True),
    Key("plan.max_devices", int, _DEVICE_COUNT, _whole(1, MAX_PLAN_DEVICES)),
    Key("plan.device_limits", dict),
    Key("plan.uncapped", list),
    Key(
        "plan.pool_gb",
        float,
        pool_gb,
        _decimal("give a number of GB (e.g. 20 or 20 GB), or leave it empty", None, "GB"),
    ),
    Key("device.label", str, name, required=True),
    Key("device.model", str, name, required=True),
    Key("device.os_version", str, one_line),
    Key("device.imei", str, one_line, _identifier(identifiers.validate_imei)),
    Key("device.imei2", str, one_line, _identifier(identifiers.validate_imei)),
    Key("device.eid", str, one_line, _identifier(identifiers.validate_eid)),
    Key("device.battery", int, whole_number(0, 100), _whole(0, 100, "%")),
    Key("device.primary", bool, read=_yes_no),
    Key("device.priority", str, priority),
    Key("device.roaming_authorized", bool, read=_yes_no),
    Key("device.wifi_calling", bool, read=_yes_no),
    Key("device.inventory", str, one_line),
    Key("checklist.same_wifi", bool, read=_yes_no),
    Key("checklist.profiles_backed_up", (bool, str), backed_up),
    Key("checklist.offline_maps", bool, read=_yes_no),
    Key("checklist.network_preference", bool, read=_yes_no),
    Key("checklist.airplane_schedule", bool, read=_yes_no),
    *(Key(f"usage.{k}", bool, read=_yes_no) for k in USAGE_DAILY),
    *(
        Key(f"usage.{k}", float, hours, _decimal("give hours a day, e.g. 1.5", 0.0))
        for k in USAGE_HOURLY
    ),
)
KEYS: dict[str, Key] = {key.path: key for key in SCHEMA}
# The cap a plan may put on one destination, typed or from a file.
device_cap = whole_number(0, MAX_PLAN_DEVICES)
read_device_cap = _whole(0, MAX_PLAN_DEVICES)


def section(name: str) -> tuple[Key, ...]:
    """The keys of one table (``device`` for each ``[[devices]]`` table), in file order."""
    return tuple(key for key in SCHEMA if key.section == name)
