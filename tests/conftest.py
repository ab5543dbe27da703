"""Shared fixtures: every test gets its own state folder and never the real one."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from inventory_helpers import EID, IMEI_B, IMEI_C, add

from readiness import knowledge as knowledge_mod
from readiness.signing import load_or_create
from readiness.sshsig import KeyPair

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = Path(__file__).parent.parent / "examples"
NOW = "2026-11-30T12:00:00Z"

# Property and fuzz tests (test_properties, test_fuzz): "ci" keeps the suite fast and
# repeatable; HYPOTHESIS_PROFILE=fuzz is the long run the README documents. The
# autouse state folder below is shared by a test's examples, which is what we want.
# No deadline: first calls warm caches, and some examples parse megabytes.
_TOLERATED = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
settings.register_profile(
    "ci",
    max_examples=40,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=_TOLERATED,
)
settings.register_profile(
    "fuzz", max_examples=4000, print_blob=True, deadline=None, suppress_health_check=_TOLERATED
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def readiness_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Point READINESS_HOME at a fresh folder and fail if the real home is touched."""
    home = tmp_path_factory.mktemp("home")
    fake_user_home = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("READINESS_HOME", str(home))
    monkeypatch.setenv("HOME", str(fake_user_home))
    monkeypatch.setenv("XDG_DATA_HOME", str(fake_user_home / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(fake_user_home / "state"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    yield home
    leaked = [p for p in fake_user_home.rglob("*") if "readiness" in p.name]
    assert not leaked, f"a test wrote into the user's home: {leaked}"


@pytest.fixture
def readiness_command() -> str:
    """The installed console script: the pseudo-terminal tests run what users run."""
    found = shutil.which("readiness")
    if found is None:
        pytest.fail("the `readiness` command is not installed: pip install '.[test]'")
    return found


@pytest.fixture(scope="session")
def knowledge() -> knowledge_mod.Knowledge:
    return knowledge_mod.load()


@pytest.fixture
def example_answers(tmp_path: Path) -> Path:
    """A writable copy of the shipped example answers file."""
    target = tmp_path / "answers.toml"
    shutil.copy(EXAMPLES / "answers.toml", target)
    return target


@pytest.fixture
def pair(readiness_home: Path) -> KeyPair:
    """The state folder's signing key pair, made on first use (the signing tests share it)."""
    return load_or_create(readiness_home)


@pytest.fixture
def said() -> list[str]:
    """What the walkthrough said aloud, for the walkthrough tests."""
    return []


@pytest.fixture
def stocked() -> None:
    """An inventory of two devices, for the inventory command tests."""
    assert add("Ada's iPhone", "35 209900 176148 1", "--owner", "Ada").exit_code == 0
    assert add("Bob's iPad", IMEI_C, "--imei2", IMEI_B, "--eid", EID).exit_code == 0
