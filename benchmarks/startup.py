"""Start-up and the big answers file: the installed `readiness` against the libraries' floor.

Each start-up figure is a ratio to a floor measured in the same run, alternating
with it, so the ratios hold on a fast machine or a busy one:

- ``readiness --help`` within 1.4x of ``python -c "import click"``;
- ``readiness check`` on examples/answers.toml within 2.5x of importing the
  libraries that run needs (``LIBRARIES``: found with ``python -X importtime``
  on that run, the floor no code of the tool's can go below);
- an answers file of 1,000 devices (the most an answers file may hold) checked
  in under 1 s, in text and in JSON;
- questionary (and prompt_toolkit) not imported by ``--help`` or that check.

    python benchmarks/startup.py [--runs N] [--fresh]

Run it with the Python of a virtual environment where ``pip install .`` was
run; it times that environment's ``readiness`` console script. ``--fresh``
makes a new environment and installs this checkout into it (not editable).
Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import tomli_w
from measure import ROOT, Run, installed, median_run, run_once, verdict
from stdnum import luhn

EXAMPLE = ROOT / "examples" / "answers.toml"
NOW = "2026-11-30T12:00:00Z"
BIG = 1_000  # devices in the big answers file: the cap answers files are held to
#: What ``check --answers examples/answers.toml --no-input`` imports that is not the
#: tool's own code (``python -X importtime``, top-level imports of readiness modules):
#: click for the command line; zoneinfo and packaging.version for departures and OS
#: versions; pycountry for country names; stdnum.luhn for IMEI check digits (stdnum
#: brings ssl and pydoc); tomli to read and tomli_w to write the report; hashlib and
#: hmac to digest and sign it; json and csv.
LIBRARIES = (
    "click",
    "zoneinfo",
    "packaging.version",
    "pycountry",
    "stdnum.luhn",
    "tomli",
    "tomli_w",
    "hashlib",
    "hmac",
    "json",
    "csv",
    # Signing the report (Ed25519, OpenSSH key file).
    "cryptography.hazmat.primitives.asymmetric.ed25519",
    "cryptography.hazmat.primitives.serialization",
)
FLOOR = "import " + ", ".join(LIBRARIES)


def big_answers(path: Path, count: int) -> None:
    """An answers file with ``count`` valid devices (the caps will fail: that is fine)."""
    devices = []
    for i in range(count):
        body = f"35{i:012d}"
        devices.append(
            {
                "label": f"Device {i}",
                "model": "iPhone 16 Pro",
                "os_version": "19.4.1",
                "imei": body + luhn.calc_check_digit(body),
                "battery": 80,
                "primary": i == 0,
                "roaming_authorized": True,
                "wifi_calling": True,
            }
        )
    doc = {
        "schema": 1,
        "traveler": {"name": "Bench"},
        "trip": {
            "name": "Bench",
            "departure": "2026-12-03T09:30:00+08:00",
            "home": "SG",
            "destinations": ["JP"],
        },
        "plan": {"provider": "P", "multi_device": True, "coverage": ["*"]},
        "devices": devices,
        "checklist": {
            "same_wifi": True,
            "profiles_backed_up": "n/a",
            "offline_maps": True,
            "network_preference": True,
            "airplane_schedule": True,
        },
    }
    path.write_bytes(tomli_w.dumps(doc).encode())


def paired(
    tool: list[str], floor: list[str], env: dict[str, str], runs: int
) -> tuple[float, float]:
    """Median wall times of ``tool`` and ``floor``, run in turn so both see the same machine."""
    mine: list[float] = []
    theirs: list[float] = []
    for _ in range(runs):
        mine.append(run_once(tool, env, ok=(0, 1)).wall)
        theirs.append(run_once(floor, env).wall)
    return statistics.median(mine), statistics.median(theirs)


def imports_terminal_library(tool_python: str, argv: list[str], env: dict[str, str]) -> bool:
    code = (
        "import sys, runpy; sys.argv = "
        + repr(["readiness", *argv])
        + "\ntry:\n    runpy.run_module('readiness', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "print(any(m in sys.modules for m in ('questionary', 'prompt_toolkit')), file=sys.stderr)"
    )
    done = subprocess.run(
        [tool_python, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    return done.stderr.strip().splitlines()[-1] == "True"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--fresh", action="store_true", help="time a fresh `pip install .`")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        tool, python = installed(args.fresh, folder)
        env = {**os.environ, "NO_COLOR": "1"}
        env.pop("PYTHONPATH", None)
        if sys.platform.startswith("linux"):
            # As people run it: no READINESS_HOME, platformdirs finds the state folder
            # (under XDG_DATA_HOME, pointed into the temporary folder).
            env.pop("READINESS_HOME", None)
            env["XDG_DATA_HOME"] = str(folder / "xdg")
        else:
            env["READINESS_HOME"] = str(folder / "home")
        check = [*tool, "check", "--answers", str(EXAMPLE), "--no-input", "--now", NOW]
        check += ["--report", str(folder / "r.toml"), "--force"]
        big = folder / "big.toml"
        big_answers(big, BIG)
        big_check = [*tool, "check", "--answers", str(big), "--no-input", "--now", NOW]
        big_check += ["--report", str(folder / "big-r.toml"), "--force"]
        run_once(check, env, ok=(0, 1))  # the first run makes the state folder and key

        print(f"timing {' '.join(tool)} (Python {python}), median of {args.runs} runs")
        print(f"floor for check: {FLOOR}")
        header = f"{'command':<36} {'median':>9} {'floor':>9} {'ratio':>6} {'target':>8}  met?"
        print(header)
        print("-" * len(header))
        bare = median_run([python, "-c", "pass"], env, args.runs)
        print(f"{'python -c pass':<36} {bare.wall * 1000:>7.0f}ms")
        missed = False
        for name, argv, floor_code, target in (
            ("readiness --help", [*tool, "--help"], "import click", 1.4),
            ("readiness check (example)", check, FLOOR, 2.5),
        ):
            mine, floor = paired(argv, [python, "-c", floor_code], env, args.runs)
            ratio = mine / floor
            missed |= ratio > target
            print(
                f"{name:<36} {mine * 1000:>7.0f}ms {floor * 1000:>7.0f}ms {ratio:>5.2f}x "
                f"{f'<= {target}x':>8}  {verdict(ratio <= target)}"
            )
        for name, argv in (
            (f"check, {BIG:,} devices", big_check),
            (f"check --format json, {BIG:,} devices", [*big_check, "--format", "json"]),
        ):
            done: Run = median_run(argv, env, max(3, args.runs // 3), ok=(0, 1))
            missed |= done.wall >= 1.0
            print(
                f"{name:<36} {done.wall * 1000:>7.0f}ms {'':>9} {'':>6} {'< 1 s':>8}  "
                f"{verdict(done.wall < 1.0)}  (cpu {done.cpu * 1000:.0f}ms, "
                f"peak {done.peak_mb:.0f} MB)"
            )
        for name, argv in (("--help", ["--help"]), ("check (example)", check[len(tool) :])):
            loaded = imports_terminal_library(python, argv, env)
            missed |= loaded
            print(f"questionary imported by {name}: {'YES' if loaded else 'no'}")
    if missed:
        print("some targets were missed")
        sys.exit(1)


if __name__ == "__main__":
    main()
