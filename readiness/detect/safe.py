"""Make text that came from a device or a program safe to show and to store.

A phone chooses its own name, model string and error messages, so any of them
can hold terminal escape sequences (``\\x1b]0;...`` retitles a window), bidi
overrides that reorder a line, or a megabyte of text. Everything read by
``readiness.detect`` passes through ``clean`` before it reaches a field or a note.
"""

from __future__ import annotations

import re
import unicodedata

from readiness.text import safe

__all__ = ["clean", "first_line"]

# ESC/CSI sequences first (so their parameters do not survive as text), then OSC, DCS,
# SOS, PM and APC strings up to their terminator (BEL or ST), in 7-bit and 8-bit forms.
_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f]).*?(?:\x07|\x1b\\|\x9c|$)"
    r"|\x1b[ -/]*[0-~]?",
    re.DOTALL,
)
# Cc (controls), Cf (format: bidi overrides, zero-width marks), Cs, Co, Cn, Zl, Zp.
_DROPPED = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_SPACES = re.compile(r"\s+")
# Work on a bounded prefix: a hostile program can print far more than a line.
_READ_AT_MOST = 4096


def _breaks(ch: str) -> bool:
    """Whitespace that would start a new line: kept, as a plain space."""
    return ch in "\t\n\r\v\f" or unicodedata.category(ch) in ("Zl", "Zp")


def _shown(ch: str) -> bool:
    return unicodedata.category(ch) not in _DROPPED


def clean(value: str, limit: int = 80) -> str:
    """``value`` as one printable line: escapes and control characters gone, cut to ``limit``.

    What is stored is dropped here; ``text.safe``, the one sanitiser of what reaches a
    terminal, has the last word on anything the rules above let through.
    """
    text = _ESCAPES.sub("", value[:_READ_AT_MOST])
    kept = "".join(" " if _breaks(ch) else ch for ch in text if _breaks(ch) or _shown(ch))
    line = _SPACES.sub(" ", kept).strip()
    if len(line) > limit:
        line = line[: max(limit - 1, 0)].rstrip() + "…"
    return safe(line)


def first_line(value: str, limit: int = 120) -> str:
    """The first non-empty line of a program's message, cleaned: what a note quotes."""
    for line in value[:_READ_AT_MOST].splitlines():
        text = clean(line, limit)
        if text:
            return text
    return ""
