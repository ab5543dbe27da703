"""Fuzzing ``readiness check --answers F --no-input`` with generated answers files.

Wrong types, missing tables, huge strings, unicode and control characters, deep
nesting, 10 MB files and dates out of range: every outcome is exit 0, 1 or 2,
an exit 2 says what is wrong in lines that each start with ``error:`` and name
the file, nothing prints a traceback, and nothing is written but the report
(and, in the state folder, the signing key). Most cases run in-process through
click's runner; a few run ``python -m readiness`` to see the real stderr.

CI runs the "ci" profile; the long run is ``HYPOTHESIS_PROFILE=fuzz`` (README).
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from click.testing import CliRunner
from hypothesis import event, given, settings
from hypothesis import strategies as st

from readiness import answers, report, signing, state
from readiness.cli import cli
from readiness.errors import is_one_line
from readiness.knowledge import Knowledge

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "answers.toml"
EXAMPLE_TEXT = EXAMPLE.read_text(encoding="utf-8")
EXAMPLE_DOC = tomllib.loads(EXAMPLE_TEXT)
NOW = "2026-11-30T12:00:00Z"
MB = 1024 * 1024
EXAMPLES = settings().max_examples  # from the profile conftest.py loaded
# The long run (HYPOTHESIS_PROFILE=fuzz) also parses 10 MB files that take seconds each.
LONG = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"
SLOW_MB = 10 if LONG else 1


# --- running the command and checking what it did -------------------------------------------


def files_under(*roots: Path) -> set[Path]:
    return {p for root in roots if root.exists() for p in root.rglob("*")}


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str
    answers: Path
    report: Path


@contextlib.contextmanager
def workspace() -> Iterator[Path]:
    """A fresh current folder for one example, so a stray file would show up in it."""
    with tempfile.TemporaryDirectory() as name, contextlib.chdir(name):
        yield Path(name)


def run_check(folder: Path, home: Path, body: bytes, *extra: str) -> Outcome:
    """``check --answers`` in-process, asserting the rules every outcome keeps."""
    source = folder / "answers.toml"
    source.write_bytes(body)
    target = folder / "out" / "report.toml"
    target.parent.mkdir()
    before = files_under(folder, home)
    result = CliRunner().invoke(
        cli,
        ["check", "--answers", str(source), "--no-input", "--now", NOW, "--report", str(target),
         *extra],
    )  # fmt: skip
    outcome = Outcome(result.exit_code, result.stdout, result.stderr, source, target)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert_rules(outcome, before, files_under(folder, home), home)
    return outcome


def assert_rules(outcome: Outcome, before: set[Path], after: set[Path], home: Path) -> None:
    assert outcome.code in (0, 1, 2), outcome.stderr
    assert "Traceback" not in outcome.stdout + outcome.stderr
    allowed = {
        outcome.report,
        home / signing.PRIVATE_KEY_FILE,
        home / signing.PUBLIC_KEY_FILE,
        home / state.SIGNER_FILE,
    }
    assert after - before <= allowed, sorted(map(str, after - before - allowed))
    assert before <= after  # nothing removed either
    if outcome.code == 2:
        assert not outcome.report.exists()
        lines = outcome.stderr.splitlines()
        assert lines
        for line in lines:
            assert line.startswith(f"error: {outcome.answers}"), line[:300]
    else:
        assert outcome.report.is_file()
        doc = report.load(outcome.report)
        assert report.verify(doc, report.local_trust(home)).ok


def assert_round_trip(outcome: Outcome, knowledge: Knowledge) -> None:
    """What the answers file said is what the report's answers say."""
    if outcome.code == 2:
        return
    given_answers = answers.load(outcome.answers)
    stored = report.load(outcome.report).answers
    assert answers.from_document(stored) == given_answers


# --- generated documents ----------------------------------------------------------------------

