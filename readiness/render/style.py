"""What every renderer shares: colour, display width, tables, wrapping, plurals.

Plain strings only, like the rest of ``render``: the CLI builds a ``Style`` for
its terminal (colour or not, the width to wrap at) and passes it in. Widths are
measured as a terminal shows them, so a label in Japanese or with combining
accents still lines up in a table.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from types import ModuleType

Styler = Callable[[str, str], str]

_SGR = {
    "bold": "1",
    "red": "31",
    "green": "32",
    "yellow": "33",
    "cyan": "36",
    "bright_black": "90",
}
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class Style:
    """How text reaches one terminal: in colour or not, wrapped at ``width`` or never (None)."""

    colour: bool = False
    width: int | None = None

    def __call__(self, text: str, colour: str) -> str:
        code = _SGR.get(colour)
        if not self.colour or code is None:
            return text
        return f"\x1b[{code}m{text}\x1b[0m"


PLAIN = Style()


def width_of(style: Styler) -> int | None:
    """The width a styler wraps at: only a ``Style`` knows one."""
    return style.width if isinstance(style, Style) else None


def display_width(text: str) -> int:
    """Columns ``text`` takes on a terminal: wide characters 2, combining marks 0, colour 0."""
    if "\x1b" in text:
        text = _ANSI.sub("", text)
    if text.isascii() and text.isprintable():
        return len(text)
    wcwidth = _wcwidth()
    width = wcwidth.wcswidth(text)
    if width >= 0:
        return int(width)
    # A control character somewhere: count it as nothing, the rest as they show.
    return sum(max(int(wcwidth.wcwidth(ch)), 0) for ch in text)


@functools.cache
def _wcwidth() -> ModuleType:
    """wcwidth, imported the first time text beyond ASCII is measured (and only then)."""
    import wcwidth

    return wcwidth


def pad(text: str, width: int) -> str:
    """``text`` followed by spaces up to ``width`` columns."""
    return text + " " * max(width - display_width(text), 0)


def table(
    headers: Sequence[str], rows: Iterable[Sequence[str]], *, rule: bool = False
) -> list[str]:
    """Columns padded to the widest cell by display width, two spaces apart.

    ``rule`` puts a line of dashes under the headers. Each cell is measured once
    (an inventory of 100,000 devices is 700,000 cells).
    """
    body = [list(headers), *(list(row) for row in rows)]
    sizes = [[display_width(cell) for cell in row] for row in body]
    widths = [0] * len(headers)
    for row_sizes in sizes:
        for index, size in enumerate(row_sizes):
            widths[index] = max(widths[index], size)

    def line(cells: Sequence[str], cell_sizes: Sequence[int]) -> str:
        return "  ".join(
            cell + " " * (width - size)
            for cell, size, width in zip(cells, cell_sizes, widths, strict=False)
        ).rstrip()

    lines = [line(body[0], sizes[0])]
    if rule:
        lines.append(line(["-" * w for w in widths], widths))
    lines += [line(row, row_sizes) for row, row_sizes in zip(body[1:], sizes[1:], strict=True)]
    return lines


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 device``, ``2 devices``; ``many`` for a word that does not just take an s."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def wrap(line: str, width: int | None, indent: int | None = None) -> list[str]:
    """``line`` broken at spaces so no piece is wider than ``width`` (None: left whole).

    Continuation lines start ``indent`` columns in (by default two past the line's
    own indentation). A word wider than the room is kept whole rather than cut.
    """
    if width is None or display_width(line) <= width:
        return [line]
    stripped = line.lstrip(" ")
    lead = len(line) - len(stripped)
    hang = " " * (lead + 2 if indent is None else indent)
    if width - len(hang) < 10:  # too narrow to be worth it
        return [line]
    out: list[str] = []
    current = " " * lead
    room = width
    for word in stripped.split(" "):
        if current.strip() and display_width(current) + 1 + display_width(word) > room:
            out.append(current)
            current = hang + word
        else:
            current = f"{current} {word}" if current.strip() else current + word
    out.append(current)
    return out


# A column narrower than this is no column: a row's last cell then runs on under the row.
MIN_ROOM = 20


def fits_column(column: int, width: int | None) -> bool:
    """Whether text starting ``column`` columns in has room to be read there."""
    return width is None or width - column >= MIN_ROOM


def wrap_row(line: str, width: int | None, column: int) -> list[str]:
    """A table row whose last cell runs on under itself (under the row's start when narrow)."""
    return wrap(line, width, column if fits_column(column, width) else None)


def wrap_lines(lines: Iterable[str], width: int | None) -> list[str]:
    if width is None:
        return list(lines)
    return [piece for line in lines for piece in wrap(line, width)]
