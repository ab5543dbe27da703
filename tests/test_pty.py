"""The installed `readiness` command, answered in a real pseudo-terminal."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pexpect
from terminal import answer, spawn

NOW = "2026-11-28T12:00:00Z"


def test_check_in_a_terminal_then_verify(
    tmp_path: Path, readiness_home: Path, readiness_command: str
):
    child = spawn(
        readiness_command,
        ["check", "--now", NOW, "--report", "trip.toml"],
        tmp_path,
        readiness_home,
    )
    answer(child, "Your name", "Grace Hopper\r")
    answer(child, "Trip name", "Lisbon\r")
    answer(child, "Time zone", "\x15Europe/Lisbon\r")
    answer(child, "Departure date", "2026-12-10 08:15\r")
    answer(child, "Home country", "United Kingdom\r")
    answer(child, "Destination country", "Portugal\r")
    answer(child, "Another destination", "\r")
    answer(child, "Return date", "2026-12-14\r")
    answer(child, "eSIM provider", "AlwaySIM\r")
    answer(child, "multi-device plan", "y")
    answer(child, "What does the plan cover", "\x1b[A\r")  # worldwide
    answer(child, "How many devices", "\r")
    answer(child, "cap the number of devices", "n")
    answer(child, "Shared data pool", "\r")
    answer(child, "Device model", "Google Pixel 9\r")
    child.expect("Google Pixel 8 and newer: Full eSIM support")
    answer(child, "short label", "\x15Grace's Pixel\r")
    answer(child, "OS version", "Android 16\r")
    answer(child, "IMEI", "352099001761481\r")
    answer(child, "Second IMEI", "\r")
    answer(child, "EID", "\r")
    answer(child, "Battery level", "90\r")
    answer(child, "Data priority", "\r")
    answer(child, "roaming", "y")
    answer(child, "Wi-Fi Calling", "y")
    answer(child, "Add another device", "n")
    child.expect("will manage the plan")
    answer(child, "same Wi-Fi", "y")
    answer(child, "offline maps", "y")
    answer(child, "network type", "y")
    answer(child, "backed up", "\r")
    child.expect("Ready: every device and step checks out.")
    answer(child, "What next", "\r")
    answer(child, "confirm this statement", "y")
    answer(child, "Sign as", "\r")
    answer(child, "to the inventory for the next trip", "n")
    answer(child, "reusable answers file", "n")
    child.expect("readiness recheck trip.toml")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    verified = subprocess.run(
        [readiness_command, "verify", "trip.toml"],
        cwd=tmp_path,
        env={**os.environ, "READINESS_HOME": str(readiness_home)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert verified.returncode == 0, verified.stderr
    assert "unchanged and signed by Grace Hopper" in verified.stdout
    assert "with this machine's key (key SHA256:" in verified.stdout


def test_check_then_recheck_one_changed_answer_then_verify_both(
    tmp_path: Path, readiness_home: Path, readiness_command: str
):
    solo = Path(__file__).parent / "fixtures" / "solo.toml"
    env = {**os.environ, "READINESS_HOME": str(readiness_home)}
    first = subprocess.run(
        [
            readiness_command,
            "check",
            "--answers",
            str(solo),
            "--no-input",
            "--now",
            NOW,
            "--report",
            "first.toml",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert first.returncode == 1, first.stderr  # the battery is at 15 %

    child = spawn(
        readiness_command,
        ["recheck", "first.toml", "--now", "2026-12-07T12:00:00Z", "--report", "second.toml"],
        tmp_path,
        readiness_home,
    )
    answer(child, r"OS version of Grace.s Pixel \(minimum Android 16\)", "\r")
    answer(child, "Battery level", "\x1582\r")
    answer(child, "roaming", "\r")
    answer(child, "Wi-Fi Calling", "\r")
    answer(child, "offline maps", "\r")
    answer(child, "network type", "\r")
    answer(child, "airplane-mode schedules", "\r")
    child.expect("Changed since the last report")
    child.expect(r"battery\s+Grace's Pixel\s+fail -> pass")
    answer(child, "What next", "\r")
    answer(child, "confirm this statement", "y")
    answer(child, "Sign as", "\r")
    child.expect("Report written to second.toml")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    verified = subprocess.run(
        [readiness_command, "verify", "second.toml", "--previous", "first.toml"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.splitlines()[-1] == (
        "second.toml rechecks first.toml (the chain holds)."
    )
