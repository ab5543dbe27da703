"""Detected devices as ``[[devices]]`` tables of an answers file, and into the inventory.

Detection already refuses values a device gets wrong (``results.py``); here every
value is also held to exactly the rule a typed answer meets
(``schema.KEYS[...].parse``), so what reaches an answers file, the walk-through
or the inventory is something a person could have typed. Keys the schema does
not know (eSIM support, where the device was read) stay out; answers a device
cannot give (its priority, Wi-Fi Calling, the EID) are left for the person.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from readiness import inventory, schema, versions
from readiness.detect import DEFAULT_TIMEOUT, detect_all
from readiness.detect.results import NO_TABLES, THIS_COMPUTER, DetectedDevice, VersionTables
from readiness.detect.runner import Run, Which, run_program
from readiness.errors import InvalidValue, ReadinessError

__all__ = [
    "AnswersDevice",
    "Reading",
    "Saved",
    "phone_readers_installed",
    "read_answers_devices",
    "save_to_inventory",
    "to_answers_device",
    "to_answers_devices",
]

# The programs that find phones and tablets on USB (``android.py``, ``apple.py``).
PHONE_READERS = ("adb", "idevice_id")
DESKTOP_LEFT_OUT = "left out of the answers: a desktop computer does not join an eSIM plan"
NO_MODEL = "left out of the answers: its model could not be read; add it by hand"


@dataclass(frozen=True)
class AnswersDevice:
    """One detected device and its answers table (empty when it cannot be one), with why."""

    detected: DetectedDevice
    table: Mapping[str, Any]
    notes: tuple[str, ...] = ()

    @property
    def usable(self) -> bool:
        """Whether the device makes a ``[[devices]]`` table (it has at least a model)."""
        return bool(self.table)

    def as_dict(self) -> dict[str, Any]:
        """The table as a fresh dict: a document to fill in, or TOML to write."""
        return dict(self.table)


@dataclass(frozen=True)
class Reading:
    """What the walk-through offers: the usable devices, and every note about the others."""

    devices: tuple[AnswersDevice, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Saved:
    """One device offered to the inventory: saved under ``label``, or ``refused`` and why."""

    device: AnswersDevice
    label: str
    refused: tuple[str, ...] = ()


def _parsed(path: str, text: str) -> Any:
    """The typed answer for ``text`` at ``device.KEY``, or None when the schema refuses it."""
    try:
        return schema.KEYS[path].parse(text)
    except InvalidValue:
        return None


def _label(device: DetectedDevice, model: str, taken: set[str]) -> str:
    """The name the owner gave a phone, else its model; made unique among ``taken``."""
    # A computer's name is its network host name, which is rarely how a person names it.
    given = device.name if device.source != THIS_COMPUTER else ""
    base = (_parsed("device.label", given) if given else None) or model
    label, count = base, 1
    while label.casefold() in taken:
        count += 1
        label = f"{base} {count}"
    taken.add(label.casefold())
    return label


def _os_version(device: DetectedDevice, tables: VersionTables) -> str | None:
    """``"Android 16"``, ``"iOS 18.1"``: the family said, since a model may not place it."""
    if device.os not in versions.FAMILIES or not device.os_version:
        return None
    text = f"{versions.display_name(device.os)} {device.os_version}"
    try:
        tables.parse_version(text, device.os)
    except InvalidValue:
        return None
    value: str | None = _parsed("device.os_version", text)
    return value


def to_answers_device(
    device: DetectedDevice, taken: set[str] | None = None, tables: VersionTables = NO_TABLES
) -> AnswersDevice:
    """``device`` as an answers table; ``taken`` holds labels already used (casefolded).

    Its version is read with ``tables`` (the knowledge), as the answers loader will.
    """
    label = device.label
    if device.kind == "desktop" and not device.imei:
        return AnswersDevice(device, MappingProxyType({}), (f"{label}: {DESKTOP_LEFT_OUT}",))
    model = _parsed("device.model", device.model) if device.model else None
    if not model:
        return AnswersDevice(device, MappingProxyType({}), (f"{label}: {NO_MODEL}",))
    table: dict[str, Any] = {
        "label": _label(device, model, set() if taken is None else taken),
        "model": model,
    }
    if (os_version := _os_version(device, tables)) is not None:
        table["os_version"] = os_version
    imeis = [_parsed("device.imei", number) for number in (device.imei, device.imei2) if number]
    for key, number in zip(("imei", "imei2"), dict.fromkeys(n for n in imeis if n), strict=False):
        table[key] = number
    read = {
        "battery": None if device.battery is None else str(device.battery),
        "roaming_authorized": None if device.roaming is None else "yes" if device.roaming else "no",
    }
    for key, text in read.items():
        value = None if text is None else _parsed(f"device.{key}", text)
        if value is not None:
            table[key] = value
    return AnswersDevice(device, MappingProxyType(table))


def to_answers_devices(
    devices: Sequence[DetectedDevice], tables: VersionTables = NO_TABLES
) -> tuple[AnswersDevice, ...]:
    """Every device, in order, with labels unique among them."""
    taken: set[str] = set()
    return tuple(to_answers_device(device, taken, tables) for device in devices)


def read_answers_devices(
    which: Which = shutil.which,
    run: Run = run_program,
    timeout: float = DEFAULT_TIMEOUT,
    tables: VersionTables = NO_TABLES,
) -> Reading:
    """Detect, then keep the devices that make an answers table: what the walk-through offers."""
    detection = detect_all(which, run, timeout, tables)
    found = to_answers_devices(detection.devices, tables)
    notes = detection.all_notes() + tuple(n for d in found for n in d.notes)
    return Reading(tuple(d for d in found if d.usable), notes)


def phone_readers_installed(which: Which = shutil.which) -> bool:
    """Whether adb or libimobiledevice is on PATH: reading can find more than this computer."""
    return any(which(program) is not None for program in PHONE_READERS)


def save_to_inventory(
    home: Path, devices: Sequence[AnswersDevice], now: dt.datetime
) -> tuple[Saved, ...]:
    """Add each usable device as ``inventory add`` would; one refusal does not stop the others."""
    out: list[Saved] = []
    for device in devices:
        if not device.usable:
            continue
        table = device.table
        try:
            entry = inventory.new_entry(
                label=str(table["label"]),
                model=str(table["model"]),
                imei=str(table.get("imei", "")),
                imei2=str(table.get("imei2", "")),
                now=now,
            )
            inventory.add(home, entry)
        except ReadinessError as exc:
            out.append(Saved(device, str(table["label"]), tuple(exc.lines())))
        else:
            out.append(Saved(device, entry.label))
    return tuple(out)
