"""`readiness inventory` list, add (with prompts), edit and remove."""

from __future__ import annotations

import json
import stat
import sys
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from inventory_helpers import AT_TERMINAL, EID, IMEI_A, IMEI_B, IMEI_C, NOW, add, errors, run

from readiness import inventory
from readiness.prompts.asker import Asker

# ----------------------------------------------------------------- list


def test_list_empty() -> None:
    result = run("list")
    assert result.exit_code == 0
    assert result.stdout.startswith("The inventory is empty: add a device with")


def test_list_masks_imeis(stocked: None) -> None:
    result = run("list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["LABEL", "MODEL", "IMEI", "IMEI2", "EID", "OWNER", "CHANGED"]
    assert lines[1].startswith("Ada's iPhone  iPhone 15 Pro  •••••••••••1481")
    assert lines[1].endswith("Ada    2026-11-30")
    assert lines[-1] == "2 devices."
    assert IMEI_A not in result.stdout
    assert EID not in result.stdout
    # The columns line up.
    assert lines[1].index("•") == lines[0].index("IMEI")


def test_list_reveal(stocked: None) -> None:
    result = run("list", "--reveal")
    assert IMEI_A in result.stdout
    assert EID in result.stdout


def test_list_json_uses_the_file_keys(stocked: None) -> None:
    masked = json.loads(run("list", "--format", "json").stdout)
    assert [list(item) for item in masked] == [list(inventory.FIELDS)] * 2
    assert masked[0]["imei"] == "•••••••••••1481"
    assert masked[0]["added"] == "2026-11-30T12:00:00+00:00"
    revealed = json.loads(run("list", "--format", "json", "--reveal").stdout)
    assert revealed[1] == {
        "label": "Bob's iPad",
        "model": "iPhone 15 Pro",
        "imei": IMEI_C,
        "imei2": IMEI_B,
        "eid": EID,
        "owner": "",
        "added": "2026-11-30T12:00:00+00:00",
        "changed": "2026-11-30T12:00:00+00:00",
    }


def test_list_json_empty() -> None:
    assert json.loads(run("list", "--format", "json").stdout) == []


def test_corrupt_file_is_reported_and_left_alone(readiness_home: Path) -> None:
    path = readiness_home / inventory.INVENTORY_FILE
    path.write_text('schema = 1\n[[devices]]\nlabel = "unterminated\n')
    result = run("list")
    assert result.exit_code == 2
    assert errors(result)[0].startswith(f"error: {path}: line 3, column ")
    assert add().exit_code == 2
    assert path.read_text() == 'schema = 1\n[[devices]]\nlabel = "unterminated\n'


# ----------------------------------------------------------------- add


def test_add(readiness_home: Path) -> None:
    result = add("Ada's iPhone", "35-209900-176148-1", "--owner", "Ada")
    assert result.exit_code == 0
    assert result.stdout == 'Added "Ada\'s iPhone" (iPhone 15 Pro, IMEI •••••••••••1481).\n'
    path = readiness_home / inventory.INVENTORY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert inventory.load(readiness_home).entries[0].imei == IMEI_A


def test_add_invalid_imei() -> None:
    result = add("Bob's Pixel", "352099001761482")
    assert result.exit_code == 2
    assert errors(result) == [
        "error: inventory add: IMEI 352099001761482: check digit is wrong (expected 1); "
        "look for a mistyped digit"
    ]


def test_add_invalid_eid_and_imei2() -> None:
    result = add(
        "x", IMEI_A, "--imei2", "3520990017614", "--eid", "8904903200000000000000000123458"
    )
    assert result.exit_code == 2
    assert errors(result) == [
        "error: inventory add: IMEI2 3520990017614: an IMEI has 15 digits, got 13",
        "error: inventory add: EID 8904903200000000000000000123458: an EID has 32 digits, got 31",
    ]


def test_add_duplicate_imei_says_what_it_clashes_with() -> None:
    assert add().exit_code == 0
    result = add("Bob's Pixel", IMEI_A)
    assert result.exit_code == 2
    assert errors(result) == [
        'error: inventory add: IMEI 352099001761481 is already on "Ada\'s iPhone"'
    ]


def test_add_duplicate_label() -> None:
    assert add().exit_code == 0
    result = add("ada's iphone", IMEI_C)
    assert result.exit_code == 2
    assert errors(result) == [
        'error: inventory add: label "ada\'s iphone" is already used (iPhone 15 Pro, '
        "IMEI ending 1481)"
    ]


def test_add_without_a_terminal_names_the_missing_options() -> None:
    result = run("add", "--model", "Pixel 8")
    assert result.exit_code == 2
    assert errors(result) == [
        "error: inventory add: --label is missing; give it as an option",
        "error: inventory add: --imei is missing; give it as an option",
    ]


def test_add_bad_now() -> None:
    result = run("add", "--label", "a", "--model", "b", "--imei", IMEI_A, "--now", "tomorrow")
    assert result.exit_code == 2
    assert "is not an ISO-8601 date and time" in result.stderr


# ----------------------------------------------------------------- prompts (a stand-in questionary)


class FakeQuestion:
    def __init__(
        self, answers: Iterator[Any], validate: Callable[[str], Any] | None, refusals: list[str]
    ) -> None:
        self.answers = answers
        self.validate = validate
        self.refusals = refusals

    def unsafe_ask(self) -> Any:
        for answer in self.answers:
            if isinstance(answer, BaseException):
                raise answer
            verdict = True if self.validate is None else self.validate(answer)
            if verdict is True:
                return answer
            self.refusals.append(str(verdict))
        raise AssertionError("ran out of scripted answers")


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> Callable[..., list[str]]:
    """Pretend a person is at a terminal and script what they type at each prompt."""
    refusals: list[str] = []

    def script(*answers: Any) -> list[str]:
        stream = iter(answers)
        fake = types.ModuleType("questionary")
        fake.text = lambda message, validate=None, **kw: FakeQuestion(  # type: ignore[attr-defined]
            stream, validate, refusals
        )
        fake.confirm = lambda message, default=False, **kw: FakeQuestion(  # type: ignore[attr-defined]
            stream, None, refusals
        )
        monkeypatch.setitem(sys.modules, "questionary", fake)
        return refusals

    # The real Asker (the only way the commands prompt) over the stand-in questionary.
    monkeypatch.setitem(AT_TERMINAL, "asker", Asker(say=click.echo))
    return script


def test_add_prompts_and_refuses_bad_values_as_typed(
    terminal: Callable[..., list[str]], readiness_home: Path
) -> None:
    assert add().exit_code == 0
    refusals = terminal(
        "Ada's iPhone",  # taken
        "Cara's Watch",
        "Apple Watch Series 9",
        "352099001761482",  # wrong check digit
        IMEI_A,  # already on Ada's iPhone
        IMEI_C,
        "123",  # IMEI2: too short
        "",  # IMEI2 skipped
        "",  # EID skipped
        "Cara",
    )
    result = run("add", "--now", NOW)
    assert result.exit_code == 0, result.output
    assert refusals == [
        '"Ada\'s iPhone" is already in the inventory',
        "check digit is wrong (expected 1); look for a mistyped digit",
        'this IMEI is already on "Ada\'s iPhone"',
        "an IMEI has 15 digits, got 3",
    ]
    added = inventory.load(readiness_home).find("Cara's Watch")
    assert added is not None
    assert (added.imei, added.imei2, added.owner) == (IMEI_C, "", "Cara")


def test_add_prompts_only_for_what_is_missing(terminal: Callable[..., list[str]]) -> None:
    terminal("iPhone 15 Pro", "", "", "")
    result = run("add", "--label", "Ada's iPhone", "--imei", IMEI_A, "--now", NOW)
    assert result.exit_code == 0, result.output


def test_ctrl_c_at_a_prompt_exits_130(
    terminal: Callable[..., list[str]], readiness_home: Path
) -> None:
    terminal("Ada's iPhone", KeyboardInterrupt())
    result = run("add")
    assert result.exit_code == 130
    assert "Interrupted." in result.stderr
    assert result.stderr == "\nInterrupted. Nothing was added.\n"
    assert not (readiness_home / inventory.INVENTORY_FILE).exists()


def test_ctrl_d_at_a_prompt_leaves_as_ctrl_c_does(
    terminal: Callable[..., list[str]], readiness_home: Path
) -> None:
    """Ctrl-D at a terminal is the person leaving, as in the walk-through: nothing added, 130."""
    terminal("Ada's iPhone", EOFError())
    result = run("add")
    assert (result.exit_code, result.stderr) == (130, "\nInterrupted. Nothing was added.\n")
    assert not (readiness_home / inventory.INVENTORY_FILE).exists()


def test_ctrl_c_at_the_remove_question_removes_nothing(
    terminal: Callable[..., list[str]], readiness_home: Path
) -> None:
    assert add().exit_code == 0
    terminal(KeyboardInterrupt())
    result = run("remove", "Ada's iPhone")
    assert (result.exit_code, result.stderr) == (130, "\nInterrupted. Nothing was removed.\n")
    assert len(inventory.load(readiness_home)) == 1


def test_remove_asks_first(terminal: Callable[..., list[str]], readiness_home: Path) -> None:
    assert add().exit_code == 0
    terminal(False)
    kept = run("remove", "Ada's iPhone")
    assert (kept.exit_code, kept.stdout) == (0, "Nothing removed.\n")
    assert len(inventory.load(readiness_home)) == 1
    terminal(True)
    gone = run("remove", "Ada's iPhone")
    assert gone.exit_code == 0
    assert len(inventory.load(readiness_home)) == 0


def test_questionary_is_not_imported_without_prompting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "questionary", raising=False)
    assert add().exit_code == 0
    assert run("list").exit_code == 0
    assert "questionary" not in sys.modules


