"""The use case: check and recheck (evaluate, sign, write), drafts and the inventory fill.

Plain functions of typed inputs. The command line parses options, calls one of
``check`` or ``recheck`` and renders what comes back; a person at a terminal
reaches this module only through the ``Interviewer`` protocol, so nothing here
imports the prompt layer.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shlex
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from readiness import answers as answers_mod
from readiness import checks, report, state
from readiness.answers import Answers
from readiness.errors import (
    NO_TERMINAL_HINT,
    InputError,
    Interrupted,
    NoTerminal,
    Problem,
    ReadinessError,
    VerifyError,
    is_one_line,
    shown,
)
from readiness.files import read_toml
from readiness.knowledge import Knowledge
from readiness.results import Change, CheckResult, Evaluation, changes

if TYPE_CHECKING:
    from readiness.signing import AllowedSigner

Doc = dict[str, Any]


class Decision(Enum):
    """What the person decided after seeing the results."""

    SIGN = "sign"
    # An answer was changed (or the statement not confirmed): evaluate again and show it.
    CHANGE = "change"
    # Keep the draft and stop, to go on later.
    QUIT = "quit"


def _keep_nothing(doc: Doc, progress: Mapping[str, Any]) -> None:
    """The default for ``Interview.keep``: nothing kept."""


@dataclass(frozen=True)
class Interview:
    """What the interviewer is to ask: everything missing, and ``reask`` again.

    ``keep`` is called after every answer with the answers and the progress, so
    nothing typed is lost to Ctrl-C, Ctrl-D or a crash.
    """

    reask: tuple[str, ...] = ()
    ask_all: bool = False
    ask_optional: bool = True
    devices_complete: bool = False
    skipped: frozenset[str] = frozenset()
    saved_devices: tuple[Mapping[str, str], ...] = ()
    # Where reasked answers were already given again ("devices[1].battery"): a resumed
    # recheck does not ask them a second time.
    answered: frozenset[str] = frozenset()
    keep: Callable[[Doc, Mapping[str, Any]], object] = field(
        default=_keep_nothing, compare=False, repr=False
    )


class Interviewer(Protocol):
    """A person answering at a terminal; the prompt layer implements it."""

    def fill(self, doc: Doc, interview: Interview) -> None:
        """Ask for what ``doc`` lacks (and what ``interview`` says to ask again), in place."""

    def review(
        self,
        doc: Doc,
        answers: Answers,
        evaluation: Evaluation,
        moved: Sequence[Change] | None,
    ) -> Decision:
        """Show the results (and what moved since the previous report); take the decision."""

    def sign_as(self, default: str) -> str:
        """The name the person signs with."""

    def progress(self) -> dict[str, Any]:
        """What a resumed interview needs besides the answers (kept in the draft)."""

    def resume_draft(self, draft: Mapping[str, Any]) -> bool:
        """A draft of unfinished answers is kept: go on from it (True) or start over."""

    def taken(self, target: Path) -> Path | None:
        """``target`` exists: another name for the report, or None to replace it."""


@dataclass(frozen=True)
class Start:
    """Where the answers come from: nothing, an answers file, or an interrupted run's draft."""

    doc: Mapping[str, Any] = field(default_factory=dict)
    source: str = "answers"
    text: str = ""
    devices_complete: bool = False
    skipped: frozenset[str] = frozenset()
    answered: frozenset[str] = frozenset()
    draft: Mapping[str, Any] | None = None  # the notes of a resumed draft

    @classmethod
    def from_file(cls, path: Path) -> Start:
        text, doc = read_toml(path, "answers file")
        return cls(doc, str(path), text, devices_complete="devices" in doc)

    @classmethod
    def from_draft(cls, home: Path, kind: str = "check") -> Start:
        doc, meta = state.load_draft(home, kind)
        return cls(
            doc,
            str(state.draft_path(home, kind)),
            devices_complete=bool(meta.get("devices_complete")),
            skipped=frozenset(str(p) for p in meta.get("skipped", [])),
            answered=frozenset(str(p) for p in meta.get("answered", [])),
            draft=meta,
        )


@dataclass(frozen=True)
class Outcome:
    """A written report: where, what was found, on which answers, and what moved."""

    target: Path
    evaluation: Evaluation
    answers: Answers
    document: Mapping[str, Any]  # the answers document as finally given
    report: Mapping[str, Any]  # the signed report as written
    signer: str
    changes: tuple[Change, ...] | None = None  # a recheck's, against the previous report


