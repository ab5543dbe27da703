"""readiness.detect against fake ``adb``, ``idevice_id`` and ``ideviceinfo`` programs.

Each test writes small Python scripts named like the real programs into a
temporary folder, puts that folder on PATH and runs the real ``detect_all``: the
scripts print the recorded outputs in ``tests/fixtures/detect/`` for the argv
they are given (and fail loudly for any other argv, so the tests also pin what
is asked). Where the fixtures' formats come from:

- ``adb devices -l``: adb's ``append_transport`` (AOSP packages/modules/adb,
  transport.cpp): ``"%-22s %s"`` serial and state, then ``usb:``, ``product:``,
  ``model:`` (non-alphanumerics as ``_``), ``device:``, ``transport_id:``; states from
  ``to_string(ConnectionState)``; the "no permissions (...); see [URL]" text from
  ``UsbNoPermissionsShortHelpText`` (diagnose_usb.cpp).
- ``getprop``: ``[key]: [value]`` lines, as printed by toolbox getprop.
- ``dumpsys battery``: ``BatteryService.dumpInternal`` (frameworks/base,
  services/core/java/com/android/server/BatteryService.java): "Current Battery
  Service state:" then two-space-indented ``key: value`` lines, ``level`` and ``scale``.
- ``pm list features``: ``feature:NAME`` / ``feature:NAME=VERSION`` lines.
- ``service call iphonesubinfo 1``: ``Parcel::print`` through ``printHexData``
  (frameworks/native libbinder Debug.cpp), 16 bytes a line, each 32-bit word
  printed most significant byte first; the layout was checked against the
  recorded sample in Chromium catapult's devil/android/device_utils.py
  (``0x00000000: 00000000 0000000f 00350033 00360033 '........3.5.3.6.'``). The
  refusal is a Parcel exception (code -1, SecurityException) whose message is
  TelephonyPermissions' "...: The user 2000 does not meet the requirements to
  access device identifiers."; ``s16 com.android.shell`` as in micro5k's
  utils/device-info.sh.
- ``cmd phone get-imei N``: "Device IMEI: <imei>", and "Device IMEI: Permission
  denied." on user builds (TelephonyShellCommand; parsed the same way by AOSP
  keystore2's test_utils, which takes the last word and treats "null" as none).
- ``idevice_id -l``: one UDID a line; "ERROR: Unable to retrieve device list!"
  when usbmuxd is not running.
- ``ideviceinfo``: ``Key: value`` lines (libplist's LIMD format, nested values
  indented); errors "ERROR: Could not connect to lockdownd: %s (%d)" with
  ``lockdownd_strerror`` texts ("Password protected (-17)", "Pairing dialog
  response pending (-19)", "Invalid HostID (-21)"), and the older "Could not
  connect to lockdownd, error code -19" (libimobiledevice tools/ideviceinfo.c,
  include/libimobiledevice/lockdown.h; palera1n's troubleshooting page quotes them).
- ``netsh mbn show interfaces``: a recorded output quoted in a public forum
  thread (Sierra Wireless EM7455); its "Device Id" line is the IMEI.

Serial numbers, UDIDs and IMEIs are replaced by example values (the IMEIs pass
the Luhn check); the layouts are as recorded.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from readiness import versions
from readiness.detect import (
    NOTHING_CONNECTED,
    DetectedDevice,
    Detection,
    apple,
    describe_os,
    detect_all,
)
from readiness.detect.safe import clean
from readiness.identifiers import validate_imei

FIXTURES = Path(__file__).parent / "fixtures" / "detect"

PIXEL = "37281FDJH00ABC"
GALAXY = "R5CX20ABCDE"
XIAOMI = "9A281FDJH00XYZ"
IPHONE = "00008130-001A2B3C4D5E6F7A"
IPAD = "00008132-000C1D2E3F405162"

ADB_MISSING = (
    "adb is not installed (or not on PATH), so Android phones and tablets were not looked for; "
    "it comes with Android SDK Platform-Tools"
)
IDEVICE_ID_MISSING = (
    "idevice_id is not installed (or not on PATH), so iPhones and iPads were not looked for; "
    "it comes with libimobiledevice"
)

FAKE = """\
import json, os, subprocess, sys
name = os.path.splitext(os.path.basename(sys.argv[0]))[0]
with open(os.environ["DETECT_SCENARIO"], encoding="utf-8") as f:
    answers = json.load(f).get(name, {})
