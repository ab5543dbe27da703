"""OS versions as devices and tools print them, and the OS and version each means.

From issue 14's research (os_versions.md): Settings screens, MDM columns, `sw_vers`,
crash reports, `ver`, `winver`, `systeminfo`, `getprop`, build fingerprints and One UI.
Each string is read the way the checks read it: the OS from the device's model, or
from the version itself when the model does not say (an MDM's "21KCCTO1WW").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
from packaging.version import Version

from readiness import answers, checks
from readiness import knowledge as knowledge_mod
from readiness.answers import Device
from readiness.errors import InvalidValue
from readiness.knowledge import Knowledge
from readiness.results import Status

UNKNOWN = "21KCCTO1WW"  # a model the catalogue does not know: the version must say the OS

# (string as printed, the device's model, the OS it means, the version it compares as)
STRINGS = [
    # iOS / iPadOS / watchOS: Settings, MDM columns, IPSW names, device profiles.
    ("18.1.1", "iPhone 16 Pro", "ios", "18.1.1"),
    ("iOS 18.1.1", UNKNOWN, "ios", "18.1.1"),
    ("iOS 26", UNKNOWN, "ios", "26"),
    ("iPadOS 26", UNKNOWN, "ipados", "26"),
    ("watchOS 26", UNKNOWN, "watchos", "26"),
    ("26.0.1", "iPad17,2", "ipados", "26.0.1"),
    ("26.1", "iPad Pro 13-inch (M5)", "ipados", "26.1"),
    ("iPadOS 26.6.1", UNKNOWN, "ipados", "26.6.1"),
    ("26.6.2", "iPad16,4", "ipados", "26.6.2"),
    ("27.0", "iPhone 17 Pro", "ios", "27.0"),
    ("iPadOS 27.0 (24A5408d)", UNKNOWN, "ipados", "27.0"),
    ("14.8", "iPhone 12", "ios", "14.8"),
    ("iOS 18.0 (22A3354)", UNKNOWN, "ios", "18.0"),
    # macOS: sw_vers (two tabs on macOS 11 and later, one on older), crash reports,
    # About This Mac, ProcessInfo, platform.platform().
    (
        "ProductName:\t\tmacOS\nProductVersion:\t\t26.4.1\nBuildVersion:\t\t25E253",
        UNKNOWN,
        "macos",
        "26.4.1",
    ),
    ("ProductVersion:\t\t26.5", "Mac16,12", "macos", "26.5"),
    ("ProductVersion:\t\t26.6.2", "MacBook Air (13-inch, M4, 2025)", "macos", "26.6.2"),
    ("ProductVersion:\t\t26.3", "Mac15,3", "macos", "26.3"),
    (
        "ProductName:\tMac OS X\nProductVersion:\t10.15.7\nBuildVersion:\t19H1417",
        UNKNOWN,
        "macos",
        "10.15.7",
    ),
    ("ProductVersion:\t10.14.6", "MacBookPro18,3", "macos", "10.14.6"),
    ("macOS 26.1 (25B78)", UNKNOWN, "macos", "26.1"),
    ("macOS 26.1", UNKNOWN, "macos", "26.1"),
    ("macOS Sequoia 15.0 (24A5331b)", UNKNOWN, "macos", "15.0"),
    ("Version 10.14.3 (Build 18D42)", "MacBook Air (M2, 2022)", "macos", "10.14.3"),
    ("macOS Sequoia 15.1", UNKNOWN, "macos", "15.1"),
    ("macOS Tahoe 26.1", UNKNOWN, "macos", "26.1"),
    ("macOS-26.5-arm64-arm-64bit", UNKNOWN, "macos", "26.5"),
    # Windows: ver, winver, systeminfo, MDM columns, bare release names.
    ("Microsoft Windows [Version 10.0.26100.3915]", UNKNOWN, "windows", "10.0.26100.3915"),
    ("Microsoft Windows [Version 10.0.26100.7171]", UNKNOWN, "windows", "10.0.26100.7171"),
    ("Microsoft Windows [Version 10.0.26100.2314]", UNKNOWN, "windows", "10.0.26100.2314"),
    ("Version 24H2 (OS Build 26100.2033)", UNKNOWN, "windows", "10.0.26100"),
    ("Windows 11 Version 24H2 (OS Build 26100.4061)", UNKNOWN, "windows", "10.0.26100"),
    ("Version 25H2 (OS build 26200)", UNKNOWN, "windows", "10.0.26200"),
    ("26200.6584", "Surface Pro 11 5G", "windows", "10.0.26200.6584"),
    ("OS Version:                10.0.22631 N/A Build 22631", UNKNOWN, "windows", "10.0.22631"),
    ("OS Version:                10.0.22000 N/A Build 22000", UNKNOWN, "windows", "10.0.22000"),
    ("OS Version:                10.0.22621 N/A Build 22621", UNKNOWN, "windows", "10.0.22621"),
    ("10.0.22631.4460", UNKNOWN, "windows", "10.0.22631.4460"),
    ("10.0.18363", UNKNOWN, "windows", "10.0.18363"),
    ("10.0.19045", UNKNOWN, "windows", "10.0.19045"),
    ("23H2", UNKNOWN, "windows", "10.0.22631"),
    ("24H2", UNKNOWN, "windows", "10.0.26100"),
    ("Windows 11 23H2", UNKNOWN, "windows", "10.0.22631"),
    # Android: getprop, Settings, field logs, build fingerprints, One UI.
    ("16", "SM-S921B", "android", "16"),
    ("15", "Pixel 9", "android", "15"),
    ("Android version 15", UNKNOWN, "android", "15"),
    ("Android 16 / One UI 8.5", UNKNOWN, "android", "16"),
    ("Android 16 (SDK 36, compileSdkVersion=36)", UNKNOWN, "android", "16"),
    ("Android 14-based One UI 6.0", UNKNOWN, "android", "14"),
    ("One UI 8.0 (Android 16)", UNKNOWN, "android", "16"),
    ("One UI 8.5", UNKNOWN, "android", "16"),
    ("One UI 7", "SM-S938U1", "android", "15"),
    ("One UI 6.1", "Galaxy A55 5G", "android", "14"),
    ("google/tokay/tokay:14/AD1A.240505.001/11690409:user/release-keys", "tokay", "android", "14"),
    ("Android 15", UNKNOWN, "android", "15"),
    # Wear OS.
    ("Wear OS 4", UNKNOWN, "wearos", "4"),
    ("5.1", "Samsung Galaxy Watch7", "wearos", "5.1"),
    ("Wear OS 6", "Google Pixel Watch 4", "wearos", "6"),
    ("Android Wear 2.0", UNKNOWN, "wearos", "2.0"),
    # watchOS: 11 and 26 are real releases, not API levels.
    ("11", "Apple Watch Series 10", "watchos", "11"),
    ("watchOS 26.1", UNKNOWN, "watchos", "26.1"),
]

WEAR_OS_API = (
    "looks like an API level, not the Wear OS version; read the version in Settings > "
    "About watch > Software information on a Galaxy Watch, or Settings > System > About > "
    "Versions on other Wear OS watches"
)

# Numbers that are not the system's version: refused, saying where to read the real one.
REFUSED = [
    (
        "Darwin 25.1.0",
        UNKNOWN,
        "is the Darwin kernel's version, not the system's; read the "
        "version in Apple menu > About This Mac, or run sw_vers -productVersion",
    ),
    ("Darwin Kernel Version 25.4.0", "MacBook Air M3", "is the Darwin kernel's version"),
    ("Darwin 24.1.0", "iPhone 16", "read the version in Settings > General > About > iOS Version"),
    (
        "34",
        "SM-S921B",
        "looks like an API level, not the Android version; read the version in "
        "Settings > About phone > Software information > Android version, or run adb shell "
        "getprop ro.build.version.release",
    ),
    ("API 35", "Pixel 9", "looks like an API level"),
    ("34", "Samsung Galaxy Watch7", f"'34' {WEAR_OS_API}"),
    ("Wear OS 34", "SM-R960", f"'Wear OS 34' {WEAR_OS_API}"),
    ("API 34", "Samsung Galaxy Watch Ultra", f"'API 34' {WEAR_OS_API}"),
    ("One UI 9.0", UNKNOWN, "unknown One UI version 9.0 (known: 6.0, 6.1, 7.0, 8.0, 8.5)"),
]


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return knowledge_mod.load()


def test_the_table_is_big_enough() -> None:
    assert len(STRINGS) >= 40
    assert len({text for text, *_ in STRINGS}) == len(STRINGS)


@pytest.mark.parametrize(("text", "model", "family", "version"), STRINGS)
def test_real_os_string(
    knowledge: Knowledge, text: str, model: str, family: str, version: str
) -> None:
    found = knowledge.os_family(model, text)
    assert found == family
    assert knowledge.parse_version(text, found) == Version(version)


@pytest.mark.parametrize(("text", "model", "message"), REFUSED)
def test_numbers_that_are_not_the_version_are_refused(
    knowledge: Knowledge, text: str, model: str, message: str
) -> None:
    with pytest.raises(InvalidValue) as caught:
        knowledge.parse_version(text, knowledge.os_family(model, text))
    assert message in str(caught.value)


def test_a_watch_given_an_api_level_fails_with_the_place_to_read_the_version(
    knowledge: Knowledge,
) -> None:
    status, message, _ = os_result(knowledge, "Samsung Galaxy Watch7", "34")
    assert status == Status.FAIL
    assert message == f"OS version '34': '34' {WEAR_OS_API}."
    # watchOS 11 is a real release: not refused, only not judged (the guide has no minimum).
    status, message, _ = os_result(knowledge, "Apple Watch Series 10", "11")
    assert (status, message) == (
        Status.SKIP,
        "The guide gives no minimum for watchOS; watchOS 11 cannot be judged.",
    )


def test_a_version_with_no_number_is_unreadable_not_an_api_level(knowledge: Knowledge) -> None:
    for text, family in (("Wear OS", "wearos"), ("Android", "android")):
        with pytest.raises(InvalidValue) as caught:
            knowledge.parse_version(text, family)
        assert str(caught.value) == f"cannot read '{text}' as a version"


def test_every_apple_26_release_is_later_than_the_guides_minimums(knowledge: Knowledge) -> None:
    for family in ("ios", "macos"):
        minimum = knowledge.os_minimum(family)
        assert minimum is not None
        assert knowledge.parse_version("26.0", family) > minimum
    below = {"ios": "18.7", "macos": "15.7"}
    for family, version in below.items():
        minimum = knowledge.os_minimum(family)
        assert minimum is not None
        assert knowledge.parse_version(version, family) < minimum


NOW = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
SOLO = answers.load(Path(__file__).parent / "fixtures" / "solo.toml")


def os_result(knowledge: Knowledge, model: str, os_version: str) -> tuple[Status, str, str]:
    trip = replace(SOLO, devices=(Device(label="D", model=model, os_version=os_version),))
    [result] = checks.os_version(trip, knowledge, NOW)
    return result.status, result.message, result.fix


@pytest.mark.parametrize(
    ("model", "os_version", "status"),
    [
        (UNKNOWN, "23H2", Status.FAIL),
        (UNKNOWN, "10.0.22631.4460", Status.FAIL),
        (UNKNOWN, "24H2", Status.PASS),
        ("SM-S921B", "Android 15", Status.FAIL),
        ("SM-S921B", "One UI 8.0 (Android 16)", Status.PASS),
        ("SM-S921B", "One UI 7", Status.FAIL),
        ("Unknown Galaxy", "One UI 8.5", Status.PASS),
        ("MacBook Air M3", "Darwin 25.1.0", Status.FAIL),
        ("iPhone 17", "26.1", Status.PASS),
        ("SM-S921B", "34", Status.FAIL),
    ],
)
def test_the_check_reads_the_os_from_the_version_when_the_model_does_not_say(
    knowledge: Knowledge, model: str, os_version: str, status: Status
) -> None:
    assert os_result(knowledge, model, os_version)[0] == status


def test_below_the_minimum_names_a_release_that_exists(knowledge: Knowledge) -> None:
    status, message, _ = os_result(knowledge, "iPhone 16 Pro", "18.6")
    assert status == Status.FAIL
    assert message == (
        "iOS 18.6 is below the minimum iOS 19.4; update to the latest iOS (26 or later)."
    )
    _, message, _ = os_result(knowledge, UNKNOWN, "23H2")
    assert message == (
        "Windows 11 23H2 (build 22631) is below the minimum Windows 11 24H2 (build 26100); "
        "update to Windows 11 24H2 or later."
    )


def test_no_fix_hint_names_an_apple_version_that_was_never_released(
    knowledge: Knowledge,
) -> None:
    for text in (*knowledge.fixes.values(), *knowledge.os_update_to.values()):
        for never in ("19.4", "iOS 19", "16.2", "macOS 16"):
            assert never not in text, (never, text)
