"""The performance budget of the installed `readiness` command.

Prints median wall times beside bare ``python -c pass`` measured in the same
run, so the ratios hold on any machine, and the peak memory of the big runs.
Budgets (from the issues): ``--help`` and ``verify`` within 5x bare Python,
the example check within 8x; ``--help`` within 1.4x of ``python -c "import
click"`` and the example check within 2.5x of importing the libraries it needs
(the "floor" rows, which no code of the tool's can go below); an answers file
with 1,000 devices (the most an answers file may hold) and an inventory of
10,000 devices each under 1 s and 100 MB; and questionary not imported on these
paths.

    python benchmarks/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import tomli_w
from stdnum import luhn

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "answers.toml"
NOW = "2026-11-30T12:00:00Z"
BIG = 1_000  # devices in the big answers file: the cap answers files are held to
# The libraries `check` needs however it is written: click, python-stdnum (which
# imports ssl and pydoc), packaging, zoneinfo, hashlib, tomli and tomli-w.
FLOOR = "import click, stdnum.luhn, packaging.version, zoneinfo, hashlib, hmac, tomli, tomli_w"


def median_time(
    argv: list[str], runs: int, env: dict[str, str], ok: tuple[int, ...] = (0, 1)
) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(argv, env=env, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
        if done.returncode not in ok:
            sys.exit(f"{' '.join(argv)} exited {done.returncode}:\n{done.stderr.decode()}")
    return statistics.median(times)


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


def peak_mb(argv: list[str], env: dict[str, str]) -> float:
    """Peak resident memory of one run, read by a parent that does nothing else."""
    code = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], capture_output=True)"
        "; print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *argv], env=env, capture_output=True, text=True, check=True
    )
    return int(done.stdout.strip()) / 1024  # Linux reports KiB


def inventory_csv(path: Path, count: int) -> None:
    lines = ["Device Name,Model,IMEI,Username"]
    for i in range(count):
        body = f"49{i:012d}"
        lines.append(f"Device {i},Google Pixel 9,{body}{luhn.calc_check_digit(body)},user{i}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def imports_questionary(argv: list[str], env: dict[str, str]) -> bool:
    code = (
        "import sys, runpy; sys.argv = "
        + repr(["readiness", *argv])
        + "\ntry:\n    runpy.run_module('readiness', run_name='__main__')\n"
        "except SystemExit:\n    pass\nprint('questionary' in sys.modules, file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    return done.stderr.strip().splitlines()[-1] == "True"


def command() -> list[str]:
    """The installed console script, as people run it; else the module."""
    found = shutil.which("readiness")
    return [found] if found else [sys.executable, "-m", "readiness"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {**os.environ, "READINESS_HOME": str(folder / "home"), "NO_COLOR": "1"}
        report = folder / "r.toml"
        big = folder / "big.toml"
        big_answers(big, BIG)
        check = [
            "check",
            "--answers",
            str(EXAMPLE),
            "--no-input",
            "--now",
            NOW,
            "--report",
            str(report),
            "--force",
        ]
        tool = command()
        print(f"timing {' '.join(tool)}")
        subprocess.run([*tool, *check], env=env, check=False, capture_output=True)
        bare = median_time([sys.executable, "-c", "pass"], args.runs, env)
        rows = [
            ("readiness --help", [*tool, "--help"], 5.0, env),
            ("readiness check (example)", [*tool, *check], 8.0, env),
            ("readiness verify", [*tool, "verify", str(report)], 5.0, env),
        ]
        if sys.platform.startswith("linux"):
            # As people run it: no READINESS_HOME, so platformdirs finds the state
            # folder (under XDG_DATA_HOME, pointed at the temporary folder here).
            people = {k: v for k, v in env.items() if k != "READINESS_HOME"}
            people["XDG_DATA_HOME"] = str(folder / "xdg")
            theirs = [*check[:-2], str(folder / "theirs.toml"), "--force"]
            subprocess.run([*tool, *theirs], env=people, check=False, capture_output=True)
            rows += [
                ("check, state via platformdirs", [*tool, *theirs], 8.0, people),
                (
                    "verify, state via platformdirs",
                    [*tool, "verify", str(folder / "theirs.toml")],
                    5.0,
                    people,
                ),
            ]
        print(f"{'command':<38} {'median':>9} {'x bare':>7} {'budget':>7}  ok")
        print(f"{'python -c pass':<38} {bare * 1000:>7.1f}ms {1.0:>7.1f}")
        # What the chosen libraries cost before any of the tool's own code runs.
        floors = {}
        for name, code in (
            ("python -c 'import click'", "import click"),
            ("... click, stdnum, packaging, zoneinfo", FLOOR),
        ):
            floors[code] = t = median_time([sys.executable, "-c", code], args.runs, env)
            print(f"{name:<38} {t * 1000:>7.1f}ms {t / bare:>7.1f}   (floor)")
        failed = False
        # Against the floors: what the tool's own code adds to the libraries it needs.
        for name, argv, floor, budget in (
            ("--help / import click", [*tool, "--help"], floors["import click"], 1.4),
            ("check (example) / floor", [*tool, *check], floors[FLOOR], 2.5),
        ):
            ratio = median_time(argv, args.runs, env) / floor
            failed |= ratio > budget
            print(
                f"{name:<38} {'':>9} {ratio:>7.2f} {budget:>6.1f}x  "
                f"{'yes' if ratio <= budget else 'NO'}"
            )
        for name, argv, budget, where in rows:
            t = median_time(argv, args.runs, where)
            ratio = t / bare
            failed |= ratio > budget
            print(
                f"{name:<38} {t * 1000:>7.1f}ms {ratio:>7.1f} {budget:>6.0f}x  "
                f"{'yes' if ratio <= budget else 'NO'}"
            )
        big_check = [
            *tool,
            "check",
            "--answers",
            str(big),
            "--no-input",
            "--now",
            NOW,
            "--report",
            str(folder / "big-r.toml"),
            "--force",
        ]
        inventory = folder / "devices.csv"
        inventory_csv(inventory, 10_000)
        subprocess.run(
            [*tool, "inventory", "import", str(inventory)], env=env, check=True, capture_output=True
        )
        for name, argv in (
            (f"check, {BIG:,} devices", big_check),
            (f"check --format json, {BIG:,} devices", [*big_check, "--format", "json"]),
            ("inventory list, 10,000 devices", [*tool, "inventory", "list"]),
        ):
            t = median_time(argv, max(3, args.runs // 5), env)
            memory = peak_mb(argv, env)
            ok = t <= 1.0 and memory <= 100
            failed |= not ok
            print(
                f"{name:<38} {t * 1000:>7.1f}ms {t / bare:>7.1f} {'<1 s':>7}  "
                f"{'yes' if ok else 'NO'}  (peak {memory:.0f} MB, budget 100 MB)"
            )
        for name, argv in (("--help", ["--help"]), ("check", check)):
            loaded = imports_questionary(argv, env)
            failed |= loaded
            print(f"questionary imported by {name}: {'YES' if loaded else 'no'}")
        if failed:
            print("some budgets were missed")


if __name__ == "__main__":
    main()
