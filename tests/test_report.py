"""Reports: build, sign, write, read back, verify, and say what changed."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import os
import re
import stat
import subprocess
import sys
import threading
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import given
from hypothesis import strategies as st

from readiness import answers, checks, report, state
from readiness.errors import InputError, StateError
from readiness.knowledge import Knowledge
from readiness.results import Verdict

EXAMPLE = Path(__file__).parent.parent / "examples" / "answers.toml"
NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
SIGNED_AT = dt.datetime(2026, 11, 30, 12, 3, 17, 123456, tzinfo=dt.UTC)
KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))


def build(
    knowledge: Knowledge,
    source: Path = EXAMPLE,
    *,
    now: dt.datetime = NOW,
    at: dt.datetime = SIGNED_AT,
    previous: str = "",
) -> dict[str, Any]:
    a = answers.load(source)
    evaluation = checks.evaluate(a, knowledge, now)
    signoff = report.Signoff(by="Ada Lovelace", at=at, previous=previous)
    return report.build(evaluation, a, knowledge, now, signoff)


def written(knowledge: Knowledge, tmp_path: Path, key: bytes = KEY, **kwargs: Any) -> Path:
    """A signed report written to disk, as the CLI writes it."""
    path = tmp_path / "report.toml"
    report.write(path, report.sign(build(knowledge, **kwargs), key))
    return path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


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
    assert signoff["signature"].startswith("hmac-sha256:")


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
    assert report.verify(doc, KEY).ok
    assert doc["checks"][5]["subject"] == 'Ada "the" \\ iPhone ✈ 😀 [x] # = \\n'
    assert answers.from_document(doc["answers"]) == answers.load(source)


# --- sign and verify ------------------------------------------------------------------------


# Scalars TOML can hold, and tables of them: what a report (or an edit of one) may contain.
toml_scalars = (
    st.text()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.dates()
)
names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_-", min_size=1, max_size=8) | st.text(
    min_size=1, max_size=8
)
flat_tables = st.dictionaries(names, toml_scalars, max_size=5)
arrays = st.lists(flat_tables | st.dictionaries(names, flat_tables, max_size=2), max_size=4)


@given(
    checks=arrays,
    devices=arrays,
    before=st.dictionaries(names, toml_scalars | flat_tables, max_size=3),
    after=st.dictionaries(names, toml_scalars | flat_tables, max_size=3),
)
def test_dumps_writes_any_checks_and_devices_that_toml_reads_back(
    checks: list[Any], devices: list[Any], before: dict[str, Any], after: dict[str, Any]
) -> None:
    """The fast writer for the big arrays, and tomli-w wherever they are not flat tables."""
    answers = {**before, "devices": devices, **after}
    doc = {"schema": 1, "report": {"tool": "t"}, "checks": checks, "answers": answers}
    doc["signoff"] = {"by": "\x7f", "digest": "d"}
    assert tomllib.loads(report.dumps(doc).decode("utf-8")) == doc
    edited = {"note": "added by hand", **doc, "extra": {"table": True}}
    assert tomllib.loads(report.dumps(edited).decode("utf-8")) == edited


def test_dumps_escapes_what_toml_strings_cannot_hold_raw() -> None:
    text = 'a "quote", a \\ backslash, a tab\t, DEL \x7f, NUL \x00, ✈ and \U0001f600'
    doc = {
        "schema": 1,
        "report": {},
        "checks": [{"id": "x", "message": text}],
        "answers": {"devices": [{"label": text}]},
        "signoff": {},
    }
    written = report.dumps(doc).decode("utf-8")
    assert "\x7f" not in written
    assert "\x00" not in written
    assert "✈" in written
    assert "\U0001f600" in written
    assert tomllib.loads(written) == doc


def test_long_lists_are_signed_in_pieces_as_verify_reads_them_whole(knowledge: Knowledge) -> None:
    """Thousands of checks are encoded a thousand at a time when signing."""
    doc = build(knowledge)
    doc["checks"] = [{**doc["checks"][i % 5], "subject": f"Device {i} ✈"} for i in range(2345)]
    doc["answers"]["devices"] = [{"label": f"D{i}", "model": "iPhone 16"} for i in range(1001)]
    signed = report.sign(doc, KEY)
    assert report.verify(signed, KEY) == report.Verification(True, "valid", ())
    # The digest is that of the whole canonical JSON, however it was put together.
    body = {k: v for k, v in signed.items() if k != "signoff"}
    body["signoff"] = {
        k: v for k, v in signed["signoff"].items() if k not in ("digest", "signature")
    }
    whole = json.dumps(
        body,
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=lambda v: f"{type(v).__name__}:{v.isoformat()}",  # dates and times
    )
    assert signed["signoff"]["digest"] == "sha256:" + hashlib.sha256(whole.encode()).hexdigest()
    edited = copy.deepcopy(signed)
    edited["checks"][2000]["status"] = (
        "pass" if edited["checks"][2000]["status"] != "pass" else "fail"
    )
    assert report.verify(edited, KEY).changed == ("checks",)


def test_a_document_with_keys_outside_the_sections_signs_and_verifies(
    knowledge: Knowledge,
) -> None:
    doc = build(knowledge)
    doc["answers"]["notes"] = "added by a script"
    doc["zzz"] = {"after": "signoff in sorted order"}
    signed = report.sign(doc, KEY)
    assert report.verify(signed, KEY) == report.Verification(True, "valid", ())
    edited = copy.deepcopy(signed)
    edited["zzz"]["after"] = "changed"
    # Keys outside every section have no digest of their own: each is named.
    assert report.verify(edited, KEY).changed == ("zzz", "answers.notes")


def test_untouched_report_verifies(knowledge: Knowledge, tmp_path: Path) -> None:
    outcome = report.verify(report.load(written(knowledge, tmp_path)), KEY)
    assert outcome == report.Verification(True, "valid", (), "")
    assert outcome.ok


def test_signed_document_verifies_in_memory(knowledge: Knowledge) -> None:
    assert report.verify(report.sign(build(knowledge), KEY), KEY).ok


def test_sign_does_not_change_its_input(knowledge: Knowledge) -> None:
    doc = build(knowledge)
    before = copy.deepcopy(doc)
    report.sign(doc, KEY)
    assert doc == before


@pytest.mark.parametrize(
    ("old", "new", "section"),
    [
        ("battery = 64", "battery = 94", "answers.devices"),
        ('status = "warn"', 'status = "pass"', "checks"),
        ('verdict = "ready-with-warnings"', 'verdict = "ready"', "report"),
        ('by = "Ada Lovelace"', 'by = "Mallory"', "signoff"),
        ('previous = ""', 'previous = "sha256:0"', "signoff"),
        ('home = "US"', 'home = "SG"', "answers.trip"),
        ("pool_gb = 40.0", "pool_gb = 400.0", "answers.plan"),
        ("offline_maps = true", "offline_maps = false", "answers.checklist"),
        ("streaming_hours = 0.5", "streaming_hours = 0.0", "answers.usage"),
        ('name = "Ada Lovelace"', 'name = "Mallory"', "answers.traveler"),
        ("schema = 1\n", "schema = 1\nextra = 1\n", "extra"),
        ("[answers]\n", "[answers]\nnote = 1\n", "answers.note"),
    ],
)
def test_an_edited_value_fails_verify_naming_the_section(
    knowledge: Knowledge, tmp_path: Path, old: str, new: str, section: str
) -> None:
    path = written(knowledge, tmp_path)
    edit(path, old, new)
    outcome = report.verify(report.load(path), KEY)
    assert not outcome.digest_ok
    assert not outcome.ok
    assert section in outcome.changed


def test_edited_value_with_recomputed_digest_fails_the_signature(
    knowledge: Knowledge, tmp_path: Path
) -> None:
    doc = report.load(written(knowledge, tmp_path)).document
    doc["answers"]["devices"][1]["battery"] = 94
    doc["signoff"]["sections"] = report._section_digests(doc)
    doc["signoff"]["digest"] = report.canonical_digest(doc)
    outcome = report.verify(doc, KEY)
    assert outcome.digest_ok
    assert outcome.signature == "invalid"
    assert not outcome.ok
    assert outcome.reason == "the signature does not match the digest"


def test_removed_check_fails_verify(knowledge: Knowledge, tmp_path: Path) -> None:
    doc = report.load(written(knowledge, tmp_path)).document
    del doc["checks"][4]
    assert report.verify(doc, KEY).changed == ("checks",)


def test_verify_without_a_key_is_unchecked(knowledge: Knowledge, tmp_path: Path) -> None:
    outcome = report.verify(report.load(written(knowledge, tmp_path)), None)
    assert outcome.digest_ok
    assert outcome.signature == "unchecked"
    assert outcome.reason == "no signing key on this machine"
    assert outcome.ok


def test_verify_with_another_machines_key_is_unchecked(
    knowledge: Knowledge, tmp_path: Path
) -> None:
    outcome = report.verify(report.load(written(knowledge, tmp_path)), OTHER_KEY)
    assert outcome.digest_ok
    assert outcome.signature == "unchecked"
    assert outcome.reason == "signed with another machine's key"


def test_edited_report_without_a_key_still_fails_on_the_digest(
    knowledge: Knowledge, tmp_path: Path
) -> None:
    path = written(knowledge, tmp_path)
    edit(path, "battery = 64", "battery = 94")
    outcome = report.verify(report.load(path), None)
    assert not outcome.digest_ok
    assert not outcome.ok
    assert outcome.changed == ("answers.devices",)


def test_forged_signature_is_invalid(knowledge: Knowledge, tmp_path: Path) -> None:
    path = written(knowledge, tmp_path)
    doc = report.load(path).document
    edit(path, doc["signoff"]["signature"], "hmac-sha256:" + "0" * 64)
    outcome = report.verify(report.load(path), KEY)
    assert outcome.digest_ok
    assert outcome.signature == "invalid"


def test_key_id_is_public_and_stable() -> None:
    assert state.key_id(KEY) == state.key_id(bytes(KEY))
    assert state.key_id(KEY) != state.key_id(OTHER_KEY)
    assert KEY.hex() not in state.key_id(KEY)


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


# --- the signing key ------------------------------------------------------------------------------


def test_signing_key_is_made_once_with_mode_0600(tmp_path: Path) -> None:
    home = tmp_path / "state"
    assert state.read_key(home) is None
    key = state.signing_key(home)
    assert len(key) == 32
    assert state.signing_key(home) == key
    assert state.read_key(home) == key
    mode = stat.S_IMODE(os.stat(home / state.KEY_FILE).st_mode)
    assert mode == 0o600


def test_a_key_being_written_by_another_run_is_waited_for(tmp_path: Path) -> None:
    """Two first runs at once: one finds the other's key file still empty."""
    key = bytes(range(32))
    path = tmp_path / state.KEY_FILE
    path.touch(mode=0o600)  # created, not yet written: the moment the other run is in
    writer = threading.Timer(0.2, lambda: path.write_text(key.hex() + "\n", encoding="ascii"))
    writer.start()
    try:
        assert state.signing_key(tmp_path) == key
    finally:
        writer.join()


