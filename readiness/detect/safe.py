"""Make text that came from a device or a program safe to show and to store.

A phone chooses its own name, model string and error messages, so any of them
can hold terminal escape sequences (``\\x1b]0;...`` retitles a window), bidi
overrides that reorder a line, or a megabyte of text. Everything read by
``readiness.detect`` passes through ``clean`` before it reaches a field or a note.
"""

from __future__ import annotations

import re

from readiness.text import strip_unsafe

__all__ = ["clean", "first_line"]

_SPACES = re.compile(r"\s+")
# Work on a bounded prefix: a hostile program can print far more than a line.
_READ_AT_MOST = 4096


def clean(value: str, limit: int = 80) -> str:
    """``value`` as one line, cut to ``limit``, without what ``text.safe`` would escape.

    Which characters are unsafe is defined once, in ``readiness.text``; here they
    are taken out (``strip_unsafe``) rather than shown, as a device's name is stored.
    """
    line = _SPACES.sub(" ", strip_unsafe(value[:_READ_AT_MOST])).strip()
    if len(line) > limit:
        line = line[: max(limit - 1, 0)].rstrip() + "…"
    return line


def first_line(value: str, limit: int = 120) -> str:
    """The first non-empty line of a program's message, cleaned: what a note quotes."""
    for line in value[:_READ_AT_MOST].splitlines():
        text = clean(line, limit)
        if text:
            return text
    return ""
