"""Reports: build, sign, write, read back (typed) and verify.

The digest is SHA-256 over the canonical form (``canonical``: every value names
its type) of everything but the digest and signature, computed on the document
as TOML gives it back, so that what ``verify`` reads is exactly what was signed.
The signature is an OpenSSH SSH signature (Ed25519, namespace
``readiness-report``) over the digest's UTF-8 bytes, so anyone holding the
signer's public key, with this tool or with ``ssh-keygen -Y verify``, can check
it. Which keys are trusted is explicit: this machine's own, or one an
allowed_signers file lists for the report's signer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readiness import __version__, canonical, state
from readiness.errors import InputError, InvalidValue
from readiness.fields import Fields, describe
from readiness.files import read_toml, write_atomic
from readiness.results import CheckResult, Status, Verdict

if TYPE_CHECKING:  # verify only reads TOML: keep the answers machinery out of it
    from readiness.answers import Answers
    from readiness.knowledge import Knowledge
    from readiness.results import Evaluation
    from readiness.signing import AllowedSigner, KeyPair, PublicKey

SCHEMA = 1
STATEMENT = (
    "I confirm these answers describe my devices as they are now, and I have read the results."
)
_LEGACY_PREFIX = "hmac-sha256:"
#: Why a report that does not verify as trusted is not built on, and how to go on anyway.
UNTRUSTED = "only a report that verifies as trusted is used; use --force to go on anyway"


@dataclass(frozen=True)
class Signoff:
    """Who confirmed the statement and when; ``previous`` chains rechecks.

    A report read back also carries what signing added: the digest, the public
    key and its fingerprint, and the signature (``key_id``: reports signed the
    old way, with an HMAC key).
    """

    by: str
    at: dt.datetime
    statement: str = STATEMENT
    previous: str = ""
    digest: str = ""
    public_key: str = ""
    fingerprint: str = ""
    signature: str = ""
    key_id: str = ""


@dataclass(frozen=True)
class Report:
    """A signed report as read from a file, every key checked for its type once.

    ``document`` is the TOML as read: what the digest covers, so ``verify`` works on it.
    """

    source: str
    schema: int
    tool: str
    evaluated_at: dt.datetime
    verdict: Verdict
    deadline: dt.datetime
    data_version: str
    results: tuple[CheckResult, ...]
    answers: Mapping[str, Any]
    signoff: Signoff
    document: Mapping[str, Any]


class SignatureState(StrEnum):
    """What the signature says, and whether the key that made it is trusted here."""

    TRUSTED_OWN = "trusted-own"  # this machine's own key
    TRUSTED_LISTED = "trusted-listed"  # a key the allowed_signers file lists for the signer
    LEGACY_VALID = "legacy-valid"  # signed the old way (HMAC) with this machine's old key
    UNKNOWN_KEY = "unknown-key"  # a valid signature by a key nobody listed
    INVALID = "invalid"  # the signature does not match
    MALFORMED = "malformed"  # not a signature that can be checked at all
    UNSIGNED = "unsigned"  # no signature
    CANNOT_CHECK = "cannot-check"  # an HMAC signature made with another machine's key


TRUSTED = frozenset(
    {SignatureState.TRUSTED_OWN, SignatureState.TRUSTED_LISTED, SignatureState.LEGACY_VALID}
)


@dataclass(frozen=True)
class Trust:
    """Whose signatures count: this machine's keys and an allowed_signers file's."""

    own: PublicKey | None = None
    legacy_key: bytes | None = None  # the HMAC key reports were signed with before
    signers: tuple[AllowedSigner, ...] = ()
    now: dt.datetime | None = None  # when allowed_signers' valid-after/-before are read


@dataclass(frozen=True)
class Verification:
    """What ``verify`` found: the digest holds or not, and what the signature says."""

    digest_ok: bool
    signature: SignatureState
    changed: tuple[str, ...] = ()
    fingerprint: str = ""
    reason: str = ""

    @property
    def trusted(self) -> bool:
        return self.signature in TRUSTED

    @property
    def ok(self) -> bool:
        """Unchanged since sign-off and signed by a trusted key: nothing less counts."""
        return self.digest_ok and self.trusted

    @property
    def state(self) -> str:
        """A few words for a table cell: trusted, changed, unknown key, unsigned, ..."""
        if not self.digest_ok:
            return "changed"
        return _STATE_WORDS[self.signature]


_STATE_WORDS = {
    SignatureState.TRUSTED_OWN: "trusted",
    SignatureState.TRUSTED_LISTED: "trusted",
    SignatureState.LEGACY_VALID: "trusted (old HMAC)",
    SignatureState.UNKNOWN_KEY: "unknown key",
    SignatureState.INVALID: "invalid",
    SignatureState.MALFORMED: "malformed",
    SignatureState.UNSIGNED: "unsigned",
    SignatureState.CANNOT_CHECK: "cannot check",
}


def words(outcome: Verification, signed_by: str, signed_at: str = "") -> str:
    """What a verification found, in a few words: the one place that says it."""
    key = f" (key {outcome.fingerprint})" if outcome.fingerprint else ""
    who = f"signed by {signed_by}" + (f" at {signed_at}" if signed_at else "")
    if not outcome.digest_ok:
        return f"changed after sign-off: {', '.join(outcome.changed)}{key}"
    said = {
        SignatureState.TRUSTED_OWN: f"unchanged and {who} with this machine's key{key}",
        SignatureState.TRUSTED_LISTED: (
            f"unchanged and {who} with a key the allowed signers list for them{key}"
        ),
        SignatureState.LEGACY_VALID: (
            f"unchanged and {who} the old way (HMAC) with this machine's key"
        ),
        SignatureState.UNKNOWN_KEY: (
            f"{who} with a key no one listed{key}; trust it with --allowed-signers"
        ),
        SignatureState.INVALID: f"the signature is invalid: {outcome.reason}{key}",
        SignatureState.MALFORMED: f"the signature is malformed: {outcome.reason}",
        SignatureState.UNSIGNED: "not signed: it has no signature",
        SignatureState.CANNOT_CHECK: f"cannot check the signature: {outcome.reason}",
    }
    return said[outcome.signature]


def build(
    evaluation: Evaluation,
    answers: Answers,
    knowledge: Knowledge,
    evaluated_at: dt.datetime,
    signoff: Signoff,
) -> dict[str, Any]:
    """The unsigned report document, in the layout the design fixes."""
    from readiness.answers import to_document

    return {
        "schema": SCHEMA,
        "report": {
            "tool": f"readiness {__version__}",
            "evaluated_at": _seconds(evaluated_at),
            "verdict": str(evaluation.verdict),
            "data_version": knowledge.version,
            "data_sha256": knowledge.sha256,
            "deadline": _seconds(evaluation.deadline),
        },
        "checks": [result_document(r) for r in evaluation.results],
        "answers": to_document(answers),
        "signoff": {
            "by": signoff.by,
            "at": _seconds(signoff.at),
            "statement": signoff.statement,
            "previous": signoff.previous,
        },
    }


def result_document(result: CheckResult) -> dict[str, str]:
    return {
        "id": result.id,
        "status": result.status.value,
        "subject": result.subject,
        "message": result.message,
        "fix": result.fix,
    }


# --- signing and verifying ------------------------------------------------------------------


def sign(doc: Mapping[str, Any], keypair: KeyPair) -> dict[str, Any]:
    """Add the public key, section digests, digest and signature; returns a new document."""
    from readiness import signing

    signoff = {
        **doc["signoff"],
        "public_key": keypair.public.openssh(),
        "fingerprint": keypair.public.fingerprint(),
    }
    signed = {**doc, "signoff": signoff}
    signoff["sections"] = canonical.section_digests(signed)
    digest = canonical.digest(signed)
    signoff["digest"] = digest
    armored = signing.sign(keypair, digest.encode("utf-8"), signing.NAMESPACE)
    signoff["signature"] = armored.rstrip("\n")
    return signed


def verify(report: Report | Mapping[str, Any], trust: Trust) -> Verification:
    """Check the digest, then the signature and whether its key is trusted here."""
    doc = report.document if isinstance(report, Report) else report
    signoff = doc.get("signoff", {})
    if not isinstance(signoff, Mapping):
        signoff = {}
    signature = signoff.get("signature", "")
    if isinstance(signature, str) and signature.startswith(_LEGACY_PREFIX):
        return _verify_legacy(doc, signoff, trust.legacy_key)
    # Compared as bytes: compare_digest refuses str with non-ASCII, which an edit can put in.
    recorded = str(signoff.get("digest", "")).encode("utf-8")
    digest_ok = hmac.compare_digest(recorded, canonical.digest(doc).encode("ascii"))
    changed = () if digest_ok else canonical.changed(doc)
    state, fingerprint, reason = _signature_state(signoff, recorded, trust)
    return Verification(digest_ok, state, changed, fingerprint, reason)


def _signature_state(
    signoff: Mapping[str, Any], digest: bytes, trust: Trust
) -> tuple[SignatureState, str, str]:
    from readiness import signing

    armored = signoff.get("signature", "")
    if not isinstance(armored, str) or not armored.strip():
        return SignatureState.UNSIGNED, _recorded_fingerprint(signoff), ""
    try:
        key = signing.verify(armored, digest, signing.NAMESPACE)
    except signing.SignatureMalformed as exc:
        return SignatureState.MALFORMED, _recorded_fingerprint(signoff), str(exc)
    except signing.SignatureInvalid as exc:
        return SignatureState.INVALID, _recorded_fingerprint(signoff), str(exc)
    fingerprint = key.fingerprint()
    recorded_key = signoff.get("public_key", "")
    if recorded_key != key.openssh() or signoff.get("fingerprint", "") != fingerprint:
        return (
            SignatureState.INVALID,
            fingerprint,
            "the public key in the report is not the key that made the signature",
        )
    if trust.own is not None and key == trust.own:
        return SignatureState.TRUSTED_OWN, fingerprint, ""
    by = signoff.get("by", "")
    now = trust.now or dt.datetime.now(dt.UTC)
    if isinstance(by, str) and key in signing.keys_for(trust.signers, by, signing.NAMESPACE, now):
        return SignatureState.TRUSTED_LISTED, fingerprint, ""
    return SignatureState.UNKNOWN_KEY, fingerprint, ""


def local_trust(
    home: Path, signers: tuple[AllowedSigner, ...] = (), now: dt.datetime | None = None
) -> Trust:
    """What this machine trusts: its own key, its old HMAC key, and the ``signers`` given."""
    from readiness import signing

    return Trust(signing.read_public(home), state.read_key(home), signers, now)


def _recorded_fingerprint(signoff: Mapping[str, Any]) -> str:
    value = signoff.get("fingerprint", "")
    return value if isinstance(value, str) else ""


def _verify_legacy(
    doc: Mapping[str, Any], signoff: Mapping[str, Any], key: bytes | None
) -> Verification:
    """A report signed with an HMAC key: checkable only where that key is, in the old form."""
    recorded = str(signoff.get("digest", "")).encode("utf-8")
    digest_ok = hmac.compare_digest(recorded, canonical.legacy_digest(doc).encode("ascii"))
    changed = () if digest_ok else canonical.changed(doc, canonical.legacy_canonical)
    key_id = signoff.get("key_id", "")
    if key is None:
        reason = "it was signed the old way (HMAC), and this machine has no old signing key"
        return Verification(digest_ok, SignatureState.CANNOT_CHECK, changed, "", reason)
    if not key_id or key_id != state.key_id(key):
        reason = "it was signed the old way (HMAC) with a key this machine does not hold"
        return Verification(digest_ok, SignatureState.CANNOT_CHECK, changed, "", reason)
    expected = _LEGACY_PREFIX + hmac.new(key, recorded, hashlib.sha256).hexdigest()
    signature = str(signoff.get("signature", "")).encode("utf-8")
    if hmac.compare_digest(signature, expected.encode("ascii")):
        return Verification(digest_ok, SignatureState.LEGACY_VALID, changed)
    reason = "the old (HMAC) signature does not match the digest"
    return Verification(digest_ok, SignatureState.INVALID, changed, "", reason)


# --- names and files --------------------------------------------------------------------------


def default_name(
    answers: Answers, suffix: str = "", folder: Path = Path("."), prefix: str = "readiness"
) -> str:
    """``readiness-singapore-and-tokyo-2026-12-03.toml``: the trip and its date.

    Letters of every script are kept ("日本と韓国", "zoës-japan-trip"). When that name is
    taken in ``folder``, a short code from the traveller and the trip tells the reports
    of different trips apart; when that is taken too, the plain name is given, for the
    caller's own refusal (or ``--force``) to apply.
    """
    date = answers.trip.departure.date().isoformat()
    plain = f"{prefix}-{_slug(answers.trip.name)}-{date}{suffix}.toml"
    if not (folder / plain).exists():
        return plain
    whose = f"{answers.traveler}\n{answers.trip.name}".encode()
    code = hashlib.sha256(whose).hexdigest()[:6]
    distinct = f"{prefix}-{_slug(answers.trip.name)}-{date}-{code}{suffix}.toml"
    return plain if (folder / distinct).exists() else distinct


_SLUG_BYTES = 120  # file systems allow 255 bytes in a name, and CJK letters take 3 each


def _slug(name: str) -> str:
    """A trip name as part of a file name: letters, marks and digits of any script, dashes
    between the words."""
    text = unicodedata.normalize("NFC", name).casefold()
    text = re.sub("['\u2019\u02bc]", "", text)  # "Zoë's" is one word: zoës, not zoë-s
    kept = "".join(
        c if c.isalnum() or unicodedata.category(c).startswith("M") else " " for c in text
    )
    slug = "-".join(kept.split())[:60]
    while len(slug.encode("utf-8")) > _SLUG_BYTES:
        slug = slug[:-1]
    return slug.strip("-") or "trip"


# --- writing and reading ------------------------------------------------------------------------


def dumps(doc: Mapping[str, Any]) -> bytes:
    """TOML text of a report, in the order ``build`` gives: schema, report, checks, answers,
    signoff."""
    import tomli_w  # verify and show only read

    return tomli_w.dumps(doc).encode("utf-8")


def write(path: Path, doc: Mapping[str, Any], *, overwrite: bool = False) -> None:
    """Write a signed report atomically; never over an existing file unless asked."""
    write_atomic(path, dumps(doc), overwrite=overwrite)


def load(path: Path) -> Report:
    """Read a report, refusing a file that is not one, with one problem per wrong key."""
    text, doc = read_toml(path, "report")
    return parse(path, text, doc)


def looks_like_report(doc: Mapping[str, Any]) -> bool:
    """Whether a TOML document means to be a report (damaged or not), not another file."""
    return "signoff" in doc or "report" in doc


def parse(path: Path, text: str, doc: Mapping[str, Any]) -> Report:
    """A report from its TOML ``doc`` (``text`` locates problems), each key's type checked."""
    signoff = doc.get("signoff")
    if not isinstance(signoff, dict) or not isinstance(signoff.get("digest"), str):
        raise InputError.single(
            str(path), "signoff.digest", "missing: this is not a signed readiness report"
        )
    if type(doc.get("schema")) is not int or doc["schema"] != SCHEMA:
        raise InputError.single(
            str(path), "schema", f"this version of readiness reads schema {SCHEMA}"
        )
    f = Fields(str(path), text)
    head = f.table(doc, "report")
    tool, data_version = (
        f.take(head, key, "report", str, required=False, default="")
        for key in ("tool", "data_version")
    )
    evaluated_at = verdict = deadline = None
    if isinstance(doc.get("report"), dict):  # else its one problem is said, not one per key
        evaluated_at = _moment(f, head, "evaluated_at", "report")
        verdict = _verdict(f, f.take(head, "verdict", "report", str))
        deadline = _moment(f, head, "deadline", "report")
    results = _results(f, doc)
    answers = f.table(doc, "answers")
    _timezone(f, answers)
    by = f.take(signoff, "by", "signoff", str, default="")
    at = _moment(f, signoff, "at", "signoff")
    texts = {
        key: f.take(signoff, key, "signoff", str, required=key == "statement", default="")
        for key in ("statement", "previous", "public_key", "fingerprint", "signature", "key_id")
    }
    f.raise_if_any()
    if evaluated_at is None or deadline is None or at is None or verdict is None:
        raise InputError.single(str(path), "report", "incomplete")  # each None recorded a problem
    return Report(
        str(path),
        SCHEMA,
        tool,
        evaluated_at,
        verdict,
        deadline,
        data_version,
        results,
        answers,
        Signoff(by=by, at=at, digest=signoff["digest"], **texts),
        doc,
    )


