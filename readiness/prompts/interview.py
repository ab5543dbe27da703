"""The core's ``Interviewer`` at a terminal: the walk-through, the results, the sign-off.

No rule lives here: the workflow decides what to ask, when to evaluate and what
to write; this asks, shows (through the renderer it is given) and reports the
person's decision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from readiness.answers import Answers
from readiness.errors import shown
from readiness.knowledge import Knowledge
from readiness.prompts.asker import Asker, Doc, name_check
from readiness.prompts.walkthrough import Walkthrough
from readiness.report import STATEMENT
from readiness.results import Change, Evaluation
from readiness.workflow import Decision, Interview

Show = Callable[[Answers, Evaluation, "Sequence[Change] | None"], None]

SIGN = "Sign off and write the report"
CHANGE = "Change an answer"
SAVE_AND_QUIT = "Save and quit (go on later)"
RESUME = "Go on from where I stopped"
START_OVER = "Start over (the kept answers are replaced)"
OTHER_NAME = "Write it under another name"
REPLACE = "Replace it"


class TerminalInterviewer:
    """Asks through an ``Asker``; ``show`` renders the results between rounds."""

    def __init__(
        self,
        knowledge: Knowledge,
        now: dt.datetime,
        asker: Asker,
        show: Show,
        say: Callable[[str], None],
    ) -> None:
        self.knowledge = knowledge
        self.now = now
        self.asker = asker
        self.show = show
        self.say = say
        self._walk: Walkthrough | None = None

    def _walkthrough(self, interview: Interview | None = None) -> Walkthrough:
        if self._walk is None:
            from readiness.detect import to_answers

            plan = interview or Interview()
            self._walk = Walkthrough(
                self.knowledge,
                self.now,
                self.asker,
                reask=plan.reask,
                ask_all=plan.ask_all,
                ask_optional=plan.ask_optional,
                devices_complete=plan.devices_complete,
                skipped=set(plan.skipped),
                saved_devices=plan.saved_devices,
                read_devices=(
                    partial(to_answers.read_answers_devices, tables=self.knowledge)
                    if to_answers.phone_readers_installed()
                    else None
                ),
                answered=set(plan.answered),
            )
        return self._walk

    def fill(self, doc: Doc, interview: Interview) -> None:
        self._walk = None
        walk = self._walkthrough(interview)
        walk.on_answer = lambda: interview.keep(doc, self.progress())
        walk.run(doc)

    def review(
        self,
        doc: Doc,
        answers: Answers,
        evaluation: Evaluation,
        moved: Sequence[Change] | None,
    ) -> Decision:
        self.say("")
        self.show(answers, evaluation, moved)
        choice = self.asker.select("What next?", [SIGN, CHANGE, SAVE_AND_QUIT], default=SIGN)
        if choice == SAVE_AND_QUIT:
            return Decision.QUIT
        if choice == CHANGE:
            walk = self._walkthrough()
            walk.change(doc, self.asker.select("Which part?", walk.sections(doc)))
            return Decision.CHANGE
        self.say(f'\n"{STATEMENT}"')
        if not self.asker.confirm("Do you confirm this statement?", default=True):
            return Decision.CHANGE
        return Decision.SIGN

    def sign_as(self, default: str) -> str:
        name = self.asker.text("Sign as:", default=default, validate=name_check("a name is needed"))
        return name.strip()

    def progress(self) -> dict[str, Any]:
        walk = self._walkthrough()
        return {
            "devices_complete": walk.devices_complete,
            "skipped": sorted(walk.skipped),
            "answered": sorted(walk.answered),
        }

    def resume_draft(self, draft: Mapping[str, Any]) -> bool:
        trip = draft.get("trip", {})
        name = trip.get("name") if isinstance(trip, Mapping) else None
        devices = draft.get("devices", [])
        count = len(devices) if isinstance(devices, list) else 0
        about = f"for {shown(str(name))}" if name else "from an unfinished run"
        if count:
            about += f" ({count} device{'s' if count != 1 else ''} so far)"
        self.say(f"Answers {about} are kept.")
        return self.asker.select("Go on from them?", [RESUME, START_OVER], default=RESUME) == RESUME

    def taken(self, target: Path) -> Path | None:
        self.say(f"{target} already exists.")
        if self.asker.select("Where should the report go?", [OTHER_NAME, REPLACE]) == REPLACE:
            return None

        def free(text: str) -> bool | str:
            if not text.strip():
                return "give a file name"
            return not Path(text.strip()).exists() or "that file exists too"

        return Path(
            self.asker.text("Report file name:", default=_free_name(target), validate=free).strip()
        )


def _free_name(target: Path) -> str:
    """The first of ``name-2.toml``, ``name-3.toml``, ... that is not there."""
    number = 2
    while (candidate := target.with_name(f"{target.stem}-{number}{target.suffix}")).exists():
        number += 1
    return str(candidate)
