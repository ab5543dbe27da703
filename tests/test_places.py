from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pycountry
import pytest

from readiness import places
from readiness.errors import InvalidValue
from readiness.places import (
    ALIASES,
    Country,
    country_choices,
    country_zones,
    local_zone_name,
    resolve_country,
    share_an_offset,
    utc_offsets,
    validate_timezone,
)

WINTER = datetime(2025, 1, 15, 12, 0, tzinfo=UTC)
SUMMER = datetime(2025, 7, 15, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "alpha_2"),
    [
        ("SG", "SG"),
        ("sg", "SG"),
        ("sgp", "SG"),
        ("JPN", "JP"),
        ("Japan", "JP"),
        ("japan ", "JP"),
        ("  united   kingdom ", "GB"),
        ("UK", "GB"),
        ("Scotland", "GB"),
        ("South Korea", "KR"),
        ("Korea, Republic of", "KR"),
        ("USA", "US"),
        ("U.S.A.", "US"),
        ("United States of America", "US"),
        ("Türkiye", "TR"),
        ("Turkiye", "TR"),
        ("Turkey", "TR"),
        ("Curacao", "CW"),
        ("Cote d’Ivoire", "CI"),
        ("Ivory Coast", "CI"),
        ("Japan (JP)", "JP"),
        ("Holy See (Vatican City State) (VA)", "VA"),
        ("Holy See (Vatican City State)", "VA"),
        ("Burma", "MM"),
    ],
)
def test_resolve_country(text: str, alpha_2: str) -> None:
    assert resolve_country(text).alpha_2 == alpha_2


def test_country_value() -> None:
    assert resolve_country("kr") == Country("KR", "KOR", "South Korea")
    assert str(resolve_country("jp")) == "Japan (JP)"


def test_aliases_point_at_real_codes() -> None:
    for alias, alpha_2 in ALIASES.items():
        assert pycountry.countries.get(alpha_2=alpha_2) is not None, alias


def test_every_choice_resolves_to_itself() -> None:
    choices = country_choices()
    assert len(choices) == len(pycountry.countries)
    assert "Japan (JP)" in choices
    for choice in choices:
        assert str(resolve_country(choice)) == choice


def test_suggestion_message() -> None:
    with pytest.raises(InvalidValue) as caught:
        resolve_country("Japn")
    assert str(caught.value) == "unknown country 'Japn'; did you mean Japan (JP)?"


def test_several_suggestions() -> None:
    with pytest.raises(InvalidValue) as caught:
        resolve_country("Austrlia")
    assert str(caught.value) == (
        "unknown country 'Austrlia'; did you mean Australia (AU) or Austria (AT)?"
    )


def test_no_suggestion() -> None:
    with pytest.raises(InvalidValue) as caught:
        resolve_country("Atlantis")
    assert str(caught.value) == (
        "unknown country 'Atlantis'; use an ISO code such as JP or an English name"
    )


def test_empty_country() -> None:
    with pytest.raises(InvalidValue, match=r"^no country given$"):
        resolve_country(" ")


def test_contradictory_choice() -> None:
    with pytest.raises(InvalidValue, match="contradictory"):
        resolve_country("France (JP)")


def test_country_zones() -> None:
    assert country_zones("JP") == ("Asia/Tokyo",)
    assert country_zones("jp") == ("Asia/Tokyo",)
    us = country_zones("US")
    assert len(us) > 10
    assert list(us) == sorted(us)
    assert "America/New_York" in us
    assert country_zones("BV") == ()
    with pytest.raises(InvalidValue, match="unknown country code 'XX'"):
        country_zones("XX")


def test_utc_offsets() -> None:
    assert {o.total_seconds() / 3600 for o in utc_offsets("SG", WINTER)} == {8}
    assert len(utc_offsets("US", WINTER)) > 3
    with pytest.raises(InvalidValue):
        utc_offsets("SG", datetime(2025, 1, 15))  # naive on purpose


def test_share_an_offset() -> None:
    assert share_an_offset(["SG", "CN"], WINTER)
    assert not share_an_offset(["US", "JP"], WINTER)
    assert share_an_offset(["GB", "PT"], WINTER)
    assert share_an_offset(["GB", "PT"], SUMMER)
    assert not share_an_offset(["GB", "FR"], WINTER)
    assert share_an_offset(["SG"], WINTER)
    assert share_an_offset([], WINTER)


