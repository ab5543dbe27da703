"""readiness.detect's parsers and pieces, on recorded outputs and on made-up edge cases.

The recorded outputs and their sources are listed in ``tests/test_detect.py``'s
docstring; the end-to-end tests with fake programs are there too.
"""

from __future__ import annotations

import shutil
import struct
import sys
from pathlib import Path
from typing import Any

import pytest

from readiness import versions
from readiness.detect import (
    Completed,
    Failed,
    android,
    apple,
    host,
    product_types,
    run_program,
)
from readiness.detect.runner import Outcome
from readiness.detect.safe import clean
from readiness.knowledge import Knowledge

FIXTURES = Path(__file__).parent / "fixtures" / "detect"


def answers_run(answers: dict[str, Outcome]) -> Any:
    """A ``run`` that answers by argv (after the program), and fails for anything else."""

    def run(argv: Any, timeout: float) -> Outcome:
        key = " ".join(list(argv)[1:])
        return answers.get(key, Failed("adb", "exit", "adb exited with status 99", returncode=99))

    return run


def test_a_wear_os_watch_is_not_given_its_android_version() -> None:
    props = (
        "[ro.build.characteristics]: [nosdcard,watch]\n"
        "[ro.build.version.release]: [13]\n"
        "[ro.product.model]: [Galaxy Watch6]\n"
    )
    run = answers_run(
        {
            "-s W1 shell getprop": Completed(props),
            "-s W1 shell dumpsys battery": Completed("  level: 64\n  scale: 100\n"),
            "-s W1 shell pm list features": Completed("feature:android.hardware.type.watch\n"),
            "-s W1 shell settings get global data_roaming": Completed("0\n"),
        }
    )
    watch = android.read_device("/usr/bin/adb", android.AdbEntry("W1", "device"), run, 5)
    assert (watch.kind, watch.os, watch.os_version, watch.battery) == ("watch", "wearos", "", 64)
    assert watch.notes == (
        "Galaxy Watch6 (adb:W1): it runs Wear OS on Android 13; read its Wear OS version in "
        "Settings > System > About",
        "Galaxy Watch6 (adb:W1): it reports no mobile network hardware, so it has no IMEI",
    )


def test_no_battery_is_said() -> None:
    facts = host.PlatformFacts(system="Linux", distro_version="12")
    device = host.read_this_computer(
        shutil.which, run_program, 5, facts=facts, battery_reader=lambda: (None, None)
    )
    assert (device.kind, device.battery) == ("desktop", None)
    assert device.notes == ("This computer: no battery found (a desktop computer has none)",)


@pytest.mark.parametrize(
    ("version", "ubr", "release", "said"),
    [
        ("10.0.22000", 318, "10", "Windows 11 21H2 (build 22000.318)"),
        ("10.0.26100", 2314, "11", "Windows 11 24H2 (build 26100.2314)"),
        ("10.0.22631", None, "10", "Windows 11 23H2 (build 22631)"),
        ("10.0.19045", 5011, "10", "Windows 10 (build 19045.5011)"),
    ],
)
def test_windows_11_is_known_by_its_build_whatever_python_says(
    version: str, ubr: int | None, release: str, said: str, knowledge: Knowledge
) -> None:
    # Before Python 3.12, platform.release() said "10" on Windows 11.
    facts = host.PlatformFacts(system="Windows", release=release, version=version, windows_ubr=ubr)
    family, text, notes = host.os_of(facts, lambda name: None, run_program, 5)
    assert (family, notes) == ("windows", [])
    releases = knowledge.windows_releases
    assert versions.describe(versions.parse_version(text, family), family, releases) == said


def test_macos_version_from_mac_ver() -> None:
    facts = host.PlatformFacts(system="Darwin", mac_version="15.1")
    assert host.os_of(facts, lambda name: None, run_program, 5) == ("macos", "15.1", [])


def test_macos_compatibility_version_is_asked_again() -> None:
    def run(argv: Any, timeout: float) -> Completed:
        assert list(argv) == ["/usr/bin/sw_vers", "-productVersion"]
        return Completed("15.1\n")

    facts = host.PlatformFacts(system="Darwin", mac_version="10.16")
    assert host.os_of(facts, lambda name: f"/usr/bin/{name}", run, 5) == ("macos", "15.1", [])


