"""Reading files safely and writing them atomically.

Every file the tool reads (data file, answers, reports, inventory) goes through
``read_toml`` so that a bad file always gets the same kind of one-line message,
and every file it writes goes through ``write_atomic`` so that a crash or a full
disk never leaves half a file where a good one was.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import tomli

from readiness.errors import InputError, StateError

_DATE_LIKE = re.compile(r"=\s*\d{4}-\d{1,2}-\d{1,2}")


def parse_toml(text: str, source: str) -> dict[str, Any]:
    """Parse TOML text, turning a syntax error into a located ``InputError``."""
    try:
        return tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        reason = exc.msg.lower()
        if exc.pos >= len(text):
            raise InputError.single(source, "end of file", reason) from None
        # The parser reads 2026-13-45 as a bare word, not a bad date: say what it likely is.
        lines = text.split("\n")  # TOML's lines, as the parser counts them
        line = lines[exc.lineno - 1] if exc.lineno <= len(lines) else ""
        if _DATE_LIKE.search(line) and "date" not in reason:
            reason += "; if this is a date, check it is a real one (YYYY-MM-DD, month 1-12)"
        raise InputError.single(source, f"line {exc.lineno}, column {exc.colno}", reason) from None
    except RecursionError:
        raise InputError.single(source, "", "nested too deeply to read") from None


def read_text(path: Path, what: str = "file") -> str:
    """Read a UTF-8 file, naming the file in every refusal."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError.single(str(path), "", f"no such {what}") from None
    except IsADirectoryError:
        raise InputError.single(str(path), "", f"is a folder, not a {what}") from None
    except OSError as exc:
        raise InputError.single(str(path), "", f"cannot read: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError.single(str(path), f"line {line}", "is not UTF-8 text") from None


def read_toml(path: Path, what: str = "file") -> tuple[str, dict[str, Any]]:
    """Read and parse a TOML file; returns the text too, for locating later problems."""
    text = read_text(path, what)
    if not text.strip():
        raise InputError.single(str(path), "", f"is empty; expected a TOML {what}")
    return text, parse_toml(text, str(path))


def write_atomic(
    path: Path, data: bytes | Iterable[bytes], *, mode: int = 0o644, overwrite: bool = True
) -> None:
    """Write ``data`` (bytes, or bytes in pieces) to ``path`` via a temporary file and a rename.

    Readers see either the old file or the whole new one, never a half. With
    ``overwrite=False`` an existing file is never replaced, even by a race.
    """
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise StateError(f"{path}: is a folder; give a file name")
    if not overwrite and path.exists():
        raise StateError(f"{path}: already exists; use --force to replace it")
    try:
        import tempfile  # only writers pay for it (it brings shutil and random)

        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except FileNotFoundError:
        raise StateError(f"{folder}: no such folder") from None
    except OSError as exc:
        raise StateError(f"{folder}: cannot write here: {exc.strerror or exc}") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            for piece in [data] if isinstance(data, bytes) else data:
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        if overwrite:
            os.replace(tmp, path)
        else:
            _place_new(tmp, path, mode)
    except FileExistsError:
        tmp.unlink(missing_ok=True)
        raise StateError(f"{path}: already exists; use --force to replace it") from None
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise StateError(f"{path}: cannot write: {exc.strerror or exc}") from None
    except BaseException:  # pieces that fail to encode, Ctrl-C: no temporary file left
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


# What link() says on a filesystem without hard links (FAT, exFAT, some network drives).
_NO_HARD_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS, errno.EMLINK}


def _place_new(tmp: Path, path: Path, mode: int) -> None:
    """Move a finished temporary file to ``path``, which must not exist, even by a race."""
    try:
        # A hard link fails if the target appeared meanwhile: no silent overwrite.
        os.link(tmp, path)
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        # Claim the name exclusively, then fill it with one rename.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode))
        try:
            os.replace(tmp, path)
        except OSError:
            path.unlink(missing_ok=True)
            raise
        return
    tmp.unlink()