def test_validate_timezone() -> None:
    assert validate_timezone("Asia/Singapore") == "Asia/Singapore"
    assert validate_timezone(" UTC ") == "UTC"


def test_unknown_timezone() -> None:
    with pytest.raises(InvalidValue) as caught:
        validate_timezone("Mars/Olympus")
    assert str(caught.value) == (
        "'Mars/Olympus' is not an IANA time zone; use a name such as Europe/Paris or Asia/Tokyo"
    )


def test_timezone_suggestion() -> None:
    with pytest.raises(InvalidValue) as caught:
        validate_timezone("Europe/Londn")
    assert str(caught.value) == (
        "'Europe/Londn' is not an IANA time zone; did you mean Europe/London?"
    )
    with pytest.raises(InvalidValue, match="did you mean Asia/Tokyo"):
        validate_timezone("tokyo")


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd",
        "../etc",
        "/etc/passwd",
        "Asia/",
        "Asia",
        "zone.tab",
        "localtime",
        "a\x00b",
    ],
)
def test_odd_timezones(name: str) -> None:
    with pytest.raises(InvalidValue, match="is not an IANA time zone"):
        validate_timezone(name)


def test_empty_timezone() -> None:
    with pytest.raises(InvalidValue, match=r"^no time zone given$"):
        validate_timezone("")


def test_local_zone_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", ":Asia/Tokyo")
    assert local_zone_name() == "Asia/Tokyo"


def test_local_zone_from_link(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    link = tmp_path / "localtime"
    link.symlink_to("/usr/share/zoneinfo/Europe/Lisbon")
    monkeypatch.setenv("TZ", "Mars/Olympus")
    monkeypatch.setattr(places, "_LOCALTIME", str(link))
    assert local_zone_name() == "Europe/Lisbon"


def test_no_local_zone(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("TZ", raising=False)
    monkeypatch.setattr(places, "_LOCALTIME", str(tmp_path / "missing"))
    assert local_zone_name() is None
    plain = tmp_path / "plain"
    plain.write_bytes(b"TZif")
    monkeypatch.setattr(places, "_LOCALTIME", str(plain))
    assert local_zone_name() is None


@pytest.mark.parametrize(
    ("text", "alpha_2"),
    [
        ("Republic of Korea", "KR"),
        ("Russian Federation", "RU"),
        ("Viet Nam", "VN"),
        ("Democratic Republic of the Congo", "CD"),
        ("Republic of the Congo", "CG"),
        ("Islamic Republic of Iran", "IR"),
        ("Guinea-Bissau", "GW"),
    ],
)
def test_a_country_by_its_official_name(text: str, alpha_2: str) -> None:
    assert resolve_country(text).alpha_2 == alpha_2


@pytest.mark.parametrize(
    ("text", "message", "codes"),
    [
        ("Korea", "'Korea' could be South Korea (KR) or North Korea (KP); say which", ["KR", "KP"]),
        (
            "congo",
            "'congo' could be Congo (CG) or Democratic Republic of the Congo (CD); say which",
            ["CG", "CD"],
        ),
        (
            "Guinea",
            "'Guinea' could be Guinea (GN), Guinea-Bissau (GW), Equatorial Guinea (GQ) "
            "or Papua New Guinea (PG); say which",
            ["GN", "GW", "GQ", "PG"],
        ),
    ],
)
def test_an_ambiguous_name_lists_the_candidates(text: str, message: str, codes: list[str]) -> None:
    with pytest.raises(places.AmbiguousCountry) as caught:
        resolve_country(text)
    assert str(caught.value) == message
    assert [c.alpha_2 for c in caught.value.candidates] == codes


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        ("America/Los", "America/Los_Angeles"),
        ("america/new york", "America/New_York"),
        ("Tokyo", "Asia/Tokyo"),
        ("Europe/Pari", "Europe/Paris"),
    ],
)
def test_a_zone_suggestion_comes_from_the_completion_s_names(typed: str, suggested: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        validate_timezone(typed)
    assert str(caught.value) == (f"'{typed}' is not an IANA time zone; did you mean {suggested}?")
    assert suggested in places.zone_names()