def test_windows_modem_imei_from_netsh() -> None:
    recorded = (FIXTURES / "netsh_mbn_interfaces.txt").read_text(encoding="utf-8")
    assert host.parse_netsh_mbn(recorded) == ["356938035643809"]
    assert host.parse_netsh_mbn("\nThere is no Mobile Broadband interface.\n") == []

    def run(argv: Any, timeout: float) -> Completed:
        assert list(argv)[1:] == ["mbn", "show", "interfaces"]
        return Completed(recorded)

    facts = host.PlatformFacts(system="Windows", version="10.0.26100", windows_ubr=2314)
    device = host.read_this_computer(
        lambda name: f"C:\\Windows\\System32\\{name}.exe",
        run,
        5,
        facts=facts,
        battery_reader=lambda: (64.6, None),
    )
    assert (device.kind, device.battery, device.imei) == ("laptop", 65, "356938035643809")
    assert (device.os, device.os_version, device.notes) == ("windows", "10.0.26100.2314", ())


def test_without_psutil_the_battery_is_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psutil", None)  # import psutil now raises ImportError
    assert host.psutil_battery() == (None, host.NO_PSUTIL)


def test_catapults_recorded_parcel_decodes() -> None:
    recorded = (
        "Result: Parcel(\n"
        "  0x00000000: 00000000 0000000f 00350033 00360033 '........3.5.3.6.'\n"
        "  0x00000010: 00360032 00370030 00300032 00300039 '2.6.0.7.2.0.9.0.'\n"
        "  0x00000020: 00380033 00000039                   '3.8.9...        ')\n"
    )
    assert android.parse_parcel(recorded) == android.ParcelReply("353626072090389")


def test_parcel_replies() -> None:
    refused = android.parse_parcel((FIXTURES / "iphonesubinfo_refused.txt").read_text())
    assert refused is not None
    assert (refused.exception, refused.value) == (-1, None)
    assert refused.message == (
        "getDeviceId: The user 2000 does not meet the requirements to access device identifiers."
    )
    assert android.parse_parcel("Result: Parcel(00000000 ffffffff   '........')\n") == (
        android.ParcelReply(None)
    )
    for junk in ("", 'Result: Parcel(Error: 0xffffffb6 "Not a data message")', "Parcel(zz)"):
        assert android.parse_parcel(junk) is None
    # A length that runs past the data is not read as a string.
    short = struct.pack("<ii", 0, 400)
    words = " ".join(short[i : i + 4][::-1].hex() for i in (0, 4))
    assert android.parse_parcel(f"Result: Parcel({words}   '........')") is None


def test_adb_devices_lines() -> None:
    entries, odd = android.parse_devices(
        (FIXTURES / "adb_devices_states.txt").read_text()
        + "* daemon not running; starting now at tcp:5037\n"
        + "(no serial number)     device transport_id:9\n"
        + "1A2B3C\tdevice\n"
    )
    assert [(e.serial, e.state, e.model) for e in entries] == [
        ("0A1B2C3D4E5F", "unauthorized", ""),
        ("emulator-5554", "offline", ""),
        ("ZY22ABCDEF", "no permissions", ""),
        ("HT7A1B2C3D", "recovery", "Pixel 5"),
        ("(no serial number)", "device", ""),
        ("1A2B3C", "device", ""),
    ]
    assert odd == []


def test_battery_and_settings_parsers() -> None:
    assert android.parse_battery((FIXTURES / "dumpsys_battery_85.txt").read_text()) == (85, None)
    assert android.parse_battery("  present: false\n  level: 0\n  scale: 100\n") == (
        None,
        "it reports no battery",
    )
    assert android.parse_battery("  level: 5\n  scale: 0\n")[0] is None
    assert android.parse_roaming("1\n") is True
    assert android.parse_roaming("0") is False
    assert android.parse_roaming("null") is None
    assert android.parse_get_imei("Device IMEI: null\n") is None
    assert android.parse_get_imei("Device IMEI: Permission denied.\n") is None
    features = android.parse_features((FIXTURES / "pm_features_euicc.txt").read_text())
    assert features is not None
    assert {android.EUICC_FEATURE, "reqGlEsVersion"} <= features


