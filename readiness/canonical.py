"""The canonical form a report's digest is taken over, in which every value names its type.

Each value becomes JSON: a table an object with sorted keys, an array an
array, and every other value a string ``"<type>:<text>"`` with the type one of
``str``, ``int``, ``float``, ``bool``, ``datetime`` (with a UTC offset),
``datetime-local``, ``date`` and ``time``. So the string ``"datetime:2026-12-01..."``
(``str:datetime:...``), the date-time it spells, an int and the float of the same
number, and a local and an offset date-time all give different bytes.

Reports signed before this (with an HMAC key) used another form, which only
tagged dates and times; ``legacy_digest`` keeps it, for those reports alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from typing import Any

#: Left out of the digest: the digest itself and the signature over it.
SIGNED_OUT = ("digest", "signature")
#: The parts ``verify`` names when one of them changed.
SECTIONS = (
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


def typed(value: Any) -> Any:
    """``value`` with each scalar as ``"<type>:<text>"``, tables and arrays kept as such."""
    if isinstance(value, Mapping):
        return {str(k): typed(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [typed(v) for v in value]
    if isinstance(value, bool):  # before int: True is an int to Python
        return f"bool:{'true' if value else 'false'}"
    if isinstance(value, int):
        return f"int:{value}"
    if isinstance(value, float):
        return f"float:{value!r}"
    if isinstance(value, str):
        return f"str:{value}"
    if isinstance(value, dt.datetime):
        kind = "datetime-local" if value.utcoffset() is None else "datetime"
        return f"{kind}:{value.isoformat()}"
    if isinstance(value, dt.date):
        return f"date:{value.isoformat()}"
    if isinstance(value, dt.time):
        return f"time:{value.isoformat()}"
    if value is None:  # absent, as a section a report lacks is
        return "none:"
    raise TypeError(f"cannot sign a {type(value).__name__}")


def canonical(value: Any) -> bytes:
    """The canonical bytes of ``value``: sorted, compact JSON of its typed form, UTF-8."""
    return json.dumps(
        typed(value), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8", "surrogatepass")


def _body(doc: Mapping[str, Any]) -> dict[str, Any]:
    """Everything but the digest and the signature."""
    body = {k: v for k, v in doc.items() if k != "signoff"}
    signoff = doc.get("signoff", {})
    if isinstance(signoff, Mapping):
        signoff = {k: v for k, v in signoff.items() if k not in SIGNED_OUT}
    body["signoff"] = signoff
    return body


def digest(doc: Mapping[str, Any]) -> str:
    """``sha256:<hex>`` of the canonical form of everything but the digest and signature."""
    return "sha256:" + hashlib.sha256(canonical(_body(doc))).hexdigest()


def section_digests(doc: Mapping[str, Any], form: Any = canonical) -> dict[str, str]:
    """A short digest per section, so a change can be named, not only found."""
    out = {}
    for name in SECTIONS:
        value: Any = doc
        for part in name.split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
        if name == "signoff" and isinstance(value, Mapping):
            value = {k: v for k, v in value.items() if k not in (*SIGNED_OUT, "sections")}
        out[name] = hashlib.sha256(form(value)).hexdigest()[:16]
    return out


def changed(doc: Mapping[str, Any], form: Any = canonical) -> tuple[str, ...]:
    """The sections whose digest moved since signing, and any key no section covers."""
    signoff = doc.get("signoff", {})
    sections = signoff.get("sections", {}) if isinstance(signoff, Mapping) else {}
    if not isinstance(sections, Mapping):  # edited into a string or a list
        sections = {}
    now = section_digests(doc, form)
    moved = tuple(name for name in SECTIONS if sections.get(name) != now.get(name))
    # A key added outside every section is named itself, not hidden behind "signoff.sections".
    moved += tuple(_unsectioned(doc))
    return moved or ("signoff.sections",)


def _unsectioned(doc: Mapping[str, Any]) -> list[str]:
    """Keys of the report (and of its answers) that no section digest covers."""
    top = {name.split(".")[0] for name in SECTIONS}
    inner = {name.split(".")[1] for name in SECTIONS if name.startswith("answers.")}
    out = [key for key in doc if key not in top]
    if isinstance(doc.get("answers"), Mapping):
        out += [f"answers.{key}" for key in doc["answers"] if key not in inner | {"schema"}]
    return out


# --- reports signed with an HMAC key, before the typed form --------------------------------------


def legacy_canonical(value: Any) -> bytes:
    """The old form: sorted JSON in which only dates and times name their type."""
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_legacy_default
    ).encode("utf-8", "surrogatepass")


def _legacy_default(value: object) -> str:
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return f"{type(value).__name__}:{value.isoformat()}"
    raise TypeError(f"cannot sign a {type(value).__name__}")


def legacy_digest(doc: Mapping[str, Any]) -> str:
    return "sha256:" + hashlib.sha256(legacy_canonical(_body(doc))).hexdigest()
