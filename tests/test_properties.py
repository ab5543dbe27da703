"""Properties of the parsers and the report, checked on generated input (hypothesis).

CI runs the "ci" profile (few examples, derandomised, see conftest.py);
``HYPOTHESIS_PROFILE=fuzz`` runs many more. Every parser either gives a value or
raises the project's own ``InvalidValue`` with a one-line message; any answers
document the loader accepts comes back unchanged from a signed report; and any
single value changed in a signed report makes ``verify`` fail.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import tomli_w
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import assume, given, note
from hypothesis import strategies as st
from packaging.version import Version
from stdnum import imei as stdnum_imei
from stdnum import luhn
from stdnum.iso7064 import mod_97_10

from readiness import answers, checks, files, identifiers, places, report, versions
from readiness import knowledge as knowledge_mod
from readiness.errors import InputError, InvalidValue
from readiness.knowledge import PRIORITIES, Knowledge
from readiness.signing import KeyPair

EXAMPLE = Path(__file__).parent.parent / "examples" / "answers.toml"
NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
SIGNED_AT = dt.datetime(2026, 11, 30, 12, 3, 17, tzinfo=dt.UTC)
KEY = KeyPair.from_private(Ed25519PrivateKey.from_private_bytes(bytes(range(32))))
OWN = report.Trust(own=KEY.public, now=NOW)
NOBODY = report.Trust(now=NOW)


def one_line_message(exc: Exception) -> None:
    message = str(exc)
    assert message
    assert message.isprintable(), repr(message)


# --- OS versions ----------------------------------------------------------------------------

VERSION_WORDS = (
    "iOS", "iPadOS", "watchOS", "Android", "Wear OS", "Android Wear", "Windows", "Microsoft",
    "macOS", "Mac OS X", "OS X", "iPhone OS", "Pro", "Home", "Build", "Version", "[Version",
    "]", "(", ")", "(22A3354)", "(24B83)", ",", ";", ":", "v", "V", ".", "..", "10", "11",
    "10.0", "7", "8.1", "19.4.1", "26.1", "16", "10.0.26100.2314", "10.0.22631", "22000",
    "26100", "26100.2314", "19045", "21H2", "22H2", "23H2", "24H2", "25H2", "20H1", "24h2",
    "0", "00", "1" * 30, "9" * 210, "١٢", "１９", "²", "ⅰ", "\u00a0", "\t", "\n", "\x00", "é",
)  # fmt: skip
version_like = st.lists(st.sampled_from(VERSION_WORDS) | st.text(max_size=4), max_size=8).flatmap(
    lambda words: st.sampled_from([" ", "", ".", "-"]).map(lambda sep: sep.join(words))
)
families = st.sampled_from((None, *versions.FAMILIES))


@given(text=st.text() | version_like, family=families)
def test_every_string_is_a_version_or_invalid_value(text: str, family: str | None) -> None:
    try:
        version = versions.parse_version(text, family)
    except InvalidValue as exc:
        one_line_message(exc)
        return
    assert isinstance(version, Version)
    # What a report shows of a version reads back as the same version.
    assert versions.parse_version(str(version), family) == version
    assert versions.describe(version, family or versions.IOS)


@given(text=st.text() | version_like)
def test_detect_family_never_raises(text: str) -> None:
    assert versions.detect_family(text) in (None, *versions.FAMILIES)


def test_an_unknown_family_is_invalid_value() -> None:
    with pytest.raises(InvalidValue, match="unknown OS family"):
        versions.parse_version("19.4", "symbian")


@given(
    build=st.integers(versions.FIRST_WINDOWS_10_BUILD, 21_999),
    release=st.sampled_from(knowledge_mod.load().windows_releases.names(11)),
)
def test_every_windows_10_build_is_below_every_windows_11_release(build: int, release: str) -> None:
    ten = versions.parse_version(f"10.0.{build}", versions.WINDOWS)
    eleven = knowledge_mod.load().parse_version(f"Windows 11 {release}", versions.WINDOWS)
    assert ten < eleven


# --- IMEI and EID -----------------------------------------------------------------------------

SEPARATORS = (" ", "-", "/", ".", "  ", " - ", "\t", "\u00a0", "\u2010", "\u2013", "\u2212", "")


def luhn_complete(body: str) -> str:
    return body + luhn.calc_check_digit(body)


imeis = st.text("0123456789", min_size=14, max_size=14).map(luhn_complete)
eids = st.text("0123456789", min_size=30, max_size=30).map(
    lambda body: body + mod_97_10.calc_check_digits(body)
)


@st.composite
def separated(draw: st.DrawFn, number: str) -> str:
    """The number written with any separator between any digits, and spaces around it."""
    out = [draw(st.sampled_from(("", " ", "\t")))]
    for digit in number:
        out.append(digit)
        out.append(draw(st.sampled_from(SEPARATORS)))
    if draw(st.booleans()):  # full-width digits, as some keyboards type them
        out = [chr(ord(c) - ord("0") + 0xFF10) if c.isdigit() else c for c in out]
    return "".join(out)


@given(text=st.text())
def test_compact_is_idempotent(text: str) -> None:
    once = identifiers.compact_imei(text)
    assert identifiers.compact_imei(once) == once
    assert identifiers.compact_eid(identifiers.compact_eid(text)) == identifiers.compact_eid(text)
    assert not any(ch.isspace() for ch in once)


@given(number=imeis, data=st.data())
def test_a_valid_imei_stays_valid_after_any_separators(number: str, data: st.DataObject) -> None:
    written = data.draw(separated(number))
    note(repr(written))
    assert identifiers.validate_imei(written) == number
    assert identifiers.is_valid_imei(written)
    assert identifiers.compact_imei(written) == number
    assert identifiers.validate_imei(identifiers.format_imei(written)) == number
    assert identifiers.mask(written).endswith(number[-4:])


@given(number=imeis, position=st.integers(0, 14), delta=st.integers(1, 9))
def test_any_single_wrong_digit_is_caught(number: str, position: int, delta: int) -> None:
    digit = str((int(number[position]) + delta) % 10)
    typo = number[:position] + digit + number[position + 1 :]
    assert not identifiers.is_valid_imei(typo)
    with pytest.raises(InvalidValue, match="check digit"):
        identifiers.validate_imei(typo)


@given(text=st.text() | st.text("0123456789 -/.", max_size=40))
def test_every_string_is_an_imei_or_invalid_value(text: str) -> None:
    try:
        number = identifiers.validate_imei(text)
    except InvalidValue as exc:
        one_line_message(exc)
        return
    assert len(number) == 15
    assert number.isascii()
    assert number.isdigit()
    assert identifiers.validate_imei(number) == number


@given(text=st.text("0123456789", min_size=13, max_size=17) | st.text(max_size=20))
def test_the_imei_rule_is_stdnum_s(text: str) -> None:
    """The shortcut to stdnum's Luhn check agrees with stdnum's own IMEI rule (15 digits)."""
    compact = identifiers.compact_imei(text)
    stdnum_says = stdnum_imei.is_valid(compact) and len(stdnum_imei.compact(compact)) == 15
    assert identifiers.is_valid_imei(text) == stdnum_says


@given(number=eids, data=st.data())
def test_a_valid_eid_stays_valid_after_any_separators(number: str, data: st.DataObject) -> None:
    written = data.draw(separated(number))
    assert identifiers.validate_eid(written) == number
    assert identifiers.validate_eid(identifiers.format_eid(written)) == number


@given(text=st.text() | st.text("0123456789 ", max_size=40))
def test_every_string_is_an_eid_or_invalid_value(text: str) -> None:
    try:
        number = identifiers.validate_eid(text)
    except InvalidValue as exc:
        one_line_message(exc)
        return
    assert len(number) == 32
    assert number.isascii()
    assert number.isdigit()


# --- countries and time zones ----------------------------------------------------------------

COUNTRY_WORDS = ("Japan", "JP", "JPN", "UK", "Korea", "South", "United", "States", "(", ")", "SG")
ZONE_WORDS = ("Asia", "Europe", "/", "_", "..", "Tokyo", "UTC", "posix", "right", "localtime", "+5")


@given(text=st.text(max_size=30) | st.lists(st.sampled_from(COUNTRY_WORDS)).map(" ".join))
def test_every_string_is_a_country_or_invalid_value(text: str) -> None:
    try:
        country = places.resolve_country(text)
    except InvalidValue as exc:
        one_line_message(exc)
        return
    assert places.resolve_country(country.alpha_2) == country
    assert places.resolve_country(str(country)) == country


@given(text=st.text(max_size=30) | st.lists(st.sampled_from(ZONE_WORDS)).map("".join))
def test_every_string_is_a_time_zone_or_invalid_value(text: str) -> None:
    try:
        zone = places.validate_timezone(text)
    except InvalidValue as exc:
        one_line_message(exc)
        return
    assert ZoneInfo(zone)
    assert places.validate_timezone(zone) == zone


# --- answers documents -------------------------------------------------------------------------

# What a person may well type into a label or a name: TOML's own syntax, quotes,
# backslashes, emoji, combining marks, right-to-left text and odd spaces.
TRICKY = (
    '"', "'", "\\", '"""', "'''", "#", "[", "]", "[[devices]]", "=", ".", "{", "}", ",",
    "\\n", "\\t", "\\u0000", "\u00a0", "\u00ad", "שלום", "😀", "✈", "👨\u200d👩\u200d👧",
    "e\u0301", "ß", "İ", "Ǆ", " ", "Ada", "iPhone", "'s", "0",
)  # fmt: skip
any_char = st.characters(codec="utf-8")
# What the loader takes as one line: no control characters (tab, DEL and C1 included),
# no line or paragraph separators, no text-direction controls or zero-width characters.
HIDDEN = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
HIDDEN += "\u200b\u200c\u200d\u2060\ufeff"
one_line = st.lists(
    st.sampled_from(TRICKY)
    | st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters=HIDDEN),
    max_size=12,
).map("".join)
visible = st.characters(
    blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp"), blacklist_characters=HIDDEN
)
label_text = st.builds(lambda a, b, c: a + b + c, one_line, visible, one_line)  # never blank
free_text = st.text(any_char, max_size=20) | one_line  # names with newlines, NUL, anything

