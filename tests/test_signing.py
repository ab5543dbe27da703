"""Signatures: the key pair on disk, SSHSIG sign/verify, allowed_signers; and OpenSSH agreeing."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import errno
import os
import re
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readiness.errors import InputError, InvalidValue, Problem, StateError
from readiness.signing import (
    NAMESPACE,
    AllowedSigner,
    KeyPair,
    PublicKey,
    SignatureError,
    SignatureInvalid,
    SignatureMalformed,
    allowed_signers_line,
    keys_for,
    load_or_create,
    parse_allowed_signers,
    principal_matches,
    read_public,
    sign,
    verify,
)

ROOT = Path(__file__).parent.parent
NOW = dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC)
MESSAGE = b"sha256:" + b"0123456789abcdef" * 4
MALFORMED = "malformed SSH signature: "
BEGIN = "-----BEGIN SSH SIGNATURE-----"
END = "-----END SSH SIGNATURE-----"


@pytest.fixture
def pair(readiness_home: Path) -> KeyPair:
    return load_or_create(readiness_home)


def string(data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + data


def armor(blob: bytes) -> str:
    text = base64.b64encode(blob).decode()
    return "\n".join([BEGIN, *re.findall(".{1,70}", text), END]) + "\n"


def dearmor(armored: str) -> bytes:
    return base64.b64decode("".join(armored.strip().splitlines()[1:-1]))


def blob(
    pair: KeyPair,
    *,
    magic: bytes = b"SSHSIG",
    version: int = 1,
    key: bytes | None = None,
    namespace: bytes = NAMESPACE.encode(),
    hash_name: bytes = b"sha512",
    sig_type: bytes = b"ssh-ed25519",
    signature: bytes | None = None,
    message: bytes = MESSAGE,
) -> bytes:
    """A signature blob built field by field, signed properly unless told otherwise."""
    import hashlib

    digest = hashlib.new(hash_name.decode(), message).digest() if hash_name[:3] == b"sha" else b""
    signed = b"SSHSIG" + string(namespace) + string(b"") + string(hash_name) + string(digest)
    sig = pair.private.sign(signed) if signature is None else signature
    return (
        magic
        + version.to_bytes(4, "big")
        + string(pair.public.blob() if key is None else key)
        + string(namespace)
        + string(b"")
        + string(hash_name)
        + string(string(sig_type) + string(sig))
    )


# ------------------------------------------------------------------------ public keys


def test_public_key_text_forms(pair: KeyPair) -> None:
    line = pair.public.openssh()
    assert line.startswith("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI")
    assert PublicKey.parse(line) == pair.public
    assert PublicKey.parse(f"  {line} ada@example.com laptop\n") == pair.public
    assert str(pair.public) == line
    assert re.fullmatch(r"SHA256:[A-Za-z0-9+/]{43}", pair.public.fingerprint())


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


ED = string(b"ssh-ed25519")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no public key given; expected ssh-ed25519 AAAA..."),
        ("ssh-rsa AAAAB3NzaC1yc2E=", "ssh-rsa keys are not supported; only ssh-ed25519 keys are"),
        ("hello world", "not an OpenSSH public key: hello world (expected ssh-ed25519 AAAA...)"),
        (
            "AAAAC3NzaC1lZDI1NTE5",
            "not an OpenSSH public key: AAAAC3NzaC1lZDI1NTE5 (expected ssh-ed25519 AAAA...)",
        ),
        ("ssh-ed25519", "the key data after ssh-ed25519 is missing"),
        ("ssh-ed25519 !!!!", "the key data is not valid base64"),
        ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE", "the key data is not valid base64"),
        ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5", "the key is cut short"),
        ("ssh-ed25519 " + _b64(b"\0\0"), "the key data is cut short"),
        (
            "ssh-ed25519 " + _b64(string(b"ssh-rsa") + string(b"k" * 32)),
            "the key data is for 'ssh-rsa', not ssh-ed25519",
        ),
        (
            "ssh-ed25519 " + _b64(ED + string(b"k" * 31)),
            "the key data holds 31 bytes where an Ed25519 key has 32",
        ),
        (
            "ssh-ed25519 " + _b64(ED + string(b"k" * 32) + b"xx"),
            "the key data has 2 bytes after the key",
        ),
        ("ssh-ed25519 " + _b64(ED + (32).to_bytes(4, "big") + b"k" * 10), "the key is cut short"),
    ],
)
def test_public_key_parse_refusals(text: str, message: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        PublicKey.parse(text)
    assert str(caught.value) == message


def test_public_key_is_32_bytes() -> None:
    with pytest.raises(InvalidValue) as caught:
        PublicKey(b"short")
    assert str(caught.value) == "the key data holds 5 bytes where an Ed25519 key has 32"


@given(st.text(max_size=200))
def test_public_key_parse_raises_only_invalid_value(text: str) -> None:
    with contextlib.suppress(InvalidValue):
        PublicKey.parse(text)


@given(st.binary(max_size=80))
def test_public_key_parse_of_random_blobs(data: bytes) -> None:
    for text in ("ssh-ed25519 " + _b64(data), "ssh-ed25519 " + _b64(ED + data)):
        with contextlib.suppress(InvalidValue):
            PublicKey.parse(text)


# ------------------------------------------------------------------- sign and verify


def test_sign_verify_round_trip(pair: KeyPair) -> None:
    armored = sign(pair, MESSAGE, NAMESPACE)
    lines = armored.split("\n")
    assert lines[0] == BEGIN
    assert lines[-2:] == [END, ""]
    assert all(len(line) <= 70 for line in lines)
    assert len(lines[1]) == 70
    assert verify(armored, MESSAGE, NAMESPACE) == pair.public
    assert sign(pair, MESSAGE, NAMESPACE) == armored  # Ed25519 is deterministic


def test_verify_tolerates_the_whitespace_files_and_toml_add(pair: KeyPair) -> None:
    armored = sign(pair, MESSAGE, NAMESPACE)
    assert verify(armored.strip(), MESSAGE, NAMESPACE) == pair.public
    assert verify(armored.replace("\n", "\r\n"), MESSAGE, NAMESPACE) == pair.public
    assert verify("\n  " + armored + "\n\n", MESSAGE, NAMESPACE) == pair.public


def test_verify_accepts_sha256_as_openssh_does(pair: KeyPair) -> None:
    assert verify(armor(blob(pair, hash_name=b"sha256")), MESSAGE, NAMESPACE) == pair.public


def test_wrong_namespace_is_rejected(pair: KeyPair) -> None:
    armored = sign(pair, MESSAGE, "file")
    with pytest.raises(SignatureInvalid) as caught:
        verify(armored, MESSAGE, NAMESPACE)
    assert str(caught.value) == "the signature is for namespace 'file', not 'readiness-report'"
    assert caught.value.exit_code == 1


def test_changed_message_is_rejected(pair: KeyPair) -> None:
    armored = sign(pair, MESSAGE, NAMESPACE)
    for changed in (MESSAGE + b"\n", MESSAGE[:-1], b"", MESSAGE.upper()):
        with pytest.raises(SignatureInvalid) as caught:
            verify(armored, changed, NAMESPACE)
        assert str(caught.value) == (
            f"the signature by {pair.public.fingerprint()} does not match: "
            "the signed text or the signature was changed"
        )


def test_every_single_byte_flip_is_rejected(pair: KeyPair) -> None:
    good = dearmor(sign(pair, MESSAGE, NAMESPACE))
    assert verify(armor(good), MESSAGE, NAMESPACE) == pair.public
    for index in range(len(good)):
        for mask in (0x01, 0x80, 0xFF):
            flipped = bytearray(good)
            flipped[index] ^= mask
            with pytest.raises(SignatureError):
                verify(armor(bytes(flipped)), MESSAGE, NAMESPACE)


def test_every_truncation_is_malformed(pair: KeyPair) -> None:
    good = dearmor(sign(pair, MESSAGE, NAMESPACE))
    for size in range(len(good)):
        with pytest.raises(SignatureMalformed):
            verify(armor(good[:size]), MESSAGE, NAMESPACE)


def _malformed(pair: KeyPair) -> list[tuple[str, str]]:
    good = sign(pair, MESSAGE, NAMESPACE)
    body = dearmor(good)
    rsa_key = string(b"ssh-rsa") + string(b"\x01\x00\x01") + string(b"\x00" + b"n" * 256)
    return [
        ("", "not an SSH signature: it must start with -----BEGIN SSH SIGNATURE-----"),
        ("hello", "not an SSH signature: it must start with -----BEGIN SSH SIGNATURE-----"),
        (
            good.replace("SSH SIGNATURE", "PGP SIGNATURE", 1),
            "not an SSH signature: it must start with -----BEGIN SSH SIGNATURE-----",
        ),
        (
            good.replace(END, ""),
            "not an SSH signature: the -----END SSH SIGNATURE----- line is missing",
        ),
        (
            good + "extra",
            "malformed SSH signature: text after the -----END SSH SIGNATURE----- line",
        ),
        (f"{BEGIN}\n!!!!\n{END}", "malformed SSH signature: the body is not valid base64"),
        (f"{BEGIN}\nU1NIU0lH=\n{END}", "malformed SSH signature: the body is not valid base64"),
        (f"{BEGIN}\nU1NIU0lH\n{END}", "malformed SSH signature: the version is cut short"),
        (f"{BEGIN}\n{END}", "malformed SSH signature: it does not start with SSHSIG"),
        (armor(b"SSHSIH" + body[6:]), "malformed SSH signature: it does not start with SSHSIG"),
        (armor(blob(pair, version=2)), f"{MALFORMED}version 2 is not supported (only 1)"),
        (armor(blob(pair, version=0)), f"{MALFORMED}version 0 is not supported (only 1)"),
        (armor(body[:8]), "malformed SSH signature: the version is cut short"),
        (armor(body[:30]), "malformed SSH signature: the public key is cut short"),
        (
            armor(blob(pair, key=rsa_key)),
            "malformed SSH signature: the key is of type 'ssh-rsa'; only ssh-ed25519 is supported",
        ),
        (
            armor(blob(pair, hash_name=b"md5")),
            "malformed SSH signature: hash algorithm 'md5' is not supported (only sha256, sha512)",
        ),
        (
            armor(blob(pair, sig_type=b"ssh-rsa")),
            "malformed SSH signature: signature type 'ssh-rsa' is not supported (only ssh-ed25519)",
        ),
        (
            armor(blob(pair, signature=b"s" * 63)),
            "malformed SSH signature: an Ed25519 signature is 64 bytes and nothing else",
        ),
        (
            armor(blob(pair, namespace=b"readiness\0report")),
            "malformed SSH signature: the namespace holds a NUL byte",
        ),
        (armor(body + b"xyz"), "malformed SSH signature: 3 bytes after the signature"),
        (armor(body[:-1]), "malformed SSH signature: the signature is cut short"),
        ("A" * 70_000, "not an SSH signature: far too long to be one"),
    ]


def test_malformed_signatures_say_what_is_wrong(pair: KeyPair) -> None:
    for armored, message in _malformed(pair):
        with pytest.raises(SignatureMalformed) as caught:
            verify(armored, MESSAGE, NAMESPACE)
        assert str(caught.value) == message, armored[:200]
        assert caught.value.exit_code == 1


def test_a_namespace_must_be_given(pair: KeyPair) -> None:
    with pytest.raises(InvalidValue) as caught:
        sign(pair, MESSAGE, "")
    assert str(caught.value) == "a signature namespace must be a non-empty name without NUL"


@given(text=st.text(max_size=400))
def test_verify_of_random_text_raises_only_signature_errors(text: str) -> None:
    for armored in (text, f"{BEGIN}\n{text}\n{END}\n"):
        with pytest.raises(SignatureError):
            verify(armored, MESSAGE, NAMESPACE)


@given(data=st.binary(max_size=400))
def test_verify_of_random_blobs_raises_only_signature_errors(data: bytes) -> None:
    for candidate in (data, b"SSHSIG" + data, b"SSHSIG\0\0\0\x01" + data):
        with pytest.raises(SignatureError):
            verify(armor(candidate), MESSAGE, NAMESPACE)


@given(cut=st.integers(0, 300), insert=st.binary(min_size=1, max_size=8))
def test_verify_of_spliced_signatures_raises_only_signature_errors(cut: int, insert: bytes) -> None:
    pair = KeyPair.generate()
    good = dearmor(sign(pair, MESSAGE, NAMESPACE))
    with pytest.raises(SignatureError):
        verify(armor(good[:cut] + insert + good[cut:]), MESSAGE, NAMESPACE)


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


# ------------------------------------------------------------------- allowed_signers


def _other_key(seed: int) -> PublicKey:
    return PublicKey(bytes([seed]) * 32)


ECDSA = (  # made by ssh-keygen -t ecdsa: real files hold keys of other types too
    "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBBr/aqnUofkIQFXy"
    "0Yi3q2nlvWvciU+sLH0ymArWzs+pVPqDhNYKHNBwLPrxPJnpb3vMQ6Z8hUqXXq74zlt5LZI="
)


def test_parse_a_realistic_file(pair: KeyPair) -> None:
    key = pair.public.openssh()
    text = (
        "# team signers\n"
        "\n"
        f"ada@example.com,ada@home {key} laptop\n"
        f'"Ada Lovelace" namespaces="readiness-report,file" {key}\n'
        f'  *@example.com,!eve@example.com VALID-AFTER="20260101Z",valid-before="20270101" {key}\n'
        f"ops@example.com {ECDSA} yubikey\r\n"
        f"*@example.com cert-authority {key}\n"
    )
    signers = parse_allowed_signers(text, "allowed_signers")
    assert [s.line for s in signers] == [3, 4, 5, 6, 7]
    assert signers[0] == AllowedSigner("ada@example.com,ada@home", "ssh-ed25519", pair.public, 3)
    assert signers[1].principals == "Ada Lovelace"
    assert signers[1].namespaces == "readiness-report,file"
    assert signers[2].valid_after == dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    assert signers[2].valid_before is not None
    assert (signers[3].key_type, signers[3].key) == ("ecdsa-sha2-nistp256", None)
    assert signers[4].cert_authority


def test_every_bad_line_is_reported(pair: KeyPair) -> None:
    key = pair.public.openssh()
    text = "\n".join(
        [
            f"ada {key}",
            "ada",
            f'"Ada Lovelace {key}',
            f'"" {key}',
            f"ada ssh-foo {key[12:]}",
            f"ada foo=1 {key}",
            f"ada namespaces=file {key}",
            f'ada namespaces="a",namespaces="b" {key}',
            f'ada valid-after="2026" {key}',
            f'ada valid-after="20261301" {key}',
            f'ada valid-after="20270101",valid-before="20260101" {key}',
            f"ada cert-authority, {key}",
            'ada namespaces="unclosed ' + key,
            "ada ssh-ed25519",
            "ada ssh-ed25519 %%%%",
            "ada ssh-ed25519 " + _b64(string(b"ssh-rsa") + string(b"k" * 32)),
            "ada ssh-ed25519 " + _b64(ED + string(b"k" * 30)),
            f"ada {ECDSA[:40]}",
            f"ada\0 {key}",
            "ada cert-authority",
        ]
    )
    with pytest.raises(InputError) as caught:
        parse_allowed_signers(text, "signers")
    assert caught.value.lines() == [
        "signers: line 2: no key after the principals",
        "signers: line 3: a quote in the principals is not closed",
        "signers: line 4: no principals (names) before the key",
        "signers: line 5: 'ssh-foo' is not a key type OpenSSH knows (such as ssh-ed25519)",
        "signers: line 6: unknown option 'foo=1'",
        'signers: line 7: the value of "namespaces" must be in double quotes',
        'signers: line 8: "namespaces" is given twice',
        "signers: line 9: \"valid-after\" is not a time: '2026' (expected YYYYMMDD[HHMM[SS]][Z])",
        "signers: line 10: \"valid-after\" is not a time: '20261301' (expected "
        "YYYYMMDD[HHMM[SS]][Z])",
        'signers: line 11: "valid-before" is not later than "valid-after"',
        "signers: line 12: the options end with a comma",
        "signers: line 13: a quote in the options is not closed",
        "signers: line 14: the ssh-ed25519 key's data is missing",
        "signers: line 15: the key data is not valid base64",
        "signers: line 16: the key data is for 'ssh-rsa', not ssh-ed25519",
        "signers: line 17: the key data holds 30 bytes where an Ed25519 key has 32",
        "signers: line 18: the key data is cut short",
        "signers: line 19: holds a NUL character",
        "signers: line 20: no key after the options",
    ]
    assert caught.value.problems[0] == Problem("signers", "line 2", "no key after the principals")


@given(st.text(max_size=300))
def test_parse_allowed_signers_raises_only_input_error(text: str) -> None:
    with contextlib.suppress(InputError):
        parse_allowed_signers(text, "x")


@given(st.lists(st.sampled_from(['"', " ", ",", "=", "a", "!", "\\", "\t", "#", "Z"]), max_size=20))
def test_parse_allowed_signers_of_near_misses(parts: list[str]) -> None:
    line = "".join(parts)
    for text in (f"{line} {_other_key(1).openssh()}", f"ada {line} ssh-ed25519 {line}"):
        with contextlib.suppress(InputError):
            parse_allowed_signers(text, "x")


@pytest.mark.parametrize(
    ("patterns", "name", "expected"),
    [
        ("ada", "ada", True),
        ("ada", "Ada", False),  # case matters, as in OpenSSH
        ("ada", "adam", False),
        ("*", "", True),
        ("", "", False),
        ("a,", "", False),  # a trailing comma adds no empty pattern
        (",a", "", True),  # a leading one does
        ("*@example.com", "ada@example.com", True),
        ("*@example.com", "ada@example.org", False),
        ("*@example.com,!eve@example.com", "eve@example.com", False),
        ("!eve@example.com,*@example.com", "eve@example.com", False),
        ("!eve@example.com", "ada@example.com", False),  # a negation alone matches nothing
        ("a?a", "ada", True),
        ("a?a", "aa", False),
        ("Zo?", "Zoë", False),  # ? is one byte; ë is two in UTF-8
        ("Zo??", "Zoë", True),
        ("**a*", "banana", True),
        ("Ada Lovelace", "Ada Lovelace", True),
        ("x" * 1022, "x" * 1022, True),
        ("x" * 1023, "x" * 1023, False),  # OpenSSH gives up on patterns this long
        ("ada," + "x" * 1023, "ada", False),
    ],
)
def test_principal_matches(patterns: str, name: str, expected: bool) -> None:
    assert principal_matches(patterns, name) is expected


def _reference(patterns: str, name: str) -> bool:
    """match_pattern_list as its comment describes it, with regular expressions."""
    listed = patterns.encode()
    items = listed.split(b",")
    if listed.endswith(b","):
        items.pop()
    verdicts = []
    for item in items if listed else []:
        negated, body = item.startswith(b"!"), item.removeprefix(b"!")
        regex = b"".join(
            b".*" if c == ord("*") else b"." if c == ord("?") else re.escape(bytes([c]))
            for c in body
        )
        if re.fullmatch(regex, name.encode(), re.DOTALL):
            verdicts.append(not negated)
    return bool(verdicts) and all(verdicts)


@given(
    st.text(alphabet="ab*?!,é", max_size=14),
    st.text(alphabet="ab*?!,é", max_size=8),
)
def test_principal_matches_agrees_with_a_regex_reference(patterns: str, name: str) -> None:
    assert principal_matches(patterns, name) is _reference(patterns, name)


def test_keys_for(pair: KeyPair) -> None:
    other, third = _other_key(1), _other_key(2)
    text = (
        f"ada@example.com {pair.public.openssh()}\n"
        f'*@example.com,!eve@example.com namespaces="file" {other.openssh()}\n'
        f'ada@example.com valid-after="20270101Z" {third.openssh()}\n'
        f'ada@example.com valid-before="20260101Z" {third.openssh()}\n'
        f"ada@example.com cert-authority {third.openssh()}\n"
        f"ada@example.com {ECDSA}\n"
        f"ada@example.com {pair.public.openssh()}\n"
    )
    signers = parse_allowed_signers(text, "x")
    assert keys_for(signers, "ada@example.com", NAMESPACE, NOW) == [pair.public]
    assert keys_for(signers, "ada@example.com", "file", NOW) == [pair.public, other]
    assert keys_for(signers, "eve@example.com", "file", NOW) == []
    assert keys_for(signers, "bob@example.com", "file", NOW) == [other]
    later = dt.datetime(2027, 6, 1, tzinfo=dt.UTC)
    assert keys_for(signers, "ada@example.com", NAMESPACE, later) == [pair.public, third]
    earlier = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    assert keys_for(signers, "ada@example.com", NAMESPACE, earlier) == [pair.public, third]
    with pytest.raises(InvalidValue) as caught:
        keys_for(signers, "ada@example.com", NAMESPACE, dt.datetime(2026, 1, 1))
    assert str(caught.value) == "the time to check keys at must carry a time zone"


def test_validity_bounds_are_inclusive_whole_seconds(pair: KeyPair) -> None:
    stamp = NOW.strftime("%Y%m%d%H%M%SZ")
    bounded = f'ada valid-before="{stamp}" {pair.public.openssh()}'
    (signer,) = parse_allowed_signers(bounded, "x")
    assert keys_for([signer], "ada", NAMESPACE, NOW.replace(microsecond=999_999)) == [pair.public]
    assert keys_for([signer], "ada", NAMESPACE, NOW + dt.timedelta(seconds=1)) == []
    (signer,) = parse_allowed_signers(f'ada valid-after="{stamp}" {pair.public.openssh()}', "x")
    assert keys_for([signer], "ada", NAMESPACE, NOW) == [pair.public]
    assert keys_for([signer], "ada", NAMESPACE, NOW - dt.timedelta(microseconds=1)) == []


def test_times_without_z_are_local_time(pair: KeyPair) -> None:
    old = os.environ.get("TZ")
    os.environ["TZ"] = "JST-9"  # POSIX for UTC+9
    time.tzset()
    try:
        times = 'valid-after="202601011200",valid-before="20260102000000UTC"'
        line = f"ada {times} {pair.public.openssh()}"
        (signer,) = parse_allowed_signers(line, "x")
    finally:
        if old is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = old
        time.tzset()
    assert signer.valid_after == dt.datetime(2026, 1, 1, 3, tzinfo=dt.UTC)
    assert signer.valid_before == dt.datetime(2026, 1, 2, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("name", "principal"),
    [
        ("ada@example.com", "ada@example.com"),
        ("Ada Lovelace", '"Ada Lovelace"'),
        ("#hash", '"#hash"'),
        ("O'Brien", '"O\'Brien"'),
        ("Zoë Ñúñez", '"Zoë Ñúñez"'),
        ("a=b", '"a=b"'),
        ("back\\slash", '"back\\slash"'),
        ("x+tag@host-1.example", "x+tag@host-1.example"),
    ],
)
def test_allowed_signers_line(pair: KeyPair, name: str, principal: str) -> None:
    line = allowed_signers_line(name, pair.public)
    assert line == f'{principal} namespaces="readiness-report" {pair.public.openssh()}'
    (signer,) = parse_allowed_signers(line, "x")
    assert signer.principals == name
    assert keys_for([signer], name, NAMESPACE, NOW) == [pair.public]
    assert keys_for([signer], name, "file", NOW) == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "a signer's name cannot be empty"),
        ('Ada "the Countess"', 'Ada "the Countess": a signer\'s name cannot hold a double quote'),
        ("Ada\nLovelace", "Ada\\nLovelace: a signer's name must be one line of text"),
        (
            "Lovelace, Ada",
            "Lovelace, Ada: a signer's name cannot hold a comma (OpenSSH reads it "
            "as a list of names)",
        ),
        ("Ada*", "Ada*: a signer's name cannot hold * (a wildcard in OpenSSH)"),
        ("Ada?", "Ada?: a signer's name cannot hold ? (a wildcard in OpenSSH)"),
        ("!ada", "!ada: a signer's name cannot start with ! (OpenSSH: not)"),
        ("x" * 1023, "x" * 40 + "…: a signer's name is too long for OpenSSH"),
    ],
)
def test_allowed_signers_line_refusals(pair: KeyPair, name: str, message: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        allowed_signers_line(name, pair.public)
    assert str(caught.value) == message


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


# ------------------------------------------------------------------- OpenSSH agrees


@pytest.fixture(scope="session")
def ssh_keygen(tmp_path_factory: pytest.TempPathFactory) -> str:
    """ssh-keygen that can sign (OpenSSH 8.1 or later), or skip saying why not."""
    found = shutil.which("ssh-keygen")
    if found is None:
        pytest.skip("ssh-keygen is not installed (apt-get install openssh-client)")
    probe = tmp_path_factory.mktemp("probe")
    key, message = probe / "key", probe / "message"
    message.write_bytes(b"probe")
    made = subprocess.run(
        [found, "-q", "-t", "ed25519", "-N", "", "-C", "", "-f", str(key)],
        capture_output=True,
        check=False,
    )
    signed = subprocess.run(
        [found, "-Y", "sign", "-f", str(key), "-n", "probe", str(message)],
        capture_output=True,
        check=False,
    )
    if made.returncode or signed.returncode:
        pytest.skip(f"ssh-keygen is older than OpenSSH 8.1 (no -Y sign): {signed.stderr!r}")
    return found


def _openssh_verify(
    ssh_keygen: str, folder: Path, allowed: str, name: str, signature: str, message: bytes
) -> subprocess.CompletedProcess[bytes]:
    (folder / "allowed_signers").write_text(allowed)
    (folder / "message.sig").write_text(signature)
    return subprocess.run(
        [
            ssh_keygen,
            "-Y",
            "verify",
            "-f",
            str(folder / "allowed_signers"),
            "-I",
            name,
            "-n",
            NAMESPACE,
            "-s",
            str(folder / "message.sig"),
        ],
        input=message,
        capture_output=True,
        check=False,
    )


NAMES = ["Ada Lovelace", "ada@example.com", "#hash", "O'Brien", "Zoë Ñúñez", "a=b", "back\\slash"]


@pytest.mark.parametrize("name", NAMES)
def test_openssh_verifies_our_signature(
    ssh_keygen: str, pair: KeyPair, tmp_path: Path, name: str
) -> None:
    signature = sign(pair, MESSAGE, NAMESPACE)
    allowed = f"# written by readiness\n{allowed_signers_line(name, pair.public)}\n"
    done = _openssh_verify(ssh_keygen, tmp_path, allowed, name, signature, MESSAGE)
    assert done.returncode == 0, done.stderr
    assert f'Good "readiness-report" signature for {name}'.encode() in done.stdout
    tampered = _openssh_verify(ssh_keygen, tmp_path, allowed, name, signature, MESSAGE + b"!")
    assert tampered.returncode != 0
    stranger = _openssh_verify(ssh_keygen, tmp_path, allowed, name + "x", signature, MESSAGE)
    assert stranger.returncode != 0


def test_we_verify_what_openssh_signs_with_our_key_file(
    ssh_keygen: str, pair: KeyPair, readiness_home: Path, tmp_path: Path
) -> None:
    message = tmp_path / "message"
    message.write_bytes(MESSAGE)
    done = subprocess.run(
        [
            ssh_keygen,
            "-Y",
            "sign",
            "-f",
            str(readiness_home / "signing_ed25519"),
            "-n",
            NAMESPACE,
            str(message),
        ],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    theirs = (tmp_path / "message.sig").read_text()
    assert verify(theirs, MESSAGE, NAMESPACE) == pair.public
    assert theirs == sign(pair, MESSAGE, NAMESPACE)  # byte for byte, wrapping included
    with pytest.raises(SignatureInvalid):
        verify(theirs, MESSAGE + b"!", NAMESPACE)


def test_openssh_prints_the_same_fingerprint(
    ssh_keygen: str, pair: KeyPair, readiness_home: Path
) -> None:
    for name in ("signing_ed25519.pub", "signing_ed25519"):
        done = subprocess.run(
            [ssh_keygen, "-lf", str(readiness_home / name)],
            capture_output=True,
            text=True,
            check=True,
        )
        assert done.stdout.split()[1] == pair.public.fingerprint()
        assert done.stdout.split()[0] == "256"


PATTERN_CASES = [
    ("ada@example.com", "ada@example.com"),
    ("ada@example.com", "Ada@example.com"),
    ("*@example.com", "bob@example.com"),
    ("*@example.com,!eve@example.com", "eve@example.com"),
    ("*@example.com,!eve@example.com", "ada@example.com"),
    ("!eve@example.com", "ada@example.com"),
    ("a?a,b*", "ada"),
    ("a?a,b*", "bob"),
    ("a?a,b*", "cat"),
    ('"Ada Lovelace,ada"', "Ada Lovelace"),
    ('"Ada Lovelace,ada"', "ada"),
    ('"Ada *"', "Ada Lovelace"),
    ("Zo?", "Zoë"),
    ("Zo??", "Zoë"),
    ('x"a b"', "xa b"),  # a quote may start mid-field; OpenSSH drops it
]


@pytest.mark.parametrize(("patterns", "name"), PATTERN_CASES)
def test_principal_matching_agrees_with_openssh(
    ssh_keygen: str, pair: KeyPair, tmp_path: Path, patterns: str, name: str
) -> None:
    allowed = f"{patterns} {pair.public.openssh()}\n"
    signers = parse_allowed_signers(allowed, "x")
    ours = keys_for(signers, name, NAMESPACE, NOW) == [pair.public]
    signature = sign(pair, MESSAGE, NAMESPACE)
    done = _openssh_verify(ssh_keygen, tmp_path, allowed, name, signature, MESSAGE)
    assert (done.returncode == 0) is ours, done.stderr
    found = subprocess.run(
        [
            ssh_keygen,
            "-Y",
            "find-principals",
            "-f",
            str(tmp_path / "allowed_signers"),
            "-s",
            str(tmp_path / "message.sig"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert found.stdout.splitlines() == signers[0].principals.split(",")  # one per line


@pytest.mark.parametrize(
    "line",
    [
        '"Ada Lovelace",ada KEY',  # after a closing quote the field has ended
        'ada"x y"z KEY',
        "ada foo=1 KEY",
        "ada namespaces=readiness-report KEY",
        'ada valid-after="2026" KEY',
        'ada valid-after="20270101",valid-before="20260101" KEY',
        "ada cert-authority, KEY",
        'ada namespaces="a",namespaces="b" KEY',
    ],
)
def test_lines_we_refuse_openssh_refuses_too(
    ssh_keygen: str, pair: KeyPair, tmp_path: Path, line: str
) -> None:
    allowed = line.replace("KEY", pair.public.openssh()) + "\n"
    with pytest.raises(InputError):
        parse_allowed_signers(allowed, "x")
    signature = sign(pair, MESSAGE, NAMESPACE)
    for name in ("ada", "Ada Lovelace"):
        done = _openssh_verify(ssh_keygen, tmp_path, allowed, name, signature, MESSAGE)
        assert done.returncode != 0, (name, done.stdout)


def test_options_agree_with_openssh(ssh_keygen: str, pair: KeyPair, tmp_path: Path) -> None:
    key = pair.public.openssh()
    now = dt.datetime.now(dt.UTC)
    lines = [
        f'ada namespaces="file,git" {key}',
        f'ada namespaces="readiness-*" {key}',
        f'ada valid-after="20990101" {key}',
        f'ada valid-before="20000101Z" {key}',
        f'ada VALID-AFTER="20000101",Valid-Before="20990101Z" {key}',
        f"ada cert-authority {key}",
        f"ada {ECDSA} comment\nada,bob {key}",
    ]
    signature = sign(pair, MESSAGE, NAMESPACE)
    for line in lines:
        ours = keys_for(parse_allowed_signers(line, "x"), "ada", NAMESPACE, now) == [pair.public]
        done = _openssh_verify(ssh_keygen, tmp_path, line + "\n", "ada", signature, MESSAGE)
        assert (done.returncode == 0) is ours, (line, done.stderr)
