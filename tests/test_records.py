"""Records that say true things: a "no caps" answer clears the cap warning from the
prompt to the report and its recheck, and the verdict names only marks on screen."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from click.testing import CliRunner, Result

from readiness.cli import cli
from readiness.knowledge import Knowledge
from readiness.prompts.walkthrough import Walkthrough
from readiness.render.results import results_text, verdict_sentence
from readiness.results import CheckResult, Status, Verdict

EXAMPLE = Path(__file__).parent.parent / "examples" / "answers.toml"
NOW = "2026-11-28T12:00:00Z"
CAP_QUESTION = "Does AlwaySIM cap the number of devices in any destination?"
NO_CAP_RECORDED = (
    "Some destinations allow only 3 devices on a multi-device profile and this trip has 4; "
    "no cap is recorded for Singapore (SG), Japan (JP): confirm with AlwaySIM."
)
WITHIN = "4 devices is within every destination's limit."


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


class CapsOnly:
    """Answers the cap question with ``answer``, skips every optional text question."""

    def __init__(self, answer: bool) -> None:
        self.answer = answer
        self.asked: list[str] = []

    def say(self, text: str) -> None:
        pass

    def confirm(self, message: str, default: bool = True) -> bool:
        self.asked.append(message)
        return self.answer

    def text(self, message: str, default: str = "", **_: Any) -> str:
        self.asked.append(message)
        return ""

    complete = text


def uncapped_doc() -> dict[str, Any]:
    doc = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    del doc["plan"]["device_limits"], doc["plan"]["uncapped"]
    return doc


def limit_result(report: Path) -> dict[str, str]:
    doc = tomllib.loads(report.read_text(encoding="utf-8"))
    (found,) = [c for c in doc["checks"] if c["id"] == "destination-device-limit"]
    return dict(found)


def test_without_a_cap_answer_the_check_warns(tmp_path: Path) -> None:
    answers = tmp_path / "answers.toml"
    answers.write_text(tomli_w.dumps(uncapped_doc()), encoding="utf-8")
    report = tmp_path / "report.toml"
    result = invoke("check", "--answers", str(answers), "--no-input", "--now", NOW,
                    "--report", str(report))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert limit_result(report)["status"] == "warn"
    assert limit_result(report)["message"] == NO_CAP_RECORDED


def test_no_caps_at_the_prompt_clears_the_warning_in_the_report_and_its_recheck(
    knowledge: Knowledge, tmp_path: Path
) -> None:
    doc = uncapped_doc()
    asker = CapsOnly(answer=False)
    walk = Walkthrough(
        knowledge,
        dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC),
        asker,  # type: ignore[arg-type]
        ask_optional=True,
        devices_complete=True,
    )
    walk.run(doc)
    assert asker.asked.count(CAP_QUESTION) == 1
    assert doc["plan"]["uncapped"] == ["SG", "JP"]

    answers = tmp_path / "answers.toml"
    answers.write_text(tomli_w.dumps(doc), encoding="utf-8")
    report = tmp_path / "report.toml"
    result = invoke("check", "--answers", str(answers), "--no-input", "--now", NOW,
                    "--report", str(report))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"  ✓ destination-device-limit  {WITHIN}" in result.output.splitlines()
    assert limit_result(report) == {
        "id": "destination-device-limit",
        "status": "pass",
        "subject": "",
        "message": WITHIN,
        "fix": "",
    }
    stored = tomllib.loads(report.read_text(encoding="utf-8"))["answers"]["plan"]
    assert stored["uncapped"] == ["SG", "JP"]

    again = tmp_path / "again.toml"
    recheck = invoke("recheck", str(report), "--no-input", "--now", "2026-11-30T12:00:00Z",
                     "--report", str(again))  # fmt: skip
    assert recheck.exit_code == 0, recheck.output
    assert limit_result(again)["status"] == "pass"
    assert tomllib.loads(again.read_text(encoding="utf-8"))["answers"]["plan"]["uncapped"] == [
        "SG",
        "JP",
    ]


# --- the verdict line -------------------------------------------------------------------------

WARN = CheckResult("data-budget", Status.WARN, "", "May exceed.", "Use Wi-Fi.")
FAIL = CheckResult("battery", Status.FAIL, "Ada's iPad", "12 %.", "Charge it.")
PASS = CheckResult("device-count", Status.PASS, "", "4 devices.")
SKIP = CheckResult("os-version", Status.SKIP, "Ada's Watch", "No minimum.")


@pytest.mark.parametrize(
    ("verdict", "results", "sentence"),
    [
        (Verdict.READY, [PASS, SKIP], "Ready: every device and step checks out."),
        (
            Verdict.READY_WITH_WARNINGS,
            [PASS, WARN],
            "Ready, with warnings: read the lines marked '!'.",
        ),
        (Verdict.NOT_READY, [FAIL, WARN], "Not ready: fix the lines marked '✗'."),
        (
            Verdict.NOT_READY,
            [PASS, WARN],
            "Not ready: warnings count as failures here (--strict); fix the lines marked '!'.",
        ),
        # A verdict its lines do not bear out names no mark at all.
        (Verdict.NOT_READY, [PASS], "Not ready."),
        (Verdict.READY_WITH_WARNINGS, [PASS], "Ready, with warnings."),
        (Verdict.READY, [PASS, WARN], "Ready."),
    ],
)  # fmt: skip
def test_the_verdict_sentence_names_only_marks_that_are_shown(
    verdict: Verdict, results: list[CheckResult], sentence: str
) -> None:
    assert verdict_sentence(verdict, results) == sentence
    shown = {r.status for r in results}
    for status, mark in ((Status.FAIL, "✗"), (Status.WARN, "!")):
        if status not in shown:
            assert f"'{mark}'" not in sentence
    assert results_text(results, verdict)[-1].startswith(sentence + "  (")


def test_strict_with_only_warnings_says_to_fix_the_warnings(tmp_path: Path) -> None:
    result = invoke("check", "--answers", str(EXAMPLE), "--no-input", "--now", NOW, "--strict",
                    "--report", str(tmp_path / "r.toml"))  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "✗" not in result.output
    assert (
        "Not ready: warnings count as failures here (--strict); fix the lines marked '!'."
        "  (30 passed, 1 warning, 4 skipped)"
    ) in result.output.splitlines()


# --- show: every sentence about "now" is said for the moment of showing -----------------------

SIGNED_AT = "2026-11-22T12:30:00Z"  # 8 days 13 h before the deadline (Tue 1 Dec 09:30 +08)
AFTER_DEPARTURE = "2026-12-04T02:30:00Z"  # 25 h after departure (Thu 3 Dec 09:30 +08)


@pytest.fixture
def early_report(tmp_path: Path) -> Path:
    report = tmp_path / "early.toml"
    result = invoke("check", "--answers", str(EXAMPLE), "--no-input", "--now", SIGNED_AT,
                    "--report", str(report))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (
        "  ✓ departure-window          Pre-departure steps due by Tue 1 Dec 2026 09:30 +08, "
        "8 days 13 h from now."
    ) in result.output.splitlines()
    return report


def test_show_after_departure_says_nothing_of_the_stored_from_now(early_report: Path) -> None:
    result = invoke("show", str(early_report), "--now", AFTER_DEPARTURE)
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert "from now" not in result.stdout
    assert "  ✗ departure-window          Departure (Thu 3 Dec 2026 09:30 +08) has passed." in lines
    verdict = lines.index(
        "Not ready: fix the lines marked '✗'.  (29 passed, 1 warning, 1 failed, 4 skipped)"
    )
    assert lines[verdict + 1 : verdict + 3] == [
        "Signed as ready, with warnings; as of Fri 4 Dec 2026 10:30 +08 it is not ready, "
        "because of the departure window.",
        "Departure (Thu 3 Dec 2026 09:30 +08) was 1 day 1 h ago.",
    ]


def test_show_inside_the_window_says_how_long_is_left_now(early_report: Path) -> None:
    result = invoke("show", str(early_report), "--now", "2026-11-30T12:00:00Z")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert (
        "  ✓ departure-window          Pre-departure steps due by Tue 1 Dec 2026 09:30 +08, "
        "13 h 30 min from now."
    ) in lines
    assert "8 days" not in result.stdout
    assert not any(line.startswith("Signed as") for line in lines)
    assert "Pre-departure deadline: Tue 1 Dec 2026 09:30 +08, 13 h 30 min from now." in lines


def test_show_markdown_and_json_speak_for_the_moment_too(early_report: Path) -> None:
    markdown = invoke("show", str(early_report), "--now", AFTER_DEPARTURE, "--format", "markdown")
    assert markdown.exit_code == 1
    assert "from now" not in markdown.stdout
    assert (
        "- ✗ `departure-window` Departure (Thu 3 Dec 2026 09:30 +08) has passed."
        in markdown.stdout.splitlines()
    )
    assert (
        "Signed as ready, with warnings; as of Fri 4 Dec 2026 10:30 +08 it is not ready, "
        "because of the departure window.  " in markdown.stdout.splitlines()
    )
    shown = invoke("show", str(early_report), "--now", AFTER_DEPARTURE, "--format", "json")
    doc = json.loads(shown.stdout)
    assert (doc["verdict"], doc["signed_verdict"]) == ("not-ready", "ready-with-warnings")
    (window,) = [c for c in doc["checks"] if c["id"] == "departure-window"]
    assert window["message"] == "Departure (Thu 3 Dec 2026 09:30 +08) has passed."


def test_a_strict_report_stays_strict_when_shown_later(tmp_path: Path) -> None:
    report = tmp_path / "strict.toml"
    invoke("check", "--answers", str(EXAMPLE), "--no-input", "--now", SIGNED_AT, "--strict",
           "--report", str(report))  # fmt: skip
    result = invoke("show", str(report), "--now", "2026-11-30T12:00:00Z")
    assert result.exit_code == 1
    assert (
        "Not ready: warnings count as failures here (--strict); fix the lines marked '!'."
        "  (30 passed, 1 warning, 4 skipped)"
    ) in result.stdout.splitlines()
    assert not any(line.startswith("Signed as") for line in result.stdout.splitlines())


# --- the inventory: `-o -` and what --now means there ------------------------------------------


def add_device() -> None:
    added = invoke("inventory", "add", "--label", "Ada's iPhone", "--model", "iPhone 15 Pro",
                   "--imei", "352099001761481", "--now", NOW)  # fmt: skip
    assert added.exit_code == 0, added.output


def test_inventory_export_dash_is_standard_output_and_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    add_device()
    result = invoke("inventory", "export", "-o", "-")
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "-").exists()
    assert result.stderr == ""
    assert result.stdout == invoke("inventory", "export").stdout
    assert result.stdout.splitlines()[1].startswith("Ada's iPhone,iPhone 15 Pro,352099001761481,")
    toml = invoke("inventory", "export", "--format", "toml", "--output", "-")
    assert toml.stdout.startswith("# The readiness IMEI inventory")


@pytest.mark.parametrize(
    ("command", "words"),
    [
        ("add", "Record this moment as when the device was added [default: now]."),
        ("edit", "Record this moment as when the device was changed [default: now]."),
        ("import", "Record this moment as when the devices were added [default: now]."),
    ],
)
def test_inventory_now_says_what_it_records(command: str, words: str) -> None:
    result = invoke("inventory", command, "--help")
    assert result.exit_code == 0
    help_text = " ".join(result.stdout.split())
    assert f"--now ISO-8601 {words}" in help_text
    assert "reproducing a report" not in help_text


# --- the README's set-up ----------------------------------------------------------------------


def test_the_readme_says_what_to_clone_which_python_and_the_venv_before_two_commands() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    before, _, rest = readme.partition("```sh\n")
    assert rest.split("```", 1)[0].splitlines() == [  # what CI runs: exactly these two
        "python -m pip install . && readiness check",
        "python -m pip install '.[test]' && pytest",
    ]
    prose = " ".join(before.split())
    assert "Python 3.11 or newer" in prose
    assert "Clone this repository" in prose
    assert "`python3 -m venv .venv`, then `. .venv/bin/activate`" in prose
