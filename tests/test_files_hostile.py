"""files: what is read is a regular file of sane size and encoding; what is written leaves
no stranger behind and keeps a link a link."""

from __future__ import annotations

import os
import re
import socket
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from readiness import files
from readiness.errors import InputError, StateError

AS_ROOT = os.geteuid() == 0
OLD = time.time() - files.STALE_SECONDS - 60


def refusal(path: Path, **kwargs: int) -> list[str]:
    with pytest.raises(InputError) as caught:
        files.read_text(path, "report", **kwargs)
    return caught.value.lines()


def leftover(folder: Path, name: str, *, age: float = OLD) -> Path:
    path = folder / name
    path.write_bytes(b"imei = '352099001761481'\n")
    os.utime(path, (age, age))
    return path


# --- temporary files: named as ours, and cleaned up after a crash ------------------------------


def test_the_temporary_file_carries_a_recognisable_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    real = os.replace

    def replace(src: str | Path, dst: str | Path) -> None:
        seen.append(Path(src).name)
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    files.write_atomic(tmp_path / "inventory.toml", b"a = 1\n")
    assert len(seen) == 1
    assert re.fullmatch(r"\.inventory\.toml\.readiness-[a-z0-9_]{8}\.tmp", seen[0]), seen


def test_a_leftover_temporary_file_is_cleaned_up_on_the_next_write(tmp_path: Path) -> None:
    crashed = leftover(tmp_path, ".inventory.toml.readiness-k3j9x_2a.tmp")
    files.write_atomic(tmp_path / "report.toml", b"a = 1\n")
    assert not crashed.exists()
    assert sorted(os.listdir(tmp_path)) == ["report.toml"]


def test_only_the_tool_s_own_stale_files_are_cleaned_up(tmp_path: Path) -> None:
    kept = [
        leftover(tmp_path, ".inventory.toml.readiness-young123.tmp", age=time.time()),
        leftover(tmp_path, ".inventory.toml.k3j9x_2a.tmp"),  # not our pattern
        leftover(tmp_path, "notes.readiness-k3j9x_2a.tmp"),  # not hidden
        leftover(tmp_path, ".x.readiness-k3j9x_2a.tmp.bak"),
        leftover(tmp_path, ".x.readiness-TOOLONG99.tmp"),
    ]
    (tmp_path / ".d.readiness-abcdefgh.tmp").mkdir()
    os.utime(tmp_path / ".d.readiness-abcdefgh.tmp", (OLD, OLD))
    target = tmp_path / "elsewhere.toml"
    target.write_text("x")
    (tmp_path / ".l.readiness-abcdefgh.tmp").symlink_to(target)
    assert files.sweep(tmp_path) == []
    assert all(path.exists() for path in kept)
    assert (tmp_path / ".d.readiness-abcdefgh.tmp").is_dir()
    assert target.exists()


@pytest.mark.skipif(not AS_ROOT, reason="giving a file to another user needs root")
def test_another_user_s_temporary_file_is_left_alone(tmp_path: Path) -> None:
    theirs = leftover(tmp_path, ".inventory.toml.readiness-k3j9x_2a.tmp")
    os.chown(theirs, 4321, 4321)
    os.utime(theirs, (OLD, OLD))
    assert files.sweep(tmp_path) == []
    assert theirs.exists()


# --- what a path is, and how large, before a byte is read -------------------------------------


def test_a_folder_is_refused(tmp_path: Path) -> None:
    assert refusal(tmp_path) == [f"{tmp_path}: is a folder, not a report"]


def test_a_named_pipe_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    started = time.monotonic()
    assert refusal(fifo) == [f"{fifo}: is a named pipe, not a report"]
    assert time.monotonic() - started < 5


def test_a_device_is_refused() -> None:
    assert refusal(Path("/dev/zero")) == ["/dev/zero: is a device, not a report"]


@pytest.fixture
def short_folder() -> Iterator[Path]:
    """A socket's path must be short (108 bytes): tmp_path can be longer."""
    with tempfile.TemporaryDirectory(prefix="r") as name:
        yield Path(name)


def test_a_socket_is_refused(short_folder: Path) -> None:
    path = short_folder / "s"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        assert refusal(path) == [f"{path}: is a socket, not a report"]


def test_a_file_over_the_limit_is_refused_unread(tmp_path: Path) -> None:
    huge = tmp_path / "huge.toml"
    with huge.open("wb") as handle:
        handle.truncate(files.MAX_TOML_BYTES + 1)  # sparse: nothing is really written
    assert files.MAX_TOML_BYTES == 50 * 1024 * 1024
    assert files.MAX_CSV_BYTES == 200 * 1024 * 1024
    assert refusal(huge) == [f"{huge}: is larger than 50 MB; is it the right file?"]


def test_each_kind_of_file_has_its_own_limit(tmp_path: Path) -> None:
    path = tmp_path / "growing.toml"
    path.write_bytes(b"a = 1\n" * (files.MB // 6 + 1))
    assert refusal(path, limit=files.MB) == [f"{path}: is larger than 1 MB; is it the right file?"]


def test_a_link_to_a_regular_file_is_read(tmp_path: Path) -> None:
    target = tmp_path / "real.toml"
    target.write_text("a = 1\n", encoding="utf-8")
    link = tmp_path / "link.toml"
    link.symlink_to(target)
    assert files.read_text(link) == "a = 1\n"


# --- encodings -------------------------------------------------------------------------------


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "answers.toml"
    path.write_bytes(b"\xef\xbb\xbfschema = 1\n")
    assert files.read_toml(path, "answers file") == ("schema = 1\n", {"schema": 1})


@pytest.mark.parametrize(
    ("encoding", "mark"),
    [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"), ("utf-16-le", b"")],
)
def test_utf16_text_is_named(tmp_path: Path, encoding: str, mark: bytes) -> None:
    path = tmp_path / "answers.toml"
    path.write_bytes(mark + "schema = 1\n[trip]\n".encode(encoding))
    assert refusal(path) == [f"{path}: is UTF-16 text; save it as UTF-8"]


def test_a_nul_or_two_in_utf8_text_is_not_taken_for_utf16(tmp_path: Path) -> None:
    path = tmp_path / "answers.toml"
    path.write_bytes(b"schema = 1\n# \x00\nname = 'long enough to be sampled'\n")
    assert files.read_text(path).startswith("schema = 1\n")


# --- a symbolic link is written through ----------------------------------------------------


def test_writing_to_a_link_replaces_its_target_and_keeps_the_link(tmp_path: Path) -> None:
    synced = tmp_path / "Dropbox"
    synced.mkdir()
    target = synced / "inventory.toml"
    target.write_bytes(b"old\n")
    link = tmp_path / "inventory.toml"
    link.symlink_to(target)
    files.write_atomic(link, b"new\n", mode=0o600)
    assert link.is_symlink()
    assert os.readlink(link) == str(target)
    assert target.read_bytes() == b"new\n"
    assert target.stat().st_mode & 0o777 == 0o600
    assert sorted(os.listdir(synced)) == ["inventory.toml"]


def test_a_link_is_never_written_through_without_overwrite(tmp_path: Path) -> None:
    link = tmp_path / "report.toml"
    link.symlink_to(tmp_path / "nowhere.toml")
    with pytest.raises(StateError) as caught:
        files.write_atomic(link, b"new\n", overwrite=False)
    assert str(caught.value) == f"{link}: already exists; use --force to replace it"
    assert not (tmp_path / "nowhere.toml").exists()
