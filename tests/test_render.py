"""Rendering results: the text a person reads and the JSON a script reads."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given
from hypothesis import strategies as st

from readiness.render.results import results_json, results_text
from readiness.results import CheckResult, Status, Verdict

DEADLINE = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
results = st.lists(
    st.builds(
        CheckResult,
        st.sampled_from(["imei", "battery", "device-count"]),
        st.sampled_from(list(Status)),
        st.text(),
        st.text(),
        st.text(),
    ),
    max_size=6,
)


@given(rows=results, verdict=st.sampled_from(list(Verdict)))
def test_json_reads_back_as_the_results_one_check_per_line(
    rows: list[CheckResult], verdict: Verdict
) -> None:
    text = results_json(rows, verdict, DEADLINE)
    doc = json.loads(text)
    assert doc["verdict"] == verdict.value
    assert doc["deadline"] == "2026-12-01T09:30:00+08:00"
    assert doc["checks"] == [
        {"id": r.id, "status": r.status.value, "subject": r.subject, "message": r.message,
         "fix": r.fix}
        for r in rows
    ]  # fmt: skip
    check_lines = [line for line in text.splitlines() if line.startswith('    {"id": ')]
    assert len(check_lines) == len(rows)


def test_text_groups_each_device_s_results_under_it_in_order() -> None:
    rows = [
        CheckResult("destination-device-limit", Status.PASS, "", "Within limits."),
        CheckResult("device-compatibility", Status.PASS, "Ada's iPhone", "Full."),
        CheckResult("device-compatibility", Status.PASS, "Ada's Watch", "Full."),
        CheckResult("battery", Status.FAIL, "Ada's iPhone", "12 %.", "Charge it."),
        CheckResult("battery", Status.PASS, "Ada's Watch", "90 %."),
    ]
    lines = [line.rstrip() for line in results_text(rows, Verdict.NOT_READY)]
    devices = lines[lines.index("Devices") :]
    assert lines[1] == "  ✓ destination-device-limit  Within limits."
    assert devices[:9] == [  # messages start in one column, trip-wide and per device
        "Devices",
        "  Ada's iPhone",
        "    ✓ device-compatibility    Full.",
        "    ✗ battery                 12 %.",
        "                              → Charge it.",
        "  Ada's Watch",
        "    ✓ device-compatibility    Full.",
        "    ✓ battery                 90 %.",
        "",
    ]
