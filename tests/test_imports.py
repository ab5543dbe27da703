"""The direction of imports: every module imports alone, the core never pulls in the UI.

Each case runs in a fresh interpreter, so what one test imported cannot hide a
cycle or a stray import from another.
"""

from __future__ import annotations

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
