"""Importing an MDM export into the inventory store."""

from __future__ import annotations

from pathlib import Path

import pytest
from store_helpers import (
    EID,
    FIXTURES,
    IMEI_A,
    IMEI_B,
    IMEI_C,
    IMEI_D,
    LATER,
    NOW,
    entry,
    inventory_file,
    make_imei,
)

from readiness import inventory
from readiness.errors import InputError

# ----------------------------------------------------------------- CSV import


def test_parse_csv_matches_mdm_headers() -> None:
    table = inventory.read_csv(FIXTURES / "devices.csv")
    assert table.columns == {
        "label": ("Device Name",),
        "model": ("Model",),
        "imei": ("IMEI",),
        "imei2": ("Secondary IMEI",),
        "eid": ("EID",),
        "owner": ("Username",),
        "serial": ("Serial Number",),
    }
    assert table.product == ""
    assert table.ignored == ("OS Version",)
    assert [row.row for row in table.rows] == [2, 3, 4, 5, 6]


def test_parse_csv_semicolons_bom_blank_rows() -> None:
    table = inventory.read_csv(FIXTURES / "excel-semicolon.csv")
    assert table.columns["imei"] == ("IMEI 1",)
    assert table.columns["owner"] == ("Primary user",)
    assert table.ignored == ("OS Version",)
    assert (table.encoding, table.delimiter) == ("UTF-8", ";")
    assert [(row.row, row.values["label"]) for row in table.rows] == [
        (2, "Cara's Watch"),
        (4, "Dan; travel phone"),
    ]


@pytest.mark.parametrize(
    "header",
    ["device name,model name,imei/meid", "NAME,PRODUCT NAME,IMEI 1", "Name,Model, IMEI / MEID "],
)
def test_header_names_any_case(header: str) -> None:
    table = inventory.parse_csv(f"{header}\nA,B,{IMEI_A}\n", "x.csv")
    [row] = table.rows
    assert (row.row, row.values["label"], row.values["model"], row.values["imei"]) == (
        2,
        "A",
        "B",
        IMEI_A,
    )


def test_missing_model_column() -> None:
    with pytest.raises(InputError) as caught:
        inventory.parse_csv(f"Device Name,IMEI\nA,{IMEI_A}\n", "x.csv")
    assert caught.value.lines() == [
        'x.csv: row 1: no model column; name one "Model", "Model Name", "Product Name"'
    ]


def test_no_imei_column_imports_devices_marked_without_one(readiness_home: Path) -> None:
    result = inventory.import_csv(readiness_home, FIXTURES / "no-imei-column.csv", NOW)
    assert result.notes == (inventory.RowNote(2, "no IMEI: no IMEI column in the export"),)
    [kept] = inventory.load(readiness_home).entries
    assert (kept.label, kept.imei, kept.no_imei) == (
        "Ada's iPhone",
        "",
        "no IMEI column in the export",
    )


def test_empty_csv() -> None:
    with pytest.raises(
        InputError, match=r"x\.csv: is empty; expected a CSV file with a header row"
    ):
        inventory.parse_csv("\ufeff\n", "x.csv")


def test_import_counts_added_duplicates_and_rejected(readiness_home: Path) -> None:
    result = inventory.import_csv(readiness_home, FIXTURES / "devices.csv", NOW)
    assert [e.label for e in result.added] == ["Ada's iPhone", "Ada's iPad", "Bob's Galaxy"]
    assert result.duplicates == (
        inventory.RowNote(5, 'IMEI 352099001761481 is already on "Ada\'s iPhone" (row 2)'),
    )
    assert result.rejected == (
        inventory.RowNote(
            4, "IMEI 352099001761482: check digit is wrong (expected 1); look for a mistyped digit"
        ),
    )
    assert result.ignored == ("OS Version",)
    galaxy = inventory.load(readiness_home).find("bob's galaxy")
    assert galaxy is not None
    assert (galaxy.imei2, galaxy.eid, galaxy.owner) == ("356789012345680", EID, "bob")


def test_import_again_skips_everything_known(readiness_home: Path) -> None:
    inventory.import_csv(readiness_home, FIXTURES / "devices.csv", NOW)
    before = inventory_file(readiness_home).read_bytes()
    again = inventory.import_csv(readiness_home, FIXTURES / "devices.csv", LATER)
    assert again.added == ()
    assert [d.row for d in again.duplicates] == [2, 3, 5, 6]
    assert inventory_file(readiness_home).read_bytes() == before


