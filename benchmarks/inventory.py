"""Scale figures for the IMEI inventory: 10,000 devices imported and listed.

Generates an MDM-style CSV export of 10,000 valid devices (Luhn check digits
from python-stdnum), then times the real command in subprocesses, each run in
a fresh temporary READINESS_HOME, and prints the median wall time of each
beside ``python -c pass``. Target: each inventory command under 1 s.

    python benchmarks/inventory.py [--runs N] [--devices N] [--installed]

By default it runs ``python -m readiness`` from this checkout; ``--installed``
runs the ``readiness`` command found on PATH instead.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from stdnum import luhn

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-30T12:00:00Z"
TARGET_S = 1.0


def imei(serial: int, tac: str) -> str:
    body = f"{tac}{serial:012d}"
    return body + luhn.calc_check_digit(body)


def write_export(path: Path, count: int) -> None:
    """An export shaped like an MDM's: extra columns the import ignores, some dual-SIM phones."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(
            ["Device Name", "Model", "IMEI", "IMEI 2", "Username", "Serial Number", "OS Version"]
        )
        for n in range(count):
            second = imei(n, "86") if n % 3 == 0 else ""
            out.writerow(
                [
                    f"Device {n:05d}",
                    "iPhone 16 Pro",
                    imei(n, "35"),
                    second,
                    f"user{n % 250}",
                    f"SN{n:08d}",
                    "19.4.1",
                ]
            )


def timed(argv: list[str], env: dict[str, str], ok: tuple[int, ...] = (0,)) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in ok:
        sys.exit(f"{' '.join(argv)} exited {done.returncode}:\n{done.stderr.decode()}")
    return elapsed


def median_of(runs: int, once: Callable[[int], float]) -> float:
    return statistics.median(once(i) for i in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--devices", type=int, default=10_000)
    parser.add_argument("--installed", action="store_true", help="time `readiness` on PATH")
    args = parser.parse_args()
    if args.installed:
        found = shutil.which("readiness")
        if found is None:
            sys.exit("no `readiness` command on PATH; install it or leave out --installed")
        command = [found]
    else:
        command = [sys.executable, "-m", "readiness"]
    base_env = {**os.environ, "NO_COLOR": "1"}
    if not args.installed:
        base_env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p
        )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        export = folder / "mdm-export.csv"
        write_export(export, args.devices)

        def env_for(home: Path) -> dict[str, str]:
            return {**base_env, "READINESS_HOME": str(home)}

        def import_once(i: int) -> float:
            home = folder / f"import-{i}"  # fresh each run: every row is new
            return timed(
                [*command, "inventory", "import", str(export), "--now", NOW], env_for(home)
            )

        full = folder / "full"
        timed([*command, "inventory", "import", str(export), "--now", NOW], env_for(full))
        rows: list[tuple[str, float]] = [
            (
                "python -c pass",
                median_of(args.runs, lambda _: timed([sys.executable, "-c", "pass"], base_env)),
            ),
            (f"inventory import ({args.devices:,} new)", median_of(args.runs, import_once)),
            (
                "inventory import again (all duplicates)",
                median_of(
                    args.runs,
                    lambda _: timed(
                        [*command, "inventory", "import", str(export), "--now", NOW], env_for(full)
                    ),
                ),
            ),
            (
                "inventory import --dry-run",
                median_of(
                    args.runs,
                    lambda i: timed(
                        [*command, "inventory", "import", str(export), "--dry-run", "--now", NOW],
                        env_for(folder / f"dry-{i}"),
                    ),
                ),
            ),
            (
                "inventory list",
                median_of(
                    args.runs, lambda _: timed([*command, "inventory", "list"], env_for(full))
                ),
            ),
            (
                "inventory list --format json",
                median_of(
                    args.runs,
                    lambda _: timed(
                        [*command, "inventory", "list", "--format", "json"], env_for(full)
                    ),
                ),
            ),
            (
                "inventory export --format csv",
                median_of(
                    args.runs, lambda _: timed([*command, "inventory", "export"], env_for(full))
                ),
            ),
        ]
        size = (full / "inventory.toml").stat().st_size
    print(
        f"{args.devices:,} devices, inventory file {size / 1e6:.1f} MB, "
        f"median of {args.runs} runs each"
    )
    print(f"{'command':<40} {'median':>9}  {'< 1 s':>5}")
    missed = False
    for name, seconds in rows:
        if name == "python -c pass":
            print(f"{name:<40} {seconds * 1000:>7.0f}ms")
            continue
        ok = seconds < TARGET_S
        missed |= not ok
        print(f"{name:<40} {seconds * 1000:>7.0f}ms  {'yes' if ok else 'NO':>5}")
    if missed:
        print("some commands missed the 1 s target")
        sys.exit(1)


if __name__ == "__main__":
    main()
