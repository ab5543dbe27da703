"""`readiness recheck` and `verify --previous`."""

from __future__ import annotations

import datetime as dt
import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from readiness import report
from readiness.cli import cli

EXAMPLE = Path(__file__).parent.parent / "examples" / "answers.toml"
# The example departs 2026-12-03 09:30 in Asia/Singapore (UTC+8) = 01:30 UTC.
DEPARTURE = dt.datetime(2026, 12, 3, 1, 30, tzinfo=dt.UTC)


def at(hours_before_departure: float) -> str:
    return (DEPARTURE - dt.timedelta(hours=hours_before_departure)).isoformat()


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A signed report made 100 hours before departure, with the iPad at 12 %."""
    monkeypatch.chdir(tmp_path)
    answers = tmp_path / "answers.toml"
    answers.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace("battery = 64", "battery = 12"),
        encoding="utf-8",
    )
    result = invoke(
        "check", "--answers", str(answers), "--no-input", "--now", at(100), "--report", "first.toml"
    )
    assert result.exit_code == 1, result.output
    return Path("first.toml")


def overlay(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "changes.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_recheck_that_fixes_the_battery_lists_only_that_change(first: Path, tmp_path: Path):
    changes = overlay(tmp_path, '[[devices]]\nlabel = "Ada\'s iPad"\nbattery = 70\n')
    result = invoke(
        "recheck",
        str(first),
        "--answers",
        str(changes),
        "--no-input",
        "--now",
        at(60),
        "--report",
        "second.toml",
    )
    assert result.exit_code == 0, result.output
    changed = result.output.split("\n\n")[0].splitlines()
    assert changed == ["Changed since the last report", "  battery  Ada's iPad  fail -> pass"]
    second = tomllib.loads((tmp_path / "second.toml").read_text(encoding="utf-8"))
    devices = {d["label"]: d for d in second["answers"]["devices"]}
    assert devices["Ada's iPad"]["battery"] == 70
    assert devices["Ada's iPhone"]["battery"] == 80  # untouched answers carried over


def test_new_and_resolved_failures_come_first(first: Path, tmp_path: Path):
    changes = overlay(
        tmp_path,
        '[[devices]]\nlabel = "Ada\'s iPad"\nbattery = 70\n'
        '[[devices]]\nlabel = "Ada\'s Watch"\nbattery = 5\n'
        "[checklist]\nairplane_schedule = false\n",
    )
    result = invoke(
        "recheck",
        str(first),
        "--answers",
        str(changes),
        "--no-input",
        "--now",
        at(60),
        "--report",
        "second.toml",
    )
    lines = result.output.split("\n\n")[0].splitlines()[1:]
    assert [line.split()[0] for line in lines] == ["battery", "battery", "airplane-schedule"]
    assert "pass -> fail" in lines[0]
    assert "Ada's Watch" in lines[0]
    assert "fail -> pass" in lines[1]
    assert lines[2].endswith("pass -> warn")


def test_a_new_label_adds_a_device(first: Path, tmp_path: Path):
    changes = overlay(
        tmp_path,
        '[[devices]]\nlabel = "Spare phone"\nmodel = "Google Pixel 9"\n'
        'os_version = "Android 16"\nimei = "490154203237518"\n'
        "battery = 90\nroaming_authorized = true\nwifi_calling = true\n",
    )
    result = invoke(
        "recheck",
        str(first),
        "--answers",
        str(changes),
        "--no-input",
        "--now",
        at(60),
        "--report",
        "second.toml",
    )
    lines = result.output.split("\n\n")[0].splitlines()
    assert any(
        line.split() == ["battery", "Spare", "phone", "new", "->", "pass"] for line in lines
    ), lines


def test_a_report_edited_after_sign_off_is_refused_without_force(first: Path, tmp_path: Path):
    text = first.read_text(encoding="utf-8").replace("battery = 80", "battery = 81")
    first.write_text(text, encoding="utf-8")
    refused = invoke("recheck", str(first), "--no-input", "--now", at(60))
    assert refused.exit_code == 1
    fingerprint = report.load(first).signoff.fingerprint
    assert refused.output.strip() == (
        f"error: {first.name}: changed after sign-off: answers.devices (key {fingerprint}); "
        "only a report that verifies as trusted is used; use --force to go on anyway"
    )
    assert not list(tmp_path.glob("*recheck*"))
    forced = invoke("recheck", str(first), "--no-input", "--now", at(60), "--force")
    assert forced.exit_code == 1  # the iPad battery still fails
    assert list(tmp_path.glob("first-recheck-*.toml"))


def _forge_signer(first: Path, traveler: bool = True) -> None:
    """An edit of ``signoff.by`` to a name with a terminal escape (and perhaps no traveller)."""
    text = first.read_text(encoding="utf-8")
    assert 'by = "Ada Lovelace"' in text
    text = text.replace('by = "Ada Lovelace"', 'by = "Mallory\\u001b]0;x\\u0007"')
    if not traveler:
        assert '[answers.traveler]\nname = "Ada Lovelace"\n' in text
        text = text.replace('[answers.traveler]\nname = "Ada Lovelace"\n', "")
    first.write_text(text, encoding="utf-8")


def test_a_forced_recheck_never_signs_as_a_signer_name_with_control_characters(
    first: Path, tmp_path: Path
):
    _forge_signer(first)
    forced = invoke(
        "recheck", str(first), "--no-input", "--now", at(60), "--force", "--report", "2.toml"
    )
    assert forced.exit_code == 1, forced.output  # the iPad battery still fails
    assert "Report written to 2.toml (signed by Ada Lovelace)." in forced.output
    assert report.load(tmp_path / "2.toml").signoff.by == "Ada Lovelace"


def test_a_forced_recheck_with_no_name_to_sign_as_asks_for_signer(first: Path, tmp_path: Path):
    _forge_signer(first, traveler=False)
    forced = invoke(
        "recheck", str(first), "--no-input", "--now", at(60), "--force", "--report", "2.toml"
    )
    assert forced.exit_code == 2, forced.output
    assert forced.output.splitlines()[-1] == (
        f"error: {first}: signoff.by: not a name on one line, and no traveler.name to sign "
        "the new report as; give --signer NAME"
    )
    assert not (tmp_path / "2.toml").exists()
    signed = invoke(
        "recheck", str(first), "--no-input", "--now", at(60), "--force", "--report", "2.toml",
        "--signer", "Ada L.",
    )  # fmt: skip
    assert signed.exit_code == 1, signed.output
    assert report.load(tmp_path / "2.toml").signoff.by == "Ada L."


def test_a_report_signed_elsewhere_is_refused_unless_its_signer_is_trusted(
    first: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    exported = tmp_path / "ada.pub"
    assert invoke("key", "--name", "Ada Lovelace", "-o", str(exported)).exit_code == 0
    monkeypatch.setenv("READINESS_HOME", str(tmp_path / "another-machine"))
    refused = invoke("recheck", str(first), "--no-input", "--now", at(60))
    assert refused.exit_code == 1
    assert "with a key no one listed" in refused.stderr
    assert "use --force to go on anyway" in refused.stderr
    assert not list(tmp_path.glob("*recheck*"))
    trusted = invoke(
        "recheck", str(first), "--no-input", "--now", at(60), "--allowed-signers", str(exported)
    )
    assert trusted.exit_code == 1, trusted.output  # the iPad battery still fails
    assert list(tmp_path.glob("first-recheck-*.toml"))


def test_the_default_name_shows_it_is_a_recheck_and_never_overwrites(first: Path):
    one = invoke("recheck", str(first), "--no-input", "--now", "2026-11-30T12:00:00Z")
    assert "Report written to first-recheck-20261130T1200.toml" in one.output
    again = invoke("recheck", str(first), "--no-input", "--now", "2026-11-30T12:00:00Z")
    assert again.exit_code == 2
    assert "first-recheck-20261130T1200.toml: already exists" in again.output
    of_recheck = invoke(
        "recheck", "first-recheck-20261130T1200.toml", "--no-input", "--now", "2026-12-01T12:00:00Z"
    )
    assert "Report written to first-recheck-20261201T1200.toml" in of_recheck.output


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        (
            100,
            [
                "Pre-departure deadline: Tue 1 Dec 2026 09:30 +08, 52 h from now (2 days 4 h).",
                "The 48-hour rerun is due between Mon 30 Nov 2026 09:30 +08 and "
                "Tue 1 Dec 2026 09:30 +08.",
            ],
        ),
        (48, ["Pre-departure deadline: Tue 1 Dec 2026 09:30 +08, 0 min from now."]),
        (
            47,
            [
                "Late: the pre-departure deadline was Tue 1 Dec 2026 09:30 +08, 1 h 00 min ago; "
                "departure is in 1 day 23 h."
            ],
        ),
        (-2, ["Departure (Thu 3 Dec 2026 09:30 +08) was 2 h 00 min ago."]),
    ],
)
def test_timing_is_said_plainly(first: Path, hours: float, expected: list[str]):
    result = invoke(
        "recheck", str(first), "--no-input", "--now", at(hours), "--report", f"r{hours}.toml"
    )
    timing = [
        line
        for line in result.output.splitlines()
        if line.startswith(("Pre-departure", "The 48-hour", "Late:", "Departure ("))
    ]
    assert timing == expected
    status = {100: "✓", 48: "✓", 47: "!", -2: "✗"}[int(hours)]
    assert f"  {status} departure-window  " in result.output


def test_a_departure_in_another_time_zone_than_the_machine(
    first: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    changes = overlay(
        tmp_path, '[trip]\ndeparture = 2026-12-03T09:30:00\ntimezone = "Europe/Lisbon"\n'
    )
    result = invoke(
        "recheck",
        str(first),
        "--answers",
        str(changes),
        "--no-input",
        "--now",
        "2026-11-30T12:00:00Z",
        "--report",
        "lisbon.toml",
    )
    deadline = "Pre-departure deadline: Tue 1 Dec 2026 09:30 +00, 21 h 30 min from now."
    assert deadline in result.output
    report = tomllib.loads((tmp_path / "lisbon.toml").read_text(encoding="utf-8"))
    assert report["report"]["deadline"] == dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)


def test_verify_checks_the_chain(first: Path, tmp_path: Path):
    invoke("recheck", str(first), "--no-input", "--now", at(60), "--report", "second.toml")
    chained = invoke("verify", "second.toml", "--previous", str(first))
    assert chained.exit_code == 0, chained.output
    assert "second.toml rechecks first.toml (the chain holds)." in chained.output
    second = tomllib.loads((tmp_path / "second.toml").read_text(encoding="utf-8"))
    original = tomllib.loads(first.read_text(encoding="utf-8"))
    assert second["signoff"]["previous"] == original["signoff"]["digest"]

    other = tmp_path / "other.toml"
    shutil.copy(tmp_path / "second.toml", other)
    unrelated = invoke("verify", str(first), "--previous", str(other))
    assert unrelated.exit_code == 1
    assert "first.toml: chains to no earlier report, not to" in unrelated.output


def test_check_and_recheck_wrap_at_a_terminal_width_and_not_when_piped(
    first: Path, monkeypatch: pytest.MonkeyPatch
):
    from readiness.cli import check as check_cli
    from readiness.render.style import Style, display_width

    def run(width: int | None, command: str, report_name: str) -> list[str]:
        monkeypatch.setattr(check_cli, "styler", lambda: Style(width=width))
        args = [str(first)] if command == "recheck" else ["--answers", str(EXAMPLE)]
        result = invoke(command, *args, "--no-input", "--now", at(60), "--report", report_name)
        assert result.exit_code in (0, 1), result.output
        return result.output.split("\nReport written to ")[0].splitlines()

    for command in ("check", "recheck"):
        piped = run(None, command, f"{command}-piped.toml")
        narrow = run(60, command, f"{command}-narrow.toml")
        timing = [line for line in piped if "hours" in line or "deadline" in line.lower()]
        assert any(display_width(line) > 60 for line in timing), timing  # so wrapping shows
        assert all(display_width(line) <= 60 for line in narrow), narrow
        assert " ".join(" ".join(piped).split()) == " ".join(" ".join(narrow).split())
