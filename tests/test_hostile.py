"""Hostile files and folders (issue 18): what an attacker or an unlucky machine leaves lying
around is refused with one line that says how to fix it, or handled without a word lost."""

from __future__ import annotations

import os
import resource
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from readiness import answers, files, inventory, report, signing, state
from readiness.cli import cli
from readiness.errors import MAX_PROBLEMS, StateError, is_one_line
from readiness.prompts.asker import name_check
from readiness.render import guide as render_guide

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "answers.toml"
NOW = "2026-11-30T12:00:00Z"
IMEI_A = "352099001761481"
IMEI_B = "352099001761499"
AS_ROOT = os.geteuid() == 0


def run(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], env=env)


def errors(result: Result) -> list[str]:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return result.stderr.splitlines()


def add(label: str, imei: str = IMEI_A) -> Result:
    return run(
        "inventory", "add", "--label", label, "--model", "iPhone 16 Pro", "--imei", imei,
        "--now", NOW,
    )  # fmt: skip


def check(answers_file: Path, target: Path) -> Result:
    return run("check", "--answers", answers_file, "--no-input", "--now", NOW, "--report", target)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


# --- 1. the state folder and the (older, HMAC) key file ---------------------------------------


def test_every_folder_made_for_the_state_is_private(tmp_path: Path) -> None:
    home = tmp_path / "a" / "b" / "readiness"
    state.ensure_home(home)
    assert [mode(p) for p in (tmp_path / "a", tmp_path / "a" / "b", home)] == [0o700] * 3


@pytest.mark.parametrize("loose", [0o777, 0o770, 0o1777, 0o702])
def test_a_state_folder_others_can_write_is_refused(readiness_home: Path, loose: int) -> None:
    readiness_home.chmod(loose)
    assert errors(add("Ada's iPhone")) == [
        f"error: {readiness_home}: other users can change the state folder; "
        f"make it private with `chmod 700 {readiness_home}`"
    ]
    assert not (readiness_home / inventory.INVENTORY_FILE).exists()
    readiness_home.chmod(0o700)  # as the message says: then it works
    assert add("Ada's iPhone").exit_code == 0


def test_the_fix_is_quoted_for_a_path_with_spaces(tmp_path: Path) -> None:
    home = tmp_path / "my state"
    home.mkdir(mode=0o700)
    home.chmod(0o775)
    with pytest.raises(StateError) as caught:
        state.ensure_home(home)
    assert str(caught.value) == (
        f"{home}: other users can change the state folder; "
        f"make it private with `chmod 700 '{home}'`"
    )


@pytest.mark.skipif(not AS_ROOT, reason="giving a folder to another user needs root")
def test_a_state_folder_of_another_user_is_refused(readiness_home: Path) -> None:
    os.chown(readiness_home, 4321, 4321)
    assert errors(add("Ada's iPhone")) == [
        f"error: {readiness_home}: the state folder belongs to another user (uid 4321); "
        "set READINESS_HOME to a folder of your own"
    ]


def legacy_key(home: Path, key_mode: int = 0o600) -> Path:
    path = home / state.KEY_FILE
    path.write_text(bytes(range(32)).hex() + "\n", encoding="ascii")
    path.chmod(key_mode)
    return path


@pytest.mark.parametrize("loose", [0o644, 0o640, 0o606, 0o666])
def test_a_key_file_others_can_read_or_write_is_refused(tmp_path: Path, loose: int) -> None:
    path = legacy_key(tmp_path, loose)
    with pytest.raises(StateError) as caught:
        state.read_key(tmp_path)
    assert str(caught.value) == (
        f"{path}: the signing key can be read or changed by other users "
        f"(mode {loose:04o}); run: chmod 600 {path}"
    )
    path.chmod(0o600)
    assert state.read_key(tmp_path) == bytes(range(32))


def test_a_key_file_that_is_a_link_is_refused(tmp_path: Path) -> None:
    known = tmp_path / "someone-elses.key"
    known.write_text(bytes(range(32)).hex() + "\n", encoding="ascii")
    known.chmod(0o600)
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    (home / state.KEY_FILE).symlink_to(known)
    with pytest.raises(StateError) as caught:
        state.read_key(home)
    path = home / state.KEY_FILE
    assert str(caught.value) == (
        f"{path}: the signing key is a symbolic link, which readiness does not follow; "
        "replace the link with the key file itself"
    )


