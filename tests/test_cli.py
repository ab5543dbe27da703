"""The command line, through click's test runner (and one real subprocess)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import click.testing
import pytest
from click.testing import CliRunner, Result

from readiness import __version__
from readiness.cli import cli

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "answers.toml"
ANSWERS = Path(__file__).parent / "fixtures" / "answers"
NOW = "2026-11-30T12:00:00Z"
ANSI = re.compile(r"\x1b\[")


def invoke(*args: str | Path, env: dict[str, str] | None = None, color: bool = False) -> Result:
    """Run the CLI; ``color=True`` keeps ANSI codes click would strip for a non-terminal."""
    result = CliRunner().invoke(cli, [str(a) for a in args], env=env, color=color)
    # Expected errors end with a message and an exit code, never a traceback.
    assert "Traceback" not in result.output
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), result.exception
    return result


def check(
    answers: Path,
    report: Path,
    *extra: str | Path,
    env: dict[str, str] | None = None,
    color: bool = False,
) -> Result:
    return invoke(
        "check", "--answers", answers, "--no-input", "--now", NOW, "--report", report, *extra,
        env=env, color=color,
    )  # fmt: skip


# --- check ---------------------------------------------------------------------------------


def test_check_example_writes_a_report_that_verifies(tmp_path: Path) -> None:
    report = tmp_path / "R.toml"
    result = check(EXAMPLE, report)
    assert result.exit_code == 0, result.output
    assert report.is_file()
    assert f"Report written to {report} (signed by Ada Lovelace)." in result.output
    assert "Ready, with warnings" in result.stdout
    verified = invoke("verify", report)
    assert verified.exit_code == 0, verified.output
    assert "unchanged and signed by Ada Lovelace" in verified.stdout
    assert "with this machine's key (key SHA256:" in verified.stdout
    assert "signed by Ada Lovelace" in verified.stdout


def test_check_text_output_groups_and_marks(tmp_path: Path) -> None:
    result = check(EXAMPLE, tmp_path / "R.toml")
    lines = [line.strip() for line in result.stdout.splitlines()]
    for group in ("Plan and trip", "Devices", "Setup", "Before departure"):
        assert group in lines
    assert any(re.match(r"✓ device-count +4 devices", line) for line in lines)
    assert any(re.match(r"! data-budget +Estimated", line) for line in lines)
    assert any(re.match(r"- os-version +.*watchOS", line) for line in lines)
    assert "Ada's Watch" in result.stdout
    assert "Pre-departure deadline: Tue 1 Dec 2026 09:30 +08" in result.stdout


def test_failing_answers_exit_1_and_still_write_the_report(tmp_path: Path) -> None:
    report = tmp_path / "R.toml"
    result = check(ANSWERS / "failing.toml", report)
    assert result.exit_code == 1, result.output
    assert report.is_file()
    assert "Not ready" in result.stdout
    assert "✗ battery" in result.stdout
    assert "check digit is wrong" in result.stdout
    assert 'verdict = "not-ready"' in report.read_text(encoding="utf-8")
    assert invoke("verify", report).exit_code == 0


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("all_problems.toml", "devices[2].battery (line 28): must be 0-100, got 185"),
        ("syntax_error.toml", "line 4, column 21: illegal character"),
        ("bad_date.toml", "line 5, column "),
        ("not_utf8.toml", "line 5: is not UTF-8 text"),
        ("empty.toml", "is empty; expected a TOML answers file"),
        ("no_offset.toml", "trip.departure (line 9): has no UTC offset"),
        ("does_not_exist.toml", "no such answers file"),
    ],
)
def test_bad_input_exit_2_and_no_report(tmp_path: Path, name: str, message: str) -> None:
    report = tmp_path / "R.toml"
    result = check(ANSWERS / name, report)
    assert result.exit_code == 2, result.output
    assert f"error: {ANSWERS / name}: {message}" in result.stderr
    assert not report.exists()
    assert list(tmp_path.iterdir()) == []


def test_every_problem_is_one_error_line(tmp_path: Path) -> None:
    result = check(ANSWERS / "all_problems.toml", tmp_path / "R.toml")
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 7
    assert errors == result.stderr.splitlines()


def test_existing_report_is_not_replaced_without_force(tmp_path: Path) -> None:
    report = tmp_path / "R.toml"
    report.write_text("keep me\n", encoding="utf-8")
    result = check(EXAMPLE, report)
    assert result.exit_code == 2
    assert f"error: {report}: already exists; use --force" in result.stderr
    assert report.read_text(encoding="utf-8") == "keep me\n"


def test_force_replaces_an_existing_report(tmp_path: Path) -> None:
    report = tmp_path / "R.toml"
    report.write_text("old\n", encoding="utf-8")
    result = check(EXAMPLE, report, "--force")
    assert result.exit_code == 0, result.output
    assert report.read_text(encoding="utf-8").startswith("schema = 1")


def test_report_is_named_after_the_trip_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("check", "--answers", EXAMPLE, "--no-input", "--now", NOW)
    assert result.exit_code == 0, result.output
    name = "readiness-singapore-and-tokyo-2026-12-03.toml"
    assert (tmp_path / name).is_file()
    assert invoke("verify", name).exit_code == 0


def test_json_format(tmp_path: Path) -> None:
    result = check(EXAMPLE, tmp_path / "R.toml", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"verdict", "deadline", "checks"}
    assert data["verdict"] == "ready-with-warnings"
    assert data["deadline"] == "2026-12-01T09:30:00+08:00"
    assert data["checks"]
    for item in data["checks"]:
        assert set(item) == {"id", "status", "subject", "message", "fix"}
        assert item["status"] in ("pass", "warn", "fail", "skip")
    budget = next(c for c in data["checks"] if c["id"] == "data-budget")
    assert budget["status"] == "warn"
    assert budget["fix"]
    # The report line goes to stderr so stdout stays JSON.
    assert "Report written" in result.stderr


def test_json_matches_the_report(tmp_path: Path) -> None:
    import tomllib

    report = tmp_path / "R.toml"
    data = json.loads(check(EXAMPLE, report, "--format", "json").stdout)
    with report.open("rb") as handle:
        doc = tomllib.load(handle)
    assert data["checks"] == doc["checks"]
    assert data["verdict"] == doc["report"]["verdict"]


def test_missing_answers_with_no_input_lists_every_key(tmp_path: Path) -> None:
    path = ANSWERS / "missing_answers.toml"
    report = tmp_path / "R.toml"
    result = check(path, report)
    assert result.exit_code == 2
    keys = [
        "checklist.same_wifi",
        "checklist.profiles_backed_up",
        "checklist.offline_maps",
        "checklist.network_preference",
        "devices[1].os_version",
        "devices[1].battery",
        "devices[1].roaming_authorized",
        "devices[1].wifi_calling",
        "checklist.airplane_schedule",
    ]
    for key in keys:
        assert f"error: {path}: {key}: missing (needed with --no-input)" in result.stderr
    assert len(result.stderr.splitlines()) == len(keys)
    assert not report.exists()


def test_no_signer_exit_2(tmp_path: Path) -> None:
    path = ANSWERS / "no_traveler.toml"
    report = tmp_path / "R.toml"
    result = check(path, report)
    assert result.exit_code == 2
    assert (
        f"error: {path}: traveler.name: missing, and no --signer given: "
        "someone must sign the report"
    ) in result.stderr
    assert not report.exists()


def test_signer_option_signs(tmp_path: Path) -> None:
    report = tmp_path / "R.toml"
    result = check(ANSWERS / "no_traveler.toml", report, "--signer", "Grace Hopper")
    assert result.exit_code == 0, result.output
    assert 'by = "Grace Hopper"' in report.read_text(encoding="utf-8")


@pytest.mark.parametrize("signer", ["", "  ", "Grace\nHopper", "Grace\x1b[2JHopper", "G\u2028H"])
def test_a_signer_must_be_a_name_on_one_line(tmp_path: Path, signer: str) -> None:
    report = tmp_path / "R.toml"
    result = check(EXAMPLE, report, "--signer", signer)
    assert result.exit_code == 2
    assert (
        "Invalid value for '--signer': give a name on one line, e.g. --signer 'Ada Lovelace'"
    ) in result.stderr
    assert not report.exists()


def test_strict_turns_a_warnings_only_run_into_exit_1(tmp_path: Path) -> None:
    path = ANSWERS / "warnings_only.toml"
    relaxed = check(path, tmp_path / "relaxed.toml")
    assert relaxed.exit_code == 0, relaxed.output
    assert "Ready, with warnings" in relaxed.stdout
    strict = check(path, tmp_path / "strict.toml", "--strict")
    assert strict.exit_code == 1, strict.output
    assert "Not ready" in strict.stdout
    assert 'verdict = "not-ready"' in (tmp_path / "strict.toml").read_text(encoding="utf-8")


def test_ready_answers_exit_0_even_with_strict(tmp_path: Path) -> None:
    result = check(ANSWERS / "minimal.toml", tmp_path / "R.toml", "--strict")
    assert result.exit_code == 0, result.output
    assert "Ready: every device and step checks out." in result.stdout


def test_now_without_offset_exit_2(tmp_path: Path) -> None:
    result = invoke(
        "check", "--answers", EXAMPLE, "--no-input", "--now", "2026-11-30T12:00:00",
        "--report", tmp_path / "R.toml",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "has no UTC offset" in result.stderr
    assert not (tmp_path / "R.toml").exists()


def test_now_that_is_no_date_exit_2(tmp_path: Path) -> None:
    result = invoke("check", "--answers", EXAMPLE, "--no-input", "--now", "tomorrow")
    assert result.exit_code == 2
    assert "is not an ISO-8601 date and time" in result.stderr


def test_now_decides_the_departure_window(tmp_path: Path) -> None:
    late = invoke(
        "check", "--answers", EXAMPLE, "--no-input", "--now", "2026-12-02T12:00:00+08:00",
        "--report", tmp_path / "late.toml", "--format", "json",
    )  # fmt: skip
    window = next(c for c in json.loads(late.stdout)["checks"] if c["id"] == "departure-window")
    assert window["status"] == "warn"
    gone = invoke(
        "check", "--answers", EXAMPLE, "--no-input", "--now", "2026-12-04T00:00:00Z",
        "--report", tmp_path / "gone.toml", "--format", "json",
    )  # fmt: skip
    assert gone.exit_code == 1
    window = next(c for c in json.loads(gone.stdout)["checks"] if c["id"] == "departure-window")
    assert window["status"] == "fail"


def test_other_data_file(tmp_path: Path) -> None:
    text = (ROOT / "data" / "compatibility.toml").read_text(encoding="utf-8")
    data = tmp_path / "data.toml"
    data.write_text(text.replace("min_battery_percent = 20", "min_battery_percent = 70"), "utf-8")
    result = check(EXAMPLE, tmp_path / "R.toml", "--data", data, "--format", "json")
    assert result.exit_code == 1, result.output
    battery = [c for c in json.loads(result.stdout)["checks"] if c["id"] == "battery"]
    assert [c["status"] for c in battery] == ["pass", "fail", "pass", "fail"]


def test_broken_data_file_exit_2(tmp_path: Path) -> None:
    text = (ROOT / "data" / "compatibility.toml").read_text(encoding="utf-8")
    data = tmp_path / "data.toml"
    data.write_text(text.replace("max_devices = 8", 'max_devices = "8"'), "utf-8")
    result = check(EXAMPLE, tmp_path / "R.toml", "--data", data)
    assert result.exit_code == 2
    assert f"error: {data}: limits.max_devices (line " in result.stderr
    assert not (tmp_path / "R.toml").exists()


# --- colour ----------------------------------------------------------------------------------


def test_non_terminal_output_has_no_ansi(tmp_path: Path) -> None:
    # color=True: nothing strips codes on the way out, so none may be made.
    result = check(ANSWERS / "failing.toml", tmp_path / "R.toml", color=True)
    assert result.exit_code == 1
    assert not ANSI.search(result.output)


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the runner's captured stdout claim to be a terminal."""
    monkeypatch.setattr(click.testing._NamedTextIOWrapper, "isatty", lambda self: True)


