"""The setup plan and the symptom look-up: pure functions, three kinds of trip."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from readiness import answers as answers_mod
from readiness import checks, guide
from readiness.answers import Answers
from readiness.guide import SetupPlan
from readiness.knowledge import Knowledge
from readiness.results import CheckResult, Status, Verdict

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE = ROOT / "examples" / "answers.toml"
SOLO = FIXTURES / "solo.toml"
MIXED = FIXTURES / "guide" / "mixed.toml"
NOW = dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC)


def load(path: Path, knowledge: Knowledge) -> Answers:
    return answers_mod.load(path)


def plan_of(path: Path, knowledge: Knowledge) -> SetupPlan:
    answers = load(path, knowledge)
    return guide.plan(answers, knowledge, checks.evaluate(answers, knowledge, NOW).results)


def outline(plan: SetupPlan) -> list[tuple[str, str, list[str]]]:
    """(label, role, step refs) per section: the whole shape of a plan."""
    return [(s.label, s.role, [step.ref for step in s.steps]) for s in plan.sections]


def refs(procedure: str, *numbers: int) -> list[str]:
    return [f"{procedure}.{n}" for n in numbers]


# Step 4 (the option is offered since iOS 19) is for an iPhone only.
PRIMARY_IOS = refs("primary", 1, 2, 3, 4, 5, 6, 7)
PRIMARY = refs("primary", 1, 2, 3, 5, 6, 7)
SECONDARY = refs("secondary", 1, 2, 3, 4, 5, 6)
WATCH = refs("watch", 1, 2, 3, 4, 5)
ROUTING = refs("data-routing", 1, 2, 3, 4, 5)
SAVING_ALL = ["data-saving.1"]
SAVING_IOS = refs("data-saving", 1, 2)
SAVING_ANDROID = refs("data-saving", 1, 3)
APPLE_CENTRIC = (
    "The guide writes its setup steps for an Apple-centric setup (iPhone, iPad, Apple Watch, "
    "MacBook); they vary by ecosystem, so menu names on this primary device may differ."
)


# --- a four-device Apple family (examples/answers.toml) ---------------------------------


def test_apple_family_order_and_steps(knowledge: Knowledge) -> None:
    plan = plan_of(EXAMPLE, knowledge)
    assert outline(plan) == [
        ("Ada's iPhone", "primary", PRIMARY_IOS + SAVING_IOS),
        ("Ada's iPad", "secondary", SECONDARY + SAVING_ALL),
        ("Ada's Watch", "secondary", WATCH + SAVING_ALL),
        ("Ada's MacBook", "secondary", refs("macbook", 1, 2) + SAVING_ALL),
        ("", "plan", ROUTING),
    ]
    assert plan.verdict is Verdict.READY_WITH_WARNINGS
    assert plan.fix_first == ()
    assert plan.deadline == dt.datetime(2026, 12, 1, 1, 30, tzinfo=dt.UTC)
    assert plan.deadline.utcoffset() == dt.timedelta(hours=8)  # the departure's own zone


def test_apple_family_watch_pairs_with_the_primary_iphone(knowledge: Knowledge) -> None:
    watch = plan_of(EXAMPLE, knowledge).sections[2]
    assert watch.kind == "watch"
    assert watch.pairs_with == "Ada's iPhone"
    assert "Pairs with Ada's iPhone, the primary phone." in watch.notes


def test_each_device_gets_only_the_steps_for_its_kind_and_platform(
    knowledge: Knowledge,
) -> None:
    sections = {s.label: s for s in plan_of(EXAMPLE, knowledge).sections}
    texts = {label: " ".join(step.text for step in s.steps) for label, s in sections.items()}
    assert "Cellular Data Options > Data Mode" in texts["Ada's iPhone"]
    assert "Data Saver" not in texts["Ada's iPhone"]
    assert "Join Existing Plan" in texts["Ada's iPad"]
    assert "Set Up Multi-Device Profile" not in texts["Ada's iPad"]
    assert "Join Multi-Device Plan" in texts["Ada's MacBook"]
    assert "Link to existing plan" not in texts["Ada's MacBook"]
    assert "Share Plan with Watch" not in texts["Ada's MacBook"]
    assert sections["Ada's iPad"].notes == (
        "Keep large downloads for Wi-Fi: the guide names the menu only for iOS and Android.",
    )
    assert sections[""].notes == (
        "Do this on Ada's iPhone, once every device has joined the plan.",
    )


def test_apple_family_priorities_and_mismatches(knowledge: Knowledge) -> None:
    plan = plan_of(EXAMPLE, knowledge)
    assert [(a.label, a.answered, a.recommended) for a in plan.priorities] == [
        ("Ada's iPhone", "primary", "primary"),
        ("Ada's iPad", "standard", "primary"),
        ("Ada's Watch", "background", "standard"),
        ("Ada's MacBook", "background", "primary"),
    ]
    ipad = plan.priorities[1]
    assert ipad.reason == "Video calls, 1 h a day: Primary on a tablet or laptop"
    assert ipad.notes == (
        "Streaming video, 0.5 h a day, runs at Background with limits in the guide's "
        "table: set a data warning and a limit for this device.",
    )
    assert plan.priorities[0].reason == "Navigation: Primary on a phone"
    assert [m.message for m in plan.mismatches] == [
        "Ada's iPad is set to Standard, but from the guide's activity table readiness "
        "suggests Primary (Video calls, 1 h a day: Primary on a tablet or laptop).",
        "Ada's Watch is set to Background, but from the guide's activity table readiness "
        "suggests Standard (Email and messaging: Standard on a phone or watch).",
        "Ada's MacBook is set to Background, but from the guide's activity table readiness "
        "suggests Primary (Video calls, 1 h a day: Primary on a tablet or laptop).",
    ]


def test_a_tablet_set_to_background_with_video_calls_planned_is_flagged(
    knowledge: Knowledge,
) -> None:
    answers = load(EXAMPLE, knowledge)
    ipad = answers.devices[1]
    background = Answers(
        answers.traveler,
        answers.trip,
        answers.plan,
        (answers.devices[0], replace_priority(ipad, "background"), *answers.devices[2:]),
        answers.checklist,
        (("video_call_hours", 2.0),),
    )
    advice = guide.recommend_priority(background.devices[1], background, knowledge)
    assert advice.mismatch
    assert (advice.answered, advice.recommended) == ("background", "primary")
    assert advice.reason == "Video calls, 2 h a day: Primary on a tablet or laptop"
    assert advice.notes == ()


def replace_priority(device: answers_mod.Device, priority: str) -> answers_mod.Device:
    from dataclasses import replace

    return replace(device, priority=priority)


# --- a mixed Android / Windows trip -----------------------------------------------------


def test_mixed_trip_order_watches_after_their_phone_then_laptops(knowledge: Knowledge) -> None:
    plan = plan_of(MIXED, knowledge)
    assert outline(plan) == [
        ("Sam's Pixel", "primary", PRIMARY + SAVING_ANDROID),
        ("Kim's Galaxy", "secondary", SECONDARY + SAVING_ANDROID),
        ("Kim's Galaxy Watch", "secondary", WATCH + SAVING_ALL),
        ("Sam's Apple Watch", "secondary", WATCH + SAVING_ALL),
        ("Work ThinkPad", "secondary", refs("windows-laptop", 1, 2, 3) + SAVING_ALL),
        ("", "plan", ROUTING),
    ]
    sections = {s.label: s for s in plan.sections}
    assert sections["Kim's Galaxy Watch"].pairs_with == "Sam's Pixel"
    apple = sections["Sam's Apple Watch"]
    assert apple.pairs_with == ""
    assert apple.notes[0] == (
        "No iOS phone on this trip to pair it with; the guide sets a watch up through its "
        "phone's companion app."
    )
    laptop_text = " ".join(s.text for s in sections["Work ThinkPad"].steps)
    assert "Settings > Network & Internet > Cellular" in laptop_text
    assert "System Settings" not in laptop_text


def test_mixed_trip_lists_the_failing_device_first_with_its_fix(knowledge: Knowledge) -> None:
    plan = plan_of(MIXED, knowledge)
    assert plan.verdict is Verdict.NOT_READY
    [item] = plan.fix_first
    assert item.subject == "Work ThinkPad"
    assert [(b.check, b.message, b.fix) for b in item.blockers] == [
        (
            "battery",
            "Battery at 12 %; setup needs at least 20 %.",
            "Charge the device to at least 20 % before provisioning.",
        )
    ]
    thinkpad = next(s for s in plan.sections if s.label == "Work ThinkPad")
    assert thinkpad.notes[0] == "A check failed for this device: fix it first (see above)."


def test_mixed_trip_flags_the_laptop_set_to_background(knowledge: Knowledge) -> None:
    plan = plan_of(MIXED, knowledge)
    assert [(a.label, a.recommended) for a in plan.priorities] == [
        ("Sam's Pixel", "standard"),
        ("Kim's Galaxy", "standard"),
        ("Kim's Galaxy Watch", "standard"),
        ("Sam's Apple Watch", "standard"),
        ("Work ThinkPad", "primary"),
    ]
    assert [m.message for m in plan.mismatches] == [
        "Work ThinkPad is set to Background, but from the guide's activity table readiness "
        "suggests Primary (Video calls, 2 h a day: Primary on a tablet or laptop)."
    ]


# --- one phone alone (tests/fixtures/solo.toml) -----------------------------------------


def test_one_phone_alone(knowledge: Knowledge) -> None:
    plan = plan_of(SOLO, knowledge)
    assert outline(plan) == [("Grace's Pixel", "primary", PRIMARY + SAVING_ANDROID)]
    assert plan.sections[0].notes == (
        "A check failed for this device: fix it first (see above).",
        APPLE_CENTRIC,
        "One device alone, so the plan leaves out the data routing between devices.",
    )
    [item] = plan.fix_first
    assert (item.subject, [b.check for b in item.blockers]) == ("Grace's Pixel", ["battery"])
    [advice] = plan.priorities
    assert (advice.recommended, advice.reason) == (
        None,
        "no planned use given ([usage] is empty)",
    )
    assert plan.mismatches == ()


# --- the rules on their own --------------------------------------------------------------


def family(devices: list[dict[str, Any]], knowledge: Knowledge, **usage: Any) -> Answers:
    base = answers_mod.to_document(load(SOLO, knowledge))
    base["devices"] = devices
    base.pop("usage", None)
    if usage:
        base["usage"] = usage
    return answers_mod.from_document(base)


def device(label: str, model: str, **extra: Any) -> dict[str, Any]:
    return {"label": label, "model": model, **extra}


def test_a_watch_pairs_with_a_phone_of_its_platform_when_the_primary_is_not(
    knowledge: Knowledge,
) -> None:
    answers = family(
        [
            device("Galaxy Watch", "Samsung Galaxy Watch7"),
            device("iPhone", "iPhone 16 Pro", primary=True),
            device("Apple Watch", "Apple Watch Series 10"),
            device("Galaxy", "Samsung Galaxy S25"),
        ],
        knowledge,
    )
    plan = guide.plan(answers, knowledge, [])
    assert [(s.label, s.pairs_with) for s in plan.device_sections] == [
        ("iPhone", ""),
        ("Galaxy", ""),
        ("Apple Watch", "iPhone"),
        ("Galaxy Watch", "Galaxy"),
    ]
    galaxy_watch = plan.device_sections[3]
    assert galaxy_watch.notes[0] == (
        "Pairs with Galaxy: the guide pairs a watch with the primary phone, "
        "but this watch needs a phone on Android."
    )


def test_a_model_the_catalogue_does_not_know_gets_the_secondary_steps(
    knowledge: Knowledge,
) -> None:
    answers = family(
        [device("Pixel", "Google Pixel 9", primary=True), device("Mystery", "Nokia 3310")],
        knowledge,
    )
    mystery = guide.plan(answers, knowledge, []).sections[1]
    assert (mystery.kind, [s.ref for s in mystery.steps]) == ("", SECONDARY + SAVING_ALL)
    assert mystery.notes[0] == (
        "'Nokia 3310' is not in the catalogue, so its kind is unknown; these are the "
        "guide's steps for tablets and secondary phones."
    )


def test_a_primary_tablet_gets_the_primary_steps_with_a_note(knowledge: Knowledge) -> None:
    answers = family(
        [device("iPad", "iPad Pro 11-inch (M4)", primary=True), device("Pixel", "Google Pixel 9")],
        knowledge,
    )
    first = guide.plan(answers, knowledge, []).sections[0]
    assert (first.label, first.role) == ("iPad", "primary")
    assert [s.ref for s in first.steps] == PRIMARY + SAVING_ALL
    assert first.notes[:2] == (
        APPLE_CENTRIC,
        "The guide sets up a phone as the primary device; this is a tablet, "
        "so menu names may differ.",
    )


def test_priority_without_anything_planned_for_the_kind(knowledge: Knowledge) -> None:
    answers = family(
        [
            device("Pixel", "Google Pixel 9", primary=True),
            device("Mac", "MacBook Air 13-inch (M4)"),
        ],
        knowledge,
        email=True,
    )
    advice = guide.recommend_priority(answers.devices[1], answers, knowledge)
    assert (advice.recommended, advice.reason, advice.mismatch) == (
        None,
        "nothing planned in [usage] is for a laptop in the guide's table",
        False,
    )


def test_streaming_alone_recommends_background_with_a_limit(knowledge: Knowledge) -> None:
    answers = family(
        [
            device("Pixel", "Google Pixel 9", primary=True),
            device("Tab", "iPad Pro 13-inch (M5)", priority="primary"),
        ],
        knowledge,
        streaming_hours=3.0,
    )
    advice = guide.recommend_priority(answers.devices[1], answers, knowledge)
    assert (advice.recommended, advice.mismatch) == ("background", True)
    assert advice.reason == (
        "Streaming video, 3 h a day: Background with limits on a tablet or laptop"
    )
    assert advice.notes == (
        "Streaming video, 3 h a day, runs at Background with limits in the guide's "
        "table: set a data warning and a limit for this device.",
    )


def test_no_primary_device_still_plans_the_others(knowledge: Knowledge) -> None:
    answers = family(
        [device("Pixel", "Google Pixel 9"), device("Galaxy", "Samsung Galaxy S24")], knowledge
    )
    results = checks.evaluate(answers, knowledge, NOW).results
    plan = guide.plan(answers, knowledge, results)
    assert [(s.label, s.role) for s in plan.sections] == [
        ("Pixel", "secondary"),
        ("Galaxy", "secondary"),
        ("", "plan"),
    ]
    assert plan.sections[-1].notes == (
        "Do this on the primary device, once every device has joined the plan.",
    )
    trip_wide = plan.fix_first[-1]
    assert trip_wide.subject == ""
    assert "primary-device" in [b.check for b in trip_wide.blockers]


def test_fix_first_keeps_device_order_then_the_trip(knowledge: Knowledge) -> None:
    answers = load(EXAMPLE, knowledge)
    results = [
        CheckResult("battery", Status.FAIL, "Ada's MacBook", "low", "charge"),
        CheckResult("destination-coverage", Status.FAIL, "", "not covered", "pick"),
        CheckResult("imei", Status.FAIL, "Ada's iPad", "bad", "read it"),
        CheckResult("roaming", Status.WARN, "Ada's iPhone", "off", "turn on"),
    ]
    plan = guide.plan(answers, knowledge, results)
    assert [(f.subject, [b.check for b in f.blockers]) for f in plan.fix_first] == [
        ("Ada's iPad", ["imei"]),
        ("Ada's MacBook", ["battery"]),
        ("", ["destination-coverage"]),
    ]


# --- the core stays out of the terminal layer ----------------------------------------------


def test_guide_does_not_import_the_terminal_layer(tmp_path: Path) -> None:
    code = (
        "import json, sys, readiness.guide\n"
        "print(json.dumps(sorted(n for n in ('click', 'questionary', 'prompt_toolkit') "
        "if n in sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT), "READINESS_HOME": str(tmp_path)},
        check=True,
    )
    assert json.loads(done.stdout) == []


# --- the guide's checklists, activity table, habits and notes in the plan ---------------


def test_checklist_items_carry_their_check_and_its_worst_status(knowledge: Knowledge) -> None:
    plan = plan_of(MIXED, knowledge)
    assert [(i.check, i.status) for i in plan.setup_checklist] == [
        (item.check, Status.FAIL if item.check == "battery" else Status.PASS)
        for item in knowledge.setup
    ]
    assert [i.text for i in plan.setup_checklist] == [i.text for i in knowledge.setup]
    assert [i.text for i in plan.predeparture] == [i.text for i in knowledge.predeparture]


def test_a_checklist_item_without_results_is_skipped(knowledge: Knowledge) -> None:
    plan = guide.plan(load(SOLO, knowledge), knowledge, [])
    assert {i.status for i in plan.setup_checklist} == {Status.SKIP}


def test_the_plan_closes_with_the_guides_habits(knowledge: Knowledge) -> None:
    assert plan_of(SOLO, knowledge).habits == knowledge.habits
    assert len(knowledge.habits) == 4


def test_the_priority_assumption_only_when_a_priority_is_suggested(knowledge: Knowledge) -> None:
    assert plan_of(EXAMPLE, knowledge).priority_assumption.startswith("Assumed: ")
    assert plan_of(SOLO, knowledge).priority_assumption == ""


def test_an_iphone_primary_gets_no_apple_centric_note(knowledge: Knowledge) -> None:
    assert APPLE_CENTRIC not in plan_of(EXAMPLE, knowledge).sections[0].notes
    assert APPLE_CENTRIC in plan_of(MIXED, knowledge).sections[0].notes


def test_activity_cells_come_from_the_data_marks(knowledge: Knowledge) -> None:
    rows = {a.id: a for a in knowledge.activities}
    assert guide.activity_priority(rows["streaming"]) == "Background with limits"
    assert guide.activity_priority(rows["video_call"]) == "Primary"
    assert guide.activity_devices(rows["software_updates"]) == "any device (Wi-Fi preferred)"
    assert guide.activity_devices(rows["email"]) == "phone or watch"
