"""`readiness key`: this machine's public key, as a line for a coordinator's allowed_signers."""

from __future__ import annotations

from pathlib import Path

import click

from readiness.cli.options import state_home


@click.command()
@click.option(
    "--name",
    help="The name reports are signed as [default: the name this machine last signed as].",
)
@click.option(
    "-o",
    "--output",
    "output_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write the allowed_signers line to this file, for the coordinator.",
)
@click.option("--force", is_flag=True, help="Replace an existing output file.")
def key(name: str | None, output_path: Path | None, force: bool) -> None:
    """Show this machine's public key as an OpenSSH allowed_signers line, and its fingerprint.

    Whoever collects your reports adds the line to their allowed_signers file
    and checks them with `readiness verify --allowed-signers FILE` (or with
    `ssh-keygen -Y verify`). The key is made on first use; the private half
    never leaves the state folder.
    """
    from readiness import signing
    from readiness.text import safe

    exported = signing.export_public(state_home(), name, output_path, overwrite=force)
    click.echo(safe(exported.line))
    click.echo(f"Fingerprint: {exported.fingerprint}")
    if output_path is not None:
        click.echo(f"Written to {safe(str(output_path))}.")
