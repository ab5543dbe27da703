"""`readiness matrix`: the compatibility matrix, or where one model stands in it."""

from __future__ import annotations

from pathlib import Path

import click

from readiness.cli.options import data_option, format_option, load_knowledge


@click.command()
@click.argument("model", required=False)
@format_option("text", "json")
@data_option
def matrix(model: str | None, output_format: str, data_path: Path | None) -> None:
    """Show the compatibility matrix, or where MODEL stands in it."""
    import json

    from readiness.render import results as render_results

    knowledge = load_knowledge(data_path)
    if model is None:
        if output_format == "json":
            rows = [
                {**row.__dict__, "os_minimum": knowledge.os_minimums.get(row.os, "")}
                for row in knowledge.matrix
            ]
            click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        else:
            click.echo("\n".join(render_results.matrix_table(knowledge)))
        return
    placement = knowledge.place(model)
    if output_format == "json":
        row = placement.row
        click.echo(
            json.dumps(
                {
                    "model": model,
                    "read_as": placement.read_as,
                    "no_esim": placement.no_esim,
                    "row": row.__dict__ if row else None,
                    "os": placement.os,
                    "os_minimum": knowledge.os_minimums.get(placement.os or "", ""),
                    "closest": [] if row or placement.no_esim else knowledge.closest_models(model),
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        click.echo("\n".join(render_results.model_lines(knowledge, placement)))
