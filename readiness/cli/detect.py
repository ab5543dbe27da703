"""``readiness detect``: read model, OS version, battery and IMEI instead of typing them.

Parse the options, read the devices (``readiness.detect``), render them, and
with ``--save`` add them to the inventory. Notes about what could not be read
go to stderr, one line each, so ``--format json``/``toml`` output stays clean.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from readiness.cli.options import data_option, format_option, now_option, state_home, styler

# Also readiness.detect.DEFAULT_TIMEOUT; tests/test_cli_detect.py holds them equal. Kept
# here so `readiness --help` does not import detection to list this command.
DEFAULT_TIMEOUT = 10.0


@click.command()
@format_option("text", "json", "toml")
@click.option(
    "--save", is_flag=True, help="Add the devices read to the inventory, as `inventory add` would."
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    metavar="SECONDS",
    help="How long each outside program (adb, ideviceinfo) may take.",
)
@data_option
@now_option
def detect(
    output_format: str,
    save: bool,
    timeout: float,
    data_path: Path | None,
    now: dt.datetime | None,
) -> None:
    """Read this computer and the phones and tablets on USB (adb, libimobiledevice).

    Prints one block a device, JSON, or a [[devices]] fragment for an answers
    file (--format toml). A phone that will not give its IMEI over USB shows it
    when *#06# is dialled on it.
    """
    from readiness.cli.options import load_knowledge
    from readiness.detect import detect_all
    from readiness.detect.to_answers import save_to_inventory, to_answers_devices
    from readiness.inventory import Refused
    from readiness.render import detect as render

    knowledge = load_knowledge(data_path)
    detection = detect_all(timeout=timeout, tables=knowledge)
    found = to_answers_devices(detection.devices, knowledge)
    notes = [*detection.all_notes(), *(note for d in found for note in d.notes)]
    for note in notes:
        click.echo(note, err=True)
    if output_format == "json":
        click.echo(render.detected_json(found, detection.notes, knowledge))
    elif output_format == "toml":
        click.echo(render.detected_toml(found), nl=False)
    else:
        click.echo("\n".join(render.detected_text(found, knowledge, styler())))
    if not save:
        return
    moment = now or dt.datetime.now(dt.UTC).replace(microsecond=0)
    added, refused = render.saved_lines(save_to_inventory(state_home(), found, moment))
    for line in added:
        click.echo(line, err=output_format != "text")
    if refused:
        raise Refused([f"detect --save: {line}" for line in refused])
