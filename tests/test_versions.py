from __future__ import annotations

import pytest
from packaging.version import Version

from readiness import knowledge as knowledge_mod
from readiness import versions
from readiness.errors import InvalidValue
from readiness.versions import FAMILIES, WindowsReleases, detect_family, display_name

# The shipped data file's release table: what every command reads Windows versions with.
RELEASES = knowledge_mod.load().windows_releases


def parse_version(text: str, family: str | None = None) -> Version:
    return versions.parse_version(text, family, RELEASES)


def describe(version: Version, family: str) -> str:
    return versions.describe(version, family, RELEASES)


@pytest.mark.parametrize(
    ("text", "family", "expected"),
    [
        ("19.4.1", None, "19.4.1"),
        ("iOS 18.0 (22A3354)", None, "18.0"),
        ("26.1", "ios", "26.1"),
        ("Android 16", None, "16"),
        ("Android 14 (API 34)", "android", "14"),
        ("macOS 15.1 (24B83)", None, "15.1"),
        ("macOS Sequoia 15.1", "macos", "15.1"),
        ("Windows 11 Pro 24H2", None, "10.0.26100"),
        ("10.0.26100.2314", None, "10.0.26100.2314"),
        ("10.0.26100.2314", "windows", "10.0.26100.2314"),
        ("Microsoft Windows [Version 10.0.22631.4460]", None, "10.0.22631.4460"),
        ("Windows 11 23H2", None, "10.0.22631"),
        ("Windows 11 Pro, version 24H2, OS build 26100.2314", None, "10.0.26100.2314"),
        ("Windows 10 22H2", None, "10.0.19045"),
        ("Windows 10", None, "10.0.10240"),
        ("24H2", "windows", "10.0.26100"),
        ("iPadOS 18.1", None, "18.1"),
        ("watchOS 11.2", None, "11.2"),
        ("Wear OS 5", None, "5"),
        ("Version 16", "android", "16"),
        ("iOS18.2", None, "18.2"),
    ],
)
def test_real_world_strings(text: str, family: str | None, expected: str) -> None:
    assert parse_version(text, family) == Version(expected)


def test_build_codes_do_not_count() -> None:
    assert parse_version("iOS 18.0 (22A3354)") < parse_version("19.4")


def test_numeric_not_string_order() -> None:
    assert parse_version("19.10") > parse_version("19.4")


def test_windows_10_is_below_windows_11() -> None:
    minimum = parse_version("Windows 11 24H2", "windows")
    assert parse_version("10.0.19045", "windows") < minimum
    assert parse_version("Windows 10", "windows") < parse_version("Windows 11 21H2")
    assert parse_version("10.0.26100.2314", "windows") >= minimum
    assert parse_version("25H2", "windows") > minimum


def test_every_windows_11_release_is_above_every_windows_10_one() -> None:
    builds = {major: [b for (m, _, b) in RELEASES.rows if m == major] for major in (10, 11)}
    assert max(builds[10]) < min(builds[11])


def test_without_a_release_table_builds_still_read_but_names_do_not() -> None:
    assert versions.parse_version("10.0.26100.2314", "windows") == Version("10.0.26100.2314")
    assert versions.describe(Version("10.0.26100"), "windows") == "Windows 11 (build 26100)"
    with pytest.raises(InvalidValue) as caught:
        versions.parse_version("Windows 11 24H2")
    assert str(caught.value) == (
        "unknown Windows 11 release '24H2'; known releases: Windows 11: none"
    )


def test_the_release_table_given_is_the_one_read() -> None:
    table = WindowsReleases(((11, "24H2", 26100), (11, "26H2", 26300)))
    assert versions.parse_version("Windows 11 26H2", "windows", table) == Version("10.0.26300")
    assert versions.describe(Version("10.0.26300.1"), "windows", table) == (
        "Windows 11 26H2 (build 26300.1)"
    )


