"""The direction of imports: every module imports alone, the core never pulls in the UI.

Each case runs in a fresh interpreter, so what one test imported cannot hide a
cycle or a stray import from another.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "readiness"
EXAMPLE = ROOT / "examples" / "answers.toml"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = sorted(_module_name(p) for p in PACKAGE.rglob("*.py") if p.stem != "__main__")
# Only the command line and the prompts may import a terminal library; the core,
# the renderers and everything else never do.
TERMINAL_LAYERS = ("readiness.cli", "readiness.prompts")
CORE_PRESENT = [m for m in MODULES if m != "readiness" and not m.startswith(TERMINAL_LAYERS)]
UI = ("click", "questionary", "prompt_toolkit")


def python(code: str, tmp_path: Path) -> Any:
    """Run ``code`` in a fresh interpreter; it prints one JSON value as its last line."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "READINESS_HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_package_has_the_modules_the_design_names() -> None:
    for name in (
        "errors",
        "files",
        "fields",
        "knowledge",
        "answers",
        "checks",
        "results",
        "report",
        "cli",
        "prompts.asker",
        "render.results",
        "inventory.store",
    ):
        assert f"readiness.{name}" in MODULES


@pytest.mark.parametrize("module", MODULES)
def test_module_imports_on_its_own(module: str, tmp_path: Path) -> None:
    code = f"import importlib, json; importlib.import_module({module!r}); print(json.dumps({{}}))"
    python(code, tmp_path)


@pytest.mark.parametrize("module", CORE_PRESENT)
def test_core_module_does_not_import_the_terminal_layer(module: str, tmp_path: Path) -> None:
    code = (
        "import importlib, json, sys\n"
        f"importlib.import_module({module!r})\n"
        f"print(json.dumps(sorted(n for n in {UI!r} if n in sys.modules)))\n"
    )
    assert python(code, tmp_path) == []


def _run_cli(argv: list[str]) -> str:
    """Code that runs ``python -m readiness ARGV`` in-process and reports what it imported."""
    return (
        "import json, runpy, sys\n"
        f"sys.argv = ['readiness', *{argv!r}]\n"
        "code = None\n"
        "try:\n"
        "    runpy.run_module('readiness', run_name='__main__', alter_sys=True)\n"
        "except SystemExit as exc:\n"
        "    code = exc.code\n"
        "sys.stdout.flush()\n"
        f"loaded = sorted(n for n in {UI!r} if n in sys.modules)\n"
        "print()\n"
        "print(json.dumps({'code': code, 'loaded': loaded}))\n"
    )


def test_help_does_not_import_questionary(tmp_path: Path) -> None:
    found = python(_run_cli(["--help"]), tmp_path)
    assert found["code"] == 0
    assert "questionary" not in found["loaded"]
    assert "prompt_toolkit" not in found["loaded"]


def test_non_interactive_check_does_not_import_questionary(tmp_path: Path) -> None:
    argv = [
        "check",
        "--answers",
        str(EXAMPLE),
        "--no-input",
        "--now",
        "2026-11-30T12:00:00Z",
        "--report",
        str(tmp_path / "report.toml"),
    ]
    found = python(_run_cli(argv), tmp_path)
    assert found["code"] == 0
    assert (tmp_path / "report.toml").is_file()
    assert "questionary" not in found["loaded"]
    assert "prompt_toolkit" not in found["loaded"]


def test_matrix_does_not_import_questionary(tmp_path: Path) -> None:
    found = python(_run_cli(["matrix"]), tmp_path)
    assert found["code"] == 0
    assert "questionary" not in found["loaded"]


def _source_tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _imported(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


SOURCES = sorted(PACKAGE.rglob("*.py"))


def test_only_the_asker_imports_questionary() -> None:
    importers = [
        str(p.relative_to(ROOT)) for p in SOURCES if "questionary" in _imported(_source_tree(p))
    ]
    assert importers == ["readiness/prompts/asker.py"]


def test_terminal_detection_lives_in_cli_options() -> None:
    """Whether a person is at the terminal is decided once (``asker_for``, ``styler``)."""
    detecting = sorted(
        str(p.relative_to(ROOT))
        for p in (PACKAGE / "cli").glob("*.py")
        if any(
            isinstance(node, ast.Attribute) and node.attr == "isatty"
            for node in ast.walk(_source_tree(p))
        )
    )
    assert detecting == ["readiness/cli/options.py"]


def test_exit_codes_are_defined_only_in_errors() -> None:
    defining = sorted(
        str(p.relative_to(ROOT))
        for p in SOURCES
        for node in _source_tree(p).body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name) and target.id.startswith("EXIT_")
    )
    assert set(defining) == {"readiness/errors.py"}


def test_help_imports_no_command_module(tmp_path: Path) -> None:
    code = (
        "import json, sys\n"
        "sys.argv = ['readiness', '--help']\n"
        "from readiness.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print()\n"
        "print(json.dumps(sorted(n for n in sys.modules if n.startswith('readiness.cli.'))))\n"
    )
    assert python(code, tmp_path) == ["readiness.cli.options"]


@pytest.mark.parametrize("limit", [20, 45, 60, 200])
def test_help_summaries_are_the_commands_own(limit: int) -> None:
    """The summaries help lists without importing a command say what the command says."""
    import click

    from readiness.cli import ReadinessGroup, cli

    assert set(ReadinessGroup.SUMMARIES) == set(ReadinessGroup.LAZY)
    ctx = click.Context(cli)
    for name, summary in ReadinessGroup.SUMMARIES.items():
        command = cli.get_command(ctx, name)
        assert command is not None
        listed = click.Command(name, help=summary).get_short_help_str(limit)
        assert listed == command.get_short_help_str(limit), name


def test_below_the_command_line_nothing_prints_or_exits() -> None:
    """render returns lines and the core raises: only cli/ and prompts/ speak to the terminal."""
    speaking = sorted(
        f"{p.relative_to(ROOT)}:{node.lineno}"
        for p in SOURCES
        if p.parent.name not in ("cli", "prompts") and p.name != "__main__.py"
        for node in ast.walk(_source_tree(p))
        if isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Name) and node.func.id in ("print", "exit", "quit"))
            or (isinstance(node.func, ast.Attribute) and node.func.attr in ("exit", "_exit"))
        )
    )
    assert speaking == []
