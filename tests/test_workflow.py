"""The use case called directly, without click: check, recheck, drafts, the inventory fill."""

from __future__ import annotations

import copy
import datetime as dt
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from readiness import inventory, report, signing, state, workflow
from readiness.answers import Answers
from readiness.errors import InputError, Interrupted, NoTerminal, VerifyError
from readiness.knowledge import Knowledge
from readiness.report import SignatureState
from readiness.results import Change, Evaluation, Verdict

EXAMPLE = Path(__file__).parent.parent / "examples" / "answers.toml"
NOW = dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC)


def example_doc() -> dict[str, Any]:
    return tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))


def run_check(
    knowledge: Knowledge, home: Path, target: Path, doc: dict[str, Any], **kwargs: Any
) -> workflow.Outcome:
    return workflow.check(
        workflow.Start(doc, "answers.toml"),
        knowledge=knowledge,
        now=NOW,
        home=home,
        target=target,
        **kwargs,
    )


class Scripted:
    """An interviewer that answers from a script, recording what it was shown."""

    def __init__(
        self,
        fill: dict[str, Any] | None = None,
        decisions: Sequence[str] = (),
        *,
        resume: bool = True,
        other_names: Sequence[Path | None] = (),
    ) -> None:
        self.to_fill = fill or {}
        self.decisions = list(decisions) or ["sign"]
        self.shown: list[tuple[Verdict, list[Change] | None]] = []
        self.interview: workflow.Interview | None = None
        self.resume = resume
        self.offered: list[dict[str, Any]] = []
        self.other_names = list(other_names)
        self.taken_asked: list[Path] = []
        self.events: list[str] = []

    def fill(self, doc: dict[str, Any], interview: workflow.Interview) -> None:
        self.events.append("fill")
        self.interview = interview
        for key, value in copy.deepcopy(self.to_fill).items():
            doc[key] = value
            interview.keep(doc, self.progress())  # kept after every answer

    def resume_draft(self, draft: dict[str, Any]) -> bool:
        self.offered.append(draft)
        return self.resume

    def taken(self, target: Path) -> Path | None:
        self.events.append("taken")
        self.taken_asked.append(target)
        return self.other_names.pop(0)

    def review(
        self,
        doc: dict[str, Any],
        answers: Answers,
        evaluation: Evaluation,
        moved: Sequence[Change] | None,
    ) -> workflow.Decision:
        self.shown.append((evaluation.verdict, None if moved is None else list(moved)))
        decision = self.decisions.pop(0)
        if decision == "interrupt":
            raise Interrupted("interrupted")
        if decision == "quit":
            return workflow.Decision.QUIT
        if decision == "charge":
            for device in doc["devices"]:
                device["battery"] = 90
            return workflow.Decision.CHANGE
        return workflow.Decision.SIGN

    def sign_as(self, default: str) -> str:
        return f"{default} (scripted)"

    def progress(self) -> dict[str, Any]:
        return {"devices_complete": True, "skipped": ["plan.pool_gb"]}


# --- check -----------------------------------------------------------------------------------


def test_check_writes_a_signed_report_and_returns_what_it_found(
    knowledge: Knowledge, readiness_home: Path, tmp_path: Path
) -> None:
    target = tmp_path / "r.toml"
    outcome = run_check(knowledge, readiness_home, target, example_doc())
    assert outcome.target == target
    assert outcome.signer == "Ada Lovelace"
    assert outcome.evaluation.verdict is Verdict.READY_WITH_WARNINGS
    assert outcome.changes is None
    loaded = report.load(target)
    assert loaded.results == outcome.evaluation.results
    assert loaded.signoff.by == "Ada Lovelace"
    assert (
        report.verify(loaded, report.local_trust(readiness_home)).signature
        is SignatureState.TRUSTED_OWN
    )
    assert loaded.document == outcome.report


def test_missing_answers_without_an_interviewer_name_each_path(
    knowledge: Knowledge, readiness_home: Path, tmp_path: Path
) -> None:
    doc = example_doc()
    del doc["checklist"]["same_wifi"]
    del doc["devices"][1]["battery"]
    with pytest.raises(InputError) as caught:
        run_check(knowledge, readiness_home, tmp_path / "r.toml", doc)
    assert caught.value.lines() == [
        "answers.toml: checklist.same_wifi: missing (needed with --no-input)",
        "answers.toml: devices[2].battery: missing (needed with --no-input)",
    ]
    assert not (tmp_path / "r.toml").exists()