key = " ".join(sys.argv[1:])
answer = answers.get(key)
if answer is None:
    sys.stderr.write(f"fake {name}: nothing recorded for '{key}'\\n")
    sys.exit(99)
if answer.get("hang"):
    # A child holding the pipe, as a shell script's `sleep` would; its pid for the test.
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    with open(os.environ["DETECT_SCENARIO"] + ".pid", "w", encoding="utf-8") as f:
        f.write(str(child.pid))
    child.wait()
def text(which):
    if which + "_file" in answer:
        with open(answer[which + "_file"], encoding="utf-8") as f:
            return f.read()
    return answer.get(which, "")
sys.stdout.write(text("stdout"))
sys.stderr.write(text("stderr"))
sys.exit(answer.get("exit", 0))
"""

Answer = Mapping[str, Any]


def out(name: str) -> Answer:
    """A recorded output printed on stdout, exit 0."""
    return {"stdout_file": str(FIXTURES / name)}


def err(name: str, code: int = 1) -> Answer:
    """A recorded error message printed on stderr, with a failing status."""
    return {"stderr_file": str(FIXTURES / name), "exit": code}


def text(stdout: str) -> Answer:
    return {"stdout": stdout}


HANG: Answer = {"hang": True}


@pytest.fixture
def fake_tools(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[[dict[str, dict[str, Answer]]], None]:
    """Install fake programs answering from a scenario: {program: {argv: answer}}."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", str(bin_dir))

    def install(scenario: dict[str, dict[str, Answer]]) -> None:
        scenario_file = tmp_path / "scenario.json"
        scenario_file.write_text(json.dumps(scenario), encoding="utf-8")
        monkeypatch.setenv("DETECT_SCENARIO", str(scenario_file))
        for program in scenario:
            script = bin_dir / program
            script.write_text(f"#!{sys.executable}\n{FAKE}", encoding="utf-8")
            script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
            if sys.platform == "win32":
                (bin_dir / f"{program}.cmd").write_text(
                    f'@"{sys.executable}" "%~dp0{program}" %*\n', encoding="utf-8"
                )

    return install


def adb_device(serial: str, **answers: Answer) -> dict[str, Answer]:
    """The answers one Android device gives to what detection asks it."""
    names = {
        "getprop": "getprop",
        "battery": "dumpsys battery",
        "features": "pm list features",
        "roaming": "settings get global data_roaming",
        "imei": "service call iphonesubinfo 1 s16 com.android.shell",
        "imei_cmd_0": "cmd phone get-imei 0",
        "imei_cmd_1": "cmd phone get-imei 1",
    }
    return {f"-s {serial} shell {names[key]}": answer for key, answer in answers.items()}


def pixel_8(**changes: Answer) -> dict[str, Answer]:
    answers: dict[str, Answer] = {
        "getprop": out("getprop_pixel8.txt"),
        "battery": out("dumpsys_battery_85.txt"),
        "features": out("pm_features_euicc.txt"),
        "roaming": text("1\n"),
        "imei": out("iphonesubinfo_imei.txt"),
    }
    return adb_device(PIXEL, **{**answers, **changes})


