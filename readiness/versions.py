"""Operating-system versions as people copy them from their devices.

eSIM support depends on a minimum OS version, so the strings shown in Settings,
``winver`` or ``sw_vers`` must become comparable ``packaging`` versions. Windows is
stored as ``10.0.<build>[.<revision>]`` (what Windows itself reports), so every
Windows 10 build sorts below every Windows 11 one.

Which release name ("24H2") is which build is knowledge: the data file holds the
table and hands it in as ``releases``; this module only reads.

>>> parse_version("iOS 18.0 (22A3354)")
<Version('18.0')>
>>> releases = WindowsReleases(((11, "24H2", 26100),))
>>> parse_version("Windows 11 Pro 24H2", releases=releases)
<Version('10.0.26100')>
>>> describe(parse_version("10.0.26100.2314"), WINDOWS, releases)
'Windows 11 24H2 (build 26100.2314)'
>>> detect_family("Wear OS 5")
'wearos'
>>> detect_family("23H2")
'windows'
>>> parse_version("One UI 8.0 (Android 16)")
<Version('16')>
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from packaging.version import InvalidVersion, Version

from readiness.errors import InvalidValue, shown

__all__ = [
    "ANDROID",
    "FAMILIES",
    "IOS",
    "IPADOS",
    "MACOS",
    "WATCHOS",
    "WEAROS",
    "WINDOWS",
    "OneUiReleases",
    "WindowsReleases",
    "describe",
    "detect_family",
    "display_name",
    "parse_version",
]

IOS = "ios"
IPADOS = "ipados"
WATCHOS = "watchos"
ANDROID = "android"
WEAROS = "wearos"
WINDOWS = "windows"
MACOS = "macos"
FAMILIES: tuple[str, ...] = (IOS, IPADOS, WATCHOS, ANDROID, WEAROS, WINDOWS, MACOS)

_DISPLAY = {
    IOS: "iOS",
    IPADOS: "iPadOS",
    WATCHOS: "watchOS",
    ANDROID: "Android",
    WEAROS: "Wear OS",
    WINDOWS: "Windows",
    MACOS: "macOS",
}

FIRST_WINDOWS_10_BUILD = 10240
FIRST_WINDOWS_11_BUILD = 22000


@dataclass(frozen=True)
class WindowsReleases:
    """(Windows major, release name, build) rows, as the data file gives them.

    Windows 10 and 11 both had a 21H2 and a 22H2, which is why the major is part of
    each row. Hashable, so parsed versions can be cached per table.
    """

    rows: tuple[tuple[int, str, int], ...] = ()

    def names(self, major: int) -> list[str]:
        return [name for m, name, _ in self.rows if m == major]

    def build(self, major: int, name: str) -> int | None:
        return next((b for m, n, b in self.rows if (m, n) == (major, name)), None)

    def majors_of(self, name: str) -> list[int]:
        return [m for m, n, _ in self.rows if n == name]

    def name_of(self, build: int) -> str | None:
        """The Windows 11 release a build number is, if the table names it."""
        return next((n for m, n, b in self.rows if m == 11 and b == build), None)


NO_RELEASES = WindowsReleases()


@dataclass(frozen=True)
class OneUiReleases:
    """(One UI major, minor, Android major) rows: Samsung's skin names its own versions.

    From the data file, like the Windows releases; hashable for the cache.
    """

    rows: tuple[tuple[int, int, int], ...] = ()

    def android(self, major: int, minor: int) -> int | None:
        return next((a for m, n, a in self.rows if (m, n) == (major, minor)), None)

    def names(self) -> list[str]:
        return [f"{m}.{n}" for m, n, _ in self.rows]


NO_ONE_UI = OneUiReleases()

# Most specific first: "Android Wear" is Wear OS, not Android.
_FAMILY_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (family, re.compile(rf"(?<![a-z]){pattern}(?![a-z])", re.IGNORECASE))
    for family, pattern in (
        (IPADOS, r"ipad\s*os"),
        (WATCHOS, r"watch\s*os"),
        (WEAROS, r"(?:wear\s*os|android\s*wear)"),
        (IOS, r"(?:ios|iphone\s*os)"),
        (ANDROID, r"(?:android|one\s*ui)"),
        (WINDOWS, r"(?:microsoft\s+)?win(?:dows)?"),
        (MACOS, r"(?:mac\s*os(?:\s*x)?|os\s*x|darwin)"),
    )
)
# What only Windows prints without naming itself: a release name ("23H2") or an
# NT 10.0 build ("10.0.22631.4460", systeminfo's "10.0.22631 N/A Build 22631").
_WINDOWS_UNNAMED = re.compile(
    r"(?<![\w.])(?:[0-9]{2}H[12]|10\.0\.[0-9]{5}(?:\.[0-9]+)?)(?![\w.])", re.IGNORECASE
)
# "Android 16" anywhere, parentheses included: "One UI 8.0 (Android 16)".
_ANDROID_NUMBER = re.compile(r"android\s*(?:version\s*)?([0-9]+(?:\.[0-9]+)*)", re.IGNORECASE)
_ONE_UI = re.compile(r"one\s*ui\s*([0-9]+)(?:\.([0-9]+))?", re.IGNORECASE)
_API_LEVEL = re.compile(r"(?<![a-z])(?:api|sdk)(?:\s*level)?\s*[0-9]+", re.IGNORECASE)
_DARWIN = re.compile(r"(?<![a-z])darwin(?![a-z])", re.IGNORECASE)
# Families whose releases have never reached a number that their API levels (the SDK
# number) all have: a bare "34" on an Android phone is Android 14's API level, and on
# a Wear OS watch Wear OS 5's. Android's releases run 1-16 and its API levels start
# at 1 but passed 20 with Android 4.4W (2014); Wear OS (Android Wear 1.0-2.x, then
# Wear OS 3-6) has only ever run on API levels 20 and up. Apple's and Windows's own
# numbers are real versions (watchOS 11, iOS 26), so only these two are refused.
_API_LEVEL_ONLY_FROM = {ANDROID: 20, WEAROS: 20}
# Where a person reads the version a device really runs, per family.
_WHERE = {
    IOS: "Settings > General > About > iOS Version",
    IPADOS: "Settings > General > About > iPadOS Version",
    WATCHOS: "the Watch app > General > About",
    MACOS: "Apple menu > About This Mac, or run sw_vers -productVersion",
    ANDROID: (
        "Settings > About phone > Software information > Android version, "
        "or run adb shell getprop ro.build.version.release"
    ),
    WEAROS: (
        "Settings > About watch > Software information on a Galaxy Watch, "
        "or Settings > System > About > Versions on other Wear OS watches"
    ),
    WINDOWS: "winver, or ver in a command prompt",
}
_MAX_LENGTH = 200
_PARENTHESISED = re.compile(r"\([^()]*\)")
_NUMBER = re.compile(r"[vV]?([0-9]+(?:\.[0-9]+)*)")
_WINDOWS_FULL = re.compile(r"10\.0\.([0-9]+)(?:\.([0-9]+))?")
_WINDOWS_BUILD = re.compile(r"([0-9]{5})(?:\.([0-9]+))?")
_WINDOWS_RELEASE = re.compile(r"[0-9]{2}H[12]", re.IGNORECASE)


def _unreadable(text: str) -> InvalidValue:
    return InvalidValue(f"cannot read '{shown(text)}' as a version")


def _check_family(family: str) -> str:
    if family not in _DISPLAY:
        raise InvalidValue(f"unknown OS family '{shown(family)}'; use one of {', '.join(FAMILIES)}")
    return family


def display_name(family: str) -> str:
    """The family as its vendor writes it, for messages and reports."""
    return _DISPLAY[_check_family(family)]


def detect_family(text: str) -> str | None:
    """The family a version string names ("iOS 18" -> "ios"), or None for a bare number."""
    if len(text) > _MAX_LENGTH:
        return None
    for family, pattern in _FAMILY_PATTERNS:
        if pattern.search(text):
            return family
    return WINDOWS if _WINDOWS_UNNAMED.search(text) else None


def _compatible(named: str, family: str) -> bool:
    # An iPad's About screen said "iOS" until iPadOS 13, and people still write it.
    return named == family or {named, family} <= {IOS, IPADOS}


def _tokens(text: str) -> list[str]:
    """The words left once OS names, build codes in parentheses and brackets are gone."""
    previous = None
    while previous != text:
        previous, text = text, _PARENTHESISED.sub(" ", text)
    for _, pattern in _FAMILY_PATTERNS:
        text = pattern.sub(" ", text)
    text = re.sub(r"[()\[\],;:/_]|-(?=[0-9])|(?<=[0-9])-", " ", text)
    return [token.rstrip(".") for token in text.split()]


@functools.lru_cache(maxsize=4096)
def parse_version(
    text: str,
    family: str | None = None,
    releases: WindowsReleases = NO_RELEASES,
    one_ui: OneUiReleases = NO_ONE_UI,
) -> Version:
    """The comparable version in ``text``, read the way ``family`` writes it.

    ``releases`` names Windows releases; without it only builds can be read.
    ``one_ui`` maps One UI versions to the Android they are built on.

    Raises InvalidValue if nothing readable is found, if the text names another OS
    than ``family``, for a Windows 11 string that lacks a release or build, and for
    numbers that are not the OS version (a Darwin kernel, an Android API level),
    saying where to read the real one. Cached: a family's devices repeat the same
    few version strings.
    """
    if family is not None:
        _check_family(family)
    if len(text) > _MAX_LENGTH or not text.strip():
        raise _unreadable(text)
    if _DARWIN.search(text):
        where = _WHERE[family if family in (IOS, IPADOS, WATCHOS) else MACOS]
        raise InvalidValue(
            f"'{shown(text)}' is the Darwin kernel's version, not the system's; "
            f"read the version in {where}"
        )
    named = detect_family(text)
    if named is not None and family is not None and not _compatible(named, family):
        raise InvalidValue(
            f"'{shown(text)}' names {display_name(named)}, "
            f"but this device runs {display_name(family)}"
        )
    tokens = _tokens(text)
    if (family or named) == WINDOWS:
        return _parse_windows(text, tokens, named == WINDOWS, releases)
    if (family or named) == ANDROID:
        return _parse_android(text, tokens, one_ui)
    number = next((m.group(1) for t in tokens if (m := _NUMBER.fullmatch(t))), None)
    if (family or named) == WEAROS:
        return _not_api_level(text, WEAROS, None if _API_LEVEL.search(text) else number)
    if number is None:
        raise _unreadable(text)
    return _version(number, text)


def _parse_android(text: str, tokens: list[str], one_ui: OneUiReleases) -> Version:
    """ "Android 16" wherever it stands, else One UI through its table; never an API level."""
    said = _ANDROID_NUMBER.search(text)
    if said is None and (skin := _ONE_UI.search(text)):
        major, minor = int(skin.group(1)), int(skin.group(2) or 0)
        android = one_ui.android(major, minor)
        if android is None:
            known = ", ".join(one_ui.names()) or "none"
            raise InvalidValue(
                f"unknown One UI version {major}.{minor} (known: {known}); "
                f"give the Android version from {_WHERE[ANDROID]}"
            )
        return Version(str(android))
    number = said.group(1) if said else None
    if number is None and not _API_LEVEL.search(text):
        number = next((m.group(1) for t in tokens if (m := _NUMBER.fullmatch(t))), None)
    return _not_api_level(text, ANDROID, number)


def _not_api_level(text: str, family: str, number: str | None) -> Version:
    """``number`` as the version, refused when only an API level can be that high (or
    when the text says "API"/"SDK", ``number`` None), saying where the real one is."""
    if number is None and not _API_LEVEL.search(text):
        raise _unreadable(text)
    found = _version(number, text) if number is not None else None
    if found is None or found.major >= _API_LEVEL_ONLY_FROM[family]:
        raise InvalidValue(
            f"'{shown(text)}' looks like an API level, not the {display_name(family)} "
            f"version; read the version in {_WHERE[family]}"
        )
    return found


def _version(number: str, text: str) -> Version:
    try:
        return Version(number)
    except InvalidVersion:
        raise _unreadable(text) from None


def _known_releases(major: int | None, releases: WindowsReleases) -> str:
    majors = (major,) if major is not None else (10, 11)
    return "; ".join(f"Windows {m}: " + (", ".join(releases.names(m)) or "none") for m in majors)


def _parse_windows(text: str, tokens: list[str], named: bool, releases: WindowsReleases) -> Version:
    major: int | None = None
    release: str | None = None
    build: str | None = None
    vague = False  # "11", "10.0": Windows, but which build?
    other = False  # "7", "8.1": not Windows 10 or 11
    for token in tokens:
        if token in ("10", "11") and named and major is None:
            major = int(token)
        elif full := _WINDOWS_FULL.fullmatch(token) or _WINDOWS_BUILD.fullmatch(token):
            build = build or ".".join(g for g in full.groups() if g is not None)
        elif _WINDOWS_RELEASE.fullmatch(token):
            release = release or token.upper()
        elif token in ("10", "11", "10.0"):
            vague = True
        elif _NUMBER.fullmatch(token):
            other = True
    if build is not None:
        number = int(build.split(".")[0])
        actual = 11 if number >= FIRST_WINDOWS_11_BUILD else 10
        if major is not None and major != actual:
            raise InvalidValue(f"build {number} is Windows {actual}, not Windows {major}")
        return _version(f"10.0.{build}", text)
    if release is not None:
        majors = [m for m in releases.majors_of(release) if major in (None, m)]
        if not majors:
            which = f"Windows {major}" if major is not None else "Windows"
            known = _known_releases(major, releases)
            raise InvalidValue(f"unknown {which} release '{release}'; known releases: {known}")
        if len(majors) > 1:
            raise InvalidValue(
                f"{release} was a release of both Windows 10 and Windows 11; "
                f"write 'Windows 11 {release}' or 'Windows 10 {release}', or give the build"
            )
        return _version(f"10.0.{releases.build(majors[0], release)}", text)
    if major == 10:
        return _version(f"10.0.{FIRST_WINDOWS_10_BUILD}", text)
    if major == 11 or vague:
        raise InvalidValue(
            f"'{shown(text)}' does not say which release it is; give the release "
            "(e.g. 24H2) or the build (winver shows it)"
        )
    if other:
        raise InvalidValue(f"cannot read '{shown(text)}' as a Windows 10 or 11 version")
    raise _unreadable(text)


@functools.lru_cache(maxsize=1024)
def describe(version: Version, family: str, releases: WindowsReleases = NO_RELEASES) -> str:
    """The version as a person would say it, e.g. "Windows 11 24H2 (build 26100)"."""
    name = display_name(family)
    parts = version.release
    if family != WINDOWS or len(parts) < 3 or parts[:2] != (10, 0):
        return f"{name} {version}"
    build = parts[2]
    number = ".".join(str(p) for p in parts[2:])
    if build < FIRST_WINDOWS_11_BUILD:
        return f"Windows 10 (build {number})"
    release_name = releases.name_of(build)
    release = f" {release_name}" if release_name else ""
    return f"Windows 11{release} (build {number})"
