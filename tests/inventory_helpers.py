"""Shared pieces of the inventory command tests: identifiers and running the command."""

from __future__ import annotations

from click.testing import CliRunner, Result

from readiness.cli import cli
from readiness.prompts.asker import Asker

NOW = "2026-11-30T12:00:00Z"

IMEI_A = "352099001761481"

IMEI_B = "352099001761499"

IMEI_C = "353456789012348"

EID = "89049032000000000000000001234585"


#: Set by the ``terminal`` fixture: the asker a person at a terminal would get.
AT_TERMINAL: dict[str, Asker] = {}


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(
        cli, ["inventory", *args], input=input, catch_exceptions=False, obj=AT_TERMINAL or None
    )


def add(label: str = "Ada's iPhone", imei: str = IMEI_A, *extra: str) -> Result:
    return run(
        "add", "--label", label, "--model", "iPhone 15 Pro", "--imei", imei, "--now", NOW, *extra
    )


def errors(result: Result) -> list[str]:
    return result.stderr.splitlines()
