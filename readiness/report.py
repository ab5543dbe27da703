"""Reports: build, sign, write, read back (typed) and verify.

The digest is SHA-256 over one canonical JSON form of everything but the digest
and signature, computed on the document as TOML gives it back, so that what
``verify`` reads is exactly what was signed. Digests per section (of the same
canonical form) let ``verify`` say which part changed, not only that something
did. Signing and checking a signature happen in ``sign`` and ``verify`` only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readiness import __version__
from readiness.errors import InputError, InvalidValue
from readiness.fields import Fields, describe
from readiness.files import read_toml, write_atomic
from readiness.results import CheckResult, Status, Verdict
from readiness.state import key_id

if TYPE_CHECKING:  # verify only reads TOML: keep the answers machinery out of it
    from readiness.answers import Answers
    from readiness.knowledge import Knowledge
    from readiness.results import Evaluation

SCHEMA = 1
STATEMENT = (
    "I confirm these answers describe my devices as they are now, and I have read the results."
)
_SIGNED_OUT = ("digest", "signature")
_SECTIONS = (
    "schema",
    "report",
    "checks",
    "answers.schema",
    "answers.traveler",
    "answers.trip",
    "answers.plan",
    "answers.devices",
    "answers.checklist",
    "answers.usage",
    "signoff",
)


@dataclass(frozen=True)
class Signoff:
    """Who confirmed the statement and when; ``previous`` chains rechecks.

    A report read back also carries what signing added: the digest, the key id
    and the signature.
    """

    by: str
    at: dt.datetime
    statement: str = STATEMENT
    previous: str = ""
    digest: str = ""
    key_id: str = ""
    signature: str = ""


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
    """What the signature says: valid, invalid, or not checkable on this machine."""

    VALID = "valid"
    INVALID = "invalid"
    UNCHECKED = "unchecked"


@dataclass(frozen=True)
class Verification:
    """What ``verify`` found: the digest holds or not, and what the signature says."""

    digest_ok: bool
    signature: SignatureState
    changed: tuple[str, ...]
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.digest_ok and self.signature != SignatureState.INVALID


def words(outcome: Verification, signed_by: str, signed_at: str = "") -> str:
    """What a verification found, in a few words: the one place that says it."""
    if not outcome.digest_ok:
        return f"changed after sign-off: {', '.join(outcome.changed)}"
    if outcome.signature is SignatureState.INVALID:
        return outcome.reason
    who = f"signed by {signed_by}" + (f" at {signed_at}" if signed_at else "")
    if outcome.signature is SignatureState.VALID:
        return f"digest holds and the signature is valid ({who})"
    return f"digest holds; the signature could not be checked here ({outcome.reason}); {who}"


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


# --- signing: the seam a public-key signature replaces ---------------------------------------


def sign(doc: Mapping[str, Any], key: bytes) -> dict[str, Any]:
    """Add key id, section digests, digest and signature; returns a new document."""
    signed = {**doc, "signoff": {**doc["signoff"], "key_id": key_id(key)}}
    signed["signoff"]["sections"] = _section_digests(signed)
    digest = canonical_digest(signed)
    signed["signoff"]["digest"] = digest
    signed["signoff"]["signature"] = _signature(key, digest.encode("ascii"))
    return signed


def verify(report: Report | Mapping[str, Any], key: bytes | None) -> Verification:
    """Check the digest, then the signature if this machine holds the signing key."""
    doc = report.document if isinstance(report, Report) else report
    signoff = doc.get("signoff", {})
    # Compared as bytes: compare_digest refuses str with non-ASCII, which an edit can put in.
    recorded = str(signoff.get("digest", "")).encode("utf-8")
    digest_ok = hmac.compare_digest(recorded, canonical_digest(doc).encode("ascii"))
    changed = () if digest_ok else _changed(doc, signoff)
    if key is None:
        return Verification(
            digest_ok, SignatureState.UNCHECKED, changed, "no signing key on this machine"
        )
    if signoff.get("key_id") != key_id(key):
        return Verification(
            digest_ok, SignatureState.UNCHECKED, changed, "signed with another machine's key"
        )
    signature = str(signoff.get("signature", "")).encode("utf-8")
    if hmac.compare_digest(signature, _signature(key, recorded).encode("ascii")):
        return Verification(digest_ok, SignatureState.VALID, changed)
    return Verification(
        digest_ok, SignatureState.INVALID, changed, "the signature does not match the digest"
    )


def _signature(key: bytes, digest: bytes) -> str:
    return "hmac-sha256:" + hmac.new(key, digest, hashlib.sha256).hexdigest()


def _changed(doc: Mapping[str, Any], signoff: Mapping[str, Any]) -> tuple[str, ...]:
    """The sections whose digest moved, and any key no section covers."""
    sections = signoff.get("sections", {})
    if not isinstance(sections, Mapping):  # edited into a string or a list
        sections = {}
    now = _section_digests(doc)
    changed = tuple(name for name in _SECTIONS if sections.get(name) != now.get(name))
    # A key added outside every section is named itself, not hidden behind "signoff.sections".
    changed += tuple(_unsectioned(doc))
    return changed or ("signoff.sections",)


# --- the canonical form and its digests ---------------------------------------------------------


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


def canonical(value: Any) -> bytes:
    """The one canonical form: sorted JSON in which every date and time names its type."""
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_json_default
    ).encode("utf-8")


def canonical_digest(doc: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical form of everything but the digest and the signature."""
    body = {k: v for k, v in doc.items() if k != "signoff"}
    signoff = doc.get("signoff", {})
    if isinstance(signoff, Mapping):
        signoff = {k: v for k, v in signoff.items() if k not in _SIGNED_OUT}
    body["signoff"] = signoff
    return "sha256:" + hashlib.sha256(canonical(body)).hexdigest()


def _json_default(value: object) -> str:
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return f"{type(value).__name__}:{value.isoformat()}"
    raise TypeError(f"cannot sign a {type(value).__name__}")


def _section_digests(doc: Mapping[str, Any]) -> dict[str, str]:
    out = {}
    for name in _SECTIONS:
        value: Any = doc
        for part in name.split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
        if name == "signoff" and isinstance(value, Mapping):
            value = {k: v for k, v in value.items() if k not in (*_SIGNED_OUT, "sections")}
        out[name] = hashlib.sha256(canonical(value)).hexdigest()[:16]
    return out


def _unsectioned(doc: Mapping[str, Any]) -> list[str]:
    """Keys of the report (and of its answers) that no section digest covers."""
    top = {name.split(".")[0] for name in _SECTIONS}
    inner = {name.split(".")[1] for name in _SECTIONS if name.startswith("answers.")}
    out = [key for key in doc if key not in top]
    if isinstance(doc.get("answers"), Mapping):
        out += [f"answers.{key}" for key in doc["answers"] if key not in inner | {"schema"}]
    return out


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
        for key in ("statement", "previous", "key_id", "signature")
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
