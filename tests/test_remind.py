"""`readiness remind`: an .ics a calendar reads at the same instant everywhere."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner, Result
from icalendar import Calendar

from readiness.cli import cli

EXAMPLE = Path(__file__).parent.parent / "examples" / "answers.toml"
# The example departs Thu 3 Dec 2026 09:30 in Asia/Singapore (+08) = 01:30 UTC; the
# deadline is 48 h before (Tue 1 Dec 01:30 UTC); the rerun window opens 24 h before that.
DEADLINE = dt.datetime(2026, 12, 1, 1, 30, tzinfo=dt.UTC)
OPENS = dt.datetime(2026, 11, 30, 1, 30, tzinfo=dt.UTC)
SIGNED = "2026-11-25T12:00:00Z"


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def signed(answers_text: str, tmp_path: Path, name: str = "trip.toml") -> Path:
    answers = tmp_path / "answers.toml"
    answers.write_text(answers_text, encoding="utf-8")
    report = tmp_path / name
    made = invoke("check", "--answers", answers, "--no-input", "--now", SIGNED, "--report", report)
    assert made.exit_code in (0, 1), made.output
    return report


@pytest.fixture
def zoned(tmp_path: Path) -> Path:
    return signed(EXAMPLE.read_text(encoding="utf-8"), tmp_path)


@pytest.fixture
def offset_only(tmp_path: Path) -> Path:
    """Departing Thu 10 Dec 2026 09:00 at UTC-08:00, no zone name: 17:00 UTC."""
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("departure = 2026-12-03T09:30:00 ", "departure = 2026-12-10T09:00:00-08:00")
    text = re.sub(r'timezone = "Asia/Singapore".*\n', "", text)
    return signed(text, tmp_path, "offset.toml")


def event_of(ics: bytes) -> tuple[Calendar, dict[str, object]]:
    calendar = Calendar.from_ical(ics)
    return calendar, calendar.walk("VEVENT")[0]


def every_tzid_has_a_vtimezone(ics: bytes) -> None:
    text = ics.decode("utf-8")
    used = set(re.findall(r";TZID=\"?([^\":;]+)\"?[:;]", text))
    defined = set(re.findall(r"^TZID:(.+?)\r?$", text, flags=re.MULTILINE))
    assert used <= defined, (used, defined)


def test_an_iana_zone_departure_is_at_the_window_start_in_its_own_zone(zoned: Path) -> None:
    result = invoke("remind", zoned, "--now", SIGNED)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout.splitlines() == [
        f"Reminder written to {zoned.with_suffix('.ics')}: Mon 30 Nov 2026 09:30 +08, when the "
        "rerun window opens (the deadline is Tue 1 Dec 2026 09:30 +08), with an alarm 2 h "
        "before. Open it with your calendar."
    ]
    ics = zoned.with_suffix(".ics").read_bytes()
    every_tzid_has_a_vtimezone(ics)
    _, event = event_of(ics)
    start = event.decoded("dtstart")  # type: ignore[attr-defined]
    assert start.astimezone(dt.UTC) == OPENS
    assert str(start.tzinfo) == "Asia/Singapore"
    assert event.decoded("dtend") - start == dt.timedelta(minutes=30)  # type: ignore[attr-defined]
    assert event["summary"] == "Recheck devices for Singapore and Tokyo"
    assert str(event["description"]) == (
        "The pre-departure steps are due by Tue 1 Dec 2026 09:30 +08, 48 hours before you "
        "leave. The rerun window opens now, 24 hours before that. Rerun the checks:\n\n"
        f"readiness recheck {zoned.resolve()}"
    )
    alarm = event.walk("VALARM")[0]  # type: ignore[attr-defined]
    assert alarm.decoded("trigger") == -dt.timedelta(hours=2)
    assert str(alarm["description"]) == (
        "Recheck devices for Singapore and Tokyo, due by Tue 1 Dec 2026 09:30 +08, 48 hours "
        f"before you leave: readiness recheck {zoned.resolve()}"
    )


def test_an_offset_only_departure_is_written_in_utc(offset_only: Path) -> None:
    result = invoke("remind", offset_only, "--now", SIGNED)
    assert result.exit_code == 0, result.output
    ics = offset_only.with_suffix(".ics").read_bytes()
    text = ics.decode("utf-8")
    assert "TZID" not in text  # a bare TZID="UTC-08:00" would be read as floating time
    assert "DTSTART:20261207T170000Z" in text.splitlines()
    _, event = event_of(ics)
    start = event.decoded("dtstart")  # type: ignore[attr-defined]
    # Deadline Tue 8 Dec 09:00 -08 = 17:00 UTC; the window opens 24 h before.
    assert start == dt.datetime(2026, 12, 7, 17, 0, tzinfo=dt.UTC)
    assert start.utcoffset() == dt.timedelta(0)
    # Read in Tokyo it is the same instant: 02:00 on the 8th, not 09:00 on the 7th.
    assert start.astimezone(ZoneInfo("Asia/Tokyo")).hour == 2
    assert "due by Tue 8 Dec 2026 09:00 -08, 48 hours before you leave" in str(event["description"])
    assert result.stdout.splitlines() == [
        f"Reminder written to {offset_only.with_suffix('.ics')}: Mon 7 Dec 2026 09:00 -08, "
        "when the rerun window opens (the deadline is Tue 8 Dec 2026 09:00 -08), with an alarm "
        "2 h before. Open it with your calendar."
    ]


def test_a_passed_deadline_is_warned_about_and_still_written(zoned: Path) -> None:
    result = invoke("remind", zoned, "--now", "2026-12-02T00:00:00Z")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "Warning: the pre-departure deadline (Tue 1 Dec 2026 09:30 +08) has passed; the "
        "reminder is in the past."
    ]
    assert zoned.with_suffix(".ics").exists()


def test_an_open_window_says_to_recheck_now(zoned: Path) -> None:
    result = invoke("remind", zoned, "--now", "2026-11-30T12:00:00Z")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "Note: the rerun window opened at Mon 30 Nov 2026 09:30 +08; recheck now, before "
        "Tue 1 Dec 2026 09:30 +08."
    ]


def test_dash_writes_the_ics_to_standard_output_and_nothing_else(
    zoned: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("remind", zoned, "-o", "-", "--now", SIGNED)
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "-").exists()
    assert not zoned.with_suffix(".ics").exists()
    assert result.stdout_bytes.startswith(b"BEGIN:VCALENDAR\r\n")  # the bytes as written
    assert result.stdout_bytes.endswith(b"END:VCALENDAR\r\n")
    _, event = event_of(result.stdout_bytes)
    assert event.decoded("dtstart").astimezone(dt.UTC) == OPENS  # type: ignore[attr-defined]
    late = invoke("remind", zoned, "-o", "-", "--now", "2026-12-02T00:00:00Z")
    assert late.stdout_bytes.startswith(b"BEGIN:VCALENDAR\r\n")
    assert late.stderr.startswith("Warning: the pre-departure deadline")


def test_an_existing_ics_is_kept_unless_forced(zoned: Path) -> None:
    assert invoke("remind", zoned, "--now", SIGNED).exit_code == 0
    again = invoke("remind", zoned, "--now", SIGNED)
    assert again.exit_code == 2
    assert "already exists" in again.stderr
    assert invoke("remind", zoned, "--now", SIGNED, "--force").exit_code == 0
