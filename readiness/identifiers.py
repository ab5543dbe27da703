"""Device identifiers: the IMEI (and IMEI2) and the eUICC's EID.

A carrier activates an eSIM against these numbers, so a typo found here saves a
failed activation abroad. The face copies python-stdnum: ``compact``, ``validate``,
``is_valid``, ``format``; stdnum does the check-digit arithmetic.

>>> validate_imei("35-209900-176148-1")
'352099001761481'
>>> format_imei("352099001761481")
'35 209900 176148 1'
>>> mask("35 209900 176148 1")
'•••••••••••1481'
>>> is_valid_imei("352099001761482")
False
"""

from __future__ import annotations

import unicodedata

from readiness.errors import InvalidValue, shown

__all__ = [
    "compact_eid",
    "compact_imei",
    "format_eid",
    "format_imei",
    "is_valid_eid",
    "is_valid_imei",
    "mask",
    "validate_eid",
    "validate_imei",
]

IMEI_LENGTH = 15
EID_LENGTH = 32

# Separators people copy along with the number (Settings screens, stickers, boxes).
_SEPARATORS = frozenset("-/.\u2010\u2011\u2012\u2013\u2014\u2015\u2212")
_DIGITS = frozenset("0123456789")


def _compact(value: str) -> str:
    if value.isascii() and value.isdigit():  # already compact: the common case, kept cheap
        return value
    # NFKC turns full-width digits, as typed with some East Asian keyboards, into 0-9.
    text = unicodedata.normalize("NFKC", value)
    kept = "".join(ch for ch in text if not ch.isspace() and ch not in _SEPARATORS)
    # Dropping a separator can bring a combining mark next to a letter ("e-\u0301"):
    # normalise again so that compacting the compact form changes nothing.
    return kept if kept.isascii() else unicodedata.normalize("NFKC", kept)


def _is_digits(value: str) -> bool:
    # str.isdigit() would accept '²' or Arabic-Indic digits, which no IMEI contains.
    return bool(value) and all(ch in _DIGITS for ch in value)


def compact_imei(value: str) -> str:
    """The IMEI without spaces, dashes, slashes or dots; nothing is checked."""
    return _compact(value)


def validate_imei(value: str) -> str:
    """The compact 15-digit IMEI, or InvalidValue saying what is wrong with it."""
    number = _compact(value)
    if not number:
        raise InvalidValue("no IMEI given")
    if not _is_digits(number):
        raise InvalidValue(f"an IMEI has only digits, got '{shown(value)}'")
    length = len(number)
    if length == 16:
        raise InvalidValue(
            "16 digits looks like an IMEISV (IMEI plus software version number), not an IMEI; "
            "the IMEI has 15 digits (dial *#06# to see it)"
        )
    if length == 14:
        raise InvalidValue(
            "14 digits: this IMEI is missing its check digit (the 15th); "
            "dial *#06# to see the full IMEI"
        )
    if length != IMEI_LENGTH:
        raise InvalidValue(f"an IMEI has 15 digits, got {length}")
    # Imported here: stdnum's package import costs ~30 ms that only validation needs.
    # Digits and length are checked above (with better messages than stdnum's), so
    # what is left of stdnum's IMEI rule is the Luhn check digit.
    from stdnum import luhn as _luhn

    if not _luhn.is_valid(number):
        expected = _luhn.calc_check_digit(number[:14])
        raise InvalidValue(f"check digit is wrong (expected {expected}); look for a mistyped digit")
    return number


def is_valid_imei(value: str) -> bool:
    """Whether ``validate_imei`` would accept the value."""
    try:
        validate_imei(value)
    except InvalidValue:
        return False
    return True


def format_imei(value: str) -> str:
    """The usual 2-6-6-1 grouping (TAC, serial, check digit) of a valid IMEI."""
    number = validate_imei(value)
    return f"{number[:2]} {number[2:8]} {number[8:14]} {number[14:]}"


def compact_eid(value: str) -> str:
    """The EID without spaces, dashes, slashes or dots; nothing is checked."""
    return _compact(value)


def validate_eid(value: str) -> str:
    """The compact 32-digit EID (checked ISO 7064 MOD 97-10, like an IBAN), or InvalidValue."""
    number = _compact(value)
    if not number:
        raise InvalidValue("no EID given")
    if not _is_digits(number):
        raise InvalidValue(f"an EID has only digits, got '{shown(value)}'")
    length = len(number)
    if length != EID_LENGTH:
        if number.startswith("89") and 18 <= length <= 22:
            raise InvalidValue(
                f"an EID has 32 digits, got {length}; this looks like an ICCID "
                "(the SIM card number), not the EID"
            )
        raise InvalidValue(f"an EID has 32 digits, got {length}")
    from stdnum.iso7064 import mod_97_10 as _mod_97_10

    if not _mod_97_10.is_valid(number):
        raise InvalidValue("check digits are wrong; look for a mistyped digit")
    return number


def is_valid_eid(value: str) -> bool:
    """Whether ``validate_eid`` would accept the value."""
    try:
        validate_eid(value)
    except InvalidValue:
        return False
    return True


def format_eid(value: str) -> str:
    """A valid EID in groups of four digits, easier to read back than 32 in a row."""
    number = validate_eid(value)
    return " ".join(number[i : i + 4] for i in range(0, len(number), 4))


def mask(value: str, keep: int = 4) -> str:
    """The compact form with all but the last ``keep`` characters hidden, for display."""
    number = _compact(value)
    keep = max(0, min(keep, len(number)))
    hidden = len(number) - keep
    return "•" * hidden + number[hidden:]