# ----------------------------------------------------------------- edit and remove


def test_edit_changes_only_what_is_given(stocked: None, readiness_home: Path) -> None:
    result = run(
        "edit",
        "bob's ipad",
        "--model",
        "iPad Pro (M4)",
        "--imei2",
        "",
        "--now",
        "2026-12-01T08:00:00Z",
    )
    assert result.exit_code == 0
    assert result.stdout == (
        'Changed model, imei2 of "Bob\'s iPad" (iPad Pro (M4), IMEI •••••••••••2348).\n'
    )
    edited = inventory.load(readiness_home).find("Bob's iPad")
    assert edited is not None
    assert (edited.model, edited.imei, edited.imei2, edited.eid) == (
        "iPad Pro (M4)",
        IMEI_C,
        "",
        EID,
    )
    assert edited.changed.isoformat() == "2026-12-01T08:00:00+00:00"
    assert edited.added.isoformat() == "2026-11-30T12:00:00+00:00"


def test_edit_needs_something_to_change(stocked: None) -> None:
    result = run("edit", "Bob's iPad")
    assert result.exit_code == 2
    assert errors(result) == [
        "error: inventory edit: nothing to change; give at least one of --label, --model, "
        "--imei, --imei2, --eid, --owner"
    ]


def test_edit_clash(stocked: None) -> None:
    result = run("edit", "Bob's iPad", "--label", "ADA'S IPHONE")
    assert result.exit_code == 2
    assert errors(result) == [
        'error: inventory edit: label "ADA\'S IPHONE" is already used (iPhone 15 Pro, '
        "IMEI ending 1481)"
    ]