COUNTRIES = (
    "SG", "JP", "Japan", "US", "USA", "GB", "UK", "TH", "France", "DEU", "Singapore",
    "South Korea", "BR", "AU", "NZ", "CN", "IN", "Côte d'Ivoire", "Viet Nam", "Japan (JP)",
)  # fmt: skip
ZONES = (
    "Asia/Singapore", "Asia/Tokyo", "Europe/London", "America/New_York", "UTC",
    "Australia/Lord_Howe", "Asia/Kathmandu", "America/St_Johns", "Pacific/Chatham",
)  # fmt: skip
MODELS = (
    "iPhone 15 Pro", "iPhone 17 Pro Max", "iPhone 14", "iPhone 15", "Samsung Galaxy S24",
    "Galaxy S26 Ultra", "Google Pixel 8", "Pixel 10", "iPad Pro 11-inch (M4)",
    "Apple Watch Series 10", "Galaxy Watch 6", "Surface Laptop 7 5G", "MacBook Air 13-inch (M4)",
)  # fmt: skip
OS_VERSIONS = (
    "19.4.1", "iOS 18.0 (22A3354)", "26.1", "Android 16", "macOS 15.1 (24B83)",
    "Windows 11 Pro 24H2", "10.0.26100.2314", "Microsoft Windows [Version 10.0.22631.4460]",
    "watchOS 12.4", "Wear OS 5", "iPadOS 19.4", "",
)  # fmt: skip