@dataclass(frozen=True)
class _Run:
    """What both use cases share once their inputs are read."""

    knowledge: Knowledge
    now: dt.datetime
    home: Path
    signer: str | None
    target: Path | None
    overwrite: bool
    strict: bool
    interviewer: Interviewer | None
    note: Callable[[str], None]
    before: tuple[CheckResult, ...] | None = None
    previous: str = ""
    # Which draft the answers are kept in, what else it records, and how to go on.
    draft: str = "check"
    draft_notes: Mapping[str, Any] = field(default_factory=dict)
    resume: str = "readiness check --resume"

    def keep(self, doc: Doc, progress: Mapping[str, Any]) -> Path:
        return state.save_draft(self.home, doc, {**progress, **self.draft_notes}, self.draft)


def _quiet(_: str) -> None:
    """The default for ``note``: say nothing."""


def check(
    start: Start,
    *,
    knowledge: Knowledge,
    now: dt.datetime,
    home: Path,
    signer: str | None = None,
    target: Path | None = None,
    overwrite: bool = False,
    strict: bool = False,
    interviewer: Interviewer | None = None,
    note: Callable[[str], None] = _quiet,
) -> Outcome:
    """Check the answers (asking for what is missing when someone can answer), sign, write.

    Without an interviewer every answer a check needs must be given
    (``--no-input``): each missing one is an input error naming its path.
    """
    if not start.doc and interviewer is None:
        raise NoTerminal(NO_TERMINAL_HINT)
    if interviewer is not None and start.draft is None and state.draft_path(home).exists():
        kept = Start.from_draft(home)
        if interviewer.resume_draft(kept.doc):
            start = kept
    run = _Run(knowledge, now, home, signer, target, overwrite, strict, interviewer, note)
    interview = Interview(
        devices_complete=start.devices_complete,
        skipped=start.skipped,
        answered=start.answered,
        # A file that already answers everything a check needs is not asked the extras.
        ask_optional=start.draft is not None or not _complete(start.doc, knowledge),
    )
    outcome = _run(run, start.doc, start.source, start.text, interview)
    if interviewer is not None:
        state.remove_draft(home)
    return outcome


def _complete(doc: Mapping[str, Any], knowledge: Knowledge) -> bool:
    """Whether an answers document holds every answer a check needs."""
    if not doc or "devices" not in doc:
        return False
    try:
        return not answers_mod.missing(answers_mod.from_document(doc), knowledge)
    except ReadinessError:
        return False


def assess(path: Path, knowledge: Knowledge, now: dt.datetime) -> tuple[Answers, Evaluation]:
    """An answers file read and evaluated, nothing written: the guide's plan without a report."""
    answers = answers_mod.load(path)
    return answers, checks.evaluate(answers, knowledge, now)


def recheck(
    previous_path: Path,
    overlay: Start | None = None,
    *,
    knowledge: Knowledge,
    now: dt.datetime,
    home: Path,
    signer: str | None = None,
    target: Path | None = None,
    overwrite: bool = False,
    strict: bool = False,
    ask_all: bool = False,
    resume: bool = False,
    signers: tuple[AllowedSigner, ...] = (),
    interviewer: Interviewer | None = None,
    note: Callable[[str], None] = _quiet,
) -> Outcome:
    """Check again from a verified report's answers, re-asking what changes with time.

    Only a report unchanged since sign-off and signed by a trusted key (this
    machine's, or one ``signers`` lists for its signer) is rechecked: the new
    report is signed here, so anything less would pass forged answers on under
    this machine's signature. ``overwrite`` (``--force``) goes on anyway, with a note.
    ``resume`` goes on from the draft an interrupted recheck of the same report kept.
    """
    previous = report.load(previous_path)
    outcome = report.verify(previous, report.local_trust(home, signers, now))
    said = report.words(outcome, previous.signoff.by)
    if not outcome.ok:
        if not overwrite:
            raise VerifyError([f"{previous_path}: {said}; {report.UNTRUSTED}"])
        note(f"Note: {previous_path}: {said}; rechecking it anyway (--force).")
    doc: Doc = dict(previous.answers)
    if overlay is not None:
        answers_mod.check_partial(overlay.doc, overlay.source, overlay.text)
        doc = answers_mod.overlay(doc, overlay.doc)
    plan = Interview(
        reask=() if ask_all else knowledge.time_sensitive_answers,
        ask_all=ask_all,
        ask_optional=False,
        devices_complete=not ask_all,
    )
    source = overlay.source if overlay is not None else str(previous_path)
    kept = _recheck_draft(home, previous.signoff.digest, previous_path, resume, interviewer)
    if kept is not None:
        doc, source = dict(kept.doc), kept.source
        plan = dataclasses.replace(
            plan,
            devices_complete=kept.devices_complete,
            skipped=kept.skipped,
            answered=kept.answered,
        )
    signer = signer or _signed_by(previous.signoff.by)
    if signer is None and interviewer is None and not _signed_by(_traveler(doc)):
        raise InputError.single(
            str(previous_path),
            "signoff.by",
            "not a name on one line, and no traveler.name to sign the new report as; "
            "give --signer NAME",
        )
    run = _Run(
        knowledge,
        now,
        home,
        signer,
        target or report.recheck_name(previous_path, now),
        overwrite,
        strict,
        interviewer,
        note,
        before=previous.results,
        previous=previous.signoff.digest,
        draft="recheck",
        draft_notes={"previous": previous.signoff.digest, "report": str(previous_path)},
        resume=f"readiness recheck {shlex.quote(str(previous_path))} --resume",
    )
    written = _run(run, doc, source, "", plan)
    if interviewer is not None:
        state.remove_draft(home, "recheck")
    return written


