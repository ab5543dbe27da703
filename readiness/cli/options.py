"""Reusable click options, shared by every command module.

Kept apart from the group (``cli/__init__.py``) so command modules can use
them without importing it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from readiness.knowledge import Knowledge
    from readiness.prompts.asker import Asker
    from readiness.render.style import Style
    from readiness.report import Trust

F = TypeVar("F", bound=Callable[..., Any])


def terminal_width() -> int:
    """Columns for help text, from os: click would import shutil (and bz2, lzma) for it."""
    import os
    import sys

    try:
        columns = os.get_terminal_size(sys.stdout.fileno()).columns
    except (OSError, ValueError, AttributeError):
        columns = int(os.environ.get("COLUMNS", "80") or 80)
    return max(min(columns, 100) - 2, 50)


def _parse_now(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not an ISO-8601 date and time (e.g. 2026-12-01T12:00:00Z)"
        ) from None
    if moment.tzinfo is None:
        raise click.BadParameter(f"{value!r} has no UTC offset; add Z or +08:00")
    if not _in_range(moment):
        from readiness.errors import InputError

        raise InputError.single(
            "--now", "", f"{value} is out of range (years {NOW_YEARS[0]}-{NOW_YEARS[1]})"
        )
    return moment


#: --now is kept to these years (UTC), so every moment derived from it, and every report
#: written with it, stays one that TOML and Python can hold and read back.
NOW_YEARS = (2000, 2199)


def _in_range(moment: dt.datetime) -> bool:
    try:
        year = moment.astimezone(dt.UTC).year
    except OverflowError:  # 0001-01-01T00:00:00+14:00 is before the first representable UTC moment
        return False
    return NOW_YEARS[0] <= year <= NOW_YEARS[1]


def data_option(func: F) -> F:
    return click.option(
        "--data",
        "data_path",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Use another knowledge file instead of the shipped one.",
    )(func)


def now_option(func: F) -> F:
    evaluate = "Evaluate as of this moment (planning ahead, reproducing a report)."
    return recorded_now_option(evaluate)(func)


def recorded_now_option(help_text: str) -> Callable[[F], F]:
    """``--now`` in its own words, for a command that records a time rather than evaluating."""

    def decorate(func: F) -> F:
        return click.option("--now", callback=_parse_now, metavar="ISO-8601", help=help_text)(func)

    return decorate


def format_option(*choices: str) -> Callable[[F], F]:
    def decorate(func: F) -> F:
        return click.option(
            "--format",
            "output_format",
            type=click.Choice(choices),
            default=choices[0],
            show_default=True,
            help="Output format.",
        )(func)

    return decorate


def load_knowledge(data_path: Path | None) -> Knowledge:
    """The knowledge file (``--data`` or the shipped one), validated."""
    from readiness import knowledge
    from readiness.checks import CHECK_IDS

    return knowledge.load(data_path, CHECK_IDS)


def state_home() -> Path:
    """Where state lives, resolved once per command from the environment."""
    import os

    from readiness.state import resolve_home

    return resolve_home(os.environ)


def styler() -> Style:
    """Colour only for a person at a terminal who has not asked for none; wrap only there."""
    import os
    import sys

    from readiness.render.style import Style

    tty = sys.stdout.isatty()
    return Style(
        colour=tty and not os.environ.get("NO_COLOR"), width=terminal_width() if tty else None
    )


def asker_for(ctx: click.Context, no_input: bool) -> Asker | None:
    """Who answers prompts: a test's injected asker, a person at a terminal, or nobody."""
    import sys

    if no_input:
        return None
    injected: Asker | None = ctx.obj.get("asker") if isinstance(ctx.obj, dict) else None
    if injected is not None:
        return injected
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return None
    from readiness.prompts.asker import Asker

    return Asker(say=click.echo)


ENV_ALLOWED_SIGNERS = "READINESS_ALLOWED_SIGNERS"


def allowed_signers_option(func: F) -> F:
    return click.option(
        "--allowed-signers",
        "allowed_signers_path",
        type=click.Path(path_type=Path, dir_okay=False),
        envvar=ENV_ALLOWED_SIGNERS,
        help=(
            "An OpenSSH allowed_signers file: whose keys to trust, by the name reports "
            f"are signed as [env: {ENV_ALLOWED_SIGNERS}]."
        ),
    )(func)


def trust(allowed_signers_path: Path | None, now: dt.datetime | None) -> Trust:
    """Whose signatures count here: this machine's keys and the allowed_signers file's."""
    from readiness import report, signing

    signers = (
        () if allowed_signers_path is None else signing.read_allowed_signers(allowed_signers_path)
    )
    return report.local_trust(state_home(), signers, now or dt.datetime.now(dt.UTC))
