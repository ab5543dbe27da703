"""The installed `readiness troubleshoot`, answered in a real pseudo-terminal."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pexpect
import pytest


@pytest.fixture
def readiness_command() -> str:
    found = shutil.which("readiness")
    if found is None:
        pytest.fail("the `readiness` command is not installed: pip install '.[test]'")
    return found


def spawn(command: str, args: list[str], cwd: Path, home: Path) -> pexpect.spawn:
    # pexpect never answers prompt_toolkit's cursor-position request; a terminal
    # does. Without this every prompt waits a second for the answer.
    env = {
        **os.environ,
        "READINESS_HOME": str(home),
        "NO_COLOR": "1",
        "TERM": "xterm",
        "PROMPT_TOOLKIT_NO_CPR": "1",
    }
    return pexpect.spawn(
        command, args, cwd=str(cwd), env=env, encoding="utf-8", timeout=20, dimensions=(40, 160)
    )


def answer(child: pexpect.spawn, prompt: str, keys: str) -> None:
    child.expect(prompt)
    child.send(keys)


def test_troubleshoot_walks_to_the_third_step_which_fixes_it(
    tmp_path: Path, readiness_home: Path, readiness_command: str
):
    child = spawn(readiness_command, ["troubleshoot", "won't join"], tmp_path, readiness_home)
    child.expect(r"A device won't join the plan \(usually a provisioning mismatch\)")
    child.expect("Step 1 of 5: Restart both the primary and the secondary device.")
    answer(child, r"Did that fix it\?", "n")
    child.expect("Step 2 of 5: Put both devices on the same Wi-Fi network.")
    answer(child, r"Did that fix it\?", "n")
    child.expect(
        "Step 3 of 5: Make sure the secondary device's eSIM slot is not taken by another profile."
    )
    answer(child, r"Did that fix it\?", "y")
    child.expect("Fixed at step 3 of 5.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Step 4 of 5" not in (child.before or "")
