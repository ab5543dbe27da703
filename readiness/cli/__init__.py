"""Command-line layer: parse options, call the core, render, return an exit code.

Every expected error is a ``ReadinessError``; ``ReadinessGroup.invoke`` is the
one place that turns them into one line per problem and the exit code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, NoReturn, TypeVar

import click

from readiness import __version__
from readiness.cli.options import (
    PathArg,
    data_option,
    format_option,
    load_knowledge,
    now_option,
    state_home,
    terminal_width,
)
from readiness.errors import (
    Interrupted,
    ReadinessError,
    VerifyError,
)

if TYPE_CHECKING:
    from pathlib import Path

F = TypeVar("F", bound=Callable[..., Any])

EXIT_READY = 0
EXIT_NOT_READY = 1
EXIT_INTERRUPTED = 130


class ReadinessGroup(click.Group):
    """Maps the project's errors (and Ctrl-C) to messages and exit codes.

    Commands kept in other modules load only when they run (or help lists
    them), so `readiness verify` does not pay for the walk-through's modules.
    """

    LAZY: ClassVar[dict[str, str]] = {
        "check": "readiness.cli.check:check",
        "recheck": "readiness.cli.check:recheck",
        "guide": "readiness.cli.guide:guide",
        "troubleshoot": "readiness.cli.guide:troubleshoot",
        "show": "readiness.cli.guide:show",
        "inventory": "readiness.cli.inventory:inventory",
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.LAZY})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.LAZY and name not in self.commands:
            import importlib

            module, _, attribute = self.LAZY[name].partition(":")
            self.add_command(getattr(importlib.import_module(module), attribute), name)
        return super().get_command(ctx, name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except Interrupted as exc:
            click.echo(f"\n{exc}", err=True)
            ctx.exit(exc.exit_code)
        except ReadinessError as exc:
            for line in exc.lines():
                click.echo(f"error: {line}", err=True)
            ctx.exit(exc.exit_code)
        except (KeyboardInterrupt, click.Abort):
            click.echo("\nInterrupted.", err=True)
            ctx.exit(EXIT_INTERRUPTED)


@click.group(cls=ReadinessGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="readiness")
def cli() -> None:
    """Get your phones, tablets, watches and laptops ready for a multi-device eSIM plan.

    The flow: `readiness check`, fix what fails, `readiness guide REPORT` to
    set the devices up, then `readiness recheck REPORT` by the pre-departure
    deadline. On the road: `readiness troubleshoot`.
    """


@cli.command()
@click.argument("report_path", metavar="REPORT", type=click.Path(path_type=PathArg))
@click.option(
    "--previous",
    "previous_path",
    type=click.Path(path_type=PathArg),
    help="Also check that REPORT rechecks this earlier report.",
)
@click.pass_context
def verify(ctx: click.Context, report_path: Path, previous_path: Path | None) -> None:
    """Check that REPORT has not changed since it was signed."""
    from readiness import report, state

    key = state.read_key(state_home())
    doc = report.load(report_path)
    lines = [_verified(report_path, doc, report.verify(doc, key))]
    if previous_path is not None:
        earlier = report.load(previous_path)
        lines.append(_verified(previous_path, earlier, report.verify(earlier, key)))
        chained = doc.get("signoff", {}).get("previous", "")
        if chained != earlier["signoff"]["digest"]:
            what = f"chains to {chained}" if chained else "chains to no earlier report"
            raise VerifyError([f"{report_path}: {what}, not to {previous_path}"])
        lines.append(f"{report_path} rechecks {previous_path} (the chain holds).")
    click.echo("\n".join(lines))
    ctx.exit(EXIT_READY)


def _verified(path: Path, doc: dict[str, Any], outcome: Any) -> str:
    """One line for a report that verifies; a ``VerifyError`` for one that does not."""
    if not outcome.digest_ok:
        raise VerifyError([f"{path}: changed after sign-off: {name}" for name in outcome.changed])
    if outcome.signature == "invalid":
        raise VerifyError([f"{path}: {outcome.reason}"])
    signoff = doc.get("signoff", {})
    who = f"signed by {signoff.get('by', '?')} at {signoff.get('at', '?')}"
    if outcome.signature == "valid":
        return f"{path}: digest holds and the signature is valid ({who})."
    return (
        f"{path}: digest holds; the signature could not be checked ({outcome.reason}); {who}. "
        "Only the machine that signed it can rule out an edit made since."
    )


@cli.command()
@click.argument("report_path", metavar="REPORT", type=click.Path(path_type=PathArg))
@click.option(
    "-o",
    "--output",
    "output_path",
    type=click.Path(path_type=PathArg),
    help="Where to write the .ics file [default: beside REPORT].",
)
@click.option("--force", is_flag=True, help="Replace an existing .ics file.")
@now_option
def remind(
    report_path: Path, output_path: Path | None, force: bool, now: dt.datetime | None
) -> None:
    """Write a calendar event (.ics) for the pre-departure recheck of REPORT."""
    from readiness import files, report
    from readiness import remind as remind_mod
    from readiness.results import format_moment

    doc = report.load(report_path)
    target = output_path or report_path.with_suffix(".ics")
    ics = remind_mod.reminder(doc, report_path, now or dt.datetime.now(dt.UTC))
    files.write_atomic(target, ics, overwrite=force)
    deadline = doc["report"]["deadline"].astimezone(remind_mod.departure_zone(doc["answers"]))
    click.echo(
        f"Reminder written to {target}: {format_moment(deadline)}, with an alarm "
        f"{remind_mod.ALARM_BEFORE.seconds // 3600} h before. Open it with your "
        "calendar."
    )


@cli.command()
@click.argument("model", required=False)
@format_option("text", "json")
@data_option
def matrix(model: str | None, output_format: str, data_path: Path | None) -> None:
    """Show the compatibility matrix, or where MODEL stands in it."""
    import json

    from readiness.render import results as render_results

    knowledge = load_knowledge(data_path)
    if model is None:
        if output_format == "json":
            rows = [
                {**row.__dict__, "os_minimum": knowledge.os_minimums.get(row.os, "")}
                for row in knowledge.matrix
            ]
            click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        else:
            click.echo("\n".join(render_results.matrix_table(knowledge)))
        return
    placement = knowledge.place(model)
    if output_format == "json":
        row = placement.row
        click.echo(
            json.dumps(
                {
                    "model": model,
                    "row": row.__dict__ if row else None,
                    "os": placement.os,
                    "os_minimum": knowledge.os_minimums.get(placement.os or "", ""),
                    "closest": [] if row else knowledge.closest_models(model),
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        click.echo("\n".join(render_results.model_lines(knowledge, placement)))


def main() -> NoReturn:
    # Giving click the width spares it importing shutil (and bz2, lzma) for help text.
    cli(prog_name="readiness", terminal_width=terminal_width())
    raise SystemExit(0)
