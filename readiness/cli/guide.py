"""`readiness guide`, `readiness troubleshoot` and `readiness show`.

After the checks: the setup plan for this trip's devices, the guide's
troubleshooting steps when something stops working, and a signed report shown
for a person.
"""

from __future__ import annotations

import datetime as dt
import shlex
from pathlib import Path
from typing import TYPE_CHECKING

import click

from readiness.cli.completion import complete_procedures, complete_reports
from readiness.cli.options import (
    allowed_signers_option,
    asker_for,
    data_option,
    format_option,
    load_knowledge,
    now_option,
    styler,
    trust,
)
from readiness.errors import EXIT_NOT_OK, EXIT_OK, InvalidValue, NoTerminal
from readiness.text import safe

if TYPE_CHECKING:
    from readiness.knowledge import Procedure
    from readiness.prompts.asker import Asker

NOT_FIXED = "None of the guide's steps fixed it: contact your eSIM provider's support."
NONE_OF_THESE = "None of these"
NOTHING_FITS = "None of the guide's problems fits: contact your eSIM provider's support."


@click.command()
@click.argument(
    "report_path",
    metavar="[REPORT]",
    required=False,
    type=click.Path(path_type=Path),
    shell_complete=complete_reports,
)
@click.option(
    "--answers",
    "answers_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Plan from an answers file instead of a report (checked as of --now).",
)
@click.option("--force", is_flag=True, help="Plan from a REPORT that does not verify as trusted.")
@allowed_signers_option
@format_option("text", "markdown", "json")
@now_option
@data_option
def guide(
    report_path: Path | None,
    answers_path: Path | None,
    force: bool,
    allowed_signers_path: Path | None,
    output_format: str,
    now: dt.datetime | None,
    data_path: Path | None,
) -> None:
    """The setup plan for this trip's devices, in order, with the guide's steps.

    The primary device first, then phones and tablets, watches (after the phone
    each pairs with), laptops, and the data routing; what failed a check comes
    first, with its fix. --format markdown gives a plan to print or send.
    """
    from readiness import reading
    from readiness.render import guide as render_guide

    if (report_path is None) == (answers_path is None):
        raise click.UsageError("give a REPORT or --answers FILE (one of them)")
    knowledge = load_knowledge(data_path)
    moment = now or dt.datetime.now(dt.UTC)
    if answers_path is not None:
        view = reading.plan_from_answers(answers_path, knowledge, moment)
        next_command = f"readiness check --answers {shlex.quote(str(answers_path))}"
    elif report_path is not None:
        trusted = trust(allowed_signers_path, moment)
        view = reading.plan_from_report(report_path, knowledge, trusted, force=force)
        next_command = f"readiness recheck {shlex.quote(str(report_path))}"
    if view.forced:
        click.echo(
            safe(f"Note: {view.forced}; the plan follows it as it is now (--force)."), err=True
        )
    plan = view.plan
    if output_format == "json":
        click.echo(render_guide.plan_json(plan))
    elif output_format == "markdown":
        click.echo(render_guide.plan_markdown(plan, next_command, moment), nl=False)
    else:
        click.echo("\n".join(render_guide.plan_text(plan, next_command, moment, styler())))