@pytest.mark.usefixtures("terminal")
def test_terminal_output_is_coloured(tmp_path: Path) -> None:
    result = check(ANSWERS / "failing.toml", tmp_path / "R.toml", color=True)
    assert ANSI.search(result.stdout)


@pytest.mark.usefixtures("terminal")
def test_no_color_turns_colour_off_at_a_terminal(tmp_path: Path) -> None:
    result = check(ANSWERS / "failing.toml", tmp_path / "R.toml", env={"NO_COLOR": "1"}, color=True)
    assert result.exit_code == 1
    assert not ANSI.search(result.output)


# --- verify -----------------------------------------------------------------------------------


def test_verify_edited_report_exit_1_naming_the_section(tmp_path: Path) -> None:
    report = tmp_path / "R.toml"
    check(EXAMPLE, report)
    text = report.read_text(encoding="utf-8")
    report.write_text(text.replace("battery = 64", "battery = 94"), encoding="utf-8")
    result = invoke("verify", report)
    assert result.exit_code == 1
    assert f"{report}: changed after sign-off: answers.devices" in result.stderr


def test_verify_edited_verdict(tmp_path: Path) -> None:
    report = tmp_path / "R.toml"
    check(ANSWERS / "failing.toml", report)
    text = report.read_text(encoding="utf-8")
    report.write_text(text.replace('verdict = "not-ready"', 'verdict = "ready"'), "utf-8")
    result = invoke("verify", report)
    assert result.exit_code == 1
    assert "changed after sign-off: report" in result.stderr


