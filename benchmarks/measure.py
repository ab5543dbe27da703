"""What both benchmarks share: run a command, time it, read its peak memory, find the tool.

Every figure is of one child process: wall time, CPU time (user + system, which
a busy machine changes less than wall time) and peak resident memory, all from
``os.wait4`` on that child alone.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    cpu: float  # seconds, user + system
    peak_mb: float  # peak resident set size


def run_once(argv: list[str], env: dict[str, str], ok: tuple[int, ...] = (0,)) -> Run:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(argv, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode not in ok:
            err.seek(0)
            sys.exit(f"{' '.join(argv)} exited {child.returncode}:\n{err.read().decode()}")
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # macOS counts bytes, Linux KiB
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / scale)


def median_run(
    argv: list[str],
    env: dict[str, str] | Callable[[], dict[str, str]],
    runs: int,
    ok: tuple[int, ...] = (0,),
) -> Run:
    """The median of each figure over ``runs`` runs; ``env`` may make a new one for each run."""
    done = [run_once(argv, env() if callable(env) else env, ok) for _ in range(runs)]
    return Run(
        statistics.median(r.wall for r in done),
        statistics.median(r.cpu for r in done),
        statistics.median(r.peak_mb for r in done),
    )


def installed(fresh: bool, folder: Path) -> tuple[list[str], str]:
    """The ``readiness`` command as people run it, and the Python it runs on.

    By default the console script of the virtual environment running this
    script; with ``fresh``, a new virtual environment in ``folder`` with this
    checkout ``pip install``ed into it (not editable).
    """
    if fresh:
        venv = folder / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        python = str(venv / "bin" / "python")
        subprocess.run([python, "-m", "pip", "install", "-q", str(ROOT)], check=True)
        return [str(venv / "bin" / "readiness")], python
    script = Path(sys.executable).parent / "readiness"
    if not script.exists():
        sys.exit(
            f"no {script}: run this with the Python of a virtual environment where "
            "`pip install .` was run, or give --fresh"
        )
    return [str(script)], sys.executable


def verdict(ok: bool) -> str:
    return "yes" if ok else "NO"