@pytest.mark.skipif(not AS_ROOT, reason="giving a file to another user needs root")
def test_an_old_key_of_another_user_is_refused_without_promising_a_new_one(
    tmp_path: Path,
) -> None:
    path = legacy_key(tmp_path)
    os.chown(path, 4321, 4321)
    with pytest.raises(StateError) as caught:
        state.read_key(tmp_path)
    assert str(caught.value) == (
        f"{path}: the signing key belongs to another user (uid 4321); "
        f"move it aside (mv {path} {path}.other)"
    )


@pytest.mark.parametrize("read", [state.read_key, signing.read_public])
def test_a_key_file_that_is_a_fifo_is_refused_not_waited_on(
    tmp_path: Path, read: Callable[[Path], object]
) -> None:
    name = state.KEY_FILE if read is state.read_key else "signing_ed25519"
    os.mkfifo(tmp_path / name, 0o600)
    with pytest.raises(StateError) as caught:
        read(tmp_path)
    assert str(caught.value) == (
        f"{tmp_path / name}: the signing key is not a regular file; move it aside"
    )


def test_reading_the_key_checks_the_state_folder(tmp_path: Path) -> None:
    legacy_key(tmp_path)
    tmp_path.chmod(0o757)
    try:
        with pytest.raises(StateError, match="other users can change the state folder"):
            state.read_key(tmp_path)
    finally:
        tmp_path.chmod(0o700)


# --- 3. a temporary file left by a crash --------------------------------------------------------


def test_a_crash_s_leftover_in_the_state_folder_goes_with_the_next_write(
    readiness_home: Path,
) -> None:
    crashed = readiness_home / ".inventory.toml.readiness-q1w2e3r4.tmp"
    crashed.write_text(f'imei = "{IMEI_B}"\n')
    old = time.time() - files.STALE_SECONDS - 1
    os.utime(crashed, (old, old))
    assert add("Ada's iPhone").exit_code == 0
    assert not crashed.exists()
    assert sorted(p.name for p in readiness_home.iterdir()) == [
        inventory.INVENTORY_FILE,
        inventory.LOCK_FILE,
    ]


# --- 4. inputs that stall or exhaust ----------------------------------------------------------


def _limit_memory() -> None:  # a regression then fails with MemoryError instead of swapping
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))


