"""This computer: its OS and version, battery, model, and a Windows cellular modem's IMEI.

A laptop on the plan is checked like any device, and the person running the
tool is sitting at it, so what the OS says cheaply is read here: ``platform``
for the OS (Windows 11 recognised by its build, since ``platform.release()``
said "10" for it before Python 3.12), psutil for the battery (optional: imported
only here, and its absence is a note), the firmware's model name, and on Windows
``netsh mbn show interfaces`` for a built-in modem's IMEI.
"""

from __future__ import annotations

import contextlib
import platform
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from readiness import versions
from readiness.detect import product_types
from readiness.detect.results import (
    NO_TABLES,
    THIS_COMPUTER,
    DetectedDevice,
    VersionTables,
    checked_battery,
    checked_imei,
    checked_version,
)
from readiness.detect.runner import Completed, Failed, Run, Which
from readiness.detect.safe import clean
from readiness.errors import ReadinessError

__all__ = [
    "PlatformFacts",
    "current_platform",
    "os_of",
    "parse_netsh_mbn",
    "read_this_computer",
    "windows_version_text",
]

LABEL = "This computer"
NO_PSUTIL = (
    f"{LABEL}: its battery was not read because psutil is not installed (pip install psutil)"
)
NO_BATTERY = f"{LABEL}: no battery found (a desktop computer has none)"
# macOS reports 10.16 to programs built against an SDK older than Big Sur.
_MAC_COMPAT_VERSION = "10.16"


@dataclass(frozen=True)
class PlatformFacts:
    """What ``platform`` (and on Windows the registry) says about the OS: ``os_of``'s input."""

    system: str
    release: str = ""
    version: str = ""
    mac_version: str = ""
    windows_ubr: int | None = None
    distro_version: str = ""
    node: str = ""


def _windows_ubr() -> int | None:
    """The update build revision (the ``.4460`` in 22631.4460), from the registry."""
    if sys.platform != "win32":
        return None
    import winreg

    key_path = r"SOFTWARE\Microsoft\Windows NT\CurrentVersion"
    with (
        contextlib.suppress(OSError),
        winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, key_path) as key,
    ):
        value, _ = winreg.QueryValueEx(key, "UBR")
        return int(value) if isinstance(value, int) else None
    return None


def _windows_version() -> str:
    # sys.getwindowsversion is the kernel's own answer; platform.version() parses `ver`.
    if sys.platform == "win32":
        info = sys.getwindowsversion()
        return f"{info.major}.{info.minor}.{info.build}"
    return platform.version()


def current_platform() -> PlatformFacts:
    """The facts about the machine this runs on."""
    system = platform.system()
    distro = ""
    if system == "Linux":
        with contextlib.suppress(OSError):
            distro = platform.freedesktop_os_release().get("VERSION_ID", "")
    return PlatformFacts(
        system=system,
        release=platform.release(),
        version=_windows_version() if system == "Windows" else platform.version(),
        mac_version=platform.mac_ver()[0] if system == "Darwin" else "",
        windows_ubr=_windows_ubr() if system == "Windows" else None,
        distro_version=distro,
        node=platform.node(),
    )


def windows_version_text(version: str, ubr: int | None) -> str:
    """``"10.0.22631"`` and UBR 4460 -> ``"10.0.22631.4460"``: what ``versions`` reads for Windows.

    The build decides 10 or 11 (22000 and later is Windows 11), whatever the
    Python version's ``platform.release()`` claims.
    """
    parts = version.strip().split(".")
    if len(parts) >= 3 and all(p.isdigit() for p in parts[:3]):
        text = ".".join(parts[:3])
        return f"{text}.{ubr}" if ubr is not None and len(parts) == 3 else ".".join(parts[:4])
    return version.strip()


def os_of(
    facts: PlatformFacts, which: Which, run: Run, timeout: float, tables: VersionTables = NO_TABLES
) -> tuple[str, str, list[str]]:
    """(family, version text, notes) for this computer; the text passes ``parse_version``."""
    if facts.system == "Windows":
        family, raw = versions.WINDOWS, windows_version_text(facts.version, facts.windows_ubr)
    elif facts.system == "Darwin":
        family, raw = versions.MACOS, facts.mac_version
        if raw in ("", _MAC_COMPAT_VERSION) and (sw_vers := which("sw_vers")) is not None:
            answer = run([sw_vers, "-productVersion"], timeout)
            raw = answer.stdout.strip() if isinstance(answer, Completed) else raw
    else:
        family, raw = facts.system.lower() or "unknown", facts.distro_version
        if not raw:
            return family, "", []
    text, problem = checked_version(raw, family, LABEL, tables)
    return family, text, [problem] if problem else []


# --- battery ---------------------------------------------------------------------------------

BatteryReader = Callable[[], "tuple[float | None, str | None]"]


def psutil_battery() -> tuple[float | None, str | None]:
    """(percent, None), (None, None) when there is no battery, or (None, note)."""
    try:
        import psutil
    except ImportError:
        return None, NO_PSUTIL
    reader = getattr(psutil, "sensors_battery", None)
    if reader is None:
        return None, f"{LABEL}: psutil cannot read a battery on this system"
    try:
        battery = reader()
    except Exception as exc:  # psutil reads OS files and APIs that can fail in odd ways
        return None, f"{LABEL}: the battery could not be read ({clean(str(exc), 60)})"
    if battery is None:
        return None, None
    return float(battery.percent), None


