"""The plan checks: device count, destination limits and coverage, data budget."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from checks_helpers import NOW, devices, make, one, results, run

from readiness import budget as budget_mod
from readiness import checks
from readiness.errors import InputError
from readiness.knowledge import Knowledge
from readiness.results import CheckResult, Status

# --- device-count ---------------------------------------------------------------------


def test_device_count_within_default(knowledge: Knowledge) -> None:
    result = one(run(knowledge, devices=devices(8)), "device-count")
    assert result.status is Status.PASS
    assert result.message == "8 devices; the plan serves up to 8."


def test_device_count_nine_over_default_eight(knowledge: Knowledge) -> None:
    result = one(run(knowledge, devices=devices(9)), "device-count")
    assert result.status is Status.FAIL
    assert result.message == "9 devices, but one plan serves at most 8."
    assert result.fix == "Move devices beyond 8 to a second plan, or leave some at home."


def test_device_count_uses_the_plans_own_maximum(knowledge: Knowledge) -> None:
    assert (
        one(run(knowledge, devices=devices(7), plan={"max_devices": 8}), "device-count").status
        is Status.PASS
    )
    low = one(run(knowledge, devices=devices(3), plan={"max_devices": 2}), "device-count")
    assert low.status is Status.FAIL
    assert low.message == "3 devices, but one plan serves at most 2."


def test_a_plan_maximum_above_the_guides_ceiling_warns_naming_the_guide(
    knowledge: Knowledge,
) -> None:
    result = one(run(knowledge, devices=devices(9), plan={"max_devices": 10}), "device-count")
    assert result.status is Status.WARN
    assert result.message == (
        "9 devices; the plan is set to serve up to 10, but the guide's ceiling is 8 per "
        "subscription: confirm the number with AlwaySIM."
    )
    few = one(run(knowledge, devices=devices(2), plan={"max_devices": 12}), "device-count")
    assert few.status is Status.WARN


def test_device_count_single_device_wording(knowledge: Knowledge) -> None:
    assert one(run(knowledge), "device-count").message == "1 device; the plan serves up to 8."


# --- destination-device-limit ---------------------------------------------------------


def test_destination_limit_provider_cap_exceeded(knowledge: Knowledge) -> None:
    evaluation = run(knowledge, devices=devices(4), plan={"device_limits": {"JP": 3}})
    result = one(evaluation, "destination-device-limit")
    assert result.status is Status.FAIL
    assert result.subject == ""
    assert (
        result.message == "Japan (JP) allows 3 devices on a multi-device profile; this trip has 4."
    )


def test_destination_limit_at_the_cap_passes(knowledge: Knowledge) -> None:
    evaluation = run(knowledge, devices=devices(3), plan={"device_limits": {"JP": 3}})
    assert one(evaluation, "destination-device-limit").status is Status.PASS


def test_destination_limit_cap_given_by_country_name(knowledge: Knowledge) -> None:
    evaluation = run(knowledge, devices=devices(4), plan={"device_limits": {"Japan": 3}})
    assert one(evaluation, "destination-device-limit").status is Status.FAIL


def test_destination_limit_one_result_per_capped_destination(knowledge: Knowledge) -> None:
    evaluation = run(
        knowledge,
        devices=devices(5),
        trip={"destinations": ["JP", "CN", "TH"]},
        plan={"coverage": ["*"], "device_limits": {"JP": 4, "CN": 3, "TH": 8}},
    )
    found = results(evaluation, "destination-device-limit")
    assert [r.status for r in found] == [Status.FAIL, Status.FAIL]
    assert found[0].message.startswith("Japan (JP) allows 4 devices")
    assert found[1].message.startswith("China (CN) allows 3 devices")


def test_destination_limit_more_than_three_without_caps_warns(knowledge: Knowledge) -> None:
    result = one(run(knowledge, devices=devices(4)), "destination-device-limit")
    assert result.status is Status.WARN
    assert result.message == (
        "Some destinations allow only 3 devices on a multi-device profile and this trip "
        "has 4; no cap is recorded for Japan (JP): confirm with AlwaySIM."
    )


def test_destination_limit_three_without_caps_passes(knowledge: Knowledge) -> None:
    assert one(run(knowledge, devices=devices(3)), "destination-device-limit").status is Status.PASS


def test_the_caution_applies_to_each_destination_whose_cap_is_unknown(
    knowledge: Knowledge,
) -> None:
    evaluation = run(
        knowledge,
        devices=devices(4),
        trip={"destinations": ["JP", "SG"]},
        plan={"coverage": ["*"], "device_limits": {"JP": 8}},
    )
    result = one(evaluation, "destination-device-limit")
    assert result.status is Status.WARN
    assert result.message == (
        "Some destinations allow only 3 devices on a multi-device profile and this trip "
        "has 4; no cap is recorded for Singapore (SG): confirm with AlwaySIM."
    )


def test_a_destination_recorded_as_uncapped_passes(knowledge: Knowledge) -> None:
    evaluation = run(
        knowledge,
        devices=devices(4),
        trip={"destinations": ["JP", "SG"]},
        plan={"coverage": ["*"], "device_limits": {"JP": 8}, "uncapped": ["Singapore"]},
    )
    result = one(evaluation, "destination-device-limit")
    assert (result.status, result.message) == (
        Status.PASS,
        "4 devices is within every destination's limit.",
    )


def test_a_cap_exceeded_and_an_unknown_cap_give_both_results(knowledge: Knowledge) -> None:
    evaluation = run(
        knowledge,
        devices=devices(5),
        trip={"destinations": ["JP", "SG"]},
        plan={"coverage": ["*"], "device_limits": {"JP": 4}},
    )
    found = results(evaluation, "destination-device-limit")
    assert [r.status for r in found] == [Status.FAIL, Status.WARN]
    assert "Singapore (SG)" in found[1].message


def test_a_destination_both_capped_and_uncapped_is_refused(knowledge: Knowledge) -> None:
    with pytest.raises(InputError) as caught:
        make(knowledge, plan={"device_limits": {"JP": 3}, "uncapped": ["Japan"]})
    assert [str(p) for p in caught.value.problems] == [
        "answers: plan.uncapped[1]: JP also has a cap in plan.device_limits; give one of them"
    ]


def test_destination_limit_known_generous_cap_passes(knowledge: Knowledge) -> None:
    evaluation = run(knowledge, devices=devices(6), plan={"device_limits": {"JP": 8}})
    assert one(evaluation, "destination-device-limit").status is Status.PASS


# --- destination-coverage -------------------------------------------------------------


@pytest.mark.parametrize(
    ("destinations", "coverage"),
    [(["Japan"], ["JP"]), (["JP"], ["JP"]), (["JP"], ["Japan"]), (["JPN"], ["jp"])],
)
def test_coverage_by_name_or_code(
    knowledge: Knowledge, destinations: list[str], coverage: list[str]
) -> None:
    evaluation = run(knowledge, trip={"destinations": destinations}, plan={"coverage": coverage})
    result = one(evaluation, "destination-coverage")
    assert result.status is Status.PASS
    assert result.message == "Multi-device plan covers Japan (JP)."


def test_coverage_name_and_code_of_the_same_place_are_one_destination(
    knowledge: Knowledge,
) -> None:
    trip = make(knowledge, trip={"destinations": ["Japan", "JP"]}).trip
    assert trip.destinations == ("JP",)


def test_coverage_missing_destination_fails(knowledge: Knowledge) -> None:
    evaluation = run(knowledge, trip={"destinations": ["JP", "Thailand", "KR"]})
    result = one(evaluation, "destination-coverage")
    assert result.status is Status.FAIL
    assert result.message == "Not covered: Thailand (TH), South Korea (KR)."


def test_coverage_worldwide(knowledge: Knowledge) -> None:
    evaluation = run(knowledge, trip={"destinations": ["JP", "BR", "ZA"]}, plan={"coverage": ["*"]})
    result = one(evaluation, "destination-coverage")
    assert result.status is Status.PASS
    assert result.message == "Worldwide multi-device plan covers every destination."


def test_coverage_of_a_plan_that_is_not_multi_device_fails(knowledge: Knowledge) -> None:
    evaluation = run(knowledge, plan={"multi_device": False})
    result = one(evaluation, "destination-coverage")
    assert result.status is Status.FAIL
    assert result.message == "AlwaySIM is not a multi-device plan; devices cannot share it."


def test_coverage_worldwide_single_device_plan_still_fails(knowledge: Knowledge) -> None:
    evaluation = run(knowledge, plan={"multi_device": False, "coverage": ["*"]})
    assert one(evaluation, "destination-coverage").status is Status.FAIL


# --- data-budget ----------------------------------------------------------------------


UNCOUNTED = (
    " Not counted: software updates (its use varies too widely to estimate; keep it for Wi-Fi)."
    " Assumed: the departure and return days each count as a whole day of use."
)

BUDGET: dict[str, Any] = {
    "trip": {"return": dt.date(2026, 12, 12)},
    "plan": {"pool_gb": 20},
    "usage": {"navigation": True},
}


def budget(
    knowledge: Knowledge,
    pool: float | None,
    usage: dict[str, Any] | None,
    back: dt.date | None = dt.date(2026, 12, 12),
) -> CheckResult:
    sections: dict[str, Any] = {"trip": {"return": back}, "plan": {"pool_gb": pool}}
    if usage is not None:
        sections["usage"] = usage
    return one(run(knowledge, **sections), "data-budget")


def test_data_budget_fits(knowledge: Knowledge) -> None:
    # email 50-100 MB a day over 10 days: 0.5-1.0 GB.
    result = budget(knowledge, 20, {"email": True})
    assert result.status is Status.PASS
    assert result.message == "Estimated 0.5-1.0 GB over 10 days fits the 20 GB pool." + UNCOUNTED


def test_data_budget_straddles(knowledge: Knowledge) -> None:
    # email + browsing + navigation (300-750 MB) + 1 h video (1000-2000 MB) a day:
    # 13.0-27.5 GB over 10 days, around a 20 GB pool.
    usage = {"email": True, "browsing": True, "navigation": True, "video_call_hours": 1.0}
    result = budget(knowledge, 20, usage)
    assert result.status is Status.WARN
    assert (
        result.message
        == "Estimated 13.0-27.5 GB over 10 days may exceed the 20 GB pool." + UNCOUNTED
    )
    assert result.fix.startswith("Use Wi-Fi for streaming")


def test_data_budget_exceeds(knowledge: Knowledge) -> None:
    # 1 h of streaming a day is 3-7 GB: 30-70 GB over 10 days.
    result = budget(knowledge, 20, {"streaming_hours": 1.0})
    assert result.status is Status.FAIL
    assert (
        result.message == "Estimated 30.0-70.0 GB over 10 days exceeds the 20 GB pool." + UNCOUNTED
    )


def test_data_budget_upper_estimate_equal_to_pool_fits(knowledge: Knowledge) -> None:
    # 0.5 h video on a one-day trip: 0.5-1.0 GB against a 1 GB pool.
    result = budget(knowledge, 1, {"video_call_hours": 0.5}, dt.date(2026, 12, 3))
    assert result.status is Status.PASS
    assert result.message == "Estimated 0.5-1.0 GB over 1 day fits the 1 GB pool." + UNCOUNTED


def test_data_budget_daily_activity_switched_off_counts_nothing(knowledge: Knowledge) -> None:
    result = budget(knowledge, 1, {"email": False, "browsing": False, "video_call_hours": 0.0})
    assert result.status is Status.PASS
    assert result.message.startswith("Estimated 0.0-0.0 GB")


def test_data_budget_without_a_pool_is_skipped(knowledge: Knowledge) -> None:
    result = budget(knowledge, None, {"streaming_hours": 5.0})
    assert (result.status, result.message) == (Status.SKIP, "No data pool given.")


def test_data_budget_without_a_return_date_is_skipped(knowledge: Knowledge) -> None:
    result = budget(knowledge, 20, {"email": True}, None)
    assert result.status is Status.SKIP
    assert "No return date given" in result.message


def test_data_budget_without_planned_use_is_skipped(knowledge: Knowledge) -> None:
    result = budget(knowledge, 20, None)
    assert (result.status, result.message) == (Status.SKIP, "No planned daily use given.")


def test_estimate_mb_uses_the_activity_table(knowledge: Knowledge) -> None:
    a = make(knowledge, usage={"navigation": True, "streaming_hours": 0.5})
    # navigation 50-150 MB a day, streaming 3000-7000 MB an hour.
    assert budget_mod.estimate_mb(a, knowledge) == (50 + 1500, 150 + 3500)


def test_the_budget_says_what_it_leaves_out_from_the_activity_table(
    knowledge: Knowledge,
) -> None:
    rows = tuple(
        replace(row, name="Backups") if row.varies else row for row in knowledge.activities
    )
    result = one(
        checks.evaluate(make(knowledge, **BUDGET), replace(knowledge, activities=rows), NOW),
        "data-budget",
    )
    assert "Not counted: backups (its use varies too widely to estimate; keep it for Wi-Fi)." in (
        result.message
    )
    plain = tuple(replace(row, varies=False) for row in knowledge.activities)
    result = one(
        checks.evaluate(make(knowledge, **BUDGET), replace(knowledge, activities=plain), NOW),
        "data-budget",
    )
    assert "Not counted" not in result.message
