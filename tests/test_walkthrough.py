"""The walk-through: end to end through the real questionary prompts with pipe input,
and the question table through a scripted asker."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from readiness import identifiers, inventory, places, state
from readiness.cli import cli
from readiness.knowledge import Knowledge
from readiness.prompts.asker import Asker, name_check, refusal
from readiness.prompts.walkthrough import Walkthrough

NOW = "2026-11-28T12:00:00Z"
NOW_DT = dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC)
ENTER, CLEAR, UP, DOWN, CTRL_C = "\r", "\x15", "\x1b[A", "\x1b[B", "\x03"

TRIP = [
    "Ada Lovelace" + ENTER,  # traveller
    "Tokyo week" + ENTER,  # trip name
    CLEAR + "Asia/Singapore" + ENTER,  # departure time zone
    "2026-12-10 10:00" + ENTER,  # departure
    "Singapore" + ENTER,  # home
    "Japan" + ENTER,  # first destination
    ENTER,  # no more destinations
    ENTER,  # no return date
]
PLAN = [
    "AlwaySIM" + ENTER,
    "y",  # multi-device
    ENTER,  # "Only some countries"
    "y",  # covers Japan
    ENTER,  # 8 devices
    "n",  # no caps
    ENTER,  # no data pool
]


def device(battery: str = "80", imei: str = "352099001761481") -> list[str]:
    return [
        "iPhone 16 Pro" + ENTER,
        ENTER,  # label: "Ada's iPhone 16 Pro"
        "19.4.1" + ENTER,
        imei + ENTER,
        ENTER,  # no IMEI2
        ENTER,  # no EID
        battery + ENTER,
        ENTER,  # priority: standard
        "y",  # roaming
        "y",  # Wi-Fi Calling
        "n",  # no more devices
    ]


CHECKLIST = [
    "y",  # same Wi-Fi
    "y",  # offline maps
    "y",  # network preference
    ENTER,  # profiles backed up: yes
    "y",  # airplane-mode schedules (Singapore -> Japan crosses an offset)
]


def sign_off(save_as: Path | None = None, *, keep_devices: bool = False) -> list[str]:
    keys = [ENTER, "y", ENTER]  # sign off, confirm the statement, sign as the traveller
    keys.append("y" if keep_devices else "n")  # save typed devices to the inventory?
    if save_as is None:
        return [*keys, "n"]
    return [*keys, "y", CLEAR + str(save_as) + ENTER]


@pytest.fixture
def said() -> list[str]:
    return []


def run(keys: list[str], args: list[str], said: list[str]) -> Result:
    """Run `readiness check` with the given keystrokes typed ahead into the prompts.

    The pipe is closed after the last key, so a prompt the test did not expect
    ends the run (no terminal, exit 2) instead of waiting forever.
    """
    with create_pipe_input() as pipe:
        pipe.send_text("".join(keys))
        pipe.close()
        asker = Asker(input=pipe, output=DummyOutput(), say=said.append)
        return CliRunner().invoke(cli, ["check", "--now", NOW, *args], obj={"asker": asker})


@pytest.fixture
def chdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def report_checks(path: Path) -> list[dict[str, str]]:
    return tomllib.loads(path.read_text(encoding="utf-8"))["checks"]


def test_happy_path_gives_the_same_results_as_the_answers_file(
    chdir: Path, said: list[str], readiness_home: Path
):
    saved = chdir / "answers.toml"
    result = run(
        [*TRIP, *PLAN, *device(), *CHECKLIST, *sign_off(saved)], ["--report", "walked.toml"], said
    )
    assert result.exit_code == 0, result.output
    assert "Report written to walked.toml (signed by Ada Lovelace)." in result.output
    assert "  ✓ iPhone 15 Pro and newer: Full eSIM support." in said

    again = CliRunner().invoke(
        cli,
        [
            "check",
            "--answers",
            str(saved),
            "--no-input",
            "--now",
            NOW,
            "--report",
            "from-file.toml",
        ],
    )
    assert again.exit_code == 0, again.output
    assert report_checks(chdir / "walked.toml") == report_checks(chdir / "from-file.toml")
    answers = tomllib.loads((chdir / "walked.toml").read_text(encoding="utf-8"))["answers"]
    assert answers["trip"]["destinations"] == ["JP"]
    assert answers["devices"][0]["primary"] is True
    assert not state.draft_path(readiness_home).exists()


def test_an_invalid_imei_is_refused_with_the_reason_then_corrected(chdir: Path, said: list[str]):
    validate = refusal(identifiers.validate_imei)
    assert validate("352099001761482") == (
        "check digit is wrong (expected 1); look for a mistyped digit"
    )
    assert validate("352099001761481") is True
    # Typed wrong, refused at the prompt, fixed with backspace: the walk-through goes on.
    typo = "352099001761482" + ENTER + "\x7f" + "1"
    result = run(
        [*TRIP, *PLAN, *device(imei=typo), *CHECKLIST, *sign_off()], ["--report", "r.toml"], said
    )
    assert result.exit_code == 0, result.output
    answers = tomllib.loads((chdir / "r.toml").read_text(encoding="utf-8"))["answers"]
    assert answers["devices"][0]["imei"] == "352099001761481"


def test_names_typed_at_a_prompt_are_held_to_the_loader_s_one_line_rule():
    needed, optional = name_check("give it a label"), name_check(None)
    assert needed("Ada's iPhone ✈") is True
    assert needed("  ") == "give it a label"
    assert optional("") is True
    for pasted in ("Ada\tiPhone", "Ada\x85iPhone", "Ada\x1b[2J", "Ada\u2028iPhone"):
        assert (
            needed(pasted)
            == optional(pasted)
            == "must be one line of text with no hidden characters"
        )


def test_an_unknown_country_is_refused_with_a_suggestion(chdir: Path, said: list[str]):
    validate = refusal(places.resolve_country)
    assert validate("Japn") == "unknown country 'Japn'; did you mean Japan (JP)?"
    trip = list(TRIP)
    trip[5] = "Japn" + ENTER + CLEAR + "Japan" + ENTER
    result = run([*trip, *PLAN, *device(), *CHECKLIST, *sign_off()], ["--report", "r.toml"], said)
    assert result.exit_code == 0, result.output
    answers = tomllib.loads((chdir / "r.toml").read_text(encoding="utf-8"))["answers"]
    assert answers["trip"]["destinations"] == ["JP"]


def test_ctrl_c_keeps_a_draft_that_resume_completes(
    chdir: Path, said: list[str], readiness_home: Path
):
    result = run([*TRIP, *PLAN[:3], CTRL_C], ["--report", "r.toml"], said)
    assert result.exit_code == 130
    assert "continue with `readiness check --resume`" in result.output
    draft = tomllib.loads(state.draft_path(readiness_home).read_text(encoding="utf-8"))
    assert draft["answers"]["trip"]["name"] == "Tokyo week"
    assert draft["answers"]["plan"]["provider"] == "AlwaySIM"
    assert "coverage" not in draft["answers"]["plan"]
    assert (state.draft_path(readiness_home).stat().st_mode & 0o777) == 0o600
    assert not (chdir / "r.toml").exists()

    # The resumed run asks only what is missing: from the coverage question on.
    resumed = run(
        [ENTER, "y", ENTER, "n", ENTER, *device(), *CHECKLIST, *sign_off()],
        ["--resume", "--report", "r.toml"],
        said,
    )
    assert resumed.exit_code == 0, resumed.output
    answers = tomllib.loads((chdir / "r.toml").read_text(encoding="utf-8"))["answers"]
    assert answers["trip"]["name"] == "Tokyo week"
    assert answers["plan"]["coverage"] == ["JP"]
    assert not state.draft_path(readiness_home).exists()


def test_resume_without_a_draft_is_an_input_error(chdir: Path, said: list[str]):
    result = run([], ["--resume"], said)
    assert result.exit_code == 2
    assert "no draft to resume" in result.output


def test_fixing_a_failing_battery_and_evaluating_again(chdir: Path, said: list[str]):
    change_battery = [
        DOWN + ENTER,  # What next? -> Change an answer
        DOWN * 3 + ENTER,  # Which part? -> Device: Ada's iPhone 16 Pro
        DOWN * 6 + ENTER,  # Which answer? -> Battery level (model, label, OS, IMEI, IMEI2, EID)
        CLEAR + "75" + ENTER,
    ]
    result = run(
        [*TRIP, *PLAN, *device(battery="12"), *CHECKLIST, *change_battery, *sign_off()],
        ["--report", "r.toml"],
        said,
    )
    assert result.exit_code == 0, result.output
    assert "✗ battery" in result.output
    assert "Battery at 12 %; setup needs at least 20 %." in result.output
    assert "  ! Below 20 %: charge it before setting up the plan." in said
    battery = [c for c in report_checks(chdir / "r.toml") if c["id"] == "battery"]
    assert battery == [
        {
            "id": "battery",
            "status": "pass",
            "subject": "Ada's iPhone 16 Pro",
            "message": "Battery at 75 %.",
            "fix": "",
        }
    ]


def test_a_partial_answers_file_asks_only_what_it_lacks(chdir: Path, said: list[str]):
    partial = chdir / "partial.toml"
    partial.write_text(
        'schema = 1\n[traveler]\nname = "Ada Lovelace"\n'
        '[trip]\nname = "Tokyo week"\ndeparture = 2026-12-10T10:00:00+08:00\n'
        'home = "SG"\ndestinations = ["Japan"]\n'
        '[plan]\nprovider = "AlwaySIM"\nmulti_device = true\ncoverage = ["*"]\nmax_devices = 8\n'
        "[checklist]\nsame_wifi = true\noffline_maps = true\nnetwork_preference = true\n"
        'profiles_backed_up = "n/a"\nairplane_schedule = true\n',
        encoding="utf-8",
    )
    keys = [ENTER, "n", ENTER, *device(), *sign_off()]  # return, caps, pool, one device
    result = run(keys, ["--answers", str(partial), "--report", "r.toml"], said)
    assert result.exit_code == 0, result.output
    answers = tomllib.loads((chdir / "r.toml").read_text(encoding="utf-8"))["answers"]
    assert answers["plan"]["coverage"] == ["*"]
    assert answers["devices"][0]["model"] == "iPhone 16 Pro"


def test_a_wrong_value_in_a_partial_file_is_an_input_error(chdir: Path, said: list[str]):
    partial = chdir / "partial.toml"
    partial.write_text('[trip]\nname = "X"\nhome = "Atlantis"\n', encoding="utf-8")
    result = run([], ["--answers", str(partial)], said)
    assert result.exit_code == 2
    assert (
        "error: " + str(partial) + ": trip.home (line 3): unknown country 'Atlantis'; "
        "use an ISO code such as JP or an English name"
    ) in result.output


def test_without_a_terminal_and_without_answers_it_refuses_at_once(tmp_path: Path):
    done = subprocess.run(
        [sys.executable, "-m", "readiness", "check"],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "error: no terminal to ask questions on; run `readiness check --answers FILE "
        "--no-input` (examples/answers.toml shows every key)"
    )
    assert "Traceback" not in done.stderr


def test_typed_devices_are_saved_to_the_inventory_and_offered_next_time(
    chdir: Path, said: list[str], readiness_home: Path
):
    first = run(
        [*TRIP, *PLAN, *device(), *CHECKLIST, *sign_off(keep_devices=True)],
        ["--report", "one.toml"],
        said,
    )
    assert first.exit_code == 0, first.output
    assert "Saved Ada's iPhone 16 Pro to the inventory." in first.output
    book = inventory.load(readiness_home)
    assert [(e.label, e.imei, e.owner) for e in book] == [
        ("Ada's iPhone 16 Pro", "352099001761481", "Ada Lovelace")
    ]

    # Next trip: pick the saved phone (space, enter); only what changes is asked.
    picked = [
        " " + ENTER,  # the checkbox: pick the one saved device
        "19.4.1" + ENTER,
        ENTER,
        ENTER,  # OS version, IMEI2, EID (IMEI came from the inventory)
        "90" + ENTER,
        ENTER,
        "y",
        "y",  # battery, priority, roaming, Wi-Fi Calling
        "n",  # no more devices
    ]
    second = run([*TRIP, *PLAN, *picked, *CHECKLIST, *sign_off()], ["--report", "two.toml"], said)
    assert second.exit_code == 0, second.output
    assert "  Ada's iPhone 16 Pro: iPhone 16 Pro" in said
    report = tomllib.loads((chdir / "two.toml").read_text(encoding="utf-8"))
    [phone] = report["answers"]["devices"]
    assert phone["imei"] == "352099001761481"
    assert phone["inventory"] == "Ada's iPhone 16 Pro"
    assert phone["battery"] == 90


def test_an_answers_file_may_name_an_inventory_entry(chdir: Path, readiness_home: Path):
    inventory.add(
        readiness_home,
        inventory.new_entry(
            label="Work phone", model="Google Pixel 9", imei="352099001761481", now=NOW_DT
        ),
    )
    answers = chdir / "answers.toml"
    text = (Path(__file__).parent / "fixtures" / "solo.toml").read_text(encoding="utf-8")
    text = text.replace(
        'label = "Grace\'s Pixel"\nmodel = "Google Pixel 9"\n'
        'os_version = "Android 16"\nimei = "352099001761481"\n',
        'inventory = "Work phone"\nos_version = "Android 16"\n',
    )
    answers.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["check", "--answers", str(answers), "--no-input", "--now", NOW, "--report", "r.toml"]
    )
    assert result.exit_code == 1, result.output  # the fixture's battery is low
    [phone] = tomllib.loads((chdir / "r.toml").read_text(encoding="utf-8"))["answers"]["devices"]
    assert (phone["label"], phone["model"], phone["imei"]) == (
        "Work phone",
        "Google Pixel 9",
        "352099001761481",
    )

    answers.write_text(text.replace('"Work phone"', '"Work phon"'), encoding="utf-8")
    missing = CliRunner().invoke(
        cli, ["check", "--answers", str(answers), "--no-input", "--now", NOW, "--report", "r2.toml"]
    )
    assert missing.exit_code == 2
    assert missing.output.strip() == (
        f'error: {answers}: devices[1].inventory: no device "Work phon" in the inventory; '
        "did you mean Work phone?"
    )


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


def test_the_saved_answers_file_checked_again_asks_nothing(chdir: Path, said: list[str]) -> None:
    saved = chdir / "answers.toml"
    first = run(
        [*TRIP, *PLAN, *device(), *CHECKLIST, *sign_off(saved)], ["--report", "one.toml"], said
    )
    assert first.exit_code == 0, first.output
    written = tomllib.loads(saved.read_text(encoding="utf-8"))
    [phone] = written["devices"]
    assert (phone["imei2"], phone["eid"], phone["priority"]) == ("", "", "standard")
    assert written["plan"]["uncapped"] == ["JP"]
    # Only the review and the sign-off: a question would meet the closed pipe and stop.
    again = run(sign_off(), ["--answers", str(saved), "--report", "two.toml"], said)
    assert again.exit_code == 0, again.output
    assert report_checks(chdir / "one.toml") == report_checks(chdir / "two.toml")


def test_a_file_that_says_no_caps_is_not_asked_about_caps(knowledge: Knowledge) -> None:
    doc = minimal_doc()
    doc["plan"].update(uncapped=["JP"], max_devices=8)
    asker = ScriptedAsker({})
    walk = Walkthrough(knowledge, NOW_DT, asker, devices_complete=True)  # type: ignore[arg-type]
    walk.skipped = {"trip.return", "plan.pool_gb", "device.imei2", "device.eid"}
    walk.run(doc)
    assert asker.asked == []
