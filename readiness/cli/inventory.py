"""``readiness inventory``: the commands around the IMEI inventory store.

Thin on purpose: parse options, ask for what is missing when someone is at a
terminal, call ``readiness.inventory``, print. Refusals come back as
``ReadinessError``s, which the top-level group prints and turns into exit 2.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from readiness.cli.completion import complete_labels
from readiness.cli.options import (
    asker_for,
    format_option,
    recorded_now_option,
    state_home,
)
from readiness.errors import (
    EXIT_NOT_OK,
    EXIT_OK,
    InputError,
    Interrupted,
    InvalidValue,
    NoTerminal,
    Problem,
)
from readiness.render.style import plural, table
from readiness.text import safe

if TYPE_CHECKING:
    from readiness.inventory import CsvTable, Entry, Inventory, RowOutcome
    from readiness.prompts.asker import Asker

#: Option name, prompt text, required; in the order they are asked.
_PROMPTS: tuple[tuple[str, str, bool], ...] = (
    ("label", "Device label (e.g. Ada's iPhone):", True),
    ("model", "Model (e.g. iPhone 15 Pro):", True),
    ("imei", "IMEI (dial *#06# on the device):", True),
    ("imei2", "Second IMEI, for dual SIM (Enter to skip):", False),
    ("eid", "EID, the eSIM chip's number (Enter to skip):", False),
    ("owner", "Owner (Enter to skip):", False),
)


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or dt.datetime.now(dt.UTC).replace(microsecond=0)


@contextlib.contextmanager
def _as(command: str) -> Iterator[None]:
    """Say which command refused, in front of each of the core's reasons."""
    from readiness.inventory import Refused

    try:
        yield
    except Refused as exc:
        raise Refused([f"{command}: {reason}" for reason in exc.reasons]) from None


def _identifier_options(func: Callable[..., Any]) -> Callable[..., Any]:
    for name, text in reversed(
        (
            ("label", "The device's name, unique in the inventory (e.g. \"Ada's iPhone\")."),
            ("model", 'The model (e.g. "iPhone 15 Pro").'),
            ("imei", "The IMEI: 15 digits, spaces and dashes allowed (dial *#06#)."),
            ("imei2", "The second IMEI of a dual-SIM device."),
            ("eid", "The EID of the eSIM chip (32 digits)."),
            ("owner", "Who uses the device."),
        )
    ):
        func = click.option(f"--{name}", name, metavar="TEXT", help=text)(func)
    return func


# --------------------------------------------------------------------------- prompting


def _prompt_checks(current: Inventory) -> dict[str, Callable[[str], object]]:
    """What each prompt refuses as it is typed, clashes with the inventory included."""
    from readiness import identifiers
    from readiness import inventory as store

    def label(text: str) -> None:
        store.check_label(text)  # never an IMEI, so find() can only match a label
        other = current.find(text)
        if other is not None:
            raise InvalidValue(f'"{other.label}" is already in the inventory')

    def imei(text: str, required: bool = True) -> None:
        if not required and not text.strip():
            return
        number = identifiers.validate_imei(text)
        other = current.by_imei(number)
        if other is not None:
            raise InvalidValue(f'this IMEI is already on "{other.label}"')

    def eid(text: str) -> None:
        if text.strip():
            identifiers.validate_eid(text)

    return {
        "label": label,
        "model": store.check_model,
        "imei": imei,
        "imei2": lambda text: imei(text, required=False),
        "eid": eid,
        "owner": store.check_owner,
    }


@contextlib.contextmanager
def _asking(undone: str, instead: str) -> Iterator[None]:
    """A prompt that could not finish says what was left undone, or what to give instead."""
    try:
        yield
    except Interrupted:
        raise Interrupted(f"Interrupted. {undone}") from None
    except NoTerminal:
        raise NoTerminal(f"no terminal to ask questions on; {instead}") from None


def _fill_in(
    command: str, given: dict[str, str | None], home: Path, asker: Asker | None
) -> dict[str, str]:
    """The values given, with the missing ones asked for when someone can answer.

    Without a terminal a missing required value is an input error naming the
    option, so scripts fail at once instead of hanging on a prompt.
    """
    missing = [name for name, _, required in _PROMPTS if required and given[name] is None]
    if missing and asker is None:
        raise InputError(
            [Problem(command, "", f"--{name} is missing; give it as an option") for name in missing]
        )
    values = {name: value for name, value in given.items() if value is not None}
    if not missing or asker is None:
        return values
    from readiness import inventory as store
    from readiness.prompts.asker import refusal

    checks = _prompt_checks(store.load(home))
    with _asking("Nothing was added.", "give --label, --model and --imei as options"):
        for name, text, _ in _PROMPTS:
            if name not in values:
                values[name] = asker.text(text, validate=refusal(checks[name])).strip()
    return values


# --------------------------------------------------------------------------- rendering


