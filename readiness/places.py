"""Countries (ISO 3166-1, from pycountry) and time zones (IANA, from tzdata).

A trip is a home country plus destinations; whether they share a UTC offset decides
if the traveller's devices will change time zone on arrival.

>>> resolve_country("uk")
Country(alpha_2='GB', alpha_3='GBR', name='United Kingdom')
>>> resolve_country("Japan (JP)").name
'Japan'
>>> country_zones("JP")
('Asia/Tokyo',)
>>> validate_timezone("Asia/Singapore")
'Asia/Singapore'
"""

from __future__ import annotations

import functools
import importlib.util
import os
import re
import unicodedata
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from readiness.errors import InvalidValue, shown

__all__ = [
    "ALIASES",
    "AMBIGUOUS",
    "AmbiguousCountry",
    "Country",
    "country_choices",
    "country_zones",
    "local_zone_name",
    "resolve_country",
    "share_an_offset",
    "utc_offsets",
    "validate_timezone",
    "zone_names",
]


@dataclass(frozen=True)
class Country:
    """An ISO 3166-1 country under the name people use for it."""

    alpha_2: str
    alpha_3: str
    name: str

    def __str__(self) -> str:
        return f"{self.name} ({self.alpha_2})"


# Names people use that pycountry does not know (or may drop), all mapped to alpha-2.
ALIASES: dict[str, str] = {
    "UK": "GB",
    "Great Britain": "GB",
    "Britain": "GB",
    "England": "GB",
    "Scotland": "GB",
    "Wales": "GB",
    "Northern Ireland": "GB",
    "USA": "US",
    "America": "US",
    "United States of America": "US",
    "South Korea": "KR",
    "North Korea": "KP",
    "Russia": "RU",
    "Vietnam": "VN",
    "Laos": "LA",
    "Iran": "IR",
    "Syria": "SY",
    "Turkey": "TR",
    "Türkiye": "TR",
    "UAE": "AE",
    "Emirates": "AE",
    "Holland": "NL",
    "The Netherlands": "NL",
    "Czech Republic": "CZ",
    "Ivory Coast": "CI",
    "Vatican": "VA",
    "Vatican City": "VA",
    "Macau": "MO",
    "Hong Kong": "HK",
    "Taiwan": "TW",
    "Bolivia": "BO",
    "Venezuela": "VE",
    "Tanzania": "TZ",
    "Moldova": "MD",
    "Micronesia": "FM",
    "Palestine": "PS",
    "Brunei": "BN",
    "Cape Verde": "CV",
    "Swaziland": "SZ",
    "Burma": "MM",
}

# Names that fit more than one country: a prompt asks which, a file must say.
AMBIGUOUS: dict[str, tuple[str, ...]] = {
    "Korea": ("KR", "KP"),
    "Congo": ("CG", "CD"),
    "Guinea": ("GN", "GW", "GQ", "PG"),
}

_SUGGESTION_CUTOFF = 0.7  # 0.6 offered "Albania" for "Atlantis"
_SUGGESTION_SPREAD = 0.1  # only suggestions nearly as close as the best one
_MAX_SUGGESTIONS = 3
_CHOICE_FORM = re.compile(r"(.*?)\s*\(\s*([A-Za-z]{2})\s*\)")
_LOCALTIME = "/etc/localtime"
_NOT_ZONES = frozenset({"localtime", "posixrules"})


def _normalise(text: str) -> str:
    """Case, accents, dots, curly apostrophes and extra spaces do not matter."""
    if not text.isascii():  # most names are plain ASCII: nothing to decompose
        decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(text.casefold().replace(".", "").split())


_ATTRIBUTES = ("alpha_2", "alpha_3", "name", "common_name", "official_name")


@functools.cache
def _records() -> list[dict[str, str]]:
    """pycountry's ISO 3166-1 records, through its public interface.

    Reading its database file by path instead saved about 20 ms of start-up;
    `check` imports pycountry either way in the benchmark's floor, so the plain
    way it is.
    """
    import pycountry

    return [
        {name: str(getattr(c, name)) for name in _ATTRIBUTES if getattr(c, name, None)}
        for c in pycountry.countries
    ]


def _package_file(package: str, *parts: str) -> Path:
    """A data file inside an installed package, found without importing the package.

    (importlib.resources would do, but importing it costs more start-up than the
    whole lookup.)
    """
    spec = importlib.util.find_spec(package)
    folders = list(spec.submodule_search_locations or []) if spec else []
    if not folders:
        raise InvalidValue(f"the {package} package is not installed")
    return Path(folders[0]).joinpath(*parts)


@functools.cache
def _countries() -> dict[str, Country]:
    """Every ISO 3166-1 country by alpha-2."""
    table: dict[str, Country] = {}
    for record in _records():
        name = record.get("common_name") or _official_order(record["name"]) or record["name"]
        table[record["alpha_2"]] = Country(record["alpha_2"], record["alpha_3"], name)
    return table


