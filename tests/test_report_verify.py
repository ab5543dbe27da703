"""Verifying a report: signatures, trusted keys, forged digests, the canonical form, wording."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import tomllib
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from report_helpers import KEY, NOW, OWN, build, edit, written

from readiness import canonical, report, state
from readiness.errors import StateError
from readiness.knowledge import Knowledge
from readiness.signing import KeyPair, parse_allowed_signers

OTHER = KeyPair.from_private(Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33))))

HMAC_KEY = bytes(range(32))

NOBODY = report.Trust(now=NOW)


def legacy_signed(doc: dict[str, Any], key: bytes = HMAC_KEY) -> dict[str, Any]:
    """A report as readiness signed it before Ed25519: key id, old form, HMAC."""
    import hmac

    signed = {**doc, "signoff": {**doc["signoff"], "key_id": state.key_id(key)}}
    signed["signoff"]["sections"] = canonical.section_digests(signed, canonical.legacy_canonical)
    digest = canonical.legacy_digest(signed)
    signed["signoff"]["digest"] = digest
    mac = hmac.new(key, digest.encode("ascii"), hashlib.sha256).hexdigest()
    signed["signoff"]["signature"] = "hmac-sha256:" + mac
    return signed


# --- sign and verify ------------------------------------------------------------------------


# Scalars TOML can hold, and tables of them: what a report (or an edit of one) may contain.
toml_scalars = (
    st.text()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.dates()
)

names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_-", min_size=1, max_size=8) | st.text(
    min_size=1, max_size=8
)

flat_tables = st.dictionaries(names, toml_scalars, max_size=5)

arrays = st.lists(flat_tables | st.dictionaries(names, flat_tables, max_size=2), max_size=4)


@given(
    checks=arrays,
    devices=arrays,
    before=st.dictionaries(names, toml_scalars | flat_tables, max_size=3),
    after=st.dictionaries(names, toml_scalars | flat_tables, max_size=3),
)
def test_dumps_writes_any_checks_and_devices_that_toml_reads_back(
    checks: list[Any], devices: list[Any], before: dict[str, Any], after: dict[str, Any]
) -> None:
    """The fast writer for the big arrays, and tomli-w wherever they are not flat tables."""
    answers = {**before, "devices": devices, **after}
    doc = {"schema": 1, "report": {"tool": "t"}, "checks": checks, "answers": answers}
    doc["signoff"] = {"by": "\x7f", "digest": "d"}
    assert tomllib.loads(report.dumps(doc).decode("utf-8")) == doc
    edited = {"note": "added by hand", **doc, "extra": {"table": True}}
    assert tomllib.loads(report.dumps(edited).decode("utf-8")) == edited


def test_dumps_escapes_what_toml_strings_cannot_hold_raw() -> None:
    text = 'a "quote", a \\ backslash, a tab\t, DEL \x7f, NUL \x00, ✈ and \U0001f600'
    doc = {
        "schema": 1,
        "report": {},
        "checks": [{"id": "x", "message": text}],
        "answers": {"devices": [{"label": text}]},
        "signoff": {},
    }
    written = report.dumps(doc).decode("utf-8")
    assert "\x7f" not in written
    assert "\x00" not in written
    assert "✈" in written
    assert "\U0001f600" in written
    assert tomllib.loads(written) == doc


def test_long_lists_are_signed_in_pieces_as_verify_reads_them_whole(knowledge: Knowledge) -> None:
    """Thousands of checks are encoded a thousand at a time when signing."""
    doc = build(knowledge)
    doc["checks"] = [{**doc["checks"][i % 5], "subject": f"Device {i} ✈"} for i in range(2345)]
    doc["answers"]["devices"] = [{"label": f"D{i}", "model": "iPhone 16"} for i in range(1001)]
    signed = report.sign(doc, KEY)
    fingerprint = KEY.public.fingerprint()
    assert report.verify(signed, OWN) == report.Verification(
        True, report.SignatureState.TRUSTED_OWN, (), fingerprint
    )
    edited = copy.deepcopy(signed)
    edited["checks"][2000]["status"] = (
        "pass" if edited["checks"][2000]["status"] != "pass" else "fail"
    )
    assert report.verify(edited, OWN).changed == ("checks",)


def test_a_document_with_keys_outside_the_sections_signs_and_verifies(
    knowledge: Knowledge,
) -> None:
    doc = build(knowledge)
    doc["answers"]["notes"] = "added by a script"
    doc["zzz"] = {"after": "signoff in sorted order"}
    signed = report.sign(doc, KEY)
    assert report.verify(signed, OWN).ok
    edited = copy.deepcopy(signed)
    edited["zzz"]["after"] = "changed"
    # Keys outside every section have no digest of their own: each is named.
    assert report.verify(edited, OWN).changed == ("zzz", "answers.notes")


def test_untouched_report_verifies(knowledge: Knowledge, tmp_path: Path) -> None:
    outcome = report.verify(report.load(written(knowledge, tmp_path)), OWN)
    assert outcome == report.Verification(
        True, report.SignatureState.TRUSTED_OWN, (), KEY.public.fingerprint()
    )
    assert outcome.ok
    assert outcome.state == "trusted"


def test_signed_document_verifies_in_memory(knowledge: Knowledge) -> None:
    assert report.verify(report.sign(build(knowledge), KEY), OWN).ok


def test_sign_does_not_change_its_input(knowledge: Knowledge) -> None:
    doc = build(knowledge)
    before = copy.deepcopy(doc)
    report.sign(doc, KEY)
    assert doc == before


@pytest.mark.parametrize(
    ("old", "new", "section"),
    [
        ("battery = 64", "battery = 94", "answers.devices"),
        ('status = "warn"', 'status = "pass"', "checks"),
        ('verdict = "ready-with-warnings"', 'verdict = "ready"', "report"),
        ('by = "Ada Lovelace"', 'by = "Mallory"', "signoff"),
        ('previous = ""', 'previous = "sha256:0"', "signoff"),
        ('home = "US"', 'home = "SG"', "answers.trip"),
        ("pool_gb = 40.0", "pool_gb = 400.0", "answers.plan"),
        ("offline_maps = true", "offline_maps = false", "answers.checklist"),
        ("streaming_hours = 0.5", "streaming_hours = 0.0", "answers.usage"),
        ('name = "Ada Lovelace"', 'name = "Mallory"', "answers.traveler"),
        ("schema = 1\n", "schema = 1\nextra = 1\n", "extra"),
        ("[answers]\n", "[answers]\nnote = 1\n", "answers.note"),
    ],
)
def test_an_edited_value_fails_verify_naming_the_section(
    knowledge: Knowledge, tmp_path: Path, old: str, new: str, section: str
) -> None:
    path = written(knowledge, tmp_path)
    edit(path, old, new)
    outcome = report.verify(report.load(path), OWN)
    assert not outcome.digest_ok
    assert not outcome.ok
    assert section in outcome.changed
    assert outcome.state == "changed"


def test_edited_value_with_recomputed_digest_fails_the_signature(
    knowledge: Knowledge, tmp_path: Path
) -> None:
    doc = report.load(written(knowledge, tmp_path)).document
    doc["answers"]["devices"][1]["battery"] = 94
    doc["signoff"]["sections"] = canonical.section_digests(doc)
    doc["signoff"]["digest"] = canonical.digest(doc)
    outcome = report.verify(doc, OWN)
    assert outcome.digest_ok
    assert outcome.signature is report.SignatureState.INVALID
    assert not outcome.ok
    assert outcome.reason == (
        f"the signature by {KEY.public.fingerprint()} does not match: "
        "the signed text or the signature was changed"
    )


def test_removed_check_fails_verify(knowledge: Knowledge, tmp_path: Path) -> None:
    doc = report.load(written(knowledge, tmp_path)).document
    del doc["checks"][4]
    assert report.verify(doc, OWN).changed == ("checks",)


def test_a_key_nobody_listed_is_an_unknown_key(knowledge: Knowledge, tmp_path: Path) -> None:
    outcome = report.verify(report.load(written(knowledge, tmp_path)), NOBODY)
    assert outcome.digest_ok
    assert outcome.signature is report.SignatureState.UNKNOWN_KEY
    assert outcome.fingerprint == KEY.public.fingerprint()
    assert not outcome.ok
    assert report.words(outcome, "Ada Lovelace") == (
        f"signed by Ada Lovelace with a key no one listed (key {KEY.public.fingerprint()}); "
        "trust it with --allowed-signers"
    )


def _listed(line: str) -> report.Trust:
    return report.Trust(signers=parse_allowed_signers(line, "allowed_signers"), now=NOW)


def test_a_key_listed_for_the_signer_is_trusted(knowledge: Knowledge) -> None:
    signed = report.sign(build(knowledge), KEY)
    trust = _listed(f'"Ada Lovelace" {KEY.public.openssh()}')
    assert report.verify(signed, trust).signature is report.SignatureState.TRUSTED_LISTED
    assert report.verify(signed, trust).ok
    wildcard = _listed(f"Ada* {KEY.public.openssh()}")
    assert report.verify(signed, wildcard).ok  # matched as OpenSSH matches -I


def test_a_key_listed_for_someone_else_vouches_for_no_one_else(knowledge: Knowledge) -> None:
    signed = report.sign(build(knowledge), KEY)
    trust = _listed(f"Bob {KEY.public.openssh()}")
    assert report.verify(signed, trust).signature is report.SignatureState.UNKNOWN_KEY
    # Bob's key signing a report that says "Ada": not trusted either.
    by_bob = report.sign(build(knowledge), OTHER)
    bob = _listed(f"Bob {OTHER.public.openssh()}")
    assert report.verify(by_bob, bob).signature is report.SignatureState.UNKNOWN_KEY


def test_a_forged_report_signed_with_the_forgers_key_is_not_trusted(
    knowledge: Knowledge,
) -> None:
    doc = report.sign(build(knowledge), KEY)
    forged = copy.deepcopy(doc)
    forged["answers"]["devices"][1]["battery"] = 94
    del forged["signoff"]["digest"], forged["signoff"]["signature"]
    resigned = report.sign(forged, OTHER)
    outcome = report.verify(resigned, OWN)
    assert outcome.digest_ok
    assert outcome.signature is report.SignatureState.UNKNOWN_KEY
    assert outcome.fingerprint == OTHER.public.fingerprint()
    assert not outcome.ok


def test_a_public_key_that_did_not_make_the_signature_is_invalid(knowledge: Knowledge) -> None:
    doc = report.sign(build(knowledge), OTHER)
    # The forger claims this machine's key, but the signature is theirs.
    doc["signoff"]["public_key"] = KEY.public.openssh()
    doc["signoff"]["fingerprint"] = KEY.public.fingerprint()
    outcome = report.verify(doc, OWN)
    assert outcome.signature is report.SignatureState.INVALID
    assert outcome.reason == "the public key in the report is not the key that made the signature"
    assert not outcome.ok


@pytest.mark.parametrize(
    ("signature", "state"),
    [
        (None, report.SignatureState.UNSIGNED),
        ("", report.SignatureState.UNSIGNED),
        ("-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----", "malformed"),
        ("hello", report.SignatureState.MALFORMED),
    ],
)
def test_a_missing_or_malformed_signature_never_verifies(
    knowledge: Knowledge, signature: str | None, state: str
) -> None:
    doc = report.sign(build(knowledge), KEY)
    if signature is None:
        del doc["signoff"]["signature"]
    else:
        doc["signoff"]["signature"] = signature
    outcome = report.verify(doc, OWN)
    assert outcome.signature == state
    assert not outcome.ok


# --- the attack of issue 13: a recomputed digest and a key id that is not ours -------------------


@pytest.mark.parametrize("key_id", ["0000000000000000", None])
def test_a_forged_digest_with_a_fake_or_missing_key_id_never_verifies(
    knowledge: Knowledge, key_id: str | None
) -> None:
    forged = legacy_signed(build(knowledge))
    forged["answers"]["devices"][1]["battery"] = 94
    forged["signoff"]["sections"] = canonical.section_digests(forged, canonical.legacy_canonical)
    forged["signoff"]["digest"] = canonical.legacy_digest(forged)
    if key_id is None:
        del forged["signoff"]["key_id"]
    else:
        forged["signoff"]["key_id"] = key_id
    here = report.Trust(own=KEY.public, legacy_key=HMAC_KEY, now=NOW)  # the signing machine
    for trust in (here, NOBODY):
        outcome = report.verify(forged, trust)
        assert outcome.signature is report.SignatureState.CANNOT_CHECK
        assert not outcome.ok
    for signature in ("", "hmac-sha256:0"):
        forged["signoff"]["signature"] = signature
        assert not report.verify(forged, here).ok


def test_a_legacy_report_verifies_where_the_old_key_is(knowledge: Knowledge) -> None:
    signed = legacy_signed(build(knowledge))
    here = report.Trust(legacy_key=HMAC_KEY, now=NOW)
    outcome = report.verify(signed, here)
    assert outcome.signature is report.SignatureState.LEGACY_VALID
    assert outcome.ok
    assert report.words(outcome, "Ada") == (
        "unchanged and signed by Ada the old way (HMAC) with this machine's key"
    )
    elsewhere = report.verify(signed, NOBODY)
    assert elsewhere.signature is report.SignatureState.CANNOT_CHECK
    assert not elsewhere.ok
    assert elsewhere.state == "cannot check"
    other = report.verify(signed, report.Trust(legacy_key=bytes(range(1, 33))))
    assert other.signature is report.SignatureState.CANNOT_CHECK
    edited = copy.deepcopy(signed)
    edited["answers"]["devices"][1]["battery"] = 94
    assert report.verify(edited, here).changed == ("answers.devices",)
    forged = copy.deepcopy(signed)
    forged["signoff"]["signature"] = "hmac-sha256:" + "0" * 64
    assert report.verify(forged, here).signature is report.SignatureState.INVALID


# --- the canonical form: every value's type is part of the bytes ----------------------------------


MOMENT = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (MOMENT, "datetime:" + MOMENT.isoformat()),
        (MOMENT.date(), "date:" + MOMENT.date().isoformat()),
        (1, 1.0),
        (1, True),
        (0, False),
        (1, "1"),
        (MOMENT, MOMENT.replace(tzinfo=None)),
        (MOMENT, MOMENT.astimezone(dt.timezone(dt.timedelta(hours=8)))),
        ([1, 2], [[1, 2]]),
        ({"a": 1}, [["a", 1]]),
        ("", None),
    ],
)
def test_values_that_spell_alike_have_different_canonical_forms(one: Any, other: Any) -> None:
    assert canonical.canonical({"x": one}) != canonical.canonical({"x": other})


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [leaf for k, v in value.items() for leaf in _leaves(v, (*path, k))]
    if isinstance(value, list):
        return [leaf for i, v in enumerate(value) for leaf in _leaves(v, (*path, i))]
    return [path]


def _same(one: Any, other: Any) -> bool:
    return type(one) is type(other) and one == other and repr(one) == repr(other)


values = (
    toml_scalars
    | st.datetimes(timezones=st.just(dt.UTC))
    | st.datetimes()
    | st.times()
    | st.lists(st.integers(), max_size=2)
    | st.dictionaries(names, st.integers(), max_size=2)
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_single_value_change_breaks_verification(
    knowledge: Knowledge, data: st.DataObject
) -> None:
    signed = _SIGNED.setdefault("doc", report.sign(build(knowledge), KEY))
    leaves = [
        p for p in _leaves(signed) if p not in (("signoff", "digest"), ("signoff", "signature"))
    ]
    path = data.draw(st.sampled_from(leaves))
    edited = copy.deepcopy(signed)
    parent: Any = edited
    for part in path[:-1]:
        parent = parent[part]
    new = data.draw(values.filter(lambda v: not _same(v, parent[path[-1]])))
    parent[path[-1]] = new
    outcome = report.verify(edited, OWN)
    assert not outcome.ok
    if path[:2] not in (("signoff", "public_key"), ("signoff", "fingerprint")):
        assert not outcome.digest_ok


_SIGNED: dict[str, dict[str, Any]] = {}


# --- the signing key ------------------------------------------------------------------------------


def test_the_old_hmac_key_is_read_never_made(tmp_path: Path) -> None:
    assert state.read_key(tmp_path) is None
    assert not (tmp_path / state.KEY_FILE).exists()
    (tmp_path / state.KEY_FILE).write_text(HMAC_KEY.hex() + "\n", encoding="ascii")
    (tmp_path / state.KEY_FILE).chmod(0o600)
    assert state.read_key(tmp_path) == HMAC_KEY


def test_damaged_key_is_an_error(tmp_path: Path) -> None:
    (tmp_path / state.KEY_FILE).write_text("not hex\n", encoding="ascii")
    (tmp_path / state.KEY_FILE).chmod(0o600)
    with pytest.raises(StateError, match="damaged"):
        state.read_key(tmp_path)


# --- one wording of a verification ------------------------------------------------------------

FP = "SHA256:abc"


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [
        (
            report.Verification(True, report.SignatureState.TRUSTED_OWN, (), FP),
            f"unchanged and signed by Ada at noon with this machine's key (key {FP})",
        ),
        (
            report.Verification(True, report.SignatureState.TRUSTED_LISTED, (), FP),
            "unchanged and signed by Ada at noon with a key the allowed signers list for "
            f"them (key {FP})",
        ),
        (
            report.Verification(True, report.SignatureState.CANNOT_CHECK, (), "", "no key here"),
            "cannot check the signature: no key here",
        ),
        (
            report.Verification(True, report.SignatureState.INVALID, (), FP, "it does not match"),
            f"the signature is invalid: it does not match (key {FP})",
        ),
        (
            report.Verification(True, report.SignatureState.UNSIGNED),
            "not signed: it has no signature",
        ),
        (
            report.Verification(
                False, report.SignatureState.TRUSTED_OWN, ("checks", "signoff"), FP
            ),
            f"changed after sign-off: checks, signoff (key {FP})",
        ),
    ],
)
def test_a_verification_is_worded_in_one_place(outcome: report.Verification, expected: str) -> None:
    assert report.words(outcome, "Ada", "noon") == expected


def test_only_trusted_and_unchanged_counts() -> None:
    for said in report.SignatureState:
        assert report.Verification(True, said).ok is (said in report.TRUSTED)
        assert not report.Verification(False, said).ok
    assert {"trusted-own", "trusted-listed", "legacy-valid"} == report.TRUSTED
