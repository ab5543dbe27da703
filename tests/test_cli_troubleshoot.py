"""`readiness troubleshoot` through click's test runner and a scripted terminal."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from readiness.cli import cli
from readiness.prompts.asker import Asker

SHIPPED_DATA = Path(__file__).parent.parent / "data" / "compatibility.toml"


def invoke(*args: str | Path, asker: Asker | None = None) -> Result:
    obj = {"asker": asker} if asker is not None else None
    result = CliRunner().invoke(cli, [str(a) for a in args], obj=obj)
    assert "Traceback" not in result.output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), result.exception
    return result


# --- the steps --------------------------------------------------------------------------


def test_troubleshoot_lists_the_known_problems() -> None:
    result = invoke("troubleshoot")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Known problems; run `readiness troubleshoot ID` (or a few words) for the steps:",
        "  wont-join               A device won't join the plan",
        "  secondary-connectivity  A secondary device keeps losing its connection",
        "  handoff                 Smart Handoff between devices fails",
        "  excessive-data          The shared data pool runs down too fast",
        "  border-registration     A device does not register on a network after crossing a border",
        "  priority-mismatch       The wrong device gets the connection first",
    ]


def test_troubleshoot_without_a_terminal_prints_every_step() -> None:
    result = invoke("troubleshoot", "no", "service", "after", "the", "border")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "A device does not register on a network after crossing a border",
        "Try these in order; stop at the first that works.",
        "  1. Turn airplane mode on, then off.",
        "  2. Wait 60 seconds for the device to register.",
    ]


def test_troubleshoot_by_id_as_json() -> None:
    result = invoke("troubleshoot", "wont-join", "--format", "json")
    assert result.exit_code == 0, result.output
    procedure = json.loads(result.stdout)
    assert procedure["id"] == "wont-join"
    assert procedure["cause"] == "usually a provisioning mismatch"
    assert len(procedure["steps"]) == 5


SECONDARY = [
    "A secondary device keeps losing its connection",
    "Try these in order; stop at the first that works.",
    "  1. Check the device is not set to Wi-Fi only.",
    "  2. Check its priority: a device set to Background gets bandwidth last.",
    "  3. Check its eSIM profile has not expired; some providers need periodic renewal.",
    "  4. Turn cellular data off and on again on that device.",
]


def test_troubleshoot_near_miss_without_a_terminal_prints_the_closest() -> None:
    result = invoke("troubleshoot", "phone", "on", "fire")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "No known symptom matches 'phone on fire' exactly; the closest is "
        "secondary-connectivity. `readiness troubleshoot` lists them all."
    ]
    assert result.stdout.splitlines() == SECONDARY


def test_troubleshoot_several_equally_close_are_all_printed() -> None:
    result = invoke("troubleshoot", "connection")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "No known symptom matches 'connection' exactly; the closest are "
        "secondary-connectivity, priority-mismatch. `readiness troubleshoot` lists them all."
    ]
    lines = result.stdout.splitlines()
    assert lines[: len(SECONDARY) + 2] == [
        *SECONDARY,
        "",
        "The wrong device gets the connection first (limited infrastructure in the destination)",
    ]


def test_troubleshoot_nothing_close_is_bad_input_saying_what_was_tried() -> None:
    result = invoke("troubleshoot", "my", "battery", "dies")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "error: no known symptom matches 'my battery dies' (looked for 'battery', 'dies' in the "
        "ids, titles and symptoms of the 6 known problems); `readiness troubleshoot` lists "
        "them all"
    ]


def test_troubleshoot_json_never_guesses() -> None:
    result = invoke("troubleshoot", "phone", "on", "fire", "--format", "json")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: no known symptom matches 'phone on fire'; did you mean: "
        "secondary-connectivity (A secondary device keeps losing its connection)?"
    ]


ENTER, DOWN = "\r", "\x1b[B"


def walk(keys: str, *args: str) -> Result:
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        pipe.close()
        asker = Asker(input=pipe, output=DummyOutput(), say=print)
        return invoke("troubleshoot", *args, asker=asker)


def test_troubleshoot_walks_one_step_at_a_time_and_stops_at_the_fix() -> None:
    result = walk("nny", "won't", "join")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "A device won't join the plan (usually a provisioning mismatch)",
        "Try these in order; stop at the first that works.",
        "",
        "Step 1 of 5: Restart both the primary and the secondary device.",
        "",
        "Step 2 of 5: Put both devices on the same Wi-Fi network.",
        "",
        "Step 3 of 5: Make sure the secondary device's eSIM slot is not taken by another profile.",
        "Fixed at step 3 of 5.",
    ]


def test_troubleshoot_when_no_step_works() -> None:
    result = walk("nn", "border-registration")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-2:] == [
        "",
        "None of the guide's steps fixed it: contact your eSIM provider's support.",
    ]


def test_troubleshoot_no_input_never_asks() -> None:
    result = walk("", "handoff", "--no-input")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Smart Handoff between devices fails",
        "All of these must be true; check each one.",
        "  1. Both devices have an active cellular connection, not only Wi-Fi.",
        "  2. The devices are within Bluetooth range when the handoff starts.",
        "  3. The app supports session continuity; not every app does.",
        "  4. The receiving device has a usable network.",
        "If all of these hold and it still fails: Turn Smart Handoff off for now and move the "
        "session by hand: open the same app on the other device.",
    ]


def test_troubleshoot_with_no_symptom_offers_a_picker_on_a_terminal() -> None:
    result = walk(ENTER + "y")  # the first problem, fixed at its first step
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "A device won't join the plan (usually a provisioning mismatch)",
        "Try these in order; stop at the first that works.",
        "",
        "Step 1 of 5: Restart both the primary and the secondary device.",
        "Fixed at step 1 of 5.",
    ]


def test_troubleshoot_picker_walks_the_one_picked() -> None:
    result = walk(DOWN + DOWN + ENTER + "yyyy")  # the third: handoff's conditions
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == [
        "Smart Handoff between devices fails",
        "All of these must be true; check each one.",
    ]
    assert result.stdout.splitlines()[-1] == FALLBACK


def test_troubleshoot_words_matching_nothing_offer_the_closest_first() -> None:
    result = walk(ENTER + "nnnn", "phone", "on", "fire")
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines()[:4] == [
        "A secondary device keeps losing its connection",
        "Try these in order; stop at the first that works.",
        "",
        "Step 1 of 4: Check the device is not set to Wi-Fi only.",
    ]


def test_troubleshoot_picker_none_of_these_says_who_to_ask() -> None:
    result = walk(DOWN * 6 + ENTER)  # six problems, then "None of these"
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines() == [
        "None of the guide's problems fits: contact your eSIM provider's support."
    ]


def test_troubleshoot_picker_the_words_for_it() -> None:
    from readiness import knowledge, troubleshoot
    from readiness.render.guide import picker_choice

    asked: list[tuple[str, list[str], str | None]] = []

    class Recording(Asker):
        def select(self, message: str, choices: list[str], default: str | None = None) -> str:
            asked.append((message, choices, default))
            return choices[-1]

    invoke("troubleshoot", "phone", "on", "fire", asker=Recording())
    ranked = troubleshoot.find("phone on fire", knowledge.load()).ranked
    titles = [picker_choice(p) for p in ranked]
    assert asked == [
        (
            "Nothing matches 'phone on fire' exactly; which problem is closest?",
            [*titles, "None of these"],
            "A secondary device keeps losing its connection (secondary-connectivity)",
        )
    ]


FALLBACK = (
    "If all of these hold and it still fails: Turn Smart Handoff off for now and move the "
    "session by hand: open the same app on the other device."
)


def test_troubleshoot_walks_handoff_conditions_as_a_checklist_ending_in_the_fallback() -> None:
    result = walk("ynyy", "handoff")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Smart Handoff between devices fails",
        "All of these must be true; check each one.",
        "",
        "Condition 1 of 4: Both devices have an active cellular connection, not only Wi-Fi.",
        "",
        "Condition 2 of 4: The devices are within Bluetooth range when the handoff starts.",
        "",
        "Condition 3 of 4: The app supports session continuity; not every app does.",
        "",
        "Condition 4 of 4: The receiving device has a usable network.",
        "",
        "Not true yet: condition 2; put that right first.",
        FALLBACK,
    ]
    assert "Did that fix it?" not in result.output


def test_troubleshoot_conditions_all_true_go_straight_to_the_fallback() -> None:
    result = walk("yyyy", "handoff")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-2:] == ["", FALLBACK]


def test_troubleshoot_json_marks_conditions_and_the_fallback() -> None:
    procedure = json.loads(invoke("troubleshoot", "handoff", "--format", "json").stdout)
    assert (procedure["kind"], len(procedure["steps"])) == ("conditions", 4)
    assert procedure["fallback"].startswith("Turn Smart Handoff off")
    steps = json.loads(invoke("troubleshoot", "wont-join", "--format", "json").stdout)
    assert (steps["kind"], steps["fallback"]) == ("steps", "")


def test_troubleshoot_priority_mismatch_where_infrastructure_is_thin() -> None:
    result = invoke("troubleshoot", "wrong", "device", "gets", "priority")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "The wrong device gets the connection first (limited infrastructure in the destination)",
        "Try these in order; stop at the first that works.",
        "  1. On the primary device, open Cellular > Multi-Device Settings > Data Priority and "
        "set by hand which device gets priority.",
    ]


def test_troubleshoot_the_registration_wait_comes_from_the_data_file(tmp_path: Path) -> None:
    text = SHIPPED_DATA.read_text(encoding="utf-8")
    data = tmp_path / "data.toml"
    wait = "registration_wait_seconds = 60"
    data.write_text(text.replace(wait, "registration_wait_seconds = 90"), encoding="utf-8")
    result = invoke("troubleshoot", "border-registration", "--data", data)
    assert result.exit_code == 0, result.output
    assert "  2. Wait 90 seconds for the device to register." in result.stdout.splitlines()


def test_troubleshoot_input_ending_early_says_how_to_print_the_steps() -> None:
    result = walk("n", "handoff")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: no terminal to answer on; `readiness troubleshoot handoff --no-input` "
        "prints every step"
    ]


def test_troubleshoot_refuses_a_procedure_of_an_unknown_kind(tmp_path: Path) -> None:
    text = SHIPPED_DATA.read_text(encoding="utf-8")
    data = tmp_path / "data.toml"
    data.write_text(text.replace('kind = "conditions"', 'kind = "checklist"'), encoding="utf-8")
    result = invoke("troubleshoot", "handoff", "--data", data)
    assert result.exit_code == 2
    line = text.splitlines().index('kind = "conditions"') + 1
    assert result.stderr.splitlines() == [
        f"error: {data}: troubleshooting.handoff.kind (line {line}): "
        "must be one of: steps, conditions",
        f"error: {data}: troubleshooting.handoff.fallback (line {line + 7}): "
        'only a procedure of kind = "conditions" has one',
    ]


def test_troubleshoot_refuses_conditions_without_a_fallback(tmp_path: Path) -> None:
    text = SHIPPED_DATA.read_text(encoding="utf-8")
    start = text.index("fallback = ")
    data = tmp_path / "data.toml"
    data.write_text(text[:start] + text[text.index("\n", start) + 1 :], encoding="utf-8")
    result = invoke("troubleshoot", "handoff", "--data", data)
    assert result.exit_code == 2
    line = text.splitlines().index("[troubleshooting.handoff]") + 1
    assert result.stderr.splitlines() == [
        f"error: {data}: troubleshooting.handoff.fallback (line {line}): missing"
    ]
