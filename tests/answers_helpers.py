"""Shared pieces of the answers-file tests: the example files and problem lists."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from readiness import answers
from readiness.errors import InputError
from readiness.knowledge import Knowledge

ANSWERS = Path(__file__).parent / "fixtures" / "answers"


def problems_of(path: Path, knowledge: Knowledge) -> list[str]:
    with pytest.raises(InputError) as caught:
        answers.load(path)
    assert caught.value.exit_code == 2
    return caught.value.lines()


def minimal_doc() -> dict[str, Any]:
    with (ANSWERS / "minimal.toml").open("rb") as handle:
        return tomllib.load(handle)
