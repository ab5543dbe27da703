"""Command-line layer: parse options, call the core, render, return an exit code.

Every expected error is a ``ReadinessError``; ``ReadinessGroup.invoke`` is the
one place that turns them into one line per problem and the exit code.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from readiness import __version__
from readiness.errors import InputError, Problem, ReadinessError, VerifyError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_READY = 0
EXIT_NOT_READY = 1
EXIT_INTERRUPTED = 130


class ReadinessGroup(click.Group):
    """Maps the project's errors (and Ctrl-C) to messages and exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ReadinessError as exc:
            for line in exc.lines():
                click.echo(f"error: {line}", err=True)
            ctx.exit(exc.exit_code)
        except (KeyboardInterrupt, click.Abort):
            click.echo("\nInterrupted.", err=True)
            ctx.exit(EXIT_INTERRUPTED)


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
    return moment


def data_option(func: F) -> F:
    return click.option(
        "--data",
        "data_path",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Use another knowledge file instead of the shipped one.",
    )(func)


def now_option(func: F) -> F:
    return click.option(
        "--now",
        callback=_parse_now,
        metavar="ISO-8601",
        help="Evaluate as of this moment (planning ahead, reproducing a report).",
    )(func)


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


def _knowledge(data_path: Path | None) -> Any:
    from readiness import knowledge

    return knowledge.load(data_path)


def _home() -> Path:
    from readiness.state import resolve_home

    return resolve_home(os.environ)


def _styler() -> Callable[[str, str], str]:
    """Colour only for a person at a terminal who has not asked for none."""
    if os.environ.get("NO_COLOR") or not sys.stdout.isatty():
        return lambda text, colour: text

    def style(text: str, colour: str) -> str:
        if colour == "bold":
            return click.style(text, bold=True)
        return click.style(text, fg=colour)

    return style


@click.group(cls=ReadinessGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="readiness")
def cli() -> None:
    """Get your phones, tablets, watches and laptops ready for a multi-device eSIM plan.

    Start with `readiness check`; rerun `readiness recheck REPORT` 48 hours
    before departure.
    """


@cli.command()
@click.option(
    "--answers",
    "answers_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Read answers from this TOML file.",
)
@click.option("--no-input", is_flag=True, help="Never prompt; missing answers are an error.")
@click.option(
    "--report",
    "report_path",
    type=click.Path(path_type=Path),
    help="Where to write the signed report [default: named after the trip].",
)
@click.option("--force", is_flag=True, help="Replace an existing report file.")
@click.option("--signer", help="Who signs the report [default: traveler.name].")
@click.option("--strict", is_flag=True, help="Count warnings as failures.")
@format_option("text", "json")
@now_option
@data_option
@click.pass_context
def check(
    ctx: click.Context,
    answers_path: Path | None,
    no_input: bool,
    report_path: Path | None,
    force: bool,
    signer: str | None,
    strict: bool,
    output_format: str,
    now: dt.datetime | None,
    data_path: Path | None,
) -> None:
    """Check every device and step, show what to fix, and write a signed report."""
    from readiness import answers as answers_mod
    from readiness import checks, render, report, state

    knowledge = _knowledge(data_path)
    if answers_path is None:
        raise InputError.single(
            "readiness check",
            "",
            "no answers file; run it with --answers FILE --no-input (see examples/answers.toml)",
        )
    answers = answers_mod.load(answers_path, knowledge)
    missing = answers_mod.missing(answers, knowledge)
    if missing:
        raise InputError(
            [
                Problem(str(answers_path), path, "missing (needed with --no-input)")
                for path in missing
            ]
        )
    signer = (signer or answers.traveler).strip()
    if not signer:
        raise InputError.single(
            str(answers_path),
            "traveler.name",
            "missing, and no --signer given: someone must sign the report",
        )
    target = report_path or Path(report.default_name(answers))
    if target.exists() and not force:
        raise InputError.single(
            str(target),
            "",
            "already exists; use --force to replace it or --report to choose another name",
        )
    moment = now or dt.datetime.now(dt.UTC)
    evaluation = checks.evaluate(answers, knowledge, moment, strict=strict)
    if output_format == "json":
        click.echo(render.results_json(evaluation.results, evaluation.verdict, evaluation.deadline))
    else:
        for line in render.results_text(evaluation.results, evaluation.verdict, _styler()):
            click.echo(line)
        click.echo(render.deadline_line(evaluation.deadline, moment))
    home = _home()
    key = state.signing_key(home)
    doc = report.build(
        evaluation,
        answers,
        knowledge,
        moment,
        report.Signoff(by=signer, at=dt.datetime.now(dt.UTC)),
    )
    report.write(target, report.sign(doc, key), overwrite=force)
    click.echo(f"Report written to {target} (signed by {signer}).", err=output_format == "json")
    ctx.exit(EXIT_NOT_READY if evaluation.verdict == checks.Verdict.NOT_READY else EXIT_READY)


@cli.command()
@click.argument("report_path", metavar="REPORT", type=click.Path(path_type=Path))
@click.pass_context
def verify(ctx: click.Context, report_path: Path) -> None:
    """Check that REPORT has not changed since it was signed."""
    from readiness import report, state

    doc = report.load(report_path)
    outcome = report.verify(doc, state.read_key(_home()))
    signoff = doc.get("signoff", {})
    if not outcome.digest_ok:
        raise VerifyError(
            [f"{report_path}: changed after sign-off: {name}" for name in outcome.changed]
        )
    if outcome.signature == "invalid":
        raise VerifyError([f"{report_path}: {outcome.reason}"])
    who = f"signed by {signoff.get('by', '?')} at {signoff.get('at', '?')}"
    if outcome.signature == "valid":
        click.echo(f"{report_path}: digest holds and the signature is valid ({who}).")
    else:
        click.echo(
            f"{report_path}: digest holds; the signature could not be checked "
            f"({outcome.reason}); {who}."
        )
    ctx.exit(EXIT_READY)


@cli.command()
@click.argument("model", required=False)
@format_option("text", "json")
@data_option
def matrix(model: str | None, output_format: str, data_path: Path | None) -> None:
    """Show the compatibility matrix, or where MODEL stands in it."""
    import json

    from readiness import render

    knowledge = _knowledge(data_path)
    if model is None:
        if output_format == "json":
            rows = [
                {**row.__dict__, "os_minimum": knowledge.os_minimums.get(row.os, "")}
                for row in knowledge.matrix
            ]
            click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        else:
            click.echo("\n".join(render.matrix_table(knowledge)))
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
        click.echo("\n".join(render.model_lines(knowledge, placement)))


def _add_subcommands() -> None:
    """Command groups that live in their own modules, to keep this one short."""
    from readiness.cli_inventory import inventory

    cli.add_command(inventory)


def main() -> NoReturn:
    cli(prog_name="readiness")
    raise SystemExit(0)
