"""A calendar reminder for the pre-departure recheck, as an iCalendar (.ics) file.

The event sits at the start of the rerun window (the deadline less the data
file's window), so acting on it is on time; the deadline is in its text. Every
time in the file is one a calendar reads the same everywhere: in UTC, or in an
IANA zone whose VTIMEZONE the file carries. An offset-only departure has no
zone a calendar knows (a bare ``TZID="UTC-08:00"`` is read as floating time),
so its times are written in UTC.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from readiness.errors import InputError
from readiness.results import format_moment

ALARM_BEFORE = dt.timedelta(hours=2)
EVENT_LENGTH = dt.timedelta(minutes=30)
# icalendar writes a zone's rules from 1970 to 2038 only: later times go out in UTC.
_VTIMEZONE_UNTIL = 2038


@dataclass(frozen=True)
class Reminder:
    """The .ics bytes and the moments they hold, in the departure's zone."""

    ics: bytes
    opens: dt.datetime
    deadline: dt.datetime


def departure_zone(answers: Mapping[str, Any]) -> dt.tzinfo:
    """The zone the trip's departure was given in: its IANA name, else its offset."""
    trip = answers.get("trip", {})
    if trip.get("timezone"):
        return ZoneInfo(str(trip["timezone"]))
    departure = trip.get("departure")
    if isinstance(departure, dt.datetime) and departure.tzinfo is not None:
        return departure.tzinfo
    return dt.UTC


def departure_of(answers: Mapping[str, Any]) -> dt.datetime | None:
    """The departure as a moment: given with an offset, or local time in its zone."""
    departure = answers.get("trip", {}).get("departure")
    if not isinstance(departure, dt.datetime):
        return None
    if departure.tzinfo is None:
        return departure.replace(tzinfo=departure_zone(answers))
    return departure


def _calendar_time(moment: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """``moment`` as the file will hold it: in an IANA zone it can describe, else in UTC."""
    if isinstance(zone, ZoneInfo) and moment.year < _VTIMEZONE_UNTIL:
        return moment.astimezone(zone)
    return moment.astimezone(dt.UTC)


def for_report(report_path: Path, now: dt.datetime, window_hours: int) -> Reminder:
    """Read a signed report and make its reminder (see ``reminder``)."""
    from readiness import report

    return reminder(report.load(report_path).document, report_path, now, window_hours)


def reminder(
    report_doc: Mapping[str, Any], report_path: Path, now: dt.datetime, window_hours: int
) -> Reminder:
    """The .ics for a signed report's recheck: one event at the window's start, one alarm."""
    from icalendar import Alarm, Calendar, Event

    deadline = report_doc.get("report", {}).get("deadline")
    answers = report_doc.get("answers", {})
    if not isinstance(deadline, dt.datetime) or deadline.tzinfo is None:
        raise InputError.single(str(report_path), "report.deadline", "missing or has no offset")
    departure = departure_of(answers)
    if departure is None:
        raise InputError.single(str(report_path), "answers.trip.departure", "missing")
    hours = round((departure - deadline).total_seconds() / 3600)
    zone = departure_zone(answers)
    deadline = deadline.astimezone(zone)
    opens = (deadline.astimezone(dt.UTC) - dt.timedelta(hours=window_hours)).astimezone(zone)
    start = _calendar_time(opens, zone)
    trip = str(answers.get("trip", {}).get("name", "your trip"))
    command = f"readiness recheck {shlex.quote(str(report_path.resolve()))}"
    digest = str(report_doc.get("signoff", {}).get("digest", ""))
    due = f"due by {format_moment(deadline)}, {hours} hours before you leave"

    calendar = Calendar()
    calendar.add("prodid", "-//readiness//pre-departure recheck//EN")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", hashlib.sha256(digest.encode()).hexdigest()[:32] + "@readiness")
    event.add("dtstamp", now.astimezone(dt.UTC))
    event.add("dtstart", start)
    event.add("dtend", start + EVENT_LENGTH)
    event.add("summary", f"Recheck devices for {trip}")
    opening = f"The rerun window opens now, {window_hours} hours before that. "
    event.add(
        "description",
        f"The pre-departure steps are {due}. {opening if window_hours else ''}"
        f"Rerun the checks:\n\n{command}",
    )
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"Recheck devices for {trip}, {due}: {command}")
    alarm.add("trigger", -ALARM_BEFORE)
    event.add_component(alarm)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return Reminder(bytes(calendar.to_ical()), opens, deadline)
