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
from readiness.errors import (
    NO_TERMINAL_HINT,
    InputError,
    Interrupted,
    NoTerminal,
    Problem,
    ReadinessError,
    VerifyError,
)
from readiness.options import data_option, format_option, now_option

F = TypeVar("F", bound=Callable[..., Any])

EXIT_READY = 0
EXIT_NOT_READY = 1
EXIT_INTERRUPTED = 130


class ReadinessGroup(click.Group):
    """Maps the project's errors (and Ctrl-C) to messages and exit codes."""

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
    help="Start from the answers in this TOML file.",
)
@click.option("--no-input", is_flag=True, help="Never prompt; missing answers are an error.")
@click.option("--resume", is_flag=True, help="Continue from the draft an interrupted run kept.")
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
    resume: bool,
    report_path: Path | None,
    force: bool,
    signer: str | None,
    strict: bool,
    output_format: str,
    now: dt.datetime | None,
    data_path: Path | None,
) -> None:
    """Check every device and step, show what to fix, and write a signed report.

    On a terminal it asks the questions (only those an answers file leaves
    open); with --no-input it reads everything from --answers.
    """
    from readiness import answers as answers_mod
    from readiness import checks, render, state, tomlfile

    if resume and answers_path:
        raise click.UsageError("use --resume or --answers, not both")
    knowledge = _knowledge(data_path)
    moment = now or dt.datetime.now(dt.UTC)
    home = _home()
    asker = _asker(ctx, no_input)
    devices_complete = False
    skipped: list[str] = []
    source, text, doc = "answers", "", dict[str, Any]()
    if resume:
        doc, meta = state.load_draft(home)
        devices_complete = bool(meta.get("devices_complete"))
        skipped = [str(p) for p in meta.get("skipped", [])]
        source = str(state.draft_path(home))
    elif answers_path:
        text, doc = tomlfile.read_toml(answers_path, "answers file")
        source, devices_complete = str(answers_path), "devices" in doc
    elif asker is None:
        raise NoTerminal(NO_TERMINAL_HINT)

    if asker is not None:
        answers_mod.check_partial(doc, knowledge, source, text)
        session = _Session(knowledge, moment, home, strict, asker, devices_complete, skipped)
        answers, evaluation, signer = session.run(doc, source, signer)
    else:
        answers = answers_mod.from_document(doc, knowledge, source, text)
        missing = answers_mod.missing(answers, knowledge)
        if missing:
            raise InputError(
                [Problem(source, path, "missing (needed with --no-input)") for path in missing]
            )
        signer = (signer or answers.traveler).strip()
        if not signer:
            raise InputError.single(
                source,
                "traveler.name",
                "missing, and no --signer given: someone must sign the report",
            )
        evaluation = checks.evaluate(answers, knowledge, moment, strict=strict)
        _show(evaluation, moment, output_format)
    target = _write_report(
        answers,
        evaluation,
        knowledge,
        moment,
        home,
        signer,
        report_path,
        force,
        quiet=output_format == "json",
    )
    if asker is not None:
        state.remove_draft(home)
        _offer_to_save_answers(asker, answers)
    click.echo(render.closing_line(evaluation.verdict, target), err=output_format == "json")
    ctx.exit(EXIT_NOT_READY if evaluation.verdict == checks.Verdict.NOT_READY else EXIT_READY)


def _asker(ctx: click.Context, no_input: bool) -> Any:
    """Who answers prompts: a test's injected asker, a person at a terminal, or nobody."""
    if no_input:
        return None
    injected = (ctx.obj or {}).get("asker") if isinstance(ctx.obj, dict) else None
    if injected is not None:
        return injected
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return None
    from readiness.wizard import Asker

    return Asker(say=click.echo)


def _show(evaluation: Any, moment: dt.datetime, output_format: str) -> None:
    from readiness import render

    if output_format == "json":
        click.echo(render.results_json(evaluation.results, evaluation.verdict, evaluation.deadline))
        return
    for line in render.results_text(evaluation.results, evaluation.verdict, _styler()):
        click.echo(line)
    click.echo(render.deadline_line(evaluation.deadline, moment))