@pytest.mark.parametrize("text", ["Windows 11", "Win 11"])
def test_windows_11_needs_a_release(text: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_version(text)
    assert str(caught.value) == (
        f"'{text}' does not say which release it is; "
        "give the release (e.g. 24H2) or the build (winver shows it)"
    )


def test_bare_major_for_windows_needs_a_release() -> None:
    with pytest.raises(InvalidValue, match="winver"):
        parse_version("11", "windows")


def test_unknown_windows_release_names_the_known_ones() -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_version("Windows 11 26H2")
    assert str(caught.value) == (
        "unknown Windows 11 release '26H2'; "
        "known releases: Windows 11: 21H2, 22H2, 23H2, 24H2, 25H2"
    )
    with pytest.raises(InvalidValue, match="unknown Windows release '26H2'"):
        parse_version("26H2", "windows")


def test_release_shared_by_windows_10_and_11_is_ambiguous() -> None:
    with pytest.raises(InvalidValue, match="both Windows 10 and Windows 11"):
        parse_version("22H2", "windows")


def test_build_contradicting_major() -> None:
    with pytest.raises(InvalidValue, match=r"^build 19045 is Windows 10, not Windows 11$"):
        parse_version("Windows 11 build 19045")


def test_old_windows() -> None:
    with pytest.raises(InvalidValue, match="as a Windows 10 or 11 version"):
        parse_version("Windows 7")


def test_family_mismatch() -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_version("Android 16", "ios")
    assert str(caught.value) == "'Android 16' names Android, but this device runs iOS"
    with pytest.raises(InvalidValue, match="names macOS, but this device runs watchOS"):
        parse_version("macOS 15", "watchos")


def test_ios_and_ipados_are_interchangeable() -> None:
    assert parse_version("iOS 18", "ipados") == Version("18")
    assert parse_version("iPadOS 18", "ios") == Version("18")


@pytest.mark.parametrize("text", ["", "   ", "banana", "1..2", "v", "∞", "iOS", "x" * 10_000])
def test_junk(text: str) -> None:
    with pytest.raises(InvalidValue, match=r"^cannot read '.*' as a version$"):
        parse_version(text)


def test_junk_message() -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_version("banana")
    assert str(caught.value) == "cannot read 'banana' as a version"


def test_long_input_is_truncated_in_the_message() -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_version("9" * 10_000)
    assert len(str(caught.value)) < 80


def test_unknown_family() -> None:
    with pytest.raises(InvalidValue, match="unknown OS family 'symbian'"):
        parse_version("18", "symbian")
    with pytest.raises(InvalidValue):
        display_name("symbian")


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("iOS 18", "ios"),
        ("iPhone OS 3", "ios"),
        ("iPadOS 18.1", "ipados"),
        ("watchOS 11", "watchos"),
        ("Android 16", "android"),
        ("Wear OS 5", "wearos"),
        ("Android Wear 2.0", "wearos"),
        ("Microsoft Windows [Version 10.0.22631.4460]", "windows"),
        ("macOS Sequoia 15.1", "macos"),
        ("OS X 10.11", "macos"),
        ("19.4", None),
        ("Darwin 24", "macos"),  # named, so the kernel version is refused with a hint
        ("23H2", "windows"),
        ("10.0.22631.4460", "windows"),
        ("One UI 8.5", "android"),
        ("", None),
    ],
)
def test_detect_family(text: str, family: str | None) -> None:
    assert detect_family(text) == family


def test_display_names() -> None:
    assert [display_name(f) for f in FAMILIES] == [
        "iOS",
        "iPadOS",
        "watchOS",
        "Android",
        "Wear OS",
        "Windows",
        "macOS",
    ]


@pytest.mark.parametrize(
    ("version", "family", "expected"),
    [
        ("10.0.26100", "windows", "Windows 11 24H2 (build 26100)"),
        ("10.0.26100.2314", "windows", "Windows 11 24H2 (build 26100.2314)"),
        ("10.0.22635", "windows", "Windows 11 (build 22635)"),
        ("10.0.19045", "windows", "Windows 10 (build 19045)"),
        ("19.4", "ios", "iOS 19.4"),
        ("5", "wearos", "Wear OS 5"),
    ],
)
def test_describe(version: str, family: str, expected: str) -> None:
    assert describe(Version(version), family) == expected
