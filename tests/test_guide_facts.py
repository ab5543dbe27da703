"""Every actionable fact of the guide, found in the data file and in some command's output.

The facts below are typed from the guide itself (``seed/000_91191bf0bc3bb8e0.txt``), not
read from the data file: the test is the second, independent reading. Each one must be in
``data/compatibility.toml`` and must reach a person through `matrix`, `guide`,
`troubleshoot` or `check`.
"""

from __future__ import annotations

import tempfile
import tomllib
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner

from readiness.cli import cli
from readiness.knowledge import Knowledge

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "answers.toml"
MIXED = Path(__file__).parent / "fixtures" / "guide" / "mixed.toml"
DATA = ROOT / "data" / "compatibility.toml"
NOW = "2026-11-30T12:00:00Z"

# The guide's Device Compatibility Matrix: 9 rows x 4 capabilities.
MATRIX = [
    ("iPhone 15 Pro and newer", "Full", "Yes", "Yes", "Yes"),
    ("iPhone 14 and earlier", "Partial", "Limited", "Yes", "No"),
    ("Samsung Galaxy S24 and newer", "Full", "Yes", "Yes", "Yes"),
    ("Google Pixel 8 and newer", "Full", "Yes", "Yes", "Yes"),
    ("iPad Pro (M3 and newer)", "Full", "Yes", "Yes", "Yes"),
    ("Apple Watch Series 9 and newer", "Full", "Yes", "Yes", "Partial"),
    ("Samsung Galaxy Watch 6 and newer", "Full", "Yes", "Yes", "Partial"),
    ("Windows laptops with 5G", "Varies", "Carrier-dependent", "Usually", "Rarely"),
    ("MacBook Air/Pro (M3 and newer)", "Full", "Yes", "Yes", "Yes"),
]
# The checklist's minimums: (family, value in the data file, as `matrix` shows it).
MINIMUMS = [
    ("ios", "19.4", "iOS 19.4"),
    ("android", "16", "Android 16"),
    ("windows", "Windows 11 24H2", "Windows 11 24H2"),
    ("macos", "16.2", "macOS 16.2"),
]
# The Pre-Travel Ecosystem Checklist (7) and Pre-Departure Configuration (6): the check
# that covers each item, and a phrase of the guide's that its text must keep.
SETUP = [
    ("os-version", "latest OS"),
    ("primary-device", "multi-device profile"),
    ("destination-coverage", "every destination"),
    ("imei", "IMEI"),
    ("profile-backup", "backed up"),
    ("battery", "battery"),
    ("same-wifi", "same Wi-Fi network"),
]
PREDEPARTURE = [
    ("destination-coverage", "every destination"),
    ("offline-maps", "Offline maps"),
    ("roaming", "roaming is pre-authorised"),
    ("network-preference", "network type"),
    ("airplane-schedule", "time zones"),
    ("wifi-calling", "Wi-Fi Calling"),
]
# The guide's numbers: (key in [limits], value, how some output says it).
LIMITS = [
    ("max_devices", 8, "the plan serves up to 8"),
    ("restricted_destination_max_devices", 3, "allow only 3 devices"),
    ("min_battery_percent", 20, "at least 20 %"),
    ("predeparture_hours", 48, "48 hours before departure"),
    ("registration_wait_seconds", 60, "Wait 60 seconds"),
]
# The Data Management table: activity, MB low/high and per, devices, priority cell,
# and the row as `guide` shows it.
ACTIVITIES = [
    ("Email and messaging", 50, 100, "day", ("phone", "watch"), "Standard", "50-100 MB a day"),
    ("Web browsing", 200, 500, "day", ("phone", "tablet"), "Standard", "200-500 MB a day"),
    ("Video calls", 1000, 2000, "hour", ("tablet", "laptop"), "Primary", "1-2 GB an hour"),
    (
        "Streaming video",
        3000,
        7000,
        "hour",
        ("tablet", "laptop"),
        "Background with limits",
        "3-7 GB an hour",
    ),
    ("Navigation", 50, 150, "day", ("phone",), "Primary", "50-150 MB a day"),
    (
        "Software updates",
        None,
        None,
        "day",
        ("phone", "tablet", "watch", "laptop"),
        "Background",
        "varies widely",
    ),
]
# A phrase of each of the guide's configuration and troubleshooting steps (menu names and
# the like) that the procedure's steps in the data file must hold, in the guide's order.
SETUP_STEPS = {
    "primary": [
        "Cellular",
        "Add eSIM",
        "Set Up Multi-Device Profile",
        "iOS 19",
        "QR code",
        "This device will manage other devices",
        "confirmation notification",
    ],
    "secondary": [
        "Manage Devices",
        "Add Device to Plan",
        "temporary pairing code",
        "Join Existing Plan",
        "pairing code",
        "profile configuration",
    ],
    "watch": [
        "companion app",
        "Cellular",
        "Share Plan with Watch",
        "configures itself",
        "Bluetooth",
    ],
    "windows-laptop": ["Network & Internet > Cellular", "Link to existing plan", "linking URL"],
    "macbook": ["System Settings > Network > Cellular", "Join Multi-Device Plan"],
    "data-routing": [
        "Data Priority",
        "Primary, Standard or Background",
        "video calls",
        "data warning",
        "Smart Handoff",
    ],
    "data-saving": ["Wi-Fi", "Data Mode", "App Data Usage"],
}
TROUBLESHOOTING = {
    "wont-join": ["Restart", "same Wi-Fi", "eSIM slot", "pairing code", "remove"],
    "secondary-connectivity": ["Wi-Fi only", "Background", "expired", "cellular data off and on"],
    "handoff": ["active cellular connection", "Bluetooth range", "session continuity", "network"],
    "excessive-data": ["per-device usage", "background", "software updates", "hotspot"],
    "border-registration": ["airplane mode", "60 seconds"],
    "priority-mismatch": ["set by hand which device gets priority"],
}
HANDOFF_FALLBACK = ["Smart Handoff off", "open the same app on the other device"]
HABITS = [
    "automatic profile updates",
    "service announcements",
    "device priorities",
    "replacement cycle",
]


