"""Issue 15 in a real pseudo-terminal: no answer is lost, and a saved file asks nothing."""

from __future__ import annotations

import os
import subprocess
import tomllib
from pathlib import Path

import pexpect
from terminal import answer, spawn

NOW = "2026-11-28T12:00:00Z"
SOLO = Path(__file__).parent / "fixtures" / "solo.toml"
QUESTIONS = ("Your name", "Trip name", "Battery level", "Second IMEI", "EID of", "Data priority")


def readiness(command: str, home: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "READINESS_HOME": str(home)}
    return subprocess.run(
        [command, *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )


def finished(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return int(child.exitstatus if child.exitstatus is not None else -1)


def test_a_second_check_for_the_same_trip_keeps_its_answers(
    tmp_path: Path, readiness_home: Path, readiness_command: str
) -> None:
    first = readiness(
        readiness_command, readiness_home, tmp_path,
        "check", "--answers", str(SOLO), "--no-input", "--now", NOW, "--report", "trip.toml",
    )  # fmt: skip
    assert first.returncode == 1, first.stderr
    partial = tmp_path / "partial.toml"
    partial.write_text(SOLO.read_text(encoding="utf-8").replace("battery = 15\n", ""), "utf-8")
    child = spawn(
        readiness_command,
        ["check", "--answers", str(partial), "--now", NOW, "--report", "trip.toml"],
        tmp_path,
        readiness_home,
    )
    child.expect("trip.toml already exists.")
    answer(child, "Where should the report go", "\r")  # another name
    answer(child, "Report file name", "\r")  # trip-2.toml
    # The file leaves out the battery and the optional answers: only those are asked.
    answer(child, "Return date", "\r")
    answer(child, "How many devices", "\r")
    answer(child, "cap the number of devices", "n")
    answer(child, "Shared data pool", "\r")
    answer(child, "Second IMEI of Grace's Pixel", "\r")
    answer(child, "EID of Grace's Pixel", "\r")
    answer(child, "Battery level of Grace's Pixel now", "85 %\r")
    answer(child, "Data priority for Grace's Pixel", "\r")
    answer(child, "What next", "\r")
    answer(child, "confirm this statement", "y")
    answer(child, "Sign as", "\r")
    child.expect("Report written to trip-2.toml")
    answer(child, "to the inventory", "n")
    answer(child, "reusable answers file", "n")
    assert finished(child) == 0
    assert (
        tomllib.loads((tmp_path / "trip-2.toml").read_text("utf-8"))["answers"]["devices"][0][
            "battery"
        ]
        == 85
    )
    assert "Grace Hopper" in (tmp_path / "trip.toml").read_text("utf-8")


def test_ctrl_d_midway_then_resume_then_the_saved_file_asks_nothing(
    tmp_path: Path, readiness_home: Path, readiness_command: str
) -> None:
    child = spawn(readiness_command, ["check", "--now", NOW], tmp_path, readiness_home)
    answer(child, "Your name", "Grace Hopper\r")
    answer(child, "Trip name", "Lisbon\r")
    answer(child, "Time zone", "\x15Europe/Lisbon\r")
    child.expect("Departure date")
    child.send("\x04")  # Ctrl-D
    child.expect("continue with `readiness check --resume`")
    assert finished(child) == 130
    draft = readiness_home / "draft.toml"
    assert tomllib.loads(draft.read_text("utf-8"))["answers"]["trip"]["timezone"] == (
        "Europe/Lisbon"
    )

    child = spawn(readiness_command, ["check", "--now", NOW], tmp_path, readiness_home)
    child.expect("Answers for Lisbon are kept.")
    answer(child, "Go on from them", "\r")
    answer(child, "Departure date", "2026-12-10 08:15\r")
    answer(child, "Home country", "United Kingdom\r")
    answer(child, "Destination country", "Viet Nam\r")
    answer(child, "Another destination", "\r")
    answer(child, "Return date", "\r")
    answer(child, "eSIM provider", "AlwaySIM\r")
    answer(child, "multi-device plan", "y")
    answer(child, "What does the plan cover", "\x1b[A\r")  # worldwide
    answer(child, "How many devices", "\r")
    answer(child, "cap the number of devices", "n")
    answer(child, "Shared data pool", "\r")
    answer(child, "Device model", "Google Pixel 9\r")
    answer(child, "short label", "\x15Grace's Pixel\r")
    answer(child, "OS version of Grace's Pixel", "Android 16\r")
    answer(child, r"IMEI of Grace's Pixel \(dial \*#06#; empty if unknown\)", "352099001761481\r")
    answer(child, "Second IMEI of Grace's Pixel", "\r")
    answer(child, "EID of Grace's Pixel", "\r")
    answer(child, "Battery level of Grace's Pixel now", "90%\r")
    answer(child, "Data priority for Grace's Pixel", "\r")
    answer(child, "roaming pre-authorised on Grace's Pixel", "y")
    answer(child, "Wi-Fi Calling on for Grace's Pixel", "y")
    answer(child, "Add another device", "n")
    answer(child, "same Wi-Fi", "y")
    answer(child, "offline maps", "y")
    answer(child, "network type", "y")
    answer(child, "backed up", "\r")
    answer(child, "airplane-mode schedules", "y")
    answer(child, "What next", "\r")
    answer(child, "confirm this statement", "y")
    answer(child, "Sign as", "\r")
    answer(child, "to the inventory", "n")
    answer(child, "reusable answers file", "y")
    answer(child, "Save as", "\x15saved.toml\r")
    child.expect("Answers saved to saved.toml")
    assert finished(child) == 0
    assert not draft.exists()

    child = spawn(
        readiness_command,
        ["check", "--answers", "saved.toml", "--now", NOW, "--report", "again.toml"],
        tmp_path,
        readiness_home,
    )
    child.expect("What next")
    asked = [q for q in QUESTIONS if q in str(child.before)]
    assert asked == []
    child.send("\r")
    answer(child, "confirm this statement", "y")
    answer(child, "Sign as", "\r")
    child.expect("Report written to again.toml")
    answer(child, "to the inventory", "n")
    answer(child, "reusable answers file", "n")
    assert finished(child) == 0


def test_ctrl_c_during_recheck_then_recheck_resume_writes_a_chained_report(
    tmp_path: Path, readiness_home: Path, readiness_command: str
) -> None:
    first = readiness(
        readiness_command, readiness_home, tmp_path,
        "check", "--answers", str(SOLO), "--no-input", "--now", NOW, "--report", "first.toml",
    )  # fmt: skip
    assert first.returncode == 1, first.stderr
    later = ["--now", "2026-12-07T12:00:00Z", "--report", "second.toml"]
    child = spawn(readiness_command, ["recheck", "first.toml", *later], tmp_path, readiness_home)
    answer(child, "OS version of Grace's Pixel", "\r")
    answer(child, "Battery level of Grace's Pixel", "\x1582\r")
    child.expect("roaming")
    child.send("\x03")  # Ctrl-C
    child.expect("continue with `readiness recheck first.toml --resume`")
    assert finished(child) == 130
    assert (readiness_home / "recheck-draft.toml").exists()
    assert not (readiness_home / "draft.toml").exists()

    child = spawn(
        readiness_command, ["recheck", "first.toml", "--resume", *later], tmp_path, readiness_home
    )
    answer(child, "roaming pre-authorised on Grace's Pixel", "\r")  # battery is not asked again
    answer(child, "Wi-Fi Calling", "\r")
    answer(child, "offline maps", "\r")
    answer(child, "network type", "\r")
    answer(child, "airplane-mode schedules", "\r")
    child.expect(r"battery\s+Grace's Pixel\s+fail -> pass")
    answer(child, "What next", "\r")
    answer(child, "confirm this statement", "y")
    answer(child, "Sign as", "\r")
    child.expect("Report written to second.toml")
    assert finished(child) == 0
    assert not (readiness_home / "recheck-draft.toml").exists()

    verified = readiness(
        readiness_command, readiness_home, tmp_path,
        "verify", "second.toml", "--previous", "first.toml",
    )  # fmt: skip
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.splitlines()[-1] == "second.toml rechecks first.toml (the chain holds)."
