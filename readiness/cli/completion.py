"""What the shell completes for arguments: report files, troubleshooting ids, device labels.

Click calls these while a person presses Tab (``_READINESS_COMPLETE=bash_source``
and friends, see the README). A completion must never fail loudly: a broken
data file or inventory completes nothing rather than printing a traceback
into the shell.
"""

from __future__ import annotations

import os
from pathlib import Path

import click
from click.shell_completion import CompletionItem

from readiness.errors import ReadinessError


def complete_reports(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """``.toml`` files starting with ``incomplete``; the shell adds folders when none match."""
    folder, _, prefix = incomplete.rpartition(os.sep)
    where = Path(folder or ".")
    try:
        names = sorted(entry.name for entry in where.iterdir() if entry.is_file())
    except OSError:
        names = []
    shown = (f"{folder}{os.sep}{name}" if folder else name for name in names)
    files = [
        CompletionItem(path)
        for path, name in zip(shown, names, strict=True)
        if name.startswith(prefix) and name.endswith(".toml")
    ]
    return [CompletionItem(incomplete, type="dir"), *files]


def complete_procedures(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """The troubleshooting ids of the data file in use, with their titles as help."""
    from readiness.cli.options import load_knowledge

    if ctx.params.get(param.name or "symptom"):
        return []  # only the first word is an id; the rest are free words
    try:
        knowledge = load_knowledge(ctx.params.get("data_path"))
    except ReadinessError:
        return []
    return [
        CompletionItem(p.id, help=p.title)
        for p in knowledge.troubleshooting.values()
        if p.id.startswith(incomplete)
    ]


def complete_labels(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """The labels in the inventory (never IMEIs: a completion list is on screen for all)."""
    from readiness import inventory
    from readiness.cli.options import state_home

    try:
        entries = inventory.load(state_home()).entries
    except ReadinessError:
        return []
    folded = incomplete.casefold()
    return [
        CompletionItem(e.label, help=e.model)
        for e in entries
        if e.label.casefold().startswith(folded)
    ]
