"""Data files other than the shipped one: each problem refused, located; the guide's procedures
and the knowledge that used to be code, as data."""

from __future__ import annotations

from pathlib import Path

import pytest

from readiness import knowledge as knowledge_mod
from readiness.errors import InputError
from readiness.knowledge import Knowledge

SHIPPED = knowledge_mod.default_data_path()


# --- broken data files ----------------------------------------------------------------------


def broken(tmp_path: Path, old: str, new: str) -> Path:
    """A copy of the shipped data file with exactly one thing changed."""
    text = SHIPPED.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must appear once in the shipped file"
    path = tmp_path / "compatibility.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def load_problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        knowledge_mod.load(path)
    assert caught.value.exit_code == 2
    return caught.value.lines()


def line_number(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if needle in line)


def test_copy_of_the_shipped_file_loads(tmp_path: Path, knowledge: Knowledge) -> None:
    path = tmp_path / "compatibility.toml"
    path.write_bytes(SHIPPED.read_bytes())
    copy = knowledge_mod.load(path)
    assert copy.source == str(path)
    assert copy.sha256 == knowledge.sha256
    assert copy.matrix == knowledge.matrix
    assert copy.rules == knowledge.rules


def test_wrong_type_is_refused_once(tmp_path: Path) -> None:
    path = broken(tmp_path, "max_devices = 8", 'max_devices = "8"')
    line = line_number(path, 'max_devices = "8"')
    assert load_problems(path) == [
        f"{path}: limits.max_devices (line {line}): must be a whole number, got string '8'"
    ]


def test_missing_limit(tmp_path: Path) -> None:
    path = broken(tmp_path, "registration_wait_seconds = 60\n", "")
    line = line_number(path, "[limits]")
    assert load_problems(path) == [
        f"{path}: limits.registration_wait_seconds (line {line}): missing"
    ]


def test_non_positive_limit(tmp_path: Path) -> None:
    path = broken(tmp_path, "predeparture_hours = 48", "predeparture_hours = 0")
    line = line_number(path, "predeparture_hours = 0")
    assert load_problems(path) == [
        f"{path}: limits.predeparture_hours (line {line}): must be positive, got 0"
    ]


def test_battery_limit_above_100(tmp_path: Path) -> None:
    path = broken(tmp_path, "min_battery_percent = 20", "min_battery_percent = 120")
    line = line_number(path, "min_battery_percent = 120")
    assert load_problems(path) == [
        f"{path}: limits.min_battery_percent (line {line}): must be 0-100"
    ]


def test_rule_naming_an_unknown_matrix_row(tmp_path: Path) -> None:
    path = broken(tmp_path, 'row = "pixel-8-and-newer"', 'row = "pixel-9-and-newer"')
    line = line_number(path, 'row = "pixel-9-and-newer"')
    assert load_problems(path) == [
        f"{path}: rules[21].row (line {line}): no matrix row has id 'pixel-9-and-newer'"
    ]


def test_bad_regular_expression(tmp_path: Path) -> None:
    path = broken(tmp_path, "pattern = '^pixel fold$'", "pattern = '^pixel (fold$'")
    line = line_number(path, "pattern = '^pixel (fold$'")
    problem, unplaced = load_problems(path)
    assert problem.startswith(
        f"{path}: rules[23].pattern (line {line}): not a valid regular expression: "
    )
    # Without the rule, a codename's model is placed by none: said too, not hidden.
    assert "codenames.felix" in unplaced
    assert unplaced.endswith("no rule places 'Google Pixel Fold'")


def test_catalogue_name_no_rule_places(tmp_path: Path) -> None:
    path = broken(
        tmp_path,
        '  "Windows laptop with 5G", "Lenovo ThinkPad X13s 5G",',
        '  "Nokia 3310", "Windows laptop with 5G", "Lenovo ThinkPad X13s 5G",',
    )
    [problem] = load_problems(path)
    assert problem.startswith(f"{path}: catalogue[7].names[1] (line ")
    assert problem.endswith("no rule places 'Nokia 3310'; give the entry an explicit row")