def results_of(doc: Mapping[str, Any], source: str = "report") -> list[CheckResult]:
    """The check results a report document recorded; ``InputError`` when they are malformed."""
    f = Fields(source)
    results = _results(f, doc)
    f.raise_if_any()
    return list(results)


def _results(f: Fields, doc: Mapping[str, Any]) -> tuple[CheckResult, ...]:
    if "checks" not in doc:
        f.problem("checks", "missing")
        return ()
    items = doc["checks"]
    if not isinstance(items, list):
        f.problem("checks", f"must be a list of tables, got {describe(items)}")
        return ()
    out = []
    for index, item in enumerate(items, start=1):
        path = f"checks[{index}]"
        if not isinstance(item, dict):
            f.problem(path, f"must be a table, got {describe(item)}")
            continue
        check_id = f.take(item, "id", path, str)
        status = f.take(item, "status", path, str)
        texts = [f.take(item, key, path, str, required=False, default="") for key in _TEXTS]
        if status is not None and status not in _STATUSES:
            f.problem(f"{path}.status", "must be pass, warn, fail or skip")
        elif check_id is not None and status is not None:
            out.append(CheckResult(check_id, Status(status), *texts))
    return tuple(out)


_TEXTS = ("subject", "message", "fix")
_STATUSES = frozenset(s.value for s in Status)


