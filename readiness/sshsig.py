"""SSH signatures as OpenSSH makes them (``ssh-keygen -Y sign``), with Ed25519 keys.

The wire format: public keys, the armored SSHSIG signature and its checks;
and OpenSSH's pattern lists, which allowed_signers files use. Keys on disk and
trust (allowed_signers) live in ``signing``, which re-exports what callers
need. Written against OpenSSH's PROTOCOL.sshsig, sshsig.c and match.c;
``tests/test_signing.py`` checks the result against ssh-keygen.

``cryptography`` is imported only inside the functions that sign or verify:
a run that never touches a signature does not pay for loading it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from readiness.errors import InvalidValue, ReadinessError, shown

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

NAMESPACE = "readiness-report"
KEY_TYPE = "ssh-ed25519"

_MAGIC = b"SSHSIG"
_VERSION = 1
_HASHES = {b"sha256": hashlib.sha256, b"sha512": hashlib.sha512}  # what OpenSSH accepts
_SIGN_HASH = b"sha512"  # what ssh-keygen signs with
_BEGIN = "-----BEGIN SSH SIGNATURE-----"
_END = "-----END SSH SIGNATURE-----"
# PROTOCOL.sshsig says "SHOULD be broken up every 76 characters", but OpenSSH itself
# (sshbuf_dtob64) and the example in that document wrap at 70: we write what it writes.
_WRAP = 70
_MAX_ARMORED = 64 * 1024  # an Ed25519 signature is about 300 characters
_ED25519_KEY_BYTES = 32
_ED25519_SIG_BYTES = 64
_ARMOR_SPACE = re.compile(r"[ \t\r\n]+")

# Key type names OpenSSH reads in key lines (sshkey.c); only ssh-ed25519 is used here.
KNOWN_KEY_TYPES = frozenset(
    {
        "ssh-ed25519",
        "sk-ssh-ed25519@openssh.com",
        "ssh-rsa",
        "ssh-dss",
        "ecdsa-sha2-nistp256",
        "ecdsa-sha2-nistp384",
        "ecdsa-sha2-nistp521",
        "sk-ecdsa-sha2-nistp256@openssh.com",
        "ssh-xmss@openssh.com",
        "ssh-ed25519-cert-v01@openssh.com",
        "sk-ssh-ed25519-cert-v01@openssh.com",
        "ssh-rsa-cert-v01@openssh.com",
        "ssh-dss-cert-v01@openssh.com",
        "ecdsa-sha2-nistp256-cert-v01@openssh.com",
        "ecdsa-sha2-nistp384-cert-v01@openssh.com",
        "ecdsa-sha2-nistp521-cert-v01@openssh.com",
        "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com",
        "ssh-xmss-cert-v01@openssh.com",
    }
)


class SignatureError(ReadinessError):
    """A signature cannot be accepted; the report it belongs to is not verified."""

    exit_code = 1


class SignatureMalformed(SignatureError):
    """Not an SSH signature this tool can check: not armored, cut short, another format."""


class SignatureInvalid(SignatureError):
    """A well-formed signature that does not match the message or the namespace."""


class _WireError(ValueError):
    """Something in a binary blob is wrong; callers turn it into their own error class."""


class _Reader:
    """Reads RFC 4253 fields from a blob; every length is checked against what is left."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pos = 0

    def take(self, size: int, what: str) -> bytes:
        end = self._pos + size
        if end > len(self._data):
            raise _WireError(f"the {what} is cut short")
        chunk = self._data[self._pos : end]
        self._pos = end
        return chunk

    def u32(self, what: str) -> int:
        return int.from_bytes(self.take(4, what), "big")

    def string(self, what: str) -> bytes:
        return self.take(self.u32(what), what)

    def left(self) -> int:
        return len(self._data) - self._pos