def test_catalogue_name_in_no_line(tmp_path: Path) -> None:
    path = broken(tmp_path, """"XPS" = { kind = "laptop", pattern = '^xps\\b' }\n""", "")
    assert knowledge_mod.load(path).models.line("Dell XPS 13") is None  # no catalogue XPS
    path = broken(tmp_path, """"ThinkPad" = { kind = "laptop", pattern = '^thinkpad\\b' }\n""", "")
    problems = load_problems(path)
    assert len(problems) == 3  # the three ThinkPads of the catalogue
    assert problems[0].startswith(f"{path}: catalogue[7].names[2] (line ")
    assert problems[0].endswith("no line in [lines] takes 'Lenovo ThinkPad X13s 5G'")


def test_catalogue_name_in_a_line_of_another_kind(tmp_path: Path) -> None:
    path = broken(
        tmp_path,
        """"Galaxy Z Fold" = { kind = "phone",""",
        """"Galaxy Z Fold" = { kind = "tablet",""",
    )
    problems = load_problems(path)
    assert [p.split(" (line ")[0] for p in problems] == [
        f"{path}: catalogue[2].names[16]",
        f"{path}: catalogue[2].names[18]",
    ]
    assert problems[0].endswith(
        "'Samsung Galaxy Z Fold6' is a phone, but its line 'Galaxy Z Fold' is a tablet"
    )


def test_a_line_needs_a_kind_and_a_pattern(tmp_path: Path) -> None:
    path = broken(
        tmp_path,
        """"Pixel Tablet" = { kind = "tablet", pattern = '^pixel tablet\\b' }""",
        """"Pixel Tablet" = { kind = "slate", pattern = '^pixel tablet(' }""",
    )
    problems = [p.split(" (line ")[0] + p.split(")", 1)[1] for p in load_problems(path)]
    assert problems == [
        f"{path}: lines.Pixel Tablet.kind: must be one of: phone, tablet, watch, laptop",
        f"{path}: lines.Pixel Tablet.pattern: not a valid regular expression: "
        "missing ), unterminated subpattern at position 13",
    ]


def test_os_minimum_that_is_no_version(tmp_path: Path) -> None:
    path = broken(tmp_path, 'macos = "16.2"', 'macos = "sixteen"')
    [problem] = load_problems(path)
    assert problem.startswith(f"{path}: os_minimums.macos (line ")
    assert "'sixteen'" in problem


def test_os_minimum_for_an_unknown_family(tmp_path: Path) -> None:
    path = broken(tmp_path, 'macos = "16.2"', 'macos = "16.2"\nharmonyos = "5"')
    [problem] = load_problems(path)
    assert problem.startswith(f"{path}: os_minimums.harmonyos (line ")
    assert "unknown OS family" in problem


def test_matrix_value_of_the_wrong_type(tmp_path: Path) -> None:
    path = broken(tmp_path, 'esim = "Varies"', "esim = 3")
    [problem] = load_problems(path)
    assert problem.startswith(f"{path}: matrix[8].esim (line ")
    assert problem.endswith("must be a string, got integer 3")


def test_matrix_row_of_an_unknown_kind(tmp_path: Path) -> None:
    path = broken(tmp_path, 'kind = "tablet"\nos = "ipados"', 'kind = "phablet"\nos = "ipados"')
    [problem] = load_problems(path)
    assert problem.startswith(f"{path}: matrix[5].kind (line ")


def test_checklist_of_the_wrong_length(tmp_path: Path) -> None:
    old = '[[setup]]\nid = "same-wifi"\ntext = "All devices are on the same Wi-Fi network'
    path = broken(tmp_path, old, old.replace("[[setup]]", "[[setupp]]"))
    problems = load_problems(path)
    assert any(
        p.startswith(f"{path}: setup (line ") and p.endswith("the guide lists 7 items, got 6")
        for p in problems
    )
    assert any(p.startswith(f"{path}: setupp (line ") and "unknown key" in p for p in problems)


