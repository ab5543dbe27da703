"""This machine's Ed25519 signing key, and whose keys to trust (OpenSSH allowed_signers).

The key pair lives in the state folder, made on first use: ``signing_ed25519``
(OpenSSH private key format, no passphrase, 0600) and ``signing_ed25519.pub``.
Anything that would let another user read or swap the key is refused with one
line saying how to fix it. The signature format itself is in ``sshsig``;
everything in it is re-exported here, so callers import this module only.
(The HMAC key in ``state`` stays, for reports signed before this.)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import re
import stat
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from readiness.errors import InputError, InvalidValue, Problem, StateError, is_one_line, shown
from readiness.sshsig import (
    KEY_TYPE,
    KNOWN_KEY_TYPES,
    NAMESPACE,
    KeyPair,
    PublicKey,
    SignatureError,
    SignatureInvalid,
    SignatureMalformed,
    _key_from_text,
    _WireError,
    principal_matches,
    sign,
    verify,
)
from readiness.state import check_home, ensure_home, last_signer, open_private

__all__ = [
    "KEY_TYPE",
    "NAMESPACE",
    "PRIVATE_KEY_FILE",
    "PUBLIC_KEY_FILE",
    "AllowedSigner",
    "Exported",
    "KeyPair",
    "PublicKey",
    "SignatureError",
    "SignatureInvalid",
    "SignatureMalformed",
    "allowed_signers_line",
    "export_public",
    "keys_for",
    "load_or_create",
    "parse_allowed_signers",
    "principal_matches",
    "read_allowed_signers",
    "read_public",
    "sign",
    "verify",
]

PRIVATE_KEY_FILE = "signing_ed25519"
PUBLIC_KEY_FILE = "signing_ed25519.pub"
_MAX_KEY_FILE = 64 * 1024  # an Ed25519 key file is about 400 bytes
_MAX_SIGNERS = 16 * 1024 * 1024  # a line is about 120 bytes: a whole company's keys fit
_POSIX = os.name == "posix"
# What link() says on a filesystem without hard links (FAT, exFAT, some network drives).
_NO_HARD_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS, errno.EMLINK}


# ------------------------------------------------------------------ the key pair on disk


def load_or_create(home: Path) -> KeyPair:
    """This machine's key pair, made on first use; never replaced once it exists."""
    ensure_home(home)
    path = home / PRIVATE_KEY_FILE
    pair = _read_private(path)
    if pair is None:
        pair = _create(path)
    _write_public(home / PUBLIC_KEY_FILE, pair.public)
    return pair


@dataclass(frozen=True)
class Exported:
    """This machine's public key as a coordinator takes it: the allowed_signers line."""

    line: str
    fingerprint: str


def export_public(
    home: Path, name: str | None, target: Path | None = None, *, overwrite: bool = False
) -> Exported:
    """The allowed_signers line for ``name`` (or the name last signed as), written to ``target``.

    The key is made if there is none yet, so a coordinator can be sent it before
    the first report.
    """
    who = name if name is not None else last_signer(home)
    if who is None:
        raise InputError.single(
            "--name", "", "no report signed here yet: give the name you sign reports as"
        )
    public = load_or_create(home).public
    try:
        line = allowed_signers_line(who, public)
    except InvalidValue as exc:
        raise InputError.single("--name", "", str(exc)) from None
    if target is not None:
        from readiness.files import write_atomic

        write_atomic(target, (line + "\n").encode("utf-8"), mode=0o644, overwrite=overwrite)
    return Exported(line, public.fingerprint())


def read_public(home: Path) -> PublicKey | None:
    """This machine's public key (from its private key file), or ``None``; never creates."""
    if not os.path.lexists(home):
        return None
    check_home(home)
    pair = _read_private(home / PRIVATE_KEY_FILE)
    return None if pair is None else pair.public


def _quote(path: Path) -> str:
    import shlex  # only a refusal needs it

    return shlex.quote(str(path))


def _damaged(path: Path, reason: str) -> StateError:
    where = _quote(path)
    return StateError(
        f"{path}: the signing key is damaged ({reason}); move it aside "
        f"(mv {where} {where}.damaged) and a new key will be made on the next run; "
        "reports signed with the old key can still be verified by anyone with its public key"
    )


