"""The departure-window check: 48 real hours before departure, as instants."""

from __future__ import annotations

import datetime as dt

from checks_helpers import DEPARTURE, make, one, run

from readiness import checks
from readiness.knowledge import Knowledge
from readiness.results import Status

# --- departure-window -----------------------------------------------------------------


def test_departure_window_exactly_48_hours_before_passes(knowledge: Knowledge) -> None:
    result = one(run(knowledge, DEPARTURE - dt.timedelta(hours=48)), "departure-window")
    assert result.status is Status.PASS
    assert result.message == "Pre-departure steps due by Tue 1 Dec 2026 09:30 +08, 0 min from now."


def test_departure_window_well_ahead_passes(knowledge: Knowledge) -> None:
    result = one(run(knowledge), "departure-window")
    assert result.status is Status.PASS
    assert result.message == (
        "Pre-departure steps due by Tue 1 Dec 2026 09:30 +08, 13 h 30 min from now."
    )


def test_departure_window_47_hours_before_warns(knowledge: Knowledge) -> None:
    result = one(run(knowledge, DEPARTURE - dt.timedelta(hours=47)), "departure-window")
    assert result.status is Status.WARN
    assert result.message == (
        "Late: departure is 1 day 23 h away, inside the 48 hours the pre-departure steps need."
    )
    assert "48 hours" in result.fix


def test_departure_window_one_second_late_warns(knowledge: Knowledge) -> None:
    now = DEPARTURE - dt.timedelta(hours=48) + dt.timedelta(seconds=1)
    assert one(run(knowledge, now), "departure-window").status is Status.WARN


def test_departure_window_at_departure_still_warns(knowledge: Knowledge) -> None:
    assert one(run(knowledge, DEPARTURE), "departure-window").status is Status.WARN


def test_departure_window_after_departure_fails(knowledge: Knowledge) -> None:
    result = one(run(knowledge, DEPARTURE + dt.timedelta(minutes=1)), "departure-window")
    assert result.status is Status.FAIL
    assert result.message == "Departure (Thu 3 Dec 2026 09:30 +08) has passed."


def test_departure_window_compares_instants_not_wall_clocks(knowledge: Knowledge) -> None:
    # 48 h before 09:30 +08:00 is 01:30 UTC; "now" given in another offset.
    now = dt.datetime(2026, 12, 1, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    assert one(run(knowledge, now), "departure-window").status is Status.PASS
    later = now + dt.timedelta(minutes=1)
    assert one(run(knowledge, later), "departure-window").status is Status.WARN


def test_departure_local_time_with_zone(knowledge: Knowledge) -> None:
    evaluation = run(
        knowledge,
        trip={"departure": dt.datetime(2026, 12, 3, 9, 30), "timezone": "Asia/Singapore"},
    )
    assert evaluation.deadline == dt.datetime(2026, 12, 1, 1, 30, tzinfo=dt.UTC)


def test_deadline_is_48_real_hours_across_a_dst_change(knowledge: Knowledge) -> None:
    # Clocks in London go back on 25 Oct 2026: 48 h before 10:00 GMT on the
    # 26th is 11:00 BST on the 24th, not 10:00.
    a = make(
        knowledge,
        trip={
            "departure": dt.datetime(2026, 10, 26, 10, 0),
            "timezone": "Europe/London",
            "home": "GB",
            "destinations": ["JP"],
        },
    )
    due = checks.deadline(a, knowledge)
    assert a.trip.departure.astimezone(dt.UTC) - due.astimezone(dt.UTC) == dt.timedelta(hours=48)
    assert (due.hour, due.utcoffset()) == (11, dt.timedelta(hours=1))


def test_evaluation_deadline_is_departure_minus_48_hours(knowledge: Knowledge) -> None:
    assert run(knowledge).deadline == DEPARTURE - dt.timedelta(hours=48)
