"""questionary behind one small face: the only module that imports it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from readiness.errors import Interrupted, InvalidValue, NoTerminal
from readiness.schema import one_line

Doc = dict[str, Any]
Validator = Callable[[str], "bool | str"]


class Left(Interrupted, NoTerminal):
    """Ctrl-D at a prompt: the person is leaving, so answers are kept as for Ctrl-C (exit
    130). A command with nothing to keep may read it as input that ended (``NoTerminal``);
    no terminal at all is found before the first question."""


def refusal(check: Callable[[str], object]) -> Validator:
    """A questionary validator from a core parser: the parser's reason is the message."""

    def validate(text: str) -> bool | str:
        try:
            check(text)
        except InvalidValue as exc:
            return str(exc)
        return True

    return validate


@dataclass
class Asker:
    """questionary behind one small face; tests pass prompt_toolkit pipe input/output."""

    input: Any = None
    output: Any = None
    say: Callable[[str], None] = print

    def _ask(self, question: Any) -> Any:
        try:
            return question.unsafe_ask()
        except KeyboardInterrupt:
            raise Interrupted("interrupted") from None
        except EOFError:
            raise Left("left") from None

    def _io(self) -> dict[str, Any]:
        return {"input": self.input, "output": self.output} if self.input else {}

    def text(
        self,
        message: str,
        default: str = "",
        validate: Validator | None = None,
        instruction: str | None = None,
    ) -> str:
        import questionary

        return str(
            self._ask(
                questionary.text(
                    message,
                    default=default,
                    validate=validate,
                    instruction=instruction,
                    **self._io(),
                )
            )
        )

    def complete(
        self, message: str, choices: list[str], default: str = "", validate: Validator | None = None
    ) -> str:
        import questionary

        return str(
            self._ask(
                questionary.autocomplete(
                    message,
                    choices=choices,
                    default=default,
                    validate=validate,
                    match_middle=True,
                    ignore_case=True,
                    **self._io(),
                )
            )
        )

    def checkbox(self, message: str, choices: list[str]) -> list[str]:
        import questionary

        return [
            str(c) for c in self._ask(questionary.checkbox(message, choices=choices, **self._io()))
        ]

    def confirm(self, message: str, default: bool = True) -> bool:
        import questionary

        return bool(self._ask(questionary.confirm(message, default=default, **self._io())))

    def select(self, message: str, choices: list[str], default: str | None = None) -> str:
        import questionary

        return str(
            self._ask(
                questionary.select(
                    message,
                    choices=choices,
                    default=default if default in choices else None,
                    **self._io(),
                )
            )
        )


def name_check(when_empty: str | None) -> Callable[[str], bool | str]:
    """A validator for a name (and the sign-off): on one line, and not empty unless
    ``when_empty`` is None."""

    def validate(text: str) -> bool | str:
        if not text.strip():
            return when_empty or True
        return refusal(one_line)(text)

    return validate