def test_verify_on_a_machine_without_the_key(tmp_path: Path) -> None:
    report = tmp_path / "R.toml"
    check(EXAMPLE, report)
    elsewhere = tmp_path / "other-home"
    result = invoke("verify", report, env={"READINESS_HOME": str(elsewhere)})
    assert result.exit_code == 1  # a key no one listed is not trusted
    assert "signed by Ada Lovelace" in result.stderr
    assert "with a key no one listed (key SHA256:" in result.stderr
    assert not elsewhere.exists(), "verify must not make a key"


def test_verify_not_a_report(tmp_path: Path) -> None:
    result = invoke("verify", EXAMPLE)
    assert result.exit_code == 2
    assert "not a signed readiness report" in result.stderr


def test_verify_missing_report(tmp_path: Path) -> None:
    result = invoke("verify", tmp_path / "nope.toml")
    assert result.exit_code == 2
    assert f"error: {tmp_path / 'nope.toml'}: no such report" in result.stderr


# --- matrix -----------------------------------------------------------------------------------


def test_matrix_table_lists_nine_rows() -> None:
    result = invoke("matrix")
    assert result.exit_code == 0
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("Device")
    assert "eSIM support level" in lines[0]
    rows = lines[2:]
    assert len(rows) == 9
    assert rows[0].split("  ")[0] == "iPhone 15 Pro and newer"
    assert "iOS 19.4" in rows[0]
    assert "Windows 11 24H2" in rows[7]
    assert "watchOS: none given" in rows[5]