offsets = st.integers(-12 * 60, 14 * 60).map(lambda m: dt.timezone(dt.timedelta(minutes=m)))
local_times = st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2100, 1, 1))


@st.composite
def departures(draw: st.DrawFn) -> dict[str, Any]:
    """The trip keys that pin the departure, in every form the loader takes."""
    local = draw(local_times)
    form = draw(st.sampled_from(["offset", "zone", "zone and offset", "text"]))
    if form == "offset":
        return {"departure": local.replace(tzinfo=draw(offsets))}
    zone = draw(st.sampled_from(ZONES))
    if form == "zone":
        return {"departure": local, "timezone": zone}
    moment = local.replace(tzinfo=ZoneInfo(zone))
    fixed = moment.astimezone(dt.timezone(moment.utcoffset() or dt.timedelta()))
    if form == "zone and offset":
        return {"departure": fixed, "timezone": zone}
    return {"departure": fixed.isoformat()}


def optional(draw: st.DrawFn, table: dict[str, Any], key: str, values: Any) -> None:
    if draw(st.booleans()):
        table[key] = draw(values)


@st.composite
def devices(draw: st.DrawFn, label: str) -> dict[str, Any]:
    device: dict[str, Any] = {"label": label, "model": draw(st.sampled_from(MODELS) | label_text)}
    identifier = imeis.flatmap(separated) | st.text("0123456789 -", max_size=18) | one_line
    optional(draw, device, "os_version", st.sampled_from(OS_VERSIONS) | one_line)
    optional(draw, device, "imei", identifier)
    optional(draw, device, "imei2", identifier)
    optional(draw, device, "eid", eids | one_line)
    optional(draw, device, "battery", st.integers(0, 100))
    optional(draw, device, "primary", st.booleans())
    optional(draw, device, "priority", st.sampled_from(PRIORITIES))
    optional(draw, device, "roaming_authorized", st.booleans())
    optional(draw, device, "wifi_calling", st.booleans())
    return device