def test_fix_of_the_wrong_type(tmp_path: Path) -> None:
    path = broken(tmp_path, "data-budget = ", "data-budget = 3\nold-data-budget = ")
    assert f"{path}: fixes.data-budget (line " in "\n".join(load_problems(path))


def test_other_schema(tmp_path: Path) -> None:
    path = broken(tmp_path, "schema = 1", "schema = 2")
    assert load_problems(path) == [
        f"{path}: schema (line {line_number(path, 'schema = 2')}): "
        "this version of readiness reads schema 1, got 2"
    ]


def test_every_problem_of_a_data_file_at_once(tmp_path: Path) -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    text = text.replace("max_devices = 8", "max_devices = -8").replace(
        'row = "pixel-8-and-newer"', 'row = "pixel-9"'
    )
    path = tmp_path / "compatibility.toml"
    path.write_text(text, encoding="utf-8")
    problems = load_problems(path)
    assert len(problems) == 2
    assert "limits.max_devices" in problems[0]
    assert "rules[21].row" in problems[1]


def test_data_file_syntax_error(tmp_path: Path) -> None:
    path = broken(tmp_path, "schema = 1", "schema = = 1")
    [problem] = load_problems(path)
    assert problem.startswith(f"{path}: line {line_number(path, 'schema = = 1')}, column ")


def test_data_file_missing(tmp_path: Path) -> None:
    path = tmp_path / "nope.toml"
    assert load_problems(path) == [f"{path}: no such data file"]


def test_data_file_empty(tmp_path: Path) -> None:
    path = tmp_path / "empty.toml"
    path.write_text("", encoding="utf-8")
    assert load_problems(path) == [f"{path}: is empty; expected a TOML data file"]


def test_a_data_file_without_a_fix_for_a_check_is_refused(tmp_path: Path) -> None:
    from readiness.checks import CHECK_IDS

    path = broken(tmp_path, '\nbattery = "Charge', '\nbattery_hint = "Charge')
    with pytest.raises(InputError) as caught:
        knowledge_mod.load(path, CHECK_IDS)
    assert caught.value.lines() == [
        f"{path}: fixes.battery (line {line_number(path, '[fixes]')}): missing: every check "
        "needs a fix hint",
        f"{path}: fixes.battery_hint (line {line_number(path, 'battery_hint')}): no check has "
        "this id",
    ]


def test_the_shipped_file_has_a_fix_for_every_check() -> None:
    from readiness.checks import CHECK_IDS

    loaded = knowledge_mod.load(None, CHECK_IDS)
    assert all(loaded.fix(check_id) for check_id in CHECK_IDS)


def test_a_fix_cites_troubleshooting_steps_word_for_word(knowledge: Knowledge) -> None:
    steps = knowledge.troubleshooting["wont-join"].steps
    assert knowledge.fix("same-wifi").endswith(steps[1])
    assert knowledge.troubleshooting["excessive-data"].steps[2] in knowledge.fix("data-budget")


def test_a_fix_citing_a_step_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    path = broken(tmp_path, 'steps = ["wont-join.2"]', 'steps = ["wont-join.9"]')
    line = line_number(path, "wont-join.9")
    assert load_problems(path) == [
        f"{path}: fixes.same-wifi.steps[1] (line {line}): no troubleshooting step 'wont-join.9'"
    ]


@pytest.mark.parametrize("name", ["Windows laptops with 5G", "Windows laptop with 5G"])
def test_the_rows_own_name_is_placed_on_it(knowledge: Knowledge, name: str) -> None:
    row = knowledge.place(name).row
    assert row is not None
    assert row.id == "windows-laptop-5g"


# --- the guide's configuration and troubleshooting procedures ------------------------------

