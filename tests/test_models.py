"""Model strings as people, shops, MDM exports and devices write them, and the row each lands in.

The strings and their rows are from issue 14's research (model_strings.md): marketing
names with capacity, colour, connectivity and case size, Apple product types, Samsung
model numbers (with region letters, "/DS", a "SAMSUNG" prefix, Japanese carrier
numbers), Pixel codenames, Apple's Mac naming and shorthand. Apple "A" numbers are
not read (no table of them yet): they are left out rather than asserted wrong.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from readiness import knowledge as knowledge_mod
from readiness.cli import cli
from readiness.knowledge import Knowledge
from readiness.placement import unplaced

IPHONE_15_PRO = "iphone-15-pro-and-newer"
IPHONE_14 = "iphone-14-and-earlier"
GALAXY_S24 = "galaxy-s24-and-newer"
PIXEL_8 = "pixel-8-and-newer"
IPAD_PRO = "ipad-pro-m3-and-newer"
WATCH_S9 = "apple-watch-series-9-and-newer"
GALAXY_WATCH_6 = "galaxy-watch-6-and-newer"
WINDOWS_5G = "windows-laptop-5g"
MACBOOK = "macbook-m3-and-newer"
NOT_IN_MATRIX = "not in matrix"
NO_ESIM = "no eSIM"

MODELS = [
    ("iPhone 15 Pro", IPHONE_15_PRO),  # iPhone16,1
    ("iPhone 15 Pro (256 GB Natural Titanium)", IPHONE_15_PRO),  # iPhone 15 Pro + capacity/colour
    ("iPhone 15 Pro Max", IPHONE_15_PRO),  # iPhone16,2
    ("Apple iPhone 15 Pro Max 512GB Blue Titanium", IPHONE_15_PRO),  # brand prefix + capacity + co
    ("iPhone16,1", IPHONE_15_PRO),  # ProductType → iPhone 15 Pro
    ("iPhone16,2", IPHONE_15_PRO),  # ProductType → iPhone 15 Pro Max
    ("iPhone 16", IPHONE_15_PRO),  # iPhone17,3
    ("iPhone16 Pro", IPHONE_15_PRO),  # spacing variant of iPhone 16 Pro (NOT ProductType iPhone16,
    ("iPhone 16 Plus", IPHONE_15_PRO),  # iPhone17,4
    ("iPhone 16 Pro Max (1TB, Desert Titanium)", IPHONE_15_PRO),  # iPhone17,2
    ("iPhone 16e", IPHONE_15_PRO),  # iPhone17,5
    ("iPhone17,5", IPHONE_15_PRO),  # ProductType → iPhone 16e
    ("iPhone 17", IPHONE_15_PRO),  # iPhone18,3
    ("iPhone 17 Pro", IPHONE_15_PRO),  # iPhone18,1
    ("IPHONE 17 PRO MAX", IPHONE_15_PRO),  # upper-case iPhone 17 Pro Max (iPhone18,2)
    ("iphone17pro", IPHONE_15_PRO),  # no spaces, lower case → iPhone 17 Pro
    ("iPhone Air", IPHONE_15_PRO),  # iPhone18,4
    ("iPhone18,4", IPHONE_15_PRO),  # ProductType → iPhone Air
    ("iPhone 17e", IPHONE_15_PRO),  # iPhone18,5
    ("iPhone18,5", IPHONE_15_PRO),  # ProductType → iPhone 17e
    ("iPhone 18 Pro", IPHONE_15_PRO),  # iPhone19,2
    ("iPhone XS", IPHONE_14),  # iPhone11,2
    ("iPhone Xs Max", IPHONE_14),  # case variant; iPhone11,6 (global)
    ("iPhone XR", IPHONE_14),  # iPhone11,8
    ("iPhone11,8", IPHONE_14),  # ProductType → iPhone XR
    ("iPhone 11", IPHONE_14),  # iPhone12,1
    ("iPhone 11 Pro Max", IPHONE_14),  # iPhone12,5
    ("iPhone SE (2nd generation)", IPHONE_14),  # iPhone12,8
    ("iPhone SE 2020", IPHONE_14),  # colloquial SE 2nd gen
    ("iPhone SE (3rd generation)", IPHONE_14),  # iPhone14,6
    ("iPhone SE 3", IPHONE_14),  # colloquial SE 3rd gen
    ("iPhone 12 mini", IPHONE_14),  # iPhone13,1
    ("iPhone 12 Pro", IPHONE_14),  # iPhone13,3
    ("iPhone 13", IPHONE_14),  # iPhone14,5
    ("iPhone 13 Pro Max 128GB Sierra Blue", IPHONE_14),  # iPhone14,3 + capacity/colour
    ("iPhone 14", IPHONE_14),  # iPhone14,7
    ("iPhone14,7", IPHONE_14),  # ProductType → iPhone 14
    ("iPhone 14 Plus", IPHONE_14),  # iPhone14,8
    ("iPhone 14 Pro", IPHONE_14),  # iPhone15,2
    ("iPhone15,2", IPHONE_14),  # ProductType → iPhone 14 Pro (trap: "15," but a 14)
    ("iPhone15,3", IPHONE_14),  # ProductType → iPhone 14 Pro Max
    ("iPhone 15", NOT_IN_MATRIX),  # iPhone15,4
    ("iPhone 15 Plus", NOT_IN_MATRIX),  # iPhone15,5
    ("iPhone15,4", NOT_IN_MATRIX),  # ProductType → iPhone 15 (not 15 Pro)
    ("iPhone15,5", NOT_IN_MATRIX),  # ProductType → iPhone 15 Plus
    ("iPhone 8", NO_ESIM),  # iPhone10,1/10,4
    ("iPhone 8 Plus", NO_ESIM),  # iPhone10,2/10,5
    ("iPhone X", NO_ESIM),  # iPhone10,3/10,6
    ("iPhone10,3", NO_ESIM),  # ProductType → iPhone X
    ("iPhone SE (1st generation)", NO_ESIM),  # iPhone8,4
    ("iPhone SE", NOT_IN_MATRIX),  # Apple"s name for the 1st-gen SE; ambiguous when written by use
    ("iPhone8,4", NO_ESIM),  # ProductType → iPhone SE (1st gen)
    ("iPhone11,4", NO_ESIM),  # ProductType → iPhone XS Max (China mainland/HK/Macao)
    ("iPhone 7", NO_ESIM),  # iPhone9,x
    ("iPhone", NOT_IN_MATRIX),  # generic device name reported to apps on iOS 16+
    ("Anna's iPhone", NOT_IN_MATRIX),  # user-assigned device name
    ("iPad Pro 13-inch (M4) Wi-Fi + Cellular", IPAD_PRO),  # iPad16,6
    ("iPad Pro 11-inch (M4) Wi-Fi", NO_ESIM),  # iPad16,3
    ("iPad16,4", IPAD_PRO),  # ProductType → iPad Pro 11-inch (M4) Wi-Fi + Cellular
    ("iPad16,6", IPAD_PRO),  # ProductType → iPad Pro 13-inch (M4) Wi-Fi + Cellular
    ("iPad16,3", NO_ESIM),  # ProductType → iPad Pro 11-inch (M4) Wi-Fi
    ("iPad Pro 11-inch (M5) Wi-Fi + Cellular", IPAD_PRO),  # iPad17,2
    ("iPad17,2", IPAD_PRO),  # ProductType → iPad Pro 11-inch (M5) Wi-Fi + Cellular
    ("iPad17,4", IPAD_PRO),  # ProductType → iPad Pro 13-inch (M5) Wi-Fi + Cellular
    ("iPad Pro 13-inch (M5) Wi-Fi", NO_ESIM),  # iPad17,3
    ("iPad Pro (M3)", NOT_IN_MATRIX),  # no such product exists
    ("iPad Pro 12.9-inch (6th generation)", NOT_IN_MATRIX),  # iPad14,5/14,6, chip M2
    ("iPad14,6", NOT_IN_MATRIX),  # ProductType → iPad Pro 12.9-inch (6th gen) Wi-Fi + Cellular
    ("iPad Pro 11-inch (4th generation) Wi-Fi + Cellular", NOT_IN_MATRIX),  # iPad14,4, M2
    ("iPad Pro (12.9-inch) (5th generation)", NOT_IN_MATRIX),  # iPad13,8-13,11, M1
    ("iPad Air 13-inch (M2) Wi-Fi + Cellular", NOT_IN_MATRIX),  # iPad14,11
    ("iPad Air 11-inch (M3)", NOT_IN_MATRIX),  # iPad15,3/15,4
    ("iPad mini (A17 Pro) Wi-Fi + Cellular", NOT_IN_MATRIX),  # iPad16,2
    ("iPad (10th generation)", NOT_IN_MATRIX),  # iPad13,18/13,19
    ('iPad Pro 13" M4 5G', IPAD_PRO),  # user shorthand: 5G = cellular model
    ("iPad Pro 11 M4 Cellular 256GB Space Black", IPAD_PRO),  # iPad16,4 + capacity/colour
    ("Apple Watch Series 10 (GPS + Cellular) 46mm", WATCH_S9),  # Watch7,11
    ("Apple Watch Series 10 (GPS) 42mm", NO_ESIM),  # Watch7,8
    ("Watch7,11", WATCH_S9),  # ProductType → Series 10 (GPS + Cellular) 46mm
    ("Watch7,9", NO_ESIM),  # ProductType → Series 10 (GPS) 46mm
    ("Apple Watch Series 9 GPS + Cellular 41mm Aluminium", WATCH_S9),  # Watch7,3
    ("Watch7,3", WATCH_S9),  # ProductType → Series 9 41mm Cellular
    ("Apple Watch Series 9 45mm (GPS)", NO_ESIM),  # Watch7,2
    ("Apple Watch Ultra 2", WATCH_S9),  # Watch7,5
    ("Watch7,5", WATCH_S9),  # ProductType → Apple Watch Ultra 2
    ("Apple Watch Ultra 3", WATCH_S9),  # Watch7,12
    ("Watch7,12", WATCH_S9),  # ProductType → Apple Watch Ultra 3
    ("Apple Watch Ultra", NOT_IN_MATRIX),  # Watch6,18 (2022)
    ("Watch6,18", NOT_IN_MATRIX),  # ProductType → Apple Watch Ultra (1st gen)
    ("Apple Watch Series 8 GPS + Cellular 45mm", NOT_IN_MATRIX),  # Watch6,17
    ("Apple Watch SE (2nd generation) GPS + Cellular", NOT_IN_MATRIX),  # Watch6,12/6,13
    ("Apple Watch SE 3 GPS + Cellular 44mm", WATCH_S9),  # Watch7,16
    ("Watch7,16", WATCH_S9),  # ProductType → SE 3 (GPS + Cellular) 44mm (appledb; DeviceKit differ
    ("Apple Watch Series 11 (GPS + Cellular) 42mm", WATCH_S9),  # Watch7,19
    ("Watch7,19", WATCH_S9),  # ProductType → Series 11 (GPS + Cellular) 42mm
    ("Apple Watch Series 11 GPS 46mm", NO_ESIM),  # Watch7,18
    ("Apple Watch Series 4", NOT_IN_MATRIX),  # Watch4,x
    ("Apple Watch Series 12 (GPS + Cellular) 46mm", WATCH_S9),  # Watch8,5 (appledb only)
    ("Galaxy S24", GALAXY_S24),  # SM-S921
    ("SM-S921B", GALAXY_S24),  # S24 global
    ("SM-S921B/DS", GALAXY_S24),  # S24 global, dual-SIM retail suffix
    ("SAMSUNG SM-S928U", GALAXY_S24),  # brand prefix + S24 Ultra US carrier
    ("samsung SM-S928U1", GALAXY_S24),  # Build.MANUFACTURER + S24 Ultra US unlocked
    ("Samsung Galaxy S24 Ultra 512GB Titanium Gray", GALAXY_S24),  # S24 Ultra + capacity/colour
    ("SC-52E", GALAXY_S24),  # S24 Ultra, NTT docomo (Japan)
    ("SCG25", GALAXY_S24),  # S24, au (Japan)
    ("Galaxy S24+", GALAXY_S24),  # SM-S926
    ("Galaxy S25 Ultra", GALAXY_S24),  # SM-S938
    ("SM-S938U1", GALAXY_S24),  # S25 Ultra US unlocked
    ("Galaxy S25 Edge", GALAXY_S24),  # SM-S937
    ("SM-S937B", GALAXY_S24),  # S25 Edge global
    ("Galaxy S25 FE", GALAXY_S24),  # SM-S731
    ("SM-S731B", GALAXY_S24),  # S25 FE global
    ("Galaxy S26 Ultra", GALAXY_S24),  # SM-S948
    ("SM-S948B", GALAXY_S24),  # S26 Ultra global
    ("Galaxy S24 FE", GALAXY_S24),  # SM-S721
    ("SM-S721B", GALAXY_S24),  # S24 FE global
    ("SM-S9280", GALAXY_S24),  # S24 Ultra China
    ("Galaxy S23", NOT_IN_MATRIX),  # SM-S911
    ("SM-S911B", NOT_IN_MATRIX),  # S23 global
    ("SM-S918U", NOT_IN_MATRIX),  # S23 Ultra US
    ("Galaxy S23 FE", NOT_IN_MATRIX),  # SM-S711
    ("SM-S711B", NOT_IN_MATRIX),  # S23 FE global
    ("Galaxy Z Fold6", NOT_IN_MATRIX),  # SM-F956
    ("SM-F956B", NOT_IN_MATRIX),  # Fold6 global
    ("Galaxy Z Flip7", NOT_IN_MATRIX),  # SM-F766
    ("SM-F766B", NOT_IN_MATRIX),  # Flip7 global
    ("Galaxy Z Flip7 FE", NOT_IN_MATRIX),  # SM-F761
    ("SM-F966U", NOT_IN_MATRIX),  # Fold7 US
    ("SM-F958N", NOT_IN_MATRIX),  # Z Fold Special Edition (Korea)
    ("Galaxy A55 5G", NOT_IN_MATRIX),  # SM-A556B/E
    ("SM-X926B", NOT_IN_MATRIX),  # Galaxy Tab S10 Ultra 5G
    ("Galaxy Watch7 LTE", GALAXY_WATCH_6),  # SM-L305/L315
    ("SM-L315F", GALAXY_WATCH_6),  # Watch7 44mm LTE
    ("SM-L310", NO_ESIM),  # Watch7 44mm Bluetooth
    ("Galaxy Watch6 Classic 47mm LTE", GALAXY_WATCH_6),  # SM-R965
    ("SM-R965F", GALAXY_WATCH_6),  # Watch6 Classic 47mm LTE
    ("Galaxy Watch6 Classic", GALAXY_WATCH_6),  # connectivity not stated
    ("SM-R930", NO_ESIM),  # Watch6 40mm Bluetooth
    ("SM-R945U", GALAXY_WATCH_6),  # Watch6 44mm LTE (US)
    ("Galaxy Watch Ultra", GALAXY_WATCH_6),  # SM-L705 (LTE)
    ("SM-L705F", GALAXY_WATCH_6),  # Watch Ultra LTE
    ("Galaxy Watch8 Classic LTE", GALAXY_WATCH_6),  # SM-L505
    ("SM-L505U", GALAXY_WATCH_6),  # Watch8 Classic 46mm LTE (US)
    ("SM-L500", NO_ESIM),  # Watch8 Classic Bluetooth
    ("SM-L325F", GALAXY_WATCH_6),  # Watch8 40mm LTE
    ("SM-R925F", NOT_IN_MATRIX),  # Watch5 Pro LTE
    ("SM-R895F", NOT_IN_MATRIX),  # Watch4 Classic 46mm LTE
    ("SM-R866U", NOT_IN_MATRIX),  # Watch FE LTE (US)
    ("Google Pixel 8", PIXEL_8),  # Pixel 8
    ("Pixel 8", PIXEL_8),  # Build.MODEL as Intune "Model" shows it
    ("shiba", PIXEL_8),  # codename → Pixel 8
    ("Pixel 8 Pro", PIXEL_8),  # husky
    ("husky", PIXEL_8),  # codename → Pixel 8 Pro
    ("Pixel 8a", PIXEL_8),  # akita
    ("akita", PIXEL_8),  # codename → Pixel 8a
    ("Google Pixel 9 Pro XL", PIXEL_8),  # komodo
    ("komodo", PIXEL_8),  # codename → Pixel 9 Pro XL
    ("Pixel 9", PIXEL_8),  # tokay
    ("tokay", PIXEL_8),  # codename → Pixel 9 (build fingerprint google/tokay/tokay:14/...)
    ("Pixel 9a", PIXEL_8),  # tegu
    ("Pixel 9 Pro Fold", PIXEL_8),  # comet
    ("Pixel 10 Pro", PIXEL_8),  # 2025 Pixel
    ("Pixel 7", NOT_IN_MATRIX),  # panther
    ("Pixel 7a", NOT_IN_MATRIX),  # lynx
    ("Pixel Fold", NOT_IN_MATRIX),  # felix (2023)
    ("GP4BC", NOT_IN_MATRIX),  # model number of Pixel 7 Pro (rest of world)
    ("Surface Pro (11th Edition) with 5G", WINDOWS_5G),  # Surface Pro 11 Snapdragon, cellular SKU
    ("Surface Pro 11 5G", WINDOWS_5G),  # user shorthand of the same
    ("Surface Pro, 11th Edition", NOT_IN_MATRIX),  # no connectivity stated
    ("Lenovo ThinkPad X1 Carbon Gen 12 5G", WINDOWS_5G),  # X1 Carbon Gen 12 with WWAN
    ("ThinkPad X1 Carbon Gen 12", NOT_IN_MATRIX),  # no connectivity stated
    ("21KC0005US", NOT_IN_MATRIX),  # Lenovo machine-type model of an X1 Carbon Gen 12 (PCMag revie
    ("Dell Latitude 9450 2-in-1", NOT_IN_MATRIX),  # Dell 2024 business 2-in-1
    ("HP EliteBook 1040 G11 5G", WINDOWS_5G),  # HP 2024 business laptop
    ("Dell Latitude 7450", NOT_IN_MATRIX),  # 2024 business laptop; Dell spec lists a SAR sensor "f
    ("System Model: Latitude 5430", NOT_IN_MATRIX),  # systeminfo line
    ("HP OMEN Laptop 16-wd0xxx", NOT_IN_MATRIX),  # consumer gaming laptop
    ("Alienware m15 R4", NOT_IN_MATRIX),  # gaming laptop
    ("Surface Laptop Studio", NOT_IN_MATRIX),  # Microsoft laptop
    ("MacBook Air (13-inch, M4, 2025)", MACBOOK),  # Mac16,12
    ("Mac16,12", MACBOOK),  # model identifier → MacBook Air 13 M4
    ("MacBook Pro (14-inch, M3, Nov 2023)", MACBOOK),  # Mac15,3
    ("Mac15,3", MACBOOK),  # model identifier → MacBook Pro 14 M3
    ("MacBook Air (15-inch, M3, 2024)", MACBOOK),  # Mac15,13
    ("MacBook Pro (16-inch, M4 Max, Nov 2024)", MACBOOK),  # Mac16,5
    ("MacBook Pro (14-inch, M5)", MACBOOK),  # Mac17,2
    ("Mac17,2", MACBOOK),  # model identifier → MacBook Pro 14 M5
    ("MacBook Air M3", MACBOOK),  # shorthand
    ("MBP 14 M4 Pro", MACBOOK),  # shorthand for Mac16,8
    ("MacBook Air (M2, 2022)", NOT_IN_MATRIX),  # Mac14,2
    ("MacBook Pro (13-inch, M2, 2022)", NOT_IN_MATRIX),  # Mac14,7
    ("MacBookPro18,3", NOT_IN_MATRIX),  # MacBook Pro 14 M1 Pro
    ("MacBookAir10,1", NOT_IN_MATRIX),  # MacBook Air M1
    ("Mac14,2", NOT_IN_MATRIX),  # MacBook Air M2 (seen with macOS 26.4 in a system_profiler captur
    ("iMac (24-inch, M4, 2024)", NOT_IN_MATRIX),  # Mac16,2/16,3
    ("Mac16,10", NOT_IN_MATRIX),  # Mac mini (M4, 2024)
    # The issue's own strings.
    ("SM-S931B", GALAXY_S24),  # Galaxy S25, global
    ("SM-S938B", GALAXY_S24),  # Galaxy S25 Ultra, global
    ("iPhone17,1", IPHONE_15_PRO),  # iPhone 16 Pro
    ("Lenovo ThinkPad X1 Carbon 5G", WINDOWS_5G),
    ("Dell Latitude 9450 2-in-1 5G", WINDOWS_5G),
    ("21KCCTO1WW", NOT_IN_MATRIX),  # Lenovo machine type as an MDM exports it
]


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return knowledge_mod.load()


def landed(knowledge: Knowledge, model: str) -> str:
    placement = knowledge.place(model)
    if placement.no_esim:
        assert placement.row is None
        return NO_ESIM
    return placement.row.id if placement.row else NOT_IN_MATRIX


def test_the_table_is_big_enough_and_has_no_repeats() -> None:
    names = [model for model, _ in MODELS]
    assert len(names) >= 120
    assert len(names) == len(set(names))


@pytest.mark.parametrize(("model", "row"), MODELS)
def test_real_model_string_lands_in_its_row(knowledge: Knowledge, model: str, row: str) -> None:
    assert landed(knowledge, model) == row


@pytest.mark.parametrize(
    ("model", "read_as"),
    [
        ("SM-S921B", "Samsung Galaxy S24"),
        ("SM-S921B/DS", "Samsung Galaxy S24"),
        ("SAMSUNG SM-S928U", "Samsung Galaxy S24 Ultra"),
        ("SM-S9280", "Samsung Galaxy S24 Ultra"),
        ("SC-52E", "Samsung Galaxy S24 Ultra"),
        ("iPhone17,1", "iPhone 16 Pro"),
        ("iPad16,3", "iPad Pro 11-inch (M4) Wi-Fi"),
        ("Watch7,11", "Apple Watch Series 10 (GPS + Cellular) 46mm"),
        ("Mac16,12", "MacBook Air (13-inch, M4, 2025)"),
        ("komodo", "Google Pixel 9 Pro XL"),
        ("iPhone 15 Pro", ""),
    ],
)
def test_identifiers_say_what_they_were_read_as(
    knowledge: Knowledge, model: str, read_as: str
) -> None:
    assert knowledge.place(model).read_as == read_as


def test_an_identifier_the_table_does_not_list_keeps_its_os_but_no_row(
    knowledge: Knowledge,
) -> None:
    placement = knowledge.place("iPhone99,1")
    assert (placement.row, placement.os, placement.kind) == (None, "ios", "phone")
    unknown_number = knowledge.place("SM-S999B")
    assert (unknown_number.row, unknown_number.read_as) == (None, "")


@pytest.mark.parametrize(
    ("model", "reason"),
    [
        ("iPhone 8", "Apple's first iPhones with an eSIM were the XS, XS Max and XR"),
        (
            "iPhone SE (1st generation)",
            "Apple's first iPhones with an eSIM were the XS, XS Max and XR",
        ),
        ("iPad Pro 11-inch (M4) Wi-Fi", "the Wi-Fi-only model has no cellular radio"),
        ("Apple Watch Series 10 (GPS) 42mm", "the GPS-only model has no cellular radio"),
        ("SM-L310", "the Bluetooth-only model has no cellular radio"),
    ],
)
def test_a_model_with_no_esim_says_why(knowledge: Knowledge, model: str, reason: str) -> None:
    assert knowledge.place(model).no_esim == reason


def test_a_name_that_states_cellular_is_not_wifi_only(knowledge: Knowledge) -> None:
    assert landed(knowledge, "iPad Pro 13-inch (M4) Wi-Fi + Cellular") == IPAD_PRO
    assert landed(knowledge, "iPad Pro 13-inch (M4)") == IPAD_PRO


def test_a_laptop_is_in_the_5g_row_only_when_its_name_says_5g(knowledge: Knowledge) -> None:
    assert landed(knowledge, "Microsoft Surface Pro 11th Edition 5G") == WINDOWS_5G
    assert landed(knowledge, "Microsoft Surface Pro 11th Edition") == NOT_IN_MATRIX
    assert knowledge.place("Microsoft Surface Pro 11th Edition").os == "windows"


@pytest.mark.parametrize(
    ("model", "line"),
    [
        ("Galaxy Z Fold 9", "Galaxy Z Fold"),
        ("Galaxy S25 Ultraa", "Galaxy S"),
        ("iPhone 15 Pr", "iPhone"),
        ("Apple Watch Seris 10", "Apple Watch"),
    ],
)
def test_suggestions_come_from_the_same_line(knowledge: Knowledge, model: str, line: str) -> None:
    close = knowledge.closest_models(model)
    assert close
    assert all(line in name for name in close), close


def test_no_suggestions_from_another_line(knowledge: Knowledge) -> None:
    assert not any("S24 FE" in name for name in knowledge.closest_models("Galaxy Z Fold 8 FE"))
    assert knowledge.closest_models("Nokia 3310") == []


S26 = ["Samsung Galaxy S26", "Samsung Galaxy S26+", "Samsung Galaxy S26 Ultra"]
FOLDS = ["Samsung Galaxy Z Fold7", "Samsung Galaxy Z Fold6"]
FLIPS = ["Samsung Galaxy Z Flip7", "Samsung Galaxy Z Flip6"]
GALAXY_WATCHES = ["Samsung Galaxy Watch8", "Samsung Galaxy Watch7", "Samsung Galaxy Watch6"]
ULTRAS = ["Samsung Galaxy S25 Ultra", "Samsung Galaxy S26 Ultra", "Samsung Galaxy S24 Ultra"]
SERIES = ["Apple Watch Series 10", "Apple Watch Series 11", "Apple Watch Series 9"]
MACBOOK_PROS = [
    "MacBook Pro 16-inch (M4 Pro)",
    "MacBook Pro 14-inch (M5)",
    "MacBook Pro 14-inch (M4)",
]

# Unknown names across brands and kinds, the line each is read in, and exactly what
# is suggested: names of that line only, or nothing when the line has none close.
UNKNOWN = [
    ("Galaxy Tab S9 5G", "Galaxy Tab", []),  # a tablet is never offered Galaxy S phones
    ("SM-X716B", "Galaxy Tab", []),  # Galaxy Tab S9 5G by its model number
    ("SM-X720B", "Galaxy Tab", []),  # an unlisted number read by its listed neighbours
    ("Pixel Tablet", "Pixel Tablet", []),  # not Pixel phones
    ("Google Pixel Watch 3", "Pixel Watch", []),  # not Pixel phones
    ("Galaxy A55", "Galaxy A", []),  # not a Galaxy Watch5, not an S phone
    ("Samsung Galaxy A35 5G", "Galaxy A", []),
    ("Galaxy Z Fold 8 FE", "Galaxy Z Fold", FOLDS),  # no S24 FE for a Fold
    ("Galaxy Z Fold 9", "Galaxy Z Fold", FOLDS),
    ("Galaxy Z Flip 8", "Galaxy Z Flip", FLIPS),
    ("SM-S949B", "Galaxy S", S26),  # an unlisted S26 variant: the S26s listed beside it
    ("SAMSUNG SM-S949U", "Galaxy S", S26),
    ("Galaxy S25 Ultraa", "Galaxy S", ULTRAS),
    ("Galaxy Watch FE", "Galaxy Watch", GALAXY_WATCHES),
    ("Apple Watch Seris 10", "Apple Watch", SERIES),
    ("iPhone 15 Pr", "iPhone", ["iPhone 15 Pro", "iPhone 17 Pro", "iPhone 16 Pro"]),
    ("iPad Air 11-inch (M2)", "iPad Air", ["iPad Air 13-inch (M3)"]),  # not an iPad Pro
    ("iPad (10th generation)", "iPad", []),  # no plain iPad in the catalogue
    ("MacBook Pro 16-inch (M1 Max)", "MacBook", MACBOOK_PROS),
    ("Dell XPS 13 9340", "XPS", []),  # not the Latitudes
    ("Microsoft Surface Laptop 7", "Surface Laptop", []),  # not the Surface Pro
    ("Galaxy Book4 Pro", "Galaxy Book", []),  # a laptop: no Galaxy phone
    ("Nokia 3310", None, []),  # no line: nothing rather than a guess
    ("iPad16,99", None, []),  # its listed neighbours are two lines (mini, Pro): nothing
]


@pytest.mark.parametrize(("model", "line", "expected"), UNKNOWN)
def test_unknown_models_get_suggestions_from_their_own_line_or_none(
    knowledge: Knowledge, model: str, line: str | None, expected: list[str]
) -> None:
    found = knowledge.models.line(model)
    assert (found.name if found else None) == line
    close = knowledge.closest_models(model)
    assert close == expected
    if found is not None:
        for name in close:
            assert knowledge.models.line(name) == found
            assert knowledge.place(name).kind == found.kind


def test_every_catalogue_name_is_in_a_line_of_its_own_kind(knowledge: Knowledge) -> None:
    for entry in knowledge.models.entries:
        line = knowledge.models.line(entry.name)
        assert line is not None, entry.name
        assert line.kind == entry.kind, entry.name


def test_check_says_a_tablet_is_not_in_matrix_without_offering_phones(
    knowledge: Knowledge,
) -> None:
    for model in ("Galaxy Tab S9 5G", "SM-X716B"):
        said = unplaced(knowledge, knowledge.place(model))
        shown = "SM-X716B: Samsung Galaxy Tab S9 5G" if model == "SM-X716B" else model
        assert said == f"{shown} is not in matrix; its eSIM support is unknown."


def invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_matrix_shows_how_a_model_number_was_read() -> None:
    lines = invoke("matrix", "SM-S921B").splitlines()
    assert lines[0] == "SM-S921B: Samsung Galaxy S24: Samsung Galaxy S24 and newer (phone)"


def test_matrix_shows_a_model_with_no_esim() -> None:
    assert invoke("matrix", "iPhone10,3").splitlines() == [
        "iPhone10,3: iPhone X: no eSIM (Apple's first iPhones with an eSIM were the XS, "
        "XS Max and XR).",
        "  OS minimum: iOS 19.4",
    ]


def test_matrix_json_says_how_the_model_was_read() -> None:
    data = json.loads(invoke("matrix", "iPad16,3", "--format", "json"))
    assert data["read_as"] == "iPad Pro 11-inch (M4) Wi-Fi"
    assert data["no_esim"] == "the Wi-Fi-only model has no cellular radio"
    assert data["row"] is None
    assert data["closest"] == []


def test_the_checks_fail_a_device_with_no_esim_and_warn_an_unplaced_one(
    knowledge: Knowledge,
) -> None:
    import datetime as dt
    from dataclasses import replace
    from pathlib import Path

    from readiness import answers, checks
    from readiness.results import Status

    solo = answers.load(Path(__file__).parent / "fixtures" / "solo.toml")
    devices = (
        answers.Device(label="Old", model="iPhone 8", primary=True),
        answers.Device(label="Fold", model="SM-F956B"),
    )
    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    old, fold = checks.device_compatibility(replace(solo, devices=devices), knowledge, now)
    assert (old.status, old.message) == (
        Status.FAIL,
        "iPhone 8 has no eSIM: Apple's first iPhones with an eSIM were the XS, XS Max and XR.",
    )
    assert old.fix == knowledge.fix("device-compatibility.no-esim")
    assert fold.status == Status.WARN
    assert fold.message.startswith("SM-F956B: Samsung Galaxy Z Fold6 is not in matrix")
    [primary] = checks.primary_device(replace(solo, devices=devices), knowledge, now)
    assert primary.status == Status.FAIL
