"""Where state lives (inventory, signing key, drafts), the signing key and drafts.

The CLI resolves the folder once and passes it down; nothing deeper reads the
environment, so tests point everything at a temporary folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from readiness.errors import InputError, StateError
from readiness.files import read_toml, write_atomic

KEY_FILE = "signing.key"
ENV_HOME = "READINESS_HOME"


def resolve_home(environ: Mapping[str, str]) -> Path:
    """``READINESS_HOME`` if set, else the platform's per-user data folder."""
    if value := environ.get(ENV_HOME, "").strip():
        return Path(value).expanduser()
    import platformdirs  # only needed when the variable is not set

    return Path(platformdirs.user_data_dir("readiness", appauthor=False))


def ensure_home(home: Path) -> Path:
    """Create the state folder (private to the user) or say why it cannot be."""
    try:
        home.mkdir(parents=True, exist_ok=True, mode=0o700)
    except FileExistsError:
        raise StateError(f"{home}: state folder is a file, not a folder") from None
    except OSError as exc:
        raise StateError(f"{home}: cannot create the state folder: {exc.strerror or exc}") from None
    if not home.is_dir():
        raise StateError(f"{home}: state folder is not a folder")
    return home


def read_key(home: Path) -> bytes | None:
    """The signing key if this machine has one; ``None`` when it does not."""
    path = home / KEY_FILE
    try:
        raw = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except OSError as exc:  # strerror alone: the path is already at the start of the line
        raise StateError(f"{path}: cannot read the signing key: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise StateError(f"{path}: cannot read the signing key: {exc}") from None
    try:
        key = bytes.fromhex(raw)
    except ValueError:
        raise StateError(f"{path}: the signing key is damaged (not hex)") from None
    if len(key) < 16:
        raise StateError(f"{path}: the signing key is damaged (too short)")
    return key


def signing_key(home: Path) -> bytes:
    """The key, made on first use with mode 0600; never replaced once it exists."""
    _settle(home / KEY_FILE)
    key = read_key(home)
    if key is not None:
        return key
    ensure_home(home)
    path = home / KEY_FILE
    import secrets  # only the first signing needs it

    key = secrets.token_bytes(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        # Another process made it first: use theirs, so both sign alike.
        _settle(path)
        existing = read_key(home)
        if existing is None:
            raise StateError(f"{path}: the signing key vanished while reading it") from None
        return existing
    except OSError as exc:
        raise StateError(f"{path}: cannot create the signing key: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(key.hex() + "\n")
    except OSError as exc:
        # A full disk must not leave an empty key behind: every later run would call it damaged.
        with contextlib.suppress(OSError):
            path.unlink()
        raise StateError(f"{path}: cannot create the signing key: {exc.strerror or exc}") from None
    return key


def _settle(path: Path, patience: float = 2.0) -> None:
    """Wait while another run that has just created the key file writes the key.

    It creates the file first and writes the key (one short write) after, so
    for a moment the file is empty: that is a key on its way, not a damaged one.
    """
    import time

    deadline = time.monotonic() + patience
    with contextlib.suppress(OSError):
        while path.stat().st_size == 0 and time.monotonic() < deadline:
            time.sleep(0.01)


def key_id(key: bytes) -> str:
    """A short public name for a key, so a report can say which key signed it."""
    return hashlib.sha256(b"readiness-key-id:" + key).hexdigest()[:16]


DRAFT_FILE = "draft.toml"


def draft_path(home: Path) -> Path:
    return home / DRAFT_FILE


def save_draft(home: Path, doc: Mapping[str, Any], meta: Mapping[str, Any]) -> Path:
    """Keep unfinished answers (atomically, private) so `check --resume` can go on.

    ``meta`` is what the walk-through needs besides the answers (which optional
    questions were skipped, whether the device list was finished).
    """
    import tomli_w

    ensure_home(home)
    path = draft_path(home)
    body = {"draft": dict(meta), "answers": dict(doc)}
    write_atomic(path, tomli_w.dumps(body).encode("utf-8"), mode=0o600)
    return path


def load_draft(home: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The kept answers and the walk-through's notes on them."""
    path = draft_path(home)
    if not path.exists():
        raise InputError.single(str(path), "", "no draft to resume; start with `readiness check`")
    _, doc = read_toml(path, "draft")
    answers = doc.get("answers")
    meta = doc.get("draft")
    if not isinstance(answers, dict) or not isinstance(meta, dict):
        raise InputError.single(str(path), "answers", "missing: this is not a readiness draft")
    return answers, meta


def remove_draft(home: Path) -> None:
    draft_path(home).unlink(missing_ok=True)