def _write_report(
    answers: Any,
    evaluation: Any,
    knowledge: Any,
    moment: dt.datetime,
    home: Path,
    signer: str,
    report_path: Path | None,
    force: bool,
    *,
    quiet: bool,
    previous: str = "",
    statement: str | None = None,
) -> Path:
    from readiness import report, state

    target = report_path or Path(report.default_name(answers))
    if target.exists() and not force:
        raise InputError.single(
            str(target),
            "",
            "already exists; use --force to replace it or --report to choose another name",
        )
    key = state.signing_key(home)
    signoff = report.Signoff(
        by=signer,
        at=dt.datetime.now(dt.UTC),
        previous=previous,
        statement=statement or report.STATEMENT,
    )
    doc = report.build(evaluation, answers, knowledge, moment, signoff)
    report.write(target, report.sign(doc, key), overwrite=force)
    click.echo(f"Report written to {target} (signed by {signer}).", err=quiet)
    return target


class _Session:
    """The interactive check: walk-through, results, fixes, sign-off; drafts on Ctrl-C."""

    def __init__(
        self,
        knowledge: Any,
        moment: dt.datetime,
        home: Path,
        strict: bool,
        asker: Any,
        devices_complete: bool,
        skipped: list[str],
    ) -> None:
        from readiness.wizard import Walkthrough

        self.knowledge, self.moment, self.home, self.strict = knowledge, moment, home, strict
        self.walk = Walkthrough(
            knowledge, moment, asker, devices_complete=devices_complete, skipped=set(skipped)
        )
        self.asker = asker

    def run(self, doc: dict[str, Any], source: str, signer: str | None) -> tuple[Any, Any, str]:
        from readiness import answers as answers_mod
        from readiness import checks, report, state

        try:
            self.walk.run(doc)
            while True:
                answers = answers_mod.from_document(doc, self.knowledge, source)
                evaluation = checks.evaluate(
                    answers, self.knowledge, self.moment, strict=self.strict
                )
                click.echo("")
                _show(evaluation, self.moment, "text")
                sign, change = "Sign off and write the report", "Change an answer"
                if self.asker.select("What next?", [sign, change], default=sign) == change:
                    section = self.asker.select("Which part?", self.walk.sections(doc))
                    self.walk.change(doc, section)
                    continue
                click.echo(f'\n"{report.STATEMENT}"')
                if not self.asker.confirm("Do you confirm this statement?", default=True):
                    continue
                name = self.asker.text(
                    "Sign as:",
                    default=signer or answers.traveler,
                    validate=lambda s: bool(s.strip()) or "a name is needed",
                )
                return answers, evaluation, name.strip()
        except Interrupted:
            meta = {
                "devices_complete": self.walk.devices_complete,
                "skipped": sorted(self.walk.skipped),
            }
            path = state.save_draft(self.home, doc, meta)
            raise Interrupted(
                f"Stopped. Your answers so far are kept in {path}; "
                "continue with `readiness check --resume`."
            ) from None


def _offer_to_save_answers(asker: Any, answers: Any) -> None:
    """A reusable answers file, so the next trip (or --no-input) starts from these."""
    import tomli_w

    from readiness import answers as answers_mod
    from readiness import report, tomlfile

    if not asker.confirm("Save these answers as a reusable answers file?", default=False):
        return
    default = report.default_name(answers).replace("readiness-", "answers-", 1)
    path = Path(
        asker.text(
            "Save as:",
            default=default,
            validate=lambda s: not Path(s).exists() or "that file exists",
        )
    )
    body = tomli_w.dumps(answers_mod.to_document(answers)).encode("utf-8")
    tomlfile.write_atomic(path, body, overwrite=False)
    click.echo(f"Answers saved to {path}; reuse them with `readiness check --answers {path}`.")


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


_add_subcommands()
