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
import stat
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import tomli

from readiness.errors import InputError, StateError

MB = 1024 * 1024
#: The largest file read as TOML (answers, reports, the inventory, the data file, a draft):
#: a 10,000-device report is about 20 MB.
MAX_TOML_BYTES = 50 * MB
#: The largest CSV import: an MDM export of a whole fleet.
MAX_CSV_BYTES = 200 * MB

#: Temporary files are named ``.NAME.readiness-XXXXXXXX.tmp`` (as ``mkstemp`` fills
#: the X's), so a leftover from a crash is recognised as ours and nothing else ever is.
_TMP_MARK = ".readiness-"
_TMP_NAME = re.compile(r"\..+\.readiness-[a-z0-9_]{8}\.tmp")
#: A temporary file this old is no longer being written: a run that crashed left it.
STALE_SECONDS = 10 * 60
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
)
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

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


def _kind(mode: int) -> str | None:
    """What a path is when it is not a regular file (a folder, a pipe, a device)."""
    return next((name for test, name in _KINDS if test(mode)), None)


def read_bytes(path: Path, what: str = "file", limit: int = MAX_TOML_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, refused at once otherwise.

    A named pipe would wait forever and ``/dev/zero`` would fill the memory, so
    what the path is gets checked before a byte is read, and never more than
    ``limit + 1`` bytes are read (a file may grow after the check).
    """
    source = str(path)
    try:
        before = os.stat(path)
        kind = _kind(before.st_mode)
        if kind is not None:
            raise InputError.single(source, "", f"is {kind}, not {_a(what)}")
        if before.st_size > limit:
            raise InputError.single(source, "", _too_large(limit))
        # O_NONBLOCK: should a pipe have taken the file's place since, opening it does not wait.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise InputError.single(source, "", f"no such {what}") from None
    except OSError as exc:
        raise InputError.single(source, "", f"cannot read: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as handle:
        kind = _kind(os.fstat(handle.fileno()).st_mode)
        if kind is not None:
            raise InputError.single(source, "", f"is {kind}, not {_a(what)}")
        try:
            raw = handle.read(limit + 1)
        except OSError as exc:
            raise InputError.single(source, "", f"cannot read: {exc.strerror or exc}") from None
    if len(raw) > limit:
        raise InputError.single(source, "", _too_large(limit))
    return raw


def _too_large(limit: int) -> str:
    return f"is larger than {limit // MB} MB; is it the right file?"


def _is_utf16(raw: bytes) -> bool:
    """A byte-order mark, or the NULs that every other byte of UTF-16 ASCII text is."""
    if raw.startswith(_UTF16_BOMS):
        return True
    sample = raw[:512]
    half = len(sample) // 2
    return half >= 2 and max(sample[0::2].count(0), sample[1::2].count(0)) * 4 >= half * 3


def read_text(path: Path, what: str = "file", limit: int = MAX_TOML_BYTES) -> str:
    """Read a UTF-8 file (a byte-order mark allowed), naming the file in every refusal."""
    raw = read_bytes(path, what, limit)
    if raw.startswith(_UTF8_BOM):  # Notepad and Excel write one
        raw = raw[len(_UTF8_BOM) :]
    elif _is_utf16(raw):
        raise InputError.single(str(path), "", "is UTF-16 text; save it as UTF-8")
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
    path: Path, data: bytes | Iterable[bytes], *, mode: int = 0o600, overwrite: bool = True
) -> None:
    """Write ``data`` (bytes, or bytes in pieces) to ``path`` via a temporary file and a rename.

    Readers see either the old file or the whole new one, never a half. With
    ``overwrite=False`` an existing file is never replaced, even by a race. A
    symbolic link is written through: its target is replaced, and the link kept.
    Files are private (0600) unless ``mode`` says otherwise, since most hold IMEIs;
    replacing a file never widens its mode (a 0600 report stays 0600 under --force).
    """
    if overwrite and path.is_symlink():
        # A link (to a synced folder, say) stays a link: the file it points to is replaced.
        path = Path(os.path.realpath(path))
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise StateError(f"{path}: is a folder; give a file name")
    if not overwrite and (path.exists() or path.is_symlink()):
        raise StateError(f"{path}: already exists; use --force to replace it")
    if overwrite:
        with contextlib.suppress(OSError):
            mode &= stat.S_IMODE(os.stat(path).st_mode)
    sweep(folder)
    try:
        import tempfile  # only writers pay for it (it brings shutil and random)

        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{path.name[:100]}{_TMP_MARK}", suffix=".tmp", dir=folder
        )
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


def sweep(folder: Path, now: float | None = None) -> list[Path]:
    """Remove this tool's temporary files that a crash left in ``folder``; returns them.

    Only files named as ``write_atomic`` names them, owned by this user and older
    than ``STALE_SECONDS`` (a younger one may be another run's write in progress).
    """
    cutoff = (time.time() if now is None else now) - STALE_SECONDS
    removed: list[Path] = []
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if _TMP_MARK not in entry.name or not _TMP_NAME.fullmatch(entry.name):
                continue
            with contextlib.suppress(OSError):
                info = entry.stat(follow_symlinks=False)
                if (
                    stat.S_ISREG(info.st_mode)
                    and info.st_uid == os.geteuid()
                    and info.st_mtime < cutoff
                ):
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
    return removed


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


def _a(what: str) -> str:
    """ "an answers file", "a report": the article a message needs."""
    return f"{'an' if what[:1] in 'aeiou' else 'a'} {what}"
