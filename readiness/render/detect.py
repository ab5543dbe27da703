"""What ``readiness detect`` found: a block a device (text), JSON, or a TOML fragment.

The TOML is a ``[[devices]]`` fragment for an answers file: only the tables
``readiness.detect.to_answers`` built through the schema's parsers, so pasted
under an answers file's other tables it loads. Strings came from devices and
were cleaned when read; they are cleaned again here, where they meet a terminal.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from readiness.detect import describe_os
from readiness.detect.results import NO_TABLES, THIS_COMPUTER, VersionTables
from readiness.detect.safe import clean
from readiness.detect.to_answers import AnswersDevice, Saved
from readiness.identifiers import mask
from readiness.render.style import PLAIN, Styler, pad, plural

NOT_READ = "not read"
NOTHING_CONNECTED = "Nothing is connected over USB: only this computer was read."
TOML_HEADER = "# Devices read by `readiness detect`: paste under an answers file's other tables.\n"
TOML_NONE = "# `readiness detect` read no device that an answers file can hold.\n"


def _yes_no(value: bool | None, yes: str, no: str) -> str | None:
    return None if value is None else yes if value else no


def _rows(found: AnswersDevice, tables: VersionTables) -> list[tuple[str, str]]:
    device = found.detected
    phone = device.source != THIS_COMPUTER
    battery = f"{device.battery} %" if device.battery is not None else None
    if battery is None:
        battery = "none" if device.kind == "desktop" else NOT_READ
    rows: list[tuple[str, str | None]] = [
        ("Kind", device.kind),
        ("Name", clean(device.name, 60) or None),
        ("OS", clean(describe_os(device, tables), 60) or NOT_READ),
        ("Battery", battery),
        ("IMEI", device.imei or (NOT_READ if phone else None)),
        ("IMEI 2", device.imei2 or None),
        ("eSIM", _yes_no(device.esim, "supported", "not supported")),
        ("Data roaming", _yes_no(device.roaming, "on", "off")),
    ]
    if found.usable:
        rows.append(("Answers label", clean(str(found.table["label"]), 60)))
    return [(name, value) for name, value in rows if value is not None]


def detected_text(
    devices: Sequence[AnswersDevice],
    tables: VersionTables = NO_TABLES,
    style: Styler = PLAIN,
) -> list[str]:
    """One block a device, a blank line between, and a closing line saying what was found."""
    lines: list[str] = []
    for found in devices:
        if lines:
            lines.append("")
        lines.append(style(clean(found.detected.label, 100), "bold"))
        rows = _rows(found, tables)
        width = max(len(name) for name, _ in rows) + 1
        lines += [f"  {pad(name + ':', width)}  {value}" for name, value in rows]
    connected = [d for d in devices if d.detected.source != THIS_COMPUTER]
    usable = sum(d.usable for d in devices)
    lines.append("")
    if not connected:
        lines.append(NOTHING_CONNECTED)
    else:
        lines.append(f"{plural(len(connected), 'device')} read over USB.")
    if usable:
        lines.append(
            f"{plural(usable, 'device')} can go into an answers file: "
            "`readiness detect --format toml`, or `--save` to the inventory."
        )
    return lines


def _record(found: AnswersDevice, tables: VersionTables) -> dict[str, Any]:
    device = found.detected
    return {
        "source": clean(device.source, 100),
        "label": clean(device.label, 100),
        "kind": device.kind,
        "model": device.model,
        "name": device.name,
        "os": device.os,
        "os_version": device.os_version,
        "os_name": describe_os(device, tables),
        "battery": device.battery,
        "imei": device.imei,
        "imei2": device.imei2,
        "esim": device.esim,
        "roaming": device.roaming,
        "notes": [clean(note, 400) for note in (*device.notes, *found.notes)],
        "answers": found.as_dict() if found.usable else None,
    }


def detected_json(
    devices: Sequence[AnswersDevice],
    notes: Sequence[str],
    tables: VersionTables = NO_TABLES,
) -> str:
    """``{"devices": [...], "notes": [...]}``: general notes apart, each device's with it.

    A device's ``answers`` is its answers table, or null when it cannot be one.
    """
    body = {
        "devices": [_record(found, tables) for found in devices],
        "notes": [clean(note, 400) for note in notes],
    }
    return json.dumps(body, indent=2, ensure_ascii=False)


def detected_toml(devices: Sequence[AnswersDevice]) -> str:
    """The usable devices as ``[[devices]]`` tables, or a comment saying there is none."""
    import tomli_w

    tables = [found.as_dict() for found in devices if found.usable]
    if not tables:
        return TOML_NONE
    return TOML_HEADER + tomli_w.dumps({"devices": tables})


def saved_lines(saved: Sequence[Saved]) -> tuple[list[str], list[str]]:
    """(what was added, one line per device that was not and why)."""
    added: list[str] = []
    refused: list[str] = []
    for item in saved:
        table = item.device.table
        if not item.refused:
            imei = mask(str(table["imei"]))
            added.append(f'Added "{item.label}" ({table["model"]}, IMEI {imei}) to the inventory.')
            continue
        why = "; ".join(item.refused)
        refused.append(f"{clean(item.device.detected.label, 100)}: not saved: {why}")
    return added, refused