def run(*args: str | Path) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code in (0, 1), result.output
    return result.stdout


@cache
def outputs() -> dict[str, str]:
    """What each command prints for the shipped example and the mixed trip, by command."""
    with tempfile.TemporaryDirectory() as folder:
        checks = [
            run("check", "--answers", answers, "--no-input", "--now", NOW, "--report", report)
            for answers, report in ((EXAMPLE, Path(folder) / "a.toml"), (MIXED, Path(folder) / "b"))
        ]
    troubleshoot = [run("troubleshoot", procedure, "--no-input") for procedure in TROUBLESHOOTING]
    return {
        "matrix": run("matrix"),
        "guide": "\n".join(run("guide", "--answers", a, "--now", NOW) for a in (EXAMPLE, MIXED)),
        "troubleshoot": "\n".join(troubleshoot),
        "check": "\n".join(checks),
    }


def shown(text: str) -> bool:
    return any(text in output for output in outputs().values())


def test_the_matrix_9_by_4_in_the_data_and_in_matrix(knowledge: Knowledge) -> None:
    assert [
        (r.name, r.esim, r.multi_device, r.shared_pool, r.routing) for r in knowledge.matrix
    ] == (MATRIX)
    lines = outputs()["matrix"].splitlines()
    for row in MATRIX:
        [line] = [line for line in lines if line.startswith(row[0] + "  ")]
        cells = line[len(row[0]) :].split()
        assert tuple(cells[: len(row) - 1]) == row[1:], line


def test_the_four_minimums(knowledge: Knowledge) -> None:
    for family, value, said in MINIMUMS:
        assert knowledge.os_minimums[family] == value
        assert said in outputs()["matrix"]
    assert set(knowledge.os_minimums) == {m[0] for m in MINIMUMS}