@click.command()
@click.argument("symptom", nargs=-1, shell_complete=complete_procedures)
@click.option("--no-input", is_flag=True, help="Print every step instead of asking after each.")
@format_option("text", "json")
@data_option
@click.pass_context
def troubleshoot(
    ctx: click.Context,
    symptom: tuple[str, ...],
    no_input: bool,
    output_format: str,
    data_path: Path | None,
) -> None:
    """What to try when something stops working: the guide's steps, in order.

    SYMPTOM is an id or a few words ("won't join", "no service after border").
    Without one, a terminal offers a list to pick from (elsewhere the known
    problems are listed with their ids). Words that match nothing exactly get the
    closest problems: to pick from on a terminal, printed elsewhere. On a terminal
    it goes one step at a time and stops at the first that fixes it; where the
    guide lists conditions that must all hold (handoff), it asks about each and
    ends with the guide's fallback.
    """
    import json

    from readiness import troubleshoot as finder
    from readiness.render import guide as render_guide

    knowledge = load_knowledge(data_path)
    procedures = list(knowledge.troubleshooting.values())
    text = " ".join(symptom).strip()
    if output_format == "json":
        # A script gets a clear answer or an error, never a guess.
        chosen = [finder.match_symptom(text, knowledge)] if text else procedures
        documents = [render_guide.procedure_document(p) for p in chosen]
        shown = documents[0] if text else documents
        click.echo(json.dumps(shown, indent=2, ensure_ascii=False))
        return
    asker = asker_for(ctx, no_input)
    found = finder.find(text, knowledge) if text else None
    if found is not None and found.match is not None:
        procedure = found.match
    elif asker is not None:
        ranked = list(found.ranked) if found is not None else procedures
        question = (
            f"Nothing matches {found.text!r} exactly; which problem is closest?"
            if found is not None
            else "Which problem is it?"
        )
        picked = _pick(asker, question, ranked)
        if picked is None:
            click.echo(NOTHING_FITS)
            ctx.exit(EXIT_NOT_OK)
        procedure = picked
    elif found is None:
        click.echo("\n".join(render_guide.symptoms_text(procedures)))
        return
    elif found.closest:
        click.echo(render_guide.closest_note(found.text, found.closest), err=True)
        texts = ["\n".join(render_guide.procedure_text(p)) for p in found.closest]
        click.echo("\n\n".join(texts))
        return
    else:
        raise InvalidValue(found.nothing_close())
    if asker is None:
        click.echo("\n".join(render_guide.procedure_text(procedure)))
        return
    click.echo("\n".join(render_guide.procedure_heading(procedure)))
    if procedure.kind == "conditions":
        _walk_conditions(procedure, asker)
        return
    total = len(procedure.steps)
    for number, step in enumerate(procedure.steps, start=1):
        click.echo(f"\nStep {number} of {total}: {step}")
        if _ask(asker, "Did that fix it?", procedure, default=False):
            click.echo(f"Fixed at step {number} of {total}.")
            ctx.exit(EXIT_OK)
    click.echo(f"\n{NOT_FIXED}")
    ctx.exit(EXIT_NOT_OK)


def _pick(asker: Asker, question: str, procedures: list[Procedure]) -> Procedure | None:
    """A procedure picked from a list (in the order given), or None for "none of these"."""
    from readiness.render import guide as render_guide

    choices = {render_guide.picker_choice(p): p for p in procedures}
    try:
        picked = asker.select(question, [*choices, NONE_OF_THESE], default=next(iter(choices)))
    except NoTerminal:
        raise NoTerminal(
            "no terminal to pick on; `readiness troubleshoot` lists the problems with their ids"
        ) from None
    return choices.get(picked)


def _walk_conditions(procedure: Procedure, asker: Asker) -> None:
    """A checklist: each condition asked once, then what is not true yet, then the fallback."""
    from readiness.render import guide as render_guide

    total = len(procedure.steps)
    unmet = []
    for number, condition in enumerate(procedure.steps, start=1):
        click.echo(f"\nCondition {number} of {total}: {condition}")
        if not _ask(asker, "Is this true?", procedure, default=True):
            unmet.append(number)
    click.echo("")
    if unmet:
        click.echo(render_guide.unmet_line(unmet))
    click.echo(render_guide.fallback_line(procedure))


def _ask(asker: Asker, question: str, procedure: Procedure, *, default: bool) -> bool:
    try:
        return asker.confirm(question, default=default)
    except NoTerminal:
        raise NoTerminal(
            "no terminal to answer on; `readiness troubleshoot "
            f"{procedure.id} --no-input` prints every step"
        ) from None


@click.command()
@click.argument(
    "report_path",
    metavar="REPORT",
    type=click.Path(path_type=Path),
    shell_complete=complete_reports,
)
@allowed_signers_option
@format_option("text", "markdown", "json")
@now_option
@data_option
@click.pass_context
def show(
    ctx: click.Context,
    report_path: Path,
    allowed_signers_path: Path | None,
    output_format: str,
    now: dt.datetime | None,
    data_path: Path | None,
) -> None:
    """Show a signed report for a person: results, verdict, deadline, and whether it verifies.

    Exits 1 when the report is not ready or does not verify as unchanged and
    signed by a trusted key (it is still shown).
    """
    from readiness import reading
    from readiness.render import shown as render_shown
    from readiness.render.style import width_of, wrap_lines

    moment = now or dt.datetime.now(dt.UTC)
    knowledge = load_knowledge(data_path)
    shown = reading.show(report_path, knowledge, moment, trust(allowed_signers_path, moment))
    if output_format == "json":
        click.echo(render_shown.show_json(shown))
    elif output_format == "markdown":
        click.echo(render_shown.show_markdown(shown, knowledge), nl=False)
    else:
        style = styler()
        lines = render_shown.show_text(shown, knowledge, style)
        click.echo("\n".join(wrap_lines(lines, width_of(style))))
    ctx.exit(EXIT_OK if shown.ok else EXIT_NOT_OK)
