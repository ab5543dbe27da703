"""Command-line layer: parse options, call the core, render, return an exit code.

Every expected error is a ``ReadinessError``; ``ReadinessGroup.invoke`` is the
one place that turns them into one line per problem and the exit code.
"""

from __future__ import annotations

from typing import Any, ClassVar, NoReturn

import click

from readiness import __version__
from readiness.cli.options import terminal_width
from readiness.errors import EXIT_INTERRUPTED, Interrupted, ReadinessError


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
        "verify": "readiness.cli.reports:verify",
        "remind": "readiness.cli.reports:remind",
        "matrix": "readiness.cli.matrix:matrix",
        "detect": "readiness.cli.detect:detect",
        "key": "readiness.cli.key:key",
    }

    #: Each lazy command's summary (the first paragraph of its help), so that
    #: ``readiness --help`` lists them without importing them: that import is
    #: most of what help costs beyond click. tests/test_cli.py holds each to its
    #: command's own help.
    SUMMARIES: ClassVar[dict[str, str]] = {
        "check": "Check every device and step, show what to fix, and write a signed report.",
        "recheck": "Run the checks again from REPORT's answers, by the pre-departure deadline.",
        "guide": "The setup plan for this trip's devices, in order, with the guide's steps.",
        "troubleshoot": "What to try when something stops working: the guide's steps, in order.",
        "show": "Show a signed report for a person: results, verdict, deadline, and whether "
        "it verifies.",
        "inventory": "Keep your devices' IMEIs between trips (stored in READINESS_HOME, "
        "mode 0600).",
        "verify": "Check that reports are unchanged since sign-off and signed by a trusted key.",
        "remind": "Write a calendar event (.ics) for the pre-departure recheck of REPORT.",
        "matrix": "Show the compatibility matrix, or where MODEL stands in it.",
        "detect": "Read this computer and the phones and tablets on USB (adb, libimobiledevice).",
        "key": "Show this machine's public key as an OpenSSH allowed_signers line, and its "
        "fingerprint.",
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.LAZY})

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """As click lists commands, but a lazy one from its summary instead of its module."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(map(len, names), default=0)
        rows: list[tuple[str, str]] = []
        for name in names:
            if name in self.SUMMARIES and name not in self.commands:
                summary = click.Command(name, help=self.SUMMARIES[name])
                rows.append((name, summary.get_short_help_str(limit)))
                continue
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

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
            from readiness.text import safe

            for line in exc.lines():
                click.echo(f"error: {safe(line)}", err=True)
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


def main() -> NoReturn:
    # Giving click the width spares it importing shutil (and bz2, lzma) for help text.
    cli(prog_name="readiness", terminal_width=terminal_width())
    raise SystemExit(0)
