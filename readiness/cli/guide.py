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
from readiness.errors import EXIT_NOT_OK, EXIT_OK, InvalidValue, NoTerminal, VerifyError
from readiness.text import safe

if TYPE_CHECKING:
    from readiness.answers import Answers
    from readiness.knowledge import Knowledge, Procedure
    from readiness.prompts.asker import Asker
    from readiness.report import Report

NOT_FIXED = "None of the guide's steps fixed it: contact your eSIM provider's support."
NONE_OF_THESE = "None of these"
NOTHING_FITS = "None of the guide's problems fits: contact your eSIM provider's support."


def _answers_of(loaded: Report, knowledge: Knowledge) -> Answers:
    from readiness import answers as answers_mod

    return answers_mod.from_document(loaded.answers, f"{loaded.source} [answers]")


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
    from readiness import guide as guide_mod
    from readiness import report, workflow
    from readiness.render import guide as render_guide

    if (report_path is None) == (answers_path is None):
        raise click.UsageError("give a REPORT or --answers FILE (one of them)")
    knowledge = load_knowledge(data_path)
    moment = now or dt.datetime.now(dt.UTC)
    if answers_path is not None:
        answers, evaluation = workflow.assess(answers_path, knowledge, moment)
        results = list(evaluation.results)
        next_command = f"readiness check --answers {shlex.quote(str(answers_path))}"
    elif report_path is not None:
        loaded = report.load(report_path)
        outcome = report.verify(loaded, trust(allowed_signers_path, moment))
        if not outcome.ok:
            said = f"{report_path}: {report.words(outcome, loaded.signoff.by)}"
            if not force:
                raise VerifyError([f"{said}; {report.UNTRUSTED}"])
            click.echo(safe(f"Note: {said}; the plan follows it as it is now (--force)."), err=True)
        answers = _answers_of(loaded, knowledge)
        results = list(loaded.results)
        next_command = f"readiness recheck {shlex.quote(str(report_path))}"
    plan = guide_mod.plan(answers, knowledge, results)
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
    import json

    from readiness import refresh, report
    from readiness.render import guide as render_guide
    from readiness.render import results as render_results
    from readiness.render.style import width_of, wrap_lines
    from readiness.results import Verdict

    loaded = report.load(report_path)
    moment = now or dt.datetime.now(dt.UTC)
    outcome = report.verify(loaded, trust(allowed_signers_path, moment))
    knowledge = load_knowledge(data_path)
    answers = _answers_of(loaded, knowledge)
    moment = now or dt.datetime.now(dt.UTC)
    # Sentences about "now" are said for this moment, not the one the report was signed at.
    results = refresh.as_of(loaded.results, answers, knowledge, moment)
    verdict = refresh.verdict_as_of(loaded.verdict, loaded.results, results)
    zone = answers.trip.zone
    deadline = loaded.deadline.astimezone(zone)
    evaluated_at = loaded.evaluated_at.astimezone(zone)
    verified = outcome.ok
    detail = report.words(outcome, loaded.signoff.by)
    departure = answers.trip.departure
    if output_format == "json":
        document = {
            "report": str(report_path),
            "trip": answers.trip.name,
            "traveler": answers.traveler,
            "verdict": str(verdict),
            "signed_verdict": str(loaded.verdict),
            "evaluated_at": evaluated_at.isoformat(),
            "departure": departure.isoformat(),
            "deadline": deadline.isoformat(),
            "hours_to_deadline": round((deadline - moment).total_seconds() / 3600, 1),
            "verification": {
                "verified": verified,
                "digest_ok": outcome.digest_ok,
                "signature": outcome.signature,
                "state": outcome.state,
                "fingerprint": outcome.fingerprint,
                "changed": list(outcome.changed),
                "detail": detail,
            },
            "checks": [report.result_document(r) for r in results],
        }
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    elif output_format == "markdown":
        click.echo(
            render_guide.report_markdown(
                report_path,
                answers.trip.name,
                answers.traveler,
                results,
                verdict,
                deadline,
                departure,
                moment,
                render_guide.verification_line(verified, detail),
                knowledge,
                signed=loaded.verdict,
            ),
            nl=False,
        )
    else:
        style = styler()
        lines = render_guide.report_header(
            report_path,
            answers.trip.name,
            answers.traveler,
            evaluated_at,
            loaded.signoff.by,
            loaded.signoff.at.astimezone(zone),
        )
        mark = style("✓", "green") if verified else style("✗", "red")
        lines += [f"{mark} {render_guide.verification_line(verified, detail)}", ""]
        lines += render_results.results_text(results, verdict, style)
        if verdict is not loaded.verdict:
            at = moment.astimezone(zone)
            lines.append(render_guide.verdict_moved_line(loaded.verdict, verdict, at))
        lines += render_results.timing_lines(deadline, departure, moment, knowledge)
        if verified:
            lines.append(render_results.closing_line(verdict, report_path, deadline, moment))
        click.echo("\n".join(wrap_lines(lines, width_of(style))))
    ctx.exit(EXIT_OK if verified and verdict is not Verdict.NOT_READY else EXIT_NOT_OK)
