"""The shipped data file and model placement."""

from __future__ import annotations

import re

import pytest

from readiness import checks
from readiness import knowledge as knowledge_mod
from readiness.knowledge import Knowledge

SHIPPED = knowledge_mod.default_data_path()

MATRIX = [
    ("iPhone 15 Pro and newer", "Full", "Yes", "Yes", "Yes"),
    ("iPhone 14 and earlier", "Partial", "Limited", "Yes", "No"),
    ("Samsung Galaxy S24 and newer", "Full", "Yes", "Yes", "Yes"),
    ("Google Pixel 8 and newer", "Full", "Yes", "Yes", "Yes"),
    ("iPad Pro (M3 and newer)", "Full", "Yes", "Yes", "Yes"),
    ("Apple Watch Series 9 and newer", "Full", "Yes", "Yes", "Partial"),
    ("Samsung Galaxy Watch 6 and newer", "Full", "Yes", "Yes", "Partial"),
    ("Windows laptops with 5G", "Varies", "Carrier-dependent", "Usually", "Rarely"),
    ("MacBook Air/Pro (M3 and newer)", "Full", "Yes", "Yes", "Yes"),
]


# --- the shipped file ------------------------------------------------------------------


def test_shipped_file_loads(knowledge: Knowledge) -> None:
    assert knowledge.source == str(SHIPPED)
    assert re.fullmatch(r"[0-9a-f]{64}", knowledge.sha256)
    assert knowledge.version
    assert knowledge.as_of.year >= 2026


def test_matrix_rows_and_capabilities_are_the_guides(knowledge: Knowledge) -> None:
    found = [(r.name, r.esim, r.multi_device, r.shared_pool, r.routing) for r in knowledge.matrix]
    assert found == MATRIX


def test_capability_names(knowledge: Knowledge) -> None:
    assert [(c.key, c.name) for c in knowledge.capabilities] == [
        ("esim", "eSIM support level"),
        ("multi_device", "Multi-device profile"),
        ("shared_pool", "Shared data pool"),
        ("routing", "Intelligent routing"),
    ]


def test_only_full_and_yes_count_as_full_support(knowledge: Knowledge) -> None:
    full = [r.name for r in knowledge.matrix if knowledge.is_full(r, "esim")]
    assert "iPhone 14 and earlier" not in full
    assert "Windows laptops with 5G" not in full
    assert len(full) == 7
    managing = [r.name for r in knowledge.matrix if knowledge.is_full(r, "multi_device")]
    assert len(managing) == 7


def test_os_minimums(knowledge: Knowledge) -> None:
    assert dict(knowledge.os_minimums) == {
        "ios": "19.4",
        "android": "16",
        "windows": "Windows 11 24H2",
        "macos": "16.2",
    }
    assert str(knowledge.os_minimum("windows")) == "10.0.26100"
    assert str(knowledge.os_minimum("ios")) == "19.4"


@pytest.mark.parametrize("family", ["ipados", "watchos", "wearos", None, "symbian"])
def test_no_os_minimum_is_invented(knowledge: Knowledge, family: str | None) -> None:
    assert knowledge.os_minimum(family) is None


def test_limits(knowledge: Knowledge) -> None:
    limits = knowledge.limits
    assert (
        limits.max_devices,
        limits.restricted_destination_max_devices,
        limits.min_battery_percent,
        limits.predeparture_hours,
        limits.registration_wait_seconds,
    ) == (8, 3, 20, 48, 60)


def test_checklists(knowledge: Knowledge) -> None:
    assert len(knowledge.setup) == 7
    assert len(knowledge.predeparture) == 6
    for item in (*knowledge.setup, *knowledge.predeparture):
        assert item.check in checks.CHECK_IDS, item
        assert item.text


def test_activities(knowledge: Knowledge) -> None:
    rows = {a.id: a for a in knowledge.activities}
    assert list(rows) == [
        "email",
        "browsing",
        "video_call",
        "streaming",
        "navigation",
        "software_updates",
    ]
    assert {a.priority for a in knowledge.activities} == {"primary", "standard", "background"}
    assert (rows["streaming"].per, rows["streaming"].low_mb, rows["streaming"].high_mb) == (
        "hour",
        3000,
        7000,
    )
    assert (rows["software_updates"].low_mb, rows["software_updates"].high_mb) == (None, None)


def test_troubleshooting_procedures(knowledge: Knowledge) -> None:
    assert len(knowledge.troubleshooting) == 6
    border = knowledge.troubleshooting["border-registration"]
    assert any("60 seconds" in step for step in border.steps)
    assert all(p.steps for p in knowledge.troubleshooting.values())


