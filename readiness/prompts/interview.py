"""The core's ``Interviewer`` at a terminal: the walk-through, the results, the sign-off.

No rule lives here: the workflow decides what to ask, when to evaluate and what
to write; this asks, shows (through the renderer it is given) and reports the
person's decision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from readiness.answers import Answers
from readiness.knowledge import Knowledge
from readiness.prompts.asker import Asker, Doc, name_check
from readiness.prompts.walkthrough import Walkthrough
from readiness.report import STATEMENT
from readiness.results import Change, Evaluation
from readiness.workflow import Decision, Interview

Show = Callable[[Answers, Evaluation, "Sequence[Change] | None"], None]

SIGN = "Sign off and write the report"
CHANGE = "Change an answer"


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
                    to_answers.read_answers_devices
                    if to_answers.phone_readers_installed()
                    else None
                ),
            )
        return self._walk

    def fill(self, doc: Doc, interview: Interview) -> None:
        self._walk = None
        self._walkthrough(interview).run(doc)

    def review(
        self,
        doc: Doc,
        answers: Answers,
        evaluation: Evaluation,
        moved: Sequence[Change] | None,
    ) -> Decision:
        self.say("")
        self.show(answers, evaluation, moved)
        if self.asker.select("What next?", [SIGN, CHANGE], default=SIGN) == CHANGE:
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
        return {"devices_complete": walk.devices_complete, "skipped": sorted(walk.skipped)}