def _recheck_draft(
    home: Path, digest: str, previous_path: Path, resume: bool, interviewer: Interviewer | None
) -> Start | None:
    """The kept draft of a recheck of this report: asked for, or offered when there is one."""
    path = state.draft_path(home, "recheck")
    if not resume and (interviewer is None or not path.exists()):
        return None
    kept = Start.from_draft(home, "recheck")
    assert kept.draft is not None
    if kept.draft.get("previous") != digest:
        if not resume:
            return None  # a draft for another report: asking about it here would confuse
        other = shown(str(kept.draft.get("report", "")), 80)
        raise InputError.single(
            str(path),
            "",
            f"the draft rechecks another report ({other}), not {previous_path}; "
            f"resume it with `readiness recheck {other} --resume`",
        )
    if resume or (interviewer is not None and interviewer.resume_draft(kept.doc)):
        return kept
    return None


def _signed_by(name: str) -> str | None:
    """A name taken from a file to sign under, if it meets the one-line rule; else ``None``
    (a report's ``signoff.by`` is not parsed as answers are, and a forced recheck may
    meet anything there)."""
    name = name.strip()
    return name if name and is_one_line(name) else None


def _traveler(doc: Mapping[str, Any]) -> str:
    table = doc.get("traveler")
    name = table.get("name") if isinstance(table, Mapping) else None
    return name if isinstance(name, str) else ""


def _run(run: _Run, given: Mapping[str, Any], source: str, text: str, plan: Interview) -> Outcome:
    doc = fill_from_inventory(given, run.home, source)
    replace = run.overwrite
    if run.interviewer is None:
        answers = answers_mod.from_document(doc, source, text)
        missing = answers_mod.missing(answers, run.knowledge)
        if missing:
            raise InputError(
                [Problem(source, path, "missing (needed with --no-input)") for path in missing]
            )
        signer = (run.signer or answers.traveler).strip()
        if not signer:
            raise InputError.single(
                source,
                "traveler.name",
                "missing, and no --signer given: someone must sign the report",
            )
        evaluation = checks.evaluate(answers, run.knowledge, run.now, strict=run.strict)
        target = _target(run.target or Path(report.default_name(answers)), run.overwrite)
    else:
        answers_mod.check_partial(doc, source, text)
        if not plan.devices_complete:
            plan = _with_saved_devices(plan, run)
        # A report name given (or a recheck's) is settled before the first question.
        chosen = _choose(run.target, run.overwrite, run.interviewer) if run.target else None
        plan = dataclasses.replace(plan, keep=run.keep)
        answers, evaluation, signer, (target, replace) = _interview(
            run, run.interviewer, doc, source, plan, chosen
        )
    signoff = report.Signoff(by=signer, at=dt.datetime.now(dt.UTC), previous=run.previous)
    built = report.build(evaluation, answers, run.knowledge, run.now, signoff)
    from readiness import signing

    signed = report.sign(built, signing.load_or_create(run.home))
    report.write(target, signed, overwrite=replace)
    state.remember_signer(run.home, signer)
    moved = None if run.before is None else tuple(_moved(run.before, evaluation))
    return Outcome(target, evaluation, answers, doc, signed, signer, moved)


def _moved(before: Sequence[CheckResult], evaluation: Evaluation) -> list[Change]:
    return changes(list(before), list(evaluation.results))


def _interview(
    run: _Run,
    interviewer: Interviewer,
    doc: Doc,
    source: str,
    plan: Interview,
    chosen: tuple[Path, bool] | None,
) -> tuple[Answers, Evaluation, str, tuple[Path, bool]]:
    """Questions, results, changes, sign-off; Ctrl-C, Ctrl-D and "save and quit" keep the
    answers as a draft."""
    try:
        interviewer.fill(doc, plan)
        while True:
            answers = answers_mod.from_document(doc, source)
            evaluation = checks.evaluate(answers, run.knowledge, run.now, strict=run.strict)
            moved = None if run.before is None else _moved(run.before, evaluation)
            decision = interviewer.review(doc, answers, evaluation, moved)
            if decision is Decision.QUIT:
                raise Interrupted("save and quit")
            if decision is Decision.SIGN:
                signer = interviewer.sign_as(run.signer or answers.traveler)
                if chosen is None:
                    default = Path(report.default_name(answers))
                    chosen = _choose(default, run.overwrite, interviewer)
                return answers, evaluation, signer, chosen
    except Interrupted:
        path = run.keep(doc, interviewer.progress())
        raise Interrupted(
            f"Stopped. Your answers so far are kept in {path}; continue with `{run.resume}`."
        ) from None


