"""The renderers' shared pieces: display width, tables, wrapping, plurals, colour."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readiness.render.style import (
    PLAIN,
    Style,
    display_width,
    pad,
    plural,
    table,
    width_of,
    wrap,
    wrap_lines,
)


@pytest.mark.parametrize(
    ("text", "width"),
    [
        ("iPhone", 6),
        ("日本の電話", 10),  # wide characters take two columns
        ("Cafe\u0301", 4),  # a combining accent takes none
        ("Zoë", 3),
        ("\x1b[31m✗\x1b[0m", 1),  # colour codes take none
        ("a\x07b", 2),  # a control character takes none
        ("", 0),
    ],
)
def test_display_width(text: str, width: int) -> None:
    assert display_width(text) == width


def test_a_table_lines_up_wide_and_combining_text() -> None:
    lines = table(
        ["LABEL", "IMEI"],
        [["花子のiPhone", "•••1481"], ["Rene\u0301's iPad", "•••0002"], ["Ada", "•••0003"]],
    )
    assert lines == [
        "LABEL         IMEI",
        "花子のiPhone  •••1481",
        "Rene\u0301's iPad   •••0002",
        "Ada           •••0003",
    ]
    # Every IMEI starts in the same terminal column.
    columns = {display_width(line.split("•")[0]) for line in lines[1:]}
    assert columns == {14}


def test_a_table_with_a_rule() -> None:
    assert table(["A", "BB"], [["ccc", "d"]], rule=True) == ["A    BB", "---  --", "ccc  d"]


def test_pad() -> None:
    assert pad("日本", 6) == "日本  "
    assert pad("too long", 3) == "too long"


def test_plural() -> None:
    assert plural(1, "device") == "1 device"
    assert plural(0, "device") == "0 devices"
    assert plural(2, "priority", "priorities") == "2 priorities"


def test_wrap_breaks_at_spaces_with_a_hanging_indent() -> None:
    line = "  ✗ battery  Battery at 12 %; setup needs at least 20 % on every device."
    assert wrap(line, 40) == [
        "  ✗ battery  Battery at 12 %; setup",
        "    needs at least 20 % on every device.",
    ]
    assert wrap(line, 40, indent=13) == [
        "  ✗ battery  Battery at 12 %; setup",
        "             needs at least 20 % on",
        "             every device.",
    ]


def test_wrap_leaves_short_lines_and_no_width_alone() -> None:
    assert wrap("short", 40) == ["short"]
    long = "word " * 40
    assert wrap(long, None) == [long]
    assert wrap_lines([long, "x"], None) == [long, "x"]


def test_a_word_wider_than_the_room_is_kept_whole() -> None:
    assert wrap("see https://example.com/" + "a" * 60 + " now", 30) == [
        "see",
        "  https://example.com/" + "a" * 60,
        "  now",
    ]


@given(
    words=st.lists(st.text(st.sampled_from("abc日本é\u0301"), min_size=1, max_size=12), min_size=1),
    width=st.integers(20, 100),
)
def test_wrapped_pieces_fit_and_keep_every_word(words: list[str], width: int) -> None:
    line = " ".join(words)
    pieces = wrap(line, width)
    assert " ".join(p.strip() for p in pieces).split() == line.split()
    for piece in pieces:
        assert display_width(piece) <= width or len(piece.split()) == 1


def test_style_colours_only_when_asked() -> None:
    assert PLAIN("text", "red") == "text"
    assert Style(colour=True)("text", "red") == "\x1b[31mtext\x1b[0m"
    assert Style(colour=True)("text", "bold") == "\x1b[1mtext\x1b[0m"
    assert Style(colour=True)("text", "") == "text"
    assert width_of(Style(width=60)) == 60
    assert width_of(lambda text, colour: text) is None
