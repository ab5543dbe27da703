"""`readiness verify` and `readiness remind`: what is done with a signed report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from readiness.cli.options import now_option, state_home
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
@click.argument("report_path", metavar="REPORT", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "output_path",
    type=click.Path(path_type=Path),
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

    loaded = report.load(report_path)
    target = output_path or report_path.with_suffix(".ics")
    ics = remind_mod.reminder(loaded.document, report_path, now or dt.datetime.now(dt.UTC))
    files.write_atomic(target, ics, overwrite=force)
    deadline = loaded.deadline.astimezone(remind_mod.departure_zone(loaded.answers))
    click.echo(
        f"Reminder written to {target}: {format_moment(deadline)}, with an alarm "
        f"{remind_mod.ALARM_BEFORE.seconds // 3600} h before. Open it with your "
        "calendar."
    )
