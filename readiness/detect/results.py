"""What detection found, and the checks every value read from a device goes through.

A device's own answers are not trusted: an IMEI must pass the Luhn check, a
version must be one ``readiness.versions`` can compare, a percentage must be
0-100. A value that fails is left out of its field and said in a note, so what
reaches the walk-through is either right or empty.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from packaging.version import Version

from readiness import identifiers, versions
from readiness.detect.safe import clean
from readiness.errors import InvalidValue, shown

__all__ = [
    "NO_TABLES",
    "THIS_COMPUTER",
    "DetectedDevice",
    "Detection",
    "VersionTables",
    "checked_battery",
    "checked_imei",
    "checked_version",
    "device_label",
    "items",
]

THIS_COMPUTER = "this computer"


class VersionTables(Protocol):
    """How versions are read and named: ``Knowledge`` is one, with the data file's Windows
    release and One UI tables, so a device's version reads as the answers loader reads it."""

    def parse_version(self, text: str, family: str | None = None) -> Version: ...

    def describe_version(self, version: Version, family: str) -> str: ...


@dataclass(frozen=True)
class _NoTables:
    """Without the knowledge: builds and plain numbers only (no release or One UI names)."""

    def parse_version(self, text: str, family: str | None = None) -> Version:
        return versions.parse_version(text, family)

    def describe_version(self, version: Version, family: str) -> str:
        return versions.describe(version, family)


NO_TABLES: VersionTables = _NoTables()


@dataclass(frozen=True, kw_only=True)
class DetectedDevice:
    """One device and what could be read from it; empty/None where nothing trustworthy was.

    ``source`` says where it was read: ``"this computer"``, ``"adb:SERIAL"`` or
    ``"usb:UDID"``. ``os`` is a ``readiness.versions`` family (``"android"``,
    ``"ios"``, ``"ipados"``, ``"windows"``, ``"macos"``) or the lower-case system
    name when there is none (``"linux"``); ``os_version`` parses with
    ``versions.parse_version(os_version, os)`` for those families. ``notes`` are
    whole lines, each naming the device.
    """

    source: str
    kind: str
    model: str = ""
    name: str = ""
    os: str = ""
    os_version: str = ""
    battery: int | None = None
    imei: str = ""
    imei2: str = ""
    esim: bool | None = None
    roaming: bool | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def label(self) -> str:
        """How notes and lists name the device: its model, and where it was read."""
        return device_label(self.model, self.source, self.kind)


@dataclass(frozen=True)
class Detection:
    """Everything found: this computer first, then phones and tablets; and the general notes.

    ``notes`` hold what belongs to no device read (a program not installed, an
    iPhone that is not paired, nothing connected); a device's own problems are in
    its ``notes``.
    """

    devices: tuple[DetectedDevice, ...]
    notes: tuple[str, ...] = ()

    def all_notes(self) -> tuple[str, ...]:
        """The general notes, then each device's, in order: what a report prints."""
        return self.notes + tuple(n for d in self.devices for n in d.notes)


_KIND_WORDS = {"phone": "Phone", "tablet": "Tablet", "watch": "Watch"}


def device_label(model: str, source: str, kind: str = "") -> str:
    """``"Pixel 8 (adb:1A2B)"``, ``"This computer"``; the kind or "Device" for an unknown model."""
    if source == THIS_COMPUTER:
        return "This computer" + (f" ({model})" if model else "")
    return f"{model or _KIND_WORDS.get(kind, 'Device')} ({source})"


def items(names: Iterable[str]) -> str:
    """``["a", "b", "c"]`` -> ``"a, b and c"``: the things a note says were not read."""
    listed = list(names)
    if len(listed) <= 1:
        return "".join(listed)
    return ", ".join(listed[:-1]) + " and " + listed[-1]


def checked_imei(value: str, label: str, what: str = "IMEI") -> tuple[str, str | None]:
    """The compact IMEI, or ``""`` and a note when the device's answer is not a valid IMEI."""
    text = clean(value, 64)
    try:
        return identifiers.validate_imei(text), None
    except InvalidValue as exc:
        said = f"the {what} it reported, '{shown(text, 24)}', is not valid ({exc})"
        return "", f"{label}: {said}; dial *#06# on it to see the {what}"


def checked_version(
    value: str, family: str | None, label: str, tables: VersionTables = NO_TABLES
) -> tuple[str, str | None]:
    """The version text when ``tables`` can read it (so it compares), or ``""`` and a note."""
    text = clean(value, 64)
    what = (
        f"{versions.display_name(family)} version" if family in versions.FAMILIES else "OS version"
    )
    if not text:
        return "", f"{label}: it did not report its {what}"
    try:
        tables.parse_version(text, family if family in versions.FAMILIES else None)
    except InvalidValue as exc:
        return "", f"{label}: its {what} '{shown(text, 24)}' could not be read ({exc})"
    return text, None


def checked_battery(level: float, label: str) -> tuple[int | None, str | None]:
    """A 0-100 percentage rounded to a whole number, or None and a note for anything else."""
    if not 0 <= level <= 100:  # also False for NaN
        return None, f"{label}: it reported a battery level of {level:g} %, which cannot be right"
    return round(level), None
