"""The schema: one rule per answer key, for a prompt and a file alike."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

import pytest

from readiness import answers, schema
from readiness.errors import InputError, InvalidValue
from readiness.knowledge import Knowledge
from readiness.prompts.asker import refusal
from readiness.prompts.questions import NOT_ASKED, QUESTIONS

ANSWERS = Path(__file__).parent / "fixtures" / "answers"

# Per key: a value as a file gives it, the same value as a person types it, and the
# reason both are refused with.
BAD: dict[str, tuple[Any, str, str]] = {
    "traveler.name": (
        "Ada\tLovelace",
        "Ada\tLovelace",
        "must be one line of text with no hidden characters",
    ),
    "trip.name": ("  ", "  ", "must not be empty"),
    "trip.timezone": (
        "Mars/Olympus",
        "Mars/Olympus",
        "'Mars/Olympus' is not an IANA time zone; use a name such as Europe/Paris or Asia/Tokyo",
    ),
    "trip.home": (
        "Atlantis",
        "Atlantis",
        "unknown country 'Atlantis'; use an ISO code such as JP or an English name",
    ),
    "plan.provider": (
        "Sky\u2029Net",
        "Sky\u2029Net",
        "must be one line of text with no hidden characters",
    ),
    "plan.max_devices": (0, "0", "must be 1-1000, got 0"),
    "plan.pool_gb": (-5, "-5", "must be 0 or more, got -5"),
    "device.label": (
        "Ada\x85iPhone",
        "Ada\x85iPhone",
        "must be one line of text with no hidden characters",
    ),
    "device.model": ("", "", "must not be empty"),
    "device.os_version": (
        "19.4\n1",
        "19.4\x7f1",
        "must be one line of text with no hidden characters",
    ),
    "device.battery": (185, "185", "must be 0-100, got 185"),
    "device.priority": (
        "urgent",
        "urgent",
        "must be one of: primary, standard, background; got 'urgent'",
    ),
    "device.inventory": (
        "a\tb",
        "a\tb",
        "must be one line of text with no hidden characters",
    ),
    "checklist.profiles_backed_up": (
        "maybe",
        "maybe",
        "must be true, false or \"n/a\", got 'maybe'",
    ),
    "usage.video_call_hours": (25, "25", "must be hours a day, 0-24, got 25"),
    "usage.streaming_hours": (24.5, "24.5", "must be hours a day, 0-24, got 24.5"),
}
# Keys whose every value of the right type is an answer (yes/no, lists checked per
# item, tables of caps), or that a prompt refuses more of than a file (identifiers
# a file keeps for the checks to fail), or whose rule involves another key.
NOTHING_ELSE = {
    "trip.departure",
    "trip.destinations",
    "trip.return",
    "plan.multi_device",
    "plan.coverage",
    "plan.device_limits",
    "plan.uncapped",
    "device.imei",
    "device.imei2",
    "device.eid",
    "device.primary",
    "device.roaming_authorized",
    "device.wifi_calling",
    "checklist.same_wifi",
    "checklist.offline_maps",
    "checklist.network_preference",
    "checklist.airplane_schedule",
    "usage.email",
    "usage.browsing",
    "usage.navigation",
}


def minimal_doc() -> dict[str, Any]:
    with (ANSWERS / "minimal.toml").open("rb") as handle:
        return tomllib.load(handle)


def file_refusal(path: str, value: Any) -> list[str]:
    doc = minimal_doc()
    section, key = path.split(".")
    if section == "device":
        doc["devices"][0][key] = value
    else:
        doc.setdefault(section, {})[key] = value
    with pytest.raises(InputError) as caught:
        answers.from_document(doc, "answers.toml")
    return [f"{p.path}: {p.message}" for p in caught.value.problems]


def test_every_key_has_a_bad_value_or_a_reason_it_has_none() -> None:
    assert set(BAD) | NOTHING_ELSE == set(schema.KEYS)
    assert not set(BAD) & NOTHING_ELSE


@pytest.mark.parametrize("path", sorted(BAD))
def test_a_prompt_and_a_file_refuse_a_value_for_the_same_reason(path: str) -> None:
    in_file, typed, reason = BAD[path]
    where = path.replace("device.", "devices[1].")
    assert file_refusal(path, in_file) == [f"{where}: {reason}"]
    assert refusal(schema.KEYS[path].parse)(typed) == reason


@pytest.mark.parametrize("path", sorted(set(schema.KEYS) - set(BAD)))
def test_a_good_typed_answer_is_taken(path: str) -> None:
    typed = {
        "trip.departure": "2026-12-03T09:30",
        "trip.return": "2026-12-10",
        "plan.device_limits": "",
        "device.imei": "35 209900 176148 1",
        "device.imei2": "",
        "device.eid": "",
    }.get(path, "yes")
    assert refusal(schema.KEYS[path].parse)(typed) is True


def test_the_question_table_asks_every_key_the_loader_knows() -> None:
    asked = {question.path for section in QUESTIONS.values() for question in section}
    assert asked | NOT_ASKED == set(schema.KEYS)
    assert not asked & NOT_ASKED


def test_every_question_is_asked_once_in_its_section() -> None:
    for section, questions in QUESTIONS.items():
        paths = [question.path for question in questions]
        assert len(paths) == len(set(paths))
        assert all(path.startswith(f"{section}.") for path in paths)


def test_every_optional_answer_in_the_data_is_a_key_of_the_table(
    knowledge: Knowledge,
) -> None:
    assert knowledge.optional_answers
    assert knowledge.optional_answers <= set(schema.KEYS)


def test_a_return_before_the_departure_is_refused_by_one_rule() -> None:
    departure = dt.datetime(2026, 12, 3, 9, 30)
    with pytest.raises(InvalidValue) as refused:
        schema.return_after(dt.date(2026, 12, 1), departure)
    assert str(refused.value) == "2026-12-01 is before the departure"
    assert schema.return_after(dt.date(2026, 12, 3), departure) == dt.date(2026, 12, 3)
    doc = minimal_doc()
    doc["trip"]["return"] = dt.date(2026, 12, 1)
    with pytest.raises(InputError) as caught:
        answers.from_document(doc)
    assert caught.value.lines() == ["answers: trip.return: 2026-12-01 is before the departure"]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2026-12-03", "a time of day is needed too: YYYY-MM-DD HH:MM, e.g. 2026-12-03 09:30"),
        (
            "soon",
            "'soon' is not a date and time (write it like YYYY-MM-DD HH:MM, e.g. 2026-12-03 09:30)",
        ),
        ("2026-11-01 10:00", "that moment has passed; give the coming departure"),
    ],
)
def test_a_typed_departure_is_read_as_a_file_s_text_departure(text: str, reason: str) -> None:
    now = dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC)
    with pytest.raises(InvalidValue) as caught:
        schema.upcoming(schema.local_departure(text, "Asia/Singapore"), now)
    assert str(caught.value) == reason


def test_a_typed_departure_is_local_to_the_zone() -> None:
    moment = schema.local_departure("2026-12-03 09:30", "Asia/Tokyo")
    assert moment.utcoffset() == dt.timedelta(hours=9)
    assert (moment.hour, moment.minute) == (9, 30)


def test_a_missing_answer_is_a_typed_problem_not_a_message() -> None:
    doc = minimal_doc()
    del doc["trip"]["name"]
    doc["devices"][0]["battery"] = 185
    with pytest.raises(InputError) as caught:
        answers.from_document(doc)
    assert [(p.path, p.missing) for p in caught.value.problems] == [
        ("trip.name", True),
        ("devices[1].battery", False),
    ]
    with pytest.raises(InputError) as partial:
        answers.check_partial(doc)
    assert partial.value.lines() == ["answers: devices[1].battery: must be 0-100, got 185"]


@pytest.mark.parametrize(
    ("path", "typed", "value"),
    [
        ("device.battery", "80%", 80),
        ("device.battery", "80 %", 80),
        ("device.battery", " 80 ", 80),
        ("plan.pool_gb", "20GB", 20.0),
        ("plan.pool_gb", "20 GB", 20.0),
        ("plan.pool_gb", "20 gb", 20.0),
        ("plan.pool_gb", "2.5", 2.5),
    ],
)
def test_a_unit_typed_after_a_number_is_read(path: str, typed: str, value: object) -> None:
    assert schema.KEYS[path].parse(typed) == value


@pytest.mark.parametrize(
    ("path", "typed", "reason"),
    [
        ("device.battery", "80 GB", "give a whole number from 0 to 100 (e.g. 80 or 80 %)"),
        ("device.battery", "185%", "must be 0-100, got 185"),
        ("plan.pool_gb", "20 %", "give a number of GB (e.g. 20 or 20 GB), or leave it empty"),
    ],
)
def test_a_unit_does_not_excuse_a_wrong_number(path: str, typed: str, reason: str) -> None:
    assert refusal(schema.KEYS[path].parse)(typed) == reason


def test_a_typed_departure_in_a_skipped_hour_names_the_nearest_times() -> None:
    with pytest.raises(InvalidValue) as caught:
        schema.local_departure("2026-03-29 01:15", "Europe/London")
    assert str(caught.value) == (
        "2026-03-29 01:15 does not happen in Europe/London: the clocks go forward; "
        "the nearest times are 00:59 and 02:00"
    )


def test_a_typed_departure_in_a_repeated_hour_offers_both_offsets() -> None:
    with pytest.raises(schema.RepeatedTime) as caught:
        schema.local_departure("2026-10-25 01:30", "Europe/London")
    assert str(caught.value) == (
        "2026-10-25 01:30 happens twice in Europe/London (the clocks go back): "
        "01:30 UTC+01:00 or 01:30 UTC+00:00"
    )
    first, second = caught.value.choices
    assert second - first == dt.timedelta(hours=1)
