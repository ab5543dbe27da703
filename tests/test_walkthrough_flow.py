"""The guided walkthrough end to end: answers, refusals, drafts, partial files, inventory."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from walkthrough_helpers import CLEAR, CTRL_C, DOWN, ENTER, NOW_DT, device

from readiness import identifiers, inventory, places, state
from readiness.cli import cli
from readiness.prompts.asker import Asker, name_check, refusal

NOW = "2026-11-28T12:00:00Z"


TRIP = [
    "Ada Lovelace" + ENTER,  # traveller
    "Tokyo week" + ENTER,  # trip name
    CLEAR + "Asia/Singapore" + ENTER,  # departure time zone
    "2026-12-10 10:00" + ENTER,  # departure
    "Singapore" + ENTER,  # home
    "Japan" + ENTER,  # first destination
    ENTER,  # no more destinations
    ENTER,  # no return date
]

PLAN = [
    "AlwaySIM" + ENTER,
    "y",  # multi-device
    ENTER,  # "Only some countries"
    "y",  # covers Japan
    ENTER,  # 8 devices
    "n",  # no caps
    ENTER,  # no data pool
]


CHECKLIST = [
    "y",  # same Wi-Fi
    "y",  # offline maps
    "y",  # network preference
    ENTER,  # profiles backed up: yes
    "y",  # airplane-mode schedules (Singapore -> Japan crosses an offset)
]


def sign_off(save_as: Path | None = None, *, keep_devices: bool = False) -> list[str]:
    keys = [ENTER, "y", ENTER]  # sign off, confirm the statement, sign as the traveller
    keys.append("y" if keep_devices else "n")  # save typed devices to the inventory?
    if save_as is None:
        return [*keys, "n"]
    return [*keys, "y", CLEAR + str(save_as) + ENTER]


def run(keys: list[str], args: list[str], said: list[str]) -> Result:
    """Run `readiness check` with the given keystrokes typed ahead into the prompts.

    The pipe is closed after the last key, so a prompt the test did not expect
    ends the run (no terminal, exit 2) instead of waiting forever.
    """
    with create_pipe_input() as pipe:
        pipe.send_text("".join(keys))
        pipe.close()
        asker = Asker(input=pipe, output=DummyOutput(), say=said.append)
        return CliRunner().invoke(cli, ["check", "--now", NOW, *args], obj={"asker": asker})


@pytest.fixture
def chdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def report_checks(path: Path) -> list[dict[str, str]]:
    return tomllib.loads(path.read_text(encoding="utf-8"))["checks"]


def test_happy_path_gives_the_same_results_as_the_answers_file(
    chdir: Path, said: list[str], readiness_home: Path
):
    saved = chdir / "answers.toml"
    result = run(
        [*TRIP, *PLAN, *device(), *CHECKLIST, *sign_off(saved)], ["--report", "walked.toml"], said
    )
    assert result.exit_code == 0, result.output
    assert "Report written to walked.toml (signed by Ada Lovelace)." in result.output
    assert "  ✓ iPhone 15 Pro and newer: Full eSIM support." in said

    again = CliRunner().invoke(
        cli,
        [
            "check",
            "--answers",
            str(saved),
            "--no-input",
            "--now",
            NOW,
            "--report",
            "from-file.toml",
        ],
    )
    assert again.exit_code == 0, again.output
    assert report_checks(chdir / "walked.toml") == report_checks(chdir / "from-file.toml")
    answers = tomllib.loads((chdir / "walked.toml").read_text(encoding="utf-8"))["answers"]
    assert answers["trip"]["destinations"] == ["JP"]
    assert answers["devices"][0]["primary"] is True
    assert not state.draft_path(readiness_home).exists()


def test_an_invalid_imei_is_refused_with_the_reason_then_corrected(chdir: Path, said: list[str]):
    validate = refusal(identifiers.validate_imei)
    assert validate("352099001761482") == (
        "check digit is wrong (expected 1); look for a mistyped digit"
    )
    assert validate("352099001761481") is True
    # Typed wrong, refused at the prompt, fixed with backspace: the walk-through goes on.
    typo = "352099001761482" + ENTER + "\x7f" + "1"
    result = run(
        [*TRIP, *PLAN, *device(imei=typo), *CHECKLIST, *sign_off()], ["--report", "r.toml"], said
    )
    assert result.exit_code == 0, result.output
    answers = tomllib.loads((chdir / "r.toml").read_text(encoding="utf-8"))["answers"]
    assert answers["devices"][0]["imei"] == "352099001761481"


def test_names_typed_at_a_prompt_are_held_to_the_loader_s_one_line_rule():
    needed, optional = name_check("give it a label"), name_check(None)
    assert needed("Ada's iPhone ✈") is True
    assert needed("  ") == "give it a label"
    assert optional("") is True
    for pasted in ("Ada\tiPhone", "Ada\x85iPhone", "Ada\x1b[2J", "Ada\u2028iPhone"):
        assert (
            needed(pasted)
            == optional(pasted)
            == "must be one line of text with no hidden characters"
        )


def test_an_unknown_country_is_refused_with_a_suggestion(chdir: Path, said: list[str]):
    validate = refusal(places.resolve_country)
    assert validate("Japn") == "unknown country 'Japn'; did you mean Japan (JP)?"
    trip = list(TRIP)
    trip[5] = "Japn" + ENTER + CLEAR + "Japan" + ENTER
    result = run([*trip, *PLAN, *device(), *CHECKLIST, *sign_off()], ["--report", "r.toml"], said)
    assert result.exit_code == 0, result.output
    answers = tomllib.loads((chdir / "r.toml").read_text(encoding="utf-8"))["answers"]
    assert answers["trip"]["destinations"] == ["JP"]


def test_ctrl_c_keeps_a_draft_that_resume_completes(
    chdir: Path, said: list[str], readiness_home: Path
):
    result = run([*TRIP, *PLAN[:3], CTRL_C], ["--report", "r.toml"], said)
    assert result.exit_code == 130
    assert "continue with `readiness check --resume`" in result.output
    draft = tomllib.loads(state.draft_path(readiness_home).read_text(encoding="utf-8"))
    assert draft["answers"]["trip"]["name"] == "Tokyo week"
    assert draft["answers"]["plan"]["provider"] == "AlwaySIM"
    assert "coverage" not in draft["answers"]["plan"]
    assert (state.draft_path(readiness_home).stat().st_mode & 0o777) == 0o600
    assert not (chdir / "r.toml").exists()

    # The resumed run asks only what is missing: from the coverage question on.
    resumed = run(
        [ENTER, "y", ENTER, "n", ENTER, *device(), *CHECKLIST, *sign_off()],
        ["--resume", "--report", "r.toml"],
        said,
    )
    assert resumed.exit_code == 0, resumed.output
    answers = tomllib.loads((chdir / "r.toml").read_text(encoding="utf-8"))["answers"]
    assert answers["trip"]["name"] == "Tokyo week"
    assert answers["plan"]["coverage"] == ["JP"]
    assert not state.draft_path(readiness_home).exists()


def test_resume_without_a_draft_is_an_input_error(chdir: Path, said: list[str]):
    result = run([], ["--resume"], said)
    assert result.exit_code == 2
    assert "no draft to resume" in result.output


def test_fixing_a_failing_battery_and_evaluating_again(chdir: Path, said: list[str]):
    change_battery = [
        DOWN + ENTER,  # What next? -> Change an answer
        DOWN * 3 + ENTER,  # Which part? -> Device: Ada's iPhone 16 Pro
        DOWN * 6 + ENTER,  # Which answer? -> Battery level (model, label, OS, IMEI, IMEI2, EID)
        CLEAR + "75" + ENTER,
    ]
    result = run(
        [*TRIP, *PLAN, *device(battery="12"), *CHECKLIST, *change_battery, *sign_off()],
        ["--report", "r.toml"],
        said,
    )
    assert result.exit_code == 0, result.output
    assert "✗ battery" in result.output
    assert "Battery at 12 %; setup needs at least 20 %." in result.output
    assert "  ! Below 20 %: charge it before setting up the plan." in said
    battery = [c for c in report_checks(chdir / "r.toml") if c["id"] == "battery"]
    assert battery == [
        {
            "id": "battery",
            "status": "pass",
            "subject": "Ada's iPhone 16 Pro",
            "message": "Battery at 75 %.",
            "fix": "",
        }
    ]


def test_a_partial_answers_file_asks_only_what_it_lacks(chdir: Path, said: list[str]):
    partial = chdir / "partial.toml"
    partial.write_text(
        'schema = 1\n[traveler]\nname = "Ada Lovelace"\n'
        '[trip]\nname = "Tokyo week"\ndeparture = 2026-12-10T10:00:00+08:00\n'
        'home = "SG"\ndestinations = ["Japan"]\n'
        '[plan]\nprovider = "AlwaySIM"\nmulti_device = true\ncoverage = ["*"]\nmax_devices = 8\n'
        "[checklist]\nsame_wifi = true\noffline_maps = true\nnetwork_preference = true\n"
        'profiles_backed_up = "n/a"\nairplane_schedule = true\n',
        encoding="utf-8",
    )
    keys = [ENTER, "n", ENTER, *device(), *sign_off()]  # return, caps, pool, one device
    result = run(keys, ["--answers", str(partial), "--report", "r.toml"], said)
    assert result.exit_code == 0, result.output
    answers = tomllib.loads((chdir / "r.toml").read_text(encoding="utf-8"))["answers"]
    assert answers["plan"]["coverage"] == ["*"]
    assert answers["devices"][0]["model"] == "iPhone 16 Pro"


def test_a_wrong_value_in_a_partial_file_is_an_input_error(chdir: Path, said: list[str]):
    partial = chdir / "partial.toml"
    partial.write_text('[trip]\nname = "X"\nhome = "Atlantis"\n', encoding="utf-8")
    result = run([], ["--answers", str(partial)], said)
    assert result.exit_code == 2
    assert (
        "error: " + str(partial) + ": trip.home (line 3): unknown country 'Atlantis'; "
        "use an ISO code such as JP or an English name"
    ) in result.output


def test_without_a_terminal_and_without_answers_it_refuses_at_once(tmp_path: Path):
    done = subprocess.run(
        [sys.executable, "-m", "readiness", "check"],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "error: no terminal to ask questions on; run `readiness check --answers FILE "
        "--no-input` (examples/answers.toml shows every key)"
    )
    assert "Traceback" not in done.stderr


def test_typed_devices_are_saved_to_the_inventory_and_offered_next_time(
    chdir: Path, said: list[str], readiness_home: Path
):
    first = run(
        [*TRIP, *PLAN, *device(), *CHECKLIST, *sign_off(keep_devices=True)],
        ["--report", "one.toml"],
        said,
    )
    assert first.exit_code == 0, first.output
    assert "Saved Ada's iPhone 16 Pro to the inventory." in first.output
    book = inventory.load(readiness_home)
    assert [(e.label, e.imei, e.owner) for e in book] == [
        ("Ada's iPhone 16 Pro", "352099001761481", "Ada Lovelace")
    ]

    # Next trip: pick the saved phone (space, enter); only what changes is asked.
    picked = [
        " " + ENTER,  # the checkbox: pick the one saved device
        "19.4.1" + ENTER,
        ENTER,
        ENTER,  # OS version, IMEI2, EID (IMEI came from the inventory)
        "90" + ENTER,
        ENTER,
        "y",
        "y",  # battery, priority, roaming, Wi-Fi Calling
        "n",  # no more devices
    ]
    second = run([*TRIP, *PLAN, *picked, *CHECKLIST, *sign_off()], ["--report", "two.toml"], said)
    assert second.exit_code == 0, second.output
    assert "  Ada's iPhone 16 Pro: iPhone 16 Pro" in said
    report = tomllib.loads((chdir / "two.toml").read_text(encoding="utf-8"))
    [phone] = report["answers"]["devices"]
    assert phone["imei"] == "352099001761481"
    assert phone["inventory"] == "Ada's iPhone 16 Pro"
    assert phone["battery"] == 90


def test_an_answers_file_may_name_an_inventory_entry(chdir: Path, readiness_home: Path):
    inventory.add(
        readiness_home,
        inventory.new_entry(
            label="Work phone", model="Google Pixel 9", imei="352099001761481", now=NOW_DT
        ),
    )
    answers = chdir / "answers.toml"
    text = (Path(__file__).parent / "fixtures" / "solo.toml").read_text(encoding="utf-8")
    text = text.replace(
        'label = "Grace\'s Pixel"\nmodel = "Google Pixel 9"\n'
        'os_version = "Android 16"\nimei = "352099001761481"\n',
        'inventory = "Work phone"\nos_version = "Android 16"\n',
    )
    answers.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["check", "--answers", str(answers), "--no-input", "--now", NOW, "--report", "r.toml"]
    )
    assert result.exit_code == 1, result.output  # the fixture's battery is low
    [phone] = tomllib.loads((chdir / "r.toml").read_text(encoding="utf-8"))["answers"]["devices"]
    assert (phone["label"], phone["model"], phone["imei"]) == (
        "Work phone",
        "Google Pixel 9",
        "352099001761481",
    )

    answers.write_text(text.replace('"Work phone"', '"Work phon"'), encoding="utf-8")
    missing = CliRunner().invoke(
        cli, ["check", "--answers", str(answers), "--no-input", "--now", NOW, "--report", "r2.toml"]
    )
    assert missing.exit_code == 2
    assert missing.output.strip() == (
        f'error: {answers}: devices[1].inventory: no device "Work phon" in the inventory; '
        "did you mean Work phone?"
    )


def test_the_saved_answers_file_checked_again_asks_nothing(chdir: Path, said: list[str]) -> None:
    saved = chdir / "answers.toml"
    first = run(
        [*TRIP, *PLAN, *device(), *CHECKLIST, *sign_off(saved)], ["--report", "one.toml"], said
    )
    assert first.exit_code == 0, first.output
    written = tomllib.loads(saved.read_text(encoding="utf-8"))
    [phone] = written["devices"]
    assert (phone["imei2"], phone["eid"], phone["priority"]) == ("", "", "standard")
    assert written["plan"]["uncapped"] == ["JP"]
    # Only the review and the sign-off: a question would meet the closed pipe and stop.
    again = run(sign_off(), ["--answers", str(saved), "--report", "two.toml"], said)
    assert again.exit_code == 0, again.output
    assert report_checks(chdir / "one.toml") == report_checks(chdir / "two.toml")
