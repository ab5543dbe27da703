"""Android phones and tablets over USB, through the ``adb`` program.

No Python ADB library: ``adb`` already handles USB, keys and the server, and
people who can enable USB debugging usually have it. The parsers below are
pure functions of the text adb prints (formats in ``tests/test_detect.py``'s
docstring, with their sources); ``read_android`` runs adb through the runner and
turns every failure into a note naming the device and what was not read.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Callable
from dataclasses import dataclass

from readiness import versions
from readiness.detect.results import (
    NO_TABLES,
    DetectedDevice,
    VersionTables,
    checked_battery,
    checked_imei,
    checked_version,
    items,
)
from readiness.detect.runner import Completed, Failed, Outcome, Run, Which
from readiness.detect.safe import clean, first_line

__all__ = [
    "AdbEntry",
    "ParcelReply",
    "parse_battery",
    "parse_devices",
    "parse_features",
    "parse_get_imei",
    "parse_getprop",
    "parse_parcel",
    "parse_roaming",
    "read_android",
]

EUICC_FEATURE = "android.hardware.telephony.euicc"
TELEPHONY_FEATURE = "android.hardware.telephony"
ADB_MISSING = (
    "adb is not installed (or not on PATH), so Android phones and tablets were not looked for; "
    "it comes with Android SDK Platform-Tools"
)
DIAL = "dial *#06# on it to see the IMEI"


# --- adb devices -l -----------------------------------------------------------------------


@dataclass(frozen=True)
class AdbEntry:
    """One line of ``adb devices -l``: a serial, its state, and what adb knows of it."""

    serial: str
    state: str
    model: str = ""


# "%-22s %s" then " usb:1-1 product:x model:y device:z transport_id:n" (adb's transport.cpp).
# "no permissions" is followed by a sentence in parentheses, so it is matched whole.
_DEVICE_LINE = re.compile(
    r"(?P<serial>\(no serial number\)|\S+)\s+"
    r"(?P<state>no permissions(?:\s*\([^)]*\))?(?:;\s*see\s+\[[^\]]*\])?|[a-z]+)"
    r"(?P<rest>(?:\s+\S+)*)\s*"
)
_SERIAL = re.compile(r"[\w.:@%+\-\[\]]{1,128}")


def parse_devices(text: str) -> tuple[list[AdbEntry], list[str]]:
    """The devices adb lists, and the lines that were not devices (cleaned, for a note)."""
    entries: list[AdbEntry] = []
    odd: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith(("List of devices", "*", "adb server")):
            continue
        match = _DEVICE_LINE.fullmatch(stripped)
        if match is None:
            odd.append(clean(stripped, 60))
            continue
        fields: dict[str, str] = {}
        for token in match["rest"].split():
            key, colon, value = token.partition(":")
            if colon:
                fields.setdefault(key, value)
        state = "no permissions" if match["state"].startswith("no permissions") else match["state"]
        model = clean(fields.get("model", "").replace("_", " "), 60)
        entries.append(AdbEntry(match["serial"], state, model))
    return entries, odd


# --- getprop, dumpsys battery, pm list features, settings --------------------------------

_PROP = re.compile(r"\[(?P<key>[^\]]+)\]:\s*\[(?P<value>.*)\]")


def parse_getprop(text: str) -> dict[str, str]:
    """``[ro.product.model]: [Pixel 8]`` lines as a dict (values cleaned, other lines skipped)."""
    props: dict[str, str] = {}
    for line in text.splitlines():
        match = _PROP.fullmatch(line.strip())
        if match:
            props[match["key"]] = clean(match["value"], 120)
    return props


_FIELD = re.compile(r"\s*(?P<key>[A-Za-z][A-Za-z ]*):\s*(?P<value>.*?)\s*")


def parse_battery(text: str) -> tuple[float | None, str | None]:
    """The battery percentage from ``dumpsys battery`` (level x 100 / scale), or a reason."""
    fields: dict[str, str] = {}
    for line in text.splitlines():
        match = _FIELD.fullmatch(line)
        if match:
            fields.setdefault(match["key"].strip().lower(), match["value"])
    if fields.get("present") == "false":
        return None, "it reports no battery"
    try:
        level, scale = int(fields["level"]), int(fields["scale"])
    except (KeyError, ValueError):
        return None, "dumpsys battery did not print a level and a scale"
    if scale <= 0:
        return None, f"dumpsys battery printed a scale of {scale}"
    return level * 100 / scale, None


def parse_features(text: str) -> frozenset[str] | None:
    """The names in ``pm list features`` (``feature:NAME[=VERSION]``), or None if there are none."""
    names = {
        line.strip()[len("feature:") :].split("=", 1)[0]
        for line in text.splitlines()
        if line.strip().startswith("feature:")
    }
    names.discard("")
    return frozenset(names) if names else None


def parse_roaming(text: str) -> bool | None:
    """``settings get global data_roaming``: "1" on, "0" off; anything else (``null``) unknown."""
    return {"1": True, "0": False}.get(text.strip())


# --- service call iphonesubinfo / cmd phone get-imei --------------------------------------


@dataclass(frozen=True)
class ParcelReply:
    """A binder reply as ``service call`` dumps it: a string, or the exception that refused it."""

    value: str | None
    exception: int = 0
    message: str = ""


_HEX_GROUP = re.compile(r"[0-9a-fA-F]{2}(?:[0-9a-fA-F]{2}){0,3}")
_OFFSET = re.compile(r"0x[0-9a-fA-F]{8}:")
EX_SECURITY = -1


def _parcel_bytes(text: str) -> bytes | None:
    """The reply's bytes: each hex group is a little-endian word, printed most significant first."""
    start = text.find("Parcel(")
    if start < 0 or text[start + len("Parcel(") :].lstrip().startswith("Error"):
        return None
    data = bytearray()
    for line in text[start + len("Parcel(") :].splitlines():
        hex_part = _OFFSET.sub("", line.split("'", 1)[0], count=1).replace(")", " ")
        for group in hex_part.split():
            if not _HEX_GROUP.fullmatch(group):
                return None
            data += bytes.fromhex(group)[::-1]
    return bytes(data) if data else None


