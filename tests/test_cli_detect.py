"""`readiness detect` through CliRunner, against the fake adb/ideviceinfo of test_detect.py."""

from __future__ import annotations

import json
import os
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from test_detect import (  # the fake programs and their recorded outputs
    GALAXY,
    HANG,
    IPAD,
    IPHONE,
    NO_ANDROID,
    NO_APPLE,
    PIXEL,
    XIAOMI,
    adb_device,
    assert_ended,
    err,
    fake_tools,
    galaxy_s24,
    out,
    pixel_8,
    text,
)

from readiness import answers, inventory, schema, versions
from readiness.cli import cli
from readiness.cli.detect import DEFAULT_TIMEOUT
from readiness.detect import DEFAULT_TIMEOUT as CORE_TIMEOUT
from readiness.detect.safe import clean
from readiness.detect.to_answers import phone_readers_installed
from readiness.render.detect import TOML_NONE

__all__ = ["fake_tools"]  # a fixture, used by name

NOW = "2026-11-28T12:00:00Z"
MINIMAL = Path(__file__).parent / "fixtures" / "answers" / "minimal.toml"
TWO_ANDROIDS = {"adb": {"devices -l": out("adb_devices_two.txt"), **pixel_8(), **galaxy_s24()}}
APPLE = {
    "idevice_id": {"-l": out("idevice_id_two.txt")},
    "ideviceinfo": {
        f"-u {IPHONE}": out("ideviceinfo_iphone15pro.txt"),
        f"-u {IPHONE} -q com.apple.mobile.battery -k BatteryCurrentCapacity": out(
            "ideviceinfo_battery_82.txt"
        ),
        f"-u {IPAD}": out("ideviceinfo_ipadpro_m4.txt"),
        f"-u {IPAD} -q com.apple.mobile.battery -k BatteryCurrentCapacity": out(
            "ideviceinfo_battery_67.txt"
        ),
    },
}
XIAOMI_REFUSING = {
    "adb": {
        "devices -l": out("adb_devices_one.txt"),
        **adb_device(
            XIAOMI,
            getprop=out("getprop_xiaomi14.txt"),
            battery=out("dumpsys_battery_85.txt"),
            features=out("pm_features_no_euicc.txt"),
            roaming=text("0\n"),
            imei=out("iphonesubinfo_refused.txt"),
            imei_cmd_0=err("cmd_phone_get_imei_denied.txt", 255),
        ),
    }
}
XIAOMI_IMEI_NOTE = (
    f"Xiaomi 14 (adb:{XIAOMI}): it does not allow reading the IMEI over USB; "
    "dial *#06# on it to see the IMEI"
)


def detect(*args: str) -> Result:
    return CliRunner().invoke(cli, ["detect", "--now", NOW, *args])


def blocks(output: str) -> list[str]:
    """The device blocks after this computer's (which depends on the machine running this)."""
    return output.split("\n\n")[1:]


# --- what is shown ----------------------------------------------------------------------------


def test_text_one_block_a_device(fake_tools: Callable[..., None]) -> None:
    fake_tools({**TWO_ANDROIDS, **NO_APPLE})
    result = detect()
    assert result.exit_code == 0, result.output
    assert blocks(result.stdout) == [
        f"Pixel 8 (adb:{PIXEL})\n"
        "  Kind:           phone\n"
        "  OS:             Android 16\n"
        "  Battery:        85 %\n"
        "  IMEI:           356938035643809\n"
        "  eSIM:           supported\n"
        "  Data roaming:   on\n"
        "  Answers label:  Pixel 8",
        f"SM-S921B (adb:{GALAXY})\n"
        "  Kind:           phone\n"
        "  OS:             Android 15\n"
        "  Battery:        82 %\n"
        "  IMEI:           490154203237518\n"
        "  IMEI 2:         352099001761481\n"
        "  eSIM:           supported\n"
        "  Data roaming:   off\n"
        "  Answers label:  SM-S921B",
        "2 devices read over USB.\n"
        "2 devices can go into an answers file: `readiness detect --format toml`, "
        "or `--save` to the inventory.\n",
    ]


def test_a_refused_imei_is_said_on_stderr_and_shown_as_not_read(
    fake_tools: Callable[..., None],
) -> None:
    fake_tools({**XIAOMI_REFUSING, **NO_APPLE})
    result = detect()
    assert result.exit_code == 0
    assert "  IMEI:           not read\n" in blocks(result.stdout)[0]
    assert XIAOMI_IMEI_NOTE in result.stderr.splitlines()
    assert XIAOMI_IMEI_NOTE not in result.stdout