@st.composite
def answer_documents(draw: st.DrawFn) -> dict[str, Any]:
    """Documents close to the schema, as a person or the wizard writes them."""
    doc: dict[str, Any] = {}
    optional(draw, doc, "schema", st.just(1))
    if draw(st.booleans()):
        doc["traveler"] = {"name": draw(one_line)}
    trip: dict[str, Any] = {"name": draw(label_text), **draw(departures())}
    trip["home"] = draw(st.sampled_from(COUNTRIES))
    trip["destinations"] = draw(st.lists(st.sampled_from(COUNTRIES), min_size=1, max_size=4))
    if draw(st.booleans()):
        departure = trip["departure"]
        day = (
            dt.datetime.fromisoformat(departure) if isinstance(departure, str) else departure
        ).date()
        back = draw(st.dates(day, day + dt.timedelta(days=400)))
        trip["return"] = back if draw(st.booleans()) else dt.datetime.combine(back, dt.time(8))
    doc["trip"] = trip
    plan: dict[str, Any] = {
        "multi_device": draw(st.booleans()),
        "coverage": draw(
            st.just(["*"]) | st.lists(st.sampled_from(COUNTRIES), min_size=1, max_size=5)
        ),
    }
    optional(draw, plan, "provider", one_line)
    optional(draw, plan, "max_devices", st.integers(1, 1000))
    optional(draw, plan, "pool_gb", st.integers(0, 10_000) | st.floats(0, 1_000_000))
    optional(
        draw,
        plan,
        "device_limits",
        st.dictionaries(st.sampled_from(COUNTRIES), st.integers(0, 2**63 - 1), max_size=3),
    )
    doc["plan"] = plan
    labels = draw(
        st.lists(label_text, min_size=1, max_size=4, unique_by=lambda s: s.strip().casefold())
    )
    doc["devices"] = [draw(devices(label)) for label in labels]
    if draw(st.booleans()):
        checklist: dict[str, Any] = {}
        for key in answers.CHECKLIST_KEYS:
            optional(draw, checklist, key, st.booleans())
        optional(draw, checklist, "profiles_backed_up", st.sampled_from(["n/a", "N/A", True]))
        doc["checklist"] = checklist
    if draw(st.booleans()):
        usage: dict[str, Any] = {}
        for key in answers.USAGE_DAILY:
            optional(draw, usage, key, st.booleans())
        for key in answers.USAGE_HOURLY:
            optional(draw, usage, key, st.floats(0, 24) | st.integers(0, 24))
        doc["usage"] = usage
    return doc