def test_ideviceinfo_parsers() -> None:
    info = apple.parse_info((FIXTURES / "ideviceinfo_iphone15pro.txt").read_text())
    assert info["ProductType"] == "iPhone16,1"
    assert "auto-boot" not in info  # nested under NonVolatileRAM
    assert apple.parse_capacity("82\n") == 82
    assert apple.parse_capacity("BatteryCurrentCapacity: 55\nBatteryIsCharging: true\n") == 55
    assert apple.parse_capacity("ERROR") is None
    assert apple.parse_udids(" \nnot-a-udid\n") == ([], ["not-a-udid"])
    assert apple.lockdown_hint("ERROR: Could not connect to lockdownd: Mux error (-8)") == (
        "it could not be reached over USB; unplug it and plug it back in"
    )
    assert apple.lockdown_hint("ERROR: Device 0000 not found!") is None


def test_every_product_type_has_a_model_and_a_kind() -> None:
    table = product_types.load_table()
    assert len(table) > 150
    assert product_types.model_name("iPhone17,1") == "iPhone 16 Pro"
    assert product_types.model_name("iPhone99,9") is None
    assert product_types.kind_of("iPad16,3") == "tablet"
    assert product_types.kind_of("Watch7,1") == "watch"
    assert product_types.kind_of("Mac14,2", "MacBook Air (M2, 2022)") == "laptop"
    assert product_types.kind_of("Mac14,3", "Mac mini (M2, 2023)") == "desktop"
    kinds = {product_types.kind_of(key, name) for key, name in table.items()}
    assert kinds == {"phone", "tablet", "watch", "laptop", "desktop"}
    assert all(f"iPhone{n}," in " ".join(table) for n in range(10, 19))
    # One table: the knowledge file's, which model resolution reads too.
    assert not (Path(__file__).parent.parent / "data" / "apple_product_types.toml").exists()


def test_clean_removes_what_a_terminal_would_act_on() -> None:
    assert clean("\x1b]0;title\x07Pixel 8") == "Pixel 8"
    assert clean("\x1b[31mred\x1b[0m \u202eevil") == "red evil"
    assert clean("a\nb\tc\x00d\u2028e") == "a b cd e"
    assert clean("x" * 200, 10) == "xxxxxxxxx…"
    assert clean("\x9b2Jok") == "ok"
    assert clean("Zoë's 👩\u200d💻 laptop") == "Zoë's 👩\u200d💻 laptop"  # an emoji stays whole


def test_runner_failures_are_values_not_exceptions(tmp_path: Path) -> None:
    missing = run_program([str(tmp_path / "adb")], 5)
    assert missing == Failed("adb", "missing", "adb is not installed")
    failing = run_program([sys.executable, "-c", "import sys; sys.exit('boom')"], 10)
    assert isinstance(failing, Failed)
    assert (failing.why, failing.returncode) == ("exit", 1)
    assert failing.message.endswith("exited with status 1: boom")
    done = run_program([sys.executable, "-c", "print('ok\\r')"], 10)
    assert done == Completed("ok\n\n") or done == Completed("ok\n")


# --- versions are read with the knowledge's tables, as the answers loader reads them ---------


def _one_ui_phone(argv: Any, timeout: float) -> Outcome:
    """A Samsung build whose release property says its One UI version, and nothing else."""
    if list(argv)[-1] == "getprop":
        return Completed(
            "[ro.product.model]: [SM-S937N]\n[ro.build.version.release]: [One UI 8.0]\n"
        )
    return Failed("adb", "exit", "not recorded", returncode=1)


def test_a_one_ui_version_is_read_with_the_knowledge(knowledge: Knowledge) -> None:
    from readiness.detect import describe_os
    from readiness.detect.to_answers import to_answers_device

    entry = android.AdbEntry("R5CX20ABCDE", "device")
    device = android.read_device("adb", entry, _one_ui_phone, 5, knowledge)
    assert device.os_version == "One UI 8.0"
    assert not [n for n in device.notes if "version" in n]
    assert describe_os(device, knowledge) == "Android 16"
    table = to_answers_device(device, tables=knowledge).table
    assert knowledge.parse_version(table["os_version"], "android") == versions.parse_version("16")
    bare = android.read_device("adb", entry, _one_ui_phone, 5)  # no tables: One UI unknown
    assert bare.os_version == ""
    assert any("unknown One UI version 8.0" in note for note in bare.notes)


def test_a_windows_release_name_is_read_with_the_knowledge(knowledge: Knowledge) -> None:
    from readiness.detect.results import checked_version

    assert checked_version("Windows 11 24H2", "windows", "This computer", knowledge) == (
        "Windows 11 24H2",
        None,
    )
    text, problem = checked_version("Windows 11 24H2", "windows", "This computer")
    assert text == ""
    assert problem is not None
    assert problem.startswith("This computer: its Windows version")
