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
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from json.encoder import encode_basestring as _encode_string
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readiness import __version__
from readiness.errors import InputError
from readiness.files import read_toml, write_atomic
from readiness.state import key_id

if TYPE_CHECKING:  # verify only reads TOML: keep the answers and checks machinery out of it
    from readiness.answers import Answers
    from readiness.knowledge import Knowledge
    from readiness.results import CheckResult, Evaluation

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
    """Who confirmed the statement and when; ``previous`` chains rechecks."""

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
        "status": result.status.value,
        "subject": result.subject,
        "message": result.message,
        "fix": result.fix,
    }


def sign(doc: Mapping[str, Any], key: bytes) -> dict[str, Any]:
    """Add key id, section digests, digest and signature; returns a new document."""
    signed = {**doc, "signoff": {**doc["signoff"], "key_id": key_id(key)}}
    digest = _sign_digests(signed)
    signed["signoff"]["digest"] = digest
    signed["signoff"]["signature"] = (
        "hmac-sha256:" + hmac.new(key, digest.encode("ascii"), hashlib.sha256).hexdigest()
    )
    return signed


_LAYOUT = ("schema", "report", "checks", "answers", "signoff")
# Long lists (the checks of thousands of devices) are encoded this many items at a
# time, for the digest and for the file, so that no step holds all of them as text.
_CHUNK = 1000


def dumps(doc: Mapping[str, Any]) -> bytes:
    """TOML text of a report, in the fixed order: schema, report, checks, answers, signoff."""
    return "".join(_toml_chunks(doc)).encode("utf-8")


def write(path: Path, doc: Mapping[str, Any], *, overwrite: bool = False) -> None:
    """Write the report a piece at a time: with thousands of devices it runs to megabytes."""
    chunks = _toml_chunks(doc)
    write_atomic(path, (chunk.encode("utf-8") for chunk in chunks), overwrite=overwrite)


def _toml_chunks(doc: Mapping[str, Any]) -> list[str]:
    """The report's TOML text in pieces.

    With thousands of devices tomli-w spends most of the run on the arrays of
    flat tables (the checks, and the answers' devices), so those are written
    here; tomli-w writes the rest, and any document not laid out as ``build`` does.
    """
    import tomli_w  # verify and show only read

    checks = _array_of_tables("checks", doc.get("checks"))
    tables = [doc.get(k) for k in ("report", "answers", "signoff")]
    if checks is None or tuple(doc) != _LAYOUT or not all(type(t) is dict for t in tables):
        return [tomli_w.dumps(doc)]
    return _blank_line_between(
        [tomli_w.dumps({"schema": doc["schema"], "report": doc["report"]})],
        checks,
        _answers_toml(doc["answers"], tomli_w.dumps),
        [tomli_w.dumps({"signoff": doc["signoff"]})],
    )


def _blank_line_between(*parts: list[str]) -> list[str]:
    out: list[str] = []
    for part in parts:
        if part and out:
            out.append("\n")
        out.extend(part)
    return out


def _answers_toml(answers: dict[str, Any], dump: Callable[[Any], str]) -> list[str]:
    """``[answers]``, its devices written by ``_array_of_tables`` where they can be.

    They can when only tables follow them, so that the ``[answers]`` header is
    not opened twice.
    """
    keys = list(answers)
    if "devices" not in keys:
        return [dump({"answers": answers})]
    at = keys.index("devices")
    after = {k: answers[k] for k in keys[at + 1 :]}
    devices = _array_of_tables("answers.devices", answers["devices"])
    if devices is None or not all(isinstance(v, dict) for v in after.values()):
        return [dump({"answers": answers})]
    before = {k: answers[k] for k in keys[:at]}
    return _blank_line_between(
        [dump({"answers": before})] if before else [],
        devices,
        [dump({"answers": after})] if after else [],
    )


# Keys written without quotes; every key the tool writes is one.
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _array_of_tables(name: str, rows: Any) -> list[str] | None:
    """``[[name]]`` tables of strings, booleans and whole numbers, a thousand per piece.

    ``None`` when ``rows`` is anything else: tomli-w writes that. Strings are
    escaped by json's C encoder: its escapes are TOML's, except that TOML also
    forbids a raw DEL, escaped afterwards (outside strings there is none).
    """
    if not isinstance(rows, list) or not rows:
        return None
    encode = _encode_string
    header = f"[[{name}]]\n"
    keys: set[str] = set()
    pieces: list[str] = []
    tables: list[str] = []
    for row in rows:
        if type(row) is not dict:
            return None
        lines = [header]
        for key, value in row.items():
            if key not in keys:
                if type(key) is not str or not _BARE_KEY.fullmatch(key):
                    return None
                keys.add(key)
            kind = type(value)
            if kind is str:
                lines.append(f"{key} = {encode(value)}\n")
            elif kind is bool:
                lines.append(f"{key} = {'true' if value else 'false'}\n")
            elif kind is int and -(2**63) <= value < 2**63:
                lines.append(f"{key} = {value}\n")
            else:
                return None
        tables.append("".join(lines))
        if len(tables) == _CHUNK:
            pieces.append(_no_del("\n".join(tables)))
            tables = []
    if tables:
        pieces.append(_no_del("\n".join(tables)))
    return _blank_line_between(*([piece] for piece in pieces))