def readiness(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """The real command in its own process, so that a hang fails the test instead of the run."""
    return subprocess.run(
        [sys.executable, "-m", "readiness", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=30,
        preexec_fn=_limit_memory,
        check=False,
    )


def test_verify_a_named_pipe_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "report.toml"
    os.mkfifo(fifo)
    done = readiness("verify", fifo)
    assert (done.returncode, done.stderr) == (2, f"error: {fifo}: is a named pipe, not a report\n")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_verify_dev_zero_is_refused_at_once() -> None:
    done = readiness("verify", "/dev/zero")
    assert (done.returncode, done.stderr) == (2, "error: /dev/zero: is a device, not a report\n")


def test_an_answers_file_that_is_a_pipe_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "answers.toml"
    os.mkfifo(fifo)
    done = readiness("check", "--answers", fifo, "--no-input", "--now", NOW)
    assert (done.returncode, done.stderr) == (
        2,
        f"error: {fifo}: is a named pipe, not an answers file\n",
    )


def test_a_thousand_bad_devices_print_20_problems_and_a_count(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    head, tail = text[: text.index("[[devices]]")], text[text.index("[checklist]") :]
    devices = "".join(
        f'[[devices]]\nlabel = "d{i}"\nmodel = "iPhone 15 Pro"\nbattery = 185\n'
        for i in range(1_000)
    )
    path = tmp_path / "answers.toml"
    path.write_text(head + devices + tail, encoding="utf-8")
    lines = errors(check(path, tmp_path / "r.toml"))
    assert len(lines) == MAX_PROBLEMS + 1 == 21
    battery_line = head.count("\n") + 4  # [[devices]], label, model, battery
    assert lines[0] == (
        f"error: {path}: devices[1].battery (line {battery_line}): must be 0-100, got 185"
    )
    assert lines[-1] == f"error: {path}: ... and 980 more problems"


def test_200000_devices_are_one_problem(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    head, tail = text[: text.index("[[devices]]")], text[text.index("[checklist]") :]
    devices = '[[devices]]\nlabel = "d"\nbattery = 185\n' * 200_000
    path = tmp_path / "answers.toml"
    path.write_text(head + devices + tail, encoding="utf-8")
    assert errors(check(path, tmp_path / "r.toml")) == [
        f"error: {path}: devices (line {head.count(chr(10)) + 1}): at most 1,000 devices, "
        "got 200,000"
    ]


# --- 5. encodings -----------------------------------------------------------------------------


def test_an_answers_file_with_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "answers.toml"
    path.write_bytes(b"\xef\xbb\xbf" + EXAMPLE.read_bytes())
    result = check(path, tmp_path / "r.toml")
    assert result.exit_code == 0, result.output
    assert report.load(tmp_path / "r.toml").answers["schema"] == 1


def test_a_utf16_answers_file_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "answers.toml"
    path.write_bytes(EXAMPLE.read_text(encoding="utf-8").encode("utf-16"))  # with its BOM
    assert errors(check(path, tmp_path / "r.toml")) == [
        f"error: {path}: is UTF-16 text; save it as UTF-8"
    ]


# --- 6. names that print like other names -------------------------------------------------------

HIDDEN = [
    *"\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c",
    *"\u200b\u200c\u200d\u2060\ufeff",
]


@pytest.mark.parametrize("hidden", HIDDEN, ids=lambda c: f"U+{ord(c):04X}")
def test_direction_and_zero_width_characters_are_not_one_line(hidden: str) -> None:
    assert not is_one_line(f"a{hidden}b")
    assert name_check(None)(f"a{hidden}b") == ("must be one line of text with no hidden characters")


def test_an_emoji_joined_by_zero_width_joiners_is_still_a_name() -> None:
    assert is_one_line("👨\u200d👩\u200d👧 iPad")
    assert is_one_line("🏳\ufe0f\u200d🌈")
    assert is_one_line("עברית and 日本語")


def test_a_label_with_a_zero_width_space_is_refused(readiness_home: Path) -> None:
    assert errors(add("Ada\u200b's iPhone")) == [
        "error: inventory add: a label must be one line of text with no hidden characters"
    ]
    assert not (readiness_home / inventory.INVENTORY_FILE).exists()


def test_an_answers_label_with_a_direction_override_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "answers.toml"
    text = EXAMPLE.read_text(encoding="utf-8")
    path.write_text(text.replace("Ada's iPad", "Ada's \u202edaPi"), encoding="utf-8")
    (line,) = errors(check(path, tmp_path / "r.toml"))
    assert line.startswith(f"error: {path}: devices[2].label (line ")
    assert line.endswith("): must be one line of text with no hidden characters")


def test_labels_that_differ_only_in_composition_clash() -> None:
    assert add("Zoë's iPhone").exit_code == 0  # ë as one character
    assert errors(add("Zoe\u0308's IPHONE", IMEI_B)) == [  # e and a combining diaeresis
        'error: inventory add: label "Zoe\u0308\'s IPHONE" is already used '
        "(iPhone 16 Pro, IMEI ending 1481)"
    ]


def test_a_label_is_found_whichever_way_it_is_composed(readiness_home: Path) -> None:
    assert add("Zoë's iPhone").exit_code == 0
    found = inventory.load(readiness_home).find("zoe\u0308's iphone")
    assert found is not None
    assert found.label == "Zoë's iPhone"


# --- 7. a symlinked inventory --------------------------------------------------------------------


def test_a_symlinked_inventory_stays_a_symlink(readiness_home: Path, tmp_path: Path) -> None:
    synced = tmp_path / "Sync"
    synced.mkdir()
    assert add("Ada's iPhone").exit_code == 0
    target = synced / inventory.INVENTORY_FILE
    link = readiness_home / inventory.INVENTORY_FILE
    link.rename(target)
    link.symlink_to(target)
    assert add("Ada's iPad", IMEI_B).exit_code == 0
    assert link.is_symlink()
    assert os.readlink(link) == str(target)
    assert [e.label for e in inventory.load(readiness_home)] == ["Ada's iPhone", "Ada's iPad"]
    assert mode(target) == 0o600
    assert sorted(p.name for p in synced.iterdir()) == [inventory.INVENTORY_FILE]


# --- 8. report names from trip names ---------------------------------------------------------


def trip_answers(trip: str, traveler: str = "Ada") -> answers.Answers:
    import datetime as dt

    when = dt.datetime(2026, 12, 3, 9, 30, tzinfo=dt.UTC)
    plan = answers.Plan("", True, ("JP",))
    return answers.Answers(traveler, answers.Trip(trip, when, "", "US", ("JP",)), plan, ())


@pytest.mark.parametrize(
    ("trip", "name"),
    [
        ("日本と韓国", "readiness-日本と韓国-2026-12-03.toml"),
        ("Zoë's Japan trip", "readiness-zoës-japan-trip-2026-12-03.toml"),
        ("Zoe\u0308’s  Japan/Trip!", "readiness-zoës-japan-trip-2026-12-03.toml"),
        ("हिन्दी यात्रा", "readiness-हिन्दी-यात्रा-2026-12-03.toml"),
        ("../..", "readiness-trip-2026-12-03.toml"),
    ],
)
def test_report_names_keep_the_letters_of_every_script(
    trip: str, name: str, tmp_path: Path
) -> None:
    assert report.default_name(trip_answers(trip), folder=tmp_path) == name


def test_a_long_name_fits_a_file_system() -> None:
    name = report.default_name(trip_answers("日本" * 100))
    assert len(name.encode("utf-8")) < 200


def test_a_name_that_is_taken_gets_a_short_distinguishing_suffix(tmp_path: Path) -> None:
    first = report.default_name(trip_answers("日本と韓国"), folder=tmp_path)
    (tmp_path / first).write_text("taken\n")
    other = report.default_name(trip_answers("日本と韓国!"), folder=tmp_path)
    bob = report.default_name(trip_answers("日本と韓国", "Bob"), folder=tmp_path)
    assert len({first, other, bob}) == 3
    assert other.startswith("readiness-日本と韓国-2026-12-03-")
    assert len(other) == len(first) + 7  # "-" and six hex digits
    (tmp_path / other).write_text("taken\n")
    # Both taken: the plain name, so that the caller refuses it (or --force replaces it).
    assert report.default_name(trip_answers("日本と韓国!"), folder=tmp_path) == first


# --- 9. markdown ------------------------------------------------------------------------------


def test_a_pipe_in_code_in_a_table_cell_does_not_split_the_cell() -> None:
    assert render_guide.md("Ada's `a|b` iPad", cell=True) == "Ada's `a\\|b` iPad"
    assert render_guide.md("a|b `c|d`", cell=True) == "a\\|b `c\\|d`"
    assert render_guide.md("`a|b`") == "`a|b`"  # outside a table a code span is as typed


def test_the_guide_table_keeps_a_label_with_a_pipe_in_one_cell(tmp_path: Path) -> None:
    path = tmp_path / "answers.toml"
    text = EXAMPLE.read_text(encoding="utf-8")
    path.write_text(text.replace("Ada's iPad", "Ada's `a|b` iPad"), encoding="utf-8")
    target = tmp_path / "r.toml"
    assert check(path, target).exit_code == 0
    result = run("guide", target, "--format", "markdown", "--now", NOW)
    assert result.exit_code == 0, result.output
    (row,) = [line for line in result.stdout.splitlines() if "a\\|b" in line]
    assert row.startswith("| Ada's `a\\|b` iPad | Standard | ")
    assert row.replace("\\|", "").count("|") == 5


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("m`x<b>.toml", "``m`x<b>.toml``"),
        ("r.toml", "`r.toml`"),
        ("``a", "``` ``a ```"),
        ("a\nb", "`a\\nb`"),
    ],
)
def test_code_spans_hold_any_text(text: str, span: str) -> None:
    assert render_guide.md_code(text) == span


def test_show_markdown_escapes_the_report_path(tmp_path: Path) -> None:
    target = tmp_path / "m`x<b>.toml"
    assert check(EXAMPLE, target).exit_code == 0
    result = run("show", target, "--format", "markdown", "--now", NOW)
    assert result.exit_code == 0, result.output
    assert f"**File:** ``{target}``  \n" in result.stdout