def galaxy_s24(**changes: Answer) -> dict[str, Answer]:
    answers: dict[str, Answer] = {
        "getprop": out("getprop_galaxy_s24.txt"),
        "battery": out("dumpsys_battery_scaled.txt"),
        "features": out("pm_features_euicc.txt"),
        "roaming": text("0\n"),
        "imei": out("iphonesubinfo_null.txt"),
        "imei_cmd_0": out("cmd_phone_get_imei_0.txt"),
        "imei_cmd_1": out("cmd_phone_get_imei_1.txt"),
    }
    return adb_device(GALAXY, **{**answers, **changes})


NO_APPLE: dict[str, dict[str, Answer]] = {
    "idevice_id": {"-l": text("")},
    "ideviceinfo": {},
}
NO_ANDROID: dict[str, dict[str, Answer]] = {
    "adb": {"devices -l": out("adb_devices_empty.txt")},
}


def assert_ended(pid_file: Path) -> None:
    """The hanging program's own child was ended with it (it ran in the program's group)."""
    if sys.platform == "win32":
        return
    pid = int(pid_file.read_text(encoding="utf-8"))
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        # Killed but not yet reaped (an orphan waits for PID 1, which some containers never do).
        with contextlib.suppress(OSError):
            stat_line = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
            if stat_line.rsplit(")", 1)[-1].split()[0] in ("Z", "X"):
                return
        time.sleep(0.05)
    pytest.fail(f"the grandchild {pid} is still running")


def phones(detection: Detection) -> list[DetectedDevice]:
    """The devices found over USB (this computer is always first, whatever machine runs this)."""
    assert detection.devices[0].source == "this computer"
    return list(detection.devices[1:])


# --- Android -------------------------------------------------------------------------------


def test_two_android_phones_at_once(fake_tools: Callable[..., None]) -> None:
    fake_tools(
        {"adb": {"devices -l": out("adb_devices_two.txt"), **pixel_8(), **galaxy_s24()}, **NO_APPLE}
    )
    detection = detect_all(timeout=10)
    assert phones(detection) == [
        DetectedDevice(
            source=f"adb:{PIXEL}",
            kind="phone",
            model="Pixel 8",
            os="android",
            os_version="16",
            battery=85,
            imei="356938035643809",
            esim=True,
            roaming=True,
        ),
        DetectedDevice(
            source=f"adb:{GALAXY}",
            kind="phone",
            model="SM-S921B",
            os="android",
            os_version="15",
            battery=82,  # level 41 on a scale of 50
            imei="490154203237518",
            imei2="352099001761481",
            esim=True,
            roaming=False,
        ),
    ]
    assert detection.notes == ()
    assert describe_os(phones(detection)[0]) == "Android 16"


def test_a_refused_imei_says_so_and_asks_to_dial(fake_tools: Callable[..., None]) -> None:
    xiaomi = adb_device(
        XIAOMI,
        getprop=out("getprop_xiaomi14.txt"),
        battery=out("dumpsys_battery_85.txt"),
        features=out("pm_features_no_euicc.txt"),
        roaming=text("null\n"),
        imei=out("iphonesubinfo_refused.txt"),
        imei_cmd_0=err("cmd_phone_get_imei_denied.txt", 255),
    )
    fake_tools({"adb": {"devices -l": out("adb_devices_one.txt"), **xiaomi}, **NO_APPLE})
    (device,) = phones(detect_all(timeout=10))
    assert device.model == "Xiaomi 14"  # ro.product.marketname before ro.product.model
    assert (device.imei, device.esim, device.roaming) == ("", False, None)
    assert device.notes == (
        f"Xiaomi 14 (adb:{XIAOMI}): data roaming could not be read (the setting is 'null'); "
        "check it in Settings",
        f"Xiaomi 14 (adb:{XIAOMI}): it does not allow reading the IMEI over USB; "
        "dial *#06# on it to see the IMEI",
    )