def test_edit_unknown() -> None:
    result = run("edit", "Nobody", "--owner", "x")
    assert result.exit_code == 2
    assert errors(result) == [
        'error: inventory edit: no device "Nobody" in the inventory; the inventory is empty'
    ]


def test_edit_same_values(stocked: None) -> None:
    result = run("edit", "Ada's iPhone", "--owner", "Ada")
    assert result.exit_code == 0
    assert result.stdout.startswith("No change:")


def test_remove_by_imei_with_yes(stocked: None, readiness_home: Path) -> None:
    result = run("remove", "35 3456 7890 1234 8", "--yes")
    assert result.exit_code == 0
    assert result.stdout == 'Removed "Bob\'s iPad" (iPhone 15 Pro, IMEI •••••••••••2348).\n'
    assert [e.label for e in inventory.load(readiness_home)] == ["Ada's iPhone"]


def test_remove_without_a_terminal_needs_yes(stocked: None, readiness_home: Path) -> None:
    result = run("remove", "Ada's iPhone")
    assert result.exit_code == 2
    assert errors(result) == [
        "error: inventory remove: give --yes to remove without a terminal to confirm at"
    ]
    assert len(inventory.load(readiness_home)) == 2


def test_remove_unknown_suggests(stocked: None) -> None:
    result = run("remove", "Bobs iPad", "-y")
    assert result.exit_code == 2
    assert errors(result) == [
        'error: inventory remove: no device "Bobs iPad" in the inventory; '
        'did you mean "Bob\'s iPad"?'
    ]
