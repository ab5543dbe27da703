"""The per-device checks: primary device, compatibility, OS version, IMEI/EID, battery."""

from __future__ import annotations

import pytest
from checks_helpers import IMEI_A, IMEI_B, PHONE, device, one, one_device, results, run

from readiness.knowledge import Knowledge
from readiness.results import Status

EID_OK = "89049032000000000000000000000163"


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


def test_an_imei2_equal_to_the_imei_says_so(knowledge: Knowledge) -> None:
    result = one_device(knowledge, "imei", imei="352099001761481", imei2="352099001761481")
    assert result.status is Status.FAIL
    assert result.message == "IMEI2 is the same as the IMEI; a dual-SIM device has two."


def test_an_unreadable_os_version_gets_its_own_fix(knowledge: Knowledge) -> None:
    result = one_device(knowledge, "os-version", os_version="banana")
    assert result.status is Status.FAIL
    assert result.fix == knowledge.fix("os-version.unreadable")
    assert "About screen" in result.fix