@functools.cache
def _index() -> tuple[dict[str, str], dict[str, str]]:
    """(normalised name -> alpha-2, normalised code -> alpha-2)."""
    names: dict[str, str] = {}
    codes: dict[str, str] = {}
    for record in _records():
        codes[_normalise(record["alpha_2"])] = record["alpha_2"]
        codes[_normalise(record["alpha_3"])] = record["alpha_2"]
        for attribute in ("name", "common_name", "official_name"):
            value = record.get(attribute)
            if value:
                names.setdefault(_normalise(value), record["alpha_2"])
                if inverted := _official_order(value):
                    names.setdefault(_normalise(inverted), record["alpha_2"])
    for alias, alpha_2 in ALIASES.items():
        names.setdefault(_normalise(alias), alpha_2)
    return names, codes


_INVERTED = re.compile(r"(?P<name>[^,]+),\s*(?P<form>.+\bof(?: the)?)")


def _official_order(name: str) -> str | None:
    """ISO's "Korea, Republic of" as people write it: "Republic of Korea".

    pycountry gives some countries no ``official_name`` and keeps the form after
    a comma; turning it round gives the official name in reading order.
    """
    found = _INVERTED.fullmatch(name)
    if found is None:
        return None
    form = found["form"].removeprefix("The ")
    return f"{form} {found['name']}"


class AmbiguousCountry(InvalidValue):
    """A name that fits several countries; ``candidates`` are they, most likely first."""

    def __init__(self, text: str, candidates: tuple[Country, ...]) -> None:
        self.candidates = candidates
        names = _join([str(c) for c in candidates])
        super().__init__(f"'{shown(text)}' could be {names}; say which")


def _lookup(text: str) -> Country | None:
    key = _normalise(text)
    names, codes = _index()
    alpha_2 = codes.get(key) or names.get(key)
    return _countries()[alpha_2] if alpha_2 else None


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _closest(key: str, pool: Iterable[str]) -> list[str]:
    """Candidates similar to ``key``, best first, and only those nearly as good as the best."""
    import difflib  # only a mistyped name needs it

    scored: list[tuple[float, str]] = []
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(key)
    for candidate in pool:
        matcher.set_seq1(candidate)
        if (
            matcher.real_quick_ratio() >= _SUGGESTION_CUTOFF
            and matcher.quick_ratio() >= _SUGGESTION_CUTOFF
        ):
            ratio = matcher.ratio()
            if ratio >= _SUGGESTION_CUTOFF:
                scored.append((ratio, candidate))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [c for ratio, c in scored if ratio >= scored[0][0] - _SUGGESTION_SPREAD]


def _suggest_countries(text: str) -> list[Country]:
    key = _normalise(text)
    names, codes = _index()
    pool = dict(names)
    if len(key) <= 3:  # compare with codes only when a code was probably meant
        pool.update(codes)
    found = dict.fromkeys(_countries()[pool[c]] for c in _closest(key, pool))
    return list(found)[:_MAX_SUGGESTIONS]


def resolve_country(text: str) -> Country:
    """The country named by a code, an English name, a common alias or "Name (XX)".

    Raises InvalidValue with up to three close suggestions when nothing matches.
    """
    if not text.strip():
        raise InvalidValue("no country given")
    ambiguous = {_normalise(name): codes for name, codes in AMBIGUOUS.items()}
    if codes := ambiguous.get(_normalise(text)):
        raise AmbiguousCountry(text, tuple(_countries()[code] for code in codes))
    country = _lookup(text)
    if country is not None:
        return country
    choice = _CHOICE_FORM.fullmatch(text.strip())
    if choice is not None:
        by_code = _countries().get(choice.group(2).upper())
        if by_code is not None:
            by_name = _lookup(choice.group(1)) if choice.group(1) else None
            if by_name is not None and by_name != by_code:
                raise InvalidValue(
                    f"'{shown(text)}' is contradictory: {by_name} but {by_code}; "
                    "give just one of them"
                )
            return by_code
    suggestions = _suggest_countries(text)
    if suggestions:
        raise InvalidValue(
            f"unknown country '{shown(text)}'; did you mean {_join([str(c) for c in suggestions])}?"
        )
    raise InvalidValue(
        f"unknown country '{shown(text)}'; use an ISO code such as JP or an English name"
    )


def country_choices() -> list[str]:
    """Every country as "Name (XX)", sorted for a prompt's completion list."""
    return sorted((str(c) for c in _countries().values()), key=_normalise)


@functools.cache
def _zone_table() -> dict[str, tuple[str, ...]]:
    """alpha-2 -> sorted IANA zones, from tzdata's zone.tab (one row per country and zone)."""
    text = _package_file("tzdata", "zoneinfo", "zone.tab").read_text(encoding="utf-8")
    table: dict[str, set[str]] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) >= 3:
            table.setdefault(fields[0], set()).add(fields[2])
    return {code: tuple(sorted(zones)) for code, zones in table.items()}


