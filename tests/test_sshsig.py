"""SSHSIG: public key text forms, signing and verifying, refusing malformed signatures."""

from __future__ import annotations

import base64
import contextlib
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from signing_helpers import ED, MESSAGE, _b64, string

from readiness.errors import InvalidValue
from readiness.signing import (
    NAMESPACE,
    KeyPair,
    PublicKey,
    SignatureError,
    SignatureInvalid,
    SignatureMalformed,
    sign,
    verify,
)

MALFORMED = "malformed SSH signature: "

BEGIN = "-----BEGIN SSH SIGNATURE-----"

END = "-----END SSH SIGNATURE-----"


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
