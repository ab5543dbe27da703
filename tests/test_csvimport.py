"""MDM exports as the products write them (tests/fixtures/mdm), read cell by cell and row by row."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from stdnum import imei as stdnum_imei

from readiness import inventory
from readiness.cli import cli
from readiness.errors import InputError, InvalidValue
from readiness.inventory import Outcome
from readiness.inventory.cells import read_eid, read_imeis, read_owner
from readiness.inventory.columns import map_columns, recognise
from readiness.inventory.csvimport import decode

MDM = Path(__file__).parent / "fixtures" / "mdm"
NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
PRODUCTS = ("intune", "jamf", "kandji", "google", "workspace_one", "apple_business_manager")

ADDED, SKIPPED, REJECTED = Outcome.ADDED, Outcome.SKIPPED, Outcome.REJECTED
EXCEL_E = "Excel turned this IMEI into 3.50044E+14 and lost its digits: export the column as text"
PLACEHOLDER = "is a placeholder, not a device's IMEI; dial *#06# on the device to see the real one"


def outcomes(result: inventory.ImportResult) -> list[tuple[int, Outcome, str, str]]:
    """(row, outcome, label or "", message) for every row."""
    return [
        (o.row, o.outcome, o.entry.label if o.entry else "", o.message) for o in result.outcomes
    ]


# ----------------------------------------------------------------- one fixture per product

EXPECTED: dict[str, tuple[str, str, list[tuple[int, Outcome, str, str]]]] = {
    "intune": (
        "Microsoft Intune",
        "UTF-8",
        [
            (2, ADDED, "iPhone (anna.schmidt@contoso.com)", "no IMEI: none in the export"),
            (3, ADDED, "iPhone (bob@contoso.com)", ""),
            (4, ADDED, "JSILVA-S24U", ""),
            (
                5,
                ADDED,
                "CONTOSO-LT-0421",
                'IMEI 356543215260182.0: removed the ".0" a spreadsheet added',
            ),
            (6, REJECTED, "", EXCEL_E),
            (7, ADDED, "LEGACY-IPAD-02", "no IMEI: only an MEID in the export"),
            (8, REJECTED, "", f"IMEI 000000000000000 {PLACEHOLDER}"),
            (9, SKIPPED, "", 'IMEI 353987651590839 is already on "JSILVA-S24U" (row 4)'),
        ],
    ),
    "jamf": (
        "Jamf Pro",
        "Windows-1252",
        [
            (2, ADDED, "Anna's iPhone", ""),
            (3, ADDED, "iPad", ""),
            (
                4,
                REJECTED,
                "",
                "IMEI 13263001234565 has 14 digits: a spreadsheet dropped its leading 0 "
                "(013263001234565 is a valid IMEI); export the column as text",
            ),
            (5, ADDED, "Jürgens iPad", "no IMEI: none in the export"),
            (7, ADDED, "Lab iPhone", ""),
        ],
    ),
    "kandji": (
        "Kandji",
        "UTF-8",
        [
            (2, ADDED, "Anna's iPhone", "no IMEI: no IMEI column in the export"),
            (3, ADDED, "Kira's MacBook Air", "no IMEI: no IMEI column in the export"),
            (4, ADDED, "iPad (DMPXQ2LL9V)", "no IMEI: no IMEI column in the export"),
            (5, ADDED, "iPad (DMPXQ3MM0W)", "no IMEI: no IMEI column in the export"),
        ],
    ),
    "google": (
        "Google Workspace",
        "UTF-8",
        [
            (2, ADDED, "Pixel 9 (anna.schmidt@example.com, 4B121FDJH00ABC)", ""),
            (3, ADDED, "SM-S931B (joao.silva@example.com)", ""),
            (4, ADDED, "iPhone16,2 (joao.silva@example.com)", "no IMEI: none in the export"),
            (5, REJECTED, "", f"IMEI 111111111111111 {PLACEHOLDER}"),
            (6, ADDED, "Pixel 9 (anna.schmidt@example.com, 4B121FDJH00XYZ)", ""),
        ],
    ),
    "workspace_one": (
        "Workspace ONE",
        "UTF-16",
        [
            (2, ADDED, "Anna's iPhone", ""),
            (3, ADDED, "jsilva SM-S928B Android 16.0.0", ""),
            (4, ADDED, "KIRA-X1C", ""),
            (
                5,
                REJECTED,
                "",
                "IMEI 356781042299152: check digit is wrong (expected 1); "
                "look for a mistyped digit",
            ),
        ],
    ),
    "apple_business_manager": (
        "Apple Business Manager",
        "UTF-8",
        [
            (2, ADDED, "iPhone 16 Pro (F2LZK1ABN72J)", ""),
            (3, ADDED, "iPad Pro 11-inch (M4)", ""),
            (4, ADDED, 'MacBook Air 13"', "no IMEI: none in the export"),
            (5, ADDED, "iPhone 16 Pro (G7QDM5AAP2)", ""),
            (6, ADDED, "iPad Air 11-inch (M2)", "no IMEI: none in the export"),
        ],
    ),
}


@pytest.mark.parametrize("name", PRODUCTS)
def test_each_product_export_imports_row_by_row(readiness_home: Path, name: str) -> None:
    product, encoding, expected = EXPECTED[name]
    result = inventory.import_csv(readiness_home, MDM / f"{name}.csv", NOW)
    assert result.table is not None
    assert (result.table.product, result.table.encoding) == (product, encoding)
    assert outcomes(result) == expected
    kept = [e.label for e in inventory.load(readiness_home)]
    assert kept == [label for _, outcome, label, _ in expected if outcome is ADDED]


@pytest.mark.parametrize("name", PRODUCTS)
def test_importing_the_same_export_again_adds_nothing(readiness_home: Path, name: str) -> None:
    first = inventory.import_csv(readiness_home, MDM / f"{name}.csv", NOW)
    again = inventory.import_csv(readiness_home, MDM / f"{name}.csv", NOW)
    assert again.added == ()
    assert [n.row for n in again.duplicates] == sorted(
        [o.row for o in first.outcomes if o.outcome is not REJECTED]
    )
    assert again.rejected == first.rejected


def test_fixtures_use_only_valid_imeis_where_they_mean_one() -> None:
    """Every 15-digit number in the fixtures passes Luhn, except the rows that test a bad one."""
    import re

    deliberate = {"356781042299152", "000000000000000", "111111111111111"}
    for name in PRODUCTS:
        raw = (MDM / f"{name}.csv").read_bytes()
        text, _ = decode(raw, name)
        for number in re.findall(r"(?<!\d)\d{15}(?!\d)", text):
            assert stdnum_imei.is_valid(number) or number in deliberate, (name, number)


def test_dual_imei_cell_becomes_imei_and_imei2(readiness_home: Path) -> None:
    inventory.import_csv(readiness_home, MDM / "apple_business_manager.csv", NOW)
    phone = inventory.load(readiness_home).find("iPhone 16 Pro (F2LZK1ABN72J)")
    assert phone is not None
    assert (phone.imei, phone.imei2) == ("352099001762158", "350468741122332")


def test_meid_is_never_taken_for_the_imei(readiness_home: Path) -> None:
    inventory.import_csv(readiness_home, MDM / "jamf.csv", NOW)
    phone = inventory.load(readiness_home).find("Anna's iPhone")
    assert phone is not None
    assert phone.imei == "352099001761481"
    assert "35209900176148" not in {phone.imei, phone.imei2, phone.eid}


def test_owner_comes_from_email_then_name(readiness_home: Path) -> None:
    inventory.import_csv(readiness_home, MDM / "jamf.csv", NOW)
    inventory.import_csv(readiness_home, MDM / "kandji.csv", NOW)
    owners = {e.label: e.owner for e in inventory.load(readiness_home)}
    assert owners["iPad"] == "joao.silva@example.com"
    assert owners["Jürgens iPad"] == "Jürgen Müller"  # read from Windows-1252
    assert owners["Kira's MacBook Air"] == "kira.novak@example.com"  # Kandji's user object
    assert owners["iPad (DMPXQ2LL9V)"] == ""


def test_a_name_the_inventory_already_uses_takes_the_owner(readiness_home: Path) -> None:
    inventory.add(
        readiness_home,
        inventory.new_entry(label="iPad", model="iPad Air", imei="354671102345675", now=NOW),
    )
    result = inventory.import_csv(readiness_home, MDM / "jamf.csv", NOW)
    assert outcomes(result)[1] == (
        3,
        ADDED,
        "iPad (joao.silva@example.com)",
        "the inventory has another of that name: named with its owner",
    )


# ----------------------------------------------------------------- the command


def run(*args: str) -> tuple[int, list[str], str]:
    result = CliRunner().invoke(cli, ["inventory", *args], catch_exceptions=False)
    return result.exit_code, result.stdout.splitlines(), result.stderr


def test_exit_0_when_every_row_is_added_or_known() -> None:
    path = str(MDM / "apple_business_manager.csv")
    code, out, _ = run("import", path, "--now", "2026-11-30T12:00:00Z")
    assert (code, out[-1]) == (
        0,
        f"{path}: 5 devices added, 0 already in the inventory, 0 rejected.",
    )
    code, out, _ = run("import", path, "--now", "2026-11-30T12:00:00Z")
    assert (code, out[-1]) == (
        0,
        f"{path}: 0 devices added, 5 already in the inventory, 0 rejected.",
    )


def test_exit_1_names_each_rejected_row() -> None:
    path = str(MDM / "intune.csv")
    code, out, err = run("import", path, "--now", "2026-11-30T12:00:00Z")
    assert code == 1
    assert [line for line in out if ": rejected: " in line] == [
        f"{path}: row 6: rejected: {EXCEL_E}",
        f"{path}: row 8: rejected: IMEI 000000000000000 {PLACEHOLDER}",
    ]
    assert out[-1] == f"{path}: 5 devices added, 1 already in the inventory, 2 rejected."
    assert err == ""


def test_exit_2_only_when_the_file_cannot_be_read(tmp_path: Path) -> None:
    path = tmp_path / "binary.csv"
    path.write_bytes(b"Model,IMEI\n\x81\x8d\x8f\n")
    code, _, err = run("import", str(path))
    assert (code, err) == (2, f"error: {path}: line 2: is not UTF-8, UTF-16 or Windows-1252 text\n")


def test_dry_run_names_the_product_and_the_columns() -> None:
    path = str(MDM / "workspace_one.csv")
    code, out, _ = run("import", path, "--dry-run", "--now", "2026-11-30T12:00:00Z")
    assert code == 1
    assert out[:7] == [
        f"{path}: read as the Workspace ONE layout (UTF-16, tab-separated)",
        '  label: "DeviceReportedName", else "DeviceFriendlyName"',
        '  model: "Model"',
        '  IMEI: "Imei"',
        '  owner: "UserEmailAddress", else "UserName"',
        '  serial number: "SerialNumber" (tells devices of one name apart)',
        "  not used: Udid, Platform, OperatingSystem, PhoneNumber, Ownership, LastSeen, "
        "EnrollmentStatus",
    ]
    assert out[8] == (
        f'{path}: row 3: would add "jsilva SM-S928B Android 16.0.0" '
        "(SM-S928B, owner joão.silva@example.com)"
    )


def test_list_shows_a_device_without_an_imei() -> None:
    run("import", str(MDM / "kandji.csv"), "--now", "2026-11-30T12:00:00Z")
    _, out, _ = run("list")
    assert out[1] == (
        "Anna's iPhone       iPhone 16 Pro                    "
        "none (no IMEI column in the export)  anna.schmidt@example.com  2026-11-30"
    )


# ----------------------------------------------------------------- cells


@pytest.mark.parametrize(
    ("cell", "imeis", "notes"),
    [
        ("", (), ()),
        ("353987651590839", ("353987651590839",), ()),
        ("35 398765 159083 9", ("353987651590839",), ()),
        ('="353987651590839"', ("353987651590839",), ()),
        (
            "356543215260182.0",
            ("356543215260182",),
            ('IMEI 356543215260182.0: removed the ".0" a spreadsheet added',),
        ),
        ("352099001762158;350468741122332", ("352099001762158", "350468741122332"), ()),
        ("352099001762158, 350468741122332", ("352099001762158", "350468741122332"), ()),
        ("352099001762158 / 350468741122332", ("352099001762158", "350468741122332"), ()),
        ("352099001762158350468741122332", ("352099001762158", "350468741122332"), ()),
        ("352099001762158;352099001762158", ("352099001762158",), ()),
    ],
)
def test_imei_cells_read(cell: str, imeis: tuple[str, ...], notes: tuple[str, ...]) -> None:
    read = read_imeis(cell)
    assert (read.imeis, read.notes) == (imeis, notes)


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("3.50044E+14", EXCEL_E),
        (
            "3,50044E+14",
            "Excel turned this IMEI into 3,50044E+14 and lost its digits: "
            "export the column as text",
        ),
        (
            "13263001234565",
            "IMEI 13263001234565 has 14 digits: a spreadsheet dropped its leading 0 "
            "(013263001234565 is a valid IMEI); export the column as text",
        ),
        (
            "13263001234565.0",
            "IMEI 13263001234565.0 has 14 digits: a spreadsheet dropped its leading 0 "
            "(013263001234565 is a valid IMEI); export the column as text",
        ),
        ("000000000000000", f"IMEI 000000000000000 {PLACEHOLDER}"),
        ("999999999999999", f"IMEI 999999999999999 {PLACEHOLDER}"),
        (
            "356543215260183.0",
            "IMEI 356543215260183.0: check digit is wrong (expected 2); look for a mistyped digit",
        ),
        (
            "352099001762158;350468741122332;353987651590839",
            "IMEI cell holds 3 numbers; a device has at most two IMEIs",
        ),
        (
            "3520990017621583",
            "IMEI 3520990017621583: 16 digits looks like an IMEISV (IMEI plus software version "
            "number), not an IMEI; the IMEI has 15 digits (dial *#06# to see it)",
        ),
    ],
)
def test_imei_cells_refused_by_name(cell: str, message: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        read_imeis(cell)
    assert str(caught.value) == message


def test_an_imei_and_a_second_one_in_two_columns_plus_a_pair_is_too_many() -> None:
    table = inventory.parse_csv(
        "Model,IMEI,IMEI2\nPixel,352099001762158;350468741122332,353987651590839\n", "x.csv"
    )
    assert table.rows[0].problems == (
        "3 IMEIs between the IMEI and IMEI2 columns; a device has two",
    )


def test_eid_in_scientific_notation_is_named() -> None:
    with pytest.raises(InvalidValue) as caught:
        read_eid("8.9049E+31")
    assert str(caught.value) == (
        "Excel turned this EID into 8.9049E+31 and lost its digits: export the column as text"
    )


@pytest.mark.parametrize(
    ("cell", "owner"),
    [
        ("bob@contoso.com", "bob@contoso.com"),
        ("anna.schmidt@example.com, anna.s@gmail.com", "anna.schmidt@example.com"),
        ("Silva, João", "Silva, João"),
        ("{'email': 'kira@example.com', 'name': 'Kira Novak', 'id': 102}", "kira@example.com"),
        ("{'name': 'Kira Novak', 'id': 102}", "Kira Novak"),
        ("{}", ""),
    ],
)
def test_owner_cells(cell: str, owner: str) -> None:
    assert read_owner(cell) == owner


# ----------------------------------------------------------------- encodings and separators


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        ("Model;Owner\nPixel;Zoë\n".encode(), "UTF-8"),
        (b"\xef\xbb\xbf" + "Model;Owner\nPixel;Zoë\n".encode(), "UTF-8"),
        ("Model;Owner\nPixel;Zoë\n".encode("cp1252"), "Windows-1252"),
        (b"\xff\xfe" + "Model;Owner\nPixel;Zoë\n".encode("utf-16-le"), "UTF-16"),
        (b"\xfe\xff" + "Model;Owner\nPixel;Zoë\n".encode("utf-16-be"), "UTF-16"),
        ("Model;Owner\nPixel;Zoë\n".encode("utf-16-le"), "UTF-16"),
    ],
)
def test_encodings_excel_writes(raw: bytes, encoding: str) -> None:
    text, name = decode(raw, "x.csv")
    assert (text.removeprefix("\ufeff"), name) == ("Model;Owner\nPixel;Zoë\n", encoding)


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("Model,IMEI\nPixel,353987651590839\n", ","),
        ("Model;IMEI\nPixel;353987651590839\n", ";"),
        ("Model\tIMEI\nPixel\t353987651590839\n", "\t"),
        ("sep=;\nModel;IMEI\nPixel;353987651590839\n", ";"),
        ('"sep=,"\nModel,IMEI\nPixel,353987651590839\n', ","),
        ('"Asset, tag";Model;IMEI\n"A, 1";"Pixel 9, 128 GB";353987651590839\n', ";"),
    ],
)
def test_delimiters(text: str, delimiter: str) -> None:
    table = inventory.parse_csv(text, "x.csv")
    assert table.delimiter == delimiter
    assert [(row.row, row.values["imei"]) for row in table.rows] == [(2, "353987651590839")]


def test_a_file_that_is_no_text_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"\xff\xfe\x00\xd8")
    with pytest.raises(InputError) as caught:
        inventory.read_csv(path)
    assert caught.value.lines() == [f"{path}: is not UTF-16 text"]


# ----------------------------------------------------------------- layouts


@pytest.mark.parametrize(
    ("header", "product", "label"),
    [
        (["Device name", "Model", "IMEI", "Primary user UPN"], "Microsoft Intune", "Device name"),
        (["Display Name", "Model", "Model Identifier", "IMEI"], "Jamf Pro", "Display Name"),
        (["Computer Name", "Model", "Operating System Version"], "Jamf Pro", "Computer Name"),
        (["device_name", "model", "blueprint_name"], "Kandji", "device_name"),
        (["name", "email", "model", "imei", "resourceId"], "Google Workspace", None),
        (["Friendly Name", "Model", "Imei", "AssetNumber"], "Workspace ONE", "Friendly Name"),
        (["serialNumber", "deviceModel", "productType", "imei"], "Apple Business Manager", None),
        (["Name", "Model", "IMEI"], "", "Name"),
    ],
)
def test_products_recognised_by_their_headers(
    header: list[str], product: str, label: str | None
) -> None:
    assert recognise(header).product == product
    mapping = map_columns(header)
    found = mapping.roles.get("label")
    assert (header[found[0]] if found else None) == label


# ----------------------------------------------------------------- a device without an IMEI


def test_new_entry_without_imei_needs_a_reason() -> None:
    with pytest.raises(inventory.Refused) as caught:
        inventory.new_entry(label="iPad", model="iPad Air", imei="", now=NOW)
    assert caught.value.reasons == ("no IMEI given; dial *#06# on the device to see it",)
    kept = inventory.new_entry(
        label="iPad", model="iPad Air", imei="", no_imei="Wi-Fi only", now=NOW
    )
    assert (kept.imei, kept.no_imei, kept.imeis()) == ("", "Wi-Fi only", ())


def test_an_imei_given_drops_the_reason() -> None:
    kept = inventory.new_entry(
        label="iPad", model="iPad Air", imei="353987651590839", no_imei="Wi-Fi only", now=NOW
    )
    assert kept.no_imei == ""


def test_devices_without_imei_are_stored_and_read_back(readiness_home: Path) -> None:
    for label in ("iPad", "Mac"):
        inventory.add(
            readiness_home,
            inventory.new_entry(label=label, model=label, imei="", no_imei="Wi-Fi only", now=NOW),
        )
    text = (readiness_home / inventory.INVENTORY_FILE).read_text()
    assert 'imei = ""\nimei2 = ""\neid = ""\nowner = ""\nno_imei = "Wi-Fi only"\n' in text
    assert [(e.label, e.no_imei) for e in inventory.load(readiness_home)] == [
        ("iPad", "Wi-Fi only"),
        ("Mac", "Wi-Fi only"),
    ]
    _, new = inventory.edit(readiness_home, "iPad", {"owner": "ada"}, NOW)
    assert (new.owner, new.no_imei) == ("ada", "Wi-Fi only")
    _, with_imei = inventory.edit(readiness_home, "iPad", {"imei": "353987651590839"}, NOW)
    assert (with_imei.imei, with_imei.no_imei) == ("353987651590839", "")


def test_a_file_entry_with_both_an_imei_and_a_reason_is_refused(readiness_home: Path) -> None:
    path = readiness_home / inventory.INVENTORY_FILE
    readiness_home.mkdir(parents=True, exist_ok=True)
    path.write_text(
        'schema = 1\n[[devices]]\nlabel = "iPad"\nmodel = "iPad"\nimei = "353987651590839"\n'
        'imei2 = ""\neid = ""\nowner = ""\nno_imei = "Wi-Fi only"\n'
        "added = 2026-11-30T12:00:00Z\nchanged = 2026-11-30T12:00:00Z\n"
    )
    with pytest.raises(InputError) as caught:
        inventory.load(readiness_home)
    assert caught.value.lines()[0] == (
        f"{path}: devices[1].no_imei (line 9): is set but the device has an IMEI; remove one"
    )


def test_an_answers_file_still_fails_the_imei_check_for_such_a_device(readiness_home: Path) -> None:
    inventory.add(
        readiness_home,
        inventory.new_entry(label="iPad", model="iPad Air", imei="", no_imei="Wi-Fi only", now=NOW),
    )
    filled = inventory.fill_devices(
        {"devices": [{"inventory": "iPad"}]}, inventory.load(readiness_home), "a.toml"
    )
    assert "imei" not in filled["devices"][0]