def _no_del(text: str) -> str:
    return text.replace("\x7f", "\\u007f") if "\x7f" in text else text


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
    """SHA-256 of the canonical JSON of everything but the digest and the signature.

    Fed to the hash a piece at a time (see ``_pieces``): the bytes are those of
    ``_canonical(body)``, without holding a large report's text at once.
    """
    body = {k: v for k, v in doc.items() if k != "signoff"}
    body["signoff"] = {k: v for k, v in doc.get("signoff", {}).items() if k not in _SIGNED_OUT}
    whole = hashlib.sha256()
    opening = b"{"
    for key in sorted(body):
        whole.update(opening + _canonical(key) + b":")
        opening = b","
        for piece in _pieces(body[key]):
            whole.update(piece)
    whole.update(b"}")
    return "sha256:" + whole.hexdigest()


def results_of(doc: Mapping[str, Any]) -> list[CheckResult]:
    """The check results a report recorded."""
    from readiness.results import CheckResult, Status

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


def recheck_name(previous: Path, now: dt.datetime) -> Path:
    """``<old name>-recheck-20261201T1200.toml`` beside the old report."""
    stem = re.sub(r"-recheck-\d{8}T\d{4}$", "", previous.stem)
    return previous.with_name(f"{stem}-recheck-{now.astimezone(dt.UTC):%Y%m%dT%H%M}.toml")


def default_name(answers: Answers, suffix: str = "", folder: Path = Path(".")) -> str:
    """``readiness-singapore-and-tokyo-2026-12-03.toml``: the trip and its date.

    Letters of every script are kept ("日本と韓国", "zoës-japan-trip"). When that name is
    taken in ``folder``, a short code from the traveller and the trip tells the reports
    of different trips apart; when that is taken too, the plain name is given, for the
    caller's own refusal (or ``--force``) to apply.
    """
    date = answers.trip.departure.date().isoformat()
    plain = f"readiness-{_slug(answers.trip.name)}-{date}{suffix}.toml"
    if not (folder / plain).exists():
        return plain
    whose = f"{answers.traveler}\n{answers.trip.name}".encode()
    code = hashlib.sha256(whose).hexdigest()[:6]
    distinct = f"readiness-{_slug(answers.trip.name)}-{date}-{code}{suffix}.toml"
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


def _canonical(value: Any) -> bytes:
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_json_default
    ).encode("utf-8")


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
        out[name] = _section_digest(value)
    return out


def _sign_digests(doc: dict[str, Any]) -> str:
    """Set ``signoff.sections`` and return the digest, in one pass over the canonical form.

    Thousands of devices make encoding the document the costly part, so each
    section is encoded once and fed both to its own digest and, in json's sorted
    key order, to the document's; ``signoff``, which holds the section digests,
    sorts last of the section names (a key outside them takes the slow path). The
    result is what ``canonical_digest`` (which ``verify`` uses) gives.
    """
    signoff = doc["signoff"]
    answers = doc.get("answers")
    if _unsectioned(doc) or not isinstance(answers, Mapping):
        signoff["sections"] = _section_digests(doc)
        return canonical_digest(doc)
    sections = {}
    whole = hashlib.sha256()
    opening = b"{"
    for key in sorted(k for k in doc if k != "signoff"):
        whole.update(opening + _canonical(key) + b":")
        opening = b","
        if key != "answers":
            sections[key] = _section_digest(doc[key], whole)
            continue
        inner = b"{"
        for name in sorted(answers):
            whole.update(inner + _canonical(name) + b":")
            sections[f"answers.{name}"] = _section_digest(answers[name], whole)
            inner = b","
        whole.update(b"{}" if inner == b"{" else b"}")
    signed = {k: v for k, v in signoff.items() if k not in (*_SIGNED_OUT, "sections")}
    sections["signoff"] = _section_digest(signed)
    absent = _section_digest(None)
    signoff["sections"] = {name: sections.get(name, absent) for name in _SECTIONS}
    covered = {k: v for k, v in signoff.items() if k not in _SIGNED_OUT}
    whole.update(opening + b'"signoff":' + _canonical(covered) + b"}")
    return "sha256:" + whole.hexdigest()


def _section_digest(value: Any, *also: Any) -> str:
    """A section's short digest; its canonical form is fed to the ``also`` hashes too."""
    section = hashlib.sha256()
    for piece in _pieces(value):
        section.update(piece)
        for other in also:
            other.update(piece)
    return section.hexdigest()[:16]


def _pieces(value: Any) -> Iterator[bytes]:
    """``_canonical(value)`` in pieces: a long list a thousand items at a time.

    Encoded at once, the checks of thousands of devices take tens of megabytes.
    """
    if not isinstance(value, list) or len(value) <= _CHUNK:
        yield _canonical(value)
        return
    yield b"["
    for start in range(0, len(value), _CHUNK):
        inner = _canonical(value[start : start + _CHUNK])[1:-1]
        yield b"," + inner if start else inner
    yield b"]"


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