# Steps per procedure, counted in the guide: its bullet lists under "Establishing Your
# Primary Device", "Adding Secondary Devices" (tablets and secondary phones;
# smartwatches; laptops: three Windows steps, two MacBook steps), "Configuring
# Intelligent Data Routing", the Wi-Fi advice with its two platform menus, and the five
# troubleshooting lists.
SETUP_STEPS = {
    "primary": 7,  # the guide's six, its "(iOS 19)" remark a step of its own for iOS
    "secondary": 6,
    "watch": 5,
    "windows-laptop": 3,
    "macbook": 2,
    "data-routing": 5,
    "data-saving": 3,
}
TROUBLESHOOTING_STEPS = {
    "wont-join": 5,
    "secondary-connectivity": 4,
    "handoff": 4,  # four conditions, then the fallback
    "excessive-data": 4,
    "border-registration": 2,
    "priority-mismatch": 1,
}


def test_every_configuration_step_of_the_guide_is_in_the_data(knowledge: Knowledge) -> None:
    counted = {key: len(p.steps) for key, p in knowledge.setup_procedures.items()}
    assert counted == SETUP_STEPS


def test_every_troubleshooting_step_of_the_guide_is_in_the_data(knowledge: Knowledge) -> None:
    counted = {key: len(p.steps) for key, p in knowledge.troubleshooting.items()}
    assert counted == TROUBLESHOOTING_STEPS
    assert all(p.symptom for p in knowledge.troubleshooting.values())
    assert knowledge.troubleshooting["wont-join"].cause == "usually a provisioning mismatch"


def test_the_registration_wait_is_the_guides_sixty_seconds(knowledge: Knowledge) -> None:
    steps = knowledge.troubleshooting["border-registration"].steps
    assert steps == (
        "Turn airplane mode on, then off.",
        "Wait 60 seconds for the device to register.",
    )
    assert f"{knowledge.limits.registration_wait_seconds} seconds" in steps[1]


MENU_ITEMS = {
    "primary": ["Add eSIM", "Set Up Multi-Device Profile", "This device will manage other devices"],
    "secondary": [
        "Settings > Cellular > Manage Devices",
        "Add Device to Plan",
        "Join Existing Plan",
    ],
    "watch": ["companion", "Share Plan with Watch", "Bluetooth"],
    "windows-laptop": ["Network & Internet > Cellular", "Add eSIM", "Link to existing plan"],
    "macbook": ["System Settings > Network > Cellular", "Join Multi-Device Plan", "Apple ID"],
    "data-routing": [
        "Multi-Device Settings > Data Priority",
        "Primary, Standard or Background",
        "Smart Handoff",
    ],
    "data-saving": [
        "Cellular > Cellular Data Options > Data Mode",
        "Network > Data Saver > App Data Usage",
    ],
}


@pytest.mark.parametrize(("procedure", "menu_items"), list(MENU_ITEMS.items()))
def test_the_menu_items_the_guide_names_are_kept(
    knowledge: Knowledge, procedure: str, menu_items: list[str]
) -> None:
    text = " ".join(step.text for step in knowledge.setup_procedures[procedure].steps)
    for item in menu_items:
        assert item in text


def test_who_each_procedure_is_for(knowledge: Knowledge) -> None:
    found = {key: (p.role, p.kinds, p.os) for key, p in knowledge.setup_procedures.items()}
    assert found == {
        "primary": ("primary", ("phone",), ()),
        "secondary": ("secondary", ("phone", "tablet"), ()),
        "watch": ("secondary", ("watch",), ()),
        "windows-laptop": ("secondary", ("laptop",), ("windows",)),
        "macbook": ("secondary", ("laptop",), ("macos",)),
        "data-routing": ("plan", (), ()),
        "data-saving": ("any", (), ()),
    }
    saving = knowledge.setup_procedures["data-saving"]
    assert [step.os for step in saving.steps] == [(), ("ios",), ("android",)]
    assert [n for n, _ in saving.steps_for("phone", "ios")] == [1, 2]
    assert [n for n, _ in saving.steps_for("phone", "android")] == [1, 3]
    assert [n for n, _ in saving.steps_for("tablet", "ipados")] == [1]
    assert dict(knowledge.setup_procedures["watch"].companions) == {
        "watchos": "ios",
        "wearos": "android",
    }


