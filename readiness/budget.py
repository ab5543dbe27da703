"""The data budget: the guide's activity table against the planned use and the trip's days.

Apart from the checks so the arithmetic, and what it leaves out, is read in one place.
"""

from __future__ import annotations

from readiness.answers import Answers
from readiness.knowledge import Knowledge


def estimate_mb(a: Answers, k: Knowledge) -> tuple[float, float]:
    """Daily use in MB, low and high, from the activity table and the planned use."""
    rows = {row.id: row for row in k.activities}
    low = high = 0.0
    for key, value in a.usage:
        row = rows.get(key.removesuffix("_hours"))
        if row is None or row.low_mb is None or row.high_mb is None:
            continue
        amount = float(value) if row.per == "hour" else (1.0 if value else 0.0)
        low += row.low_mb * amount
        high += row.high_mb * amount
    return low, high


def trip_days(a: Answers) -> int:
    """Days of use, the departure and return days whole (an assumption the data file names)."""
    if a.trip.return_date is None:
        return 0
    return (a.trip.return_date - a.trip.departure.date()).days + 1


def uncounted(k: Knowledge) -> str:
    """What the estimate leaves out and why, from the activity table's own marks."""
    parts = []
    for row in k.activities:
        if row.varies:
            why = "its use varies too widely to estimate"
            parts.append(f"{row.name.lower()} ({why}{'; keep it for Wi-Fi' * row.wifi_preferred})")
    return f"Not counted: {', '.join(parts)}." if parts else ""
