"""Finding the guide's troubleshooting procedure for what a person types."""

from __future__ import annotations

import pytest

from readiness import troubleshoot
from readiness.errors import InvalidValue
from readiness.knowledge import Knowledge


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("wont-join", "wont-join"),
        ("Wont Join", "wont-join"),
        ("won't join", "wont-join"),
        ("pairing code", "wont-join"),
        ("tablet drops connection", "secondary-connectivity"),
        ("handoff", "handoff"),
        ("hanfoff", "handoff"),
        ("data runs out", "excessive-data"),
        ("no service", "border-registration"),
        ("border", "border-registration"),
        ("no network after crossing the border", "border-registration"),
    ],
)
def test_match_symptom_leniently(knowledge: Knowledge, typed: str, found: str) -> None:
    assert troubleshoot.match_symptom(typed, knowledge).id == found
    assert troubleshoot.find(typed, knowledge).match == troubleshoot.match_symptom(typed, knowledge)


def test_a_near_miss_gets_suggestions(knowledge: Knowledge) -> None:
    with pytest.raises(InvalidValue) as caught:
        troubleshoot.match_symptom("phone on fire", knowledge)
    assert str(caught.value) == (
        "no known symptom matches 'phone on fire'; did you mean: secondary-connectivity "
        "(A secondary device keeps losing its connection)?"
    )
    assert caught.value.exit_code == 2


def test_nothing_close_says_what_was_tried_and_how_to_list_them(knowledge: Knowledge) -> None:
    with pytest.raises(InvalidValue) as caught:
        troubleshoot.match_symptom("my battery dies", knowledge)
    assert str(caught.value) == (
        "no known symptom matches 'my battery dies' (looked for 'battery', 'dies' in the ids, "
        "titles and symptoms of the 6 known problems); `readiness troubleshoot` lists them all"
    )


def test_a_near_miss_ranks_the_closest_first(knowledge: Knowledge) -> None:
    found = troubleshoot.find("phone on fire", knowledge)
    assert found.match is None
    assert [p.id for p in found.closest] == ["secondary-connectivity"]
    assert found.ranked[0].id == "secondary-connectivity"
    assert sorted(p.id for p in found.ranked) == sorted(knowledge.troubleshooting)
    assert found.tried == ("phone", "fire")


def test_a_typo_of_an_id_with_no_word_in_common_is_still_close(knowledge: Knowledge) -> None:
    found = troubleshoot.find("excesive-dta", knowledge)
    assert found.match is None
    assert [p.id for p in found.closest] == ["excessive-data"]
    assert found.ranked[0].id == "excessive-data"


def test_nothing_close_finds_nothing(knowledge: Knowledge) -> None:
    found = troubleshoot.find("my battery dies", knowledge)
    assert (found.match, found.closest) == (None, ())
    assert len(found.ranked) == len(knowledge.troubleshooting)