def test_matrix_json() -> None:
    result = invoke("matrix", "--format", "json")
    rows = json.loads(result.stdout)
    assert len(rows) == 9
    assert rows[1]["multi_device"] == "Limited"
    assert rows[0]["os_minimum"] == "19.4"


def test_matrix_later_model_shows_its_row() -> None:
    result = invoke("matrix", "iPhone 18 Pro")
    assert result.exit_code == 0
    assert "iPhone 18 Pro: iPhone 15 Pro and newer (phone)" in result.stdout
    assert "iOS 19.4" in result.stdout
    assert "Full" in result.stdout


def test_matrix_model_not_in_matrix_still_gives_its_os_minimum() -> None:
    result = invoke("matrix", "iPhone 15")
    assert result.exit_code == 0
    assert "iPhone 15: not in matrix." in result.stdout
    assert "iOS 19.4" in result.stdout


def test_matrix_for_a_catalogue_model_in_no_row_says_so_without_suggestions() -> None:
    result = invoke("matrix", "iPhone 15")
    assert (
        "  readiness could not place this model in a row of the guide's table; "
        "its eSIM support is unknown."
    ) in result.stdout.splitlines()
    assert "Closest" not in result.stdout


def test_matrix_suggests_catalogue_names_for_an_unknown_model() -> None:
    result = invoke("matrix", "Galaxy S25 Ultraa")
    assert "Galaxy S25 Ultraa: not in matrix." in result.stdout
    assert "Closest catalogue names: Samsung Galaxy S25 Ultra" in result.stdout


def test_matrix_json_for_a_model() -> None:
    data = json.loads(invoke("matrix", "Galaxy S26", "--format", "json").stdout)
    assert data["row"]["id"] == "galaxy-s24-and-newer"
    assert data["os_minimum"] == "16"


# --- the program --------------------------------------------------------------------------------


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert __version__ in result.stdout
    assert result.stdout.startswith("readiness")


def test_help_lists_commands() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    for command in ("check", "verify", "matrix"):
        assert command in result.stdout


def test_python_m_readiness_help(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "READINESS_HOME": str(tmp_path / "home")}
    env.pop("NO_COLOR", None)
    done = subprocess.run(
        [sys.executable, "-m", "readiness", "--help"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Usage:" in done.stdout
    assert "check" in done.stdout
    assert done.stderr == ""


def test_python_m_readiness_check_exit_codes(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "READINESS_HOME": str(tmp_path / "home")}
    base = [sys.executable, "-m", "readiness", "check", "--no-input", "--now", NOW]
    ready = subprocess.run(
        [*base, "--answers", str(EXAMPLE), "--report", str(tmp_path / "a.toml")],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )  # fmt: skip
    assert ready.returncode == 0, ready.stderr
    failing = subprocess.run(
        [*base, "--answers", str(ANSWERS / "failing.toml"), "--report", str(tmp_path / "b.toml")],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )  # fmt: skip
    assert failing.returncode == 1, failing.stderr
    bad_report = tmp_path / "c.toml"
    bad = subprocess.run(
        [*base, "--answers", str(ANSWERS / "all_problems.toml"), "--report", str(bad_report)],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )  # fmt: skip
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr
    assert not bad_report.exists()


def test_a_report_path_that_is_a_folder_is_refused_plainly(tmp_path) -> None:
    from click.testing import CliRunner

    from readiness.cli import cli

    answers = str(__import__("pathlib").Path(__file__).parent.parent / "examples" / "answers.toml")
    result = CliRunner().invoke(
        cli,
        [
            "check",
            "--answers",
            answers,
            "--no-input",
            "--now",
            "2026-11-30T12:00:00Z",
            "--report",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 2
    assert (
        result.output.splitlines()[-1]
        == f"error: {tmp_path}: is a folder; give --report a file name"
    )
