"""Shared pieces of the walkthrough tests: a scripted trip, its keys, and a run of the command."""

from __future__ import annotations

import datetime as dt

NOW_DT = dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC)

ENTER, CLEAR, UP, DOWN, CTRL_C = "\r", "\x15", "\x1b[A", "\x1b[B", "\x03"


def device(battery: str = "80", imei: str = "352099001761481") -> list[str]:
    return [
        "iPhone 16 Pro" + ENTER,
        ENTER,  # label: "Ada's iPhone 16 Pro"
        "19.4.1" + ENTER,
        imei + ENTER,
        ENTER,  # no IMEI2
        ENTER,  # no EID
        battery + ENTER,
        ENTER,  # priority: standard
        "y",  # roaming
        "y",  # Wi-Fi Calling
        "n",  # no more devices
    ]
