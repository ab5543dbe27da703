"""The inventory store: validation, clashes, the file, locking, atomic writes."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from store_helpers import (
    EID,
    IMEI_A,
    IMEI_B,
    IMEI_C,
    LATER,
    NOW,
    ROOT,
    entry,
    inventory_file,
)

from readiness import inventory
from readiness.errors import InputError, InventoryError, StateError
from readiness.inventory import Entry, Refused

# ----------------------------------------------------------------- entries


def test_new_entry_stores_identifiers_compact() -> None:
    made = inventory.new_entry(
        label="  Ada's iPhone ",
        model="iPhone 15 Pro",
        imei="35 209900 176148 1",
        imei2="35-209900-176149-9",
        eid="8904 9032 0000 0000 0000 0000 0123 4585",
        owner="Ada",
        now=NOW,
    )
    assert made == Entry(
        "Ada's iPhone", "iPhone 15 Pro", IMEI_A, IMEI_B, EID, "Ada", added=NOW, changed=NOW
    )


def test_new_entry_gives_every_reason() -> None:
    with pytest.raises(Refused) as caught:
        inventory.new_entry(
            label="two\nlines", model="", imei="352099001761482", eid="123", now=NOW
        )
    assert caught.value.lines() == [
        "a label must be one line of text with no hidden characters",
        'no model given, e.g. "iPhone 15 Pro"',
        "IMEI 352099001761482: check digit is wrong (expected 1); look for a mistyped digit",
        "EID 123: an EID has 32 digits, got 3",
    ]
    assert caught.value.exit_code == 2


@pytest.mark.parametrize(
    ("label", "reason"),
    [
        ("", 'no label given; name the device, e.g. "Ada\'s iPhone"'),
        (IMEI_B, 'a label cannot be an IMEI; name the device, e.g. "Ada\'s iPhone"'),
        ("x" * 101, "a label has at most 100 characters, got 101"),
    ],
)
def test_labels_refused(label: str, reason: str) -> None:
    with pytest.raises(Refused) as caught:
        entry(label)
    assert caught.value.lines() == [reason]


def test_imei2_equal_to_imei_is_refused() -> None:
    with pytest.raises(Refused, match="IMEI2 352099001761481 is the same as the IMEI"):
        entry(imei2="35 209900 176148 1")


def test_imeisv_is_not_an_imei() -> None:
    with pytest.raises(Refused, match="looks like an IMEISV"):
        entry(imei="3520990017614812")


def test_record_masks_unless_revealed() -> None:
    made = entry(eid=EID)
    assert made.as_record(reveal=False)["imei"] == "•••••••••••1481"
    assert made.as_record(reveal=False)["eid"].endswith("4585")
    assert made.as_record(reveal=False)["imei2"] == ""
    assert made.as_record()["imei"] == IMEI_A
    assert list(made.as_record()) == list(inventory.FIELDS)


# ----------------------------------------------------------------- the store


def test_missing_file_is_an_empty_inventory(readiness_home: Path) -> None:
    assert len(inventory.load(readiness_home)) == 0
    assert not inventory_file(readiness_home).exists()


def test_add_then_load(readiness_home: Path) -> None:
    inventory.add(readiness_home, entry())
    inventory.add(readiness_home, entry("Ada's iPad", IMEI_C, model="iPad Pro", owner="Ada"))
    loaded = inventory.load(readiness_home)
    assert [e.label for e in loaded] == ["Ada's iPhone", "Ada's iPad"]
    assert loaded.entries[1].owner == "Ada"
    assert loaded.entries[0].added == NOW


def test_file_format(readiness_home: Path) -> None:
    inventory.add(readiness_home, entry(owner="Ada"))
    text = inventory_file(readiness_home).read_text()
    assert "schema = 1\n" in text
    assert (
        textwrap.dedent(
            """\
        [[devices]]
        label = "Ada's iPhone"
        model = "iPhone 15 Pro"
        imei = "352099001761481"
        imei2 = ""
        eid = ""
        owner = "Ada"
        """
        )
        in text
    )
    assert inventory.to_toml(inventory.load(readiness_home)) == text


def test_file_mode_is_0600(readiness_home: Path) -> None:
    inventory.add(readiness_home, entry())
    assert stat.S_IMODE(inventory_file(readiness_home).stat().st_mode) == 0o600
    inventory.remove(readiness_home, "Ada's iPhone")
    assert stat.S_IMODE(inventory_file(readiness_home).stat().st_mode) == 0o600


def test_state_folder_is_created(tmp_path: Path) -> None:
    home = tmp_path / "deep" / "home"
    inventory.add(home, entry())
    assert inventory_file(home).exists()


def test_duplicate_imei_names_the_device(readiness_home: Path) -> None:
    inventory.add(readiness_home, entry())
    with pytest.raises(Refused) as caught:
        inventory.add(readiness_home, entry("Bob's Pixel", IMEI_A, model="Pixel 8"))
    assert caught.value.lines() == ['IMEI 352099001761481 is already on "Ada\'s iPhone"']


def test_duplicate_label_any_case(readiness_home: Path) -> None:
    inventory.add(readiness_home, entry())
    with pytest.raises(Refused) as caught:
        inventory.add(readiness_home, entry("ADA'S  IPHONE", IMEI_C))
    assert caught.value.lines() == [
        'label "ADA\'S  IPHONE" is already used (iPhone 15 Pro, IMEI ending 1481)'
    ]


def test_imei2_clashes_count_both_ways(readiness_home: Path) -> None:
    inventory.add(readiness_home, entry(imei2=IMEI_B))
    with pytest.raises(Refused, match=r'IMEI 352099001761499 is already on "Ada\'s iPhone" as'):
        inventory.add(readiness_home, entry("Other", IMEI_B))
    with pytest.raises(Refused, match=r'IMEI2 352099001761481 is already on "Ada\'s iPhone"$'):
        inventory.add(readiness_home, entry("Other", IMEI_C, imei2=IMEI_A))


def test_duplicate_eid_refused(readiness_home: Path) -> None:
    inventory.add(readiness_home, entry(eid=EID))
    with pytest.raises(Refused, match=r"EID 8904\d+ is already on"):
        inventory.add(readiness_home, entry("Other", IMEI_C, eid=EID))


def test_refused_is_an_inventory_error() -> None:
    assert issubclass(Refused, InventoryError)


def test_find_by_label_or_imei(readiness_home: Path) -> None:
    inventory.add(readiness_home, entry(imei2=IMEI_B))
    loaded = inventory.load(readiness_home)
    assert loaded.find("ada's iphone") is not None
    assert loaded.find("35 209900 176148 1") is not None
    assert loaded.find("35-209900-176149-9") is not None
    assert loaded.find("nobody") is None


def test_edit_changes_only_what_is_given(readiness_home: Path) -> None:
    inventory.add(readiness_home, entry(imei2=IMEI_B, owner="Ada"))
    old, new = inventory.edit(readiness_home, "ada's iphone", {"model": "iPhone 16 Pro"}, LATER)
    assert old.model == "iPhone 15 Pro"
    assert (new.model, new.imei, new.imei2, new.owner) == ("iPhone 16 Pro", IMEI_A, IMEI_B, "Ada")
    assert (new.added, new.changed) == (NOW, LATER)
    assert inventory.load(readiness_home).entries == (new,)


def test_edit_clears_and_renames_in_place(readiness_home: Path) -> None:
    inventory.add(readiness_home, entry(imei2=IMEI_B))
    inventory.add(readiness_home, entry("Second", IMEI_C))
    inventory.edit(readiness_home, IMEI_A, {"imei2": "", "label": "First"}, LATER)
    loaded = inventory.load(readiness_home)
    assert [(e.label, e.imei2) for e in loaded] == [("First", ""), ("Second", "")]
    # The cleared IMEI2 is free again.
    inventory.add(readiness_home, entry("Third", IMEI_B))


def test_edit_refuses_a_clash_and_keeps_the_file(readiness_home: Path) -> None:
    inventory.add(readiness_home, entry())
    inventory.add(readiness_home, entry("Second", IMEI_C))
    before = inventory_file(readiness_home).read_bytes()
    with pytest.raises(Refused, match='IMEI 352099001761481 is already on "Ada\'s iPhone"'):
        inventory.edit(readiness_home, "Second", {"imei": IMEI_A}, LATER)
    assert inventory_file(readiness_home).read_bytes() == before


def test_edit_with_the_same_values_writes_nothing(readiness_home: Path) -> None:
    inventory.add(readiness_home, entry())
    before = inventory_file(readiness_home).read_bytes()
    old, new = inventory.edit(readiness_home, "Ada's iPhone", {"imei": "35 209900 176148 1"}, LATER)
    assert old is new
    assert inventory_file(readiness_home).read_bytes() == before


def test_edit_rejects_bad_values(readiness_home: Path) -> None:
    inventory.add(readiness_home, entry())
    with pytest.raises(Refused, match="IMEI 12: an IMEI has 15 digits, got 2"):
        inventory.edit(readiness_home, "Ada's iPhone", {"imei": "12"}, LATER)


def test_remove_by_label_or_imei(readiness_home: Path) -> None:
    inventory.add(readiness_home, entry())
    inventory.add(readiness_home, entry("Second", IMEI_C))
    assert inventory.remove(readiness_home, "35 3456 7890 1234 8").label == "Second"
    assert inventory.remove(readiness_home, "ADA'S IPHONE").imei == IMEI_A
    assert len(inventory.load(readiness_home)) == 0


def test_unknown_device_suggests_close_labels(readiness_home: Path) -> None:
    inventory.add(readiness_home, entry())
    with pytest.raises(Refused) as caught:
        inventory.remove(readiness_home, "Ada's iPhon")
    assert caught.value.lines() == [
        'no device "Ada\'s iPhon" in the inventory; did you mean "Ada\'s iPhone"?'
    ]


def test_unknown_device_in_empty_inventory(readiness_home: Path) -> None:
    with pytest.raises(Refused, match='no device "x" in the inventory; the inventory is empty'):
        inventory.edit(readiness_home, "x", {"owner": "Ada"}, LATER)


# ----------------------------------------------------------------- a bad file is left alone


def test_corrupt_file_is_reported_with_path_and_line_and_kept(readiness_home: Path) -> None:
    path = inventory_file(readiness_home)
    broken = 'schema = 1\n\n[[devices]]\nlabel = "Ada\nmodel = "x"\n'
    path.write_text(broken)
    with pytest.raises(InputError) as caught:
        inventory.load(readiness_home)
    first = caught.value.lines()[0]
    assert first.startswith(f"{path}: line 4, column ")
    assert caught.value.lines()[-1] == (
        f"{path}: the inventory was left as it is; fix it, or move it aside to start a new one"
    )
    with pytest.raises(InputError):
        inventory.add(readiness_home, entry())
    with pytest.raises(InputError):
        inventory.import_rows(
            readiness_home, [(2, {"label": "a", "model": "b", "imei": IMEI_C})], NOW
        )
    assert path.read_text() == broken


def test_wrong_types_are_located(readiness_home: Path) -> None:
    path = inventory_file(readiness_home)
    inventory.add(readiness_home, entry())
    inventory.add(readiness_home, entry("Second", IMEI_C))
    text = path.read_text().replace(f'imei = "{IMEI_C}"', "imei = 353456789012348")
    path.write_text(text)
    line = text.splitlines().index("imei = 353456789012348") + 1
    with pytest.raises(InputError) as caught:
        inventory.load(readiness_home)
    assert caught.value.lines()[0] == (
        f"{path}: devices[2].imei (line {line}): must be a string, got integer 353456789012348"
    )
    assert path.read_text() == text


def test_bad_imei_and_duplicates_in_the_file(readiness_home: Path) -> None:
    path = inventory_file(readiness_home)
    inventory.add(readiness_home, entry())
    inventory.add(readiness_home, entry("Second", IMEI_C))
    path.write_text(
        path.read_text()
        .replace(IMEI_C, IMEI_A)
        .replace('label = "Ada\'s iPhone"', 'label = "Ada\'s iPhone"\nextra = 1')
    )
    with pytest.raises(InputError) as caught:
        inventory.load(readiness_home)
    messages = [line.split(": ", 2)[-1] for line in caught.value.lines()]
    assert messages[0].startswith("unknown key; expected one of: added, changed")
    assert messages[1] == 'IMEI 352099001761481 is already on "Ada\'s iPhone"'
    assert "devices[2].imei (line " in caught.value.lines()[1]


def test_newer_schema_is_refused(readiness_home: Path) -> None:
    inventory_file(readiness_home).write_text("schema = 2\n")
    with pytest.raises(
        InputError, match=r"schema \(line 1\): is 2; this version of readiness reads schema 1"
    ):
        inventory.load(readiness_home)


def test_times_need_an_offset(readiness_home: Path) -> None:
    inventory.add(readiness_home, entry())
    path = inventory_file(readiness_home)
    path.write_text(
        path.read_text().replace("added = 2026-11-30 12:00:00+00:00", "added = 2026-11-30T12:00:00")
    )
    with pytest.raises(InputError, match=r"devices\[1\].added \(line \d+\): needs a UTC offset"):
        inventory.load(readiness_home)


def test_many_problems_are_capped(readiness_home: Path) -> None:
    body = "".join(
        f'[[devices]]\nlabel = "d{i}"\nmodel = "m"\nimei = "1"\n'
        "added = 2026-11-30T12:00:00Z\nchanged = 2026-11-30T12:00:00Z\n"
        for i in range(500)
    )
    inventory_file(readiness_home).write_text("schema = 1\n" + body)
    with pytest.raises(InputError) as caught:
        inventory.load(readiness_home)
    assert len(caught.value.lines()) == inventory.MAX_PROBLEMS + 2
    path = inventory_file(readiness_home)
    assert caught.value.lines()[-2] == f"{path}: ... and 480 more problems"


# ----------------------------------------------------------------- atomic writes and the lock


def test_interrupted_write_leaves_the_old_file(
    readiness_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inventory.add(readiness_home, entry())
    path = inventory_file(readiness_home)
    before = path.read_bytes()

    def crash(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(StateError, match="cannot write: No space left on device"):
        inventory.add(readiness_home, entry("Second", IMEI_C))
    monkeypatch.undo()
    assert path.read_bytes() == before
    leftovers = [p.name for p in readiness_home.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []
    assert [e.label for e in inventory.load(readiness_home)] == ["Ada's iPhone"]


def test_a_held_lock_times_out_with_a_message(
    readiness_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from filelock import FileLock

    monkeypatch.setattr(inventory, "LOCK_TIMEOUT", 0.2)
    # Another command holds the lock (a second lock object on the same file stands
    # in for the other process: flock locks belong to open files, not processes).
    holder = FileLock(str(readiness_home / inventory.LOCK_FILE))
    with holder, pytest.raises(StateError, match="another readiness command has held"):
        inventory.add(readiness_home, entry())
    assert not inventory_file(readiness_home).exists()


_WORKER = """
import datetime as dt, sys, time
from pathlib import Path
from stdnum import luhn
from readiness import inventory
home, name, count, start = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
tac = "35" if name == "a" else "86"
while not start.exists():
    time.sleep(0.005)
now = dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC)
for i in range(count):
    body = f"{tac}{i:012d}"
    inventory.add(home, inventory.new_entry(
        label=f"{name}-{i}", model="Pixel 8", imei=body + luhn.calc_check_digit(body), now=now))
"""


def test_two_processes_adding_at_once_keep_every_entry(
    readiness_home: Path, tmp_path: Path
) -> None:
    count = 25
    start = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, str(readiness_home), name, str(count), str(start)],
            env=env,
            stderr=subprocess.PIPE,
        )
        for name in ("a", "b")
    ]
    time.sleep(0.3)  # both are importing and then waiting on the start file: the barrier
    start.touch()
    for worker in workers:
        _, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err.decode()
    labels = {e.label for e in inventory.load(readiness_home)}
    assert labels == {f"{n}-{i}" for n in ("a", "b") for i in range(count)}
