"""`readiness inventory` import and export, two commands at once, a real terminal."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from inventory_helpers import EID, IMEI_A, NOW, errors, run

from readiness import inventory

FIXTURES = Path(__file__).parent / "fixtures" / "inventory"

ROOT = Path(__file__).parent.parent


# ----------------------------------------------------------------- import


def test_import_mdm_export(readiness_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)
    result = run("import", "devices.csv", "--now", NOW)
    assert result.exit_code == 1  # one row was rejected; the good ones are in
    assert result.stdout.splitlines() == [
        "devices.csv: row 4: rejected: IMEI 352099001761482: check digit is wrong "
        "(expected 1); look for a mistyped digit",
        'devices.csv: row 5: skipped: IMEI 352099001761481 is already on "Ada\'s iPhone" (row 2)',
        "devices.csv: 3 devices added, 1 already in the inventory, 1 rejected.",
    ]
    assert result.stderr == ""
    labels = [e.label for e in inventory.load(readiness_home)]
    assert labels == ["Ada's iPhone", "Ada's iPad", "Bob's Galaxy"]


def test_import_clean_file_exits_0(readiness_home: Path) -> None:
    result = run("import", str(FIXTURES / "excel-semicolon.csv"), "--now", NOW)
    assert result.exit_code == 0
    assert result.stdout.endswith(": 2 devices added, 0 already in the inventory, 0 rejected.\n")
    assert inventory.load(readiness_home).find("Dan; travel phone") is not None
    again = run("import", str(FIXTURES / "excel-semicolon.csv"), "--now", NOW)
    assert again.exit_code == 0  # everything already there is not a failure
    assert again.stdout.endswith(": 0 devices added, 2 already in the inventory, 0 rejected.\n")


def test_import_dry_run_shows_the_mapping_and_changes_nothing(
    readiness_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(FIXTURES)
    result = run("import", "devices.csv", "--dry-run", "--now", NOW)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "devices.csv: read as no known MDM's layout (UTF-8, comma-separated)",
        '  label: "Device Name"',
        '  model: "Model"',
        '  IMEI: "IMEI"',
        '  IMEI2: "Secondary IMEI"',
        '  EID: "EID"',
        '  owner: "Username"',
        '  serial number: "Serial Number" (tells devices of one name apart)',
        "  not used: OS Version",
        'devices.csv: row 2: would add "Ada\'s iPhone" (iPhone 15 Pro, owner ada)',
        'devices.csv: row 3: would add "Ada\'s iPad" (iPad Pro (M4), owner ada)',
        "devices.csv: row 4: rejected: IMEI 352099001761482: check digit is wrong "
        "(expected 1); look for a mistyped digit",
        'devices.csv: row 5: skipped: IMEI 352099001761481 is already on "Ada\'s iPhone" (row 2)',
        'devices.csv: row 6: would add "Bob\'s Galaxy" (Galaxy S24, owner bob)',
        "devices.csv: 3 devices to add, 1 already in the inventory, 1 rejected; "
        "dry run, nothing was changed.",
    ]
    assert not (readiness_home / inventory.INVENTORY_FILE).exists()


def test_import_without_a_model_column_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text(f"Device Name,IMEI\nA,{IMEI_A}\n")
    result = run("import", str(path))
    assert result.exit_code == 2
    assert errors(result) == [
        f'error: {path}: row 1: no model column; name one "Model", "Model Name", "Product Name"'
    ]


def test_import_without_an_imei_column_marks_the_devices(readiness_home: Path) -> None:
    result = run("import", str(FIXTURES / "no-imei-column.csv"), "--now", NOW)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == (
        f'{FIXTURES / "no-imei-column.csv"}: row 2: added "Ada\'s iPhone" (iPhone 15 Pro): '
        "no IMEI: no IMEI column in the export"
    )
    assert run("list").stdout.splitlines() == [
        "LABEL         MODEL          IMEI                                 CHANGED",
        "Ada's iPhone  iPhone 15 Pro  none (no IMEI column in the export)  2026-11-30",
        "1 device.",
    ]


def test_import_missing_file(tmp_path: Path) -> None:
    result = run("import", str(tmp_path / "nope.csv"))
    assert result.exit_code == 2
    assert errors(result) == [f"error: {tmp_path / 'nope.csv'}: no such CSV file"]


# ----------------------------------------------------------------- export


def test_export_csv_to_stdout(stocked: None) -> None:
    result = run("export")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "label,model,imei,imei2,eid,owner,added,changed"
    assert lines[1] == (
        "Ada's iPhone,iPhone 15 Pro,352099001761481,,,Ada,"
        "2026-11-30T12:00:00+00:00,2026-11-30T12:00:00+00:00"
    )


def test_export_toml_is_the_file(stocked: None, readiness_home: Path) -> None:
    result = run("export", "--format", "toml")
    assert result.stdout == (readiness_home / inventory.INVENTORY_FILE).read_text()


def test_export_to_a_file(stocked: None, tmp_path: Path) -> None:
    target = tmp_path / "devices.csv"
    result = run("export", "-o", str(target))
    assert result.exit_code == 0
    assert result.stderr == f"Exported 2 devices to {target}.\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert IMEI_A in target.read_text()
    again = run("export", "-o", str(target))
    assert again.exit_code == 2
    assert errors(again) == [f"error: {target}: already exists; use --force to replace it"]
    assert run("export", "-o", str(target), "--force", "--format", "toml").exit_code == 0
    assert target.read_text().startswith("# The readiness IMEI inventory")


def test_export_then_import_round_trip(
    stocked: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "devices.csv"
    assert run("export", "-o", str(target)).exit_code == 0
    monkeypatch.setenv("READINESS_HOME", str(tmp_path / "elsewhere"))
    result = run("import", str(target), "--now", NOW)
    assert result.exit_code == 0
    assert json.loads(run("list", "--format", "json", "--reveal").stdout)[1]["eid"] == EID


# ----------------------------------------------------------------- two commands at once


def test_two_cli_processes_adding_at_once(readiness_home: Path) -> None:
    """Each round starts two `python -m readiness inventory add` together; none is lost."""
    from stdnum import luhn

    env = {**os.environ, "PYTHONPATH": str(ROOT), "READINESS_HOME": str(readiness_home)}
    rounds = 4
    for i in range(rounds):
        procs = []
        for who, tac in (("a", "35"), ("b", "86")):
            body = f"{tac}{i:012d}"
            argv = [
                sys.executable,
                "-m",
                "readiness",
                "inventory",
                "add",
                "--label",
                f"{who}-{i}",
                "--model",
                "Pixel 8",
                "--imei",
                body + luhn.calc_check_digit(body),
                "--now",
                NOW,
            ]
            procs.append(
                subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            )
        for proc in procs:
            _, err = proc.communicate(timeout=60)
            assert proc.returncode == 0, err.decode()
    labels = {e.label for e in inventory.load(readiness_home)}
    assert labels == {f"{who}-{i}" for who in "ab" for i in range(rounds)}


# ----------------------------------------------------------------- a real terminal


def _spawn(readiness_home: Path, *args: str) -> Any:
    pexpect = pytest.importorskip("pexpect")
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "READINESS_HOME": str(readiness_home),
        "TERM": "xterm",
        "NO_COLOR": "1",
        "PROMPT_TOOLKIT_NO_CPR": "1",  # pexpect does not answer cursor-position requests
    }
    return pexpect.spawn(
        sys.executable,
        ["-m", "readiness", "inventory", *args],
        env=env,
        encoding="utf-8",
        timeout=20,
        dimensions=(24, 120),
    )


def test_prompts_at_a_real_terminal(readiness_home: Path) -> None:
    child = _spawn(readiness_home, "add", "--now", NOW)
    child.expect("Device label")
    child.send("Ada's iPhone\r")
    child.expect("Model")
    child.send("iPhone 15 Pro\r")
    child.expect("IMEI")
    child.send("352099001761482\r")
    child.expect("check digit is wrong")
    child.send("\x7f1\r")  # fix the last digit
    for prompt in ("Second IMEI", "EID", "Owner"):
        child.expect(prompt)
        child.send("\r")
    child.expect("Added")
    child.expect(pytest.importorskip("pexpect").EOF)
    child.close()
    assert child.exitstatus == 0
    assert inventory.load(readiness_home).entries[0].imei == IMEI_A


def test_ctrl_c_at_a_real_terminal(readiness_home: Path) -> None:
    child = _spawn(readiness_home, "add")
    child.expect("Device label")
    child.send("\x03")
    child.expect("Interrupted")
    child.expect(pytest.importorskip("pexpect").EOF)
    child.close()
    assert child.exitstatus == 130
    assert not (readiness_home / inventory.INVENTORY_FILE).exists()