def test_json_lists_every_device_with_its_answers(fake_tools: Callable[..., None]) -> None:
    fake_tools({**NO_ANDROID, **APPLE})
    result = detect("--format", "json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["notes"] == []
    iphone = body["devices"][1]
    assert iphone == {
        "source": f"usb:{IPHONE}",
        "label": f"iPhone 15 Pro (usb:{IPHONE})",
        "kind": "phone",
        "model": "iPhone 15 Pro",
        "name": "Ada's iPhone",
        "os": "ios",
        "os_version": "18.1",
        "os_name": "iOS 18.1",
        "battery": 82,
        "imei": "356938035643809",
        "imei2": "358240051111110",
        "esim": None,
        "roaming": None,
        "notes": [],
        "answers": {
            "label": "Ada's iPhone",
            "model": "iPhone 15 Pro",
            "os_version": "iOS 18.1",
            "imei": "356938035643809",
            "imei2": "358240051111110",
            "battery": 82,
        },
    }
    assert body["devices"][2]["answers"]["label"] == "Ada's iPad"


def test_toml_is_a_devices_fragment_of_known_keys(fake_tools: Callable[..., None]) -> None:
    fake_tools({**TWO_ANDROIDS, **NO_APPLE})
    result = detect("--format", "toml")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Devices read by `readiness detect`")
    devices = tomllib.loads(result.stdout)["devices"]
    known = {key.key for key in schema.section("device")}
    assert all(set(device) <= known for device in devices)
    assert devices == [
        {
            "label": "Pixel 8",
            "model": "Pixel 8",
            "os_version": "Android 16",
            "imei": "356938035643809",
            "battery": 85,
            "roaming_authorized": True,
        },
        {
            "label": "SM-S921B",
            "model": "SM-S921B",
            "os_version": "Android 15",
            "imei": "490154203237518",
            "imei2": "352099001761481",
            "battery": 82,
            "roaming_authorized": False,
        },
    ]


def test_the_toml_fragment_pasted_into_an_answers_file_loads(
    fake_tools: Callable[..., None], tmp_path: Path
) -> None:
    fake_tools({**TWO_ANDROIDS, **APPLE})
    fragment = detect("--format", "toml").stdout
    head, _, _ = MINIMAL.read_text(encoding="utf-8").partition("[[devices]]")
    head = head.replace("[checklist]", "")  # tables after the devices move above them
    _, _, checklist = MINIMAL.read_text(encoding="utf-8").partition("[checklist]")
    path = tmp_path / "answers.toml"
    path.write_text(f"{head}[checklist]{checklist}\n{fragment}", encoding="utf-8")
    loaded = answers.load(path)
    assert [d.label for d in loaded.devices] == [
        "Pixel 8",
        "SM-S921B",
        "Ada's iPhone",
        "Ada's iPad",
    ]
    assert loaded.devices[2].os_version == "iOS 18.1"
    assert loaded.devices[1].imei2 == "352099001761481"


def test_devices_with_the_same_model_get_labels_of_their_own(
    fake_tools: Callable[..., None],
) -> None:
    twin = adb_device(
        GALAXY,
        getprop=out("getprop_pixel8.txt"),
        battery=out("dumpsys_battery_85.txt"),
        features=out("pm_features_euicc.txt"),
        roaming=text("1\n"),
        imei=out("iphonesubinfo_null.txt"),
        imei_cmd_0=out("cmd_phone_get_imei_0.txt"),
    )
    fake_tools({"adb": {"devices -l": out("adb_devices_two.txt"), **pixel_8(), **twin}})
    devices = tomllib.loads(detect("--format", "toml").stdout)["devices"]
    assert [d["label"] for d in devices] == ["Pixel 8", "Pixel 8 2"]


# --- --save -----------------------------------------------------------------------------------


def test_save_adds_the_devices_then_refuses_them_as_duplicates(
    fake_tools: Callable[..., None], readiness_home: Path
) -> None:
    fake_tools({**TWO_ANDROIDS, **NO_APPLE})
    first = detect("--save")
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines()[-2:] == [
        'Added "Pixel 8" (Pixel 8, IMEI •••••••••••3809) to the inventory.',
        'Added "SM-S921B" (SM-S921B, IMEI •••••••••••7518) to the inventory.',
    ]
    saved = inventory.load(readiness_home)
    assert [(e.label, e.imei, e.imei2) for e in saved] == [
        ("Pixel 8", "356938035643809", ""),
        ("SM-S921B", "490154203237518", "352099001761481"),
    ]
    again = detect("--save")
    assert again.exit_code == 2
    assert again.stderr.splitlines()[-2:] == [
        f'error: detect --save: Pixel 8 (adb:{PIXEL}): not saved: label "Pixel 8" is already '
        'used (Pixel 8, IMEI ending 3809); IMEI 356938035643809 is already on "Pixel 8"',
        f'error: detect --save: SM-S921B (adb:{GALAXY}): not saved: label "SM-S921B" is already '
        'used (SM-S921B, IMEI ending 7518); IMEI 490154203237518 is already on "SM-S921B"; '
        'IMEI2 352099001761481 is already on "SM-S921B" as its IMEI2',
    ]
    assert inventory.load(readiness_home).entries == saved.entries


def test_save_says_why_a_device_without_an_imei_is_not_saved(
    fake_tools: Callable[..., None], readiness_home: Path
) -> None:
    fake_tools({**XIAOMI_REFUSING, **NO_APPLE})
    result = detect("--save", "--format", "json")
    assert result.exit_code == 2
    json.loads(result.stdout)  # the JSON stays whole; what was saved goes to stderr
    assert result.stderr.splitlines()[-1] == (
        f"error: detect --save: Xiaomi 14 (adb:{XIAOMI}): not saved: "
        "no IMEI given; dial *#06# on the device to see it"
    )
    assert len(inventory.load(readiness_home)) == 0


# --- nothing there, a hang, bad options -------------------------------------------------------


def test_nothing_connected_and_no_battery_says_so_and_exits_0(
    fake_tools: Callable[..., None],
) -> None:
    fake_tools({**NO_ANDROID, **NO_APPLE})
    result = detect()
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == (
        "Nothing is connected over USB: only this computer was read."
    )
    assert "No phone or tablet was found over USB." in result.stderr.splitlines()
    toml = detect("--format", "toml")
    assert toml.exit_code == 0
    assert (
        toml.stdout
        == TOML_NONE
        == "# `readiness detect` read no device that an answers file can hold.\n"
    )


def test_a_hanging_program_costs_the_timeout_and_one_note(
    fake_tools: Callable[..., None],
) -> None:
    fake_tools(
        {
            **NO_ANDROID,
            "idevice_id": {"-l": text(f"{IPHONE}\n")},
            "ideviceinfo": {f"-u {IPHONE}": HANG},
        }
    )
    started = time.monotonic()
    result = detect("--timeout", "1")
    assert time.monotonic() - started < 20
    assert_ended(Path(os.environ["DETECT_SCENARIO"] + ".pid"))
    assert result.exit_code == 0
    assert (
        f"iPhone or iPad (usb:{IPHONE}): it could not be read: ideviceinfo did not answer "
        "within 1 s"
    ) in result.stderr.splitlines()


@pytest.mark.parametrize("value", ["0", "-1", "soon"])
def test_a_timeout_that_is_not_a_positive_number_is_refused(value: str) -> None:
    result = detect("--timeout", value)
    assert result.exit_code == 2
    assert "Invalid value for '--timeout'" in result.stderr


def test_the_default_timeout_is_detection_s_own() -> None:
    assert DEFAULT_TIMEOUT == CORE_TIMEOUT
    assert "[default: 10.0; x>0]" in CliRunner().invoke(cli, ["detect", "--help"]).stdout


# --- this computer ----------------------------------------------------------------------------


def test_this_computer_through_detect_json() -> None:
    """Whatever machine runs this: the shape, and values the schema's parsers accept."""
    result = detect("--format", "json")
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert set(body) == {"devices", "notes"}
    computer = body["devices"][0]
    assert computer["source"] == "this computer"
    assert computer["kind"] in ("laptop", "desktop")
    assert computer["os"]
    assert computer["os"] == computer["os"].lower()
    if computer["os"] in versions.FAMILIES:
        versions.parse_version(computer["os_version"], computer["os"])
    assert computer["battery"] is None or 0 <= computer["battery"] <= 100
    for text_value in (computer["model"], computer["name"], *computer["notes"]):
        assert text_value == clean(text_value, len(text_value) + 1)
    table: dict[str, Any] | None = computer["answers"]
    if table is None:
        assert any("left out of the answers" in note for note in computer["notes"])
        return
    for key, value in table.items():
        typed = ("yes" if value else "no") if isinstance(value, bool) else str(value)
        assert schema.KEYS[f"device.{key}"].parse(typed) == value


def test_the_walk_through_offers_reading_only_with_adb_or_libimobiledevice() -> None:
    assert phone_readers_installed(lambda name: None) is False
    assert phone_readers_installed(lambda name: "/usr/bin/adb" if name == "adb" else None)
    assert phone_readers_installed(lambda name: f"/x/{name}" if name == "idevice_id" else None)
