"""A calendar reminder for the pre-departure recheck, as an iCalendar (.ics) file.

The event starts at the pre-departure deadline in the departure's own time
zone, so it lands at the right moment wherever the calendar is opened. How many
hours before departure that is comes from the report's deadline, which the data
file set: the reminder says what the report says.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shlex
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from readiness.errors import InputError

ALARM_BEFORE = dt.timedelta(hours=2)


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


def reminder(report_doc: Mapping[str, Any], report_path: Path, now: dt.datetime) -> bytes:
    """The .ics bytes for a signed report's recheck: one event with one alarm."""
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
    start = deadline.astimezone(zone)
    trip = str(answers.get("trip", {}).get("name", "your trip"))
    command = f"readiness recheck {shlex.quote(str(report_path.resolve()))}"
    digest = str(report_doc.get("signoff", {}).get("digest", ""))

    calendar = Calendar()
    calendar.add("prodid", "-//readiness//pre-departure recheck//EN")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", hashlib.sha256(digest.encode()).hexdigest()[:32] + "@readiness")
    event.add("dtstamp", now.astimezone(dt.UTC))
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(minutes=30))
    event.add("summary", f"Recheck devices for {trip}")
    event.add(
        "description",
        f"The pre-departure steps are due now, {hours} hours before you leave. "
        f"Rerun the checks:\n\n{command}",
    )
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add(
        "description", f"Recheck devices for {trip}, due {hours} hours before you leave: {command}"
    )
    alarm.add("trigger", -ALARM_BEFORE)
    event.add_component(alarm)
    calendar.add_component(event)
    if isinstance(zone, ZoneInfo):
        calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