def _choose(target: Path, overwrite: bool, interviewer: Interviewer) -> tuple[Path, bool]:
    """Where the report goes and whether it replaces a file: a taken name is the person's call."""
    while True:
        if target.is_dir() or not target.exists() or overwrite:
            return _target(target, overwrite), overwrite
        other = interviewer.taken(target)
        if other is None:
            return target, True
        target = other


def _target(target: Path, overwrite: bool) -> Path:
    """Where the report goes: never a folder, never over a file unless asked."""
    if target.is_dir():
        raise InputError.single(str(target), "", "is a folder; give --report a file name")
    if target.exists() and not overwrite:
        raise InputError.single(
            str(target),
            "",
            "already exists; use --force to replace it or --report to choose another name",
        )
    return target


def fill_from_inventory(doc: Mapping[str, Any], home: Path, source: str) -> Doc:
    """A copy of ``doc`` in which devices that name an inventory entry get its details."""
    devices = doc.get("devices")
    if not isinstance(devices, list) or not any(
        isinstance(d, dict) and "inventory" in d for d in devices
    ):
        return _copy(doc)
    from readiness import inventory

    return _copy(inventory.fill_devices(doc, inventory.load(home), source))


def _copy(doc: Mapping[str, Any]) -> Doc:
    """Tables and lists copied, so filling in answers never reaches the caller's document."""

    def copied(value: Any) -> Any:
        if isinstance(value, Mapping):
            return {k: copied(v) for k, v in value.items()}
        if isinstance(value, list):
            return [copied(v) for v in value]
        return value

    out: Doc = copied(doc)
    return out


def _with_saved_devices(plan: Interview, run: _Run) -> Interview:
    """The inventory's devices, offered before any is typed in; none if it cannot be read."""
    from readiness import inventory

    try:
        book = inventory.load(run.home)
    except ReadinessError as exc:
        run.note(
            f"Note: the inventory cannot be read, so no saved devices are offered "
            f"({exc.lines()[0]})."
        )
        return plan
    saved = tuple(
        {"label": e.label, "model": e.model, "imei": e.imei, "imei2": e.imei2, "eid": e.eid}
        for e in book
    )
    return dataclasses.replace(plan, saved_devices=saved)


# --- after a check: keeping what was typed -------------------------------------------------------


def unsaved_devices(doc: Mapping[str, Any], home: Path) -> list[Mapping[str, Any]]:
    """Devices typed in this run that the inventory holds under neither IMEI nor label.

    None when the inventory cannot be read: nothing is written to a broken file
    (the walk-through said so when it started).
    """
    from readiness import inventory

    try:
        book = inventory.load(home)
    except ReadinessError:
        return []
    devices = doc.get("devices", [])
    return [
        d
        for d in (devices if isinstance(devices, list) else [])
        if isinstance(d, Mapping)
        and "inventory" not in d
        and d.get("imei")
        and book.find(str(d["imei"])) is None
        and book.find(str(d.get("label", ""))) is None
    ]


def answers_file_name(answers: Answers) -> str:
    """``answers-<trip>-<date>.toml``: the report's name for the reusable answers."""
    return report.default_name(answers, prefix="answers")


def save_answers(path: Path, answers: Answers) -> None:
    """A reusable answers file, so the next trip (or ``--no-input``) starts from these."""
    import tomli_w

    from readiness.files import write_atomic

    body = tomli_w.dumps(answers_mod.to_document(answers, explicit=True)).encode("utf-8")
    write_atomic(path, body, overwrite=False)


@dataclass(frozen=True)
class Saved:
    """One device offered to the inventory: kept, or why not."""

    label: str
    refused: str = ""


def save_devices(
    home: Path, devices: Sequence[Mapping[str, Any]], owner: str, now: dt.datetime
) -> list[Saved]:
    """Add each device to the inventory; a refusal of one does not stop the others."""
    from readiness import inventory

    out = []
    for device in devices:
        label = str(device["label"])
        try:
            entry = inventory.new_entry(
                label=label,
                model=str(device["model"]),
                imei=str(device["imei"]),
                imei2=str(device.get("imei2", "")),
                eid=str(device.get("eid", "")),
                owner=owner,
                now=now,
            )
            inventory.add(home, entry)
        except ReadinessError as exc:
            out.append(Saved(label, "; ".join(exc.lines())))
        else:
            out.append(Saved(label))
    return out
