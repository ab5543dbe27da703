"""Answers for the check tests: a small, complete, ready document with overrides.

Answers are built from ``BASE`` with overrides, then validated by
``answers.from_document`` exactly as a file would be, and evaluated at a fixed moment.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from readiness import answers, checks
from readiness.knowledge import Knowledge
from readiness.results import CheckResult, Evaluation

SGT = dt.timezone(dt.timedelta(hours=8))

DEPARTURE = dt.datetime(2026, 12, 3, 9, 30, tzinfo=SGT)

NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)


# Valid IMEIs (Luhn check digit correct) and a valid EID (MOD 97-10).
IMEI_A = "352099001761481"

IMEI_B = "353456789012348"


PHONE: dict[str, Any] = {
    "label": "Ada's iPhone",
    "model": "iPhone 16 Pro",
    "os_version": "19.4.1",
    "imei": IMEI_A,
    "battery": 80,
    "primary": True,
    "priority": "primary",
    "roaming_authorized": True,
    "wifi_calling": True,
}


BASE: dict[str, Any] = {
    "schema": 1,
    "traveler": {"name": "Ada Lovelace"},
    "trip": {
        "name": "Tokyo",
        "departure": DEPARTURE,
        "home": "SG",
        "destinations": ["JP"],
    },
    "plan": {"provider": "AlwaySIM", "multi_device": True, "coverage": ["JP"]},
    "devices": [PHONE],
    "checklist": {
        "same_wifi": True,
        "profiles_backed_up": "n/a",
        "offline_maps": True,
        "network_preference": True,
        "airplane_schedule": True,
    },
}


def device(**overrides: Any) -> dict[str, Any]:
    """A secondary device: the ready phone, not primary, with ``overrides``."""
    return {**PHONE, "primary": False, "priority": "standard", **overrides}


def devices(count: int) -> list[dict[str, Any]]:
    """``count`` devices, the first primary; no IMEIs, so none clash."""
    out = [{**PHONE, "imei": ""}]
    out += [device(label=f"Device {n}", imei="") for n in range(2, count + 1)]
    return out


def make(knowledge: Knowledge, **sections: Any) -> answers.Answers:
    """``BASE`` with whole sections replaced or, for dict values, keys overridden.

    ``trip={"destinations": [...]}`` changes only that key of ``[trip]``;
    ``devices=[...]`` replaces the list; a value of ``None`` removes a key.
    """
    doc = copy.deepcopy(BASE)
    for name, value in sections.items():
        if isinstance(value, dict) and isinstance(doc.get(name), dict):
            for key, item in value.items():
                if item is None:
                    doc[name].pop(key, None)
                else:
                    doc[name][key] = item
        else:
            doc[name] = copy.deepcopy(value)
    return answers.from_document(doc)


def run(
    knowledge: Knowledge, now: dt.datetime = NOW, *, strict: bool = False, **sections: Any
) -> Evaluation:
    return checks.evaluate(make(knowledge, **sections), knowledge, now, strict=strict)


def results(evaluation: Evaluation, check_id: str) -> list[CheckResult]:
    return [r for r in evaluation.results if r.id == check_id]


def one(evaluation: results.Evaluation, check_id: str, subject: str | None = None) -> CheckResult:
    """The single result for ``check_id`` (and ``subject`` when given)."""
    found = [r for r in results(evaluation, check_id) if subject is None or r.subject == subject]
    assert len(found) == 1, found
    return found[0]


def one_device(knowledge: Knowledge, check_id: str, **phone: Any) -> CheckResult:
    """Evaluate the base trip with one changed phone and return its ``check_id`` result.

    A value of ``None`` leaves the key out of the device.
    """
    changed = {k: v for k, v in {**PHONE, **phone}.items() if v is not None}
    evaluation = run(knowledge, devices=[changed])
    return one(evaluation, check_id, PHONE["label"])
