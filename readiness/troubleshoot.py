"""Finding the guide's troubleshooting procedure for what a person types.

An id matches exactly (any case, spaces for dashes); words match a procedure's
id, title, symptom and cause leniently (a prefix, a small typo). ``find`` says
how well every procedure fits, closest first, so a terminal can offer a picker
and a script can be given the closest; ``match_symptom`` insists on a clear
answer (for JSON, where a guess would be read as a fact).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from readiness.errors import InvalidValue
from readiness.knowledge import Knowledge, Procedure

# Words that say nothing about which problem it is.
_STOPWORDS = frozenset(
    (
        *("the", "and", "for", "but", "not", "any", "its", "are", "was", "can", "cant"),
        *("cannot", "does", "doesnt", "dont", "isnt", "with", "after", "into", "from"),
        *("this", "that", "our", "your", "device", "devices", "keeps", "keep", "stopped"),
        *("working", "work", "works", "what", "how", "why", "when"),
    )
)


@dataclass(frozen=True)
class Found:
    """How the procedures fit a typed symptom.

    ``match`` is a clear match, or None. ``closest`` are the ones reasonably close
    when there is none (the best-scoring first; empty when nothing is close).
    ``ranked`` is every procedure, closest first, for a picker. ``tried`` are the
    words that were looked for.
    """

    text: str
    match: Procedure | None
    closest: tuple[Procedure, ...]
    ranked: tuple[Procedure, ...]
    tried: tuple[str, ...]

    def nothing_close(self) -> str:
        """What was tried, said when no procedure came close."""
        looked = ", ".join(repr(w) for w in self.tried) if self.tried else "no telling word"
        count = len(self.ranked)
        return (
            f"no known symptom matches {self.text!r} (looked for {looked} in the ids, titles "
            f"and symptoms of the {count} known problems); `readiness troubleshoot` lists them all"
        )


def _words(text: str) -> list[str]:
    text = text.lower().replace("'", "").replace("’", "")
    return [w for w in re.split(r"[^a-z0-9]+", text) if w]


def _tokens(text: str) -> list[str]:
    return list(dict.fromkeys(w for w in _words(text) if len(w) >= 3 and w not in _STOPWORDS))


def _close(query: str, word: str) -> bool:
    if query == word:
        return True
    shortest = min(len(query), len(word))
    if shortest < 4:
        return False
    common = len(_common_prefix(query, word))
    if common >= min(5, shortest):
        return True
    return shortest >= 5 and difflib.SequenceMatcher(None, query, word).ratio() >= 0.8


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def _vocabulary(procedure: Procedure) -> set[str]:
    return set(
        _words(" ".join((procedure.id, procedure.title, procedure.symptom, procedure.cause)))
    )


def _score(tokens: Iterable[str], procedure: Procedure) -> int:
    vocabulary = _vocabulary(procedure)
    return sum(1 for t in tokens if any(_close(t, w) for w in vocabulary))


def find(text: str, knowledge: Knowledge) -> Found:
    """Every procedure ranked against ``text``; a clear match when there is one.

    A match must be clear: the id, or most of the words and one procedure ahead
    of the rest.
    """
    procedures = knowledge.troubleshooting
    shown = text.strip()
    tokens = _tokens(text)
    scores = sorted(
        ((_score(tokens, p), index, p) for index, p in enumerate(procedures.values())),
        key=lambda s: (-s[0], s[1]),
    )
    ranked = tuple(p for _, _, p in scores)
    wanted = "-".join(_words(text))
    if wanted in procedures:
        return Found(shown, procedures[wanted], (), ranked, tuple(tokens))
    best = scores[0][0] if scores else 0
    leaders = tuple(p for score, _, p in scores if score == best and best > 0)
    if len(leaders) == 1 and (best >= 2 or best == len(tokens)):
        return Found(shown, leaders[0], (), ranked, tuple(tokens))
    if leaders:
        return Found(shown, None, leaders, ranked, tuple(tokens))
    # No word in common: a name spelt close to an id or a title still counts.
    names = {p.id: p for p in procedures.values()}
    names.update({p.title.lower(): p for p in procedures.values()})
    close = difflib.get_close_matches(shown.lower(), list(names), n=3, cutoff=0.6)
    near = tuple(dict.fromkeys(names[c] for c in close))
    ranked = (*near, *(p for p in ranked if p not in near))
    return Found(shown, None, near, ranked, tuple(tokens))


def match_symptom(text: str, knowledge: Knowledge) -> Procedure:
    """The procedure an id or a few words clearly name; else ``InvalidValue`` with the closest."""
    found = find(text, knowledge)
    if found.match is not None:
        return found.match
    if len(found.closest) > 1 and _score(_tokens(text), found.closest[0]) >= 2:
        raise InvalidValue(
            f"{found.text!r} fits more than one symptom: "
            f"{', '.join(p.id for p in found.closest)}; give one of these ids"
        )
    tokens = _tokens(text)
    near = [p for p in found.ranked if _score(tokens, p) > 0] or list(found.closest)
    if near:
        options = ", ".join(f"{p.id} ({p.title})" for p in near[:3])
        raise InvalidValue(f"no known symptom matches {found.text!r}; did you mean: {options}?")
    raise InvalidValue(found.nothing_close())