NASTY_TEXT = (
    "\x00", "\x01", "\x08", "\n", "\r", "\r\n", "\x1b[31m", "\x7f", "\x85", "\u2028", "\u2029",
    "\ufeff", "\u202e", "\u200b", '"', "'", "\\", '"""', "'''", "#", "[", "]]", "=", "{", "}",
    "😀", "👨‍👩‍👧", "e\u0301", "İ", "ß", "\U0010fffd", "Ada", " ", "\t", "n/a", "*", "JP",
)  # fmt: skip
nasty_text = st.lists(st.sampled_from(NASTY_TEXT) | st.characters(codec="utf-8"), max_size=12).map(
    "".join
)
huge_text = st.sampled_from(["x", "é", "0", "\\", "😀 "]).flatmap(
    lambda unit: st.integers(1_000, 200_000).map(lambda n: unit * n)
)
offsets = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(
    lambda m: dt.timezone(dt.timedelta(minutes=m))
)
extreme_moments = st.sampled_from(
    [
        dt.datetime(1, 1, 1),
        dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=14))),
        dt.datetime(1, 1, 2, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=-12))),
        dt.datetime(9999, 12, 31, 23, 59, 59, 999999),
        dt.datetime(9999, 12, 31, 23, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
        dt.datetime(1900, 1, 1, 10, 0),
        dt.datetime(1970, 1, 1, tzinfo=dt.UTC),
        dt.date(1, 1, 1),
        dt.date(9999, 12, 31),
        dt.time(23, 59, 59, 999999),
        "0001-01-01T00:00:00+14:00",
        "9999-12-31T23:59:59-23:59",
        "2026-12-03T09:30:00+08:00:30",
        "2026-12-03T09:30:00.123456789+08:00",
        "2026-02-30T09:30:00Z",
        "2026-12-03",
    ]
)
scalars = st.one_of(
    nasty_text,
    st.integers(),
    st.sampled_from([0, -1, 101, 2**63 - 1, -(2**63), 2**64, 10**100]),
    st.floats(),
    st.booleans(),
    st.dates(),
    st.datetimes(timezones=st.none() | offsets),
    st.times(),
    extreme_moments,
)
# Two levels of lists and tables (deeper nesting has its own cases below). Not
# st.recursive: it warns, now and then, that its extend function ignores its argument.
shallow = st.lists(scalars, max_size=3) | st.dictionaries(nasty_text, scalars, max_size=3)
toml_values = (
    scalars
    | shallow
    | st.lists(shallow, max_size=2)
    | st.dictionaries(nasty_text, shallow, max_size=2)
)