def _entry_table(entries: Sequence[Entry], reveal: bool) -> list[str]:
    columns = [("LABEL", "label"), ("MODEL", "model"), ("IMEI", "imei")]
    columns += [
        (title, name)
        for title, name in (("IMEI2", "imei2"), ("EID", "eid"), ("OWNER", "owner"))
        if any(getattr(entry, name) for entry in entries)
    ]
    rows = []
    for entry in entries:
        record = entry.as_record(reveal=reveal)
        if entry.no_imei:
            record["imei"] = f"none ({entry.no_imei})"
        cells = [safe(record[name]) for _, name in columns]
        rows.append([*cells, entry.changed.date().isoformat()])
    return table([title for title, _ in columns] + ["CHANGED"], rows)


def _shown(entry: Entry) -> str:
    from readiness.identifiers import mask

    imei = f"IMEI {mask(entry.imei)}" if entry.imei else "no IMEI"
    return safe(f'"{entry.label}" ({entry.model}, {imei})')


# --------------------------------------------------------------------------- commands


@click.group()
def inventory() -> None:
    """Keep your devices' IMEIs between trips (stored in READINESS_HOME, mode 0600)."""


@inventory.command("list")
@click.option("--reveal", is_flag=True, help="Show IMEIs and EIDs in full, not masked.")
@format_option("text", "json")
def list_devices(reveal: bool, output_format: str) -> None:
    """List the devices; IMEIs show only their last 4 digits unless --reveal."""
    from readiness import inventory as store

    current = store.load(state_home())
    if output_format == "json":
        records = [entry.as_record(reveal=reveal) for entry in current]
        import json

        click.echo(json.dumps(records, indent=2, ensure_ascii=False))
        return
    if not current.entries:
        click.echo(
            "The inventory is empty: add a device with `readiness inventory add`, "
            "or import an MDM export with `readiness inventory import FILE.csv`."
        )
        return
    click.echo("\n".join(_entry_table(current.entries, reveal)))
    click.echo(plural(len(current), "device") + ".")


@inventory.command()
@_identifier_options
@recorded_now_option("Record this moment as when the device was added [default: now].")
@click.pass_context
def add(
    ctx: click.Context,
    label: str | None,
    model: str | None,
    imei: str | None,
    imei2: str | None,
    eid: str | None,
    owner: str | None,
    now: dt.datetime | None,
) -> None:
    """Add a device; asks for what is missing when run at a terminal.

    Refused (exit 2) when an identifier is not valid or the label, IMEI or EID
    is already in the inventory.
    """
    from readiness import inventory as store

    home = state_home()
    given = {
        "label": label,
        "model": model,
        "imei": imei,
        "imei2": imei2,
        "eid": eid,
        "owner": owner,
    }
    values = _fill_in("inventory add", given, home, asker_for(ctx, no_input=False))
    with _as("inventory add"):
        entry = store.new_entry(
            label=values["label"],
            model=values["model"],
            imei=values["imei"],
            imei2=values.get("imei2", ""),
            eid=values.get("eid", ""),
            owner=values.get("owner", ""),
            now=_now(now),
        )
        store.add(home, entry)
    click.echo(f"Added {_shown(entry)}.")


@inventory.command()
@click.argument("key", metavar="LABEL", shell_complete=complete_labels)
@_identifier_options
@recorded_now_option("Record this moment as when the device was changed [default: now].")
def edit(
    key: str,
    label: str | None,
    model: str | None,
    imei: str | None,
    imei2: str | None,
    eid: str | None,
    owner: str | None,
    now: dt.datetime | None,
) -> None:
    """Change the device LABEL (or IMEI): only the options given; "" clears an optional one."""
    from readiness import inventory as store

    given = {
        "label": label,
        "model": model,
        "imei": imei,
        "imei2": imei2,
        "eid": eid,
        "owner": owner,
    }
    changes = {name: value for name, value in given.items() if value is not None}
    if not changes:
        raise InputError.single(
            "inventory edit",
            "",
            "nothing to change; give at least one of --label, --model, --imei, --imei2, "
            "--eid, --owner",
        )
    with _as("inventory edit"):
        old, new = store.edit(state_home(), key, changes, _now(now))
    if old == new:
        click.echo(f"No change: {_shown(old)} already has these values.")
        return
    changed = [name for name in store.TEXT_FIELDS if getattr(old, name) != getattr(new, name)]
    click.echo(f"Changed {', '.join(changed)} of {_shown(new)}.")


@inventory.command()
@click.argument("key", metavar="LABEL|IMEI", shell_complete=complete_labels)
@click.option("--yes", "-y", is_flag=True, help="Remove without asking to confirm.")
@click.pass_context
def remove(ctx: click.Context, key: str, yes: bool) -> None:
    """Remove the device with this label or IMEI (asks first unless --yes)."""
    from readiness import inventory as store

    home = state_home()
    if not yes:
        asker = asker_for(ctx, no_input=False)
        if asker is None:
            raise InputError.single(
                "inventory remove", "", "give --yes to remove without a terminal to confirm at"
            )
        entry = store.load(home).find(key)
        if entry is not None:
            with _asking("Nothing was removed.", "give --yes to remove without confirming"):
                sure = asker.confirm(f"Remove {_shown(entry)}?", default=False)
            if not sure:
                click.echo("Nothing removed.")
                ctx.exit(EXIT_OK)
    with _as("inventory remove"):
        removed = store.remove(home, key)
    click.echo(f"Removed {_shown(removed)}.")