def test_cmd_phone_get_imei_gives_both_imeis(fake_tools: Callable[..., None]) -> None:
    fake_tools({"adb": {"devices -l": out("adb_devices_two.txt"), **pixel_8(), **galaxy_s24()}})
    galaxy = phones(detect_all(timeout=10))[1]
    assert (galaxy.imei, galaxy.imei2) == ("490154203237518", "352099001761481")
    assert galaxy.notes == ()


def test_devices_adb_cannot_read_get_a_hint_each(fake_tools: Callable[..., None]) -> None:
    fake_tools({"adb": {"devices -l": out("adb_devices_states.txt")}, **NO_APPLE})
    detection = detect_all(timeout=10)
    assert phones(detection) == []
    assert detection.notes == (
        "Android device (adb:0A1B2C3D4E5F): USB debugging is not allowed for this computer yet; "
        "unlock it and tap Allow on the 'Allow USB debugging?' prompt, then run detect again",
        "Android device (adb:emulator-5554): adb cannot talk to it (offline); unplug it, plug it "
        "back in and run detect again",
        "Android device (adb:ZY22ABCDEF): this computer is not allowed to open it over USB; on "
        "Linux add a udev rule for it (developer.android.com/studio/run/device)",
        "Pixel 5 (adb:HT7A1B2C3D): it is in recovery mode; start it normally and run detect again",
    )


def test_a_program_that_hangs_costs_one_timeout_and_one_note(
    fake_tools: Callable[..., None],
) -> None:
    fake_tools(
        {
            "adb": {
                "devices -l": out("adb_devices_two.txt"),
                **pixel_8(battery=HANG),
                **galaxy_s24(),
            },
            **NO_APPLE,
        }
    )
    started = time.monotonic()
    detection = detect_all(timeout=1)
    assert time.monotonic() - started < 20  # not 60 s
    assert_ended(Path(os.environ["DETECT_SCENARIO"] + ".pid"))
    pixel, galaxy = phones(detection)
    assert (pixel.model, pixel.os_version, pixel.battery, pixel.imei) == ("Pixel 8", "16", None, "")
    assert pixel.notes == (
        f"Pixel 8 (adb:{PIXEL}): could not read battery, eSIM support, data roaming and IMEI: "
        "adb did not answer within 1 s",
    )
    assert (galaxy.battery, galaxy.imei, galaxy.notes) == (82, "490154203237518", ())


def test_a_device_unplugged_while_read_keeps_what_was_read(
    fake_tools: Callable[..., None],
) -> None:
    gone = err("adb_device_not_found.txt")
    fake_tools(
        {
            "adb": {
                "devices -l": out("adb_devices_two.txt"),
                **pixel_8(features=gone, roaming=gone, imei=gone),
                **galaxy_s24(),
            },
            **NO_APPLE,
        }
    )
    pixel = phones(detect_all(timeout=10))[0]
    assert (pixel.model, pixel.battery, pixel.esim) == ("Pixel 8", 85, None)
    assert pixel.notes == (
        f"Pixel 8 (adb:{PIXEL}): could not read eSIM support, data roaming and IMEI: it was "
        f"disconnected (adb: error: device '{PIXEL}' not found)",
    )