def test_no_answers_and_no_interviewer_is_no_terminal(
    knowledge: Knowledge, readiness_home: Path, tmp_path: Path
) -> None:
    with pytest.raises(NoTerminal):
        workflow.check(workflow.Start(), knowledge=knowledge, now=NOW, home=readiness_home)


def test_the_signer_falls_back_to_the_traveller_and_is_required(
    knowledge: Knowledge, readiness_home: Path, tmp_path: Path
) -> None:
    doc = example_doc()
    outcome = run_check(knowledge, readiness_home, tmp_path / "a.toml", doc, signer="Grace")
    assert outcome.signer == "Grace"
    del doc["traveler"]
    with pytest.raises(InputError) as caught:
        run_check(knowledge, readiness_home, tmp_path / "b.toml", doc)
    assert caught.value.lines() == [
        "answers.toml: traveler.name: missing, and no --signer given: someone must sign the report"
    ]


def test_an_existing_report_is_refused_unless_overwrite(
    knowledge: Knowledge, readiness_home: Path, tmp_path: Path
) -> None:
    target = tmp_path / "r.toml"
    target.write_text("keep me\n", encoding="utf-8")
    with pytest.raises(InputError, match="already exists; use --force"):
        run_check(knowledge, readiness_home, target, example_doc())
    assert target.read_text(encoding="utf-8") == "keep me\n"
    run_check(knowledge, readiness_home, target, example_doc(), overwrite=True)
    assert report.load(target).signoff.by == "Ada Lovelace"


def test_strict_counts_warnings_as_failures(
    knowledge: Knowledge, readiness_home: Path, tmp_path: Path
) -> None:
    outcome = run_check(knowledge, readiness_home, tmp_path / "r.toml", example_doc(), strict=True)
    assert outcome.evaluation.verdict is Verdict.NOT_READY


def test_inventory_devices_are_filled_without_touching_the_callers_document(
    knowledge: Knowledge, readiness_home: Path, tmp_path: Path
) -> None:
    doc = example_doc()
    first = doc["devices"][0]
    inventory.add(
        readiness_home,
        inventory.new_entry(
            label=first["label"], model=first["model"], imei=first["imei"], now=NOW
        ),
    )
    doc["devices"][0] = {k: v for k, v in first.items() if k not in ("model", "imei")}
    doc["devices"][0]["inventory"] = first["label"]
    before = copy.deepcopy(doc)
    outcome = run_check(knowledge, readiness_home, tmp_path / "r.toml", doc)
    assert doc == before
    assert outcome.document["devices"][0]["imei"] == first["imei"].replace(" ", "")
    assert outcome.answers.devices[0].model == first["model"]


def test_an_interviewer_fills_reviews_and_signs(
    knowledge: Knowledge, readiness_home: Path, tmp_path: Path
) -> None:
    doc = example_doc()
    checklist = doc.pop("checklist")
    for device in doc["devices"]:
        device["battery"] = 10
    scripted = Scripted(fill={"checklist": checklist}, decisions=["charge", "sign"])
    given = copy.deepcopy(doc)
    outcome = run_check(knowledge, readiness_home, tmp_path / "r.toml", doc, interviewer=scripted)
    assert doc == given
    assert [verdict for verdict, _ in scripted.shown] == [
        Verdict.NOT_READY,
        Verdict.READY_WITH_WARNINGS,
    ]
    assert outcome.signer == "Ada Lovelace (scripted)"
    assert outcome.document["checklist"] == checklist
    assert all(d.battery == 90 for d in outcome.answers.devices)
    assert scripted.interview == workflow.Interview(devices_complete=False)