def _verdict(f: Fields, value: str | None) -> Verdict | None:
    if value is None:
        return None
    try:
        return Verdict(value)
    except ValueError:
        f.problem("report.verdict", "must be ready, ready-with-warnings or not-ready")
        return None


# Room either side of a date-time, so that showing it in any zone cannot overflow.
_EARLIEST = dt.datetime.min.replace(tzinfo=dt.UTC) + dt.timedelta(days=2)
_LATEST = dt.datetime.max.replace(tzinfo=dt.UTC) - dt.timedelta(days=2)


def _moment(f: Fields, table: Mapping[str, Any], key: str, path: str) -> dt.datetime | None:
    value = f.take(table, key, path, dt.datetime)
    if not isinstance(value, dt.datetime):
        return None
    if value.utcoffset() is None:
        f.problem(f"{path}.{key}", "has no UTC offset")
        return None
    try:
        in_range = _EARLIEST <= value <= _LATEST
    except OverflowError:
        in_range = False
    if not in_range:
        f.problem(f"{path}.{key}", f"{value.isoformat()} is out of range")
        return None
    return value


def _timezone(f: Fields, answers: Mapping[str, Any]) -> None:
    """The departure's zone is read to place the deadline: it must be one Python knows."""
    from readiness import places

    trip = answers.get("trip")
    if not isinstance(trip, Mapping):
        return
    zone = f.take(trip, "timezone", "answers.trip", str, required=False)
    if isinstance(zone, str):
        try:
            places.validate_timezone(zone)
        except InvalidValue as exc:
            f.problem("answers.trip.timezone", str(exc))


# --- names ------------------------------------------------------------------------------------


def recheck_name(previous: Path, now: dt.datetime) -> Path:
    """``<old name>-recheck-20261201T1200.toml`` beside the old report."""
    stem = re.sub(r"-recheck-\d{8}T\d{4}$", "", previous.stem)
    return previous.with_name(f"{stem}-recheck-{now.astimezone(dt.UTC):%Y%m%dT%H%M}.toml")


def _seconds(moment: dt.datetime) -> dt.datetime:
    offset = moment.utcoffset()
    if offset is not None and offset % dt.timedelta(minutes=1):
        # TOML offsets are hours and minutes; a zone's old local mean time (Singapore
        # before 1905: +06:55:25) is not, and would make the report unreadable.
        moment = moment.astimezone(dt.UTC)
    return moment.replace(microsecond=0)