def _read_private(path: Path, patience: float = 1.0) -> KeyPair | None:
    """The key pair in ``path``, ``None`` if there is no file; refuses an unsafe file."""
    handle = open_private(path)
    if handle is None:
        return None
    with handle:
        made = os.fstat(handle.fileno()).st_mtime
        data = handle.read(_MAX_KEY_FILE + 1)
        # A key file only ever appears whole (see _create), except on a filesystem
        # without hard links, where it is empty for a moment: wait for a young one.
        deadline = time.monotonic() + patience
        while not data and time.time() - made < 10 and time.monotonic() < deadline:
            time.sleep(0.02)
            handle.seek(0)
            data = handle.read(_MAX_KEY_FILE + 1)
    return _parse_private(path, data)


def _parse_private(path: Path, data: bytes) -> KeyPair:
    if not data.strip():
        raise _damaged(path, "the file is empty")
    if len(data) > _MAX_KEY_FILE:
        raise _damaged(path, "the file is far too large for a key")
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import load_ssh_private_key

    try:
        private = load_ssh_private_key(data, password=None)
    except TypeError:  # cryptography's way of saying "this one has a passphrase"
        raise StateError(
            f"{path}: the signing key has a passphrase, which readiness cannot use; move it "
            f"aside (mv {_quote(path)} {_quote(path)}.old) and a new key will be made"
        ) from None
    except Exception:  # any parse failure (ValueError, UnsupportedAlgorithm, ...): damaged
        raise _damaged(path, "not a whole OpenSSH private key") from None
    if not isinstance(private, Ed25519PrivateKey):
        raise _damaged(path, "not an Ed25519 key")
    return KeyPair.from_private(private)


