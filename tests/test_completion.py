"""Shell completion: troubleshooting ids, inventory labels and report files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.shell_completion import ShellComplete
from click.testing import CliRunner

from readiness.cli import cli


def completions(args: list[str], incomplete: str) -> list[tuple[str, str]]:
    shell = ShellComplete(cli, {}, "readiness", "_READINESS_COMPLETE")
    return [(item.type, item.value) for item in shell.get_completions(args, incomplete)]


def test_troubleshoot_completes_the_ids() -> None:
    assert completions(["troubleshoot"], "") == [
        ("plain", "wont-join"),
        ("plain", "secondary-connectivity"),
        ("plain", "handoff"),
        ("plain", "excessive-data"),
        ("plain", "border-registration"),
        ("plain", "priority-mismatch"),
    ]
    assert completions(["troubleshoot"], "b") == [("plain", "border-registration")]
    assert completions(["troubleshoot", "--format", "json"], "ha") == [("plain", "handoff")]


def test_troubleshoot_completes_only_the_first_word() -> None:
    assert completions(["troubleshoot", "no"], "ser") == []


def test_troubleshoot_completes_from_the_data_file_given(tmp_path: Path) -> None:
    """A data file that cannot be read completes nothing (and says nothing into the shell)."""
    broken = tmp_path / "broken.toml"
    broken.write_text("this is [not toml", encoding="utf-8")
    assert completions(["troubleshoot", "--data", str(broken)], "") == []


def test_inventory_completes_labels_not_imeis() -> None:
    for label, imei in (("Ada's iPhone", "352099001761481"), ("Bob's Pixel", "353456789012348")):
        added = CliRunner().invoke(
            cli, ["inventory", "add", "--label", label, "--model", "Pixel 9", "--imei", imei]
        )
        assert added.exit_code == 0, added.output
    assert completions(["inventory", "edit"], "") == [
        ("plain", "Ada's iPhone"),
        ("plain", "Bob's Pixel"),
    ]
    assert completions(["inventory", "remove"], "bob") == [("plain", "Bob's Pixel")]
    assert completions(["inventory", "remove"], "3520") == []


def test_an_empty_or_broken_inventory_completes_nothing(readiness_home: Path) -> None:
    assert completions(["inventory", "edit"], "") == []
    (readiness_home / "inventory.toml").write_text("not [ toml", encoding="utf-8")
    assert completions(["inventory", "edit"], "") == []


@pytest.mark.parametrize("command", ["show", "guide", "remind"])
def test_report_arguments_complete_toml_files(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("trip.toml", "trip-recheck.toml", "notes.txt", "other.toml"):
        (tmp_path / name).write_text("", encoding="utf-8")
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "trip-2025.toml").write_text("", encoding="utf-8")
    assert completions([command], "tr") == [
        ("dir", "tr"),  # the shell offers folders when no file matches
        ("plain", "trip-recheck.toml"),
        ("plain", "trip.toml"),
    ]
    assert completions([command], f"old{os.sep}") == [
        ("dir", f"old{os.sep}"),
        ("plain", f"old{os.sep}trip-2025.toml"),
    ]
    assert completions([command], f"missing{os.sep}") == [("dir", f"missing{os.sep}")]


def test_bash_completion_end_to_end_through_the_environment() -> None:
    runner = CliRunner()
    env = {"_READINESS_COMPLETE": "bash_source"}
    source = runner.invoke(cli, [], prog_name="readiness", env=env)
    assert source.exit_code == 0
    assert "_readiness_completion()" in source.output
    done = runner.invoke(
        cli,
        [],
        prog_name="readiness",
        env={
            "_READINESS_COMPLETE": "bash_complete",
            "COMP_WORDS": "readiness troubleshoot bor",
            "COMP_CWORD": "2",
        },
    )
    assert done.exit_code == 0
    assert done.output.splitlines() == ["plain,border-registration"]


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_scripts_are_given(shell: str) -> None:
    result = CliRunner().invoke(
        cli, [], prog_name="readiness", env={"_READINESS_COMPLETE": f"{shell}_source"}
    )
    assert result.exit_code == 0
    assert "_READINESS_COMPLETE" in result.output


def test_the_readme_says_how_to_turn_completion_on_in_every_shell() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Shell completion") :]
    section = section[: section.index("\n## ", 1)]
    for line in (
        'eval "$(_READINESS_COMPLETE=bash_source readiness)"',
        'eval "$(_READINESS_COMPLETE=zsh_source readiness)"',
        "_READINESS_COMPLETE=fish_source readiness > ~/.config/fish/completions/readiness.fish",
    ):
        assert line in section.splitlines()
    assert "PowerShell: not available." in section
