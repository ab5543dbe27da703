"""The checklist checks: the checklist answers, roaming, Wi-Fi calling, airplane schedule."""

from __future__ import annotations

import datetime as dt

import pytest
from checks_helpers import IMEI_B, PHONE, device, one, one_device, results, run

from readiness.knowledge import Knowledge
from readiness.results import Status, Verdict

IMEI_C = "356789012345672"


# --- the checklist answers ------------------------------------------------------------


@pytest.mark.parametrize(
    ("check_id", "key", "yes", "no"),
    [
        (
            "same-wifi",
            "same_wifi",
            "All devices on the same Wi-Fi for provisioning.",
            "Devices are not on the same Wi-Fi network.",
        ),
        (
            "profile-backup",
            "profiles_backed_up",
            "eSIM profiles being replaced are backed up.",
            "eSIM profiles being replaced are not backed up.",
        ),
        (
            "offline-maps",
            "offline_maps",
            "Offline maps downloaded on the navigation device.",
            "Offline maps are not downloaded.",
        ),
        (
            "network-preference",
            "network_preference",
            "Network-type preference set for the destinations.",
            "Network-type preference is not set for the destinations.",
        ),
    ],
)
def test_checklist_answers(
    knowledge: Knowledge, check_id: str, key: str, yes: str, no: str
) -> None:
    done = one(run(knowledge, checklist={key: True}), check_id)
    assert (done.status, done.message) == (Status.PASS, yes)
    not_done = one(run(knowledge, checklist={key: False}), check_id)
    assert (not_done.status, not_done.message) == (Status.FAIL, no)
    assert not_done.fix
    unanswered = one(run(knowledge, checklist={key: None}), check_id)
    assert (unanswered.status, unanswered.message) == (Status.FAIL, "Not answered.")


@pytest.mark.parametrize("value", ["n/a", "N/A"])
def test_profile_backup_not_applicable_passes(knowledge: Knowledge, value: str) -> None:
    result = one(run(knowledge, checklist={"profiles_backed_up": value}), "profile-backup")
    assert result.status is Status.PASS
    assert result.message == "No eSIM profiles are being replaced."


# --- roaming --------------------------------------------------------------------------


def test_roaming_authorised_passes(knowledge: Knowledge) -> None:
    result = one_device(knowledge, "roaming")
    assert (result.status, result.message) == (Status.PASS, "International roaming pre-authorised.")


def test_roaming_not_authorised_fails(knowledge: Knowledge) -> None:
    result = one_device(knowledge, "roaming", roaming_authorized=False)
    assert (result.status, result.message) == (
        Status.FAIL,
        "International roaming not pre-authorised.",
    )
    assert "roaming" in result.fix


def test_roaming_unanswered_fails(knowledge: Knowledge) -> None:
    result = one_device(knowledge, "roaming", roaming_authorized=None)
    assert (result.status, result.message) == (Status.FAIL, "International roaming not answered.")


def test_roaming_is_checked_on_every_device(knowledge: Knowledge) -> None:
    evaluation = run(
        knowledge,
        devices=[
            PHONE,
            device(
                label="Tab", model="iPad Pro 11-inch (M4)", imei=IMEI_B, roaming_authorized=False
            ),
        ],
    )
    assert [r.status for r in results(evaluation, "roaming")] == [Status.PASS, Status.FAIL]


# --- wifi-calling ---------------------------------------------------------------------


def test_wifi_calling_on_passes(knowledge: Knowledge) -> None:
    result = one_device(knowledge, "wifi-calling")
    assert (result.status, result.message) == (Status.PASS, "Wi-Fi Calling on.")


def test_wifi_calling_off_on_a_phone_fails(knowledge: Knowledge) -> None:
    result = one_device(knowledge, "wifi-calling", wifi_calling=False)
    assert (result.status, result.message) == (Status.FAIL, "Wi-Fi Calling off.")


def test_wifi_calling_unanswered_on_a_watch_fails(knowledge: Knowledge) -> None:
    result = one_device(knowledge, "wifi-calling", model="Apple Watch Series 10", wifi_calling=None)
    assert (result.status, result.message) == (Status.FAIL, "Wi-Fi Calling not answered.")


