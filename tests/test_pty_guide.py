"""The installed `readiness troubleshoot`, answered in a real pseudo-terminal."""

from __future__ import annotations

from pathlib import Path

import pexpect
from terminal import answer, spawn


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