def _string(data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + data


def _decode_base64(text: str) -> bytes:
    """Strict base64: the alphabet, the padding, and nothing that decodes two ways."""
    try:
        raw = text.encode("ascii")
        data = base64.b64decode(raw, validate=True)
    except (UnicodeEncodeError, binascii.Error, ValueError):
        raise _WireError("is not valid base64") from None
    if base64.b64encode(data) != raw:
        raise _WireError("is not valid base64")
    return data


@dataclass(frozen=True)
class PublicKey:
    """An Ed25519 public key: its 32 raw bytes."""

    raw: bytes

    def __post_init__(self) -> None:
        if len(self.raw) != _ED25519_KEY_BYTES:
            raise InvalidValue(
                f"the key data holds {len(self.raw)} bytes where an Ed25519 key has 32"
            )

    def blob(self) -> bytes:
        """The key in SSH wire form (what the fingerprint and signatures are made over)."""
        return _string(KEY_TYPE.encode("ascii")) + _string(self.raw)

    def openssh(self) -> str:
        """``ssh-ed25519 AAAA...``, as in an ``.pub`` or ``allowed_signers`` file."""
        return f"{KEY_TYPE} {base64.b64encode(self.blob()).decode('ascii')}"

    def fingerprint(self) -> str:
        """``SHA256:...`` exactly as ``ssh-keygen -lf`` prints it."""
        digest = base64.b64encode(hashlib.sha256(self.blob()).digest()).decode("ascii")
        return "SHA256:" + digest.rstrip("=")

    def __str__(self) -> str:
        return self.openssh()

    @classmethod
    def from_blob(cls, blob: bytes) -> PublicKey:
        """The key in SSH wire form; ``InvalidValue`` saying what is wrong with it."""
        try:
            return _key_from_blob(blob)
        except _WireError as exc:
            raise InvalidValue(str(exc)) from None

    @classmethod
    def parse(cls, text: str) -> PublicKey:
        """An ``ssh-ed25519 AAAA... [comment]`` line, as ``ssh-keygen`` writes one."""
        words = text.split(None, 2)
        if not words:
            raise InvalidValue("no public key given; expected ssh-ed25519 AAAA...")
        kind = words[0]
        if kind != KEY_TYPE:
            if kind in KNOWN_KEY_TYPES:
                raise InvalidValue(f"{kind} keys are not supported; only ssh-ed25519 keys are")
            raise InvalidValue(
                f"not an OpenSSH public key: {shown(text)} (expected ssh-ed25519 AAAA...)"
            )
        if len(words) < 2:
            raise InvalidValue("the key data after ssh-ed25519 is missing")
        try:
            key = _key_from_text(KEY_TYPE, words[1])
        except _WireError as exc:
            raise InvalidValue(str(exc)) from None
        assert key is not None  # it is an ssh-ed25519 key
        return key


def _key_from_text(kind: str, data: str) -> PublicKey | None:
    """The key in the base64 half of a ``kind AAAA...`` line; ``None`` if not ssh-ed25519."""
    try:
        blob = _decode_base64(data)
    except _WireError:
        raise _WireError("the key data is not valid base64") from None
    inner = _Reader(blob).string("key data")
    if inner != kind.encode("ascii"):
        label = shown(inner.decode("utf-8", "replace"))
        raise _WireError(f"the key data is for {label!r}, not {kind}")
    return _key_from_blob(blob) if kind == KEY_TYPE else None


def _key_from_blob(blob: bytes) -> PublicKey:
    reader = _Reader(blob)
    kind = reader.string("key type")
    if kind != KEY_TYPE.encode("ascii"):
        label = shown(kind.decode("utf-8", "replace"))
        raise _WireError(f"the key is of type {label!r}; only ssh-ed25519 is supported")
    raw = reader.string("key")
    if len(raw) != _ED25519_KEY_BYTES:
        raise _WireError(f"the key data holds {len(raw)} bytes where an Ed25519 key has 32")
    if reader.left():
        raise _WireError(f"the key data has {reader.left()} bytes after the key")
    return PublicKey(raw)


@dataclass(frozen=True, repr=False)
class KeyPair:
    """A private key and its public half. The private half is never shown or compared."""

    public: PublicKey
    private: Ed25519PrivateKey = field(compare=False)

    def __repr__(self) -> str:
        return f"KeyPair(public={self.public.fingerprint()})"

    @classmethod
    def from_private(cls, private: Ed25519PrivateKey) -> KeyPair:
        return cls(PublicKey(private.public_key().public_bytes_raw()), private)

    @classmethod
    def generate(cls) -> KeyPair:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        return cls.from_private(Ed25519PrivateKey.generate())


def _namespace(namespace: str) -> bytes:
    if not namespace or "\0" in namespace:
        raise InvalidValue("a signature namespace must be a non-empty name without NUL")
    return namespace.encode("utf-8")


def _signed_data(namespace: bytes, hash_name: bytes, message: bytes) -> bytes:
    """What the key actually signs (PROTOCOL.sshsig section 3)."""
    digest = _HASHES[hash_name](message).digest()
    return _MAGIC + _string(namespace) + _string(b"") + _string(hash_name) + _string(digest)


def sign(keypair: KeyPair, message: bytes, namespace: str) -> str:
    """The armored SSH signature of ``message``, as ``ssh-keygen -Y sign -n NAMESPACE`` makes.

    Ed25519 is deterministic, so for the same key and message this is byte for
    byte what ssh-keygen writes, ending with a newline.
    """
    name = _namespace(namespace)
    signature = keypair.private.sign(_signed_data(name, _SIGN_HASH, message))
    blob = b"".join(
        [
            _MAGIC,
            _VERSION.to_bytes(4, "big"),
            _string(keypair.public.blob()),
            _string(name),
            _string(b""),  # reserved
            _string(_SIGN_HASH),
            _string(_string(KEY_TYPE.encode("ascii")) + _string(signature)),
        ]
    )
    text = base64.b64encode(blob).decode("ascii")
    lines = [text[i : i + _WRAP] for i in range(0, len(text), _WRAP)]
    return "\n".join([_BEGIN, *lines, _END]) + "\n"


def _dearmor(armored: str) -> bytes:
    if len(armored) > _MAX_ARMORED:
        raise SignatureMalformed("not an SSH signature: far too long to be one")
    text = armored.strip(" \t\r\n").replace("\r\n", "\n")
    if not text.startswith(_BEGIN + "\n"):
        raise SignatureMalformed(f"not an SSH signature: it must start with {_BEGIN}")
    body, found, after = text[len(_BEGIN) :].partition("\n" + _END)
    if not found:
        raise SignatureMalformed(f"not an SSH signature: the {_END} line is missing")
    if after:
        raise SignatureMalformed(f"malformed SSH signature: text after the {_END} line")
    try:
        return _decode_base64(_ARMOR_SPACE.sub("", body))
    except _WireError:
        raise SignatureMalformed("malformed SSH signature: the body is not valid base64") from None


def _parse(blob: bytes) -> tuple[PublicKey, bytes, bytes, bytes]:
    """Key, namespace, hash and signature of a blob (PROTOCOL.sshsig section 2), all checked."""
    if not blob.startswith(_MAGIC):
        raise _WireError("it does not start with SSHSIG")
    reader = _Reader(blob)
    reader.take(len(_MAGIC), "magic")
    version = reader.u32("version")
    if version != _VERSION:
        raise _WireError(f"version {version} is not supported (only 1)")
    key = _key_from_blob(reader.string("public key"))
    namespace = reader.string("namespace")
    reader.string("reserved field")  # for future use; OpenSSH ignores its content
    hash_name = reader.string("hash algorithm")
    wrapped = reader.string("signature")
    if reader.left():
        raise _WireError(f"{reader.left()} bytes after the signature")
    if b"\0" in namespace:
        raise _WireError("the namespace holds a NUL byte")
    if hash_name not in _HASHES:
        label = shown(hash_name.decode("utf-8", "replace"))
        raise _WireError(f"hash algorithm {label!r} is not supported (only sha256, sha512)")
    inner = _Reader(wrapped)
    kind = inner.string("signature type")
    if kind != KEY_TYPE.encode("ascii"):
        label = shown(kind.decode("utf-8", "replace"))
        raise _WireError(f"signature type {label!r} is not supported (only ssh-ed25519)")
    signature = inner.string("signature")
    if len(signature) != _ED25519_SIG_BYTES or inner.left():
        raise _WireError("an Ed25519 signature is 64 bytes and nothing else")
    return key, namespace, hash_name, signature


def verify(armored: str, message: bytes, namespace: str) -> PublicKey:
    """The key that signed ``message`` in ``namespace``; raises if it did not.

    ``SignatureMalformed``: not a signature this can check. ``SignatureInvalid``:
    a real signature, but of something else or in another namespace. Which key
    is trusted is the caller's question (see ``signing.keys_for``).
    """
    expected = _namespace(namespace)
    try:
        key, name, hash_name, signature = _parse(_dearmor(armored))
    except _WireError as exc:
        raise SignatureMalformed(f"malformed SSH signature: {exc}") from None
    if name != expected:
        got = shown(name.decode("utf-8", "replace"))
        raise SignatureInvalid(f"the signature is for namespace {got!r}, not {namespace!r}")
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    signed = _signed_data(name, hash_name, message)
    try:
        Ed25519PublicKey.from_public_bytes(key.raw).verify(signature, signed)
    except (InvalidSignature, ValueError):
        raise SignatureInvalid(
            f"the signature by {key.fingerprint()} does not match: "
            "the signed text or the signature was changed"
        ) from None
    return key


def principal_matches(patterns: str, name: str) -> bool:
    """Whether ``name`` matches the comma-separated ``patterns`` (OpenSSH match_pattern_list).

    ``*`` and ``?`` are wildcards (``?`` is one byte of UTF-8, as in OpenSSH); a
    pattern starting with ``!`` that matches rules the name out whatever else matches.
    """
    subject = name.encode("utf-8", "surrogatepass")
    listed = patterns.encode("utf-8", "surrogatepass").split(b"\0", 1)[0]  # as C sees it
    if b"\0" in subject:
        return False
    positive = False
    index = 0
    while index < len(listed):  # the loop of match_pattern_list, step for step
        negated = listed[index] == ord("!")
        if negated:
            index += 1
        end = listed.find(b",", index)
        end = len(listed) if end < 0 else end
        pattern = listed[index:end]
        index = end + 1  # past the comma; a trailing comma adds no empty pattern
        if len(pattern) >= 1023:  # OpenSSH gives up on the whole list here
            return False
        if _glob(subject, pattern):
            if negated:
                return False
            positive = True
    return positive


def _glob(text: bytes, pattern: bytes) -> bool:
    """``*`` and ``?`` matching over bytes, without exponential backtracking."""
    t = p = 0
    star = -1
    resume = 0
    while t < len(text):
        if p < len(pattern) and pattern[p] in (text[t], ord("?")) and pattern[p] != ord("*"):
            t += 1
            p += 1
        elif p < len(pattern) and pattern[p] == ord("*"):
            star, resume = p, t
            p += 1
        elif star >= 0:
            p = star + 1
            resume += 1
            t = resume
        else:
            return False
    return all(c == ord("*") for c in pattern[p:])
