"""Shared pieces of the report tests: a built, written and signed report, and its keys."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from readiness import answers, checks, report
from readiness.knowledge import Knowledge
from readiness.signing import KeyPair

EXAMPLE = Path(__file__).parent.parent / "examples" / "answers.toml"

NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)

SIGNED_AT = dt.datetime(2026, 11, 30, 12, 3, 17, 123456, tzinfo=dt.UTC)

KEY = KeyPair.from_private(Ed25519PrivateKey.from_private_bytes(bytes(range(32))))

OWN = report.Trust(own=KEY.public, now=NOW)


def build(
    knowledge: Knowledge,
    source: Path = EXAMPLE,
    *,
    now: dt.datetime = NOW,
    at: dt.datetime = SIGNED_AT,
    previous: str = "",
) -> dict[str, Any]:
    a = answers.load(source)
    evaluation = checks.evaluate(a, knowledge, now)
    signoff = report.Signoff(by="Ada Lovelace", at=at, previous=previous)
    return report.build(evaluation, a, knowledge, now, signoff)


def written(knowledge: Knowledge, tmp_path: Path, key: KeyPair = KEY, **kwargs: Any) -> Path:
    """A signed report written to disk, as the CLI writes it."""
    path = tmp_path / "report.toml"
    report.write(path, report.sign(build(knowledge, **kwargs), key))
    return path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