# --- model ------------------------------------------------------------------------------------

_DMI = Path("/sys/class/dmi/id")
_PLACEHOLDERS = re.compile(
    r"to be filled|system product name|system manufacturer|default string|not applicable"
    r"|^none$|^o\.?e\.?m\.?$|^unknown$|^\s*$",
    re.IGNORECASE,
)
_LAPTOP_CHASSIS = frozenset({"8", "9", "10", "14", "31", "32"})  # SMBIOS chassis types


def _dmi(name: str) -> str:
    with contextlib.suppress(OSError, UnicodeDecodeError):
        value = clean((_DMI / name).read_text(encoding="utf-8"), 80)
        return "" if _PLACEHOLDERS.search(value) else value
    return ""


def _vendor_and_product(vendor: str, product: str) -> str:
    if not product:
        return ""
    return (
        product
        if not vendor or product.lower().startswith(vendor.lower())
        else f"{vendor} {product}"
    )


def _linux_model() -> tuple[str, bool]:
    """(model, looks like a laptop) from the firmware tables Linux exposes."""
    vendor, product = _dmi("sys_vendor"), _dmi("product_name")
    if vendor.upper() == "LENOVO" and any(c.isalpha() for c in _dmi("product_version")):
        product = _dmi("product_version")  # Lenovo keeps the name there, a part number above
    return _vendor_and_product(vendor, product), _dmi("chassis_type") in _LAPTOP_CHASSIS


def _windows_model() -> str:
    if sys.platform != "win32":
        return ""
    import winreg

    values: dict[str, str] = {}
    bios = r"HARDWARE\DESCRIPTION\System\BIOS"
    with (
        contextlib.suppress(OSError),
        winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, bios) as key,
    ):
        for name in ("SystemManufacturer", "SystemProductName"):
            with contextlib.suppress(OSError):
                value, _ = winreg.QueryValueEx(key, name)
                text = clean(str(value), 80)
                values[name] = "" if _PLACEHOLDERS.search(text) else text
    return _vendor_and_product(
        values.get("SystemManufacturer", ""), values.get("SystemProductName", "")
    )


def _mac_model(which: Which, run: Run, timeout: float) -> str:
    sysctl = which("sysctl")
    if sysctl is None:
        return ""
    answer = run([sysctl, "-n", "hw.model"], timeout)
    identifier = clean(answer.stdout, 40) if isinstance(answer, Completed) else ""
    if not identifier:
        return ""
    try:
        return product_types.model_name(identifier) or identifier
    except ReadinessError:
        return identifier


# --- a Windows cellular modem ----------------------------------------------------------------

_DEVICE_ID = re.compile(r"^\s*Device Id\s*:\s*(?P<value>\S*)\s*$", re.IGNORECASE | re.MULTILINE)


def parse_netsh_mbn(text: str) -> list[str]:
    """The ``Device Id`` of each interface ``netsh mbn show interfaces`` lists (the IMEI on GSM)."""
    return [m["value"] for m in _DEVICE_ID.finditer(text) if m["value"]]


def _modem_imeis(which: Which, run: Run, timeout: float) -> tuple[list[str], list[str]]:
    netsh = which("netsh")
    if netsh is None:
        return [], []
    answer = run([netsh, "mbn", "show", "interfaces"], timeout)
    if isinstance(answer, Failed):
        # No modem, or the WWAN service is off: both mean there is no IMEI to read.
        timed_out = answer.why == "timeout"
        return [], [
            f"{LABEL}: its cellular modem could not be read: {answer.message}"
        ] if timed_out else []
    imeis: list[str] = []
    notes: list[str] = []
    for value in parse_netsh_mbn(answer.stdout)[:2]:
        imei, problem = checked_imei(value, LABEL)
        if imei and imei not in imeis:
            imeis.append(imei)
        if problem:
            notes.append(problem)
    return imeis, notes


def read_this_computer(
    which: Which,
    run: Run,
    timeout: float,
    facts: PlatformFacts | None = None,
    battery_reader: BatteryReader = psutil_battery,
    tables: VersionTables = NO_TABLES,
) -> DetectedDevice:
    """This computer as a device; every fact it could not read is a note, never an exception."""
    facts = facts or current_platform()
    family, os_version, notes = os_of(facts, which, run, timeout, tables)
    model, laptop_chassis = "", False
    if facts.system == "Linux":
        model, laptop_chassis = _linux_model()
    elif facts.system == "Windows":
        model = _windows_model()
    elif facts.system == "Darwin":
        model = _mac_model(which, run, timeout)
    level, problem = battery_reader()
    battery = None
    if level is not None:
        battery, problem = checked_battery(level, LABEL)
    elif problem is None:
        problem = NO_BATTERY
    if problem:
        notes.append(problem)
    imeis: list[str] = []
    if facts.system == "Windows":
        imeis, modem_notes = _modem_imeis(which, run, timeout)
        notes.extend(modem_notes)
    laptop = level is not None or laptop_chassis or model.startswith("MacBook")
    return DetectedDevice(
        source=THIS_COMPUTER,
        kind="laptop" if laptop else "desktop",
        model=model,
        name=clean(facts.node, 60),
        os=family,
        os_version=os_version,
        battery=battery,
        imei=imeis[0] if imeis else "",
        imei2=imeis[1] if len(imeis) > 1 else "",
        notes=tuple(notes),
    )