def paths_in(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every key and list item, containers included."""
    if path:
        yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths_in(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths_in(item, (*path, index))


def parent_of(doc: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        doc = doc[part]
    return doc


def pick(draw: Callable[[st.SearchStrategy[int]], int], items: list[Any]) -> Any:
    """One of ``items``, drawn so that a saved example still replays when the list changes.

    (The example file, the data file and so the reports change as the project does;
    a draw whose shape followed their length would make hypothesis report "flaky".)
    """
    return items[draw(st.integers(0, 2**16)) % len(items)]


def position(draw: Callable[[st.SearchStrategy[int]], int], length: int) -> int:
    """A place in a sequence of ``length`` items, 0 to ``length`` inclusive (see ``pick``)."""
    return draw(st.integers(0, 2**24)) % (length + 1)


@st.composite
def mutated_documents(draw: st.DrawFn) -> dict[str, Any]:
    """The example answers with a few things deleted, retyped, renamed or added."""
    doc = copy.deepcopy(EXAMPLE_DOC)
    for _ in range(draw(st.integers(1, 4))):
        path = pick(draw, list(paths_in(doc)))
        parent, key = parent_of(doc, path), path[-1]
        action = draw(st.sampled_from(["delete", "retype", "text", "huge", "add", "rename"]))
        if action == "delete":
            del parent[key]
        elif action == "retype":
            parent[key] = draw(toml_values)
        elif action == "text":
            parent[key] = draw(nasty_text)
        elif action == "huge":
            parent[key] = draw(huge_text)
        elif action == "add":
            target = parent[key]
            if isinstance(target, dict):
                target[draw(nasty_text)] = draw(toml_values)
            elif isinstance(target, list):
                target.append(draw(toml_values))
            else:
                parent[key] = [target, draw(toml_values)]
        elif isinstance(parent, dict):  # rename a key
            parent[draw(nasty_text)] = parent.pop(key)
    return doc


def label_documents(labels: list[str], names: tuple[str, str, str]) -> dict[str, Any]:
    doc = copy.deepcopy(EXAMPLE_DOC)
    traveler, trip, provider = names
    doc["traveler"]["name"] = traveler
    doc["trip"]["name"] = trip
    doc["plan"]["provider"] = provider
    for device, label in zip(doc["devices"], labels, strict=False):
        device["label"] = label
    return doc


# --- the properties -----------------------------------------------------------------------------


@settings(max_examples=EXAMPLES * 2)
@given(doc=mutated_documents())
def test_mutated_answers_files(
    readiness_home: Path, knowledge: Knowledge, doc: dict[str, Any]
) -> None:
    with workspace() as folder:
        outcome = run_check(folder, readiness_home, tomli_w.dumps(doc).encode("utf-8"))
        event(f"exit {outcome.code}")
        assert_round_trip(outcome, knowledge)


@st.composite
def damaged_texts(draw: st.DrawFn) -> bytes:
    """The example file with characters inserted, lines cut, doubled or swapped, bytes broken."""
    lines = EXAMPLE_TEXT.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        at = position(draw, len(lines) - 1)
        action = draw(st.sampled_from(["insert", "cut", "double", "swap", "truncate"]))
        if action == "insert":
            line = lines[at]
            col = position(draw, len(line))
            lines[at] = (
                line[:col] + draw(nasty_text | st.sampled_from(list("[]{}=\"'#,.\n"))) + line[col:]
            )
        elif action == "cut" and len(lines) > 1:
            del lines[at]
        elif action == "double":
            lines.insert(at, lines[at])
        elif action == "swap":
            other = position(draw, len(lines) - 1)
            lines[at], lines[other] = lines[other], lines[at]
        elif action == "truncate":
            lines[at] = lines[at][: position(draw, len(lines[at]))]
    body = "".join(lines).encode("utf-8")
    if draw(st.integers(0, 9)) == 0:  # not UTF-8 somewhere
        at = position(draw, len(body))
        body = (
            body[:at]
            + draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00"]))
            + body[at:]
        )
    return body


@settings(max_examples=EXAMPLES * 2)
@given(body=damaged_texts())
def test_damaged_answers_files(readiness_home: Path, knowledge: Knowledge, body: bytes) -> None:
    with workspace() as folder:
        outcome = run_check(folder, readiness_home, body)
        event(f"exit {outcome.code}")
        assert_round_trip(outcome, knowledge)


# What the loader takes as a one-line label: no control characters, line or paragraph breaks.
LABEL = st.builds(
    lambda text, core: text + core + text[::-1],
    st.lists(
        st.sampled_from([t for t in NASTY_TEXT if is_one_line(t)])
        | st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")),
        max_size=8,
    ).map("".join),
    st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp")),
)


@settings(max_examples=EXAMPLES)
@given(
    labels=st.lists(LABEL, min_size=4, max_size=4),
    names=st.tuples(st.builds(str.__add__, nasty_text, LABEL), LABEL, LABEL),
)
def test_labels_and_names_survive_into_the_report_and_back(
    readiness_home: Path, knowledge: Knowledge, labels: list[str], names: tuple[str, str, str]
) -> None:
    doc = label_documents(labels, names)
    with workspace() as folder:
        outcome = run_check(folder, readiness_home, tomli_w.dumps(doc).encode("utf-8"))
        assert_round_trip(outcome, knowledge)
        if outcome.code != 2:
            stored = report.load(outcome.report).document
            assert stored["signoff"]["by"] == names[0].strip()
            assert stored["answers"]["traveler"]["name"] == names[0].strip()
            assert [d["label"] for d in stored["answers"]["devices"]] == [
                label.strip() for label in labels
            ]


# --- tampered reports through `readiness verify` -------------------------------------------


def signed_example(home: Path, knowledge: Knowledge) -> bytes:
    """The example's report, signed with the key in ``home``."""
    from readiness import checks

    given_answers = answers.load(EXAMPLE)
    moment = dt.datetime.fromisoformat(NOW)
    evaluation = checks.evaluate(given_answers, knowledge, moment)
    signoff = report.Signoff(by="Ada Lovelace", at=moment)
    doc = report.build(evaluation, given_answers, knowledge, moment, signoff)
    return report.dumps(report.sign(doc, signing.load_or_create(home)))


@st.composite
def tampered(draw: st.DrawFn, original: dict[str, Any]) -> dict[str, Any]:
    """The report with one value, table or list deleted, retyped or replaced."""
    doc = copy.deepcopy(original)
    path = pick(draw, list(paths_in(doc)))
    parent, key = parent_of(doc, path), path[-1]
    if draw(st.booleans()):
        del parent[key]
    else:
        parent[key] = draw(toml_values | nasty_text)
    return doc


@settings(max_examples=EXAMPLES)
@given(data=st.data())
def test_tampered_reports_fail_verify_with_a_message(
    readiness_home: Path, knowledge: Knowledge, data: st.DataObject
) -> None:
    body = signed_example(readiness_home, knowledge)
    original = tomllib.loads(body.decode("utf-8"))
    if data.draw(st.booleans(), label="edit the text"):
        text = body.decode("utf-8")  # a hand edit: something typed over part of a line
        at = position(data.draw, len(text))
        cut = data.draw(st.integers(0, 40), label="cut")
        changed = text[:at] + data.draw(nasty_text, label="insert") + text[at + cut :]
        raw = changed.encode("utf-8")
    else:
        raw = tomli_w.dumps(data.draw(tampered(original), label="doc")).encode("utf-8")
    with workspace() as folder:
        path = folder / "report.toml"
        path.write_bytes(raw)
        result = CliRunner().invoke(cli, ["verify", str(path)])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert "Traceback" not in result.output
    event(f"exit {result.exit_code}")
    if result.exit_code == 0:  # only a harmless edit: a comment, a space, the same value
        assert tomllib.loads(raw.decode("utf-8")) == original
        return
    assert result.exit_code in (1, 2), result.output
    lines = result.stderr.splitlines()
    assert lines
    assert all(line.startswith(f"error: {path}") for line in lines), lines


# --- chosen hard cases, in-process -----------------------------------------------------------


def example_with(trip: dict[str, Any]) -> bytes:
    """The example with these trip keys changed (None: removed)."""
    doc = copy.deepcopy(EXAMPLE_DOC)
    doc["trip"].update(trip)
    for key, value in trip.items():
        if value is None:
            del doc["trip"][key]
    return tomli_w.dumps(doc).encode("utf-8")


def nested(depth: int, opening: str, closing: str) -> bytes:
    return (f"a = {opening * depth}1{closing * depth}\n" + EXAMPLE_TEXT).encode("utf-8")


def padded(piece: str, size: int) -> bytes:
    """The example followed by ``piece`` repeated to about ``size`` bytes."""
    return (EXAMPLE_TEXT + piece * (size // len(piece.encode("utf-8")))).encode("utf-8")


HARD_CASES = {
    "departure in year 9999": example_with(
        {"departure": dt.datetime(9999, 12, 31, 23), "return": None}
    ),
    "departure in year 1 with an offset": example_with(
        {
            "departure": dt.datetime(1, 1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=8))),
            "timezone": None,
            "return": None,
        }
    ),
    "departure in local mean time (an offset with seconds)": example_with(
        {"departure": dt.datetime(1900, 1, 1, 10), "return": None}
    ),
    "departure text with an offset in seconds": example_with(
        {"departure": "2026-12-03T09:30:00+08:00:30", "timezone": None}
    ),
    "return in year 9999": example_with({"return": dt.date(9999, 12, 31)}),
    "nested arrays past the recursion limit": nested(5_000, "[", "]"),
    "nested tables past the recursion limit": nested(5_000, "{b = ", "}"),
    "nested arrays just readable": nested(200, "[", "]"),
    # tomllib itself takes time quadratic in a dotted key's depth: 20,000 takes 15 s.
    "dotted key 2,000 deep": (".".join(["k"] * 2_000) + " = 1\n" + EXAMPLE_TEXT).encode(),
    "a key with a newline": ('"a\\nb" = 1\n' + EXAMPLE_TEXT).encode(),
    "a device-limit key with control characters": EXAMPLE_TEXT.replace(
        "device_limits = { JP = 8 }", 'device_limits = { "J\\u0000P\\n" = 8 }'
    ).encode(),
    "a NUL in a label": EXAMPLE_TEXT.replace("Ada's iPad", "Ada's\\u0000iPad").encode(),
    "an ANSI escape in a name": EXAMPLE_TEXT.replace(
        'name = "Ada Lovelace"', 'name = "\\u001b[2J\\u001b[31mAda"'
    ).encode(),
    "only a byte-order mark": b"\xef\xbb\xbf",
    "a byte-order mark first": b"\xef\xbb\xbf" + EXAMPLE_TEXT.encode(),
    "CRLF line ends": EXAMPLE_TEXT.replace("\n", "\r\n").encode(),
    "10 MB comment": padded("# padding padding padding\n", 10 * MB),
    "10 MB unknown key": EXAMPLE_TEXT.encode() + b'\n[usage]\nnote = "' + b"x" * (10 * MB) + b'"\n',
    f"{SLOW_MB} MB OS version": EXAMPLE_TEXT.replace(
        '"19.4.1"', '"' + "9" * (SLOW_MB * MB) + '"'
    ).encode(),
    f"{SLOW_MB} MB of devices": padded('\n[[devices]]\nlabel = "x"\nmodel = "y"\n', SLOW_MB * MB),
    "not UTF-8": b'schema = 1\n[traveler]\nname = "Ad\xe9"\n',
    "empty": b"",
    "blank": b"\n \t\n",
}


@pytest.mark.parametrize("name", list(HARD_CASES))
def test_hard_cases(readiness_home: Path, knowledge: Knowledge, name: str) -> None:
    with workspace() as folder:
        outcome = run_check(folder, readiness_home, HARD_CASES[name])
        assert_round_trip(outcome, knowledge)


def test_a_huge_label_survives(readiness_home: Path, knowledge: Knowledge) -> None:
    label = 'Ada\'s "big" \\ iPhone ✈ ' * 20_000
    quoted = json.dumps(label, ensure_ascii=False)  # a JSON string is a TOML basic string
    body = EXAMPLE_TEXT.replace('label = "Ada\'s iPhone"', f"label = {quoted}")
    with workspace() as folder:
        outcome = run_check(folder, readiness_home, body.encode())
        assert outcome.code == 0, outcome.stderr
        assert_round_trip(outcome, knowledge)


# --- real processes: what a person actually sees on stderr ----------------------------------

SUBPROCESS_CASES = (
    "departure in year 9999",
    "departure text with an offset in seconds",
    "nested tables past the recursion limit",
    "a key with a newline",
    "10 MB unknown key",
    "not UTF-8",
)


@pytest.mark.parametrize("name", SUBPROCESS_CASES)
def test_real_process_never_shows_a_traceback(
    readiness_home: Path, tmp_path: Path, name: str
) -> None:
    source = tmp_path / "answers.toml"
    source.write_bytes(HARD_CASES[name])
    target = tmp_path / "out" / "report.toml"
    target.parent.mkdir()
    before = files_under(tmp_path, readiness_home)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "readiness", "check", "--answers", str(source), "--no-input",
         "--now", NOW, "--report", str(target)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    outcome = Outcome(done.returncode, done.stdout, done.stderr, source, target)
    assert_rules(outcome, before, files_under(tmp_path, readiness_home), readiness_home)
    assert outcome.code == 2, done.stderr
