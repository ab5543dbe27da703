"""Reports: build, sign, write, read back and verify.

The digest is SHA-256 over a canonical JSON form of everything but the digest
and signature, computed on the document as TOML gives it back, so that what
``verify`` reads is exactly what was signed. Digests per section let
``verify`` say which part changed, not only that something did.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from json.encoder import encode_basestring as _encode_string
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readiness import __version__
from readiness.errors import InputError
from readiness.state import key_id
from readiness.tomlfile import read_toml, write_atomic

if TYPE_CHECKING:  # verify only reads TOML: keep the answers and checks machinery out of it
    from readiness.answers import Answers
    from readiness.checks import CheckResult, Evaluation
    from readiness.knowledge import Knowledge

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
    by: str
    at: dt.datetime
    statement: str = STATEMENT
    previous: str = ""


@dataclass(frozen=True)
class Verification:
    """What ``verify`` found: the digest holds or not, and what the signature says."""

    digest_ok: bool
    signature: str  # "valid" | "invalid" | "unchecked"
    changed: tuple[str, ...]
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.digest_ok and self.signature != "invalid"


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
        "status": str(result.status),
        "subject": result.subject,
        "message": result.message,
        "fix": result.fix,
    }


def sign(doc: Mapping[str, Any], key: bytes) -> dict[str, Any]:
    """Add key id, section digests, digest and signature; returns a new document."""
    signed = {**doc, "signoff": {**doc["signoff"], "key_id": key_id(key)}}
    pieces = _section_pieces(signed)
    signed["signoff"]["sections"] = _digests(pieces)
    # The whole document's canonical form is put together from the sections'
    # (one pass over thousands of devices, not two); ``verify`` recomputes it whole.
    digest = "sha256:" + hashlib.sha256(_assembled(signed, pieces)).hexdigest()
    signed["signoff"]["digest"] = digest
    signed["signoff"]["signature"] = (
        "hmac-sha256:" + hmac.new(key, digest.encode("ascii"), hashlib.sha256).hexdigest()
    )
    return signed


_LAYOUT = ("schema", "report", "checks", "answers", "signoff")


def dumps(doc: Mapping[str, Any]) -> bytes:
    """TOML text of a report, in the fixed order: schema, report, checks, answers, signoff.

    With thousands of devices tomli-w spends most of the run on the arrays of
    flat tables (the checks, and the answers' devices), so those are written
    here; tomli-w writes the rest, and any document not laid out as ``build`` does.
    """
    import tomli_w  # verify and show only read

    checks = _array_of_tables("checks", doc.get("checks"))
    tables = [doc.get(k) for k in ("report", "answers", "signoff")]
    if checks is None or tuple(doc) != _LAYOUT or not all(type(t) is dict for t in tables):
        return tomli_w.dumps(doc).encode("utf-8")
    parts = [
        tomli_w.dumps({"schema": doc["schema"], "report": doc["report"]}),
        checks,
        _answers_toml(doc["answers"], tomli_w.dumps),
        tomli_w.dumps({"signoff": doc["signoff"]}),
    ]
    return "\n".join(parts).encode("utf-8")


def _answers_toml(answers: dict[str, Any], dump: Callable[[Any], str]) -> str:
    """``[answers]``, its devices written by ``_array_of_tables`` where they can be.

    They can when only tables follow them, so that the ``[answers]`` header is
    not opened twice.
    """
    keys = list(answers)
    if "devices" not in keys:
        return dump({"answers": answers})
    at = keys.index("devices")
    after = {k: answers[k] for k in keys[at + 1 :]}
    devices = _array_of_tables("answers.devices", answers["devices"])
    if devices is None or not all(isinstance(v, dict) for v in after.values()):
        return dump({"answers": answers})
    before = {k: answers[k] for k in keys[:at]}
    parts = [
        dump({"answers": before}) if before else "",
        devices,
        dump({"answers": after}) if after else "",
    ]
    return "\n".join(part for part in parts if part)


# Keys written without quotes; every key the tool writes is one.
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _array_of_tables(name: str, rows: Any) -> str | None:
    """``[[name]]`` tables of strings, booleans and whole numbers, in one pass.

    ``None`` when ``rows`` is anything else: tomli-w writes that. Strings are
    escaped by json's C encoder: its escapes are TOML's, except that TOML also
    forbids a raw DEL, escaped afterwards (outside strings there is none).
    """
    if not isinstance(rows, list) or not rows:
        return None
    encode = _encode_string
    header = f"[[{name}]]\n"
    keys: set[str] = set()
    out: list[str] = []
    for row in rows:
        if type(row) is not dict:
            return None
        out.append(header)
        for key, value in row.items():
            if key not in keys:
                if type(key) is not str or not _BARE_KEY.fullmatch(key):
                    return None
                keys.add(key)
            kind = type(value)
            if kind is str:
                out.append(f"{key} = {encode(value)}\n")
            elif kind is bool:
                out.append(f"{key} = {'true' if value else 'false'}\n")
            elif kind is int and -(2**63) <= value < 2**63:
                out.append(f"{key} = {value}\n")
            else:
                return None
        out.append("\n")
    text = "".join(out).removesuffix("\n")
    return text.replace("\x7f", "\\u007f") if "\x7f" in text else text


def write(path: Path, doc: Mapping[str, Any], *, overwrite: bool = False) -> None:
    write_atomic(path, dumps(doc), overwrite=overwrite)


def load(path: Path) -> dict[str, Any]:
    """Read a report, refusing a file that is not one."""
    _, doc = read_toml(path, "report")
    signoff = doc.get("signoff")
    if not isinstance(signoff, dict) or not isinstance(signoff.get("digest"), str):
        raise InputError.single(
            str(path), "signoff.digest", "missing: this is not a signed readiness report"
        )
    if doc.get("schema") != SCHEMA:
        raise InputError.single(
            str(path), "schema", f"this version of readiness reads schema {SCHEMA}"
        )
    return doc


def verify(doc: Mapping[str, Any], key: bytes | None) -> Verification:
    """Check the digest, then the signature if this machine holds the signing key."""
    signoff = doc.get("signoff", {})
    # Compared as bytes: compare_digest refuses str with non-ASCII, which an edit can put in.
    recorded = str(signoff.get("digest", "")).encode("utf-8")
    digest_ok = hmac.compare_digest(recorded, canonical_digest(doc).encode("ascii"))
    changed: tuple[str, ...] = ()
    if not digest_ok:
        sections = signoff.get("sections", {})
        if not isinstance(sections, Mapping):  # edited into a string or a list
            sections = {}
        now = _section_digests(doc)
        changed = tuple(name for name in _SECTIONS if sections.get(name) != now.get(name))
        # A key added outside every section is named itself, not hidden behind
        # "signoff.sections".
        changed += tuple(_unsectioned(doc))
        if not changed:
            changed = ("signoff.sections",)
    signature = str(signoff.get("signature", ""))
    if key is None:
        return Verification(digest_ok, "unchecked", changed, "no signing key on this machine")
    if signoff.get("key_id") != key_id(key):
        return Verification(digest_ok, "unchecked", changed, "signed with another machine's key")
    expected = "hmac-sha256:" + hmac.new(key, recorded, hashlib.sha256).hexdigest()
    valid = hmac.compare_digest(signature.encode("utf-8"), expected.encode("ascii"))
    return Verification(
        digest_ok,
        "valid" if valid else "invalid",
        changed,
        "" if valid else "the signature does not match the digest",
    )


def canonical_digest(doc: Mapping[str, Any]) -> str:
    body = {k: v for k, v in doc.items() if k != "signoff"}
    body["signoff"] = {k: v for k, v in doc.get("signoff", {}).items() if k not in _SIGNED_OUT}
    return "sha256:" + hashlib.sha256(_canonical(body)).hexdigest()


def results_of(doc: Mapping[str, Any]) -> list[CheckResult]:
    """The check results a report recorded."""
    from readiness.checks import CheckResult, Status

    return [
        CheckResult(
            c["id"],
            Status(c["status"]),
            c.get("subject", ""),
            c.get("message", ""),
            c.get("fix", ""),
        )
        for c in doc.get("checks", [])
    ]


@dataclass(frozen=True)
class Change:
    """A check whose status moved between two reports."""

    id: str
    subject: str
    before: str  # a status, or "" when the check did not run before
    after: str  # a status, or "" when it no longer runs

    @property
    def rank(self) -> int:
        """New failures first, then resolved ones, then the rest."""
        if self.after == "fail":
            return 0
        if self.before == "fail":
            return 1
        return 2


def changes(before: list[CheckResult], after: list[CheckResult]) -> list[Change]:
    """Every check (per subject) whose status differs, new and resolved failures first."""
    old = {(r.id, r.subject): str(r.status) for r in before}
    new = {(r.id, r.subject): str(r.status) for r in after}
    keys = list(dict.fromkeys([*new, *old]))
    moved = [
        Change(i, s, old.get((i, s), ""), new.get((i, s), ""))
        for i, s in keys
        if old.get((i, s)) != new.get((i, s))
    ]
    return sorted(moved, key=lambda c: c.rank)


def recheck_name(previous: Path, now: dt.datetime) -> Path:
    """``<old name>-recheck-20261201T1200.toml`` beside the old report."""
    stem = re.sub(r"-recheck-\d{8}T\d{4}$", "", previous.stem)
    return previous.with_name(f"{stem}-recheck-{now.astimezone(dt.UTC):%Y%m%dT%H%M}.toml")


def default_name(answers: Answers, suffix: str = "") -> str:
    """``readiness-singapore-and-tokyo-2026-12-03.toml``: the trip and its date."""
    slug = re.sub(r"[^a-z0-9]+", "-", answers.trip.name.lower()).strip("-")[:60] or "trip"
    return f"readiness-{slug}-{answers.trip.departure.date().isoformat()}{suffix}.toml"


def _canonical(value: Any) -> bytes:
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_json_default
    ).encode("utf-8")


def _json_default(value: object) -> str:
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return f"{type(value).__name__}:{value.isoformat()}"
    raise TypeError(f"cannot sign a {type(value).__name__}")


def _section_digests(doc: Mapping[str, Any]) -> dict[str, str]:
    return _digests(_section_pieces(doc))


def _digests(pieces: Mapping[str, bytes]) -> dict[str, str]:
    return {name: hashlib.sha256(piece).hexdigest()[:16] for name, piece in pieces.items()}


def _section_pieces(doc: Mapping[str, Any]) -> dict[str, bytes]:
    """The canonical form of each section, as its digest covers it."""
    out = {}
    for name in _SECTIONS:
        value: Any = doc
        for part in name.split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
        if name == "signoff" and isinstance(value, Mapping):
            value = {k: v for k, v in value.items() if k not in (*_SIGNED_OUT, "sections")}
        out[name] = _canonical(value)
    return out


def _assembled(doc: Mapping[str, Any], pieces: Mapping[str, bytes]) -> bytes:
    """``_canonical`` of what ``canonical_digest`` covers, reusing the sections' forms.

    Falls back to encoding the whole document when a key lies outside the sections.
    """
    answers = doc.get("answers")
    signoff = doc.get("signoff")
    if (
        _unsectioned(doc)
        or not isinstance(answers, Mapping)
        or not isinstance(signoff, Mapping)
        or any(not isinstance(key, str) for key in answers)
    ):
        body = {k: v for k, v in doc.items() if k != "signoff"}
        if isinstance(signoff, Mapping):
            body["signoff"] = {k: v for k, v in signoff.items() if k not in _SIGNED_OUT}
        return _canonical(body)
    top = {key: pieces[key] for key in doc if key not in ("answers", "signoff")}
    top["answers"] = _object({key: pieces[f"answers.{key}"] for key in answers})
    top["signoff"] = _canonical({k: v for k, v in signoff.items() if k not in _SIGNED_OUT})
    return _object(top)


def _object(members: Mapping[str, bytes]) -> bytes:
    """A canonical JSON object from members already in canonical form (keys sorted)."""
    return b"{" + b",".join(_canonical(k) + b":" + v for k, v in sorted(members.items())) + b"}"


def _unsectioned(doc: Mapping[str, Any]) -> list[str]:
    """Keys of the report (and of its answers) that no section digest covers."""
    top = {name.split(".")[0] for name in _SECTIONS}
    inner = {name.split(".")[1] for name in _SECTIONS if name.startswith("answers.")}
    out = [key for key in doc if key not in top]
    if isinstance(doc.get("answers"), Mapping):
        out += [f"answers.{key}" for key in doc["answers"] if key not in inner | {"schema"}]
    return out


def _seconds(moment: dt.datetime) -> dt.datetime:
    offset = moment.utcoffset()
    if offset is not None and offset % dt.timedelta(minutes=1):
        # TOML offsets are hours and minutes; a zone's old local mean time (Singapore
        # before 1905: +06:55:25) is not, and would make the report unreadable.
        moment = moment.astimezone(dt.UTC)
    return moment.replace(microsecond=0)