def without_table(tmp_path: Path, header: str) -> Path:
    """A copy of the shipped file with one whole [table] (up to the next one) removed."""
    text = SHIPPED.read_text(encoding="utf-8")
    start = text.index(f"{header}\n")
    end = text.index("\n[", start + len(header))
    path = tmp_path / "compatibility.toml"
    path.write_text(text[:start] + text[end + 1 :], encoding="utf-8")
    return path


def test_a_data_file_missing_a_setup_procedure_is_refused(tmp_path: Path) -> None:
    path = without_table(tmp_path, "[setup_procedures.watch]")
    assert load_problems(path) == [f"{path}: setup_procedures.watch: missing"]


def test_a_data_file_missing_a_troubleshooting_procedure_is_refused(tmp_path: Path) -> None:
    path = without_table(tmp_path, "[troubleshooting.handoff]")
    assert load_problems(path) == [f"{path}: troubleshooting.handoff: missing"]


def test_a_data_file_without_setup_procedures_is_refused(tmp_path: Path) -> None:
    text = SHIPPED.read_text(encoding="utf-8").replace("[setup_procedures.", "[old_setup.")
    path = tmp_path / "compatibility.toml"
    path.write_text(text, encoding="utf-8")
    problems = load_problems(path)
    assert f"{path}: setup_procedures: missing" in problems


def test_a_setup_procedure_for_an_unknown_kind_is_refused(tmp_path: Path) -> None:
    path = broken(
        tmp_path, 'role = "primary"\nkinds = ["phone"]', 'role = "primary"\nkinds = ["phablet"]'
    )
    line = line_number(path, '"phablet"')
    assert load_problems(path) == [
        f"{path}: setup_procedures.primary.kinds[1] (line {line}): "
        "must be one of: phone, tablet, watch, laptop"
    ]


def test_a_setup_procedure_with_an_unknown_role_is_refused(tmp_path: Path) -> None:
    path = broken(tmp_path, 'role = "plan"', 'role = "everyone"')
    line = line_number(path, 'role = "everyone"')
    assert load_problems(path) == [
        f"{path}: setup_procedures.data-routing.role (line {line}): "
        "must be one of: primary, secondary, any, plan"
    ]


def test_a_setup_step_for_an_unknown_os_is_refused(tmp_path: Path) -> None:
    path = broken(tmp_path, 'Data Mode.", os = ["ios"]', 'Data Mode.", os = ["iOS"]')
    [problem] = load_problems(path)
    assert problem.startswith(f"{path}: setup_procedures.data-saving.steps[2].os[1] (line ")
    assert problem.endswith("must be one of: ios, ipados, watchos, android, wearos, windows, macos")


def test_a_setup_procedure_without_steps_is_refused(tmp_path: Path) -> None:
    old = """steps = [
  "Open System Settings > Network > Cellular.",
  "Choose \\"Join Multi-Device Plan\\" and sign in with the Apple ID.",
]"""
    path = broken(tmp_path, old, "steps = []")
    line = line_number(path, "steps = []")
    assert load_problems(path) == [
        f"{path}: setup_procedures.macbook.steps (line {line}): must be a non-empty list of steps"
    ]


def test_a_setup_step_that_is_no_sentence_is_refused(tmp_path: Path) -> None:
    path = broken(tmp_path, '  "Choose \\"Add Device to Plan\\".",', "  42,")
    [problem] = load_problems(path)
    assert problem.startswith(f"{path}: setup_procedures.secondary.steps[2]")
    assert problem.endswith("must be a step: a sentence, or a table with text (and kinds, os)")


# --- knowledge that used to be code: recheck, questions, Windows releases, contents -----------


def test_the_recheck_and_the_questions_are_data(knowledge: Knowledge) -> None:
    assert knowledge.recheck_window_hours == 24
    assert knowledge.time_sensitive_answers == (
        "battery",
        "os_version",
        "roaming_authorized",
        "wifi_calling",
        "offline_maps",
        "network_preference",
        "airplane_schedule",
    )
    assert knowledge.optional_answers == {
        "trip.return",
        "plan.max_devices",
        "plan.device_limits",
        "plan.pool_gb",
        "device.imei",
        "device.imei2",
        "device.eid",
        "device.priority",
    }


