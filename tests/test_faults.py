"""File-system faults: every one is a clear error, exit 2, and leaves nothing behind.

A report path in a read-only folder, under a regular file or in a missing
folder; a disk that fills while the report, the inventory or the signing key is
written; a state folder that cannot be created; a report path that is a folder.
Each time: exit 2 with lines that start with ``error:``, no traceback, no
temporary file, no half-written report, and the inventory and signing key
byte-for-byte as they were.

Root ignores file permissions, so where a test needs a folder it cannot write
to and runs as root, the refusal the kernel would give is simulated instead.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from readiness import files, inventory, report, signing, state
from readiness.cli import cli

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "answers.toml"
NOW = "2026-11-30T12:00:00Z"
MOMENT = dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC)
IMEI = "352099001761481"
AS_ROOT = os.geteuid() == 0
DEV_FULL = Path("/dev/full")


# --- helpers --------------------------------------------------------------------------------


def snapshot(*roots: Path) -> dict[Path, bytes | None]:
    """Every file and folder under the roots, with the bytes of each file."""
    out: dict[Path, bytes | None] = {}
    for root in roots:
        if root.is_file():
            out[root] = root.read_bytes()
        elif root.is_dir():
            for path in root.rglob("*"):
                out[path] = path.read_bytes() if path.is_file() else None
    return out


def temporaries(*roots: Path) -> list[Path]:
    return [p for root in roots if root.is_dir() for p in root.rglob(".*.tmp")]


@pytest.fixture
def answers_file(tmp_path: Path) -> Path:
    """The example answers, its first device taken from the inventory."""
    source = tmp_path / "answers.toml"
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace('label = "Ada\'s iPhone"\n', 'inventory = "Ada\'s iPhone"\n', 1)
    source.write_text(text, encoding="utf-8")
    return source


@pytest.fixture
def kept_state(readiness_home: Path) -> Path:
    """A state folder with an inventory and a signing key, as after earlier runs."""
    entry = inventory.new_entry(label="Ada's iPhone", model="iPhone 16 Pro", imei=IMEI, now=MOMENT)
    inventory.add(readiness_home, entry)
    signing.load_or_create(readiness_home)
    state.remember_signer(readiness_home, "Ada Lovelace")
    return readiness_home


def run(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], env=env)


def check(answers: Path, target: Path, *extra: str, env: dict[str, str] | None = None) -> Result:
    return run(
        "check", "--answers", answers, "--no-input", "--now", NOW, "--report", target, *extra,
        env=env,
    )  # fmt: skip


def assert_refused(result: Result, *expected: str) -> None:
    """Exit 2, one ``error:`` line per problem, the expected text, no traceback."""
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert lines
    assert all(line.startswith("error: ") for line in lines), lines
    for text in expected:
        assert text in result.stderr, result.stderr


@pytest.fixture
def unchanged(kept_state: Path, tmp_path: Path) -> Callable[[], None]:
    """Call it after the fault: the state folder is as it was and no temp file is left."""
    before = snapshot(kept_state)
    assert (kept_state / inventory.INVENTORY_FILE) in before

    def verify() -> None:
        assert snapshot(kept_state) == before
        assert temporaries(tmp_path, kept_state) == []

    return verify


def raising(error: int, name: str) -> Callable[..., Any]:
    def fail(*args: Any, **kwargs: Any) -> Any:
        raise OSError(error, os.strerror(error), name)

    return fail


# --- the report path ------------------------------------------------------------------------


def read_only_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder nobody may create files in: for real, or as the kernel would refuse as root."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    if not AS_ROOT:
        folder.chmod(0o500)
        return folder
    real = tempfile.mkstemp

    def mkstemp(*args: Any, **kwargs: Any) -> tuple[int, str]:
        if Path(kwargs.get("dir") or ".").resolve() == folder.resolve():
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(folder))
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    return folder


def test_report_in_a_read_only_folder(
    answers_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    unchanged: Callable[[], None],
) -> None:
    folder = read_only_folder(tmp_path, monkeypatch)
    try:
        result = check(answers_file, folder / "report.toml")
        assert_refused(result, f"error: {folder}: cannot write here: Permission denied")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)
    unchanged()


@pytest.mark.skipif(not AS_ROOT, reason="the real refusal is tested without root")
def test_root_really_can_write_in_a_0500_folder(tmp_path: Path) -> None:
    """Why the test above simulates the refusal when run as root."""
    folder = tmp_path / "locked"
    folder.mkdir(mode=0o500)
    files.write_atomic(folder / "x.toml", b"a = 1\n")
    assert (folder / "x.toml").read_bytes() == b"a = 1\n"


def test_report_under_a_regular_file(
    answers_file: Path, tmp_path: Path, unchanged: Callable[[], None]
) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("not a folder\n")
    result = check(answers_file, blocker / "report.toml")
    assert_refused(result, f"error: {blocker}: cannot write here: Not a directory")
    assert blocker.read_text() == "not a folder\n"
    unchanged()


def test_report_in_a_missing_folder(
    answers_file: Path, tmp_path: Path, unchanged: Callable[[], None]
) -> None:
    folder = tmp_path / "no" / "such"
    result = check(answers_file, folder / "report.toml")
    assert_refused(result, f"error: {folder}: no such folder")
    assert not (tmp_path / "no").exists()
    unchanged()


@pytest.mark.parametrize("force", [False, True])
def test_report_path_is_a_folder(
    answers_file: Path, tmp_path: Path, unchanged: Callable[[], None], force: bool
) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine\n")
    result = check(answers_file, folder, *(["--force"] if force else []))
    assert_refused(result, f"error: {folder}: ")
    if force:
        assert "is a folder; give --report a file name" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["keep.txt"]
    assert (folder / "keep.txt").read_text() == "mine\n"
    unchanged()


def test_verify_an_empty_folder(tmp_path: Path) -> None:
    assert_refused(
        run("verify", tmp_path), f"error: {tmp_path}: no readiness reports (*.toml) in this folder"
    )


# --- a full disk ------------------------------------------------------------------------------


def full_disk(monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    """Make every atomic write run out of space: in write() (for real, on /dev/full) or fsync."""
    if how == "fsync":
        monkeypatch.setattr(os, "fsync", raising(errno.ENOSPC, "fsync"))
        return
    if not DEV_FULL.exists():
        pytest.skip("no /dev/full here")
    real = tempfile.mkstemp

    def mkstemp(*args: Any, **kwargs: Any) -> tuple[int, str]:
        fd, name = real(*args, **kwargs)  # the temporary file exists, as on a real disk
        os.close(fd)
        return os.open(DEV_FULL, os.O_WRONLY), name

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)


@pytest.mark.parametrize("how", ["write", "fsync"])
def test_disk_full_while_writing_the_report(
    answers_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    unchanged: Callable[[], None],
    how: str,
) -> None:
    target = tmp_path / "out" / "report.toml"
    target.parent.mkdir()
    full_disk(monkeypatch, how)
    result = check(answers_file, target)
    assert_refused(result, f"error: {target}: cannot write: No space left on device")
    assert list(target.parent.iterdir()) == []
    unchanged()


@pytest.mark.parametrize("how", ["write", "fsync"])
def test_disk_full_while_replacing_a_report_keeps_the_old_one(
    answers_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    unchanged: Callable[[], None],
    how: str,
) -> None:
    target = tmp_path / "report.toml"
    first = check(answers_file, target)
    assert first.exit_code == 0, first.output
    before = target.read_bytes()
    full_disk(monkeypatch, how)
    result = check(answers_file, target, "--force")
    assert_refused(result, f"error: {target}: cannot write: No space left on device")
    assert target.read_bytes() == before
    assert report.verify(report.load(target), report.local_trust(state.resolve_home(os.environ))).ok
    unchanged()


@pytest.mark.parametrize("how", ["write", "fsync"])
def test_disk_full_while_adding_to_the_inventory(
    monkeypatch: pytest.MonkeyPatch, unchanged: Callable[[], None], how: str
) -> None:
    full_disk(monkeypatch, how)
    result = run(
        "inventory", "add", "--label", "Ada's iPad", "--model", "iPad Pro 11-inch (M4)",
        "--imei", "352099001761499", "--now", NOW,
    )  # fmt: skip
    assert_refused(result, "cannot write: No space left on device", inventory.INVENTORY_FILE)
    unchanged()


def test_disk_full_while_making_the_signing_key(
    tmp_path: Path, readiness_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key is written on first use: a full disk must not leave an empty one."""
    if not DEV_FULL.exists():
        pytest.skip("no /dev/full here")
    real = os.open

    def fake_open(path: Any, flags: int, mode: int = 0o777, **kwargs: Any) -> int:
        fd = real(path, flags, mode, **kwargs)
        if not Path(path).name.startswith(f".{signing.PRIVATE_KEY_FILE}."):
            return fd
        os.close(fd)  # the key file was created; writing to it runs out of space
        return real(DEV_FULL, os.O_WRONLY)

    target = tmp_path / "report.toml"
    plain = tmp_path / "plain.toml"
    plain.write_bytes(EXAMPLE.read_bytes())
    with monkeypatch.context() as patch:  # only this; READINESS_HOME stays set
        patch.setattr(os, "open", fake_open)
        result = check(plain, target)
    key = readiness_home / signing.PRIVATE_KEY_FILE
    assert_refused(result, f"error: {key}: cannot create the signing key: No space left on device")
    assert not key.exists()
    assert not target.exists()
    # Once there is room again, the next run makes a good key and signs.
    assert check(plain, target).exit_code == 0
    assert (
        report.verify(report.load(target), report.local_trust(readiness_home)).signature
        == "trusted-own"
    )