@pytest.mark.parametrize(
    ("model", "kind"), [("iPad Pro 11-inch (M4)", "tablet"), ("MacBook Air 13-inch (M4)", "laptop")]
)
def test_wifi_calling_not_asked_of_tablets_and_laptops(
    knowledge: Knowledge, model: str, kind: str
) -> None:
    result = one_device(knowledge, "wifi-calling", model=model, wifi_calling=None)
    assert (result.status, result.message) == (
        Status.SKIP,
        f"Wi-Fi Calling is not asked of a {kind}. Assumed: Wi-Fi Calling is asked of phones "
        'and watches only; the guide says only "all capable devices".',
    )


def test_the_wifi_calling_assumption_is_said_once(knowledge: Knowledge) -> None:
    tablet = device(label="iPad", model="iPad Pro 11-inch (M4)", imei=IMEI_B)
    laptop = device(label="Mac", model="MacBook Air 13-inch (M4)", imei=IMEI_C)
    found = results(run(knowledge, devices=[PHONE, tablet, laptop]), "wifi-calling")
    assert [r.message.count("Assumed: ") for r in found] == [0, 1, 0]
    assert found[2].message == "Wi-Fi Calling is not asked of a laptop."


def test_wifi_calling_unknown_model_is_asked(knowledge: Knowledge) -> None:
    result = one_device(knowledge, "wifi-calling", model="Nokia 3310", wifi_calling=None)
    assert result.status is Status.FAIL


# --- airplane-schedule ----------------------------------------------------------------


def test_airplane_schedule_skipped_when_home_and_destination_share_an_offset(
    knowledge: Knowledge,
) -> None:
    # Singapore and China are both UTC+8.
    evaluation = run(
        knowledge,
        trip={"destinations": ["CN"]},
        plan={"coverage": ["CN"]},
        checklist={"airplane_schedule": None},
    )
    result = one(evaluation, "airplane-schedule")
    assert result.status is Status.SKIP
    assert result.message == (
        "Home and destinations share a UTC offset at departure; no schedule needed."
    )
    assert evaluation.verdict is Verdict.READY


def test_airplane_schedule_skipped_for_neighbours_with_a_common_zone(knowledge: Knowledge) -> None:
    evaluation = run(
        knowledge,
        trip={"home": "US", "destinations": ["CA"]},
        plan={"coverage": ["CA"]},
        checklist={"airplane_schedule": None},
    )
    assert one(evaluation, "airplane-schedule").status is Status.SKIP


@pytest.mark.parametrize("answer", [None, False])
def test_airplane_schedule_warns_when_crossing_zones_and_not_set(
    knowledge: Knowledge, answer: bool | None
) -> None:
    # Singapore is UTC+8, Japan UTC+9.
    result = one(run(knowledge, checklist={"airplane_schedule": answer}), "airplane-schedule")
    assert result.status is Status.WARN
    assert result.message == "The trip crosses time zones and no airplane-mode schedule is set."
    assert result.fix == "Set airplane-mode schedules for the time-zone changes on this trip."


def test_airplane_schedule_set_when_crossing_zones_passes(knowledge: Knowledge) -> None:
    result = one(run(knowledge), "airplane-schedule")
    assert result.status is Status.PASS


def test_airplane_schedule_offsets_are_taken_at_departure(knowledge: Knowledge) -> None:
    # Iceland stays on +00:00 all year; the UK is +00:00 in winter and +01:00
    # in summer, so they share an offset in winter only.
    winter = {
        "departure": dt.datetime(2026, 1, 15, 9, 0, tzinfo=dt.UTC),
        "home": "GB",
        "destinations": ["IS"],
    }
    summer = {**winter, "departure": dt.datetime(2026, 7, 15, 9, 0, tzinfo=dt.UTC)}
    early = dt.datetime(2025, 12, 1, tzinfo=dt.UTC)
    cover = {"coverage": ["IS"]}
    no_answer = {"airplane_schedule": None}
    assert (
        one(
            run(knowledge, early, trip=winter, plan=cover, checklist=no_answer), "airplane-schedule"
        ).status
        is Status.SKIP
    )
    assert (
        one(
            run(knowledge, early, trip=summer, plan=cover, checklist=no_answer), "airplane-schedule"
        ).status
        is Status.WARN
    )