#: How a dry run names each role of a column, and what it adds about it.
_ROLE_WORDS: dict[str, tuple[str, str]] = {
    "label": ("label", ""),
    "model": ("model", ""),
    "model_id": ("model identifier", " (when the model is empty)"),
    "imei": ("IMEI", ""),
    "imei2": ("IMEI2", ""),
    "meid": ("MEID", " (kept apart: not an IMEI, not stored)"),
    "eid": ("EID", ""),
    "owner": ("owner", ""),
    "serial": ("serial number", " (tells devices of one name apart)"),
}


def _mapping_lines(table: CsvTable) -> list[str]:
    """Which column became what, for a dry run."""
    from readiness.errors import shown

    lines = [f"{table.source}: read as {table.read_as()}"]
    for role, (word, note) in _ROLE_WORDS.items():
        names = table.columns.get(role)
        if names:
            columns = ", else ".join(f'"{shown(name)}"' for name in names)
            lines.append(f"  {word}: {columns}{note}")
    if "imei" not in table.columns:
        lines.append("  IMEI: no column; every device is imported without an IMEI")
    if table.ignored:
        lines.append("  not used: " + ", ".join(shown(name) for name in table.ignored))
    return lines


def _outcome_line(source: str, outcome: RowOutcome, dry_run: bool) -> str | None:
    """One row's line; an added row is shown in a dry run, or when something is said about it."""
    where = f"{source}: row {outcome.row}"
    if outcome.entry is None:
        return f"{where}: {outcome.outcome.value}: {outcome.message}"
    if not dry_run and not outcome.message:
        return None
    said = f": {outcome.message}" if outcome.message else ""
    verb = "would add" if dry_run else "added"
    entry = outcome.entry
    owner = f", owner {entry.owner}" if entry.owner and entry.owner not in entry.label else ""
    return f'{where}: {verb} "{entry.label}" ({entry.model}{owner}){said}'


@inventory.command("import")
@click.argument("csv_path", metavar="FILE.csv", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--dry-run",
    is_flag=True,
    help="Show which column became what and what each row would become; change nothing.",
)
@recorded_now_option("Record this moment as when the devices were added [default: now].")
@click.pass_context
def import_devices(
    ctx: click.Context, csv_path: Path, dry_run: bool, now: dt.datetime | None
) -> None:
    """Import devices from an MDM export (Intune, Jamf Pro, Kandji, Google, Workspace ONE, ABM).

    Rows already in the inventory are skipped; bad rows are named with their
    row number and do not stop the others. Exit 0 when every row was added or
    already there, 1 when some were rejected, 2 when the file cannot be read.
    """
    from readiness import inventory as store

    result = store.import_csv(state_home(), csv_path, _now(now), dry_run=dry_run)
    source = str(csv_path)
    lines: list[str] = []
    if dry_run and result.table is not None:
        lines += _mapping_lines(result.table)
    for outcome in result.outcomes:
        line = _outcome_line(source, outcome, dry_run)
        if line is not None:
            lines.append(line)
    if lines:  # one write: 100,000 echoes would flush 100,000 times
        click.echo("\n".join(safe(line) for line in lines))
    would = "to add" if dry_run else "added"
    click.echo(
        f"{source}: {plural(len(result.added), 'device')} {would}, "
        f"{len(result.duplicates)} already in the inventory, {len(result.rejected)} rejected"
        + ("; dry run, nothing was changed." if dry_run else ".")
    )
    ctx.exit(EXIT_NOT_OK if result.rejected else EXIT_OK)


@inventory.command()
@format_option("csv", "toml")
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    help="Write to this file (atomically, mode 0600) instead of the screen; - for standard output.",
)
@click.option("--force", is_flag=True, help="Replace an existing output file.")
def export(output_format: str, output: Path | None, force: bool) -> None:
    """Export every device with its full IMEIs, as CSV or TOML.

    In CSV, a cell that a spreadsheet would read as a formula (one starting with
    =, +, -, @, a tab or a carriage return) is written with a leading ' so that it
    stays text, as OWASP advises against CSV injection.
    """
    from readiness import inventory as store
    from readiness.files import write_atomic

    current = store.load(state_home())
    text = store.to_csv(current) if output_format == "csv" else store.to_toml(current)
    if output is None or str(output) == "-":
        click.echo(text, nl=False)
        return
    write_atomic(output, text.encode("utf-8"), mode=0o600, overwrite=force)
    click.echo(f"Exported {plural(len(current), 'device')} to {output}.", err=True)