def test_ctrl_c_keeps_the_answers_as_a_draft_that_resumes(
    knowledge: Knowledge, readiness_home: Path, tmp_path: Path
) -> None:
    scripted = Scripted(decisions=["interrupt"])
    with pytest.raises(Interrupted) as caught:
        run_check(
            knowledge, readiness_home, tmp_path / "r.toml", example_doc(), interviewer=scripted
        )
    path = state.draft_path(readiness_home)
    assert str(caught.value) == (
        f"Stopped. Your answers so far are kept in {path}; "
        "continue with `readiness check --resume`."
    )
    start = workflow.Start.from_draft(readiness_home)
    assert start.devices_complete
    assert start.skipped == frozenset({"plan.pool_gb"})
    resumed = Scripted()
    workflow.check(
        start,
        knowledge=knowledge,
        now=NOW,
        home=readiness_home,
        target=tmp_path / "r.toml",
        interviewer=resumed,
    )
    assert resumed.interview == workflow.Interview(
        devices_complete=True, skipped=frozenset({"plan.pool_gb"})
    )
    assert not path.exists()


# --- recheck --------------------------------------------------------------------------------


@pytest.fixture
def first(knowledge: Knowledge, readiness_home: Path, tmp_path: Path) -> Path:
    doc = example_doc()
    doc["devices"][1]["battery"] = 12
    target = tmp_path / "first.toml"
    run_check(knowledge, readiness_home, target, doc)
    return target


def test_recheck_chains_to_the_report_and_says_what_moved(
    knowledge: Knowledge, readiness_home: Path, first: Path, tmp_path: Path
) -> None:
    fix = tmp_path / "fix.toml"
    label = example_doc()["devices"][1]["label"]
    fix.write_text(f'[[devices]]\nlabel = "{label}"\nbattery = 95\n', encoding="utf-8")
    outcome = workflow.recheck(
        first, workflow.Start.from_file(fix), knowledge=knowledge, now=NOW, home=readiness_home
    )
    assert outcome.target == report.recheck_name(first, NOW)
    assert outcome.changes == (Change("battery", label, "fail", "pass"),)
    assert outcome.signer == "Ada Lovelace"
    chained = report.load(outcome.target)
    assert chained.signoff.previous == report.load(first).signoff.digest


def test_recheck_asks_again_only_what_changes_with_time(
    knowledge: Knowledge, readiness_home: Path, first: Path
) -> None:
    scripted = Scripted()
    workflow.recheck(first, knowledge=knowledge, now=NOW, home=readiness_home, interviewer=scripted)
    assert scripted.interview == workflow.Interview(
        reask=knowledge.time_sensitive_answers, ask_optional=False, devices_complete=True
    )
    moved = scripted.shown[0][1]
    assert moved == []


def test_recheck_refuses_an_edited_report_unless_forced(
    knowledge: Knowledge, readiness_home: Path, first: Path, tmp_path: Path
) -> None:
    first.write_text(
        first.read_text(encoding="utf-8").replace("battery = 12", "battery = 13"), "utf-8"
    )
    with pytest.raises(VerifyError) as caught:
        workflow.recheck(first, knowledge=knowledge, now=NOW, home=readiness_home)
    fingerprint = report.load(first).signoff.fingerprint
    said = f"{first}: changed after sign-off: answers.devices (key {fingerprint})"
    assert caught.value.lines() == [
        f"{said}; only a report that verifies as trusted is used; use --force to go on anyway"
    ]
    notes: list[str] = []
    outcome = workflow.recheck(
        first, knowledge=knowledge, now=NOW, home=readiness_home, overwrite=True, note=notes.append
    )
    assert notes == [f"Note: {said}; rechecking it anyway (--force)."]
    assert outcome.target.is_file()


def test_recheck_of_a_report_signed_elsewhere_is_refused_unless_its_key_is_trusted(
    knowledge: Knowledge, first: Path, tmp_path: Path
) -> None:
    fingerprint = report.load(first).signoff.fingerprint
    other = tmp_path / "other"
    with pytest.raises(VerifyError) as caught:
        workflow.recheck(first, knowledge=knowledge, now=NOW, home=other)
    assert caught.value.lines() == [
        f"{first}: signed by Ada Lovelace with a key no one listed (key {fingerprint}); "
        "trust it with --allowed-signers; only a report that verifies as trusted is used; "
        "use --force to go on anyway"
    ]
    line = f'"Ada Lovelace" {report.load(first).signoff.public_key}'
    signers = signing.parse_allowed_signers(line, "allowed_signers")
    notes: list[str] = []
    outcome = workflow.recheck(
        first, knowledge=knowledge, now=NOW, home=other, signers=signers, note=notes.append
    )
    assert notes == []
    assert outcome.target.is_file()


