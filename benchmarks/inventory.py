"""The IMEI inventory at scale: import, list and export of 10,000 and 100,000 devices.

Generates an MDM-style CSV export (valid Luhn check digits, extra columns the
import ignores, a second IMEI on every third phone), then runs the installed
`readiness` command on it in a fresh state folder. Targets: each command under
1 s at 10,000 devices and under 10 s at 100,000, with peak memory linear in
the count (the table shows MB per 10,000 devices above the floor of
``readiness --help``, which should not grow with the count). CPU time is shown
beside the wall time: on a busy machine the wall time grows, the CPU time less.

    python benchmarks/inventory.py [--runs N] [--sizes 10000,100000] [--fresh]

Run it with the Python of a virtual environment where ``pip install .`` was
run (see startup.py); exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import os
import sys
import tempfile
from pathlib import Path

from measure import installed, median_run, verdict
from stdnum import luhn

NOW = "2026-11-30T12:00:00Z"
#: Seconds allowed per command, by inventory size.
TARGETS = {10_000: 1.0, 100_000: 10.0}


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
            out.writerow(
                [
                    f"Device {n:06d}",
                    "iPhone 16 Pro",
                    imei(n, "35"),
                    imei(n, "86") if n % 3 == 0 else "",
                    f"user{n % 250}",
                    f"SN{n:08d}",
                    "19.4.1",
                ]
            )


def target_for(count: int) -> float:
    """The seconds allowed: 1 s per 10,000 devices up to 10,000, 10 s at 100,000."""
    return TARGETS.get(count, max(1.0, count / 10_000))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated device counts")
    parser.add_argument("--fresh", action="store_true", help="time a fresh `pip install .`")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    missed = False
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        tool, _ = installed(args.fresh, folder)
        base = {**os.environ, "NO_COLOR": "1"}
        base.pop("PYTHONPATH", None)

        def env_for(home: Path) -> dict[str, str]:
            return {**base, "READINESS_HOME": str(home)}

        homes = itertools.count()

        def new_home() -> dict[str, str]:
            return env_for(folder / f"new-{next(homes)}")

        floor = median_run([*tool, "--help"], env_for(folder / "help"), args.runs)
        print(f"timing {' '.join(tool)}, median of {args.runs} runs")
        print(
            f"floor: readiness --help {floor.wall * 1000:.0f}ms, peak {floor.peak_mb:.0f} MB "
            "(memory per 10,000 devices is counted above it)"
        )
        header = (
            f"{'command':<34} {'devices':>8} {'median':>8} {'cpu':>7} {'target':>7}  met?"
            f" {'peak MB':>8} {'MB/10k':>7}"
        )
        print(header)
        print("-" * len(header))
        for count in sizes:
            export = folder / f"export-{count}.csv"
            write_export(export, count)
            full = folder / f"full-{count}"
            importing = [*tool, "inventory", "import", str(export), "--now", NOW]
            median_run(importing, env_for(full), 1)
            cases: list[tuple[str, list[str], dict[str, str] | None]] = [
                ("inventory import (all new)", importing, None),
                ("inventory import (all duplicates)", importing, env_for(full)),
                ("inventory import --dry-run", [*importing, "--dry-run"], None),
                ("inventory list", [*tool, "inventory", "list"], env_for(full)),
                (
                    "inventory list --format json",
                    [*tool, "inventory", "list", "--format", "json"],
                    env_for(full),
                ),
                ("inventory export", [*tool, "inventory", "export"], env_for(full)),
            ]
            limit = target_for(count)
            for name, argv, env in cases:
                # None: every run starts from an empty inventory.
                done = median_run(argv, env or new_home, args.runs)
                ok = done.wall < limit
                missed |= not ok
                per_10k = (done.peak_mb - floor.peak_mb) / count * 10_000
                print(
                    f"{name:<34} {count:>8,} {done.wall:>7.2f}s {done.cpu:>6.2f}s "
                    f"{f'< {limit:g} s':>7}  {verdict(ok):<4} {done.peak_mb:>8.0f} {per_10k:>7.1f}"
                )
            size = (full / "inventory.toml").stat().st_size
            print(f"  ({count:,} devices: inventory file {size / 1e6:.1f} MB)")
    if missed:
        print("some commands missed their target")
        sys.exit(1)


if __name__ == "__main__":
    main()
