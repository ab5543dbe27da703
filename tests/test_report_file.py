"""The report file: its layout, deterministic bytes, loading, writing and typed values."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from report_helpers import EXAMPLE, KEY, NOW, OWN, SIGNED_AT, build, edit, written

from readiness import answers, checks, report
from readiness.errors import InputError, StateError
from readiness.knowledge import Knowledge
from readiness.results import Verdict

# --- layout -------------------------------------------------------------------------------


def test_layout(knowledge: Knowledge, tmp_path: Path) -> None:
    path = written(knowledge, tmp_path)
    doc = report.load(path).document
    text = path.read_text(encoding="utf-8")
    # Every check and every device is a table of its own, easy to read and to diff.
    assert text.count("\n[[checks]]\n") == len(doc["checks"])
    assert text.count("\n[[answers.devices]]\n") == len(doc["answers"]["devices"]) == 4
    assert list(doc) == ["schema", "report", "checks", "answers", "signoff"]
    assert doc["schema"] == 1
    head = doc["report"]
    assert head["tool"] == "readiness 0.1.0"
    assert head["evaluated_at"] == NOW
    assert head["verdict"] == "ready-with-warnings"
    assert head["data_version"] == knowledge.version
    assert head["data_sha256"] == knowledge.sha256
    assert head["deadline"] == dt.datetime(
        2026, 12, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))
    )
    assert head["deadline"].utcoffset() == dt.timedelta(hours=8)
    assert all(set(c) == {"id", "status", "subject", "message", "fix"} for c in doc["checks"])
    signoff = doc["signoff"]
    assert signoff["by"] == "Ada Lovelace"
    assert signoff["at"] == SIGNED_AT.replace(microsecond=0)
    assert signoff["statement"] == report.STATEMENT
    assert signoff["previous"] == ""
    assert signoff["digest"].startswith("sha256:")
    assert signoff["public_key"] == KEY.public.openssh()
    assert signoff["fingerprint"] == KEY.public.fingerprint()
    assert signoff["signature"].startswith("-----BEGIN SSH SIGNATURE-----\n")
    assert signoff["signature"].endswith("\n-----END SSH SIGNATURE-----")
    assert "key_id" not in signoff
    assert list(signoff) == [
        "by",
        "at",
        "statement",
        "previous",
        "public_key",
        "fingerprint",
        "digest",
        "signature",
        "sections",  # a table: TOML puts it after the plain keys
    ]


def test_checks_are_every_result_in_order(knowledge: Knowledge) -> None:
    a = answers.load(EXAMPLE)
    evaluation = checks.evaluate(a, knowledge, NOW)
    doc = build(knowledge)
    assert [report.result_document(r) for r in evaluation.results] == doc["checks"]
    assert report.results_of(doc) == list(evaluation.results)


def test_written_report_is_toml_that_reads_back(knowledge: Knowledge, tmp_path: Path) -> None:
    path = written(knowledge, tmp_path)
    with path.open("rb") as handle:
        doc = tomllib.load(handle)
    assert doc == report.load(path).document
    assert report.results_of(doc) == report.results_of(build(knowledge))


def test_previous_digest_is_recorded(knowledge: Knowledge, tmp_path: Path) -> None:
    doc = report.load(written(knowledge, tmp_path, previous="sha256:abc")).document
    assert doc["signoff"]["previous"] == "sha256:abc"


def test_reading_a_report_back_gives_the_same_answers(knowledge: Knowledge, tmp_path: Path) -> None:
    doc = report.load(written(knowledge, tmp_path)).document
    assert answers.from_document(doc["answers"]) == answers.load(EXAMPLE)


def test_tricky_text_survives_the_report(knowledge: Knowledge, tmp_path: Path) -> None:
    source = tmp_path / "answers.toml"
    text = EXAMPLE.read_text(encoding="utf-8")
    tricky = 'label = "Ada \\"the\\" \\\\ iPhone ✈ 😀 [x] # = \\\\n"'
    text = text.replace('label = "Ada\'s iPhone"', tricky)
    source.write_text(text, encoding="utf-8")
    path = tmp_path / "report.toml"
    report.write(path, report.sign(build(knowledge, source), KEY))
    doc = report.load(path).document
    assert report.verify(doc, OWN).ok
    assert doc["checks"][5]["subject"] == 'Ada "the" \\ iPhone ✈ 😀 [x] # = \\n'
    assert answers.from_document(doc["answers"]) == answers.load(source)


# --- determinism ------------------------------------------------------------------------------


def _without_signing_times(text: str) -> list[str]:
    varying = ("at = ", "digest = ", "signature = ", "signoff = ")
    return [line for line in text.splitlines() if not line.startswith(varying)]


def test_same_answers_and_now_give_the_same_bytes(knowledge: Knowledge) -> None:
    first = report.dumps(report.sign(build(knowledge, at=SIGNED_AT), KEY))
    later = SIGNED_AT + dt.timedelta(hours=5, seconds=7)
    second = report.dumps(report.sign(build(knowledge, at=later), KEY))
    assert first != second
    assert _without_signing_times(first.decode()) == _without_signing_times(second.decode())


def test_same_signing_moment_gives_identical_bytes(knowledge: Knowledge) -> None:
    first = report.dumps(report.sign(build(knowledge), KEY))
    assert report.dumps(report.sign(build(knowledge), KEY)) == first


def test_only_signoff_differs_between_signing_moments(knowledge: Knowledge) -> None:
    first = tomllib.loads(report.dumps(report.sign(build(knowledge), KEY)).decode())
    later = SIGNED_AT + dt.timedelta(days=1)
    second = tomllib.loads(report.dumps(report.sign(build(knowledge, at=later), KEY)).decode())
    for key in ("schema", "report", "checks", "answers"):
        assert first[key] == second[key]
    assert first["signoff"]["digest"] != second["signoff"]["digest"]


def test_evaluated_at_and_deadline_drop_microseconds(knowledge: Knowledge) -> None:
    doc = build(knowledge, now=NOW.replace(microsecond=999))
    assert doc["report"]["evaluated_at"] == NOW


# --- load ---------------------------------------------------------------------------------------


def test_load_refuses_an_unsigned_file(tmp_path: Path) -> None:
    path = tmp_path / "report.toml"
    path.write_text('schema = 1\n[report]\nverdict = "ready"\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        report.load(path)
    assert caught.value.lines() == [
        f"{path}: signoff.digest: missing: this is not a signed readiness report"
    ]


def test_load_refuses_an_answers_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a signed readiness report"):
        report.load(EXAMPLE)


def test_load_refuses_another_schema(knowledge: Knowledge, tmp_path: Path) -> None:
    path = written(knowledge, tmp_path)
    edit(path, "schema = 1\n", "schema = 2\n")
    with pytest.raises(InputError) as caught:
        report.load(path)
    assert caught.value.lines() == [f"{path}: schema: this version of readiness reads schema 1"]


def test_load_missing_report(tmp_path: Path) -> None:
    path = tmp_path / "gone.toml"
    with pytest.raises(InputError) as caught:
        report.load(path)
    assert caught.value.lines() == [f"{path}: no such report"]


# --- write ----------------------------------------------------------------------------------------


def test_write_never_silently_replaces(knowledge: Knowledge, tmp_path: Path) -> None:
    path = written(knowledge, tmp_path)
    before = path.read_bytes()
    with pytest.raises(StateError, match="already exists"):
        report.write(path, report.sign(build(knowledge), KEY))
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.toml"]


def test_write_replaces_when_asked(knowledge: Knowledge, tmp_path: Path) -> None:
    path = written(knowledge, tmp_path)
    doc = report.sign(build(knowledge, previous="sha256:1"), KEY)
    report.write(path, doc, overwrite=True)
    assert report.load(path).document["signoff"]["previous"] == "sha256:1"


def test_default_name() -> None:
    trip = answers.Trip(
        name="Singapore and Tokyo!",
        departure=dt.datetime(2026, 12, 3, 9, 30, tzinfo=dt.UTC),
        timezone="",
        home="US",
        destinations=("SG",),
    )
    a = answers.Answers("Ada", trip, answers.Plan("", True, ("SG",)), ())
    assert report.default_name(a) == "readiness-singapore-and-tokyo-2026-12-03.toml"
    assert (
        report.default_name(a, "-recheck")
        == "readiness-singapore-and-tokyo-2026-12-03-recheck.toml"
    )


# --- load: a typed report, every wrong key named -----------------------------------------------


@pytest.mark.parametrize(
    ("where", "value", "line"),
    [
        (("checks",), "x", "checks: must be a list of tables, got string 'x'"),
        (("report",), "x", "report: must be a table, got string 'x'"),
        (("signoff", "by"), 5, "signoff.by: must be a string, got integer 5"),
        (
            ("report", "deadline"),
            dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=8))),
            "report.deadline: 0001-01-01T00:00:00+08:00 is out of range",
        ),
        (
            ("report", "deadline"),
            "tomorrow",
            "report.deadline: must be a date-time, got string 'tomorrow'",
        ),
        (
            ("answers", "trip", "timezone"),
            "Mars/Olympus",
            "answers.trip.timezone: 'Mars/Olympus' is not an IANA time zone; "
            "use a name such as Europe/Paris or Asia/Tokyo",
        ),
        (
            ("report", "verdict"),
            "sure",
            "report.verdict: must be ready, ready-with-warnings or not-ready",
        ),
        (("checks", 2, "status"), "maybe", "checks[3].status: must be pass, warn, fail or skip"),
    ],
)
def test_load_refuses_a_malformed_report_in_one_line_per_key(
    knowledge: Knowledge, tmp_path: Path, where: tuple[str | int, ...], value: Any, line: str
) -> None:
    path = tmp_path / "report.toml"
    doc = report.sign(build(knowledge), KEY)
    parent: Any = doc
    for part in where[:-1]:
        parent = parent[part]
    parent[where[-1]] = value
    path.write_bytes(tomli_w.dumps(doc).encode("utf-8"))
    with pytest.raises(InputError) as caught:
        report.load(path)
    assert caught.value.exit_code == 2
    assert [re.sub(r" \(line \d+\)", "", shown) for shown in caught.value.lines()] == [
        f"{path}: {line}"
    ]


def test_load_gives_typed_values(knowledge: Knowledge, tmp_path: Path) -> None:
    loaded = report.load(written(knowledge, tmp_path, previous="sha256:abc"))
    assert loaded.verdict is Verdict.READY_WITH_WARNINGS
    assert loaded.deadline == dt.datetime(
        2026, 12, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))
    )
    assert loaded.evaluated_at == NOW
    assert loaded.results == checks.evaluate(answers.load(EXAMPLE), knowledge, NOW).results
    assert loaded.signoff == report.Signoff(
        by="Ada Lovelace",
        at=SIGNED_AT.replace(microsecond=0),
        previous="sha256:abc",
        digest=loaded.document["signoff"]["digest"],
        public_key=KEY.public.openssh(),
        fingerprint=KEY.public.fingerprint(),
        signature=loaded.document["signoff"]["signature"],
    )
    assert loaded.answers["trip"]["name"] == answers.load(EXAMPLE).trip.name