def loaded(doc: dict[str, Any], knowledge: Knowledge) -> answers.Answers:
    """The answers a file holding ``doc`` gives; only accepted documents go further."""
    text = tomli_w.dumps(doc)
    parsed = files.parse_toml(text, "answers.toml")
    try:
        return answers.from_document(parsed, "answers.toml", text)
    except InputError as exc:
        note(str(exc))
        assume(False)
        raise  # not reached: assume(False) ends the example


def signed_report(a: answers.Answers, knowledge: Knowledge, by: str) -> dict[str, Any]:
    evaluation = checks.evaluate(a, knowledge, NOW)
    signoff = report.Signoff(by=by, at=SIGNED_AT)
    return report.sign(report.build(evaluation, a, knowledge, NOW, signoff), KEY)


@given(doc=answer_documents(), by=st.builds(str.__add__, free_text, label_text))
def test_accepted_answers_round_trip_through_the_report(
    knowledge: Knowledge, doc: dict[str, Any], by: str
) -> None:
    original = loaded(doc, knowledge)
    signed = signed_report(original, knowledge, by)
    back = tomllib.loads(report.dumps(signed).decode("utf-8"))
    assert answers.from_document(back["answers"]) == original
    assert back["signoff"]["by"] == by
    assert report.results_of(back) == report.results_of(signed)
    assert report.verify(back, OWN) == report.Verification(
        True, report.SignatureState.TRUSTED_OWN, (), KEY.public.fingerprint()
    )
    # The answers a report stores are canonical: storing them again changes nothing.
    assert answers.to_document(answers.from_document(back["answers"])) == back["answers"]


