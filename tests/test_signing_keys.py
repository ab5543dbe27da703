"""The key pair on disk: made once, kept private, refused when damaged or exposed."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from readiness.errors import StateError
from readiness.signing import KeyPair, PublicKey, load_or_create, read_public

ROOT = Path(__file__).parent.parent


# ------------------------------------------------------------------ the key on disk


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.mark.usefixtures("umask")
@pytest.mark.parametrize("mask", [0o022, 0o000, 0o077])
def test_key_is_made_private_whatever_the_umask(tmp_path: Path, mask: int) -> None:
    os.umask(mask)
    home = tmp_path / "new" / "state"
    pair = load_or_create(home)
    assert _mode(home / "signing_ed25519") == 0o600
    assert _mode(home) == 0o700
    assert _mode(tmp_path / "new") == 0o700
    public = (home / "signing_ed25519.pub").read_text()
    assert public == pair.public.openssh() + " readiness\n"
    private = (home / "signing_ed25519").read_bytes()
    assert private.startswith(b"-----BEGIN OPENSSH PRIVATE KEY-----\n")
    assert sorted(p.name for p in home.iterdir()) == ["signing_ed25519", "signing_ed25519.pub"]


def test_key_is_made_once_and_kept(readiness_home: Path) -> None:
    first = load_or_create(readiness_home)
    again = load_or_create(readiness_home)
    assert again.public == first.public
    assert read_public(readiness_home) == first.public


def test_read_public_never_creates(tmp_path: Path) -> None:
    assert read_public(tmp_path / "absent") is None
    assert not (tmp_path / "absent").exists()
    assert read_public(tmp_path) is None
    assert list(tmp_path.iterdir()) == []


def test_a_missing_public_file_is_written_again(readiness_home: Path) -> None:
    pair = load_or_create(readiness_home)
    (readiness_home / "signing_ed25519.pub").unlink()
    load_or_create(readiness_home)
    line = (readiness_home / "signing_ed25519.pub").read_text()
    assert PublicKey.parse(line) == pair.public


def test_refuses_a_key_others_can_read(readiness_home: Path) -> None:
    load_or_create(readiness_home)
    key = readiness_home / "signing_ed25519"
    for mode in (0o644, 0o640, 0o620, 0o602):
        key.chmod(mode)
        for action in (load_or_create, read_public):
            with pytest.raises(StateError) as caught:
                action(readiness_home)
            assert str(caught.value) == (
                f"{key}: the signing key can be read or changed by other users "
                f"(mode {mode:04o}); run: chmod 600 {key}"
            )


def test_refuses_a_symlinked_key(readiness_home: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    load_or_create(elsewhere)
    key = readiness_home / "signing_ed25519"
    key.symlink_to(elsewhere / "signing_ed25519")
    for action in (load_or_create, read_public):
        with pytest.raises(StateError) as caught:
            action(readiness_home)
        assert str(caught.value) == (
            f"{key}: the signing key is a symbolic link, which readiness does not follow; "
            "replace the link with the key file itself"
        )


def test_refuses_a_key_that_is_not_a_file(readiness_home: Path) -> None:
    (readiness_home / "signing_ed25519").mkdir(mode=0o700)
    with pytest.raises(StateError) as caught:
        load_or_create(readiness_home)
    assert str(caught.value) == (
        f"{readiness_home / 'signing_ed25519'}: the signing key is not a regular file; "
        "move it aside"
    )


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o702])
def test_refuses_a_folder_others_can_write(readiness_home: Path, mode: int) -> None:
    load_or_create(readiness_home)
    readiness_home.chmod(mode)
    try:
        for action in (load_or_create, read_public):
            with pytest.raises(StateError) as caught:
                action(readiness_home)
            assert str(caught.value) == (
                f"{readiness_home}: other users can change the state folder; "
                f"make it private with `chmod 700 {readiness_home}`"
            )
    finally:
        readiness_home.chmod(0o700)


def test_refuses_a_state_folder_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "state").write_text("")
    with pytest.raises(StateError) as caught:
        load_or_create(tmp_path / "state")
    assert str(caught.value) == f"{tmp_path / 'state'}: state folder is not a folder"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown")
def test_refuses_things_owned_by_another_user(readiness_home: Path) -> None:
    load_or_create(readiness_home)
    key = readiness_home / "signing_ed25519"
    os.chown(key, 65534, 65534)
    with pytest.raises(StateError) as caught:
        load_or_create(readiness_home)
    assert str(caught.value) == (
        f"{key}: the signing key belongs to another user (uid 65534); "
        f"move it aside (mv {key} {key}.other) and a new key will be made"
    )
    os.chown(key, 0, 0)
    os.chown(readiness_home, 65534, 65534)
    with pytest.raises(StateError) as caught:
        read_public(readiness_home)
    assert str(caught.value) == (
        f"{readiness_home}: the state folder belongs to another user (uid 65534); "
        "set READINESS_HOME to a folder of your own"
    )


def _damaged(key: Path, reason: str) -> str:
    return (
        f"{key}: the signing key is damaged ({reason}); move it aside "
        f"(mv {key} {key}.damaged) and a new key will be made on the next run; "
        "reports signed with the old key can still be verified by anyone with its public key"
    )


def test_after_a_crash_an_empty_key_is_called_damaged(readiness_home: Path) -> None:
    key = readiness_home / "signing_ed25519"
    leftover = readiness_home / ".signing_ed25519.k2j4h5.tmp"
    leftover.write_bytes(b"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNz")
    key.touch(mode=0o600)
    os.utime(key, (time.time() - 60, time.time() - 60))  # the crash was a while ago
    for action in (load_or_create, read_public):
        with pytest.raises(StateError) as caught:
            action(readiness_home)
        assert str(caught.value) == _damaged(key, "the file is empty")
    key.rename(readiness_home / "signing_ed25519.damaged")  # the advice works
    assert read_public(readiness_home) is None
    assert load_or_create(readiness_home).public == read_public(readiness_home)


def test_a_truncated_or_garbled_key_is_called_damaged(readiness_home: Path) -> None:
    key = readiness_home / "signing_ed25519"
    whole = load_or_create(readiness_home)
    good = key.read_bytes()
    for data in (
        good[: len(good) // 2],
        good[:40],
        b"SECRET not a key\n",
        good.replace(b"b", b"c"),
    ):
        key.write_bytes(data)
        with pytest.raises(StateError) as caught:
            load_or_create(readiness_home)
        assert str(caught.value) == _damaged(key, "not a whole OpenSSH private key")
        assert "SECRET" not in str(caught.value)
    key.write_bytes(good)
    assert load_or_create(readiness_home).public == whole.public


def test_a_key_of_another_type_is_refused(readiness_home: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    other = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.OpenSSH,
        serialization.NoEncryption(),
    )
    key = readiness_home / "signing_ed25519"
    key.write_bytes(other)
    key.chmod(0o600)
    with pytest.raises(StateError) as caught:
        load_or_create(readiness_home)
    assert str(caught.value) == _damaged(key, "not an Ed25519 key")


def test_the_private_key_never_shows(pair: KeyPair, readiness_home: Path) -> None:
    secret = (readiness_home / "signing_ed25519").read_text()
    body = "".join(secret.splitlines()[1:-1])
    for shown in (repr(pair), str(pair), f"{pair!r}"):
        assert shown == f"KeyPair(public={pair.public.fingerprint()})"
        assert body[:20] not in shown


def test_creation_falls_back_when_hard_links_are_unsupported(
    readiness_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(src: object, dst: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    pair = load_or_create(readiness_home)
    assert _mode(readiness_home / "signing_ed25519") == 0o600
    assert read_public(readiness_home) == pair.public
    assert not list(readiness_home.glob(".signing_ed25519.*.tmp"))


def test_when_another_run_made_the_key_first_its_key_is_used(
    readiness_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    theirs = load_or_create(tmp_path / "theirs")
    real_link = os.link

    def lose_the_race(src: str, dst: str) -> None:
        shutil.copy2(tmp_path / "theirs" / "signing_ed25519", dst)
        real_link(src, dst)  # raises FileExistsError, as it would

    monkeypatch.setattr(os, "link", lose_the_race)
    assert load_or_create(readiness_home).public == theirs.public
    assert PublicKey.parse((readiness_home / "signing_ed25519.pub").read_text()) == theirs.public
    assert not list(readiness_home.glob(".signing_ed25519.*.tmp"))


def test_a_failed_write_leaves_no_key_and_no_temporary_file(
    readiness_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(StateError) as caught:
        load_or_create(readiness_home)
    key = readiness_home / "signing_ed25519"
    assert str(caught.value) == f"{key}: cannot create the signing key: No space left on device"
    assert list(readiness_home.iterdir()) == []


RACE = """
import sys, time
from pathlib import Path
import cryptography.hazmat.primitives.serialization
from readiness.signing import load_or_create
home, go = Path(sys.argv[1]), Path(sys.argv[2])
Path(sys.argv[3]).touch()
while not go.exists():
    time.sleep(0.0005)
print(load_or_create(home).public.fingerprint())
"""


def test_simultaneous_first_runs_end_with_one_key(tmp_path: Path) -> None:
    home, go = tmp_path / "home", tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = 8
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", RACE, str(home), str(go), str(tmp_path / f"ready{i}")],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(runs)
    ]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("ready*"))) < runs and time.monotonic() < deadline:
        time.sleep(0.01)
    go.touch()
    printed = set()
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        printed.add(out.strip())
    assert printed == {load_or_create(home).public.fingerprint()}
    assert sorted(p.name for p in home.iterdir()) == ["signing_ed25519", "signing_ed25519.pub"]


def test_the_module_loads_without_cryptography() -> None:
    code = (
        "import sys, readiness.signing\n"
        "print(any(m.startswith('cryptography') for m in sys.modules))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.strip() == "False"