# --- keeping typed devices ---------------------------------------------------------------------


def test_unsaved_devices_skips_what_the_inventory_holds(readiness_home: Path) -> None:
    doc = example_doc()
    first, second = doc["devices"][0], doc["devices"][1]
    inventory.add(
        readiness_home,
        inventory.new_entry(label="Other", model="Pixel 9", imei=first["imei"], now=NOW),
    )
    inventory.add(
        readiness_home,
        inventory.new_entry(
            label=second["label"], model="Pixel 9", imei="490154203237518", now=NOW
        ),
    )
    unsaved = [d["label"] for d in workflow.unsaved_devices(doc, readiness_home)]
    assert first["label"] not in unsaved
    assert second["label"] not in unsaved
    assert unsaved == [d["label"] for d in doc["devices"][2:] if d.get("imei")]
    saved = workflow.save_devices(
        readiness_home, workflow.unsaved_devices(doc, readiness_home), "Ada", NOW
    )
    assert [s.refused for s in saved] == [""] * len(saved)
    assert workflow.unsaved_devices(doc, readiness_home) == []


def test_time_sensitive_answers_are_answer_keys(knowledge: Knowledge) -> None:
    from readiness.answers import CHECKLIST_KEYS, DEVICE_KEYS

    assert set(knowledge.time_sensitive_answers) <= {*CHECKLIST_KEYS, *DEVICE_KEYS}


def test_an_answers_file_holds_at_most_a_thousand_devices(
    knowledge: Knowledge, readiness_home: Path, tmp_path: Path
) -> None:
    doc = example_doc()
    doc["devices"] = [dict(doc["devices"][0], label=f"D{i}") for i in range(1_001)]
    with pytest.raises(InputError) as caught:
        run_check(knowledge, readiness_home, tmp_path / "r.toml", doc)
    assert caught.value.lines() == ["answers.toml: devices: at most 1,000 devices, got 1,001"]


# --- no answer is ever lost -----------------------------------------------------------------


def test_every_answer_is_kept_in_a_private_draft_as_it_is_given(
    knowledge: Knowledge, readiness_home: Path, tmp_path: Path
) -> None:
    doc = example_doc()
    checklist = doc.pop("checklist")
    kept: list[dict[str, Any]] = []

    class Watching(Scripted):
        def review(self, doc: dict[str, Any], *args: Any) -> workflow.Decision:
            path = state.draft_path(readiness_home)
            kept.append(tomllib.loads(path.read_text(encoding="utf-8")))
            assert path.stat().st_mode & 0o777 == 0o600
            return super().review(doc, *args)

    run_check(
        knowledge,
        readiness_home,
        tmp_path / "r.toml",
        doc,
        interviewer=Watching(fill={"checklist": checklist}),
    )
    assert kept[0]["answers"]["checklist"] == checklist
    assert not state.draft_path(readiness_home).exists()  # the report is written


def test_save_and_quit_keeps_the_draft_and_says_how_to_go_on(
    knowledge: Knowledge, readiness_home: Path, tmp_path: Path
) -> None:
    with pytest.raises(Interrupted) as caught:
        run_check(
            knowledge,
            readiness_home,
            tmp_path / "r.toml",
            example_doc(),
            interviewer=Scripted(decisions=["quit"]),
        )
    path = state.draft_path(readiness_home)
    assert caught.value.exit_code == 130
    assert str(caught.value) == (
        f"Stopped. Your answers so far are kept in {path}; "
        "continue with `readiness check --resume`."
    )
    assert not (tmp_path / "r.toml").exists()