@given(doc=answer_documents())
def test_the_report_file_is_what_was_signed(
    knowledge: Knowledge, doc: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    signed = signed_report(loaded(doc, knowledge), knowledge, "Ada")
    path = tmp_path_factory.mktemp("report") / "report.toml"
    report.write(path, signed)
    assert report.load(path).document == signed
    assert report.verify(report.load(path), OWN).ok


# --- any single change to a signed report fails verify ---------------------------------------


def leaves(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """The path of every scalar in a document, list items included."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index))
    else:
        yield path


def get(doc: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        doc = doc[part]
    return doc


def replaced(doc: dict[str, Any], path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    out = copy.deepcopy(doc)
    get(out, path[:-1])[path[-1]] = value
    return out


def other_value(value: Any) -> Any:
    """A different value of the same TOML type."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, float):
        return value + 0.5
    if isinstance(value, str):
        return value[:-1] if value.endswith("x") else value + "x"
    if isinstance(value, dt.datetime):
        return value + dt.timedelta(seconds=1)
    if isinstance(value, dt.date):
        return value + dt.timedelta(days=1)
    raise AssertionError(f"unexpected {type(value).__name__} in a report")


def reread(doc: dict[str, Any]) -> dict[str, Any]:
    """The document as a file gives it back (checks hold strings only)."""
    return tomllib.loads(report.dumps(doc).decode("utf-8"))


def assert_fails_verify(doc: dict[str, Any], path: tuple[str | int, ...]) -> None:
    outcome = report.verify(doc, OWN)
    assert not outcome.ok, path
    if path != ("signoff", "signature"):
        assert not outcome.digest_ok, path
        assert outcome.changed, path
    assert not report.verify(doc, NOBODY).ok


def example_report(knowledge: Knowledge) -> dict[str, Any]:
    return reread(signed_report(answers.load(EXAMPLE), knowledge, "Ada Lovelace"))


def test_changing_any_single_value_of_the_example_report_fails_verify(
    knowledge: Knowledge,
) -> None:
    signed = example_report(knowledge)
    assert report.verify(signed, OWN).ok
    paths = list(leaves(signed))
    assert len(paths) > 200
    for path in paths:
        assert_fails_verify(reread(replaced(signed, path, other_value(get(signed, path)))), path)


def every_path(doc: dict[str, Any]) -> list[tuple[str | int, ...]]:
    """Every key and list item, tables and lists included, each once."""
    return list(dict.fromkeys(p[:depth] for p in leaves(doc) for depth in range(1, len(p) + 1)))


def test_removing_any_key_or_item_of_the_example_report_fails_verify(
    knowledge: Knowledge,
) -> None:
    signed = example_report(knowledge)
    for path in every_path(signed):
        cut = copy.deepcopy(signed)
        del get(cut, path[:-1])[path[-1]]
        assert_fails_verify(cut, path)


@pytest.mark.parametrize("value", ["é", 0, 1.5, True, [], {}, ["é"], {"é": "é"}])
def test_replacing_any_table_or_list_of_the_example_report_fails_verify(
    knowledge: Knowledge, value: Any
) -> None:
    """Edits that change a value's shape, as a hand edit or a script can."""
    signed = example_report(knowledge)
    for path in every_path(signed):
        old = get(signed, path)
        # ``report.load`` refuses a file whose [signoff] is not a table with a digest.
        if path == ("signoff",) or not isinstance(old, (dict, list)) or old == value:
            continue
        assert_fails_verify(replaced(signed, path, value), path)


@pytest.mark.parametrize("key", ["digest", "signature", "key_id"])
@pytest.mark.parametrize("text", ["é", "sha256:é", "\x00", "😀" * 64, ""])
def test_any_text_in_the_signoff_fails_verify_without_crashing(
    knowledge: Knowledge, key: str, text: str
) -> None:
    signed = example_report(knowledge)
    assert_fails_verify(reread(replaced(signed, ("signoff", key), text)), ("signoff", key))


def toml_scalars() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.text(any_char, max_size=10),
        st.integers(-(2**63), 2**63 - 1),
        st.floats(allow_nan=False),
        st.booleans(),
        st.dates(),
        st.datetimes(timezones=st.none() | offsets),
    )


def canonical(value: Any) -> str:
    return json.dumps([type(value).__name__, value], default=str, ensure_ascii=False)


@given(doc=answer_documents(), data=st.data())
def test_changing_any_single_value_of_a_signed_report_fails_verify(
    knowledge: Knowledge, doc: dict[str, Any], data: st.DataObject
) -> None:
    signed = reread(signed_report(loaded(doc, knowledge), knowledge, "Ada"))
    # An index drawn independently of the number of leaves, which follows the data file:
    # a saved failing example then replays the same way after the data file changes.
    paths = list(leaves(signed))
    path = paths[data.draw(st.integers(0, 2**16), label="leaf") % len(paths)]
    old = get(signed, path)
    # Any other value: of another type too, except in [[checks]], which hold strings only.
    values = (
        st.text(any_char) if path[0] == "checks" else st.just(other_value(old)) | toml_scalars()
    )
    new = data.draw(values.filter(lambda v: canonical(v) != canonical(old)), label="new")
    assert_fails_verify(reread(replaced(signed, path, new)), path)
