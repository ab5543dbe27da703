"""The command line runs no step of a use case itself: it calls the core function that does.

Each module under ``readiness/cli/`` is read with ``ast`` and every call to a
step the core wraps (``FORBIDDEN``) is named, however the module or function
was imported. A call kept on purpose is listed in ``ALLOWED`` with its reason.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLI_SOURCES = sorted((ROOT / "readiness" / "cli").glob("*.py"))
EVERY = "*"

#: module -> the functions a command must reach through a core function (EVERY: all of them).
FORBIDDEN: dict[str, frozenset[str] | str] = {
    "readiness.checks": EVERY,  # workflow.check / recheck / assess evaluate
    "readiness.report": frozenset({"build", "sign", "write", "load", "parse", "verify"}),
    "readiness.refresh": EVERY,  # reading.show says a report as of now
    "readiness.guide": frozenset({"plan"}),  # reading.plan_from_report / plan_from_answers
    "readiness.answers": frozenset({"from_document", "load"}),
    "readiness.schema": EVERY,  # the answers loader and the prompts parse answers
    "readiness.inventory.store": frozenset({"_save", "_locked", "_parse"}),
    "readiness.inventory.model": frozenset({"_entry_from"}),
}

#: (CLI module, call) kept on purpose, with why.
ALLOWED: dict[tuple[str, str], str] = {}


def _forbids(module: str, name: str) -> bool:
    names = FORBIDDEN.get(module, frozenset())
    return names == EVERY or name in names


def use_case_calls(source: str) -> list[str]:
    """Calls to a forbidden function, however the module or the function was imported."""
    tree = ast.parse(source)
    modules: dict[str, str] = {}  # local name -> module
    functions: dict[str, str] = {}  # local name -> module.function
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                modules[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                if full in FORBIDDEN:
                    modules[alias.asname or alias.name] = full
                elif _forbids(node.module, alias.name):
                    functions[alias.asname or alias.name] = full
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute):
            owner = func.value
            if isinstance(owner, ast.Attribute) and isinstance(owner.value, ast.Name):
                module = f"{modules.get(owner.value.id, owner.value.id)}.{owner.attr}"
            elif isinstance(owner, ast.Name):
                module = modules.get(owner.id, "")
            else:
                continue
            if _forbids(module, func.attr):
                found.append(f"{module}.{func.attr} (line {node.lineno})")
        elif isinstance(func, ast.Name) and func.id in functions:
            found.append(f"{functions[func.id]} (line {node.lineno})")
    return found


def test_the_finder_sees_each_way_of_calling_a_use_case_step() -> None:
    source = (
        "import readiness\n"
        "from readiness import checks, report as r\n"
        "from readiness.report import sign\n"
        "checks.evaluate(1)\nr.build(1)\nsign(1)\nreadiness.report.write(1)\n"
        "from readiness import render\nrender.write(1)\n"
        "from readiness import refresh as fresh, guide as g\n"
        "fresh.as_of(1)\ng.plan(1)\ng.priority_name(1)\nr.words(1)\n"
        "from readiness.answers import from_document as fd\nfd(1)\n"
        "import readiness.schema as s\ns.parse_zone(1)\n"
    )
    assert sorted(use_case_calls(source)) == [
        "readiness.answers.from_document (line 16)",
        "readiness.checks.evaluate (line 4)",
        "readiness.guide.plan (line 12)",
        "readiness.refresh.as_of (line 11)",
        "readiness.report.build (line 5)",
        "readiness.report.sign (line 6)",
        "readiness.report.write (line 7)",
        "readiness.schema.parse_zone (line 18)",
    ]


def _unexplained(path: Path) -> list[str]:
    calls = use_case_calls(path.read_text(encoding="utf-8"))
    return [c for c in calls if (path.name, c.split(" ")[0]) not in ALLOWED]


@pytest.mark.parametrize("path", CLI_SOURCES, ids=lambda p: p.name)
def test_no_command_runs_a_step_of_a_use_case_itself(path: Path) -> None:
    assert _unexplained(path) == []


def test_every_allowed_call_is_still_made() -> None:
    """An exception whose call has gone is removed from the list, not left to excuse another."""
    made = {
        (path.name, call.split(" ")[0])
        for path in CLI_SOURCES
        for call in use_case_calls(path.read_text(encoding="utf-8"))
    }
    assert set(ALLOWED) - made == set()
