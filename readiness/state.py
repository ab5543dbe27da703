"""Where state lives (inventory, signing key, drafts), the one check of that folder and
of key files in it, the old HMAC key, and drafts.

The CLI resolves the folder once and passes it down; nothing deeper reads the
environment, so tests point everything at a temporary folder.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shlex
import stat
from collections.abc import Mapping
from io import BufferedReader
from pathlib import Path
from typing import Any

from readiness.errors import InputError, StateError
from readiness.files import read_toml, write_atomic

KEY_FILE = "signing.key"
ENV_HOME = "READINESS_HOME"
_POSIX = os.name == "posix"


def resolve_home(environ: Mapping[str, str]) -> Path:
    """``READINESS_HOME`` if set, else the platform's per-user data folder."""
    if value := environ.get(ENV_HOME, "").strip():
        return Path(value).expanduser()
    import platformdirs  # only needed when the variable is not set

    return Path(platformdirs.user_data_dir("readiness", appauthor=False))


def ensure_home(home: Path) -> Path:
    """Create the state folder and any missing folder above it, each 0700 whatever the
    umask; or say why not. A folder that is already there is checked (``check_home``)."""
    missing: list[Path] = []
    folder = home
    while not os.path.lexists(folder) and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for made in reversed(missing):
        try:
            os.mkdir(made, 0o700)
        except FileExistsError:
            continue  # made meanwhile by another run; checked below like any other
        except OSError as exc:
            reason = exc.strerror or exc
            raise StateError(f"{home}: cannot create the state folder: {reason}") from None
        os.chmod(made, 0o700)
    return check_home(home)


def check_home(home: Path) -> Path:
    """Refuse a state folder someone else could change: they could swap the key or the
    inventory. The caller decides whether a missing one is made (``ensure_home``)."""
    try:
        info = os.stat(home)
    except OSError as exc:
        raise StateError(f"{home}: cannot use the state folder: {exc.strerror or exc}") from None
    if not stat.S_ISDIR(info.st_mode):
        raise StateError(f"{home}: state folder is not a folder")
    if not _POSIX:
        return home
    if info.st_uid != os.geteuid():
        raise StateError(
            f"{home}: the state folder belongs to another user (uid {info.st_uid}); "
            f"set {ENV_HOME} to a folder of your own"
        )
    if info.st_mode & 0o022:
        raise StateError(
            f"{home}: other users can change the state folder; "
            f"make it private with `chmod 700 {shlex.quote(str(home))}`"
        )
    return home


def open_private(path: Path, *, remade: bool = True) -> BufferedReader | None:
    """A key file opened for reading, ``None`` if there is none; or why it is refused.

    Refused when it is a link (whoever controls the target knows the key), is not
    a regular file, belongs to another user, or other users may read or change
    it. ``remade``: whether a new key is made once this one is moved aside.
    """
    try:
        if stat.S_ISLNK(os.lstat(path).st_mode):  # O_NOFOLLOW is not everywhere
            raise _symlink(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StateError(f"{path}: cannot read the signing key: {exc.strerror or exc}") from None
    flags = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)  # a FIFO never blocks
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # swapped for a link after the check above
            raise _symlink(path) from None
        raise StateError(f"{path}: cannot read the signing key: {exc.strerror or exc}") from None
    try:
        _check_key_file(path, os.fstat(fd), remade)
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def _symlink(path: Path) -> StateError:
    return StateError(
        f"{path}: the signing key is a symbolic link, which readiness does not follow; "
        "replace the link with the key file itself"
    )


def _check_key_file(path: Path, info: os.stat_result, remade: bool) -> None:
    if not stat.S_ISREG(info.st_mode):
        raise StateError(f"{path}: the signing key is not a regular file; move it aside")
    if not _POSIX:
        return
    where = shlex.quote(str(path))
    if info.st_uid != os.geteuid():
        then = " and a new key will be made" if remade else ""
        raise StateError(
            f"{path}: the signing key belongs to another user (uid {info.st_uid}); "
            f"move it aside (mv {where} {where}.other){then}"
        )
    if info.st_mode & 0o077:
        raise StateError(
            f"{path}: the signing key can be read or changed by other users "
            f"(mode {stat.S_IMODE(info.st_mode):04o}); run: chmod 600 {where}"
        )