def zone_names() -> list[str]:
    """Every country's IANA zones, sorted: the choices offered at a time-zone prompt."""
    return sorted({zone for zones in _zone_table().values() for zone in zones} | {"UTC"})


def _alpha_2(code: str) -> str:
    alpha_2 = code.strip().upper()
    if alpha_2 not in _countries():
        raise InvalidValue(f"unknown country code '{shown(code)}'")
    return alpha_2


def country_zones(alpha_2: str) -> tuple[str, ...]:
    """The country's IANA zones, sorted; empty for uninhabited places such as BV."""
    return _zone_table().get(_alpha_2(alpha_2), ())


def _loadable_name(name: str) -> bool:
    """False for files a system zoneinfo directory holds that are not IANA zone names."""
    return name not in _NOT_ZONES and not name.startswith(("posix/", "right/"))


def _loads(name: str) -> bool:
    if not _loadable_name(name):
        return False
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError, UnicodeError):
        # ValueError covers "../etc" and absolute paths; OSError covers directories
        # ("Asia/") and names too long for the file system.
        return False
    return True


def _suggest_zones(name: str) -> list[str]:
    """Zones the prompt's completion offers that start with (or hold) what was typed,
    else the closest spellings: "America/Los" is Los Angeles, not Lagos."""
    key = name.strip().replace(" ", "_").casefold()
    known = zone_names()
    for fits in (str.startswith, str.__contains__):
        fitting = [zone for zone in known if fits(zone.casefold(), key)]
        if fitting:
            return fitting[:_MAX_SUGGESTIONS]
    candidates: dict[str, str] = {}
    for zone in sorted(zoneinfo.available_timezones()):
        if _loadable_name(zone):
            candidates.setdefault(zone.casefold(), zone)
            city = zone.rsplit("/", 1)[-1].replace("_", " ").casefold()
            candidates.setdefault(city, zone)
    key = " ".join(name.replace("_", " ").split()).casefold()
    if "/" in key:
        key = key.replace(" ", "_")
    found = dict.fromkeys(candidates[c] for c in _closest(key, candidates))
    return list(found)[:_MAX_SUGGESTIONS]


def validate_timezone(name: str) -> str:
    """The IANA zone name (e.g. "Asia/Singapore") if Python can load it, else InvalidValue."""
    stripped = name.strip()
    if not stripped:
        raise InvalidValue("no time zone given")
    if _loads(stripped):
        return stripped
    message = f"'{shown(name)}' is not an IANA time zone"
    suggestions = _suggest_zones(stripped) if len(stripped) <= 100 else []
    if suggestions:
        raise InvalidValue(f"{message}; did you mean {_join(suggestions)}?")
    raise InvalidValue(f"{message}; use a name such as Europe/Paris or Asia/Tokyo")


@functools.lru_cache(maxsize=64)
def utc_offsets(alpha_2: str, at: datetime) -> frozenset[timedelta]:
    """The distinct UTC offsets in force in the country at the aware instant ``at``.

    Cached: the checks and the list of what ``--no-input`` needs both ask, and a
    country such as the US has some thirty zone files to read.
    """
    if at.tzinfo is None or at.utcoffset() is None:
        raise InvalidValue("the moment to compare time zones at must include its UTC offset")
    offsets: set[timedelta] = set()
    for zone in country_zones(alpha_2):
        offset = at.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset()
        if offset is not None:
            offsets.add(offset)
    return frozenset(offsets)


def share_an_offset(countries: Iterable[str], at: datetime) -> bool:
    """Whether all the countries (alpha-2) have a UTC offset in common at ``at``.

    For a country spanning several zones any one of them counts, so US and CA share an
    offset; the answer is "no time change is forced", not "none is possible". Countries
    without zones (BV, HM) are left out, and fewer than two countries always share.
    """
    common: frozenset[timedelta] | None = None
    # Fewest zones first: two one-zone countries apart settle it without reading the
    # thirty-odd zone files of a country such as the US.
    for code in sorted(countries, key=lambda c: len(country_zones(c))):
        offsets = utc_offsets(code, at)
        if offsets:
            common = offsets if common is None else common & offsets
            if not common:
                return False
    return True


def local_zone_name() -> str | None:
    """This machine's IANA zone name, for a prompt's default; None if it cannot be told."""
    from_env = os.environ.get("TZ", "").strip().removeprefix(":")
    if from_env and _loads(from_env):
        return from_env
    try:
        target = os.readlink(_LOCALTIME)
    except (OSError, ValueError):
        return None
    _, found, zone = target.partition("zoneinfo/")
    if found and zone and _loads(zone):
        return zone
    return None
