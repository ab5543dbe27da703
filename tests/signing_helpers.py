"""Shared pieces of the signing tests: the time, the message, SSHSIG wire pieces by hand."""

from __future__ import annotations

import base64
import datetime as dt

NOW = dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC)

MESSAGE = b"sha256:" + b"0123456789abcdef" * 4


def string(data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + data


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


ED = string(b"ssh-ed25519")


ECDSA = (  # made by ssh-keygen -t ecdsa: real files hold keys of other types too
    "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBBr/aqnUofkIQFXy"
    "0Yi3q2nlvWvciU+sLH0ymArWzs+pVPqDhNYKHNBwLPrxPJnpb3vMQ6Z8hUqXXq74zlt5LZI="
)
