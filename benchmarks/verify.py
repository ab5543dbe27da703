"""Scale figure for a coordinator: 500 reports verified with one `readiness verify`.

Writes 500 signed reports (the example answers, each trip renamed) in a fresh
temporary READINESS_HOME, exports the key as an allowed_signers file, then
times the real command in a subprocess: `readiness verify --allowed-signers
FILE FOLDER --format csv`. The floor, measured in the same run, is a
subprocess that only parses the same 500 files with tomli. Prints the median
of each and the ratio. Target: under 5 s.

    python benchmarks/verify.py [--runs N] [--reports N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "answers.toml"
NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
TARGET_S = 5.0
FLOOR = (
    "import sys, tomli, pathlib\n"
    "for p in sorted(pathlib.Path(sys.argv[1]).glob('*.toml')): tomli.loads(p.read_text())\n"
)


def make_reports(folder: Path, home: Path, count: int) -> Path:
    """``count`` signed reports in ``folder``; returns the allowed_signers file."""
    sys.path.insert(0, str(ROOT))
    from readiness import answers, checks, knowledge, report, signing
    from readiness.checks import CHECK_IDS

    known = knowledge.load(None, CHECK_IDS)
    keypair = signing.load_or_create(home)
    base = answers.load(EXAMPLE)
    for index in range(count):
        a = answers.from_document(
            {**answers.to_document(base), "trip": {**answers.to_document(base)["trip"],
                                                   "name": f"Trip {index}"}}
        )  # fmt: skip
        signoff = report.Signoff(by=base.traveler, at=NOW)
        doc = report.build(checks.evaluate(a, known, NOW), a, known, NOW, signoff)
        report.write(folder / f"report-{index:04d}.toml", report.sign(doc, keypair))
    signers = folder.parent / "allowed_signers"
    line = signing.allowed_signers_line(base.traveler, keypair.public)
    signers.write_text(line + "\n", encoding="utf-8")
    return signers


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{command[:4]} failed ({done.returncode}): {done.stderr[-500:]!r}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reports", type=int, default=500)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch)
        folder, home = base / "reports", base / "home"
        folder.mkdir()
        signers = make_reports(folder, home, options.reports)
        env = {**os.environ, "READINESS_HOME": str(base / "coordinator")}
        verify = [sys.executable, "-m", "readiness", "verify", "--allowed-signers", str(signers)]
        verify += [str(folder), "--now", NOW.isoformat(), "--format", "csv"]
        floor = [sys.executable, "-c", FLOOR, str(folder)]
        took = statistics.median(timed(verify, env) for _ in range(options.runs))
        least = statistics.median(timed(floor, env) for _ in range(options.runs))
    verdict = "ok" if took < TARGET_S else "TOO SLOW"
    print(f"verify {options.reports} reports: {took:.2f} s (target < {TARGET_S:.0f} s: {verdict})")
    print(f"floor (parse the same files with tomli): {least:.2f} s; ratio {took / least:.1f}x")


if __name__ == "__main__":
    main()
