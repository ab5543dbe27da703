"""Numbers, times and entries the inventory store tests share."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from stdnum import luhn

from readiness import inventory
from readiness.inventory import Entry

FIXTURES = Path(__file__).parent / "fixtures" / "inventory"
ROOT = Path(__file__).parent.parent
NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)
IMEI_A = "352099001761481"
IMEI_B = "352099001761499"
IMEI_C = "353456789012348"
IMEI_D = "356789012345672"
EID = "89049032000000000000000001234585"


def make_imei(serial: int, tac: str = "35") -> str:
    body = f"{tac}{serial:012d}"
    return body + luhn.calc_check_digit(body)


def entry(
    label: str = "Ada's iPhone",
    imei: str = IMEI_A,
    *,
    model: str = "iPhone 15 Pro",
    imei2: str = "",
    eid: str = "",
    owner: str = "",
) -> Entry:
    return inventory.new_entry(
        label=label, model=model, imei=imei, imei2=imei2, eid=eid, owner=owner, now=NOW
    )


def inventory_file(home: Path) -> Path:
    return home / inventory.INVENTORY_FILE
