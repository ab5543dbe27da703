"""The one definition of an unsafe character: ``safe`` shows it, ``strip_unsafe`` drops it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from readiness.detect.safe import clean
from readiness.text import UNSAFE, safe, strip_unsafe


def test_safe_shows_what_a_terminal_would_act_on() -> None:
    assert safe("Ada\x1b]0;pwned\x07") == "Ada\\x1b]0;pwned\\x07"
    assert safe("a\nb\tc\u202ed\ud800") == "a\\nb\\tc\\u202ed\\ud800"
    assert safe("Zoë 👩\u200d💻") == "Zoë 👩\u200d💻"


def test_strip_unsafe_drops_whole_sequences_and_breaks_lines_into_spaces() -> None:
    assert strip_unsafe("\x1b]0;title\x07Pixel 8") == "Pixel 8"
    assert strip_unsafe("\x1b[31mred\x1b[0m \u202eevil") == "red evil"
    assert strip_unsafe("a\nb\tc\x00d\u2028e\x85f") == "a b cd e f"
    assert strip_unsafe("\x9b2Jok\ud800") == "ok"
    assert strip_unsafe("Zoë 👩\u200d💻") == "Zoë 👩\u200d💻"


@given(st.text())
def test_strip_unsafe_leaves_nothing_safe_would_escape(text: str) -> None:
    stripped = strip_unsafe(text)
    assert UNSAFE.search(stripped) is None
    assert safe(stripped) == stripped


@given(st.text(), st.integers(min_value=1, max_value=100))
def test_what_detect_keeps_is_safe_by_the_same_rule(text: str, limit: int) -> None:
    kept = clean(text, limit)
    assert safe(kept) == kept
    assert len(kept) <= limit
