"""Reading TOML and writing files atomically: located syntax errors, no half-written file."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from readiness import files
from readiness.errors import InputError, StateError

# --- write_atomic -----------------------------------------------------------------------


def test_write_atomic_writes_the_bytes_with_the_mode(tmp_path: Path) -> None:
    path = tmp_path / "out.toml"
    files.write_atomic(path, b"a = 1\n", mode=0o600)
    assert path.read_bytes() == b"a = 1\n"
    assert path.stat().st_mode & 0o777 == 0o600
    assert os.listdir(tmp_path) == ["out.toml"]


def test_write_atomic_replaces_by_default(tmp_path: Path) -> None:
    path = tmp_path / "out.toml"
    path.write_bytes(b"old")
    files.write_atomic(path, b"new")
    assert path.read_bytes() == b"new"
    assert os.listdir(tmp_path) == ["out.toml"]


def test_write_atomic_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "out.toml"
    path.write_bytes(b"old")
    with pytest.raises(StateError) as caught:
        files.write_atomic(path, b"new", overwrite=False)
    assert str(caught.value) == f"{path}: already exists; use --force to replace it"
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["out.toml"]


def test_write_atomic_without_overwrite_writes_a_new_file(tmp_path: Path) -> None:
    path = tmp_path / "out.toml"
    files.write_atomic(path, b"new", overwrite=False)
    assert path.read_bytes() == b"new"
    assert os.listdir(tmp_path) == ["out.toml"]


def test_write_atomic_loses_the_race_without_overwriting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file appears between the existence check and the link: still no overwrite."""
    path = tmp_path / "out.toml"
    real_link = os.link

    def racing_link(src: str | Path, dst: str | Path) -> None:
        Path(dst).write_bytes(b"theirs")
        real_link(src, dst)

    monkeypatch.setattr(os, "link", racing_link)
    with pytest.raises(StateError, match="already exists"):
        files.write_atomic(path, b"mine", overwrite=False)
    assert path.read_bytes() == b"theirs"
    assert os.listdir(tmp_path) == ["out.toml"]


def no_hard_links(monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    """A filesystem such as FAT or exFAT, where link() is refused."""

    def link(src: str | Path, dst: str | Path) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "link", link)


@pytest.mark.parametrize("code", [errno.EPERM, errno.EOPNOTSUPP, errno.ENOSYS])
def test_a_new_file_is_written_where_there_are_no_hard_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    no_hard_links(monkeypatch, code)
    path = tmp_path / "out.toml"
    files.write_atomic(path, b"new", mode=0o600, overwrite=False)
    assert path.read_bytes() == b"new"
    assert path.stat().st_mode & 0o777 == 0o600
    assert os.listdir(tmp_path) == ["out.toml"]
    with pytest.raises(StateError, match="already exists"):
        files.write_atomic(path, b"again", overwrite=False)
    assert path.read_bytes() == b"new"
    assert os.listdir(tmp_path) == ["out.toml"]


def test_without_hard_links_a_failed_rename_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_hard_links(monkeypatch, errno.EPERM)

    def failing_replace(src: str | Path, dst: str | Path) -> None:
        assert Path(dst).read_bytes() == b""  # the claimed name, still empty
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "replace", failing_replace)
    path = tmp_path / "out.toml"
    with pytest.raises(StateError, match="cannot write: Input/output error"):
        files.write_atomic(path, b"new", overwrite=False)
    assert os.listdir(tmp_path) == []


def test_a_link_refused_for_another_reason_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_hard_links(monkeypatch, errno.EIO)
    path = tmp_path / "out.toml"
    with pytest.raises(StateError, match="cannot write: Input/output error"):
        files.write_atomic(path, b"new", overwrite=False)
    assert os.listdir(tmp_path) == []


def test_pieces_are_written_in_order(tmp_path: Path) -> None:
    path = tmp_path / "out.toml"
    files.write_atomic(path, (piece for piece in (b"a = 1\n", b"b = 2\n")), overwrite=False)
    assert path.read_bytes() == b"a = 1\nb = 2\n"


def test_a_piece_that_fails_leaves_no_temp_file_and_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "out.toml"
    path.write_bytes(b"old")

    def pieces() -> Iterator[bytes]:
        yield b"a = 1\n"
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        files.write_atomic(path, pieces())
    assert os.listdir(tmp_path) == ["out.toml"]
    assert path.read_bytes() == b"old"


def test_failed_rename_leaves_no_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "out.toml"
    path.write_bytes(b"old")

    def failing_replace(src: str | Path, dst: str | Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(StateError) as caught:
        files.write_atomic(path, b"new")
    assert str(caught.value) == f"{path}: cannot write: No space left on device"
    assert os.listdir(tmp_path) == ["out.toml"]
    assert path.read_bytes() == b"old"


def test_failed_write_leaves_no_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "out.toml"

    def failing_fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(StateError, match="cannot write: Input/output error"):
        files.write_atomic(path, b"new")
    assert os.listdir(tmp_path) == []


def test_write_atomic_into_a_missing_folder(tmp_path: Path) -> None:
    path = tmp_path / "nope" / "out.toml"
    with pytest.raises(StateError) as caught:
        files.write_atomic(path, b"x")
    assert str(caught.value) == f"{tmp_path / 'nope'}: no such folder"


def test_write_atomic_onto_a_folder(tmp_path: Path) -> None:
    with pytest.raises(StateError, match="is a folder; give a file name"):
        files.write_atomic(tmp_path, b"x")


def test_write_atomic_relative_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    files.write_atomic(Path("plain.toml"), b"x = 1\n", overwrite=False)
    assert (tmp_path / "plain.toml").read_bytes() == b"x = 1\n"
    assert os.listdir(tmp_path) == ["plain.toml"]


# --- parse and read ---------------------------------------------------------------------------


def test_parse_toml_locates_a_syntax_error() -> None:
    with pytest.raises(InputError) as caught:
        files.parse_toml('a = 1\nb = "open\n', "f.toml")
    assert caught.value.lines() == ["f.toml: line 2, column 10: illegal character '\\n'"]


def test_parse_toml_error_at_end_of_file() -> None:
    with pytest.raises(InputError) as caught:
        files.parse_toml("a = [1,\n", "f.toml")
    assert caught.value.lines() == ["f.toml: end of file: invalid value"]


def test_parse_toml_duplicate_key() -> None:
    with pytest.raises(InputError) as caught:
        files.parse_toml("a = 1\na = 2\n", "f.toml")
    assert caught.value.lines() == ["f.toml: line 2, column 6: cannot overwrite a value"]


def test_parse_toml_deep_nesting_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"^f\.toml"):
        files.parse_toml("a = " + "[" * 100_000 + "]" * 100_000, "f.toml")


def test_read_text_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "f.toml"
    path.write_bytes(b"a = 1\nb = 2\nc = '\xe9'\n")
    with pytest.raises(InputError) as caught:
        files.read_text(path)
    assert caught.value.lines() == [f"{path}: line 3: is not UTF-8 text"]


def test_read_toml_returns_text_and_document(tmp_path: Path) -> None:
    path = tmp_path / "f.toml"
    path.write_text("a = 1\n", encoding="utf-8")
    assert files.read_toml(path) == ("a = 1\n", {"a": 1})
