"""OpenSSH agrees: ssh-keygen verifies our signatures, and we verify and match as it does."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from signing_helpers import ECDSA, MESSAGE, NOW

from readiness.errors import InputError
from readiness.signing import (
    NAMESPACE,
    KeyPair,
    SignatureInvalid,
    allowed_signers_line,
    keys_for,
    parse_allowed_signers,
    sign,
    verify,
)

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
