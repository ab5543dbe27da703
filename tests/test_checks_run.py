"""The whole check run: order, stable ids, verdicts, strict mode and formatting."""

from __future__ import annotations

import datetime as dt

import pytest
from checks_helpers import PHONE, SGT, one, run

from readiness import checks
from readiness.knowledge import Knowledge
from readiness.results import CheckResult, Status, Verdict, format_moment, format_span, verdict_of

# --- the whole run --------------------------------------------------------------------


def test_base_answers_are_ready(knowledge: Knowledge) -> None:
    evaluation = run(knowledge)
    assert evaluation.verdict is Verdict.READY
    assert {r.id for r in evaluation.results} == set(checks.CHECK_IDS)
    bad = [r for r in evaluation.results if r.status in (Status.FAIL, Status.WARN)]
    assert bad == []


def test_every_check_id_is_stable() -> None:
    assert checks.CHECK_IDS == (
        "device-count",
        "destination-device-limit",
        "destination-coverage",
        "departure-window",
        "data-budget",
        "primary-device",
        "device-compatibility",
        "os-version",
        "imei",
        "battery",
        "same-wifi",
        "profile-backup",
        "offline-maps",
        "network-preference",
        "roaming",
        "wifi-calling",
        "airplane-schedule",
    )


def test_results_keep_check_order(knowledge: Knowledge) -> None:
    evaluation = run(knowledge)
    order = [r.id for r in evaluation.results]
    assert order == sorted(order, key=checks.CHECK_IDS.index)


def test_failing_and_warning_results_carry_the_data_files_fix(knowledge: Knowledge) -> None:
    evaluation = run(knowledge, devices=[{**PHONE, "battery": 5}], checklist={"same_wifi": False})
    for result in evaluation.results:
        if result.status in (Status.FAIL, Status.WARN):
            assert result.fix, result
        else:
            assert result.fix == "", result
    assert (
        one(evaluation, "battery").fix == "Charge the device to at least 20 % before provisioning."
    )


def test_warnings_never_hide_failures(knowledge: Knowledge) -> None:
    evaluation = run(
        knowledge,
        devices=[{**PHONE, "battery": 19}],
        checklist={"airplane_schedule": False},
    )
    statuses = {r.status for r in evaluation.results}
    assert {Status.FAIL, Status.WARN} <= statuses
    assert evaluation.verdict is Verdict.NOT_READY


def test_warnings_alone_are_ready_with_warnings(knowledge: Knowledge) -> None:
    evaluation = run(knowledge, checklist={"airplane_schedule": False})
    assert {r.status for r in evaluation.results} - {Status.PASS, Status.SKIP} == {Status.WARN}
    assert evaluation.verdict is Verdict.READY_WITH_WARNINGS


def test_strict_turns_warnings_into_not_ready(knowledge: Knowledge) -> None:
    evaluation = run(knowledge, strict=True, checklist={"airplane_schedule": False})
    assert evaluation.verdict is Verdict.NOT_READY


def test_strict_leaves_a_clean_run_ready(knowledge: Knowledge) -> None:
    assert run(knowledge, strict=True).verdict is Verdict.READY


@pytest.mark.parametrize(
    ("statuses", "strict", "verdict"),
    [
        ((), False, Verdict.READY),
        ((Status.PASS, Status.SKIP), False, Verdict.READY),
        ((Status.PASS, Status.WARN), False, Verdict.READY_WITH_WARNINGS),
        ((Status.WARN, Status.FAIL), False, Verdict.NOT_READY),
        ((Status.FAIL, Status.WARN, Status.PASS), False, Verdict.NOT_READY),
        ((Status.PASS, Status.WARN), True, Verdict.NOT_READY),
        ((Status.PASS, Status.SKIP), True, Verdict.READY),
    ],
)
def test_verdict_of(statuses: tuple[Status, ...], strict: bool, verdict: Verdict) -> None:
    found = [CheckResult("x", s, "", "") for s in statuses]
    assert verdict_of(found, strict=strict) is verdict


def test_evaluate_is_deterministic(knowledge: Knowledge) -> None:
    assert run(knowledge) == run(knowledge)


# --- formatting helpers ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("span", "text"),
    [
        (dt.timedelta(0), "0 min"),
        (dt.timedelta(minutes=59), "59 min"),
        (dt.timedelta(hours=1, minutes=5), "1 h 05 min"),
        (dt.timedelta(days=1), "1 day 0 h"),
        (dt.timedelta(days=2, hours=4, minutes=59), "2 days 4 h"),
        (-dt.timedelta(hours=3), "3 h 00 min"),
    ],
)
def test_format_span(span: dt.timedelta, text: str) -> None:
    assert format_span(span) == text


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (dt.datetime(2026, 12, 1, 9, 30, tzinfo=SGT), "Tue 1 Dec 2026 09:30 +08"),
        (dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC), "Tue 1 Dec 2026 09:30 +00"),
        (
            dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=45))),
            "Tue 1 Dec 2026 09:30 +05:45",
        ),
    ],
)
def test_format_moment(moment: dt.datetime, text: str) -> None:
    assert format_moment(moment) == text
