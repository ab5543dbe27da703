"""The answers loader: every problem together, unreadable files, values not understood."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from answers_helpers import ANSWERS, minimal_doc, problems_of

from readiness import answers
from readiness.errors import InputError
from readiness.knowledge import Knowledge


def doc_problems(doc: dict[str, Any], knowledge: Knowledge) -> list[str]:
    with pytest.raises(InputError) as caught:
        answers.from_document(doc, "answers.toml")
    return caught.value.lines()


# --- every problem together ------------------------------------------------------------


def test_all_problems_are_reported_together(knowledge: Knowledge) -> None:
    path = ANSWERS / "all_problems.toml"
    lines = problems_of(path, knowledge)
    paths = [line.removeprefix(f"{path}: ").split(":")[0] for line in lines]
    assert paths == [
        "colour (line 3)",
        "trip.timezone (line 11)",
        "trip.destinations[2] (line 13)",
        "devices[1].battery (line 23)",
        "devices[2].model (line 26)",
        "devices[2].battery (line 28)",
        "devices[3].label (line 31)",
    ]


@pytest.mark.parametrize(
    "expected",
    [
        "devices[2].battery (line 28): must be 0-100, got 185",
        "devices[1].battery (line 23): must be a whole number, got string 'high'",
        "devices[2].model (line 26): missing",
        "colour (line 3): unknown key; expected one of: "
        "checklist, devices, plan, schema, traveler, trip, usage",
        "trip.destinations[2] (line 13): unknown country 'Jappan'; did you mean Japan (JP)?",
        "trip.timezone (line 11): 'Asia/Singapour' is not an IANA time zone; "
        "did you mean Asia/Singapore?",
        'devices[3].label (line 31): "ada\'s iphone" is also the label of devices[1]',
    ],
)
def test_problem_text(knowledge: Knowledge, expected: str) -> None:
    path = ANSWERS / "all_problems.toml"
    assert f"{path}: {expected}" in problems_of(path, knowledge)


def test_problem_lines_name_the_file(knowledge: Knowledge) -> None:
    path = ANSWERS / "all_problems.toml"
    assert all(line.startswith(f"{path}: ") for line in problems_of(path, knowledge))


# --- files that cannot be read --------------------------------------------------------------


def test_bad_toml_syntax_names_line_and_column(knowledge: Knowledge) -> None:
    path = ANSWERS / "syntax_error.toml"
    assert problems_of(path, knowledge) == [f"{path}: line 4, column 21: illegal character '\\n'"]


def test_a_date_that_is_no_date_is_a_syntax_error_with_its_line(knowledge: Knowledge) -> None:
    path = ANSWERS / "bad_date.toml"
    [line] = problems_of(path, knowledge)
    assert line.startswith(f"{path}: line 5, column ")


def test_impossible_day_of_month(tmp_path: Path, knowledge: Knowledge) -> None:
    path = tmp_path / "answers.toml"
    path.write_text("schema = 1\n[trip]\nreturn = 2026-02-30\n", encoding="utf-8")
    assert problems_of(path, knowledge) == [f"{path}: line 3, column 10: invalid date or datetime"]


def test_not_utf8(knowledge: Knowledge) -> None:
    path = ANSWERS / "not_utf8.toml"
    assert problems_of(path, knowledge) == [f"{path}: line 5: is not UTF-8 text"]


def test_empty_file(knowledge: Knowledge) -> None:
    path = ANSWERS / "empty.toml"
    assert problems_of(path, knowledge) == [f"{path}: is empty; expected a TOML answers file"]


def test_whitespace_only_file_is_empty(tmp_path: Path, knowledge: Knowledge) -> None:
    path = tmp_path / "blank.toml"
    path.write_text("\n   \n\t\n", encoding="utf-8")
    assert problems_of(path, knowledge) == [f"{path}: is empty; expected a TOML answers file"]


def test_missing_file(knowledge: Knowledge) -> None:
    path = ANSWERS / "does_not_exist.toml"
    assert problems_of(path, knowledge) == [f"{path}: no such answers file"]


def test_folder_instead_of_file(tmp_path: Path, knowledge: Knowledge) -> None:
    assert problems_of(tmp_path, knowledge) == [f"{tmp_path}: is a folder, not an answers file"]


# --- values that cannot be understood ----------------------------------------------------------


def test_departure_without_offset_or_zone(knowledge: Knowledge) -> None:
    path = ANSWERS / "no_offset.toml"
    assert problems_of(path, knowledge) == [
        f"{path}: trip.departure (line 9): has no UTC offset; add one (+08:00) or set "
        "trip.timezone to an IANA zone such as Asia/Singapore"
    ]


def test_departure_local_time_with_zone_is_pinned(knowledge: Knowledge) -> None:
    doc = minimal_doc()
    doc["trip"]["departure"] = dt.datetime(2026, 12, 3, 9, 30)
    doc["trip"]["timezone"] = "Asia/Singapore"
    trip = answers.from_document(doc).trip
    assert trip.departure == dt.datetime(2026, 12, 3, 1, 30, tzinfo=dt.UTC)
    assert trip.departure.tzinfo == ZoneInfo("Asia/Singapore")


def test_departure_as_a_string_with_offset(knowledge: Knowledge) -> None:
    doc = minimal_doc()
    doc["trip"]["departure"] = "2026-12-03T09:30:00+08:00"
    trip = answers.from_document(doc).trip
    assert trip.departure == dt.datetime(2026, 12, 3, 1, 30, tzinfo=dt.UTC)


def test_departure_date_only_needs_a_time(knowledge: Knowledge) -> None:
    doc = minimal_doc()
    doc["trip"]["departure"] = dt.date(2026, 12, 3)
    assert doc_problems(doc, knowledge) == [
        "answers.toml: trip.departure: a time of day is needed too, e.g. 2026-12-03T09:30:00"
    ]


@pytest.mark.parametrize("text", ["2026-12-03", " 2026-12-03 ", "20261203"])
def test_departure_day_as_text_needs_a_time_too(knowledge: Knowledge, text: str) -> None:
    """Taken alone, a day would silently mean midnight: refused, as a TOML date is."""
    doc = minimal_doc()
    doc["trip"]["departure"] = text
    assert doc_problems(doc, knowledge) == [
        "answers.toml: trip.departure: a time of day is needed too, e.g. 2026-12-03T09:30:00"
    ]


def test_departure_unreadable_string(knowledge: Knowledge) -> None:
    doc = minimal_doc()
    doc["trip"]["departure"] = "next Tuesday"
    assert doc_problems(doc, knowledge) == [
        "answers.toml: trip.departure: 'next Tuesday' is not a date and time "
        "(write it like 2026-12-03T09:30:00+08:00)"
    ]


def test_non_iana_time_zone(knowledge: Knowledge) -> None:
    doc = minimal_doc()
    doc["trip"]["timezone"] = "SGT"
    [line] = doc_problems(doc, knowledge)
    assert line.startswith("answers.toml: trip.timezone: 'SGT' is not an IANA time zone")


def test_bad_zone_for_a_local_departure_is_one_problem(knowledge: Knowledge) -> None:
    doc = minimal_doc()
    doc["trip"]["departure"] = dt.datetime(2026, 12, 3, 9, 30)
    doc["trip"]["timezone"] = "Asia/Singapour"
    assert doc_problems(doc, knowledge) == [
        "answers.toml: trip.timezone: 'Asia/Singapour' is not an IANA time zone; "
        "did you mean Asia/Singapore?"
    ]


def test_unknown_country_with_suggestion(knowledge: Knowledge) -> None:
    doc = minimal_doc()
    doc["trip"]["home"] = "Singapur"
    assert doc_problems(doc, knowledge) == [
        "answers.toml: trip.home: unknown country 'Singapur'; did you mean Singapore (SG)?"
    ]


def test_unknown_country_without_suggestion(knowledge: Knowledge) -> None:
    doc = minimal_doc()
    doc["plan"]["coverage"] = ["JP", "Atlantis"]
    assert doc_problems(doc, knowledge) == [
        "answers.toml: plan.coverage[2]: unknown country 'Atlantis'; "
        "use an ISO code such as JP or an English name"
    ]


def test_unknown_country_in_device_limits(knowledge: Knowledge) -> None:
    doc = minimal_doc()
    doc["plan"]["device_limits"] = {"XX": 3}
    [line] = doc_problems(doc, knowledge)
    assert line.startswith("answers.toml: plan.device_limits.XX: unknown country 'XX'")


@pytest.mark.parametrize(
    ("section", "key", "value", "expected"),
    [
        (
            "devices",
            "battery",
            "high",
            "devices[1].battery: must be a whole number, got string 'high'",
        ),
        ("devices", "battery", 185, "devices[1].battery: must be 0-100, got 185"),
        ("devices", "battery", -1, "devices[1].battery: must be 0-100, got -1"),
        (
            "devices",
            "battery",
            True,
            "devices[1].battery: must be a whole number, got boolean True",
        ),
        ("devices", "battery", 50.5, "devices[1].battery: must be a whole number, got number 50.5"),
        (
            "devices",
            "primary",
            "yes",
            "devices[1].primary: must be true or false, got string 'yes'",
        ),
        (
            "devices",
            "priority",
            "urgent",
            "devices[1].priority: must be one of: primary, standard, background; got 'urgent'",
        ),
        (
            "devices",
            "imei",
            352099001761481,
            "devices[1].imei: must be a string, got integer 352099001761481",
        ),
        ("devices", "label", "", "devices[1].label: must not be empty"),
        ("devices", "model", "  ", "devices[1].model: must not be empty"),
        (
            "devices",
            "label",
            "two\nlines",
            "devices[1].label: must be one line of text with no hidden characters",
        ),
        (
            "devices",
            "label",
            "Ada\tiPhone",
            "devices[1].label: must be one line of text with no hidden characters",
        ),
        (
            "devices",
            "label",
            "Ada\x85iPhone",
            "devices[1].label: must be one line of text with no hidden characters",
        ),
        (
            "devices",
            "model",
            "iPhone\u2028 16",
            "devices[1].model: must be one line of text with no hidden characters",
        ),
        (
            "devices",
            "label",
            "Ada\x9b2J",
            "devices[1].label: must be one line of text with no hidden characters",
        ),
        (
            "devices",
            "label",
            "Ada\x7f",
            "devices[1].label: must be one line of text with no hidden characters",
        ),
        (
            "traveler",
            "name",
            "Ada\nLovelace",
            "traveler.name: must be one line of text with no hidden characters",
        ),
        (
            "plan",
            "provider",
            "Sky\u2029Net",
            "plan.provider: must be one line of text with no hidden characters",
        ),
        ("devices", "serial", "X", "devices[1].serial: unknown key; expected one of: "),
        (
            "plan",
            "multi_device",
            "yes",
            "plan.multi_device: must be true or false, got string 'yes'",
        ),
        ("plan", "max_devices", 0, "plan.max_devices: must be 1-1000, got 0"),
        ("plan", "pool_gb", -5, "plan.pool_gb: must be 0 or more, got -5"),
        ("plan", "coverage", "JP", "plan.coverage: must be a list, got string 'JP'"),
        ("trip", "destinations", [], "trip.destinations: list at least one destination"),
        ("trip", "name", dt.date(2026, 12, 3), "trip.name: must be a string, got date 2026-12-03"),
        ("trip", "return", dt.date(2026, 12, 1), "trip.return: 2026-12-01 is before the departure"),
        (
            "checklist",
            "profiles_backed_up",
            "maybe",
            "checklist.profiles_backed_up: must be true, false or \"n/a\", got 'maybe'",
        ),
        (
            "checklist",
            "same_wifi",
            "yes",
            "checklist.same_wifi: must be true or false, got string 'yes'",
        ),
        (
            "usage",
            "streaming_hours",
            25,
            "usage.streaming_hours: must be hours a day, 0-24, got 25",
        ),
        ("usage", "gaming_hours", 1.0, "usage.gaming_hours: unknown key; expected one of: "),
    ],
)
def test_wrong_values(
    knowledge: Knowledge, section: str, key: str, value: Any, expected: str
) -> None:
    doc = minimal_doc()
    target = doc["devices"][0] if section == "devices" else doc.setdefault(section, {})
    target[key] = value
    lines = doc_problems(doc, knowledge)
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"answers.toml: {expected}")


def test_device_without_model(knowledge: Knowledge) -> None:
    doc = minimal_doc()
    del doc["devices"][0]["model"]
    assert doc_problems(doc, knowledge) == ["answers.toml: devices[1].model: missing"]


def test_missing_required_sections(knowledge: Knowledge) -> None:
    lines = doc_problems({"schema": 1}, knowledge)
    for section in ("trip", "plan", "devices"):
        assert f"answers.toml: {section}: missing" in lines


def test_missing_required_trip_keys(knowledge: Knowledge) -> None:
    doc = minimal_doc()
    doc["trip"] = {}
    assert doc_problems(doc, knowledge) == [
        "answers.toml: trip.name: missing",
        "answers.toml: trip.departure: missing",
        "answers.toml: trip.home: missing",
        "answers.toml: trip.destinations: missing",
    ]


def test_no_devices(knowledge: Knowledge) -> None:
    doc = minimal_doc()
    doc["devices"] = []
    assert doc_problems(doc, knowledge) == ["answers.toml: devices: list at least one device"]


def test_device_that_is_not_a_table(knowledge: Knowledge) -> None:
    doc = minimal_doc()
    doc["devices"].append("iPad")
    assert doc_problems(doc, knowledge) == [
        "answers.toml: devices[2]: must be a table, got string 'iPad'"
    ]


def test_duplicate_labels_ignore_case(knowledge: Knowledge) -> None:
    doc = minimal_doc()
    doc["devices"].append({**doc["devices"][0], "label": "ADA'S IPHONE", "primary": False})
    assert doc_problems(doc, knowledge) == [
        'answers.toml: devices[2].label: "ADA\'S IPHONE" is also the label of devices[1]'
    ]


def test_a_duplicate_huge_label_is_cut_in_the_message(knowledge: Knowledge) -> None:
    doc = minimal_doc()
    label = "Ada's iPhone " * 10_000
    doc["devices"][0]["label"] = label
    doc["devices"].append({**doc["devices"][0], "label": label.upper(), "primary": False})
    (line,) = doc_problems(doc, knowledge)
    assert line == (
        f'answers.toml: devices[2].label: "{label.upper()[:40]}…" is also the label of devices[1]'
    )


def test_wrong_schema(knowledge: Knowledge) -> None:
    doc = minimal_doc()
    doc["schema"] = 2
    assert doc_problems(doc, knowledge) == [
        "answers.toml: schema: this version of readiness reads schema 1, got 2"
    ]
