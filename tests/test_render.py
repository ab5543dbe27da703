"""Rendering results: the text a person reads and the JSON a script reads."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readiness import answers as answers_mod
from readiness import checks, guide
from readiness.guide import SetupPlan
from readiness.knowledge import Knowledge
from readiness.render.guide import plan_text
from readiness.render.results import results_json, results_text
from readiness.render.style import Style, display_width, table
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


# --- display width: wide and combining characters, and wrapping at the terminal's width ---------

EXAMPLE = Path(__file__).parent.parent / "examples" / "answers.toml"
NOW = dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC)
WIDE = "愛子のiPhone"  # 3 wide characters and 6 narrow: 12 columns
COMBINING = "Zoe\u0308's iPad"  # "Zoë's iPad" with a combining diaeresis: 10 columns


def cjk_plan(knowledge: Knowledge) -> SetupPlan:
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("Ada's iPhone", WIDE).replace("Ada's iPad", COMBINING)
    answers = answers_mod.from_document(tomllib.loads(text), "cjk.toml")
    evaluation = checks.evaluate(answers, knowledge, NOW)
    return guide.plan(answers, knowledge, list(evaluation.results))


def column_of(line: str, text: str) -> int:
    """The display column at which ``text`` starts in ``line``."""
    return display_width(line[: line.index(text)])


def test_a_table_pads_wide_and_combining_characters_by_the_columns_they_take() -> None:
    lines = table(["Device", "Priority"], [[WIDE, "Primary"], [COMBINING, "Standard"]], rule=True)
    assert lines == [
        "Device        Priority",
        "------------  --------",
        f"{WIDE}  Primary",
        f"{COMBINING}    Standard",
    ]
    assert {column_of(lines[2], "Primary"), column_of(lines[3], "Standard")} == {14}


def test_the_guide_s_priority_table_lines_up_wide_labels(knowledge: Knowledge) -> None:
    lines = plan_text(cjk_plan(knowledge), "readiness recheck r.toml", NOW)
    rows = [line for line in lines if line.startswith(("     ✓ ", "     ! "))]
    assert [row[7:].split("  ")[0] for row in rows] == [
        WIDE,
        COMBINING,
        "Ada's Watch",
        "Ada's MacBook",
    ]
    assert column_of(rows[0], "Primary") == 22
    assert {column_of(rows[1], "Standard"), column_of(rows[2], "Background")} == {22}
    assert rows[0] == f"     ✓ {WIDE}   Primary                 Navigation: Primary on a phone"


def words_of(lines: list[str]) -> list[str]:
    """The words in order; a narrow activity table says the same with ':' and ';' between."""
    return [word.rstrip(":;") for word in " ".join(lines).split()]


@pytest.mark.parametrize("width", [60, 72])
def test_the_guide_wraps_at_the_width_between_words(knowledge: Knowledge, width: int) -> None:
    plan = cjk_plan(knowledge)
    whole = plan_text(plan, "readiness recheck r.toml", NOW)
    wrapped = plan_text(plan, "readiness recheck r.toml", NOW, Style(width=width))
    assert max(display_width(line) for line in wrapped) <= width
    assert words_of(wrapped) == words_of(whole)  # no word cut, none lost
    assert all(line == line.rstrip() for line in wrapped)


def test_a_narrow_guide_lists_the_activity_table_one_activity_a_line(
    knowledge: Knowledge,
) -> None:
    lines = plan_text(cjk_plan(knowledge), "readiness recheck r.toml", NOW, Style(width=60))
    start = lines.index("   The guide's activity table")
    assert lines[start + 1 : start + 3] == [
        "     Email and messaging: 50-100 MB a day; phone or watch;",
        "       Standard",
    ]
    notes = [line for line in lines if line.lstrip().startswith("→ Streaming video")]
    assert notes[0] == "       → Streaming video, 0.5 h a day, runs at Background"


def test_results_wrap_at_the_width_between_words_under_their_column() -> None:
    rows = [
        CheckResult(
            "data-budget",
            Status.WARN,
            "",
            "Estimated 28.0-62.5 GB over 10 days may exceed the 40 GB pool.",
            "Use Wi-Fi for streaming and updates.",
        ),
        CheckResult("battery", Status.PASS, WIDE, "Battery at 80 %."),
    ]
    whole = results_text(rows, Verdict.READY_WITH_WARNINGS)
    wrapped = results_text(rows, Verdict.READY_WITH_WARNINGS, Style(width=60))
    assert wrapped[:5] == [
        "Plan and trip",
        "  ! data-budget  Estimated 28.0-62.5 GB over 10 days may",
        "                 exceed the 40 GB pool.",
        "                 → Use Wi-Fi for streaming and updates.",
        "",
    ]
    assert wrapped[-2:] == [
        "Ready, with warnings: read the lines marked '!'.  (1 passed,",
        "  1 warning)",
    ]
    assert max(display_width(line) for line in wrapped) <= 60
    assert words_of(wrapped) == words_of(whole)


def test_a_blocker_to_fix_first_does_not_narrow_the_rest_of_the_plan(
    knowledge: Knowledge,
) -> None:
    """The check-id column width once replaced the terminal width: every later line wrapped
    at the width of "device-compatibility"."""
    from readiness import answers as answers_mod
    from readiness import checks, guide
    from readiness.render import guide as render_guide

    example = Path(__file__).parent.parent / "examples" / "answers.toml"
    answers = answers_mod.load(example)
    now = dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC)
    results = checks.evaluate(answers, knowledge, now).results
    blocker = CheckResult("device-compatibility", Status.FAIL, "Ada's Watch", "not placed", "fix")
    clean = render_guide.plan_text(guide.plan(answers, knowledge, results), "next", now)
    blocked = render_guide.plan_text(
        guide.plan(answers, knowledge, (*results, blocker)), "next", now
    )
    rest = blocked[blocked.index("") :]
    assert "    ✗ device-compatibility  not placed" in blocked
    assert max(len(line) for line in rest) > 40
    assert rest[-20:] == clean[-20:]
