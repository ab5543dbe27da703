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

# Most specific first: "Android Wear" is Wear OS, not Android.
_FAMILY_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (family, re.compile(rf"(?<![a-z]){pattern}(?![a-z])", re.IGNORECASE))
    for family, pattern in (
        (IPADOS, r"ipad\s*os"),
        (WATCHOS, r"watch\s*os"),
        (WEAROS, r"(?:wear\s*os|android\s*wear)"),
        (IOS, r"(?:ios|iphone\s*os)"),
        (ANDROID, r"android"),
        (WINDOWS, r"(?:microsoft\s+)?win(?:dows)?"),
        (MACOS, r"(?:mac\s*os(?:\s*x)?|os\s*x)"),
    )
)
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
    return None


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
    text = re.sub(r"[()\[\],;:]", " ", text)
    return [token.rstrip(".") for token in text.split()]


@functools.lru_cache(maxsize=4096)
def parse_version(
    text: str, family: str | None = None, releases: WindowsReleases = NO_RELEASES
) -> Version:
    """The comparable version in ``text``, read the way ``family`` writes it.

    ``releases`` names Windows releases; without it only builds can be read.

    Raises InvalidValue if nothing readable is found, if the text names another OS
    than ``family``, or for a Windows 11 string that lacks a release or build.
    Cached: a family's devices repeat the same few version strings.
    """
    if family is not None:
        _check_family(family)
    if len(text) > _MAX_LENGTH or not text.strip():
        raise _unreadable(text)
    named = detect_family(text)
    if named is not None and family is not None and not _compatible(named, family):
        raise InvalidValue(
            f"'{shown(text)}' names {display_name(named)}, "
            f"but this device runs {display_name(family)}"
        )
    tokens = _tokens(text)
    if (family or named) == WINDOWS:
        return _parse_windows(text, tokens, named == WINDOWS, releases)
    for token in tokens:
        match = _NUMBER.fullmatch(token)
        if match:
            return _version(match.group(1), text)
    raise _unreadable(text)


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
