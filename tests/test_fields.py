"""The located field reader: typed values, every problem with its key path and line."""

from __future__ import annotations

import datetime as dt

import pytest

from readiness import fields
from readiness.errors import InputError
from readiness.fields import Fields, line_of

SAMPLE = """\
schema = 1

[trip]
name = "Tokyo"
destinations = ["SG", "JP"]

[plan]
provider = "AlwaySIM"
device_limits = { JP = 3 }

[[devices]]
label = "Phone"
battery = 80

[[devices]]
label = "Tablet"
"battery" = 185

[[devices]]
label = "Watch"

[checklist]
same_wifi = true

[[activities.rows]]
id = "email"

[[activities.rows]]
id = "browsing"
per = "day"
"""


# --- line_of ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "line"),
    [
        ("schema", 1),
        ("trip", 3),
        ("trip.name", 4),
        ("trip.destinations", 5),
        ("trip.destinations[2]", 5),
        ("plan.provider", 8),
        ("plan.device_limits", 9),
        ("devices", 11),
        ("devices[1]", 11),
        ("devices[1].label", 12),
        ("devices[1].battery", 13),
        ("devices[2]", 15),
        ("devices[2].label", 16),
        ("devices[2].battery", 17),
        ("devices[3]", 19),
        ("devices[3].label", 20),
        ("checklist.same_wifi", 23),
        ("activities.rows[2].id", 29),
        ("activities.rows[2].per", 30),
    ],
)
def test_line_of(path: str, line: int) -> None:
    assert line_of(SAMPLE, path) == line


@pytest.mark.parametrize(
    "path", ["", "devices[4]", "devices[4].battery", "devices[3].battery", "nothing", "trip.home"]
)
def test_line_of_unknown_path(path: str) -> None:
    assert line_of(SAMPLE, path) is None


def test_line_of_does_not_match_a_longer_key() -> None:
    text = "[trip]\nname_long = 1\nname = 2\n"
    assert line_of(text, "trip.name") == 3


# --- Fields --------------------------------------------------------------------------------------


def test_fields_collects_every_problem_with_lines() -> None:
    f = Fields("f.toml", SAMPLE)
    devices = f.tables({"devices": [{"battery": "x"}, 3]}, "devices")
    assert [path for path, _ in devices] == ["devices[1]"]
    f.take(devices[0][1], "battery", "devices[1]", int)
    f.take({}, "label", "devices[1]", str)
    with pytest.raises(InputError) as caught:
        f.raise_if_any()
    assert caught.value.lines() == [
        "f.toml: devices[2] (line 15): must be a table, got integer 3",
        "f.toml: devices[1].battery (line 13): must be a whole number, got string 'x'",
        "f.toml: devices[1].label (line 12): missing",
    ]


@pytest.mark.parametrize(
    ("value", "kind", "ok"),
    [
        (True, int, False),
        (True, bool, True),
        (1, float, True),
        (1.5, int, False),
        (dt.date(2026, 1, 1), dt.date, True),
        (dt.datetime(2026, 1, 1), dt.date, False),
        (dt.datetime(2026, 1, 1), dt.datetime, True),
        (dt.date(2026, 1, 1), dt.datetime, False),
        ("x", str, True),
    ],
)
def test_fields_take_types(value: object, kind: type, ok: bool) -> None:
    f = Fields("f.toml")
    got = f.take({"k": value}, "k", "", kind, default="default")
    assert (got == value and got is not None and not f.problems) is ok
    if not ok:
        assert got == "default"


def test_describe_shortens_long_values() -> None:
    assert fields.describe("x" * 100) == "string '" + "x" * 36 + "..."
    assert fields.describe([1, 2]) == "list"
    assert fields.describe(dt.date(2026, 1, 2)) == "date 2026-01-02"
    assert fields.describe(dt.datetime(2026, 1, 2, 9, 30)) == "date-time 2026-01-02T09:30:00"
    assert fields.describe(True) == "boolean True"
