"""`readiness check` and `readiness recheck`: one flow, two starting points.

A check starts from nothing, an answers file or a draft; a recheck starts from
a verified report's answers and re-asks what changes with time. Both then
evaluate, show the results (a recheck first shows what changed), take a
sign-off and write a signed report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import click

from readiness.cli.options import (
    PathArg,
    asker_for,
    data_option,
    format_option,
    load_knowledge,
    now_option,
    state_home,
    styler,
)
from readiness.errors import (
    NO_TERMINAL_HINT,
    InputError,
    Interrupted,
    NoTerminal,
    Problem,
    VerifyError,
    is_one_line,
)

if TYPE_CHECKING:
    from pathlib import Path

EXIT_READY, EXIT_NOT_READY = 0, 1


def _common(func: Any) -> Any:
    """The options check and recheck share."""
    for option in reversed(
        (
            click.option(
                "--no-input", is_flag=True, help="Never prompt; missing answers are an error."
            ),
            click.option(
                "--report",
                "report_path",
                type=click.Path(path_type=PathArg),
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


@dataclass
class Flow:
    """Everything a run needs once the options are read."""

    knowledge: Any
    moment: dt.datetime
    home: Path
    strict: bool
    output_format: str
    asker: Any
    signer: str | None
    report_path: Path | None
    force: bool
    before: list[Any] | None = None
    previous: str = ""
    reask: Collection[str] = ()
    ask_all: bool = False
    ask_optional: bool = True
    devices_complete: bool = False
    skipped: list[str] = field(default_factory=list)

    def run(self, doc: dict[str, Any], source: str, text: str = "") -> tuple[Path, Any]:
        from readiness import answers as answers_mod
        from readiness import checks

        doc = self._from_inventory(doc, source)
        if self.asker is not None:
            answers_mod.check_partial(doc, source, text)
            answers, evaluation, signer = self._interactive(doc, source)
        else:
            answers = answers_mod.from_document(doc, source, text)
            missing = answers_mod.missing(answers, self.knowledge)
            if missing:
                raise InputError(
                    [Problem(source, path, "missing (needed with --no-input)") for path in missing]
                )
            signer = (self.signer or answers.traveler).strip()
            if not signer:
                raise InputError.single(
                    source,
                    "traveler.name",
                    "missing, and no --signer given: someone must sign the report",
                )
            evaluation = checks.evaluate(answers, self.knowledge, self.moment, strict=self.strict)
            self.show(answers, evaluation)
        target = self.write(answers, evaluation, signer)
        return target, evaluation

    def _from_inventory(self, doc: dict[str, Any], source: str) -> dict[str, Any]:
        """Devices that name an inventory entry get its details; others are left alone."""
        devices = doc.get("devices")
        if not isinstance(devices, list) or not any(
            isinstance(d, dict) and "inventory" in d for d in devices
        ):
            return doc
        from readiness import inventory

        filled = inventory.fill_devices(doc, inventory.load(self.home), source)
        doc.clear()
        doc.update(filled)
        return doc

    def saved_devices(self) -> list[dict[str, str]]:
        """The inventory's devices for the walk-through to offer; none if it cannot be read."""
        from readiness import inventory
        from readiness.errors import ReadinessError

        try:
            book = inventory.load(self.home)
        except ReadinessError as exc:
            click.echo(
                f"Note: the inventory cannot be read, so no saved devices are offered "
                f"({exc.lines()[0]}).",
                err=True,
            )
            return []
        return [
            {"label": e.label, "model": e.model, "imei": e.imei, "imei2": e.imei2, "eid": e.eid}
            for e in book
        ]

    def show(self, answers: Any, evaluation: Any) -> None:
        from readiness.render import results as render_results

        if self.output_format == "json":
            click.echo(
                render_results.results_json(
                    evaluation.results, evaluation.verdict, evaluation.deadline
                )
            )
            return
        if self.before is not None:
            from readiness import results

            click.echo(
                "\n".join(
                    render_results.changes_text(
                        results.changes(self.before, list(evaluation.results)), styler()
                    )
                )
            )
            click.echo("")
        lines = render_results.results_text(evaluation.results, evaluation.verdict, styler())
        lines += render_results.timing_lines(
            evaluation.deadline, answers.trip.departure, self.moment, self.knowledge
        )
        click.echo("\n".join(lines))  # one write: a line at a time is slow with thousands

    def write(self, answers: Any, evaluation: Any, signer: str) -> Path:
        from readiness import report, state

        target = self.report_path or PathArg(report.default_name(answers))
        if target.is_dir():
            raise InputError.single(str(target), "", "is a folder; give --report a file name")
        if target.exists() and not self.force:
            raise InputError.single(
                str(target),
                "",
                "already exists; use --force to replace it or --report to choose another name",
            )
        key = state.signing_key(self.home)
        signoff = report.Signoff(by=signer, at=dt.datetime.now(dt.UTC), previous=self.previous)
        doc = report.build(evaluation, answers, self.knowledge, self.moment, signoff)
        report.write(target, report.sign(doc, key), overwrite=self.force)
        click.echo(
            f"Report written to {target} (signed by {signer}).", err=self.output_format == "json"
        )
        return target

    def _interactive(self, doc: dict[str, Any], source: str) -> tuple[Any, Any, str]:
        """Walk-through, results, fixes, sign-off; Ctrl-C keeps the answers as a draft."""
        from readiness import answers as answers_mod
        from readiness import checks, report, state
        from readiness.prompts.asker import name_check
        from readiness.prompts.walkthrough import Walkthrough

        walk = Walkthrough(
            self.knowledge,
            self.moment,
            self.asker,
            reask=self.reask,
            ask_all=self.ask_all,
            ask_optional=self.ask_optional,
            devices_complete=self.devices_complete,
            skipped=set(self.skipped),
            saved_devices=() if self.devices_complete else self.saved_devices(),
        )
        try:
            walk.run(doc)
            while True:
                answers = answers_mod.from_document(doc, source)
                evaluation = checks.evaluate(
                    answers, self.knowledge, self.moment, strict=self.strict
                )
                click.echo("")
                self.show(answers, evaluation)
                sign, change = "Sign off and write the report", "Change an answer"
                if self.asker.select("What next?", [sign, change], default=sign) == change:
                    walk.change(doc, self.asker.select("Which part?", walk.sections(doc)))
                    continue
                click.echo(f'\n"{report.STATEMENT}"')
                if not self.asker.confirm("Do you confirm this statement?", default=True):
                    continue
                name = self.asker.text(
                    "Sign as:",
                    default=self.signer or answers.traveler,
                    validate=name_check("a name is needed"),
                )
                return answers, evaluation, name.strip()
        except Interrupted:
            meta = {"devices_complete": walk.devices_complete, "skipped": sorted(walk.skipped)}
            path = state.save_draft(self.home, doc, meta)
            raise Interrupted(
                f"Stopped. Your answers so far are kept in {path}; "
                "continue with `readiness check --resume`."
            ) from None