# --- a state folder that cannot be created ---------------------------------------------------


def test_state_folder_under_a_regular_file(tmp_path: Path) -> None:
    blocker = tmp_path / "state-file"
    blocker.write_text("not a folder\n")
    home = blocker / "readiness"
    plain = tmp_path / "plain.toml"
    plain.write_bytes(EXAMPLE.read_bytes())
    target = tmp_path / "report.toml"
    before = snapshot(tmp_path)
    result = check(plain, target, env={state.ENV_HOME: str(home)})
    assert_refused(result, f"error: {home}: cannot create the state folder: Not a directory")
    assert snapshot(tmp_path) == before
    added = run(
        "inventory", "add", "--label", "x", "--model", "y", "--imei", IMEI, "--now", NOW,
        env={state.ENV_HOME: str(home)},
    )  # fmt: skip
    assert_refused(added, f"error: {home}: cannot create the state folder: Not a directory")
    assert snapshot(tmp_path) == before


def test_state_folder_is_a_regular_file(tmp_path: Path) -> None:
    home = tmp_path / "readiness-home"
    home.write_text("not a folder\n")
    plain = tmp_path / "plain.toml"
    plain.write_bytes(EXAMPLE.read_bytes())
    before = snapshot(tmp_path)
    result = check(plain, tmp_path / "report.toml", env={state.ENV_HOME: str(home)})
    assert_refused(result, f"error: {home}: state folder is not a folder")
    assert snapshot(tmp_path) == before