@pytest.mark.parametrize("check_id", checks.CHECK_IDS)
def test_a_fix_for_every_check(knowledge: Knowledge, check_id: str) -> None:
    fix = knowledge.fix(check_id)
    assert fix
    assert "{" not in fix, "placeholders are filled in from [limits]"


def test_fix_placeholders_are_filled_from_limits(knowledge: Knowledge) -> None:
    assert "20 %" in knowledge.fix("battery")
    assert "48 hours" in knowledge.fix("departure-window")
    assert "8" in knowledge.fix("device-count")


def test_every_catalogue_name_places_as_declared(knowledge: Knowledge) -> None:
    for entry in knowledge.catalogue:
        placement = knowledge.place(entry.name)
        assert placement.catalogue_name == entry.name
        assert (placement.row.id if placement.row else "") == entry.row, entry
        assert placement.os == entry.os


def test_model_names_offer_the_catalogue(knowledge: Knowledge) -> None:
    names = knowledge.model_names()
    assert "iPhone 15 Pro" in names
    assert "Google Pixel 9" in names
    assert len(names) == len(set(names))


# --- placement ----------------------------------------------------------------------------

PLACEMENTS = [
    # iPhone Pro from 15 on, including later ones nobody listed yet.
    ("iPhone 15 Pro", "iphone-15-pro-and-newer"),
    ("iPhone 15 Pro Max", "iphone-15-pro-and-newer"),
    ("iPhone 16 Pro", "iphone-15-pro-and-newer"),
    ("iphone 16 pro", "iphone-15-pro-and-newer"),
    ("iPhone 17 Pro Max", "iphone-15-pro-and-newer"),
    ("iPhone 18 Pro", "iphone-15-pro-and-newer"),
    ("Apple iPhone 19 Pro Max", "iphone-15-pro-and-newer"),
    # iPhone 14 and earlier.
    ("iPhone 14", "iphone-14-and-earlier"),
    ("iPhone 14 Plus", "iphone-14-and-earlier"),
    ("iPhone 14 Pro Max", "iphone-14-and-earlier"),
    ("iPhone 13 mini", "iphone-14-and-earlier"),
    ("iPhone 12", "iphone-14-and-earlier"),
    ("iPhone XR", "iphone-14-and-earlier"),
    ("iPhone XS Max", "iphone-14-and-earlier"),
    ("iPhone SE 3rd generation", "iphone-14-and-earlier"),
    # Apple's "15 Pro and later": every iPhone after the 15 Pro.
    ("iPhone 16", "iphone-15-pro-and-newer"),
    ("iPhone 16e", "iphone-15-pro-and-newer"),
    ("iPhone 17", "iphone-15-pro-and-newer"),
    ("iPhone 18", "iphone-15-pro-and-newer"),
    ("iPhone Air", "iphone-15-pro-and-newer"),
    # Between the rows: not in matrix.
    ("iPhone 15", None),
    ("iPhone 15 Plus", None),
    # Galaxy S from 24 on.
    ("Samsung Galaxy S24", "galaxy-s24-and-newer"),
    ("Samsung Galaxy S24+", "galaxy-s24-and-newer"),
    ("Galaxy S24 Ultra", "galaxy-s24-and-newer"),
    ("Samsung Galaxy S24 FE", "galaxy-s24-and-newer"),
    ("Samsung Galaxy S25 Edge", "galaxy-s24-and-newer"),
    ("Galaxy S26", "galaxy-s24-and-newer"),
    ("Samsung Galaxy S26 Ultra", "galaxy-s24-and-newer"),
    ("Samsung Galaxy S23", None),
    ("Samsung Galaxy S23 Ultra", None),
    ("Galaxy S22", None),
    # Pixel from 8 on.
    ("Google Pixel 8", "pixel-8-and-newer"),
    ("Pixel 8a", "pixel-8-and-newer"),
    ("Google Pixel 9 Pro XL", "pixel-8-and-newer"),
    ("Pixel 10 Pro Fold", "pixel-8-and-newer"),
    ("Pixel 11", "pixel-8-and-newer"),
    ("Pixel 7", None),
    ("Pixel 7 Pro", None),
    # iPad Pro M3 on.
    ("iPad Pro 11-inch (M4)", "ipad-pro-m3-and-newer"),
    ("iPad Pro 13-inch (M5)", "ipad-pro-m3-and-newer"),
    ("iPad Pro M3", None),  # no iPad Pro had an M3
    ("iPad Pro (M6)", "ipad-pro-m3-and-newer"),
    ("iPad Pro 12.9-inch (M2)", None),
    ("iPad Air 13-inch (M3)", None),
    ("iPad mini (A17 Pro)", None),
    ("iPad Pro", None),
    # Apple Watch Series 9 on.
    ("Apple Watch Series 9", "apple-watch-series-9-and-newer"),
    ("Apple Watch Series 10", "apple-watch-series-9-and-newer"),
    ("Apple Watch Series 12", "apple-watch-series-9-and-newer"),
    ("Apple Watch Series 8", None),
    ("Apple Watch Ultra 2", "apple-watch-series-9-and-newer"),
    ("Apple Watch Ultra", None),
    ("Apple Watch SE 2nd generation", None),
    # Galaxy Watch 6 on.
    ("Samsung Galaxy Watch6", "galaxy-watch-6-and-newer"),
    ("Galaxy Watch 6", "galaxy-watch-6-and-newer"),
    ("Samsung Galaxy Watch6 Classic", "galaxy-watch-6-and-newer"),
    ("Galaxy Watch 9 Classic", "galaxy-watch-6-and-newer"),
    ("Samsung Galaxy Watch5", None),
    ("Samsung Galaxy Watch Ultra", "galaxy-watch-6-and-newer"),
    ("Samsung Galaxy Watch FE", None),
    # MacBook M3 on.
    ("MacBook Air 13-inch (M3)", "macbook-m3-and-newer"),
    ("MacBook Pro 16-inch (M4 Pro)", "macbook-m3-and-newer"),
    ("MacBook Pro 14-inch (M5)", "macbook-m3-and-newer"),
    ("MacBook Air M6", "macbook-m3-and-newer"),
    ("MacBook Air 13-inch (M2)", None),
    ("MacBook Air 13-inch (M1)", None),
    # Windows laptops with 5G.
    ("Windows laptop with 5G", "windows-laptop-5g"),
    ("windows notebook 5G", "windows-laptop-5g"),
    ("Lenovo ThinkPad X13s 5G", "windows-laptop-5g"),
    ("Dell Latitude 7450 5G", "windows-laptop-5g"),
    # Never guessed.
    ("Nokia 3310", None),
    ("OnePlus 12", None),
    ("Galaxy Tab S9", None),
    ("iPhone", None),
    ("iPhone 15 Pro Maxx", None),
    ("", None),
]


