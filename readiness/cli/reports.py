"""`readiness verify` and `readiness remind`: what is done with a signed report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from readiness.cli.completion import complete_reports
from readiness.cli.options import data_option, load_knowledge, now_option, state_home
from readiness.errors import EXIT_OK, VerifyError

if TYPE_CHECKING:
    from readiness.report import Report, Verification


@click.command()
@click.argument("report_path", metavar="REPORT", type=click.Path(path_type=Path))
@click.option(
    "--previous",
    "previous_path",
    type=click.Path(path_type=Path),
    help="Also check that REPORT rechecks this earlier report.",
)
@click.pass_context
def verify(ctx: click.Context, report_path: Path, previous_path: Path | None) -> None:
    """Check that REPORT has not changed since it was signed."""
    from readiness import report, state

    key = state.read_key(state_home())
    loaded = report.load(report_path)
    lines = [_verified(loaded, report.verify(loaded, key))]
    if previous_path is not None:
        earlier = report.load(previous_path)
        lines.append(_verified(earlier, report.verify(earlier, key)))
        chained = loaded.signoff.previous
        if chained != earlier.signoff.digest:
            what = f"chains to {chained}" if chained else "chains to no earlier report"
            raise VerifyError([f"{report_path}: {what}, not to {previous_path}"])
        lines.append(f"{report_path} rechecks {previous_path} (the chain holds).")
    click.echo("\n".join(lines))
    ctx.exit(EXIT_OK)


def _verified(loaded: Report, outcome: Verification) -> str:
    """One line for a report that verifies; a ``VerifyError`` for one that does not."""
    from readiness import report

    said = report.words(outcome, loaded.signoff.by, loaded.signoff.at.isoformat(" "))
    if not outcome.ok:
        raise VerifyError([f"{loaded.source}: {said}"])
    if outcome.signature is report.SignatureState.VALID:
        return f"{loaded.source}: {said}."
    return (
        f"{loaded.source}: {said}. Only the machine that signed it can rule out an edit made since."
    )


@click.command()
@click.argument(
    "report_path",
    metavar="REPORT",
    type=click.Path(path_type=Path),
    shell_complete=complete_reports,
)
@click.option(
    "-o",
    "--output",
    "output_path",
    type=click.Path(path_type=Path, allow_dash=True),
    help="Where to write the .ics file; - for standard output [default: beside REPORT].",
)
@click.option("--force", is_flag=True, help="Replace an existing .ics file.")
@now_option
@data_option
def remind(
    report_path: Path,
    output_path: Path | None,
    force: bool,
    now: dt.datetime | None,
    data_path: Path | None,
) -> None:
    """Write a calendar event (.ics) for the pre-departure recheck of REPORT.

    The event is at the start of the rerun window, with the deadline in its text.
    """
    from readiness import files, report
    from readiness import remind as remind_mod
    from readiness.results import format_moment

    loaded = report.load(report_path)
    knowledge = load_knowledge(data_path)
    moment = now or dt.datetime.now(dt.UTC)
    made = remind_mod.reminder(loaded.document, report_path, moment, knowledge.recheck_window_hours)
    if moment > made.deadline:
        click.echo(
            f"Warning: the pre-departure deadline ({format_moment(made.deadline)}) has "
            "passed; the reminder is in the past.",
            err=True,
        )
    elif moment > made.opens:
        click.echo(
            f"Note: the rerun window opened at {format_moment(made.opens)}; "
            f"recheck now, before {format_moment(made.deadline)}.",
            err=True,
        )
    if output_path is not None and str(output_path) == "-":
        click.echo(made.ics, nl=False)  # bytes go to the binary stream as they are
        return
    target = output_path or report_path.with_suffix(".ics")
    files.write_atomic(target, made.ics, overwrite=force)
    click.echo(
        f"Reminder written to {target}: {format_moment(made.opens)}, when the rerun window "
        f"opens (the deadline is {format_moment(made.deadline)}), with an alarm "
        f"{remind_mod.ALARM_BEFORE.seconds // 3600} h before. Open it with your calendar."
    )