def test_state_folder_in_a_read_only_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = tmp_path / "read-only"
    parent.mkdir()
    home = parent / "readiness"
    if AS_ROOT:
        real = os.mkdir

        def mkdir(path: Any, *args: Any, **kwargs: Any) -> None:
            if Path(path) == home:
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
            real(path, *args, **kwargs)

        monkeypatch.setattr(os, "mkdir", mkdir)
    else:
        parent.chmod(0o500)
    plain = tmp_path / "plain.toml"
    plain.write_bytes(EXAMPLE.read_bytes())
    try:
        before = snapshot(tmp_path)
        result = check(plain, tmp_path / "report.toml", env={state.ENV_HOME: str(home)})
        assert_refused(result, f"error: {home}: cannot create the state folder: Permission denied")
        assert snapshot(tmp_path) == before
    finally:
        parent.chmod(0o700)


def test_no_fault_writes_the_report_and_leaves_the_inventory_alone(
    answers_file: Path, tmp_path: Path, unchanged: Callable[[], None]
) -> None:
    """The baseline the fault tests compare against: the inventory is read, never written."""
    target = tmp_path / "report.toml"
    result = check(answers_file, target)
    assert result.exit_code == 0, result.output
    assert report.load(target).answers["devices"][0]["inventory"] == "Ada's iPhone"
    unchanged()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # it holds IMEIs


def test_a_drive_without_hard_links_still_gets_new_reports_and_never_loses_one(
    answers_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kept_state: Path
) -> None:
    """A USB stick formatted FAT or exFAT: link() is refused, so the name is claimed instead."""

    def link(src: str | Path, dst: str | Path) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", link)
    target = tmp_path / "stick" / "report.toml"
    target.parent.mkdir()
    assert check(answers_file, target).exit_code == 0
    first = target.read_bytes()
    assert report.verify(report.load(target), report.local_trust(kept_state)).ok
    assert_refused(check(answers_file, target), f"error: {target}: already exists")
    assert target.read_bytes() == first
    assert temporaries(target.parent) == []
