"""`readiness check` and `readiness recheck`: options in, one workflow call, results out.

The workflow decides everything (what to ask, evaluating, signing, writing,
drafts); these commands read options, hand a person at a terminal to it as an
interviewer, render what it found and return the exit code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from readiness.cli.options import (
    allowed_signers_option,
    asker_for,
    data_option,
    format_option,
    load_knowledge,
    now_option,
    state_home,
    styler,
)
from readiness.errors import EXIT_NOT_OK, EXIT_OK, is_one_line

if TYPE_CHECKING:
    from readiness.answers import Answers
    from readiness.knowledge import Knowledge
    from readiness.prompts.asker import Asker
    from readiness.results import Change, Evaluation
    from readiness.workflow import Interviewer, Outcome

Show = Callable[["Answers", "Evaluation", "Sequence[Change] | None"], None]
F = TypeVar("F", bound=Callable[..., Any])


def _common(func: F) -> F:
    """The options check and recheck share."""
    for option in reversed(
        (
            click.option(
                "--no-input", is_flag=True, help="Never prompt; missing answers are an error."
            ),
            click.option(
                "--report",
                "report_path",
                type=click.Path(path_type=Path),
                help="Where to write the signed report.",
            ),
            click.option("--force", is_flag=True, help="Replace an existing report file."),
            click.option(
                "--signer",
                callback=_signer_option,
                help="Who signs the report [default: traveler.name].",
            ),
            click.option("--strict", is_flag=True, help="Count warnings as failures."),
            format_option("text", "json"),
            now_option,
            data_option,
        )
    ):
        func = option(func)
    return func


def _signer_option(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not (value.strip() and is_one_line(value.strip())):
        raise click.BadParameter("give a name on one line, e.g. --signer 'Ada Lovelace'")
    return value


def _renderer(output_format: str, now: dt.datetime, knowledge: Knowledge) -> Show:
    """What a run shows of its results: JSON, or text (a recheck's changes first)."""
    from readiness.render import results as render_results

    def show(answers: Answers, evaluation: Evaluation, moved: Sequence[Change] | None) -> None:
        if output_format == "json":
            click.echo(
                render_results.results_json(
                    evaluation.results, evaluation.verdict, evaluation.deadline
                )
            )
            return
        from readiness.render.style import width_of, wrap_lines

        style = styler()  # wraps at the terminal's width, as `show` does; piped: never
        if moved is not None:
            click.echo("\n".join(render_results.changes_text(list(moved), style)))
            click.echo("")
        lines = render_results.results_text(evaluation.results, evaluation.verdict, style)
        lines += render_results.timing_lines(
            evaluation.deadline, answers.trip.departure, now, knowledge
        )
        # One write: a line at a time is slow with thousands.
        click.echo("\n".join(wrap_lines(lines, width_of(style))))

    return show


def _interviewer(
    asker: Asker | None, knowledge: Knowledge, now: dt.datetime, show: Show
) -> Interviewer | None:
    if asker is None:
        return None
    from readiness.prompts.interview import TerminalInterviewer

    return TerminalInterviewer(knowledge, now, asker, show, click.echo)


def _note(text: str) -> None:
    from readiness.text import safe

    click.echo(safe(text), err=True)


def _finish(
    ctx: click.Context,
    outcome: Outcome,
    interactive: bool,
    show: Show,
    output_format: str,
    now: dt.datetime,
    after_writing: Callable[[], None] = lambda: None,
) -> None:
    """The results (unless the interview showed them), where the report went, the exit code."""
    from readiness.render import results as render_results
    from readiness.results import Verdict

    evaluation = outcome.evaluation
    if not interactive:
        show(outcome.answers, evaluation, outcome.changes)
    json_out = output_format == "json"
    from readiness.text import safe

    written = f"Report written to {outcome.target} (signed by {outcome.signer})."
    click.echo(safe(written), err=json_out)
    after_writing()
    click.echo(
        render_results.closing_line(evaluation.verdict, outcome.target, evaluation.deadline, now),
        err=json_out,
    )
    ctx.exit(EXIT_NOT_OK if evaluation.verdict == Verdict.NOT_READY else EXIT_OK)


@click.command()
@click.option(
    "--answers",
    "answers_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Start from the answers in this TOML file.",
)
@click.option("--resume", is_flag=True, help="Continue from the draft an interrupted run kept.")
@_common
@click.pass_context
def check(
    ctx: click.Context,
    answers_path: Path | None,
    resume: bool,
    no_input: bool,
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
    from readiness import workflow

    if resume and answers_path:
        raise click.UsageError("use --resume or --answers, not both")
    knowledge = load_knowledge(data_path)
    moment = now or dt.datetime.now(dt.UTC)
    home = state_home()
    asker = asker_for(ctx, no_input)
    show = _renderer(output_format, moment, knowledge)
    if resume:
        start = workflow.Start.from_draft(home)
    elif answers_path:
        start = workflow.Start.from_file(answers_path)
    else:
        start = workflow.Start()
    outcome = workflow.check(
        start,
        knowledge=knowledge,
        now=moment,
        home=home,
        signer=signer,
        target=report_path,
        overwrite=force,
        strict=strict,
        interviewer=_interviewer(asker, knowledge, moment, show),
        note=_note,
    )

    def offer() -> None:
        if asker is not None:
            _offer_to_save_devices(asker, outcome, home, moment)
            _offer_to_save_answers(asker, outcome)

    _finish(ctx, outcome, asker is not None, show, output_format, moment, offer)


@click.command()
@click.argument("previous_path", metavar="REPORT", type=click.Path(path_type=Path))
@click.option(
    "--answers",
    "answers_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="New answers laid over the report's (devices matched by label).",
)
@click.option(
    "--all",
    "ask_all",
    is_flag=True,
    help="Ask every question again, not only what changes with time.",
)
@click.option("--resume", is_flag=True, help="Continue from the draft an interrupted recheck kept.")
@allowed_signers_option
@_common
@click.pass_context
def recheck(
    ctx: click.Context,
    previous_path: Path,
    answers_path: Path | None,
    ask_all: bool,
    resume: bool,
    allowed_signers_path: Path | None,
    no_input: bool,
    report_path: Path | None,
    force: bool,
    signer: str | None,
    strict: bool,
    output_format: str,
    now: dt.datetime | None,
    data_path: Path | None,
) -> None:
    """Run the checks again from REPORT's answers, by the pre-departure deadline.

    Re-asks what changes with time (battery, OS versions, roaming, Wi-Fi Calling,
    offline maps, network preference, airplane schedules), shows what changed,
    and writes a new report chained to REPORT.
    """
    from readiness import signing, workflow

    if resume and answers_path:
        raise click.UsageError("use --resume or --answers, not both")
    knowledge = load_knowledge(data_path)
    moment = now or dt.datetime.now(dt.UTC)
    asker = asker_for(ctx, no_input)
    show = _renderer(output_format, moment, knowledge)
    signers = signing.read_allowed_signers(allowed_signers_path) if allowed_signers_path else ()
    outcome = workflow.recheck(
        previous_path,
        workflow.Start.from_file(answers_path) if answers_path else None,
        knowledge=knowledge,
        now=moment,
        home=state_home(),
        signer=signer,
        target=report_path,
        overwrite=force,
        strict=strict,
        ask_all=ask_all,
        resume=resume,
        signers=signers,
        interviewer=_interviewer(asker, knowledge, moment, show),
        note=_note,
    )
    _finish(ctx, outcome, asker is not None, show, output_format, moment)


def _offer_to_save_answers(asker: Asker, outcome: Outcome) -> None:
    """A reusable answers file, so the next trip (or --no-input) starts from these."""
    from readiness import workflow

    if not asker.confirm("Save these answers as a reusable answers file?", default=False):
        return
    path = Path(
        asker.text(
            "Save as:",
            default=workflow.answers_file_name(outcome.answers),
            validate=lambda s: not Path(s).exists() or "that file exists",
        )
    )
    workflow.save_answers(path, outcome.answers)
    click.echo(f"Answers saved to {path}; reuse them with `readiness check --answers {path}`.")


def _offer_to_save_devices(asker: Asker, outcome: Outcome, home: Path, now: dt.datetime) -> None:
    """Devices typed in this run, kept in the inventory so the next trip can pick them."""
    from readiness import workflow

    typed = workflow.unsaved_devices(outcome.document, home)
    if not typed:
        return
    names = ", ".join(str(d["label"]) for d in typed)
    if not asker.confirm(f"Save {names} to the inventory for the next trip?", default=True):
        return
    for saved in workflow.save_devices(home, typed, outcome.answers.traveler, now):
        if saved.refused:
            click.echo(f"Not saved: {saved.label}: {saved.refused}")
        else:
            click.echo(f"Saved {saved.label} to the inventory.")