def _create(path: Path) -> KeyPair:
    """Make a key and put it in place whole: a temporary file, fsync, then a hard link.

    A crash leaves at most a stray temporary file, never a half key; if another
    run got there first, its key is the one both use.
    """
    import tempfile

    from cryptography.hazmat.primitives import serialization

    pair = KeyPair.generate()
    pem = pair.private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.OpenSSH,
        serialization.NoEncryption(),
    )
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise StateError(f"{path}: cannot create the signing key: {exc.strerror or exc}") from None
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            if _POSIX:
                os.fchmod(handle.fileno(), 0o600)
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())
        if not _place(tmp, path):
            theirs = _read_private(path, patience=2.0)
            if theirs is None:
                raise StateError(f"{path}: the signing key vanished while reading it")
            return theirs
        _sync_folder(path.parent)
    except OSError as exc:
        raise StateError(f"{path}: cannot create the signing key: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return pair


def _place(tmp: Path, path: Path) -> bool:
    """Give the finished ``tmp`` the name ``path``; ``False`` if that name was taken."""
    try:
        os.link(tmp, path)  # fails if the name exists: never over another run's key
    except FileExistsError:
        return False
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        try:  # no hard links here: claim the name, then fill it with one rename
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            return False
        try:
            os.replace(tmp, path)
        except OSError:
            path.unlink(missing_ok=True)
            raise
    return True


def _sync_folder(folder: Path) -> None:
    """Make the new name survive a power cut (where the platform allows it)."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_public(path: Path, key: PublicKey) -> None:
    """Keep ``signing_ed25519.pub`` in step with the private key (a comment may differ)."""
    with contextlib.suppress(OSError, UnicodeDecodeError):
        info = os.lstat(path)
        regular = stat.S_ISREG(info.st_mode) and info.st_size < 4096
        if regular and path.read_text(encoding="utf-8").split()[:2] == key.openssh().split():
            return
    from readiness.files import write_atomic

    write_atomic(path, f"{key.openssh()} readiness\n".encode("ascii"), mode=0o644)


# -------------------------------------------------------------------- allowed_signers


@dataclass(frozen=True)
class AllowedSigner:
    """One line of an allowed_signers file (see ALLOWED SIGNERS in ssh-keygen(1))."""

    principals: str  # a pattern list, quotes removed, as OpenSSH matches it
    key_type: str
    key: PublicKey | None  # None for key types other than ssh-ed25519: never matches
    line: int
    namespaces: str | None = None  # a pattern list; None: any namespace
    valid_after: dt.datetime | None = None
    valid_before: dt.datetime | None = None
    cert_authority: bool = False  # we sign with plain keys, so such lines never apply


class _LineError(ValueError):
    pass


_SPACE = " \t\r\n"


def read_allowed_signers(path: Path) -> tuple[AllowedSigner, ...]:
    """The signers an allowed_signers file lists; ``InputError`` naming the file and line."""
    from readiness.files import read_text

    return parse_allowed_signers(read_text(path, "allowed signers file", _MAX_SIGNERS), str(path))


def parse_allowed_signers(text: str, source: str) -> tuple[AllowedSigner, ...]:
    """Every signer line in ``text``; ``InputError`` with a located problem per bad line."""
    signers: list[AllowedSigner] = []
    problems: list[Problem] = []
    for number, line in enumerate(text.split("\n"), start=1):
        try:
            signer = _parse_line(line, number)
        except _LineError as exc:
            problems.append(Problem(source, f"line {number}", str(exc)))
            continue
        if signer is not None:
            signers.append(signer)
    if problems:
        raise InputError(problems)
    return tuple(signers)


def _parse_line(line: str, number: int) -> AllowedSigner | None:
    """One line, read the way OpenSSH's sshsig.c reads it (comments and blanks: None)."""
    rest = line.lstrip(_SPACE)
    if not rest or rest.startswith("#"):
        return None
    if "\0" in rest:
        raise _LineError("holds a NUL character")
    principals, rest = _principals(rest)
    if not principals:
        raise _LineError("no principals (names) before the key")
    if not rest:
        raise _LineError("no key after the principals")
    first = re.split("[ \t]", rest, maxsplit=1)[0]
    options = ""
    if first not in KNOWN_KEY_TYPES:
        options, rest = _split_options(rest)
        if not rest:
            raise _LineError("no key after the options")
    kind, key = _read_key(rest, options)
    ca, namespaces, after, before = _parse_options(options)
    return AllowedSigner(principals, kind, key, number, namespaces, after, before, ca)


def _principals(text: str) -> tuple[str, str]:
    """The first field (OpenSSH's strdelimw): up to a space, or a "quoted part" anywhere."""
    for index, char in enumerate(text):
        if char == '"':
            end = text.find('"', index + 1)
            if end < 0:
                raise _LineError("a quote in the principals is not closed")
            return text[:index] + text[index + 1 : end], text[end + 1 :].lstrip(_SPACE)
        if char in _SPACE:
            return text[:index], text[index + 1 :].lstrip(_SPACE)
    return text, ""


def _split_options(text: str) -> tuple[str, str]:
    """Options run to the first space outside double quotes (\\" does not end a quote)."""
    quoted = False
    index = 0
    while index < len(text) and (quoted or text[index] not in " \t"):
        if text[index] == "\\" and text[index + 1 : index + 2] == '"':
            index += 1
        elif text[index] == '"':
            quoted = not quoted
        index += 1
    if quoted:
        raise _LineError("a quote in the options is not closed")
    return text[:index], text[index:].lstrip(" \t")


def _read_key(text: str, options: str) -> tuple[str, PublicKey | None]:
    words = re.split(f"[{_SPACE}]+", text, maxsplit=2)
    kind = words[0]
    if kind not in KNOWN_KEY_TYPES:
        word = options if options and "=" not in options and "," not in options else kind
        raise _LineError(f"{shown(word)!r} is not a key type OpenSSH knows (such as ssh-ed25519)")
    if len(words) < 2 or not words[1]:
        raise _LineError(f"the {kind} key's data is missing")
    try:
        return kind, _key_from_text(kind, words[1])
    except _WireError as exc:
        raise _LineError(str(exc)) from None


def _parse_options(text: str) -> tuple[bool, str | None, dt.datetime | None, dt.datetime | None]:
    """``cert-authority``, ``namespaces="..."``, ``valid-after="..."``, ``valid-before="..."``.

    As OpenSSH's sshsigopt_parse: keywords in any case, values in double quotes.
    """
    ca = False
    values: dict[str, str] = {}
    index = 0
    while index < len(text):
        if _keyword(text, index, "cert-authority"):
            ca = True
            index += len("cert-authority")
        for name in ("namespaces", "valid-after", "valid-before"):
            if _keyword(text, index, name + "="):
                if name in values:
                    raise _LineError(f'"{name}" is given twice')
                values[name], index = _dequote(text, index + len(name) + 1, name)
                break
        if index >= len(text):
            break
        if text[index] != ",":
            unknown = text[index:].split(",", 1)[0]
            raise _LineError(f"unknown option {shown(unknown)!r}")
        index += 1
        if index >= len(text):
            raise _LineError("the options end with a comma")
    after, before = (
        _timestamp(values[name], name) if name in values else None
        for name in ("valid-after", "valid-before")
    )
    if after is not None and before is not None and before <= after:
        raise _LineError('"valid-before" is not later than "valid-after"')
    return ca, values.get("namespaces"), after, before


def _keyword(text: str, index: int, word: str) -> bool:
    chunk = text[index : index + len(word)]
    return chunk.isascii() and chunk.lower() == word


def _dequote(text: str, index: int, name: str) -> tuple[str, int]:
    if text[index : index + 1] != '"':
        raise _LineError(f'the value of "{name}" must be in double quotes')
    out: list[str] = []
    index += 1
    while index < len(text) and text[index] != '"':
        if text[index] == "\\" and text[index + 1 : index + 2] == '"':
            index += 1
        out.append(text[index])
        index += 1
    if index >= len(text):
        raise _LineError(f'the value of "{name}" has no closing quote')
    return "".join(out), index + 1


def _timestamp(value: str, name: str) -> dt.datetime:
    """YYYYMMDD[HHMM[SS]], local time unless it ends in Z (or UTC), as OpenSSH reads it."""
    digits, utc = value, False
    if len(digits) > 1 and digits[-1] in "Zz":
        digits, utc = digits[:-1], True
    elif len(digits) > 3 and digits[-3:].upper() == "UTC":
        digits, utc = digits[:-3], True
    bad = _LineError(f'"{name}" is not a time: {shown(value)!r} (expected YYYYMMDD[HHMM[SS]][Z])')
    if len(digits) not in (8, 12, 14) or not (digits.isascii() and digits.isdigit()):
        raise bad
    year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:8])
    hour, minute, second = (int(digits[i : i + 2] or "0") for i in (8, 10, 12))
    try:
        when = dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC if utc else None)
        when = when.astimezone(dt.UTC)  # a naive one is read as local time first
        if when.timestamp() <= 0:
            raise bad
    except (ValueError, OverflowError, OSError):
        raise bad from None
    return when


