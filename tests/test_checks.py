"""The check engine: one test group per check id, with passing, failing and edge inputs.

Answers are built from a small, complete, ready document (``BASE``) with
overrides, then validated by ``answers.from_document`` exactly as a file would
be, and evaluated at a fixed moment.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import replace
from typing import Any

import pytest

from readiness import answers, checks
from readiness import budget as budget_mod
from readiness.errors import InputError
from readiness.knowledge import Knowledge
from readiness.results import (
    CheckResult,
    Evaluation,
    Status,
    Verdict,
    format_moment,
    format_span,
    verdict_of,
)

SGT = dt.timezone(dt.timedelta(hours=8))
DEPARTURE = dt.datetime(2026, 12, 3, 9, 30, tzinfo=SGT)
NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)

# Valid IMEIs (Luhn check digit correct) and a valid EID (MOD 97-10).
IMEI_A = "352099001761481"
IMEI_B = "353456789012348"
IMEI_C = "356789012345672"
EID_OK = "89049032000000000000000000000163"

PHONE: dict[str, Any] = {
    "label": "Ada's iPhone",
    "model": "iPhone 16 Pro",
    "os_version": "19.4.1",
    "imei": IMEI_A,
    "battery": 80,
    "primary": True,
    "priority": "primary",
    "roaming_authorized": True,
    "wifi_calling": True,
}

BASE: dict[str, Any] = {
    "schema": 1,
    "traveler": {"name": "Ada Lovelace"},
    "trip": {
        "name": "Tokyo",
        "departure": DEPARTURE,
        "home": "SG",
        "destinations": ["JP"],
    },
    "plan": {"provider": "AlwaySIM", "multi_device": True, "coverage": ["JP"]},
    "devices": [PHONE],
    "checklist": {
        "same_wifi": True,
        "profiles_backed_up": "n/a",
        "offline_maps": True,
        "network_preference": True,
        "airplane_schedule": True,
    },
}


def device(**overrides: Any) -> dict[str, Any]:
    """A secondary device: the ready phone, not primary, with ``overrides``."""
    return {**PHONE, "primary": False, "priority": "standard", **overrides}


def devices(count: int) -> list[dict[str, Any]]:
    """``count`` devices, the first primary; no IMEIs, so none clash."""
    out = [{**PHONE, "imei": ""}]
    out += [device(label=f"Device {n}", imei="") for n in range(2, count + 1)]
    return out


def make(knowledge: Knowledge, **sections: Any) -> answers.Answers:
    """``BASE`` with whole sections replaced or, for dict values, keys overridden.

    ``trip={"destinations": [...]}`` changes only that key of ``[trip]``;
    ``devices=[...]`` replaces the list; a value of ``None`` removes a key.
    """
    doc = copy.deepcopy(BASE)
    for name, value in sections.items():
        if isinstance(value, dict) and isinstance(doc.get(name), dict):
            for key, item in value.items():
                if item is None:
                    doc[name].pop(key, None)
                else:
                    doc[name][key] = item
        else:
            doc[name] = copy.deepcopy(value)
    return answers.from_document(doc)


def run(
    knowledge: Knowledge, now: dt.datetime = NOW, *, strict: bool = False, **sections: Any
) -> Evaluation:
    return checks.evaluate(make(knowledge, **sections), knowledge, now, strict=strict)


def results(evaluation: Evaluation, check_id: str) -> list[CheckResult]:
    return [r for r in evaluation.results if r.id == check_id]


def one(evaluation: results.Evaluation, check_id: str, subject: str | None = None) -> CheckResult:
    """The single result for ``check_id`` (and ``subject`` when given)."""
    found = [r for r in results(evaluation, check_id) if subject is None or r.subject == subject]
    assert len(found) == 1, found
    return found[0]


def one_device(knowledge: Knowledge, check_id: str, **phone: Any) -> CheckResult:
    """Evaluate the base trip with one changed phone and return its ``check_id`` result.

    A value of ``None`` leaves the key out of the device.
    """
    changed = {k: v for k, v in {**PHONE, **phone}.items() if v is not None}
    evaluation = run(knowledge, devices=[changed])
    return one(evaluation, check_id, PHONE["label"])


# --- the whole run --------------------------------------------------------------------


def test_base_answers_are_ready(knowledge: Knowledge) -> None:
    evaluation = run(knowledge)
    assert evaluation.verdict is Verdict.READY
    assert {r.id for r in evaluation.results} == set(checks.CHECK_IDS)
    bad = [r for r in evaluation.results if r.status in (Status.FAIL, Status.WARN)]
    assert bad == []


def test_every_check_id_is_stable() -> None:
    assert checks.CHECK_IDS == (
        "device-count",
        "destination-device-limit",
        "destination-coverage",
        "departure-window",
        "data-budget",
        "primary-device",
        "device-compatibility",
        "os-version",
        "imei",
        "battery",
        "same-wifi",
        "profile-backup",
        "offline-maps",
        "network-preference",
        "roaming",
        "wifi-calling",
        "airplane-schedule",
    )


def test_results_keep_check_order(knowledge: Knowledge) -> None:
    evaluation = run(knowledge)
    order = [r.id for r in evaluation.results]
    assert order == sorted(order, key=checks.CHECK_IDS.index)


def test_failing_and_warning_results_carry_the_data_files_fix(knowledge: Knowledge) -> None:
    evaluation = run(knowledge, devices=[{**PHONE, "battery": 5}], checklist={"same_wifi": False})
    for result in evaluation.results:
        if result.status in (Status.FAIL, Status.WARN):
            assert result.fix, result
        else:
            assert result.fix == "", result
    assert (
        one(evaluation, "battery").fix == "Charge the device to at least 20 % before provisioning."
    )


def test_warnings_never_hide_failures(knowledge: Knowledge) -> None:
    evaluation = run(
        knowledge,
        devices=[{**PHONE, "battery": 19}],
        checklist={"airplane_schedule": False},
    )
    statuses = {r.status for r in evaluation.results}
    assert {Status.FAIL, Status.WARN} <= statuses
    assert evaluation.verdict is Verdict.NOT_READY


def test_warnings_alone_are_ready_with_warnings(knowledge: Knowledge) -> None:
    evaluation = run(knowledge, checklist={"airplane_schedule": False})
    assert {r.status for r in evaluation.results} - {Status.PASS, Status.SKIP} == {Status.WARN}
    assert evaluation.verdict is Verdict.READY_WITH_WARNINGS


def test_strict_turns_warnings_into_not_ready(knowledge: Knowledge) -> None:
    evaluation = run(knowledge, strict=True, checklist={"airplane_schedule": False})
    assert evaluation.verdict is Verdict.NOT_READY


def test_strict_leaves_a_clean_run_ready(knowledge: Knowledge) -> None:
    assert run(knowledge, strict=True).verdict is Verdict.READY


@pytest.mark.parametrize(
    ("statuses", "strict", "verdict"),
    [
        ((), False, Verdict.READY),
        ((Status.PASS, Status.SKIP), False, Verdict.READY),
        ((Status.PASS, Status.WARN), False, Verdict.READY_WITH_WARNINGS),
        ((Status.WARN, Status.FAIL), False, Verdict.NOT_READY),
        ((Status.FAIL, Status.WARN, Status.PASS), False, Verdict.NOT_READY),
        ((Status.PASS, Status.WARN), True, Verdict.NOT_READY),
        ((Status.PASS, Status.SKIP), True, Verdict.READY),
    ],
)
def test_verdict_of(statuses: tuple[Status, ...], strict: bool, verdict: Verdict) -> None:
    found = [CheckResult("x", s, "", "") for s in statuses]
    assert verdict_of(found, strict=strict) is verdict


def test_evaluate_is_deterministic(knowledge: Knowledge) -> None:
    assert run(knowledge) == run(knowledge)


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


# --- primary-device -------------------------------------------------------------------


def test_primary_device_passes_for_a_full_row(knowledge: Knowledge) -> None:
    result = one(run(knowledge), "primary-device")
    assert result.status is Status.PASS
    assert result.subject == "Ada's iPhone"
    assert "iPhone 15 Pro and newer" in result.message


def test_two_primaries_fail(knowledge: Knowledge) -> None:
    evaluation = run(
        knowledge,
        devices=[PHONE, device(label="Bob's Pixel", model="Pixel 9", imei=IMEI_B, primary=True)],
    )
    result = one(evaluation, "primary-device")
    assert result.status is Status.FAIL
    assert result.message == (
        "2 devices are marked primary (Ada's iPhone, Bob's Pixel); exactly one manages the plan."
    )


def test_no_primary_fails(knowledge: Knowledge) -> None:
    result = one(run(knowledge, devices=[device()]), "primary-device")
    assert result.status is Status.FAIL
    assert result.message == "No device is marked primary; one device must manage the plan."


def test_primary_iphone_14_is_limited_and_fails(knowledge: Knowledge) -> None:
    result = one_device(knowledge, "primary-device", model="iPhone 14")
    assert result.status is Status.FAIL
    assert result.message == (
        "iPhone 14 and earlier: multi-device profile is Limited; the primary device must "
        "manage the plan fully."
    )


def test_primary_windows_laptop_is_carrier_dependent_and_fails(knowledge: Knowledge) -> None:
    result = one_device(
        knowledge, "primary-device", model="Windows laptop with 5G", os_version="Windows 11 24H2"
    )
    assert result.status is Status.FAIL
    assert "Carrier-dependent" in result.message


@pytest.mark.parametrize(
    ("model", "kind"),
    [("iPad Pro 11-inch (M4)", "tablet"), ("MacBook Air 13-inch (M4)", "laptop")],
)
def test_a_tablet_or_laptop_primary_warns_that_the_guide_makes_the_phone_the_hub(
    knowledge: Knowledge, model: str, kind: str
) -> None:
    result = one_device(knowledge, "primary-device", model=model)
    row = knowledge.place(model).row
    assert row is not None
    assert (result.status, result.message) == (
        Status.WARN,
        f"{row.name} manages multi-device profiles, but it is a {kind}: the guide makes the "
        "smartphone the hub and sets watches up through the phone's companion app.",
    )


@pytest.mark.parametrize("model", ["Apple Watch Series 10", "Apple Watch Ultra 2"])
def test_a_watch_primary_fails(knowledge: Knowledge, model: str) -> None:
    result = one_device(knowledge, "primary-device", model=model)
    assert (result.status, result.message) == (
        Status.FAIL,
        f"{model} is a watch; the guide makes the smartphone the hub and sets a watch up "
        "through the phone's companion app, so a watch cannot manage the plan.",
    )


def test_primary_not_in_matrix_warns(knowledge: Knowledge) -> None:
    result = one_device(knowledge, "primary-device", model="iPhone 15")
    assert result.status is Status.WARN
    assert "iPhone 15 is not in the compatibility matrix" in result.message


# --- device-compatibility -------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "row_name"),
    [
        ("iPhone 15 Pro", "iPhone 15 Pro and newer"),
        ("iPhone 18 Pro", "iPhone 15 Pro and newer"),
        ("Samsung Galaxy S26", "Samsung Galaxy S24 and newer"),
        ("Galaxy S26", "Samsung Galaxy S24 and newer"),
        ("Pixel 11", "Google Pixel 8 and newer"),
        ("iPad Pro 13-inch (M5)", "iPad Pro (M3 and newer)"),
        ("MacBook Air 13-inch (M4)", "MacBook Air/Pro (M3 and newer)"),
    ],
)
def test_compatibility_full_rows_pass(knowledge: Knowledge, model: str, row_name: str) -> None:
    result = one_device(knowledge, "device-compatibility", model=model)
    assert result.status is Status.PASS
    assert result.message == f"{row_name}: Full eSIM support."


def test_compatibility_full_esim_with_partial_routing_passes_and_says_so(
    knowledge: Knowledge,
) -> None:
    result = one_device(knowledge, "device-compatibility", model="Apple Watch Series 10")
    assert result.status is Status.PASS
    assert result.message == (
        "Apple Watch Series 9 and newer: Full eSIM support; intelligent routing: Partial."
    )


def test_compatibility_partial_row_warns(knowledge: Knowledge) -> None:
    result = one_device(knowledge, "device-compatibility", model="iPhone 13")
    assert result.status is Status.WARN
    assert result.message == (
        "iPhone 14 and earlier: eSIM support Partial; multi-device profile: Limited, "
        "intelligent routing: No."
    )


def test_compatibility_varies_row_warns(knowledge: Knowledge) -> None:
    result = one_device(
        knowledge, "device-compatibility", model="Windows laptop with 5G", os_version="24H2"
    )
    assert result.status is Status.WARN
    assert result.message.startswith("Windows laptops with 5G: eSIM support Varies;")
    assert "multi-device profile: Carrier-dependent" in result.message


@pytest.mark.parametrize(
    "model", ["iPhone 15", "iPhone 15 Plus", "Samsung Galaxy S23", "Nokia 3310"]
)
def test_compatibility_not_in_matrix_warns_and_is_never_full(
    knowledge: Knowledge, model: str
) -> None:
    result = one_device(knowledge, "device-compatibility", model=model, os_version="")
    assert result.status is Status.WARN
    assert f"{model} is not in matrix" in result.message
    assert "Full" not in result.message
    assert result.message.endswith("its eSIM support is unknown.")


def test_compatibility_misspelled_model_suggests_catalogue_names(knowledge: Knowledge) -> None:
    result = one_device(knowledge, "device-compatibility", model="iPhone 15 Plsu")
    assert result.status is Status.WARN
    assert "(closest: " in result.message
    closest = result.message.split("(closest: ")[1].split(")")[0].split(", ")
    assert "iPhone 15 Plus" in closest
    assert all(name in knowledge.model_names() for name in closest)


def test_compatibility_one_result_per_device(knowledge: Knowledge) -> None:
    evaluation = run(
        knowledge,
        devices=[PHONE, device(label="Tab", model="iPad Pro 11-inch (M4)", imei=IMEI_B)],
    )
    assert [r.subject for r in results(evaluation, "device-compatibility")] == [
        "Ada's iPhone",
        "Tab",
    ]


# --- os-version -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "version", "message"),
    [
        ("iPhone 16 Pro", "19.4.1", "iOS 19.4.1 meets the minimum iOS 19.4."),
        ("iPhone 16 Pro", "19.4", "iOS 19.4 meets the minimum iOS 19.4."),
        ("iPhone 16 Pro", "26.1", "iOS 26.1 meets the minimum iOS 19.4."),
        ("Google Pixel 9", "Android 16", "Android 16 meets the minimum Android 16."),
        ("MacBook Air 13-inch (M4)", "macOS 16.2", "macOS 16.2 meets the minimum macOS 16.2."),
    ],
)
def test_os_version_at_or_above_minimum(
    knowledge: Knowledge, model: str, version: str, message: str
) -> None:
    result = one_device(knowledge, "os-version", model=model, os_version=version)
    assert result.status is Status.PASS
    assert result.message == message


def test_os_version_windows_11_24h2_meets_the_minimum(knowledge: Knowledge) -> None:
    result = one_device(
        knowledge, "os-version", model="Windows laptop with 5G", os_version="10.0.26100.2314"
    )
    assert result.status is Status.PASS


def test_os_version_windows_10_build_fails(knowledge: Knowledge) -> None:
    result = one_device(
        knowledge, "os-version", model="Windows laptop with 5G", os_version="10.0.19045.3803"
    )
    assert result.status is Status.FAIL
    assert result.message.startswith("Windows 10")
    assert "is below the minimum Windows 11 24H2" in result.message


def test_os_version_windows_11_23h2_is_below_24h2(knowledge: Knowledge) -> None:
    result = one_device(
        knowledge,
        "os-version",
        model="Windows laptop with 5G",
        os_version="Microsoft Windows [Version 10.0.22631.4460]",
    )
    assert result.status is Status.FAIL


def test_os_version_ios_18_with_build_fails(knowledge: Knowledge) -> None:
    result = one_device(knowledge, "os-version", os_version="iOS 18.0 (22A3354)")
    assert result.status is Status.FAIL
    assert result.message == (
        "iOS 18.0 is below the minimum iOS 19.4; update to the latest iOS (26 or later)."
    )
    assert result.fix.startswith("Update the operating system")


def test_os_version_compares_numerically_not_as_text(knowledge: Knowledge) -> None:
    # "19.10" < "19.4" as strings; as versions it is newer.
    assert one_device(knowledge, "os-version", os_version="19.10").status is Status.PASS
    assert one_device(knowledge, "os-version", os_version="19.3.9").status is Status.FAIL


def test_os_version_android_15_fails(knowledge: Knowledge) -> None:
    result = one_device(knowledge, "os-version", model="Google Pixel 9", os_version="Android 15")
    assert result.status is Status.FAIL
    assert result.message == (
        "Android 15 is below the minimum Android 16; update to Android 16 or later."
    )


def test_os_version_unparseable_fails(knowledge: Knowledge) -> None:
    result = one_device(knowledge, "os-version", os_version="latest")
    assert result.status is Status.FAIL
    assert result.message.startswith("OS version 'latest': ")


def test_os_version_missing_fails(knowledge: Knowledge) -> None:
    result = one_device(knowledge, "os-version", os_version=None)
    assert result.status is Status.FAIL
    assert result.message == "No OS version given."


@pytest.mark.parametrize(
    ("model", "version", "name"),
    [
        ("Apple Watch Series 10", "watchOS 12.4", "watchOS"),
        ("iPad Pro 11-inch (M4)", "iPadOS 19.4", "iPadOS"),
        ("Samsung Galaxy Watch7", "Wear OS 5", "Wear OS"),
    ],
)
def test_os_version_without_a_minimum_is_skipped_with_the_reason(
    knowledge: Knowledge, model: str, version: str, name: str
) -> None:
    result = one_device(knowledge, "os-version", model=model, os_version=version)
    assert result.status is Status.SKIP
    assert result.message.startswith(f"The guide gives no minimum for {name};")
    assert result.message.endswith("cannot be judged.")


def test_os_version_unknown_model_uses_the_version_text(knowledge: Knowledge) -> None:
    result = one_device(knowledge, "os-version", model="Nokia 3310", os_version="iOS 18.2")
    assert result.status is Status.FAIL
    assert "iOS 19.4" in result.message


def test_os_version_unknown_model_and_os_is_skipped(knowledge: Knowledge) -> None:
    result = one_device(knowledge, "os-version", model="Nokia 3310", os_version="1.0")
    assert result.status is Status.SKIP
    assert result.message == "Cannot tell which OS Nokia 3310 runs; no minimum to compare."


def test_os_version_not_in_matrix_model_still_gets_its_os_minimum(knowledge: Knowledge) -> None:
    # iPhone 15 is in no row, but the catalogue knows it runs iOS.
    result = one_device(knowledge, "os-version", model="iPhone 15", os_version="18.6")
    assert result.status is Status.FAIL
    assert result.message == (
        "iOS 18.6 is below the minimum iOS 19.4; update to the latest iOS (26 or later)."
    )


# --- imei -----------------------------------------------------------------------------


def test_imei_valid_passes_and_is_masked(knowledge: Knowledge) -> None:
    result = one_device(knowledge, "imei", imei="35-209900-176148/1")
    assert result.status is Status.PASS
    assert result.message == "IMEI documented and valid (•••••••••••1481)."


def test_imei_wrong_check_digit_fails(knowledge: Knowledge) -> None:
    result = one_device(knowledge, "imei", imei="35 209900 176148 2")
    assert result.status is Status.FAIL
    assert result.message.startswith("IMEI 352099001761482: check digit is wrong (expected 1)")
    assert result.fix.startswith("Dial *#06#")


def test_imeisv_is_not_an_imei(knowledge: Knowledge) -> None:
    result = one_device(knowledge, "imei", imei="3520990017614810")
    assert result.status is Status.FAIL
    assert "16 digits looks like an IMEISV" in result.message


def test_imei_missing_fails(knowledge: Knowledge) -> None:
    result = one_device(knowledge, "imei", imei="")
    assert result.status is Status.FAIL
    assert result.message == "No IMEI documented."


def test_imei_with_letters_fails(knowledge: Knowledge) -> None:
    result = one_device(knowledge, "imei", imei="35209900176148A")
    assert result.status is Status.FAIL
    assert "only digits" in result.message


def test_same_imei_on_two_devices_fails_the_second(knowledge: Knowledge) -> None:
    evaluation = run(knowledge, devices=[PHONE, device(label="Ada's old iPhone")])
    assert one(evaluation, "imei", "Ada's iPhone").status is Status.PASS
    second = one(evaluation, "imei", "Ada's old iPhone")
    assert second.status is Status.FAIL
    assert second.message == "IMEI •••••••••••1481 is also on Ada's iPhone."


def test_same_imei_written_differently_is_still_the_same(knowledge: Knowledge) -> None:
    evaluation = run(knowledge, devices=[PHONE, device(label="Twin", imei="35 209900 176148 1")])
    assert one(evaluation, "imei", "Twin").status is Status.FAIL


def test_imei2_clashing_with_another_devices_imei_fails(knowledge: Knowledge) -> None:
    evaluation = run(knowledge, devices=[PHONE, device(label="Dual", imei=IMEI_B, imei2=IMEI_A)])
    result = one(evaluation, "imei", "Dual")
    assert result.status is Status.FAIL
    assert result.message == "IMEI2 •••••••••••1481 is also on Ada's iPhone."


def test_valid_imei2_passes(knowledge: Knowledge) -> None:
    result = one_device(knowledge, "imei", imei2=IMEI_B)
    assert result.status is Status.PASS
    assert result.message.startswith("IMEI and IMEI2 documented and valid")


def test_imei2_wrong_check_digit_fails(knowledge: Knowledge) -> None:
    result = one_device(knowledge, "imei", imei2="353456789012349")
    assert result.status is Status.FAIL
    assert result.message.startswith("IMEI2 353456789012349: check digit is wrong")


def test_valid_eid_passes(knowledge: Knowledge) -> None:
    assert one_device(knowledge, "imei", eid=EID_OK).status is Status.PASS


def test_eid_wrong_check_digits_fails(knowledge: Knowledge) -> None:
    result = one_device(knowledge, "imei", eid=EID_OK[:-1] + "4")
    assert result.status is Status.FAIL
    assert result.message == (
        "EID 89049032000000000000000000000164: check digits are wrong; look for a mistyped digit."
    )


def test_eid_wrong_length_fails(knowledge: Knowledge) -> None:
    result = one_device(knowledge, "imei", eid="8904903200000000")
    assert result.status is Status.FAIL
    assert "an EID has 32 digits, got 16" in result.message


def test_imei_reports_every_problem_of_a_device(knowledge: Knowledge) -> None:
    result = one_device(knowledge, "imei", imei="", eid=EID_OK[:-1] + "4")
    assert result.status is Status.FAIL
    assert result.message.startswith("No IMEI documented; EID ")


# --- battery --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "status"),
    [(20, Status.PASS), (100, Status.PASS), (19, Status.FAIL), (0, Status.FAIL)],
)
def test_battery_threshold(knowledge: Knowledge, level: int, status: Status) -> None:
    assert one_device(knowledge, "battery", battery=level).status is status


def test_battery_20_passes_exactly(knowledge: Knowledge) -> None:
    result = one_device(knowledge, "battery", battery=20)
    assert result.message == "Battery at 20 %."


def test_battery_19_fails_with_the_minimum(knowledge: Knowledge) -> None:
    result = one_device(knowledge, "battery", battery=19)
    assert result.message == "Battery at 19 %; setup needs at least 20 %."


def test_battery_not_given_fails(knowledge: Knowledge) -> None:
    result = one_device(knowledge, "battery", battery=None)
    assert result.status is Status.FAIL
    assert result.message == "Battery level not given."


def test_battery_is_per_device(knowledge: Knowledge) -> None:
    evaluation = run(knowledge, devices=[PHONE, device(label="Watch", imei=IMEI_B, battery=12)])
    assert one(evaluation, "battery", "Ada's iPhone").status is Status.PASS
    assert one(evaluation, "battery", "Watch").status is Status.FAIL


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


# --- the checklist answers ------------------------------------------------------------


@pytest.mark.parametrize(
    ("check_id", "key", "yes", "no"),
    [
        (
            "same-wifi",
            "same_wifi",
            "All devices on the same Wi-Fi for provisioning.",
            "Devices are not on the same Wi-Fi network.",
        ),
        (
            "profile-backup",
            "profiles_backed_up",
            "eSIM profiles being replaced are backed up.",
            "eSIM profiles being replaced are not backed up.",
        ),
        (
            "offline-maps",
            "offline_maps",
            "Offline maps downloaded on the navigation device.",
            "Offline maps are not downloaded.",
        ),
        (
            "network-preference",
            "network_preference",
            "Network-type preference set for the destinations.",
            "Network-type preference is not set for the destinations.",
        ),
    ],
)
def test_checklist_answers(
    knowledge: Knowledge, check_id: str, key: str, yes: str, no: str
) -> None:
    done = one(run(knowledge, checklist={key: True}), check_id)
    assert (done.status, done.message) == (Status.PASS, yes)
    not_done = one(run(knowledge, checklist={key: False}), check_id)
    assert (not_done.status, not_done.message) == (Status.FAIL, no)
    assert not_done.fix
    unanswered = one(run(knowledge, checklist={key: None}), check_id)
    assert (unanswered.status, unanswered.message) == (Status.FAIL, "Not answered.")


@pytest.mark.parametrize("value", ["n/a", "N/A"])
def test_profile_backup_not_applicable_passes(knowledge: Knowledge, value: str) -> None:
    result = one(run(knowledge, checklist={"profiles_backed_up": value}), "profile-backup")
    assert result.status is Status.PASS
    assert result.message == "No eSIM profiles are being replaced."


# --- roaming --------------------------------------------------------------------------


def test_roaming_authorised_passes(knowledge: Knowledge) -> None:
    result = one_device(knowledge, "roaming")
    assert (result.status, result.message) == (Status.PASS, "International roaming pre-authorised.")


def test_roaming_not_authorised_fails(knowledge: Knowledge) -> None:
    result = one_device(knowledge, "roaming", roaming_authorized=False)
    assert (result.status, result.message) == (
        Status.FAIL,
        "International roaming not pre-authorised.",
    )
    assert "roaming" in result.fix


def test_roaming_unanswered_fails(knowledge: Knowledge) -> None:
    result = one_device(knowledge, "roaming", roaming_authorized=None)
    assert (result.status, result.message) == (Status.FAIL, "International roaming not answered.")


def test_roaming_is_checked_on_every_device(knowledge: Knowledge) -> None:
    evaluation = run(
        knowledge,
        devices=[
            PHONE,
            device(
                label="Tab", model="iPad Pro 11-inch (M4)", imei=IMEI_B, roaming_authorized=False
            ),
        ],
    )
    assert [r.status for r in results(evaluation, "roaming")] == [Status.PASS, Status.FAIL]


# --- wifi-calling ---------------------------------------------------------------------


def test_wifi_calling_on_passes(knowledge: Knowledge) -> None:
    result = one_device(knowledge, "wifi-calling")
    assert (result.status, result.message) == (Status.PASS, "Wi-Fi Calling on.")


def test_wifi_calling_off_on_a_phone_fails(knowledge: Knowledge) -> None:
    result = one_device(knowledge, "wifi-calling", wifi_calling=False)
    assert (result.status, result.message) == (Status.FAIL, "Wi-Fi Calling off.")


def test_wifi_calling_unanswered_on_a_watch_fails(knowledge: Knowledge) -> None:
    result = one_device(knowledge, "wifi-calling", model="Apple Watch Series 10", wifi_calling=None)
    assert (result.status, result.message) == (Status.FAIL, "Wi-Fi Calling not answered.")


@pytest.mark.parametrize(
    ("model", "kind"), [("iPad Pro 11-inch (M4)", "tablet"), ("MacBook Air 13-inch (M4)", "laptop")]
)
def test_wifi_calling_not_asked_of_tablets_and_laptops(
    knowledge: Knowledge, model: str, kind: str
) -> None:
    result = one_device(knowledge, "wifi-calling", model=model, wifi_calling=None)
    assert (result.status, result.message) == (
        Status.SKIP,
        f"Wi-Fi Calling is not asked of a {kind}. Assumed: Wi-Fi Calling is asked of phones "
        'and watches only; the guide says only "all capable devices".',
    )


def test_the_wifi_calling_assumption_is_said_once(knowledge: Knowledge) -> None:
    tablet = device(label="iPad", model="iPad Pro 11-inch (M4)", imei=IMEI_B)
    laptop = device(label="Mac", model="MacBook Air 13-inch (M4)", imei=IMEI_C)
    found = results(run(knowledge, devices=[PHONE, tablet, laptop]), "wifi-calling")
    assert [r.message.count("Assumed: ") for r in found] == [0, 1, 0]
    assert found[2].message == "Wi-Fi Calling is not asked of a laptop."


def test_wifi_calling_unknown_model_is_asked(knowledge: Knowledge) -> None:
    result = one_device(knowledge, "wifi-calling", model="Nokia 3310", wifi_calling=None)
    assert result.status is Status.FAIL


# --- airplane-schedule ----------------------------------------------------------------


def test_airplane_schedule_skipped_when_home_and_destination_share_an_offset(
    knowledge: Knowledge,
) -> None:
    # Singapore and China are both UTC+8.
    evaluation = run(
        knowledge,
        trip={"destinations": ["CN"]},
        plan={"coverage": ["CN"]},
        checklist={"airplane_schedule": None},
    )
    result = one(evaluation, "airplane-schedule")
    assert result.status is Status.SKIP
    assert result.message == (
        "Home and destinations share a UTC offset at departure; no schedule needed."
    )
    assert evaluation.verdict is Verdict.READY


def test_airplane_schedule_skipped_for_neighbours_with_a_common_zone(knowledge: Knowledge) -> None:
    evaluation = run(
        knowledge,
        trip={"home": "US", "destinations": ["CA"]},
        plan={"coverage": ["CA"]},
        checklist={"airplane_schedule": None},
    )
    assert one(evaluation, "airplane-schedule").status is Status.SKIP


@pytest.mark.parametrize("answer", [None, False])
def test_airplane_schedule_warns_when_crossing_zones_and_not_set(
    knowledge: Knowledge, answer: bool | None
) -> None:
    # Singapore is UTC+8, Japan UTC+9.
    result = one(run(knowledge, checklist={"airplane_schedule": answer}), "airplane-schedule")
    assert result.status is Status.WARN
    assert result.message == "The trip crosses time zones and no airplane-mode schedule is set."
    assert result.fix == "Set airplane-mode schedules for the time-zone changes on this trip."


def test_airplane_schedule_set_when_crossing_zones_passes(knowledge: Knowledge) -> None:
    result = one(run(knowledge), "airplane-schedule")
    assert result.status is Status.PASS


def test_airplane_schedule_offsets_are_taken_at_departure(knowledge: Knowledge) -> None:
    # Iceland stays on +00:00 all year; the UK is +00:00 in winter and +01:00
    # in summer, so they share an offset in winter only.
    winter = {
        "departure": dt.datetime(2026, 1, 15, 9, 0, tzinfo=dt.UTC),
        "home": "GB",
        "destinations": ["IS"],
    }
    summer = {**winter, "departure": dt.datetime(2026, 7, 15, 9, 0, tzinfo=dt.UTC)}
    early = dt.datetime(2025, 12, 1, tzinfo=dt.UTC)
    cover = {"coverage": ["IS"]}
    no_answer = {"airplane_schedule": None}
    assert (
        one(
            run(knowledge, early, trip=winter, plan=cover, checklist=no_answer), "airplane-schedule"
        ).status
        is Status.SKIP
    )
    assert (
        one(
            run(knowledge, early, trip=summer, plan=cover, checklist=no_answer), "airplane-schedule"
        ).status
        is Status.WARN
    )


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


# --- formatting helpers ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("span", "text"),
    [
        (dt.timedelta(0), "0 min"),
        (dt.timedelta(minutes=59), "59 min"),
        (dt.timedelta(hours=1, minutes=5), "1 h 05 min"),
        (dt.timedelta(days=1), "1 day 0 h"),
        (dt.timedelta(days=2, hours=4, minutes=59), "2 days 4 h"),
        (-dt.timedelta(hours=3), "3 h 00 min"),
    ],
)
def test_format_span(span: dt.timedelta, text: str) -> None:
    assert format_span(span) == text


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (dt.datetime(2026, 12, 1, 9, 30, tzinfo=SGT), "Tue 1 Dec 2026 09:30 +08"),
        (dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC), "Tue 1 Dec 2026 09:30 +00"),
        (
            dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=45))),
            "Tue 1 Dec 2026 09:30 +05:45",
        ),
    ],
)
def test_format_moment(moment: dt.datetime, text: str) -> None:
    assert format_moment(moment) == text


def test_an_imei2_equal_to_the_imei_says_so(knowledge: Knowledge) -> None:
    result = one_device(knowledge, "imei", imei="352099001761481", imei2="352099001761481")
    assert result.status is Status.FAIL
    assert result.message == "IMEI2 is the same as the IMEI; a dual-SIM device has two."


def test_an_unreadable_os_version_gets_its_own_fix(knowledge: Knowledge) -> None:
    result = one_device(knowledge, "os-version", os_version="banana")
    assert result.status is Status.FAIL
    assert result.fix == knowledge.fix("os-version.unreadable")
    assert "About screen" in result.fix
