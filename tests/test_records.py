"""Records that say true things: a "no caps" answer clears the cap warning from the
prompt to the report and its recheck, and the verdict names only marks on screen."""

from __future__ import annotations

import datetime as dt
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
