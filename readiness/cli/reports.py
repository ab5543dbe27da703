"""`readiness verify` and `readiness remind`: what is done with a signed report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from readiness.cli.completion import complete_reports
from readiness.cli.options import (
    allowed_signers_option,
    data_option,
    format_option,
    load_knowledge,
    now_option,
    trust,
)
from readiness.errors import EXIT_NOT_OK, EXIT_OK
from readiness.text import safe


@click.command()
@click.argument(
    "paths", metavar="REPORT_OR_FOLDER...", nargs=-1, required=True, type=click.Path(path_type=Path)
)
@allowed_signers_option
@click.option(
    "--previous",
    "previous_path",
    type=click.Path(path_type=Path),
    help="Also check that REPORT rechecks this earlier report (one REPORT only).",
)
@format_option("text", "json", "csv")
@now_option
@data_option
@click.pass_context
def verify(
    ctx: click.Context,
    paths: tuple[Path, ...],
    allowed_signers_path: Path | None,
    previous_path: Path | None,
    output_format: str,
    now: dt.datetime | None,
    data_path: Path | None,
) -> None:
    """Check that reports are unchanged since sign-off and signed by a trusted key.

    Trusted: this machine's own key, or a key the --allowed-signers file (OpenSSH
    format, see `readiness key`) lists for the name the report is signed by. A
    folder is searched for reports (*.toml). With more than one report, a table
    follows: traveller, trip, departure, verdict, signature and recheck state
    (as of --now). --format csv starts any cell that a spreadsheet would read
    as a formula (=, +, -, @, tab, CR) with a '. Exits 0 only when every report
    verifies.
    """
    from readiness import collect
    from readiness.render import coordinator

    moment = now or dt.datetime.now(dt.UTC)
    if previous_path is not None and (len(paths) != 1 or paths[0].is_dir()):
        raise click.UsageError("--previous goes with one REPORT")
    window = load_knowledge(data_path).recheck_window_hours
    targets = paths if previous_path is None else (paths[0], previous_path)
    found = collect.collect(targets, trust(allowed_signers_path, moment), moment, window)
    for line in coordinator.notes(found):
        click.echo(line, err=True)
    for line in coordinator.failures(found):
        click.echo(f"error: {line}", err=True)
    if output_format == "json":
        click.echo(coordinator.as_json(found))
    elif output_format == "csv":
        click.echo(coordinator.as_csv(found), nl=False)
    else:
        click.echo("\n".join(coordinator.lines(found, table_too=previous_path is None)))
    if previous_path is not None and found.ok:
        collect.check_chain_of(paths[0], previous_path)
        click.echo(f"{safe(str(paths[0]))} rechecks {safe(str(previous_path))} (the chain holds).")
    ctx.exit(EXIT_OK if found.ok else EXIT_NOT_OK)


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
    from readiness import files
    from readiness import remind as remind_mod
    from readiness.results import format_moment

    knowledge = load_knowledge(data_path)
    moment = now or dt.datetime.now(dt.UTC)
    made = remind_mod.for_report(report_path, moment, knowledge.recheck_window_hours)
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
