"""iPhones and iPads over USB, through libimobiledevice's ``idevice_id`` and ``ideviceinfo``.

An iPhone answers only a computer it trusts, so the common failures are not
bugs but steps the person has to take on the device (unlock it, tap Trust):
each lockdown error ideviceinfo prints becomes one line saying what to do.
Parsers are pure functions of the printed text; ``read_apple`` runs the programs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from readiness import versions
from readiness.detect import product_types
from readiness.detect.results import (
    NO_TABLES,
    DetectedDevice,
    VersionTables,
    checked_battery,
    checked_imei,
    checked_version,
)
from readiness.detect.runner import Failed, Run, Which
from readiness.detect.safe import clean, first_line
from readiness.errors import ReadinessError

__all__ = [
    "lockdown_hint",
    "parse_capacity",
    "parse_info",
    "parse_udids",
    "read_apple",
]

DIAL = "dial *#06# on it to see the IMEI"
BATTERY_DOMAIN = "com.apple.mobile.battery"


def missing_note(program: str) -> str:
    """What to say when a libimobiledevice program is not installed."""
    return (
        f"{program} is not installed (or not on PATH), so iPhones and iPads were not looked "
        "for; it comes with libimobiledevice"
    )


NO_USBMUXD = (
    "iPhones and iPads could not be listed: usbmuxd is not running (it starts when one is "
    "plugged in; on Windows it comes with the Apple Devices app or iTunes)"
)

# 40 hex digits (until iPhone XS), or 8-16 hex digits with a dash (A12 and later).
_UDID = re.compile(r"[0-9A-Fa-f]{40}|[0-9A-Fa-f]{8}-[0-9A-Fa-f]{16}")


def parse_udids(text: str) -> tuple[list[str], list[str]]:
    """UDIDs from ``idevice_id -l`` (one a line), and the lines that were not UDIDs."""
    udids: list[str] = []
    odd: list[str] = []
    for line in text.splitlines():
        word = line.strip().split(" ", 1)[0]
        if not word:
            continue
        if _UDID.fullmatch(word):
            if word not in udids:
                udids.append(word)
        else:
            odd.append(clean(line, 60))
    return udids, odd


_KEY_LINE = re.compile(r"(?P<key>[A-Za-z][A-Za-z0-9_\-]*):[ \t]?(?P<value>.*)")


def parse_info(text: str) -> dict[str, str]:
    """Top-level ``Key: value`` lines of ``ideviceinfo`` (nested, indented lines are skipped)."""
    info: dict[str, str] = {}
    for line in text.splitlines():
        if line[:1].isspace():
            continue
        match = _KEY_LINE.fullmatch(line.rstrip())
        if match:
            info.setdefault(match["key"], clean(match["value"], 120))
    return info


def parse_capacity(text: str) -> int | None:
    """``BatteryCurrentCapacity`` as ``-k`` prints it (``85``) or as a ``Key: value`` line."""
    stripped = text.strip()
    if re.fullmatch(r"-?[0-9]{1,4}", stripped):
        return int(stripped)
    value = parse_info(text).get("BatteryCurrentCapacity", "")
    return int(value) if re.fullmatch(r"-?[0-9]{1,4}", value) else None


# "ERROR: Could not connect to lockdownd: Password protected (-17)" (libimobiledevice 1.3+)
# "ERROR: Could not connect to lockdownd, error code -17" (older releases)
_LOCKDOWN = re.compile(
    r"Could not connect to lockdownd(?::\s*(?P<message>[^(\n]*?)\s*\((?P<code>-?\d+)\)"
    r"|,\s*error code:?\s*(?P<old_code>-?\d+))",
    re.IGNORECASE,
)
# lockdownd_error_t (libimobiledevice include/libimobiledevice/lockdown.h)
PASSWORD_PROTECTED = -17
USER_DENIED_PAIRING = -18
PAIRING_DIALOG_RESPONSE_PENDING = -19
NOT_PAIRED = frozenset({-2, -20, -21, -29, -31})  # invalid conf, host id, pair record
MUX_ERROR = -8
_BY_WORDS = {
    "password protected": PASSWORD_PROTECTED,
    "user denied pairing": USER_DENIED_PAIRING,
    "pairing dialog response pending": PAIRING_DIALOG_RESPONSE_PENDING,
    "invalid hostid": -21,
    "invalid host id": -21,
    "missing hostid": -20,
    "missing pair record": -29,
}
_HINTS = {
    PASSWORD_PROTECTED: "it is locked; unlock it with its passcode, then run detect again",
    PAIRING_DIALOG_RESPONSE_PENDING: (
        "tap Trust on its screen and enter its passcode, then run detect again"
    ),
    USER_DENIED_PAIRING: (
        "it was told not to trust this computer; unplug it, plug it back in and tap Trust"
    ),
    MUX_ERROR: "it could not be reached over USB; unplug it and plug it back in",
}
_NOT_PAIRED_HINT = (
    "it is not paired with this computer; unlock it, plug it in again and tap Trust on its "
    "screen (or run `idevicepair pair`), then run detect again"
)


def lockdown_hint(text: str) -> str | None:
    """What to do on the device for the lockdown error in ``text``; None if there is none."""
    match = _LOCKDOWN.search(text)
    if match is None:
        return None
    code_text = match["code"] or match["old_code"]
    code = int(code_text) if code_text else None
    words = (match["message"] or "").strip().lower()
    if words in _BY_WORDS:
        code = _BY_WORDS[words]
    if code in NOT_PAIRED:
        return _NOT_PAIRED_HINT
    if code in _HINTS:
        return _HINTS[code]
    said = clean(match["message"] or "", 60) or f"error {code}"
    return (
        f"it refused the connection ({said}); unlock it, tap Trust if asked, and run detect again"
    )


_GONE = re.compile(r"Device \S+ not found|No device found", re.IGNORECASE)


def _failure_reason(failed: Failed) -> str:
    if failed.why == "exit" and _GONE.search(failed.stderr + failed.stdout):
        return "it was disconnected"
    return failed.message


@dataclass(frozen=True)
class _Found:
    device: DetectedDevice | None
    note: str | None = None


def _model(product_type: str) -> tuple[str, str | None]:
    """The marketing name, or the identifier itself (and a note) when the table cannot say."""
    try:
        name = product_types.model_name(product_type)
    except ReadinessError as exc:
        return product_type, f"Apple model names are unavailable: {first_line(str(exc))}"
    return (name or product_type), None


def read_device(
    ideviceinfo: str, udid: str, run: Run, timeout: float, tables: VersionTables = NO_TABLES
) -> _Found:
    """Read one iPhone or iPad; a lockdown refusal gives a hint instead of a device."""
    source = f"usb:{udid}"
    out = run([ideviceinfo, "-u", udid], timeout)
    if isinstance(out, Failed):
        hint = lockdown_hint(out.stderr + "\n" + out.stdout)
        reason = hint or f"it could not be read: {_failure_reason(out)}"
        return _Found(None, f"iPhone or iPad ({source}): {reason}")
    info = parse_info(out.stdout)
    product_type = info.get("ProductType", "")
    if not product_type:
        return _Found(None, f"iPhone or iPad ({source}): ideviceinfo printed no ProductType")
    model, problem = _model(product_type)
    label = f"{model} ({source})"
    notes = [f"{label}: {problem}"] if problem else []
    kind = product_types.kind_of(product_type)
    family = versions.IPADOS if kind == "tablet" else versions.IOS
    os_version, problem = checked_version(info.get("ProductVersion", ""), family, label, tables)
    notes.extend([problem] if problem else [])
    imeis: list[str] = []
    reported = [
        (info[key], what)
        for key, what in (
            ("InternationalMobileEquipmentIdentity", "IMEI"),
            ("InternationalMobileEquipmentIdentity2", "second IMEI"),
        )
        if info.get(key)
    ]
    for value, what in reported:
        imei, problem = checked_imei(value, label, what)
        imeis.append(imei)
        notes.extend([problem] if problem else [])
    if not reported:
        notes.append(
            f"{label}: it reports no IMEI (a Wi-Fi-only iPad has none)"
            if kind == "tablet"
            else f"{label}: it did not report its IMEI; {DIAL}"
        )
    battery = None
    capacity = run(
        [ideviceinfo, "-u", udid, "-q", BATTERY_DOMAIN, "-k", "BatteryCurrentCapacity"], timeout
    )
    if isinstance(capacity, Failed):
        notes.append(f"{label}: battery level could not be read: {_failure_reason(capacity)}")
    elif (level := parse_capacity(capacity.stdout)) is None:
        notes.append(f"{label}: battery level could not be read (ideviceinfo printed no capacity)")
    else:
        battery, problem = checked_battery(level, label)
        notes.extend([problem] if problem else [])
    imei, imei2 = [*(i for i in imeis if i), "", ""][:2]
    return _Found(
        DetectedDevice(
            source=source,
            kind=kind,
            model=model,
            name=clean(info.get("DeviceName", ""), 60),
            os=family,
            os_version=os_version,
            battery=battery,
            imei=imei,
            imei2=imei2 if imei2 != imei else "",
            notes=tuple(notes),
        )
    )


def read_apple(
    which: Which, run: Run, timeout: float, tables: VersionTables = NO_TABLES
) -> tuple[list[DetectedDevice], list[str], int]:
    """Every iPhone and iPad on USB: (devices read, notes, how many were listed)."""
    idevice_id, ideviceinfo = which("idevice_id"), which("ideviceinfo")
    if idevice_id is None or ideviceinfo is None:
        return [], [missing_note("idevice_id" if idevice_id is None else "ideviceinfo")], 0
    listing = run([idevice_id, "-l"], timeout)
    if isinstance(listing, Failed):
        if "unable to retrieve device list" in (listing.stderr + listing.stdout).lower():
            return [], [NO_USBMUXD], 0
        return [], [f"iPhones and iPads could not be listed: {listing.message}"], 0
    udids, odd = parse_udids(listing.stdout)
    notes = [f"idevice_id -l printed a line that is not a device: '{odd[0]}'"] if odd else []
    devices: list[DetectedDevice] = []
    for udid in udids:
        found = read_device(ideviceinfo, udid, run, timeout, tables)
        if found.device is not None:
            devices.append(found.device)
        if found.note is not None:
            notes.append(found.note)
    return devices, notes, len(udids)