@pytest.mark.parametrize(("key", "items"), [("setup", SETUP), ("predeparture", PREDEPARTURE)])
def test_the_checklists(knowledge: Knowledge, key: str, items: list[tuple[str, str]]) -> None:
    found = knowledge.setup if key == "setup" else knowledge.predeparture
    assert len(found) == len(items)
    for item, (check, phrase) in zip(found, items, strict=True):
        assert (item.check, phrase in item.text) == (check, True), item
        assert item.text in outputs()["guide"]


@pytest.mark.parametrize(("key", "value", "said"), LIMITS)
def test_the_guides_numbers(knowledge: Knowledge, key: str, value: int, said: str) -> None:
    assert tomllib.loads(DATA.read_text(encoding="utf-8"))["limits"][key] == value
    assert getattr(knowledge.limits, key) == value
    assert shown(said), said


def test_the_activity_table(knowledge: Knowledge) -> None:
    rows = knowledge.activities
    assert len(rows) == len(ACTIVITIES)
    guide = outputs()["guide"].splitlines()
    for row, (name, low, high, per, devices, priority, amount) in zip(
        rows, ACTIVITIES, strict=True
    ):
        assert (row.name, row.low_mb, row.high_mb, row.per, row.devices) == (
            name,
            low,
            high,
            per,
            devices,
        )
        assert row.priority == priority.split()[0].lower()
        assert row.limits == priority.endswith("with limits")
        line = next(line for line in guide if line.startswith(f"     {name}  "))
        assert amount in line, line
        assert line.endswith(f"  {priority}"), line
    updates = rows[-1]
    assert (updates.varies, updates.wifi_preferred) == (True, True)
    assert "any device (Wi-Fi preferred)" in outputs()["guide"]
    assert "Not counted: software updates" in outputs()["check"]


@pytest.mark.parametrize("procedure", list(SETUP_STEPS))
def test_every_configuration_step(knowledge: Knowledge, procedure: str) -> None:
    steps = [step.text for step in knowledge.setup_procedures[procedure].steps]
    assert len(steps) == len(SETUP_STEPS[procedure])
    for step, phrase in zip(steps, SETUP_STEPS[procedure], strict=True):
        assert phrase in step, (phrase, step)
        assert step in outputs()["guide"], step


@pytest.mark.parametrize("procedure", list(TROUBLESHOOTING))
def test_every_troubleshooting_step(knowledge: Knowledge, procedure: str) -> None:
    found = knowledge.troubleshooting[procedure]
    assert len(found.steps) == len(TROUBLESHOOTING[procedure])
    for step, phrase in zip(found.steps, TROUBLESHOOTING[procedure], strict=True):
        assert phrase in step, (phrase, step)
        assert step in outputs()["troubleshoot"], step


def test_handoff_is_four_conditions_then_the_fallback(knowledge: Knowledge) -> None:
    handoff = knowledge.troubleshooting["handoff"]
    assert handoff.kind == "conditions"
    assert all(phrase in handoff.fallback for phrase in HANDOFF_FALLBACK)
    assert handoff.fallback in outputs()["troubleshoot"]
    others = [p for p in knowledge.troubleshooting.values() if p is not handoff]
    assert {p.kind for p in others} == {"steps"}


def test_the_priority_mismatch_entry(knowledge: Knowledge) -> None:
    entry = knowledge.troubleshooting["priority-mismatch"]
    assert "limited infrastructure" in entry.cause
    assert f"{entry.title} ({entry.cause})" in outputs()["troubleshoot"]


def test_the_four_habits(knowledge: Knowledge) -> None:
    assert len(knowledge.habits) == len(HABITS)
    for habit, phrase in zip(knowledge.habits, HABITS, strict=True):
        assert phrase in habit
        assert habit in outputs()["guide"]
