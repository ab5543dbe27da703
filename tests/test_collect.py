"""The coordinator's view: finding reports, the chain between them, the recheck state."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from readiness import answers, checks, collect, report
from readiness.collect import RecheckState
from readiness.errors import InputError
from readiness.knowledge import Knowledge
from readiness.signing import KeyPair

EXAMPLE = Path(__file__).parent.parent / "examples" / "answers.toml"
NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
KEY = KeyPair.from_private(Ed25519PrivateKey.from_private_bytes(bytes(range(32))))
OWN = report.Trust(own=KEY.public, now=NOW)
# The example departs 2026-12-03 09:30 in Singapore: the deadline is 48 h before.
DEADLINE = dt.datetime(2026, 12, 1, 1, 30, tzinfo=dt.UTC)
WINDOW = 24


def write(knowledge: Knowledge, path: Path, previous: str = "") -> report.Report:
    a = answers.load(EXAMPLE)
    signoff = report.Signoff(by="Ada Lovelace", at=NOW, previous=previous)
    doc = report.build(checks.evaluate(a, knowledge, NOW), a, knowledge, NOW, signoff)
    report.write(path, report.sign(doc, KEY))
    return report.load(path)


@pytest.mark.parametrize(
    ("now", "state"),
    [
        (DEADLINE - dt.timedelta(hours=WINDOW, seconds=1), RecheckState.NOT_DUE),
        (DEADLINE - dt.timedelta(hours=WINDOW), RecheckState.DUE),
        (DEADLINE, RecheckState.DUE),
        (DEADLINE + dt.timedelta(seconds=1), RecheckState.OVERDUE),
    ],
)
def test_the_recheck_state_follows_the_clock(
    knowledge: Knowledge, tmp_path: Path, now: dt.datetime, state: RecheckState
) -> None:
    first = write(knowledge, tmp_path / "first.toml")
    assert first.deadline == DEADLINE
    assert collect.recheck_state(first, set(), now, WINDOW) is state


def test_a_report_rechecked_by_one_present_is_done(knowledge: Knowledge, tmp_path: Path) -> None:
    first = write(knowledge, tmp_path / "a.toml")
    write(knowledge, tmp_path / "b.toml", previous=first.signoff.digest)
    late = DEADLINE + dt.timedelta(days=1)
    found = collect.collect([tmp_path], OWN, late, WINDOW)
    assert [row.recheck for row in found.rows] == [RecheckState.DONE, RecheckState.DONE]
    alone = collect.collect([tmp_path / "a.toml"], OWN, late, WINDOW)
    assert [row.recheck for row in alone.rows] == [RecheckState.OVERDUE]


def test_a_folder_skips_other_toml_and_fails_on_a_damaged_report(
    knowledge: Knowledge, tmp_path: Path
) -> None:
    write(knowledge, tmp_path / "a.toml")
    shutil.copy(EXAMPLE, tmp_path / "answers.toml")
    (tmp_path / "broken.toml").write_text("[signoff]\nby = \n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not looked at", encoding="utf-8")
    found = collect.collect([tmp_path], OWN, NOW, WINDOW)
    assert found.skipped == (f"{tmp_path / 'answers.toml'}: skipped, not a readiness report",)
    assert [(Path(row.source).name, row.ok) for row in found.rows] == [
        ("a.toml", True),
        ("broken.toml", False),
    ]
    broken = found.rows[1]
    assert broken.signature == "damaged"
    assert broken.line == (
        f"{tmp_path / 'broken.toml'}: line 2, column 6: invalid value (damaged report)"
    )
    assert not found.ok


def test_a_named_file_that_is_no_report_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        collect.collect([EXAMPLE], OWN, NOW, WINDOW)
    assert caught.value.lines() == [
        f"{EXAMPLE}: signoff.digest: missing: this is not a signed readiness report"
    ]


def test_a_row_holds_what_the_table_shows(knowledge: Knowledge, tmp_path: Path) -> None:
    write(knowledge, tmp_path / "a.toml")
    row = collect.collect([tmp_path / "a.toml"], OWN, NOW, WINDOW).rows[0]
    assert (row.traveler, row.trip, row.verdict, row.signature, row.recheck) == (
        "Ada Lovelace",
        "Singapore and Tokyo",
        "ready-with-warnings",
        "trusted",
        RecheckState.DUE,
    )
    assert row.departure is not None
    assert row.departure.isoformat() == "2026-12-03T09:30:00+08:00"
    assert row.fingerprint == KEY.public.fingerprint()
    unknown = collect.collect([tmp_path / "a.toml"], report.Trust(now=NOW), NOW, WINDOW).rows[0]
    assert unknown.signature == "unknown key"
    assert not unknown.ok