_KEY_LIMIT = 4096  # a key file is 65 bytes: anything far larger is not one


def read_key(home: Path) -> bytes | None:
    """The HMAC key reports were signed with before Ed25519, if this machine has one.

    Only read, never made any more: it verifies the reports it signed (see ``signing``
    for the key that signs now). Checked as that key is (``open_private``).
    """
    if not os.path.lexists(home):
        return None
    check_home(home)
    path = home / KEY_FILE
    handle = open_private(path, remade=False)
    if handle is None:
        return None
    with handle:
        try:
            data = handle.read(_KEY_LIMIT)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise StateError(f"{path}: cannot read the signing key: {reason}") from None
    try:
        raw = data.decode("ascii").strip()
    except UnicodeDecodeError as exc:
        raise StateError(f"{path}: cannot read the signing key: {exc}") from None
    try:
        key = bytes.fromhex(raw)
    except ValueError:
        raise StateError(f"{path}: the signing key is damaged (not hex)") from None
    if len(key) < 16:
        raise StateError(f"{path}: the signing key is damaged (too short)")
    return key


def key_id(key: bytes) -> str:
    """The short public name an HMAC-signed report gave its key (``signoff.key_id``)."""
    return hashlib.sha256(b"readiness-key-id:" + key).hexdigest()[:16]


SIGNER_FILE = "signer"
_SIGNER_LIMIT = 4096


def remember_signer(home: Path, name: str) -> None:
    """Keep the name reports were last signed as, for `readiness key` without --name."""
    if last_signer(home) == name:
        return
    ensure_home(home)
    write_atomic(home / SIGNER_FILE, (name + "\n").encode("utf-8"), mode=0o600)


def last_signer(home: Path) -> str | None:
    """The name this machine last signed a report as; ``None`` if it never did."""
    from readiness.errors import is_one_line
    from readiness.files import read_text

    path = home / SIGNER_FILE
    if not path.is_file():
        return None
    name = read_text(path, "signer file", limit=_SIGNER_LIMIT).strip()
    return name if name and is_one_line(name) else None


# One draft per use case, so a recheck interrupted never replaces a check's draft.
DRAFT_FILES = {"check": "draft.toml", "recheck": "recheck-draft.toml"}


def draft_path(home: Path, kind: str = "check") -> Path:
    return home / DRAFT_FILES[kind]


def save_draft(
    home: Path, doc: Mapping[str, Any], meta: Mapping[str, Any], kind: str = "check"
) -> Path:
    """Keep unfinished answers (atomically, private) so `check --resume` can go on.

    ``meta`` is what the walk-through needs besides the answers (which optional
    questions were skipped, whether the device list was finished, which answers a
    recheck has had again; for a recheck, which report it rechecks).
    """
    import tomli_w

    ensure_home(home)
    path = draft_path(home, kind)
    body = {"draft": dict(meta), "answers": dict(doc)}
    write_atomic(path, tomli_w.dumps(body).encode("utf-8"), mode=0o600)
    return path


def load_draft(home: Path, kind: str = "check") -> tuple[dict[str, Any], dict[str, Any]]:
    """The kept answers and the walk-through's notes on them."""
    path = draft_path(home, kind)
    if not path.exists():
        start = "readiness check" if kind == "check" else "readiness recheck REPORT"
        raise InputError.single(str(path), "", f"no draft to resume; start with `{start}`")
    _, doc = read_toml(path, "draft")
    answers = doc.get("answers")
    meta = doc.get("draft")
    if not isinstance(answers, dict) or not isinstance(meta, dict):
        raise InputError.single(str(path), "answers", "missing: this is not a readiness draft")
    return answers, meta


def remove_draft(home: Path, kind: str = "check") -> None:
    draft_path(home, kind).unlink(missing_ok=True)
