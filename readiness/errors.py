"""One exception hierarchy; each class carries the exit code the CLI uses.

Nothing below the CLI prints or exits: it raises one of these, and
``cli.py`` turns it into one line per problem and the exit code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# The exit codes, named once: ready (or done), not ready or verify failed, bad input, Ctrl-C.
EXIT_OK = 0
EXIT_NOT_OK = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as we can."""

    source: str
    path: str
    message: str
    # A required value that is not there (a prompt can still ask it), as opposed to a wrong one.
    missing: bool = False

    def __str__(self) -> str:
        where = f"{self.source}: {self.path}" if self.path else self.source
        return f"{where}: {self.message}" if where else self.message


def shown(value: str, limit: int = 40) -> str:
    """A value as it can safely appear inside a one-line message: trimmed, cut, escaped."""
    text = value.strip()
    if len(text) > limit:
        text = text[:limit] + "…"
    if not text.isprintable():
        text = text.encode("unicode_escape").decode("ascii")
    return text


# Unicode categories Cc, Zl and Zp: what would break a name across lines, a table row
# or a terminal (C1 controls such as U+009B start escape sequences in some terminals).
# Then what would make two different names print alike: the bidirectional controls
# (U+202E shows "enohp" as "phone") and the zero-width characters ("a\u200bb" looks
# like "ab"). A zero-width joiner between two pictographs is an emoji (👨‍👩‍👧), not a trick.
_PICTOGRAPH = "\u2600-\u27bf\ufe0f\U0001f000-\U0001faff"
_NOT_ONE_LINE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029]"
    "|[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]"
    "|[\u200b\u200c\u2060\ufeff]"
    f"|(?<![{_PICTOGRAPH}])\u200d|\u200d(?![{_PICTOGRAPH}])"
)


def is_one_line(value: str) -> bool:
    """Whether a name can be shown in a message, a table row or a report line as it is.

    One rule for every name the tool keeps (labels, models, owners, trip and
    traveller names, the signer), so a device typed in the walk-through can
    always be saved to the inventory and back. A name that prints like another
    (text-direction controls, zero-width characters) is refused too.
    """
    return _NOT_ONE_LINE.search(value) is None


#: A file with more problems than this shows these and counts the rest: 200,000
#: bad devices are fixed by fixing the pattern, not by reading 200,000 lines.
MAX_PROBLEMS = 20


class ReadinessError(Exception):
    """Root of every error the tool expects; ``exit_code`` is what the CLI returns."""

    exit_code = EXIT_BAD_INPUT

    def lines(self) -> list[str]:
        """The message as the lines to print, one per problem."""
        return [str(self)]


class InvalidValue(ReadinessError, ValueError):
    """A single value (an IMEI, a version, a country) cannot be understood.

    Carries no location: the loader that called the parser adds the file and key.
    """


class InputError(ReadinessError):
    """A file or option the user gave cannot be understood: every problem in it.

    ``closing`` is said after the problems (what was done about them) and is never
    counted among them.
    """

    def __init__(
        self, problems: Sequence[Problem] | Problem, closing: Problem | None = None
    ) -> None:
        self.problems: tuple[Problem, ...] = (
            (problems,) if isinstance(problems, Problem) else tuple(problems)
        )
        self.closing = closing
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        """One line per problem, the first ``MAX_PROBLEMS`` of them and a count of the rest."""
        shown_lines = [str(p) for p in self.problems[:MAX_PROBLEMS]]
        hidden = len(self.problems) - MAX_PROBLEMS
        if hidden > 0:
            more = f"... and {hidden:,} more problem{'s' if hidden > 1 else ''}"
            shown_lines.append(str(Problem(self.problems[MAX_PROBLEMS].source, "", more)))
        if self.closing is not None:
            shown_lines.append(str(self.closing))
        return shown_lines

    @classmethod
    def single(cls, source: str, path: str, message: str) -> InputError:
        return cls(Problem(source, path, message))


class StateError(ReadinessError):
    """The state directory, a report path or another file cannot be read or written."""


class VerifyError(ReadinessError):
    """A report no longer matches its digest or signature."""

    exit_code = EXIT_NOT_OK

    def __init__(self, mismatches: Iterable[str]) -> None:
        self.mismatches = tuple(mismatches)
        super().__init__("\n".join(self.mismatches))

    def lines(self) -> list[str]:
        return list(self.mismatches)


class InventoryError(ReadinessError):
    """An inventory operation was refused (a clash, an unknown entry, a corrupt file)."""


NO_TERMINAL_HINT = (
    "no terminal to ask questions on; run `readiness check --answers FILE --no-input` "
    "(examples/answers.toml shows every key)"
)


class NoTerminal(ReadinessError):
    """A prompt was needed but there is no one at a terminal to answer it."""


class Interrupted(ReadinessError):
    """Ctrl-C at a prompt; the answers so far travel with it so they can be kept."""

    exit_code = EXIT_INTERRUPTED