def test_simultaneous_first_runs_sign_with_one_key(tmp_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from readiness import state; "
        "print(state.signing_key(Path(sys.argv[1])).hex())"
    )
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, text=True
        )
        for _ in range(6)
    ]
    made = {run.communicate(timeout=60)[0].strip() for run in runs}
    assert all(run.returncode == 0 for run in runs)
    key = state.read_key(tmp_path)
    assert key is not None
    assert made == {key.hex()}


def test_damaged_key_is_an_error(tmp_path: Path) -> None:
    (tmp_path / state.KEY_FILE).write_text("not hex\n", encoding="ascii")
    with pytest.raises(StateError, match="damaged"):
        state.read_key(tmp_path)


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
        key_id=state.key_id(KEY),
        signature=loaded.document["signoff"]["signature"],
    )
    assert loaded.answers["trip"]["name"] == answers.load(EXAMPLE).trip.name


# --- one wording of a verification ------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [
        (
            report.Verification(True, report.SignatureState.VALID, ()),
            "digest holds and the signature is valid (signed by Ada at noon)",
        ),
        (
            report.Verification(True, report.SignatureState.UNCHECKED, (), "no key here"),
            "digest holds; the signature could not be checked here (no key here); "
            "signed by Ada at noon",
        ),
        (
            report.Verification(True, report.SignatureState.INVALID, (), "it does not match"),
            "it does not match",
        ),
        (
            report.Verification(False, report.SignatureState.VALID, ("checks", "signoff")),
            "changed after sign-off: checks, signoff",
        ),
    ],
)
def test_a_verification_is_worded_in_one_place(outcome: report.Verification, expected: str) -> None:
    assert report.words(outcome, "Ada", "noon") == expected


def test_signature_states_are_what_verify_finds(knowledge: Knowledge) -> None:
    signed = report.sign(build(knowledge), KEY)
    assert report.verify(signed, KEY).signature is report.SignatureState.VALID
    assert report.verify(signed, None).signature is report.SignatureState.UNCHECKED
    forged = copy.deepcopy(signed)
    forged["signoff"]["signature"] = "hmac-sha256:0"
    assert report.verify(forged, KEY).signature is report.SignatureState.INVALID
    assert not report.verify(forged, KEY).ok