def _string16(data: bytes, offset: int) -> str | None:
    """A Parcel String16 at ``offset``: int32 length in UTF-16 units (-1 = null), then the units."""
    if len(data) < offset + 4:
        raise ValueError("no string length")
    (length,) = struct.unpack_from("<i", data, offset)
    if length == -1:
        return None
    end = offset + 4 + 2 * length
    if length < 0 or end > len(data):
        raise ValueError("string length out of range")
    return data[offset + 4 : end].decode("utf-16-le", errors="replace")


def parse_parcel(text: str) -> ParcelReply | None:
    """Decode ``service call iphonesubinfo N`` output; None when it is not a reply dump at all.

    The first int32 is the exception code (0: none); then the String16 result, or for
    an exception its message (Parcel.writeException).
    """
    data = _parcel_bytes(text)
    if data is None or len(data) < 4:
        return None
    (code,) = struct.unpack_from("<i", data, 0)
    try:
        string = _string16(data, 4)
    except ValueError:
        return ParcelReply(None, code) if code else None
    if code:
        return ParcelReply(None, code, clean(string or "", 200))
    return ParcelReply(string)


_GET_IMEI = re.compile(r"Device IMEI:\s*(?P<value>.*)")


def parse_get_imei(text: str) -> str | None:
    """``cmd phone get-imei N`` prints ``Device IMEI: <imei>`` (``null`` when there is none)."""
    for line in reversed(text.splitlines()):
        match = _GET_IMEI.search(line)
        if match:
            value = match["value"].strip()
            return None if value in ("", "null") or "denied" in value.lower() else value
    return None


def _refused(text: str) -> bool:
    lowered = text.lower()
    return any(
        marker in lowered
        for marker in (
            "permission denied",
            "does not meet the requirements",
            "read_phone_state",
            "read_privileged_phone_state",
            "does not belong to",
            "securityexception",
        )
    )


# --- reading one device --------------------------------------------------------------------

# adb's own words when the device itself is gone or not usable (not the command's failure).
_GONE = re.compile(
    r"device '[^']*' not found|device offline|no devices/emulators found|device unauthorized"
    r"|device still (?:connecting|authorizing)|^error: closed|protocol fault|connection reset",
    re.IGNORECASE,
)