def _finish(ctx: click.Context, flow: Flow, target: Path, evaluation: Any) -> None:
    from readiness import results
    from readiness.render import results as render_results

    click.echo(
        render_results.closing_line(evaluation.verdict, target, evaluation.deadline, flow.moment),
        err=flow.output_format == "json",
    )
    ctx.exit(EXIT_NOT_READY if evaluation.verdict == results.Verdict.NOT_READY else EXIT_READY)


@click.command()
@click.option(
    "--answers",
    "answers_path",
    type=click.Path(path_type=PathArg, dir_okay=False),
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
    from readiness import files, state

    if resume and answers_path:
        raise click.UsageError("use --resume or --answers, not both")
    flow = Flow(
        load_knowledge(data_path),
        now or dt.datetime.now(dt.UTC),
        state_home(),
        strict,
        output_format,
        asker_for(ctx, no_input),
        signer,
        report_path,
        force,
    )
    source, text, doc = "answers", "", dict[str, Any]()
    if resume:
        doc, meta = state.load_draft(flow.home)
        flow.devices_complete = bool(meta.get("devices_complete"))
        flow.skipped = [str(p) for p in meta.get("skipped", [])]
        source = str(state.draft_path(flow.home))
    elif answers_path:
        text, doc = files.read_toml(answers_path, "answers file")
        source, flow.devices_complete = str(answers_path), "devices" in doc
    elif flow.asker is None:
        raise NoTerminal(NO_TERMINAL_HINT)
    target, evaluation = flow.run(doc, source, text)
    if flow.asker is not None:
        state.remove_draft(flow.home)
        _offer_to_save_devices(flow.asker, doc, flow.home, flow.moment)
        _offer_to_save_answers(flow.asker, doc, flow.knowledge)
    _finish(ctx, flow, target, evaluation)


@click.command()
@click.argument("previous_path", metavar="REPORT", type=click.Path(path_type=PathArg))
@click.option(
    "--answers",
    "answers_path",
    type=click.Path(path_type=PathArg, dir_okay=False),
    help="New answers laid over the report's (devices matched by label).",
)
@click.option(
    "--all",
    "ask_all",
    is_flag=True,
    help="Ask every question again, not only what changes with time.",
)
@_common
@click.pass_context
def recheck(
    ctx: click.Context,
    previous_path: Path,
    answers_path: Path | None,
    ask_all: bool,
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
    from readiness import answers as answers_mod
    from readiness import files, report, state

    previous = report.load(previous_path)
    outcome = report.verify(previous, state.read_key(state_home()))
    if not outcome.digest_ok and not force:
        raise VerifyError(
            [
                f"{previous_path}: changed after sign-off ({', '.join(outcome.changed)})"
                "; use --force to recheck it anyway"
            ]
        )
    if outcome.signature == "invalid" and not force:
        raise VerifyError([f"{previous_path}: {outcome.reason}; use --force to recheck it anyway"])
    if outcome.signature == "unchecked":
        click.echo(
            f"Note: {previous_path}: the signature could not be checked here "
            f"({outcome.reason}); its digest holds.",
            err=True,
        )
    moment = now or dt.datetime.now(dt.UTC)
    doc = dict(previous.get("answers", {}))
    text = ""
    if answers_path:
        text, changes = files.read_toml(answers_path, "answers file")
        answers_mod.check_partial(changes, str(answers_path), text)
        doc = answers_mod.overlay(doc, changes)
    flow = Flow(
        load_knowledge(data_path),
        moment,
        state_home(),
        strict,
        output_format,
        asker_for(ctx, no_input),
        signer or previous.get("signoff", {}).get("by"),
        report_path or report.recheck_name(previous_path, moment),
        force,
        before=report.results_of(previous),
        previous=str(previous["signoff"]["digest"]),
        reask=() if ask_all else load_knowledge(data_path).time_sensitive_answers,
        ask_all=ask_all,
        ask_optional=False,
        devices_complete=not ask_all,
    )
    target, evaluation = flow.run(doc, str(answers_path or previous_path))
    _finish(ctx, flow, target, evaluation)


def _offer_to_save_answers(asker: Any, doc: dict[str, Any], knowledge: Any) -> None:
    """A reusable answers file, so the next trip (or --no-input) starts from these."""
    import tomli_w

    from readiness import answers as answers_mod
    from readiness import files, report

    answers = answers_mod.from_document(doc)
    if not asker.confirm("Save these answers as a reusable answers file?", default=False):
        return
    default = report.default_name(answers).replace("readiness-", "answers-", 1)
    path = PathArg(
        asker.text(
            "Save as:",
            default=default,
            validate=lambda s: not PathArg(s).exists() or "that file exists",
        )
    )
    body = tomli_w.dumps(answers_mod.to_document(answers)).encode("utf-8")
    files.write_atomic(path, body, overwrite=False)
    click.echo(f"Answers saved to {path}; reuse them with `readiness check --answers {path}`.")


def _offer_to_save_devices(
    asker: Any, doc: dict[str, Any], home: Path, moment: dt.datetime
) -> None:
    """Devices typed in this run, kept in the inventory so the next trip can pick them."""
    from readiness import inventory
    from readiness.errors import ReadinessError

    try:
        book = inventory.load(home)
    except ReadinessError:
        return  # said when the walk-through started; nothing is written to a broken file
    typed = [
        d
        for d in doc.get("devices", [])
        if "inventory" not in d
        and d.get("imei")
        and book.find(d["imei"]) is None
        and book.find(d["label"]) is None
    ]
    if not typed:
        return
    names = ", ".join(d["label"] for d in typed)
    if not asker.confirm(f"Save {names} to the inventory for the next trip?", default=True):
        return
    owner = str(doc.get("traveler", {}).get("name", ""))
    for device in typed:
        try:
            entry = inventory.new_entry(
                label=device["label"],
                model=device["model"],
                imei=device["imei"],
                imei2=device.get("imei2", ""),
                eid=device.get("eid", ""),
                owner=owner,
                now=moment,
            )
            inventory.add(home, entry)
        except ReadinessError as exc:
            click.echo(f"Not saved: {device['label']}: {'; '.join(exc.lines())}")
        else:
            click.echo(f"Saved {device['label']} to the inventory.")