def keys_for(
    signers: Iterable[AllowedSigner], name: str, namespace: str, now: dt.datetime
) -> list[PublicKey]:
    """The Ed25519 keys trusted to sign for ``name`` in ``namespace`` at ``now``, in file order."""
    if now.tzinfo is None:
        raise InvalidValue("the time to check keys at must carry a time zone")
    now = now.replace(microsecond=0)  # OpenSSH compares whole seconds
    keys: list[PublicKey] = []
    for signer in signers:
        if signer.cert_authority or signer.key is None or signer.key in keys:
            continue
        if not principal_matches(signer.principals, name):
            continue
        if signer.namespaces is not None and not principal_matches(signer.namespaces, namespace):
            continue
        if signer.valid_after is not None and now < signer.valid_after:
            continue
        if signer.valid_before is not None and now > signer.valid_before:
            continue
        keys.append(signer.key)
    return keys


_PLAIN_NAME = re.compile(r"[A-Za-z0-9._@+-]+")


def allowed_signers_line(name: str, key: PublicKey) -> str:
    """The allowed_signers line trusting ``key`` for ``name`` in our namespace (no newline).

    The name is quoted when it holds anything but letters, digits and ``._@+-``.
    Names OpenSSH could not match as written are refused: a principal is a
    pattern list, so a comma splits it and ``*``, ``?`` and a leading ``!`` are
    wildcards that would match, or rule out, other names.
    """
    if not name:
        raise InvalidValue("a signer's name cannot be empty")
    if not is_one_line(name):
        raise InvalidValue(f"{shown(name)}: a signer's name must be one line of text")
    for char, why in (
        ('"', "a double quote"),
        (",", "a comma (OpenSSH reads it as a list of names)"),
        ("*", "* (a wildcard in OpenSSH)"),
        ("?", "? (a wildcard in OpenSSH)"),
    ):
        if char in name:
            raise InvalidValue(f"{shown(name)}: a signer's name cannot hold {why}")
    if name.startswith("!"):
        raise InvalidValue(f"{shown(name)}: a signer's name cannot start with ! (OpenSSH: not)")
    if len(name.encode("utf-8", "surrogatepass")) >= 1023:
        raise InvalidValue(f"{shown(name)}: a signer's name is too long for OpenSSH")
    principal = name if _PLAIN_NAME.fullmatch(name) else f'"{name}"'
    return f'{principal} namespaces="{NAMESPACE}" {key.openssh()}'