class _Stop(Exception):
    """The device stopped answering: the rest of it is not read."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class _Reading:
    """What is known so far about one device, and what is still to read."""

    source: str
    model: str
    pending: list[str]
    notes: list[str]
    tables: VersionTables
    kind: str = "phone"
    os: str = versions.ANDROID
    os_version: str = ""
    battery: int | None = None
    imei: str = ""
    imei2: str = ""
    esim: bool | None = None
    roaming: bool | None = None
    telephony: bool | None = None

    @property
    def label(self) -> str:
        return f"{self.model or 'Android device'} ({self.source})"

    def note(self, text: str) -> None:
        self.notes.append(f"{self.label}: {text}")

    def done(self, item: str) -> None:
        if item in self.pending:
            self.pending.remove(item)


Ask = Callable[..., Outcome]

_ITEMS = ["model and Android version", "battery", "eSIM support", "data roaming", "IMEI"]


def _asker(adb: str, serial: str, run: Run, timeout: float) -> Ask:
    def ask(*args: str) -> Outcome:
        outcome = run([adb, "-s", serial, "shell", *args], timeout)
        if isinstance(outcome, Failed):
            if outcome.why != "exit":
                raise _Stop(outcome.message)
            for line in (outcome.stderr + "\n" + outcome.stdout).splitlines():
                if _GONE.search(line):
                    raise _Stop(f"it was disconnected (adb: {first_line(line)})")
        return outcome

    return ask


def _kind(characteristics: str) -> str:
    """``ro.build.characteristics`` ("nosdcard,tablet", "watch", "default") -> a device kind."""
    words = characteristics.split(",")
    return "tablet" if "tablet" in words else "watch" if "watch" in words else "phone"


def _read_props(ask: Ask, r: _Reading) -> None:
    out = ask("getprop")
    r.done("model and Android version")
    if isinstance(out, Failed):
        r.note(f"model and Android version could not be read: {out.message}")
        return
    props = parse_getprop(out.stdout)
    if "ro.build.version.release" not in props:
        r.note("model and Android version could not be read: getprop printed no properties")
        return
    r.model = props.get("ro.product.marketname") or props.get("ro.product.model") or r.model
    r.kind = _kind(props.get("ro.build.characteristics", ""))
    release = props["ro.build.version.release"]
    if r.kind == "watch":
        # A watch's release is its Android base (13 for Wear OS 4), not the Wear OS version.
        r.os = versions.WEAROS
        r.note(
            f"it runs Wear OS on Android {clean(release, 12)}; read its Wear OS version in "
            "Settings > System > About"
        )
        return
    version, problem = checked_version(release, versions.ANDROID, r.label, r.tables)
    r.os_version = version
    if problem:
        r.notes.append(problem)


def _read_battery(ask: Ask, r: _Reading) -> None:
    out = ask("dumpsys", "battery")
    r.done("battery")
    if isinstance(out, Failed):
        r.note(f"battery level could not be read: {out.message}")
        return
    level, reason = parse_battery(out.stdout)
    if level is None:
        r.note(
            reason
            if reason == "it reports no battery"
            else f"battery level could not be read ({reason})"
        )
        return
    r.battery, problem = checked_battery(level, r.label)
    if problem:
        r.notes.append(problem)


def _read_features(ask: Ask, r: _Reading) -> None:
    out = ask("pm", "list", "features")
    r.done("eSIM support")
    features = parse_features(out.stdout) if isinstance(out, Completed) else None
    if features is None:
        why = out.message if isinstance(out, Failed) else "pm list features printed no features"
        r.note(f"eSIM support could not be read: {why}")
        return
    r.esim = EUICC_FEATURE in features
    r.telephony = TELEPHONY_FEATURE in features


def _read_roaming(ask: Ask, r: _Reading) -> None:
    out = ask("settings", "get", "global", "data_roaming")
    r.done("data roaming")
    if isinstance(out, Failed):
        r.note(f"data roaming could not be read: {out.message}")
        return
    r.roaming = parse_roaming(out.stdout)
    if r.roaming is None:
        r.note(
            f"data roaming could not be read (the setting is '{clean(out.stdout, 20)}'); "
            "check it in Settings"
        )


def _imei_by_cmd(ask: Ask, slot: int) -> tuple[str | None, bool]:
    """(IMEI, refused) from ``cmd phone get-imei SLOT`` (newer builds)."""
    out = ask("cmd", "phone", "get-imei", str(slot))
    text = out.stdout + "\n" + out.stderr
    if isinstance(out, Completed):
        return parse_get_imei(out.stdout), _refused(text)
    return None, _refused(text)


def _read_imei(ask: Ask, r: _Reading) -> None:
    if r.telephony is False:
        r.done("IMEI")
        r.note("it reports no mobile network hardware, so it has no IMEI")
        return
    out = ask("service", "call", "iphonesubinfo", "1", "s16", "com.android.shell")
    reply = parse_parcel(out.stdout) if isinstance(out, Completed) else None
    refused = reply is not None and (reply.exception == EX_SECURITY or _refused(reply.message))
    first = reply.value if reply is not None and not reply.exception else None
    second: str | None = None
    if not first:
        first, cmd_refused = _imei_by_cmd(ask, 0)
        refused = refused or cmd_refused
        if first:
            second, _ = _imei_by_cmd(ask, 1)
    r.done("IMEI")
    if not first:
        if refused:
            r.note(f"it does not allow reading the IMEI over USB; {DIAL}")
        else:
            r.note(f"the IMEI could not be read over USB; {DIAL}")
        return
    r.imei, problem = checked_imei(first, r.label)
    if problem:
        r.notes.append(problem)
    if second:
        imei2, problem = checked_imei(second, r.label, "second IMEI")
        r.imei2 = imei2 if imei2 != r.imei else ""
        if problem:
            r.notes.append(problem)


def read_device(
    adb: str, entry: AdbEntry, run: Run, timeout: float, tables: VersionTables = NO_TABLES
) -> DetectedDevice:
    """Read one device in the ``device`` state; one that stops answering keeps what was read."""
    r = _Reading(f"adb:{entry.serial}", entry.model, list(_ITEMS), [], tables)
    ask = _asker(adb, entry.serial, run, timeout)
    try:
        for step in (_read_props, _read_battery, _read_features, _read_roaming, _read_imei):
            step(ask, r)
    except _Stop as stop:
        r.note(f"could not read {items(r.pending)}: {stop.reason}")
    return DetectedDevice(
        source=r.source,
        kind=r.kind,
        model=r.model,
        os=r.os,
        os_version=r.os_version,
        battery=r.battery,
        imei=r.imei,
        imei2=r.imei2,
        esim=r.esim,
        roaming=r.roaming,
        notes=tuple(r.notes),
    )


_STATE_HINTS = {
    "unauthorized": (
        "USB debugging is not allowed for this computer yet; unlock it and tap Allow on the "
        "'Allow USB debugging?' prompt, then run detect again"
    ),
    "offline": "adb cannot talk to it (offline); unplug it, plug it back in and run detect again",
    "authorizing": "it is still being authorised; run detect again in a moment",
    "connecting": "it is still connecting; run detect again in a moment",
    "no permissions": (
        "this computer is not allowed to open it over USB; on Linux add a udev rule for it "
        "(developer.android.com/studio/run/device)"
    ),
}
_MODES = ("bootloader", "fastbootd", "recovery", "rescue", "sideload")


def _state_note(entry: AdbEntry) -> str:
    label = f"{entry.model or 'Android device'} (adb:{entry.serial})"
    if entry.state in _STATE_HINTS:
        return f"{label}: {_STATE_HINTS[entry.state]}"
    if entry.state in _MODES:
        return f"{label}: it is in {entry.state} mode; start it normally and run detect again"
    return f"{label}: adb reports it as '{clean(entry.state, 30)}', so it was not read"


def read_android(
    which: Which, run: Run, timeout: float, tables: VersionTables = NO_TABLES
) -> tuple[list[DetectedDevice], list[str], int]:
    """Every Android device adb lists: (devices read, notes, how many adb listed)."""
    adb = which("adb")
    if adb is None:
        return [], [ADB_MISSING], 0
    listing = run([adb, "devices", "-l"], timeout)
    if isinstance(listing, Failed):
        return [], [f"Android devices could not be listed: {listing.message}"], 0
    entries, odd = parse_devices(listing.stdout)
    notes: list[str] = []
    if odd:
        notes.append(f"adb devices -l printed a line that is not a device: '{odd[0]}'")
    devices: list[DetectedDevice] = []
    for entry in entries:
        if not _SERIAL.fullmatch(entry.serial):
            notes.append(
                f"adb listed a device whose serial cannot be used: '{clean(entry.serial, 40)}'"
            )
        elif entry.state == "device":
            devices.append(read_device(adb, entry, run, timeout, tables))
        else:
            notes.append(_state_note(entry))
    return devices, notes, len(entries)