def test_a_plain_check_offers_the_kept_draft(
    knowledge: Knowledge, readiness_home: Path, tmp_path: Path
) -> None:
    state.save_draft(readiness_home, example_doc(), {"devices_complete": True})
    resumed = Scripted()
    outcome = workflow.check(
        workflow.Start(),
        knowledge=knowledge,
        now=NOW,
        home=readiness_home,
        target=tmp_path / "r.toml",
        interviewer=resumed,
    )
    assert resumed.offered == [example_doc()]
    assert outcome.answers.trip.name == example_doc()["trip"]["name"]
    assert not state.draft_path(readiness_home).exists()

    state.save_draft(readiness_home, example_doc(), {"devices_complete": True})
    fresh = Scripted(fill=example_doc(), resume=False)
    workflow.check(
        workflow.Start(),
        knowledge=knowledge,
        now=NOW,
        home=readiness_home,
        target=tmp_path / "r2.toml",
        interviewer=fresh,
    )
    assert fresh.interview == workflow.Interview()  # started over: nothing carried


def test_a_taken_report_name_is_settled_before_the_first_question(
    knowledge: Knowledge, readiness_home: Path, tmp_path: Path
) -> None:
    taken = tmp_path / "r.toml"
    taken.write_text("mine", encoding="utf-8")
    scripted = Scripted(other_names=[tmp_path / "r-2.toml"])
    outcome = run_check(knowledge, readiness_home, taken, example_doc(), interviewer=scripted)
    assert scripted.events == ["taken", "fill"]
    assert outcome.target == tmp_path / "r-2.toml"
    assert taken.read_text(encoding="utf-8") == "mine"

    replacing = Scripted(other_names=[None])
    assert (
        run_check(knowledge, readiness_home, taken, example_doc(), interviewer=replacing).target
        == taken
    )
    assert report.load(taken).signoff.by == "Ada Lovelace (scripted)"


def test_a_taken_default_name_is_asked_about_at_sign_off(
    knowledge: Knowledge, readiness_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    # The default name, then the same with a code from traveller and trip, are both taken.
    first, _ = (
        workflow.check(
            workflow.Start(example_doc(), "answers.toml"),
            knowledge=knowledge,
            now=NOW,
            home=readiness_home,
        )
        for _ in range(2)
    )
    scripted = Scripted(other_names=[Path("again.toml")])
    second = workflow.check(
        workflow.Start(example_doc(), "answers.toml"),
        knowledge=knowledge,
        now=NOW,
        home=readiness_home,
        interviewer=scripted,
    )
    assert scripted.events == ["fill", "taken"]
    assert scripted.taken_asked == [first.target]
    assert second.target == Path("again.toml")


def test_a_recheck_keeps_its_own_draft_and_resumes_chained(
    knowledge: Knowledge, readiness_home: Path, first: Path, tmp_path: Path
) -> None:
    state.save_draft(readiness_home, example_doc(), {"devices_complete": True})
    check_draft = state.draft_path(readiness_home).read_bytes()
    with pytest.raises(Interrupted) as caught:
        workflow.recheck(
            first,
            knowledge=knowledge,
            now=NOW,
            home=readiness_home,
            target=tmp_path / "second.toml",
            interviewer=Scripted(decisions=["interrupt"], resume=False),
        )
    path = state.draft_path(readiness_home, "recheck")
    assert str(caught.value) == (
        f"Stopped. Your answers so far are kept in {path}; "
        f"continue with `readiness recheck {first} --resume`."
    )
    assert state.draft_path(readiness_home).read_bytes() == check_draft
    outcome = workflow.recheck(
        first,
        knowledge=knowledge,
        now=NOW,
        home=readiness_home,
        target=tmp_path / "second.toml",
        resume=True,
        interviewer=Scripted(),
    )
    assert outcome.report["signoff"]["previous"] == report.load(first).signoff.digest
    assert not path.exists()
    assert state.draft_path(readiness_home).read_bytes() == check_draft


def test_resuming_a_recheck_of_another_report_is_refused(
    knowledge: Knowledge, readiness_home: Path, first: Path
) -> None:
    state.save_draft(
        readiness_home, example_doc(), {"previous": "sha256:0", "report": "old.toml"}, "recheck"
    )
    with pytest.raises(InputError) as caught:
        workflow.recheck(
            first,
            knowledge=knowledge,
            now=NOW,
            home=readiness_home,
            resume=True,
            interviewer=Scripted(),
        )
    assert caught.value.lines() == [
        f"{state.draft_path(readiness_home, 'recheck')}: the draft rechecks another report "
        f"(old.toml), not {first}; resume it with `readiness recheck old.toml --resume`"
    ]