def test_output_in_an_unexpected_shape_is_a_note_not_a_value(
    fake_tools: Callable[..., None],
) -> None:
    fake_tools(
        {
            "adb": {
                "devices -l": out("adb_devices_two.txt"),
                **pixel_8(
                    battery=text("Can't find service: battery\n"),
                    features=text("Error: java.lang.NullPointerException\n"),
                    imei=text("service: Service iphonesubinfo does not exist\n"),
                    imei_cmd_0=text("Unknown command: get-imei\n"),
                ),
                **galaxy_s24(getprop=text("<html>not properties</html>\n")),
            },
            "idevice_id": {"-l": text(f"{IPHONE}\n")},
            "ideviceinfo": {f"-u {IPHONE}": text("ProductType iPhone16,1 (no colon)\n")},
        }
    )
    detection = detect_all(timeout=10)
    pixel, galaxy = phones(detection)
    assert (pixel.battery, pixel.esim, pixel.imei) == (None, None, "")
    assert pixel.notes == (
        f"Pixel 8 (adb:{PIXEL}): battery level could not be read (dumpsys battery did not print "
        "a level and a scale)",
        f"Pixel 8 (adb:{PIXEL}): eSIM support could not be read: pm list features printed no "
        "features",
        f"Pixel 8 (adb:{PIXEL}): the IMEI could not be read over USB; dial *#06# on it to see "
        "the IMEI",
    )
    assert (galaxy.model, galaxy.os_version) == ("SM S921B", "")  # the model adb listed
    assert galaxy.notes == (
        f"SM S921B (adb:{GALAXY}): model and Android version could not be read: getprop printed "
        "no properties",
    )
    assert detection.notes == (
        f"iPhone or iPad (usb:{IPHONE}): ideviceinfo printed no ProductType",
    )


def test_a_line_adb_does_not_print_is_said_once(fake_tools: Callable[..., None]) -> None:
    fake_tools({"adb": {"devices -l": out("adb_devices_odd.txt")}, **NO_APPLE})
    assert detect_all(timeout=10).notes == (
        "adb devices -l printed a line that is not a device: "
        "'<html><body>captive portal</body></html>'",
        NOTHING_CONNECTED,
    )


def test_a_device_name_cannot_smuggle_terminal_escapes(
    fake_tools: Callable[..., None], tmp_path: Path
) -> None:
    props = tmp_path / "getprop.txt"
    props.write_text(
        "[ro.build.version.release]: [16]\n"
        "[ro.product.marketname]: [\x1b]0;owned\x07Pixel\u202e 8\x1b[2J]\n",
        encoding="utf-8",
    )
    fake_tools(
        {
            "adb": {
                "devices -l": out("adb_devices_two.txt"),
                **pixel_8(getprop={"stdout_file": str(props)}),
                **galaxy_s24(),
            },
            **NO_APPLE,
        }
    )
    assert phones(detect_all(timeout=10))[0].model == "Pixel 8"


# --- iPhone and iPad -------------------------------------------------------------------------


