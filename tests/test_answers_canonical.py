"""The answers loader: what is kept as given, missing answers, the canonical document."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from answers_helpers import ANSWERS, minimal_doc, problems_of

from readiness import answers
from readiness.errors import InputError
from readiness.knowledge import Knowledge

EXAMPLES = Path(__file__).parent.parent / "examples"


# --- what is kept as given: a checks matter, not an input error --------------------------------


def test_wrong_check_digit_is_not_an_input_error(knowledge: Knowledge) -> None:
    a = answers.load(ANSWERS / "failing.toml")
    assert a.devices[0].imei == "352099001761482"
    assert a.devices[0].battery == 12


def test_identifiers_are_stored_without_separators(knowledge: Knowledge) -> None:
    doc = minimal_doc()
    doc["devices"][0]["imei"] = " 35-209900/176148 1 "
    doc["devices"][0]["eid"] = "8904 9032 0000 0000 0000 0000 0000 0163"
    device = answers.from_document(doc).devices[0]
    assert device.imei == "352099001761481"
    assert device.eid == "89049032000000000000000000000163"


def test_countries_are_stored_as_alpha_2(knowledge: Knowledge) -> None:
    doc = minimal_doc()
    doc["trip"]["home"] = "Singapore"
    doc["trip"]["destinations"] = ["Japan", "jpn", "South Korea"]
    doc["plan"]["coverage"] = ["JP", "KOR"]
    doc["plan"]["device_limits"] = {"Japan": 3}
    a = answers.from_document(doc)
    assert a.trip.home == "SG"
    assert a.trip.destinations == ("JP", "KR")
    assert a.plan.coverage == ("JP", "KR")
    assert a.plan.device_limits == (("JP", 3),)


def test_worldwide_coverage(knowledge: Knowledge) -> None:
    doc = minimal_doc()
    doc["plan"]["coverage"] = ["*"]
    assert answers.from_document(doc).plan.worldwide


def test_defaults(knowledge: Knowledge) -> None:
    doc = minimal_doc()
    del doc["traveler"]
    del doc["checklist"]
    doc["devices"] = [{"label": "Phone", "model": "iPhone 16 Pro"}]
    a = answers.from_document(doc)
    assert a.traveler == ""
    assert a.devices[0] == answers.Device(label="Phone", model="iPhone 16 Pro")
    assert a.checklist == answers.Checklist()
    assert a.plan.max_devices is None


# --- missing answers (what --no-input refuses) --------------------------------------------------


def test_missing_lists_every_unanswered_key(knowledge: Knowledge) -> None:
    a = answers.load(ANSWERS / "missing_answers.toml")
    assert answers.missing(a, knowledge) == [
        "checklist.same_wifi",
        "checklist.profiles_backed_up",
        "checklist.offline_maps",
        "checklist.network_preference",
        "devices[1].os_version",
        "devices[1].battery",
        "devices[1].roaming_authorized",
        "devices[1].wifi_calling",
        "checklist.airplane_schedule",
    ]


def test_missing_airplane_schedule_only_when_crossing_zones(knowledge: Knowledge) -> None:
    doc = minimal_doc()
    del doc["checklist"]["airplane_schedule"]
    assert answers.missing(answers.from_document(doc), knowledge) == ["checklist.airplane_schedule"]
    doc["trip"]["destinations"] = ["CN"]  # UTC+8, like Singapore
    assert answers.missing(answers.from_document(doc), knowledge) == []


def test_complete_files_miss_nothing(knowledge: Knowledge) -> None:
    for path in (ANSWERS / "minimal.toml", EXAMPLES / "answers.toml"):
        assert answers.missing(answers.load(path), knowledge) == [], path


# --- the canonical document --------------------------------------------------------------------


def test_example_round_trips(knowledge: Knowledge) -> None:
    a = answers.load(EXAMPLES / "answers.toml")
    assert answers.from_document(answers.to_document(a)) == a


@pytest.mark.parametrize(
    "name", ["minimal.toml", "failing.toml", "warnings_only.toml", "missing_answers.toml"]
)
def test_fixture_files_round_trip(knowledge: Knowledge, name: str) -> None:
    a = answers.load(ANSWERS / name)
    assert answers.from_document(answers.to_document(a)) == a


@pytest.mark.parametrize(
    ("departure", "timezone"),
    [
        (dt.datetime(2026, 12, 3, 9, 30), "Asia/Singapore"),
        (dt.datetime(2026, 12, 3, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))), ""),
        (
            dt.datetime(2026, 12, 3, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))),
            "Asia/Singapore",
        ),
        # The hour London repeats when clocks go back, given by its offset.
        (dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC), "Europe/London"),
    ],
)
def test_departure_round_trips_to_the_same_instant(
    knowledge: Knowledge, departure: dt.datetime, timezone: str
) -> None:
    doc = minimal_doc()
    doc["trip"]["departure"] = departure
    if timezone:
        doc["trip"]["timezone"] = timezone
    a = answers.from_document(doc)
    b = answers.from_document(answers.to_document(a))
    assert b == a
    assert b.trip.departure.utcoffset() == a.trip.departure.utcoffset()


def test_an_offset_that_contradicts_the_time_zone_is_refused(knowledge: Knowledge) -> None:
    doc = minimal_doc()
    doc["trip"]["departure"] = dt.datetime(2026, 12, 3, 9, 30, tzinfo=dt.UTC)
    doc["trip"]["timezone"] = "Asia/Singapore"
    with pytest.raises(InputError) as caught:
        answers.from_document(doc)
    assert caught.value.lines() == [
        "answers: trip.departure: its offset +0000 contradicts trip.timezone Asia/Singapore "
        "(+0800 at that time); give one of them"
    ]


def test_to_document_is_canonical(knowledge: Knowledge) -> None:
    doc = answers.to_document(answers.load(EXAMPLES / "answers.toml"))
    assert list(doc) == ["schema", "traveler", "trip", "plan", "devices", "checklist", "usage"]
    assert doc["trip"]["destinations"] == ["SG", "JP"]
    assert doc["trip"]["departure"] == dt.datetime(2026, 12, 3, 9, 30)
    assert doc["trip"]["timezone"] == "Asia/Singapore"
    assert doc["devices"][0]["imei"] == "352099001761481"
    # Defaults are left out.
    assert "priority" not in doc["devices"][1]
    assert "wifi_calling" not in doc["devices"][1]


def test_to_document_leaves_out_what_was_not_given(knowledge: Knowledge) -> None:
    doc = minimal_doc()
    del doc["traveler"]
    del doc["checklist"]
    out = answers.to_document(answers.from_document(doc))
    assert "traveler" not in out
    assert "checklist" not in out
    assert "usage" not in out


def test_an_impossible_date_in_bare_toml_gets_a_hint(tmp_path: Path, knowledge: Knowledge) -> None:
    path = tmp_path / "answers.toml"
    path.write_text("schema = 1\n[trip]\ndeparture = 2026-13-45T09:30:00+08:00\n", encoding="utf-8")
    [line] = problems_of(path, knowledge)
    assert line.startswith(f"{path}: line 3, column ")
    assert line.endswith("; if this is a date, check it is a real one (YYYY-MM-DD, month 1-12)")


def test_a_departure_in_a_skipped_hour_is_refused_with_the_nearest_times() -> None:
    doc = minimal_doc()
    doc["trip"]["departure"] = dt.datetime(2026, 3, 8, 2, 30)
    doc["trip"]["timezone"] = "America/New_York"
    with pytest.raises(InputError) as caught:
        answers.from_document(doc, "answers.toml")
    assert caught.value.lines() == [
        "answers.toml: trip.departure: 2026-03-08 02:30 does not happen in America/New_York: "
        "the clocks go forward; the nearest times are 01:59 and 03:00"
    ]


def test_a_departure_in_a_repeated_hour_must_give_its_offset() -> None:
    doc = minimal_doc()
    doc["trip"]["departure"] = dt.datetime(2026, 11, 1, 1, 30)
    doc["trip"]["timezone"] = "America/New_York"
    with pytest.raises(InputError) as caught:
        answers.from_document(doc, "answers.toml")
    assert caught.value.lines() == [
        "answers.toml: trip.departure: 2026-11-01 01:30 happens twice in America/New_York "
        "(the clocks go back); give the offset: 2026-11-01T01:30:00-04:00 or "
        "2026-11-01T01:30:00-05:00"
    ]
    for hours in (-4, -5):
        doc["trip"]["departure"] = dt.datetime(
            2026, 11, 1, 1, 30, tzinfo=dt.timezone(dt.timedelta(hours=hours))
        )
        loaded = answers.from_document(doc)
        again = answers.from_document(answers.to_document(loaded))
        assert again.trip.departure == loaded.trip.departure
        assert again.trip.departure.utcoffset() == dt.timedelta(hours=hours)