def test_import_rejects_a_label_clash_but_keeps_going(readiness_home: Path) -> None:
    inventory.add(readiness_home, entry())
    rows = [
        (2, {"label": "ada's iphone", "model": "Pixel", "imei": IMEI_C}),
        (3, {"label": "New", "model": "Pixel", "imei": IMEI_D}),
    ]
    result = inventory.import_rows(readiness_home, rows, NOW)
    assert [e.label for e in result.added] == ["New"]
    assert result.rejected == (
        inventory.RowNote(
            2, 'label "ada\'s iphone" is already used (iPhone 15 Pro, IMEI ending 1481)'
        ),
    )


def test_dry_run_changes_nothing(readiness_home: Path) -> None:
    result = inventory.import_csv(readiness_home, FIXTURES / "devices.csv", NOW, dry_run=True)
    assert len(result.added) == 3
    assert result.dry_run
    assert list(readiness_home.iterdir()) == []


def test_export_csv_imports_back(readiness_home: Path, tmp_path: Path) -> None:
    inventory.import_csv(readiness_home, FIXTURES / "devices.csv", NOW)
    exported = tmp_path / "export.csv"
    exported.write_text(inventory.to_csv(inventory.load(readiness_home)))
    other = tmp_path / "other-home"
    result = inventory.import_csv(other, exported, NOW)
    assert result.ignored == ("added", "changed")
    assert inventory.load(other).entries == inventory.load(readiness_home).entries


def test_ten_thousand_devices_import_with_their_duplicate_found(readiness_home: Path) -> None:
    """(How long it takes is measured by benchmarks/inventory.py.)"""
    rows = [
        (n + 2, {"label": f"Device {n}", "model": "Pixel 8", "imei": make_imei(n)})
        for n in range(10_000)
    ]
    rows.append((10_002, {"label": "Copy", "model": "Pixel 8", "imei": make_imei(42)}))
    result = inventory.import_rows(readiness_home, rows, NOW)
    found = inventory.load(readiness_home).find(make_imei(9_999))
    assert len(result.added) == 10_000
    assert [d.row for d in result.duplicates] == [10_002]
    assert found is not None
    assert found.label == "Device 9999"


@pytest.mark.parametrize(
    "body",
    [
        "label = 'single quoted'",
        'label    =   "spaced"',
        'label = """triple quoted"""',
    ],
)
def test_other_valid_layouts_load(readiness_home: Path, body: str) -> None:
    """A hand edit in another TOML layout is read like the tool's own."""
    path = inventory_file(readiness_home)
    path.write_text(
        "schema = 1\n[[devices]]\n"
        f'{body}\nmodel = "m"\nimei = "{IMEI_A}"\nimei2 = ""\neid = ""\nowner = ""\n'
        "added = 2026-11-30T12:00:00Z\nchanged = 2026-11-30T12:00:00Z\n"
    )
    assert inventory.load(readiness_home).entries[0].imei == IMEI_A


def test_an_exact_repeat_is_skipped_and_a_changed_one_still_checked(readiness_home: Path) -> None:
    """Re-importing skips validation only for a row equal, field for field, to a kept device."""
    kept = {"label": "Ada's iPhone", "model": "iPhone 15 Pro", "imei": IMEI_A, "imei2": IMEI_B}
    inventory.import_rows(readiness_home, [(2, {**kept, "eid": EID})], NOW)
    rows = [
        (2, {**kept, "eid": EID}),
        (3, {**kept, "eid": "not an EID"}),
        (4, {**kept, "eid": EID, "label": "Ada's iPhone\x07"}),
    ]
    result = inventory.import_rows(readiness_home, rows, NOW)
    assert [(o.row, o.outcome) for o in result.outcomes] == [
        (2, inventory.Outcome.SKIPPED),
        (3, inventory.Outcome.REJECTED),
        (4, inventory.Outcome.REJECTED),
    ]
    assert result.duplicates[0].reason == f'IMEI {IMEI_A} is already on "Ada\'s iPhone"'
    assert result.rejected[0].reason.startswith("EID not an EID: ")
    assert result.rejected[1].reason == "a label must be one line of text with no hidden characters"
