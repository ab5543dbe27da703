"""The question table through a scripted asker: what is asked, of which device, and when."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from walkthrough_helpers import NOW_DT

from readiness.knowledge import Knowledge
from readiness.prompts.walkthrough import Walkthrough

# --- the question table through a scripted asker ---------------------------------------


@dataclass
class ScriptedAsker:
    """Answers each question from a script keyed by its words, validating as a prompt does."""

    script: dict[str, Any]
    asked: list[str] = field(default_factory=list)
    defaults: dict[str, Any] = field(default_factory=dict)

    def say(self, text: str) -> None:
        pass

    def _answer(self, message: str) -> Any:
        self.asked.append(message)
        return self.script[message]

    def text(self, message: str, default: str = "", validate: Any = None, **_: Any) -> str:
        answer = str(self._answer(message))
        assert validate is None or validate(answer) is True, validate(answer)
        return answer

    complete = text

    def confirm(self, message: str, default: bool = True) -> bool:
        return bool(self._answer(message))

    def select(self, message: str, choices: list[str], default: str | None = None) -> str:
        self.defaults[message] = default
        answer = str(self._answer(message))
        assert answer in choices
        return answer

    def checkbox(self, message: str, choices: list[str]) -> list[str]:
        return list(self._answer(message))


def minimal_doc() -> dict[str, Any]:
    path = Path(__file__).parent / "fixtures" / "answers" / "minimal.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


def test_only_what_the_document_lacks_is_asked(knowledge: Knowledge) -> None:
    doc = minimal_doc()
    del doc["devices"][0]["battery"]
    del doc["checklist"]["airplane_schedule"]
    asker = ScriptedAsker(
        {
            "Battery level of Ada's iPhone now (%):": "15",
            "The trip crosses time zones: are airplane-mode schedules set?": True,
        }
    )
    walk = Walkthrough(knowledge, NOW_DT, asker, ask_optional=False, devices_complete=True)  # type: ignore[arg-type]
    walk.run(doc)
    assert asker.asked == list(asker.script)
    assert doc["devices"][0]["battery"] == 15
    assert doc["checklist"]["airplane_schedule"] is True


def test_a_trip_in_one_offset_is_not_asked_about_airplane_mode(knowledge: Knowledge) -> None:
    doc = minimal_doc()
    doc["trip"]["destinations"] = ["MY"]  # Singapore and Malaysia share +08:00
    del doc["checklist"]["airplane_schedule"]
    asker = ScriptedAsker({})
    walk = Walkthrough(knowledge, NOW_DT, asker, ask_optional=False, devices_complete=True)  # type: ignore[arg-type]
    walk.run(doc)
    assert asker.asked == []
    assert "airplane_schedule" not in doc["checklist"]


def test_a_recheck_asks_again_what_changes_with_time(knowledge: Knowledge) -> None:
    doc = minimal_doc()
    asker = ScriptedAsker(
        {
            "OS version of Ada's iPhone (minimum iOS 19.4):": "19.5",
            "Battery level of Ada's iPhone now (%):": "90",
            "Is international roaming pre-authorised on Ada's iPhone?": True,
            "Is Wi-Fi Calling on for Ada's iPhone?": False,
            "Are offline maps downloaded on the device you navigate with?": True,
        }
    )
    walk = Walkthrough(
        knowledge,
        NOW_DT,
        asker,  # type: ignore[arg-type]
        reask=("battery", "os_version", "roaming_authorized", "wifi_calling", "offline_maps"),
        ask_optional=False,
        devices_complete=True,
    )
    walk.run(doc)
    assert asker.asked == list(asker.script)
    assert doc["devices"][0]["os_version"] == "19.5"
    assert doc["devices"][0]["wifi_calling"] is False


# --- a device read over USB (the fake adb of test_detect.py on PATH) ---------------------------

from test_detect import fake_tools  # noqa: E402

__all__ = ["fake_tools"]  # a fixture, used by name


@dataclass
class KeepingAsker(ScriptedAsker):
    """A scripted asker that presses Enter (keeps the default) where the script is silent."""

    defaults: dict[str, Any] = field(default_factory=dict)

    def text(self, message: str, default: str = "", validate: Any = None, **_: Any) -> str:
        self.asked.append(message)
        self.defaults[message] = default
        answer = str(self.script.get(message, default))
        assert validate is None or validate(answer) is True, (message, validate(answer))
        return answer

    complete = text

    def confirm(self, message: str, default: bool = True) -> bool:
        self.asked.append(message)
        self.defaults[message] = default
        return bool(self.script.get(message, default))

    def select(self, message: str, choices: list[str], default: str | None = None) -> str:
        self.asked.append(message)
        self.defaults[message] = default
        answer = str(self.script.get(message, default))
        assert answer in choices, (message, answer, choices)
        return answer


def test_a_device_read_over_usb_is_shown_corrected_and_kept(
    knowledge: Knowledge, fake_tools: Any
) -> None:
    from test_detect import PIXEL, galaxy_s24, out, pixel_8

    from readiness import answers as answers_mod
    from readiness.detect.to_answers import read_answers_devices
    from readiness.prompts import walkthrough

    fake_tools({"adb": {"devices -l": out("adb_devices_two.txt"), **pixel_8(), **galaxy_s24()}})
    doc = minimal_doc()
    del doc["devices"]
    said: list[str] = []
    asker = KeepingAsker(
        {
            walkthrough.DEVICE_SOURCE: walkthrough.READ_IT,
            walkthrough.WHICH_READ: f"Pixel 8 (adb:{PIXEL})",
            "Battery level of Pixel 8 now (%):": "60",  # unplugged since it was read
            "Add another device?": False,
        }
    )
    asker.say = said.append  # type: ignore[method-assign]
    walk = Walkthrough(
        knowledge,
        NOW_DT,
        asker,  # type: ignore[arg-type]
        ask_optional=False,
        read_devices=lambda: read_answers_devices(timeout=10),
    )
    walk.run(doc)
    assert (
        f"  Read from Pixel 8 (adb:{PIXEL}): label Pixel 8, model Pixel 8, os version Android 16, "
        "imei 356938035643809, battery 85, roaming authorized True." in said
    )
    # What was read became the defaults of the device's questions, each still asked.
    assert asker.defaults["Device model:"] == "Pixel 8"
    assert asker.defaults["A short label for it:"] == "Pixel 8"
    assert asker.defaults["OS version of Pixel 8 (minimum Android 16):"] == "Android 16"
    assert asker.defaults["IMEI of Pixel 8 (dial *#06#; empty if unknown):"] == "356938035643809"
    assert asker.defaults["Battery level of Pixel 8 now (%):"] == "85"
    assert asker.defaults["Is international roaming pre-authorised on Pixel 8?"] is True
    assert doc["devices"] == [
        {
            "label": "Pixel 8",
            "model": "Pixel 8",
            "os_version": "Android 16",
            "imei": "356938035643809",
            "battery": 60,
            "roaming_authorized": True,
            "imei2": "",  # asked, left empty as when typed
            "eid": "",
            "priority": "standard",
            "wifi_calling": True,
            "primary": True,
        }
    ]
    answers_mod.from_document(doc)


def test_an_ambiguous_country_at_a_prompt_asks_which(knowledge: Knowledge) -> None:
    doc = minimal_doc()
    del doc["trip"]["home"]
    asker = ScriptedAsker(
        {
            "Home country:": "Korea",
            "Which country do you mean by Korea?": "South Korea (KR)",
        }
    )
    walk = Walkthrough(knowledge, NOW_DT, asker, ask_optional=False, devices_complete=True)  # type: ignore[arg-type]
    walk.run(doc)
    assert asker.asked == list(asker.script)
    assert doc["trip"]["home"] == "KR"


def test_a_departure_in_a_repeated_hour_asks_which_offset(knowledge: Knowledge) -> None:
    doc = minimal_doc()
    doc["trip"]["timezone"] = "America/New_York"
    del doc["trip"]["departure"]
    asker = ScriptedAsker(
        {
            "Departure date and local time (YYYY-MM-DD HH:MM):": "2026-11-01 01:30",
            "The clocks show 01:30 twice that night: which one?": (
                "01:30 (UTC-05:00, the second time)"
            ),
        }
    )
    walk = Walkthrough(
        knowledge, NOW_DT - dt.timedelta(days=60), asker, ask_optional=False, devices_complete=True
    )  # type: ignore[arg-type]
    walk.run(doc)
    assert asker.asked == list(asker.script)
    departure = doc["trip"]["departure"]
    assert departure.utcoffset() == dt.timedelta(hours=-5)
    assert departure.astimezone(dt.UTC) == dt.datetime(2026, 11, 1, 6, 30, tzinfo=dt.UTC)


FAMILY = {
    "Ada's iPad": ("iPad Pro (M4)", "IMEI of Ada's iPad (Settings > General > About; "),
    "Ada's Watch": (
        "Apple Watch Series 10",
        "IMEI of Ada's Watch (the Watch app on the paired iPhone: General > About; ",
    ),
    "Ada's ThinkPad": (
        "Lenovo ThinkPad X13s 5G",
        "IMEI of Ada's ThinkPad (Settings > Network & Internet > Cellular; ",
    ),
    "Ada's Pixel": ("Google Pixel 9", "IMEI of Ada's Pixel (dial *#06#; "),
}


def test_every_device_question_names_its_device_and_fits_its_kind(knowledge: Knowledge) -> None:
    doc = minimal_doc()
    doc["usage"] = {"navigation": True, "video_call_hours": 1.0}
    doc["devices"] = [
        {"label": label, "model": model, "os_version": "26.1"}
        for label, (model, _) in FAMILY.items()
    ]
    script: dict[str, Any] = {}
    for label, (_, imei) in FAMILY.items():
        script[imei + "empty if unknown):"] = ""
        script[f"EID of {label} (empty to skip):"] = ""
        script[f"Battery level of {label} now (%):"] = "80 %"
        script[f"Data priority for {label}:"] = "standard"
        script[f"Is international roaming pre-authorised on {label}?"] = True
    script["Second IMEI of Ada's Pixel, for dual SIM (empty to skip):"] = ""
    for label in ("Ada's Watch", "Ada's Pixel"):
        script[f"Is Wi-Fi Calling on for {label}?"] = True
    asker = ScriptedAsker(script)
    walk = Walkthrough(knowledge, NOW_DT, asker, devices_complete=True)  # type: ignore[arg-type]
    walk.reask = ()
    for device in doc["devices"]:
        walk.device(doc, device)
    assert sorted(asker.asked) == sorted(script)
    assert not [q for q in asker.asked if q.startswith("Second IMEI of Ada's") and "Pixel" not in q]
    assert asker.defaults == {
        "Data priority for Ada's iPad:": "primary",  # video calls: Primary on a tablet
        "Data priority for Ada's Watch:": "standard",  # nothing planned names a watch
        "Data priority for Ada's ThinkPad:": "primary",
        "Data priority for Ada's Pixel:": "primary",  # navigation: Primary on a phone
    }
    assert all(d["battery"] == 80 for d in doc["devices"])


def test_change_an_answer_picks_one_field_of_one_device(knowledge: Knowledge) -> None:
    doc = minimal_doc()
    asker = ScriptedAsker(
        {
            "Which answer about Ada's iPhone?": "Battery level",
            "Battery level of Ada's iPhone now (%):": "55",
        }
    )
    walk = Walkthrough(knowledge, NOW_DT, asker, devices_complete=True)  # type: ignore[arg-type]
    walk.change(doc, "Device: Ada's iPhone")
    assert asker.asked == list(asker.script)
    assert doc["devices"][0]["battery"] == 55


def test_change_an_answer_removes_a_device_and_asks_for_a_new_primary(
    knowledge: Knowledge,
) -> None:
    doc = minimal_doc()
    doc["devices"].append({**doc["devices"][0], "label": "Ada's spare", "primary": False})
    doc["devices"].append({**doc["devices"][0], "label": "Ada's other", "primary": False})
    kept: list[int] = []
    asker = ScriptedAsker(
        {
            "Which answer about Ada's iPhone?": "Remove it from this trip",
            "Which device manages the plan (the primary)?": "Ada's other",
        }
    )
    walk = Walkthrough(knowledge, NOW_DT, asker, devices_complete=True)  # type: ignore[arg-type]
    walk.on_answer = lambda: kept.append(len(doc["devices"]))
    assert walk.sections(doc)[3:6] == [
        "Device: Ada's iPhone",
        "Device: Ada's spare",
        "Device: Ada's other",
    ]
    walk.change(doc, "Device: Ada's iPhone")
    assert [(d["label"], d["primary"]) for d in doc["devices"]] == [
        ("Ada's spare", False),
        ("Ada's other", True),
    ]
    assert kept[-1:] == [2]


def test_a_file_that_says_no_caps_is_not_asked_about_caps(knowledge: Knowledge) -> None:
    doc = minimal_doc()
    doc["plan"].update(uncapped=["JP"], max_devices=8)
    asker = ScriptedAsker({})
    walk = Walkthrough(knowledge, NOW_DT, asker, devices_complete=True)  # type: ignore[arg-type]
    walk.skipped = {"trip.return", "plan.pool_gb", "device.imei2", "device.eid"}
    walk.run(doc)
    assert asker.asked == []
