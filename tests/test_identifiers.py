from __future__ import annotations

import pytest

from readiness.errors import InvalidValue, ReadinessError
from readiness.identifiers import (
    compact_eid,
    compact_imei,
    format_eid,
    format_imei,
    is_valid_eid,
    is_valid_imei,
    mask,
    validate_eid,
    validate_imei,
)

IMEI = "352099001761481"


def make_eid(body: str = "890490320000010000000000000001") -> str:
    """A valid EID: 30 digits plus the two MOD 97-10 check digits."""
    assert len(body) == 30
    check = 98 - int(body + "00") % 97
    return f"{body}{check:02d}"


EID = make_eid()


def test_make_eid_gives_remainder_one() -> None:
    assert len(EID) == 32
    assert int(EID) % 97 == 1


@pytest.mark.parametrize(
    "value",
    [
        IMEI,
        "35 209900 176148 1",
        "35-209900-176148-1",
        "35/209900/176148/1",
        " 35.2099.0017.6148.1 ",
    ],
)
def test_validate_imei_accepts_separators(value: str) -> None:
    assert validate_imei(value) == IMEI


def test_validate_imei_accepts_full_width_digits() -> None:
    assert validate_imei("３５２０９９００１７６１４８１") == IMEI


def test_compact_imei_does_not_validate() -> None:
    assert compact_imei(" 12-34 x ") == "1234x"


def test_wrong_check_digit_names_the_expected_one() -> None:
    with pytest.raises(InvalidValue) as caught:
        validate_imei("352099001761482")
    assert str(caught.value) == "check digit is wrong (expected 1); look for a mistyped digit"


def test_empty_imei() -> None:
    with pytest.raises(InvalidValue, match=r"^no IMEI given$"):
        validate_imei("  ")


def test_imei_with_a_letter() -> None:
    with pytest.raises(InvalidValue) as caught:
        validate_imei("35209900176148O")
    assert str(caught.value) == "an IMEI has only digits, got '35209900176148O'"


def test_imeisv_is_recognised() -> None:
    with pytest.raises(InvalidValue) as caught:
        validate_imei("3520990017614811")
    assert str(caught.value) == (
        "16 digits looks like an IMEISV (IMEI plus software version number), not an IMEI; "
        "the IMEI has 15 digits (dial *#06# to see it)"
    )


def test_missing_check_digit() -> None:
    with pytest.raises(InvalidValue, match="missing its check digit"):
        validate_imei(IMEI[:14])


def test_other_lengths() -> None:
    with pytest.raises(InvalidValue, match=r"^an IMEI has 15 digits, got 13$"):
        validate_imei(IMEI[:13])


def test_refusals_are_readiness_errors_and_value_errors() -> None:
    with pytest.raises(ReadinessError):
        validate_imei("x")
    with pytest.raises(ValueError, match="only digits"):
        validate_imei("x")


def test_long_junk_is_truncated_in_the_message() -> None:
    with pytest.raises(InvalidValue) as caught:
        validate_imei("a" * 1000)
    assert len(str(caught.value)) < 100


def test_control_characters_are_escaped_in_the_message() -> None:
    with pytest.raises(InvalidValue) as caught:
        validate_imei("12\x0034")
    assert "\x00" not in str(caught.value)


def test_is_valid_imei() -> None:
    assert is_valid_imei(IMEI)
    assert not is_valid_imei("352099001761482")
    assert not is_valid_imei("")


def test_format_imei() -> None:
    assert format_imei("352-099-001-761-481") == "35 209900 176148 1"
    with pytest.raises(InvalidValue):
        format_imei("352099001761482")


def test_validate_eid() -> None:
    spaced = " ".join(EID[i : i + 8] for i in range(0, 32, 8))
    assert validate_eid(spaced) == EID
    assert compact_eid(spaced) == EID
    assert is_valid_eid(EID)


def test_eid_check_digits() -> None:
    broken = EID[:-1] + str((int(EID[-1]) + 1) % 10)
    assert not is_valid_eid(broken)
    with pytest.raises(InvalidValue) as caught:
        validate_eid(broken)
    assert str(caught.value) == "check digits are wrong; look for a mistyped digit"


def test_eid_length() -> None:
    with pytest.raises(InvalidValue) as caught:
        validate_eid(EID[:31])
    assert str(caught.value) == "an EID has 32 digits, got 31"


def test_iccid_instead_of_eid() -> None:
    with pytest.raises(InvalidValue, match="looks like an ICCID"):
        validate_eid("8944500102198304826")


def test_eid_empty_and_letters() -> None:
    with pytest.raises(InvalidValue, match=r"^no EID given$"):
        validate_eid("")
    with pytest.raises(InvalidValue, match=r"^an EID has only digits, got 'EID: 89'$"):
        validate_eid("EID: 89")


def test_format_eid() -> None:
    formatted = format_eid(EID)
    assert formatted.split() == [EID[i : i + 4] for i in range(0, 32, 4)]


def test_mask() -> None:
    assert mask("35 209900 176148 1") == "•••••••••••1481"
    assert mask(IMEI, keep=2) == "•" * 13 + "81"
    assert mask(IMEI, keep=0) == "•" * 15
    assert mask("12") == "12"
    assert mask("") == ""


def test_module_doctests_pass() -> None:
    """The examples in the module docstring are the face people read first: they must hold."""
    import doctest

    import readiness.identifiers

    outcome = doctest.testmod(readiness.identifiers, verbose=False, report=False)
    assert outcome.failed == 0
    assert outcome.attempted >= 4