def test_iphone_and_ipad_over_usb(fake_tools: Callable[..., None]) -> None:
    fake_tools(
        {
            **NO_ANDROID,
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
    )
    detection = detect_all(timeout=10)
    assert phones(detection) == [
        DetectedDevice(
            source=f"usb:{IPHONE}",
            kind="phone",
            model="iPhone 15 Pro",
            name="Ada's iPhone",
            os="ios",
            os_version="18.1",
            battery=82,
            imei="356938035643809",
            imei2="358240051111110",
        ),
        DetectedDevice(
            source=f"usb:{IPAD}",
            kind="tablet",
            model="iPad Pro 11-inch (M4) Wi-Fi + Cellular",
            name="Ada's iPad",
            os="ipados",
            os_version="18.1",
            battery=67,
            imei="352099001761481",
        ),
    ]
    assert detection.notes == ()
    assert describe_os(phones(detection)[1]) == "iPadOS 18.1"


def test_locked_unpaired_and_untrusted_iphones_get_a_hint_each(
    fake_tools: Callable[..., None],
) -> None:
    fake_tools(
        {
            **NO_ANDROID,
            "idevice_id": {"-l": out("idevice_id_locked.txt")},
            "ideviceinfo": {
                "-u 00008120-0011223344556677": err("ideviceinfo_invalid_hostid.txt", 255),
                "-u 00008110-0022334455667788": err("ideviceinfo_pairing_pending.txt", 255),
                "-u 00008101-0033445566778899": err("ideviceinfo_password_protected.txt", 255),
                "-u a1b2c3d4e5f60718293a4b5c6d7e8f9012345678": err(
                    "ideviceinfo_old_error_code.txt", 255
                ),
            },
        }
    )
    detection = detect_all(timeout=10)
    assert phones(detection) == []
    assert detection.notes == (
        "iPhone or iPad (usb:00008120-0011223344556677): it is not paired with this computer; "
        "unlock it, plug it in again and tap Trust on its screen (or run `idevicepair pair`), "
        "then run detect again",
        "iPhone or iPad (usb:00008110-0022334455667788): tap Trust on its screen and enter its "
        "passcode, then run detect again",
        "iPhone or iPad (usb:00008101-0033445566778899): it is locked; unlock it with its "
        "passcode, then run detect again",
        "iPhone or iPad (usb:a1b2c3d4e5f60718293a4b5c6d7e8f9012345678): tap Trust on its screen "
        "and enter its passcode, then run detect again",
    )


def test_usbmuxd_not_running(fake_tools: Callable[..., None]) -> None:
    fake_tools(
        {
            **NO_ANDROID,
            "idevice_id": {"-l": err("idevice_id_no_usbmuxd.txt", 255)},
            "ideviceinfo": {},
        }
    )
    assert detect_all(timeout=10).notes == (apple.NO_USBMUXD, NOTHING_CONNECTED)


def test_an_iphone_that_hangs_is_one_note(fake_tools: Callable[..., None]) -> None:
    fake_tools(
        {
            **NO_ANDROID,
            "idevice_id": {"-l": text(f"{IPHONE}\n")},
            "ideviceinfo": {f"-u {IPHONE}": HANG},
        }
    )
    assert detect_all(timeout=1).notes == (
        f"iPhone or iPad (usb:{IPHONE}): it could not be read: ideviceinfo did not answer within "
        "1 s",
    )


# --- nothing there -------------------------------------------------------------------------


def test_nothing_connected(fake_tools: Callable[..., None]) -> None:
    fake_tools({**NO_ANDROID, **NO_APPLE})
    detection = detect_all(timeout=10)
    assert phones(detection) == []
    assert detection.notes == (NOTHING_CONNECTED,)


def test_no_adb_and_no_libimobiledevice(fake_tools: Callable[..., None]) -> None:
    fake_tools({})
    detection = detect_all(timeout=10)
    assert phones(detection) == []
    assert detection.notes == (ADB_MISSING, IDEVICE_ID_MISSING, NOTHING_CONNECTED)
    assert detection.all_notes()[: len(detection.notes)] == detection.notes


# --- this computer ---------------------------------------------------------------------------


def test_this_computer_on_the_machine_running_the_tests() -> None:
    """Whatever this machine is: the shape, and values the project's own parsers accept."""
    device = detect_all(which=lambda name: None, timeout=10).devices[0]
    assert device.source == "this computer"
    assert device.kind in ("laptop", "desktop")
    assert device.os
    assert device.os == device.os.lower()
    if device.os in versions.FAMILIES:
        assert device.os_version, device.notes
        versions.parse_version(device.os_version, device.os)
        assert describe_os(device).startswith(versions.display_name(device.os))
    elif device.os_version:
        versions.parse_version(device.os_version)
    assert device.battery is None or 0 <= device.battery <= 100
    assert device.kind == "laptop" or device.battery is None
    for imei in (device.imei, device.imei2):
        assert imei == "" or validate_imei(imei) == imei
    assert (device.esim, device.roaming) == (None, None)
    for value in (device.model, device.name, *device.notes):
        assert value == clean(value, len(value) + 1)
    assert all(note.startswith("This computer") for note in device.notes)


def test_detect_neither_prints_nor_imports_the_terminal_layer(tmp_path: Path) -> None:
    import subprocess

    code = (
        "import sys, readiness.detect as d\n"
        "d.detect_all(which=lambda name: None, timeout=5)\n"
        "print(sorted(m for m in ('click', 'questionary', 'prompt_toolkit') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)},
        cwd=tmp_path,
    )
    assert (done.stdout, done.stderr) == ("[]\n", "")
