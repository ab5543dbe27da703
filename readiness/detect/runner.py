"""Run an outside program (adb, ideviceinfo, netsh...) without ever hanging or raising.

Detection talks to phones through programs that can be missing, hang on a
half-connected cable, or die. ``run_program`` returns what the program printed
or a ``Failed`` that says why in words a note can quote; callers decide what a
failure means. The program and every child it started are killed at the timeout
(a shell script's ``sleep`` would otherwise keep the pipe open and the read waiting).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from readiness.detect.safe import first_line

__all__ = [
    "Completed",
    "Failed",
    "Outcome",
    "Run",
    "Which",
    "program_name",
    "run_program",
]

# After a kill, how long to wait for the pipes to close before giving up on them.
_DRAIN_SECONDS = 2.0


@dataclass(frozen=True)
class Completed:
    """The program ran and exited with status 0."""

    stdout: str
    stderr: str = ""


@dataclass(frozen=True)
class Failed:
    """The program could not give an answer.

    ``why`` is ``"missing"`` (not found or not executable), ``"timeout"``,
    ``"exit"`` (non-zero status) or ``"error"`` (the OS refused to start it);
    ``message`` is one safe line for a note.
    """

    program: str
    why: str
    message: str
    stdout: str = ""
    stderr: str = ""
    returncode: int | None = None


Outcome = Completed | Failed
Run = Callable[[Sequence[str], float], Outcome]
Which = Callable[[str], "str | None"]


def program_name(path: str) -> str:
    """``/usr/bin/adb`` -> ``adb``, ``C:\\...\\adb.exe`` -> ``adb``: how notes name a program."""
    name = PurePath(path.replace("\\", "/")).name
    stem = name.rsplit(".", 1)[0] if name.lower().endswith((".exe", ".cmd", ".bat")) else name
    return stem or path


def _text(data: bytes | None) -> str:
    # Devices print UTF-8; a stray byte must not stop the read. Old adb shells use \r\r\n.
    if not data:
        return ""
    return data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")


def _kill_tree(proc: subprocess.Popen[bytes]) -> None:
    """Kill the program and everything it started (it runs in its own process group)."""
    if sys.platform == "win32":
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            subprocess.run(
                ["taskkill", "/F", "/T", "/PID", str(proc.pid)],
                capture_output=True,
                timeout=_DRAIN_SECONDS,
                check=False,
            )
    else:
        with contextlib.suppress(OSError):
            os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        proc.kill()


def _start(argv: list[str]) -> subprocess.Popen[bytes]:
    # A group of its own, so that a timeout ends the program's children too.
    if sys.platform == "win32":
        return subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            creationflags=subprocess.CREATE_NEW_PROCESS_GROUP,
        )
    return subprocess.Popen(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def run_program(argv: Sequence[str], timeout: float) -> Outcome:
    """Run ``argv`` (``argv[0]`` a path from ``which``) for at most ``timeout`` seconds."""
    name = program_name(argv[0]) if argv else "?"
    try:
        proc = _start(list(argv))
    except FileNotFoundError:
        return Failed(name, "missing", f"{name} is not installed")
    except PermissionError:
        return Failed(name, "missing", f"{name} cannot be run (permission denied)")
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        return Failed(name, "error", f"{name} could not be started ({reason})")
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_tree(proc)
        out, err = b"", b""
        with contextlib.suppress(subprocess.TimeoutExpired, OSError, ValueError):
            out, err = proc.communicate(timeout=_DRAIN_SECONDS)
        for stream in (proc.stdout, proc.stderr):
            with contextlib.suppress(OSError):
                if stream is not None:
                    stream.close()
        with contextlib.suppress(subprocess.TimeoutExpired, OSError):
            proc.wait(timeout=_DRAIN_SECONDS)
        return Failed(
            name, "timeout", f"{name} did not answer within {timeout:g} s", _text(out), _text(err)
        )
    stdout, stderr = _text(out), _text(err)
    if proc.returncode != 0:
        said = first_line(stderr) or first_line(stdout)
        message = f"{name} exited with status {proc.returncode}" + (f": {said}" if said else "")
        return Failed(name, "exit", message, stdout, stderr, proc.returncode)
    return Completed(stdout, stderr)
