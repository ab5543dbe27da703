"""`readiness guide`, `troubleshoot` and `show` through click's test runner."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
import tomli_w
from click.testing import CliRunner, Result

from readiness.cli import cli
from readiness.prompts.asker import Asker

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "answers.toml"
FIXTURES = Path(__file__).parent / "fixtures"
SOLO = FIXTURES / "solo.toml"
MIXED = FIXTURES / "guide" / "mixed.toml"
SHIPPED_DATA = ROOT / "data" / "compatibility.toml"
NOW = "2026-11-30T12:00:00Z"


def invoke(*args: str | Path, asker: Asker | None = None) -> Result:
    obj = {"asker": asker} if asker is not None else None
    result = CliRunner().invoke(cli, [str(a) for a in args], obj=obj)
    assert "Traceback" not in result.output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), result.exception
    return result


def signed_report(answers: Path, report: Path) -> Path:
    done = invoke("check", "--answers", answers, "--no-input", "--now", NOW, "--report", report)
    assert done.exit_code in (0, 1), done.output
    return report


@pytest.fixture
def example_report(tmp_path: Path) -> Path:
    return signed_report(EXAMPLE, tmp_path / "example.toml")


def headings(text: str) -> list[str]:
    return [line for line in text.splitlines() if re.match(r"^\d+\. ", line)]


# --- guide ---------------------------------------------------------------------------------


def test_guide_from_a_report_orders_the_apple_family(example_report: Path) -> None:
    result = invoke("guide", example_report, "--now", NOW)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "Setup plan: Singapore and Tokyo (Ada Lovelace)",
        "4 devices, set up in this order. The steps are the guide's.",
        "3 device priorities differ from the one suggested under Data routing.",
    ]
    assert headings(result.stdout) == [
        "1. Ada's iPhone: the primary device (phone, iPhone 16 Pro)",
        "2. Ada's iPad (tablet, iPad Pro 11-inch (M4))",
        "3. Ada's Watch (watch, Apple Watch Series 10), pairs with Ada's iPhone",
        "4. Ada's MacBook (laptop, MacBook Air 13-inch (M4))",
        "5. Data routing",
    ]
    assert '     3. Choose "Set Up Multi-Device Profile".' in lines
    assert (
        "     4. On an iPhone the guide has that choice arrive with iOS 19, which Apple released "
        "as iOS 26: update to the latest iOS first if it is missing."
    ) in lines
    assert "     ✓ Ada's iPhone   Primary                 Navigation: Primary on a phone" in lines
    assert (
        "     ! Ada's iPad     Standard -> Primary     "
        "Video calls, 1 h a day: Primary on a tablet or laptop"
    ) in lines
    checklist = lines.index("Checklist before setup")
    assert lines[checklist + 1] == (
        "  ✓ Every device runs the latest OS, at least the guide's minimum for its system."
    )
    assert checklist < lines.index("1. Ada's iPhone: the primary device (phone, iPhone 16 Pro)")
    table = lines.index("   The guide's activity table")
    assert lines[table + 1 : table + 7] == [
        "     Email and messaging  50-100 MB a day   phone or watch                Standard",
        "     Web browsing         200-500 MB a day  phone or tablet               Standard",
        "     Video calls          1-2 GB an hour    tablet or laptop              Primary",
        "     Streaming video      3-7 GB an hour    tablet or laptop              "
        "Background with limits",
        "     Navigation           50-150 MB a day   phone                         Primary",
        "     Software updates     varies widely     any device (Wi-Fi preferred)  Background",
    ]
    assert lines[table + 8] == (
        "     Assumed: a device's suggested priority is the highest among its planned "
        "activities the table recommends for its kind."
    )
    assert sum(line.count("Assumed: ") for line in lines) == 1
    habits = lines.index("Staying current")
    assert lines[habits - 8 : habits + 6] == [
        "Before departure (by Tue 1 Dec 2026 09:30 +08)",
        "  ✓ The plan covers every destination.",
        "  ✓ Offline maps are downloaded on the primary navigation device.",
        "  ✓ International roaming is pre-authorised on every device.",
        "  ✓ Each device prefers the right network type for each destination.",
        "  ✓ Airplane-mode schedules are set when the trip crosses time zones.",
        "  ✓ Wi-Fi Calling is on for every capable device, as a fallback.",
        "",
        "Staying current",
        "  - Turn on automatic profile updates on every device.",
        "  - Subscribe to the provider's service announcements.",
        "  - Review the device priorities now and then, as the way you use the devices changes.",
        "  - Replace devices that lack full multi-device support when their replacement cycle "
        "comes round.",
        "",
    ]
    assert "Apple-centric" not in result.stdout
    assert lines[-2:] == [
        f"Then, 48 hours before departure (Tue 1 Dec 2026 09:30 +08), "
        f"run `readiness recheck {example_report}`.",
        "On the road, `readiness troubleshoot` lists what to try when something stops working.",
    ]
    assert result.stderr == ""


def test_guide_from_answers_lists_what_to_fix_first(tmp_path: Path) -> None:
    result = invoke("guide", "--answers", MIXED, "--now", NOW)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1] == (
        "5 devices. Not ready yet: fix what is listed under 'Fix before you start', "
        "then set the devices up in this order."
    )
    fix = lines.index("Fix before you start")
    assert lines[fix + 1 : fix + 4] == [
        "  Work ThinkPad",
        "    ✗ battery  Battery at 12 %; setup needs at least 20 %.",
        "               → Charge the device to at least 20 % before provisioning.",
    ]
    assert fix < lines.index("1. Sam's Pixel: the primary device (phone, Google Pixel 9)")
    assert headings(result.stdout) == [
        "1. Sam's Pixel: the primary device (phone, Google Pixel 9)",
        "2. Kim's Galaxy (phone, Samsung Galaxy S24)",
        "3. Kim's Galaxy Watch (watch, Samsung Galaxy Watch7), pairs with Sam's Pixel",
        "4. Sam's Apple Watch (watch, Apple Watch Series 10)",
        "5. Work ThinkPad (laptop, Lenovo ThinkPad X13s 5G)",
        "6. Data routing",
    ]
    assert (
        "     ! Work ThinkPad       Background -> Primary  "
        "Video calls, 2 h a day: Primary on a tablet or laptop"
    ) in lines
    assert lines[lines.index("1. Sam's Pixel: the primary device (phone, Google Pixel 9)") + 1] == (
        "   Note: The guide writes its setup steps for an Apple-centric setup (iPhone, iPad, "
        "Apple Watch, MacBook); they vary by ecosystem, so menu names on this primary device "
        "may differ."
    )
    assert "iOS 19" not in result.stdout
    assert "  ✗ Every device has enough battery during setup." in lines
    assert lines[-2] == (
        "Then, 48 hours before departure (Thu 3 Dec 2026 07:00 +01), "
        f"run `readiness check --answers {MIXED}`."
    )


def test_guide_for_one_phone_alone(tmp_path: Path) -> None:
    report = signed_report(SOLO, tmp_path / "solo.toml")
    result = invoke("guide", report, "--now", NOW)
    assert result.exit_code == 0, result.output
    assert headings(result.stdout) == [
        "1. Grace's Pixel: the primary device (phone, Google Pixel 9)",
    ]
    assert (
        "   Note: One device alone, so the plan leaves out the data routing between devices."
        in result.stdout.splitlines()
    )
    assert "Data routing" not in result.stdout


def test_guide_markdown_is_a_plan_to_print(example_report: Path) -> None:
    result = invoke("guide", example_report, "--format", "markdown", "--now", NOW)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith(
        "# Setup plan: Singapore and Tokyo\n\n**Traveller:** Ada Lovelace  \n"
        "**Verdict:** ready, with warnings  \n"
        "**Pre-departure deadline:** Tue 1 Dec 2026 09:30 +08\n"
    )
    assert [line for line in text.splitlines() if line.startswith("## ")] == [
        "## Checklist before setup",
        "## 1. Ada's iPhone: the primary device (phone, iPhone 16 Pro)",
        "## 2. Ada's iPad (tablet, iPad Pro 11-inch (M4))",
        "## 3. Ada's Watch (watch, Apple Watch Series 10), pairs with Ada's iPhone",
        "## 4. Ada's MacBook (laptop, MacBook Air 13-inch (M4))",
        "## 5. Data routing",
        "## Before departure (by Tue 1 Dec 2026 09:30 +08)",
        "## Staying current",
    ]
    assert "- ✓ Every device has enough battery during setup." in text
    assert "| Streaming video | 3-7 GB an hour | tablet or laptop | Background with limits |" in (
        text
    )
    assert "- Subscribe to the provider's service announcements." in text
    assert (
        "| Ada's iPad | Standard | **Primary** (differs) | Video calls, 1 h a day: Primary on "
        "a tablet or laptop Streaming video, 0.5 h a day, runs at Background with limits in "
        "the guide's table: set a data warning and a limit for this device. |"
    ) in text
    assert "1. Open Settings, then Cellular (Mobile Data on some devices).\n" in text
    assert f"run `readiness recheck {example_report}`." in text


def test_guide_json_for_scripts(example_report: Path) -> None:
    result = invoke("guide", example_report, "--format", "json", "--now", NOW)
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert plan["verdict"] == "ready-with-warnings"
    assert plan["deadline"] == "2026-12-01T09:30:00+08:00"
    assert [(s["label"], s["role"]) for s in plan["sections"]] == [
        ("Ada's iPhone", "primary"),
        ("Ada's iPad", "secondary"),
        ("Ada's Watch", "secondary"),
        ("Ada's MacBook", "secondary"),
        ("", "plan"),
    ]
    watch = plan["sections"][2]
    assert watch["pairs_with"] == "Ada's iPhone"
    assert [p["id"] for p in watch["procedures"]] == ["watch", "data-saving"]
    assert watch["procedures"][0]["steps"][2] == {
        "ref": "watch.3",
        "text": 'Choose "Share Plan with Watch".',
    }
    ipad = plan["priorities"][1]
    assert (ipad["answered"], ipad["recommended"], ipad["mismatch"]) == (
        "standard",
        "primary",
        True,
    )
    assert len(plan["mismatches"]) == 3
    assert plan["setup_checklist"][5] == {
        "text": "Every device has enough battery during setup.",
        "check": "battery",
        "status": "pass",
    }
    assert len(plan["predeparture"]) == 6
    assert len(plan["habits"]) == 4
    assert plan["assumptions"][0].startswith("Assumed: a device's suggested priority")


@pytest.mark.parametrize(
    "args", [[], ["REPORT.toml", "--answers", "answers.toml"]], ids=["neither", "both"]
)
def test_guide_needs_a_report_or_answers(args: list[str]) -> None:
    result = invoke("guide", *args)
    assert result.exit_code == 2
    assert "give a REPORT or --answers FILE (one of them)" in result.stderr


def test_guide_refuses_a_data_file_missing_a_procedure(tmp_path: Path) -> None:
    text = SHIPPED_DATA.read_text(encoding="utf-8")
    start = text.index("[setup_procedures.macbook]\n")
    end = text.index("\n[", start + 1)
    data = tmp_path / "data.toml"
    data.write_text(text[:start] + text[end + 1 :], encoding="utf-8")
    result = invoke("guide", "--answers", EXAMPLE, "--data", data, "--now", NOW)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"error: {data}: setup_procedures.macbook: missing"]


def test_guide_notes_a_report_changed_after_sign_off(example_report: Path) -> None:
    doc = tomllib.loads(example_report.read_text(encoding="utf-8"))
    doc["answers"]["devices"][1]["priority"] = "background"
    example_report.write_bytes(tomli_w.dumps(doc).encode("utf-8"))
    fingerprint = tomllib.loads(example_report.read_text("utf-8"))["signoff"]["fingerprint"]
    said = f"{example_report}: changed after sign-off: answers.devices (key {fingerprint})"
    refused = invoke("guide", example_report, "--now", NOW)
    assert refused.exit_code == 1
    assert refused.stderr.splitlines() == [
        f"error: {said}; only a report that verifies as trusted is used; "
        "use --force to go on anyway"
    ]
    result = invoke("guide", example_report, "--now", NOW, "--force")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"Note: {said}; the plan follows it as it is now (--force)."
    ]


# --- show ----------------------------------------------------------------------------------


def test_show_a_report_that_verifies(example_report: Path) -> None:
    result = invoke("show", example_report, "--now", NOW)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"Report {example_report}: Singapore and Tokyo for Ada Lovelace"
    assert lines[1].startswith("Evaluated Mon 30 Nov 2026 20:00 +08; signed by Ada Lovelace at ")
    fingerprint = tomllib.loads(example_report.read_text("utf-8"))["signoff"]["fingerprint"]
    assert lines[2] == (
        "✓ Report verifies: unchanged and signed by Ada Lovelace with this machine's key "
        f"(key {fingerprint})."
    )
    assert lines[4] == "Plan and trip"
    assert "  ✓ device-count              4 devices; the plan serves up to 8." in lines
    assert (
        "Ready, with warnings: read the lines marked '!'.  (30 passed, 1 warning, 4 skipped)"
        in lines
    )
    assert "Pre-departure deadline: Tue 1 Dec 2026 09:30 +08, 13 h 30 min from now." in lines
    assert lines[-1] == (
        f"Next: set the devices up with `readiness guide {example_report}`. Rerun "
        f"`readiness recheck {example_report}` in the rerun window, by Tue 1 Dec 2026 09:30 +08; "
        f"`readiness remind {example_report}` puts the window in your calendar."
    )


def test_show_a_changed_report_still_shows_it_and_exits_1(example_report: Path) -> None:
    doc = tomllib.loads(example_report.read_text(encoding="utf-8"))
    doc["answers"]["devices"][0]["battery"] = 99
    example_report.write_bytes(tomli_w.dumps(doc).encode("utf-8"))
    result = invoke("show", example_report, "--now", NOW)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[2].startswith(
        "✗ Report does NOT verify: changed after sign-off: answers.devices (key SHA256:"
    )
    assert "Plan and trip" in lines
    assert not any(line.startswith("Next:") for line in lines)


def test_show_a_report_that_is_not_ready_exits_1(tmp_path: Path) -> None:
    report = signed_report(SOLO, tmp_path / "solo.toml")
    result = invoke("show", report, "--now", NOW)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == (
        f"Fix what failed, then run `readiness recheck {report}`: it starts from these answers."
    )


def test_show_json(example_report: Path) -> None:
    result = invoke("show", example_report, "--format", "json", "--now", NOW)
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert shown["verdict"] == "ready-with-warnings"
    assert shown["deadline"] == "2026-12-01T09:30:00+08:00"
    assert shown["hours_to_deadline"] == 13.5
    assert shown["verification"]["verified"] is True
    assert shown["verification"]["signature"] == "trusted-own"
    assert shown["verification"]["state"] == "trusted"
    assert len(shown["checks"]) == 35


def test_show_markdown(example_report: Path) -> None:
    result = invoke("show", example_report, "--format", "markdown", "--now", NOW)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith("# Readiness report: Singapore and Tokyo\n")
    assert "## Devices\n" in text
    assert "- ✗" not in text
    assert (
        "- ! `data-budget` Estimated 28.0-62.5 GB over 10 days may exceed the 40 GB pool."
    ) in text
    assert "Report verifies: unchanged and signed by Ada Lovelace with this machine's key" in text


def test_show_a_file_that_is_no_report(tmp_path: Path) -> None:
    result = invoke("show", EXAMPLE)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"error: {EXAMPLE}: signoff.digest: missing: this is not a signed readiness report"
    ]


# --- the way to the guide ------------------------------------------------------------------


def test_check_points_at_the_guide_when_setup_can_start(tmp_path: Path) -> None:
    report = tmp_path / "R.toml"
    result = invoke("check", "--answers", EXAMPLE, "--no-input", "--now", NOW, "--report", report)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == (
        f"Next: set the devices up with `readiness guide {report}`. Rerun "
        f"`readiness recheck {report}` in the rerun window, by Tue 1 Dec 2026 09:30 +08; "
        f"`readiness remind {report}` puts the window in your calendar."
    )


def test_check_does_not_point_at_the_guide_when_not_ready(tmp_path: Path) -> None:
    report = tmp_path / "R.toml"
    result = invoke("check", "--answers", SOLO, "--no-input", "--now", NOW, "--report", report)
    assert result.exit_code == 1
    assert "readiness guide" not in result.output


# --- at a 60-column terminal ---------------------------------------------------------------


def at_60_columns(command: str, args: list[str], cwd: Path, home: Path) -> list[str]:
    """What the installed command prints in a real 60-column pseudo-terminal."""
    import os

    import pexpect

    env = {**os.environ, "READINESS_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "60"}
    child = pexpect.spawn(
        command, args, cwd=str(cwd), env=env, encoding="utf-8", timeout=30, dimensions=(200, 60)
    )
    child.expect(pexpect.EOF)
    child.close()
    return (child.before or "").replace("\r\n", "\n").splitlines()


@pytest.mark.parametrize("command", ["show", "guide"])
def test_show_and_guide_wrap_between_words_at_60_columns(
    command: str,
    tmp_path: Path,
    readiness_home: Path,
    readiness_command: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from readiness.render.style import display_width

    text = EXAMPLE.read_text(encoding="utf-8").replace("Ada's iPhone", "愛子のiPhone")
    answers = tmp_path / "answers.toml"
    answers.write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    signed_report(answers, Path("r.toml"))
    lines = at_60_columns(readiness_command, [command, "r.toml", "--now", NOW], tmp_path,
                          readiness_home)  # fmt: skip
    whole = invoke(command, "r.toml", "--now", NOW).stdout.splitlines()  # not a terminal: unwrapped
    assert max(display_width(line) for line in lines) <= 58  # the width less a margin of 2
    assert max(display_width(line) for line in whole) > 60
    words = [w.rstrip(":;") for w in " ".join(lines).split()]
    assert words == [w.rstrip(":;") for w in " ".join(whole).split()]
