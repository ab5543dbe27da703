"""allowed_signers: parsing the file, principal patterns, validity times, writing a line."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st
from signing_helpers import ECDSA, ED, NOW, _b64, string

from readiness.errors import InputError, InvalidValue, Problem
from readiness.signing import (
    NAMESPACE,
    AllowedSigner,
    KeyPair,
    PublicKey,
    allowed_signers_line,
    keys_for,
    parse_allowed_signers,
    principal_matches,
)

# ------------------------------------------------------------------- allowed_signers


def _other_key(seed: int) -> PublicKey:
    return PublicKey(bytes([seed]) * 32)


def test_parse_a_realistic_file(pair: KeyPair) -> None:
    key = pair.public.openssh()
    text = (
        "# team signers\n"
        "\n"
        f"ada@example.com,ada@home {key} laptop\n"
        f'"Ada Lovelace" namespaces="readiness-report,file" {key}\n'
        f'  *@example.com,!eve@example.com VALID-AFTER="20260101Z",valid-before="20270101" {key}\n'
        f"ops@example.com {ECDSA} yubikey\r\n"
        f"*@example.com cert-authority {key}\n"
    )
    signers = parse_allowed_signers(text, "allowed_signers")
    assert [s.line for s in signers] == [3, 4, 5, 6, 7]
    assert signers[0] == AllowedSigner("ada@example.com,ada@home", "ssh-ed25519", pair.public, 3)
    assert signers[1].principals == "Ada Lovelace"
    assert signers[1].namespaces == "readiness-report,file"
    assert signers[2].valid_after == dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    assert signers[2].valid_before is not None
    assert (signers[3].key_type, signers[3].key) == ("ecdsa-sha2-nistp256", None)
    assert signers[4].cert_authority


def test_every_bad_line_is_reported(pair: KeyPair) -> None:
    key = pair.public.openssh()
    text = "\n".join(
        [
            f"ada {key}",
            "ada",
            f'"Ada Lovelace {key}',
            f'"" {key}',
            f"ada ssh-foo {key[12:]}",
            f"ada foo=1 {key}",
            f"ada namespaces=file {key}",
            f'ada namespaces="a",namespaces="b" {key}',
            f'ada valid-after="2026" {key}',
            f'ada valid-after="20261301" {key}',
            f'ada valid-after="20270101",valid-before="20260101" {key}',
            f"ada cert-authority, {key}",
            'ada namespaces="unclosed ' + key,
            "ada ssh-ed25519",
            "ada ssh-ed25519 %%%%",
            "ada ssh-ed25519 " + _b64(string(b"ssh-rsa") + string(b"k" * 32)),
            "ada ssh-ed25519 " + _b64(ED + string(b"k" * 30)),
            f"ada {ECDSA[:40]}",
            f"ada\0 {key}",
            "ada cert-authority",
        ]
    )
    with pytest.raises(InputError) as caught:
        parse_allowed_signers(text, "signers")
    assert caught.value.lines() == [
        "signers: line 2: no key after the principals",
        "signers: line 3: a quote in the principals is not closed",
        "signers: line 4: no principals (names) before the key",
        "signers: line 5: 'ssh-foo' is not a key type OpenSSH knows (such as ssh-ed25519)",
        "signers: line 6: unknown option 'foo=1'",
        'signers: line 7: the value of "namespaces" must be in double quotes',
        'signers: line 8: "namespaces" is given twice',
        "signers: line 9: \"valid-after\" is not a time: '2026' (expected YYYYMMDD[HHMM[SS]][Z])",
        "signers: line 10: \"valid-after\" is not a time: '20261301' (expected "
        "YYYYMMDD[HHMM[SS]][Z])",
        'signers: line 11: "valid-before" is not later than "valid-after"',
        "signers: line 12: the options end with a comma",
        "signers: line 13: a quote in the options is not closed",
        "signers: line 14: the ssh-ed25519 key's data is missing",
        "signers: line 15: the key data is not valid base64",
        "signers: line 16: the key data is for 'ssh-rsa', not ssh-ed25519",
        "signers: line 17: the key data holds 30 bytes where an Ed25519 key has 32",
        "signers: line 18: the key data is cut short",
        "signers: line 19: holds a NUL character",
        "signers: line 20: no key after the options",
    ]
    assert caught.value.problems[0] == Problem("signers", "line 2", "no key after the principals")


@given(st.text(max_size=300))
def test_parse_allowed_signers_raises_only_input_error(text: str) -> None:
    with contextlib.suppress(InputError):
        parse_allowed_signers(text, "x")


@given(st.lists(st.sampled_from(['"', " ", ",", "=", "a", "!", "\\", "\t", "#", "Z"]), max_size=20))
def test_parse_allowed_signers_of_near_misses(parts: list[str]) -> None:
    line = "".join(parts)
    for text in (f"{line} {_other_key(1).openssh()}", f"ada {line} ssh-ed25519 {line}"):
        with contextlib.suppress(InputError):
            parse_allowed_signers(text, "x")


@pytest.mark.parametrize(
    ("patterns", "name", "expected"),
    [
        ("ada", "ada", True),
        ("ada", "Ada", False),  # case matters, as in OpenSSH
        ("ada", "adam", False),
        ("*", "", True),
        ("", "", False),
        ("a,", "", False),  # a trailing comma adds no empty pattern
        (",a", "", True),  # a leading one does
        ("*@example.com", "ada@example.com", True),
        ("*@example.com", "ada@example.org", False),
        ("*@example.com,!eve@example.com", "eve@example.com", False),
        ("!eve@example.com,*@example.com", "eve@example.com", False),
        ("!eve@example.com", "ada@example.com", False),  # a negation alone matches nothing
        ("a?a", "ada", True),
        ("a?a", "aa", False),
        ("Zo?", "Zoë", False),  # ? is one byte; ë is two in UTF-8
        ("Zo??", "Zoë", True),
        ("**a*", "banana", True),
        ("Ada Lovelace", "Ada Lovelace", True),
        ("x" * 1022, "x" * 1022, True),
        ("x" * 1023, "x" * 1023, False),  # OpenSSH gives up on patterns this long
        ("ada," + "x" * 1023, "ada", False),
    ],
)
def test_principal_matches(patterns: str, name: str, expected: bool) -> None:
    assert principal_matches(patterns, name) is expected


def _reference(patterns: str, name: str) -> bool:
    """match_pattern_list as its comment describes it, with regular expressions."""
    listed = patterns.encode()
    items = listed.split(b",")
    if listed.endswith(b","):
        items.pop()
    verdicts = []
    for item in items if listed else []:
        negated, body = item.startswith(b"!"), item.removeprefix(b"!")
        regex = b"".join(
            b".*" if c == ord("*") else b"." if c == ord("?") else re.escape(bytes([c]))
            for c in body
        )
        if re.fullmatch(regex, name.encode(), re.DOTALL):
            verdicts.append(not negated)
    return bool(verdicts) and all(verdicts)


@given(
    st.text(alphabet="ab*?!,é", max_size=14),
    st.text(alphabet="ab*?!,é", max_size=8),
)
def test_principal_matches_agrees_with_a_regex_reference(patterns: str, name: str) -> None:
    assert principal_matches(patterns, name) is _reference(patterns, name)


def test_keys_for(pair: KeyPair) -> None:
    other, third = _other_key(1), _other_key(2)
    text = (
        f"ada@example.com {pair.public.openssh()}\n"
        f'*@example.com,!eve@example.com namespaces="file" {other.openssh()}\n'
        f'ada@example.com valid-after="20270101Z" {third.openssh()}\n'
        f'ada@example.com valid-before="20260101Z" {third.openssh()}\n'
        f"ada@example.com cert-authority {third.openssh()}\n"
        f"ada@example.com {ECDSA}\n"
        f"ada@example.com {pair.public.openssh()}\n"
    )
    signers = parse_allowed_signers(text, "x")
    assert keys_for(signers, "ada@example.com", NAMESPACE, NOW) == [pair.public]
    assert keys_for(signers, "ada@example.com", "file", NOW) == [pair.public, other]
    assert keys_for(signers, "eve@example.com", "file", NOW) == []
    assert keys_for(signers, "bob@example.com", "file", NOW) == [other]
    later = dt.datetime(2027, 6, 1, tzinfo=dt.UTC)
    assert keys_for(signers, "ada@example.com", NAMESPACE, later) == [pair.public, third]
    earlier = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    assert keys_for(signers, "ada@example.com", NAMESPACE, earlier) == [pair.public, third]
    with pytest.raises(InvalidValue) as caught:
        keys_for(signers, "ada@example.com", NAMESPACE, dt.datetime(2026, 1, 1))
    assert str(caught.value) == "the time to check keys at must carry a time zone"


def test_validity_bounds_are_inclusive_whole_seconds(pair: KeyPair) -> None:
    stamp = NOW.strftime("%Y%m%d%H%M%SZ")
    bounded = f'ada valid-before="{stamp}" {pair.public.openssh()}'
    (signer,) = parse_allowed_signers(bounded, "x")
    assert keys_for([signer], "ada", NAMESPACE, NOW.replace(microsecond=999_999)) == [pair.public]
    assert keys_for([signer], "ada", NAMESPACE, NOW + dt.timedelta(seconds=1)) == []
    (signer,) = parse_allowed_signers(f'ada valid-after="{stamp}" {pair.public.openssh()}', "x")
    assert keys_for([signer], "ada", NAMESPACE, NOW) == [pair.public]
    assert keys_for([signer], "ada", NAMESPACE, NOW - dt.timedelta(microseconds=1)) == []


def test_times_without_z_are_local_time(pair: KeyPair) -> None:
    old = os.environ.get("TZ")
    os.environ["TZ"] = "JST-9"  # POSIX for UTC+9
    time.tzset()
    try:
        times = 'valid-after="202601011200",valid-before="20260102000000UTC"'
        line = f"ada {times} {pair.public.openssh()}"
        (signer,) = parse_allowed_signers(line, "x")
    finally:
        if old is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = old
        time.tzset()
    assert signer.valid_after == dt.datetime(2026, 1, 1, 3, tzinfo=dt.UTC)
    assert signer.valid_before == dt.datetime(2026, 1, 2, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("name", "principal"),
    [
        ("ada@example.com", "ada@example.com"),
        ("Ada Lovelace", '"Ada Lovelace"'),
        ("#hash", '"#hash"'),
        ("O'Brien", '"O\'Brien"'),
        ("Zoë Ñúñez", '"Zoë Ñúñez"'),
        ("a=b", '"a=b"'),
        ("back\\slash", '"back\\slash"'),
        ("x+tag@host-1.example", "x+tag@host-1.example"),
    ],
)
def test_allowed_signers_line(pair: KeyPair, name: str, principal: str) -> None:
    line = allowed_signers_line(name, pair.public)
    assert line == f'{principal} namespaces="readiness-report" {pair.public.openssh()}'
    (signer,) = parse_allowed_signers(line, "x")
    assert signer.principals == name
    assert keys_for([signer], name, NAMESPACE, NOW) == [pair.public]
    assert keys_for([signer], name, "file", NOW) == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "a signer's name cannot be empty"),
        ('Ada "the Countess"', 'Ada "the Countess": a signer\'s name cannot hold a double quote'),
        ("Ada\nLovelace", "Ada\\nLovelace: a signer's name must be one line of text"),
        (
            "Lovelace, Ada",
            "Lovelace, Ada: a signer's name cannot hold a comma (OpenSSH reads it "
            "as a list of names)",
        ),
        ("Ada*", "Ada*: a signer's name cannot hold * (a wildcard in OpenSSH)"),
        ("Ada?", "Ada?: a signer's name cannot hold ? (a wildcard in OpenSSH)"),
        ("!ada", "!ada: a signer's name cannot start with ! (OpenSSH: not)"),
        ("x" * 1023, "x" * 40 + "…: a signer's name is too long for OpenSSH"),
    ],
)
def test_allowed_signers_line_refusals(pair: KeyPair, name: str, message: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        allowed_signers_line(name, pair.public)
    assert str(caught.value) == message
