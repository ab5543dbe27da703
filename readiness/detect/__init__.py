"""Read model, OS version, battery and IMEI from this computer and from devices on USB.

Typing fifteen-digit IMEIs and version numbers is where the walk-through's
mistakes come from; the devices already know them. ``detect_all`` asks this
computer, Android devices through ``adb`` and iPhones/iPads through
libimobiledevice, and returns what it found with a note for everything it could
not read. It never raises for a device's trouble, never prints and never asks:
the CLI and the walk-through decide what to show.

>>> detection = detect_all()                            # doctest: +SKIP
>>> [d.label for d in detection.devices]                # doctest: +SKIP
['This computer (ThinkPad X1 Carbon Gen 11)', 'Pixel 8 (adb:37281FDJH00ABC)']
"""

from __future__ import annotations

import shutil
from collections.abc import Callable

from readiness import versions
from readiness.detect.android import read_android
from readiness.detect.apple import read_apple
from readiness.detect.host import read_this_computer
from readiness.detect.results import (
    NO_TABLES,
    THIS_COMPUTER,
    DetectedDevice,
    Detection,
    VersionTables,
)
from readiness.detect.runner import Completed, Failed, Outcome, Run, Which, run_program
from readiness.detect.safe import clean
from readiness.errors import InvalidValue

__all__ = [
    "DEFAULT_TIMEOUT",
    "NOTHING_CONNECTED",
    "Completed",
    "DetectedDevice",
    "Detection",
    "Failed",
    "Outcome",
    "Run",
    "VersionTables",
    "Which",
    "clean",
    "describe_os",
    "detect_all",
    "run_program",
]

DEFAULT_TIMEOUT = 10.0
NOTHING_CONNECTED = "No phone or tablet was found over USB."


def detect_all(
    which: Which = shutil.which,
    run: Run = run_program,
    timeout: float = DEFAULT_TIMEOUT,
    tables: VersionTables = NO_TABLES,
) -> Detection:
    """This computer, then every Android device and iPhone/iPad on USB, with notes.

    ``which`` finds a program on PATH and ``run`` runs one with a timeout (tests
    pass their own); each program gets at most ``timeout`` seconds, and a device
    that stops answering costs one timeout, not one per question. Versions are read
    with ``tables`` (the knowledge: Windows release names, One UI).
    """
    devices = [_guarded(lambda: read_this_computer(which, run, timeout, tables=tables))]
    notes: list[str] = []
    listed = 0
    for what, reader in (("Android devices", read_android), ("iPhones and iPads", read_apple)):
        try:
            found, found_notes, count = reader(which, run, timeout, tables)
        except Exception as exc:  # a bug must not cost the other sources; it is still said
            notes.append(f"{what} could not be read: internal error ({_describe(exc)})")
            continue
        devices.extend(found)
        notes.extend(found_notes)
        listed += count
    if listed == 0:
        notes.append(NOTHING_CONNECTED)
    return Detection(tuple(devices), tuple(notes))


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {clean(str(exc), 80)}".rstrip(": ")


def _guarded(read: Callable[[], DetectedDevice]) -> DetectedDevice:
    try:
        return read()
    except Exception as exc:  # as above: say it, keep going
        return DetectedDevice(
            source=THIS_COMPUTER,
            kind="desktop",
            notes=(f"This computer could not be read: internal error ({_describe(exc)})",),
        )


def describe_os(device: DetectedDevice, tables: VersionTables = NO_TABLES) -> str:
    """The device's OS as a person says it: "Windows 11 23H2 (build 22631.4460)", "Android 16".

    ``tables`` (the knowledge) name a Windows build's release and read One UI.
    """
    if not device.os_version:
        return versions.display_name(device.os) if device.os in versions.FAMILIES else device.os
    if device.os not in versions.FAMILIES:
        return f"{device.os.capitalize()} {device.os_version}"
    try:
        parsed = tables.parse_version(device.os_version, device.os)
    except InvalidValue:  # not from detect_all, which only keeps versions that parse
        return f"{versions.display_name(device.os)} {clean(device.os_version, 40)}"
    return tables.describe_version(parsed, device.os)
