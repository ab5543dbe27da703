"""Every sentence about the deadline is computed from the data file, never typed in.

A data file whose pre-departure steps are due 72 hours ahead: `check`, `recheck`,
`show`, `guide` and `remind` all speak of 72 hours and never of 48.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from icalendar import Calendar

from readiness import knowledge as knowledge_mod
from readiness.cli import cli

EXAMPLE = Path(__file__).parent.parent / "examples" / "answers.toml"
# The example departs 2026-12-03 09:30 in Asia/Singapore (UTC+8) = 01:30 UTC.
DEPARTURE = dt.datetime(2026, 12, 3, 1, 30, tzinfo=dt.UTC)
# "48" as a number of its own: not inside an IMEI, a digest or a time such as 09:48.
FORTY_EIGHT = re.compile(r"(?<![\w:.])48(?![\w:])")


def at(hours_before_departure: float) -> str:
    return (DEPARTURE - dt.timedelta(hours=hours_before_departure)).isoformat()


def run(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == code, result.output
    return result.output


@pytest.fixture
def data(tmp_path: Path) -> Path:
    text = knowledge_mod.default_data_path().read_text(encoding="utf-8")
    assert text.count("predeparture_hours = 48") == 1
    path = tmp_path / "data72.toml"
    path.write_text(text.replace("predeparture_hours = 48", "predeparture_hours = 72"), "utf-8")
    return path


@pytest.fixture
def report(tmp_path: Path, data: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    run(
        "check",
        "--answers",
        str(EXAMPLE),
        "--no-input",
        "--data",
        str(data),
        "--now",
        at(200),
        "--report",
        "first.toml",
    )
    return tmp_path / "first.toml"


def speaks_of_72_not_48(output: str, *phrases: str) -> None:
    for phrase in phrases:
        assert phrase in output, output
    assert not FORTY_EIGHT.search(output), output


def test_check_speaks_of_72_hours(tmp_path: Path, data: Path) -> None:
    output = run(
        "check",
        "--answers",
        str(EXAMPLE),
        "--no-input",
        "--data",
        str(data),
        "--now",
        at(200),
        "--report",
        str(tmp_path / "r.toml"),
    )
    speaks_of_72_not_48(
        output,
        "Pre-departure deadline: Mon 30 Nov 2026 09:30 +08",
        "The 72-hour rerun is due between Sun 29 Nov 2026 09:30 +08 and Mon 30 Nov 2026 09:30 +08.",
    )


def test_a_late_check_says_72_in_its_warning_and_fix(tmp_path: Path, data: Path) -> None:
    output = run(
        "check",
        "--answers",
        str(EXAMPLE),
        "--no-input",
        "--data",
        str(data),
        "--now",
        at(60),
        "--report",
        str(tmp_path / "r.toml"),
    )
    speaks_of_72_not_48(output, "inside the 72 hours", "at least 72 hours before you leave")


def test_recheck_speaks_of_72_hours(report: Path, data: Path) -> None:
    output = run(
        "recheck", str(report), "--no-input", "--data", str(data), "--now", at(150), "--force"
    )
    speaks_of_72_not_48(output, "The 72-hour rerun is due between")


@pytest.mark.parametrize("output_format", ["text", "markdown"])
def test_show_speaks_of_72_hours(report: Path, data: Path, output_format: str) -> None:
    output = run(
        "show", str(report), "--data", str(data), "--now", at(200), "--format", output_format
    )
    speaks_of_72_not_48(output, "The 72-hour rerun is due between")


@pytest.mark.parametrize("output_format", ["text", "markdown"])
def test_guide_speaks_of_72_hours(report: Path, data: Path, output_format: str) -> None:
    output = run(
        "guide", str(report), "--data", str(data), "--now", at(200), "--format", output_format
    )
    speaks_of_72_not_48(output, "Then, 72 hours before departure (Mon 30 Nov 2026 09:30 +08)")


def test_remind_speaks_of_72_hours(report: Path, data: Path) -> None:
    output = run("remind", str(report), "--data", str(data), "--now", at(200))
    speaks_of_72_not_48(output, "(the deadline is Mon 30 Nov 2026 09:30 +08)")
    calendar = Calendar.from_ical(report.with_suffix(".ics").read_bytes())
    event = calendar.walk("VEVENT")[0]
    # At the start of the data file's rerun window, before the 72-hour deadline.
    window = dt.timedelta(hours=knowledge_mod.load(data).recheck_window_hours)
    start = DEPARTURE - dt.timedelta(hours=72) - window
    assert event.decoded("dtstart").astimezone(dt.UTC) == start
    alarm = event.walk("VALARM")[0]
    words = [str(calendar["prodid"]), str(event["description"]), str(alarm["description"])]
    speaks_of_72_not_48(
        "\n".join(words),
        "The pre-departure steps are due by Mon 30 Nov 2026 09:30 +08, 72 hours before you leave.",
        "due by Mon 30 Nov 2026 09:30 +08, 72 hours before you leave",
    )


def test_help_texts_name_no_number_of_hours() -> None:
    for command in ("check", "recheck", "show", "guide", "remind"):
        assert not FORTY_EIGHT.search(run(command, "--help")), command
    assert not FORTY_EIGHT.search(run("--help"))


def test_the_source_holds_no_deadline_of_48() -> None:
    """No sentence in the code names the shipped number; only the data file does."""
    package = Path(__file__).parent.parent / "readiness"
    found = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted(package.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if FORTY_EIGHT.search(line)
    ]
    assert found == []