@pytest.mark.parametrize(("model", "row_id"), PLACEMENTS)
def test_placement(knowledge: Knowledge, model: str, row_id: str | None) -> None:
    row = knowledge.place(model).row
    assert (row.id if row else None) == row_id


@pytest.mark.parametrize(
    ("model", "family", "kind"),
    [
        ("iPhone 15", "ios", "phone"),
        ("iPhone 18", "ios", "phone"),
        ("Samsung Galaxy S23", "android", "phone"),
        ("Apple Watch Series 8", "watchos", "watch"),
        ("iPhone 18 Pro", "ios", "phone"),
        ("Galaxy S26", "android", "phone"),
        ("Nokia 3310", None, None),
    ],
)
def test_placement_knows_the_os_of_models_outside_the_matrix(
    knowledge: Knowledge, model: str, family: str | None, kind: str | None
) -> None:
    placement = knowledge.place(model)
    assert (placement.os, placement.kind) == (family, kind)


def test_later_models_are_placed_without_a_catalogue_name(knowledge: Knowledge) -> None:
    assert knowledge.place("iPhone 18 Pro").catalogue_name is None
    assert knowledge.place("iphone 16 pro").catalogue_name == "iPhone 16 Pro"


def test_closest_models(knowledge: Knowledge) -> None:
    assert "iPhone 15 Pro" in knowledge.closest_models("iPhone 15 Pr")
    assert knowledge.closest_models("zzzz") == []


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("iPhone 15 Pro", "iphone 15 pro"),
        ("Samsung Galaxy S24+", "samsung galaxy s 24 plus"),
        ("Samsung Galaxy Watch6", "samsung galaxy watch 6"),
        ("MacBook Pro 14-inch (M4)", "macbook pro 14 inch m 4"),
        ("iPad Pro 12.9-inch (M2)", "ipad pro 12.9 inch m 2"),
        ("MacBook Pro (14-inch, M3, Nov 2023)", "macbook pro 14 inch m 3"),
        ('iPad Pro 13" M4', "ipad pro 13 inch m 4"),
        ("iPhone SE (2nd generation)", "iphone se gen 2"),
        ("  iPhone   16  ", "iphone 16"),
    ],
)
def test_normalise_model(raw: str, normal: str) -> None:
    assert knowledge_mod.normalise_model(raw) == normal
