"""Driving the installed `readiness` command in a real pseudo-terminal (pexpect)."""

from __future__ import annotations

import os
from pathlib import Path

import pexpect


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