def test_windows_release_names_come_from_the_data_file(knowledge: Knowledge) -> None:
    assert knowledge.windows_releases.names(11) == ["21H2", "22H2", "23H2", "24H2", "25H2"]
    assert knowledge.windows_releases.names(10) == ["20H2", "21H1", "21H2", "22H2"]
    assert str(knowledge.parse_version("Windows 11 25H2", "windows")) == "10.0.26200"
    assert knowledge.describe_version(knowledge.parse_version("10.0.22631.1"), "windows") == (
        "Windows 11 23H2 (build 22631.1)"
    )


def test_a_new_windows_release_in_the_data_file_is_read(tmp_path: Path) -> None:
    path = broken(tmp_path, '"25H2" = 26200 }', '"25H2" = 26200, "26H2" = 26300 }')
    loaded = knowledge_mod.load(path)
    assert str(loaded.parse_version("Windows 11 26H2", "windows")) == "10.0.26300"


def test_a_windows_10_build_under_windows_11_is_refused(tmp_path: Path) -> None:
    path = broken(tmp_path, '"21H2" = 22000,', '"21H2" = 19044,')
    line = line_number(path, "windows11 = ")
    assert load_problems(path) == [
        f"{path}: windows_releases.windows11.21H2 (line {line}): "
        "must be a Windows 11 build, 22000-99999"
    ]


def test_a_release_name_that_is_no_release_is_refused(tmp_path: Path) -> None:
    path = broken(tmp_path, '"20H2" = 19042', '"2020" = 19042')
    line = line_number(path, "windows10 = ")
    assert load_problems(path) == [
        f"{path}: windows_releases.windows10.2020 (line {line}): "
        "must be a release name such as 24H2"
    ]


def test_an_os_minimum_naming_a_release_the_table_lacks_is_refused(tmp_path: Path) -> None:
    path = broken(tmp_path, ', "24H2" = 26100', "")
    [problem] = load_problems(path)
    assert problem.startswith(f"{path}: os_minimums.windows (line ")
    assert "unknown Windows 11 release '24H2'" in problem


def test_a_recheck_window_must_be_positive(tmp_path: Path) -> None:
    path = broken(tmp_path, "window_hours = 24", "window_hours = 0")
    line = line_number(path, "window_hours = 0")
    assert load_problems(path) == [
        f"{path}: recheck.window_hours (line {line}): must be positive, got 0"
    ]


def test_an_optional_answer_must_name_a_table_and_key(tmp_path: Path) -> None:
    path = broken(tmp_path, '"trip.return", "plan.max_devices"', '"return", "plan.max_devices"')
    [problem] = load_problems(path)
    assert problem.startswith(f"{path}: questions.optional[1] (line ")
    assert problem.endswith("""must be "table.key", got 'return'""")


def test_an_answer_asked_again_twice_is_refused(tmp_path: Path) -> None:
    path = broken(tmp_path, '"battery", "os_version",', '"battery", "battery",')
    [problem] = load_problems(path)
    assert problem.startswith(f"{path}: recheck.ask_again[2] (line ")
    assert problem.endswith("'battery' is listed twice")


def test_the_checklist_length_is_the_one_the_data_file_declares(tmp_path: Path) -> None:
    path = broken(tmp_path, "setup_items = 7", "setup_items = 8")
    [problem] = load_problems(path)
    assert problem.startswith(f"{path}: setup (line ")
    assert problem.endswith("the guide lists 8 items, got 7")


def test_a_declared_procedure_the_file_lacks_is_refused(tmp_path: Path) -> None:
    path = broken(tmp_path, '"priority-mismatch",\n]', '"priority-mismatch", "lost-phone",\n]')
    assert load_problems(path) == [f"{path}: troubleshooting.lost-phone: missing"]


def test_a_data_file_without_contents_is_refused(tmp_path: Path) -> None:
    path = without_table(tmp_path, "[contents]")
    problems = load_problems(path)
    assert f"{path}: contents: missing" in problems
