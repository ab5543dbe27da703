"""Reading single cells of an MDM export: IMEIs as spreadsheets leave them, and owners.

A spreadsheet that opened an export stores IMEIs as numbers: it shows
``3.50044E+14`` (the digits are gone), drops a leading 0, or appends ``.0``.
Each of these is named for what it is, so the person fixes the export rather
than hunting for a typo; only ``.0`` is repaired, since nothing is lost.

>>> read_imeis('="353987651590839"')
ImeiCell(imeis=('353987651590839',), notes=())
>>> read_imeis("352099001762158;350468741122332").imeis
('352099001762158', '350468741122332')
>>> read_imeis("356543215260182.0").notes
('IMEI 356543215260182.0: removed the ".0" a spreadsheet added',)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from readiness.errors import InvalidValue, shown
from readiness.identifiers import compact_imei, is_valid_imei, validate_imei

_FORMULA = re.compile(r'="(.*)"')
_SCIENTIFIC = re.compile(r"[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+")
_POINT_ZERO = re.compile(r"(\d+)[.,]0+")
# What separates two IMEIs in one cell: ABM's list joined, or a person's "a / b".
_BETWEEN = re.compile(r"\s*[;,|\n]\s*|\s+/\s+")
_EMAIL_IN_DICT = re.compile(r"""['"]email['"]\s*:\s*['"]([^'"]*)['"]""")
_NAME_IN_DICT = re.compile(r"""['"]name['"]\s*:\s*['"]([^'"]*)['"]""")


@dataclass(frozen=True)
class ImeiCell:
    """The IMEIs one cell holds (none, one or two) and what was repaired to read them."""

    imeis: tuple[str, ...]
    notes: tuple[str, ...] = ()


def unwrap(cell: str) -> str:
    """The cell without Excel's ``="..."`` (written to keep digits as text)."""
    text = cell.strip()
    match = _FORMULA.fullmatch(text)
    return match.group(1).strip() if match else text


def _spreadsheet_number(text: str, what: str) -> None:
    if _SCIENTIFIC.fullmatch(text):
        raise InvalidValue(
            f"Excel turned this {what} into {shown(text)} and lost its digits: "
            "export the column as text"
        )


def _one(text: str, what: str, notes: list[str]) -> str:
    _spreadsheet_number(text, what)
    point_zero = _POINT_ZERO.fullmatch(text)
    number = point_zero.group(1) if point_zero else compact_imei(text)
    if len(number) >= 14 and number.isascii() and len(set(number)) == 1:
        raise InvalidValue(
            f"{what} {shown(text)} is a placeholder, not a device's IMEI; "
            "dial *#06# on the device to see the real one"
        )
    if len(number) == 14 and number.isascii() and is_valid_imei("0" + number):
        raise InvalidValue(
            f"{what} {shown(text)} has 14 digits: a spreadsheet dropped its leading 0 "
            f"(0{number} is a valid IMEI); export the column as text"
        )
    try:
        valid = validate_imei(number)
    except InvalidValue as exc:
        raise InvalidValue(f"{what} {shown(text)}: {exc}") from None
    if point_zero:
        notes.append(f'{what} {shown(text)}: removed the ".0" a spreadsheet added')
    return valid


def read_imeis(cell: str, what: str = "IMEI") -> ImeiCell:
    """Every IMEI in the cell, or ``InvalidValue`` naming what is wrong with it."""
    text = unwrap(cell)
    if not text:
        return ImeiCell(())
    _spreadsheet_number(text, what)  # before splitting: "3,50044E+14" is one number
    parts = [part for part in _BETWEEN.split(text) if part]
    digits = compact_imei(text)
    if len(parts) == 1 and len(digits) == 30 and digits.isdigit():
        parts = [digits[:15], digits[15:]]
    if len(parts) > 2:
        raise InvalidValue(
            f"{what} cell holds {len(parts)} numbers; a device has at most two IMEIs"
        )
    notes: list[str] = []
    numbers = tuple(_one(unwrap(part), what, notes) for part in parts)
    if len(numbers) == 2 and numbers[0] == numbers[1]:
        numbers = numbers[:1]
    return ImeiCell(numbers, tuple(notes))


def read_eid(cell: str) -> str:
    """The EID cell, unwrapped; a number a spreadsheet rounded is refused by name."""
    text = unwrap(cell)
    _spreadsheet_number(text, "EID")
    return text


def read_owner(cell: str) -> str:
    """The owner a cell names: an address from a list, the email of Kandji's user object."""
    text = unwrap(cell)
    if text.startswith("{"):
        found = _EMAIL_IN_DICT.search(text) or _NAME_IN_DICT.search(text)
        return found.group(1).strip() if found else ""
    if "@" in text:
        # Google lists every account on the device; the first is its owner's.
        return re.split(r"[;,\s]+", text)[0]
    return text
