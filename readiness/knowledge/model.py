"""The knowledge as frozen values, and the questions it answers about devices."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from packaging.version import Version

from readiness import versions
from readiness.knowledge.imei import ImeiHelp

SCHEMA = 1
CAPABILITY_KEYS = ("esim", "multi_device", "shared_pool", "routing")
KIND_KEYS = ("phone", "tablet", "watch", "laptop")
PRIORITIES = ("primary", "standard", "background")
LIMIT_KEYS = (
    "max_devices",
    "restricted_destination_max_devices",
    "min_battery_percent",
    "predeparture_hours",
    "registration_wait_seconds",
)
# A troubleshooting procedure is steps to try in turn, or conditions that must all hold.
PROCEDURE_KINDS = ("steps", "conditions")
# A note is our own assumption, or a caveat the guide itself gives.
NOTE_KINDS = ("assumption", "guide")
# Who a setup procedure is for: the managing device, every other device, every
# device, or the plan as a whole (done once on the primary device).
SETUP_ROLES = ("primary", "secondary", "any", "plan")


@dataclass(frozen=True)
class Limits:
    """The guide's numbers: device caps, battery floor, timing."""

    max_devices: int
    restricted_destination_max_devices: int
    min_battery_percent: int
    predeparture_hours: int
    registration_wait_seconds: int


@dataclass(frozen=True)
class Capability:
    """A matrix column and the values that count as full support."""

    key: str
    name: str
    ok: tuple[str, ...]


@dataclass(frozen=True)
class MatrixRow:
    """One row of the guide's compatibility matrix."""

    id: str
    name: str
    kind: str
    os: str
    esim: str
    multi_device: str
    shared_pool: str
    routing: str

    def value(self, capability: str) -> str:
        return str(getattr(self, capability))


@dataclass(frozen=True)
class Rule:
    """A pattern that places model names in a matrix row, optionally by number."""

    pattern: re.Pattern[str]
    row: str
    min: int | None = None
    max: int | None = None

    def matches(self, normal: str) -> bool:
        m = self.pattern.match(normal)
        if m is None:
            return False
        generation = m.groupdict().get("n")
        if generation is None:
            return self.min is None and self.max is None
        n = int(generation)
        return (self.min is None or n >= self.min) and (self.max is None or n <= self.max)


@dataclass(frozen=True)
class CatalogueEntry:
    """A model the data file names outright, with its OS and kind."""

    name: str
    os: str
    kind: str
    row: str


@dataclass(frozen=True)
class Placement:
    """Where a model name lands: its matrix row (or none) and what we know of it."""

    model: str
    row: MatrixRow | None
    os: str | None
    kind: str | None
    catalogue_name: str | None


@dataclass(frozen=True)
class Activity:
    """A row of the guide's data-use table, in MB per day or hour."""

    id: str
    name: str
    per: str
    low_mb: int | None
    high_mb: int | None
    devices: tuple[str, ...]
    priority: str
    limits: bool = False  # run with a data limit ("Background with limits")
    varies: bool = False  # too variable to estimate: left out of the budget
    wifi_preferred: bool = False


@dataclass(frozen=True)
class ChecklistItem:
    """A setup or pre-departure step and the check that verifies it."""

    id: str
    text: str
    check: str


@dataclass(frozen=True)
class Procedure:
    """A troubleshooting procedure: the symptom, its cause and the steps (or conditions).

    ``kind`` "steps": alternatives to try in order, stopping at the first that works;
    "conditions": things that must all hold, then the ``fallback``.
    """

    id: str
    title: str
    steps: tuple[str, ...]
    symptom: str = ""
    cause: str = ""
    kind: str = "steps"
    fallback: str = ""


@dataclass(frozen=True)
class Note:
    """A note shown where it matters: our own assumption, or the guide's own caveat."""

    id: str
    kind: str
    text: str

    @property
    def shown(self) -> str:
        return f"Assumed: {self.text}" if self.kind == "assumption" else self.text


@dataclass(frozen=True)
class SetupStep:
    """One configuration step; ``kinds`` / ``os`` narrow it (empty: no narrowing)."""

    text: str
    kinds: tuple[str, ...] = ()
    os: tuple[str, ...] = ()

    def applies(self, kind: str | None, family: str | None) -> bool:
        return (not self.kinds or kind in self.kinds) and (not self.os or family in self.os)


@dataclass(frozen=True)
class SetupProcedure:
    """A configuration procedure of the guide: for whom, and its steps in order."""

    id: str
    title: str
    role: str
    kinds: tuple[str, ...]
    os: tuple[str, ...]
    steps: tuple[SetupStep, ...]
    about: str = ""
    # Watch OS family -> the phone OS family it pairs with.
    companions: Mapping[str, str] = field(default_factory=dict)

    def covers(self, kind: str | None, family: str | None) -> bool:
        """Whether a device of this kind and OS family gets this procedure at all."""
        return (not self.kinds or kind in self.kinds) and (not self.os or family in self.os)

    def steps_for(self, kind: str | None, family: str | None) -> tuple[tuple[int, SetupStep], ...]:
        """The steps that apply to such a device, each with its 1-based number here."""
        return tuple(
            (number, step)
            for number, step in enumerate(self.steps, start=1)
            if step.applies(kind, family)
        )


@dataclass(frozen=True)
class Knowledge:
    """The validated data file: everything the checks and the guide know."""

    source: str
    sha256: str
    version: str
    as_of: dt.date
    limits: Limits
    os_minimums: Mapping[str, str]
    wifi_calling_kinds: frozenset[str]
    capabilities: tuple[Capability, ...]
    matrix: tuple[MatrixRow, ...]
    rules: tuple[Rule, ...]
    catalogue: tuple[CatalogueEntry, ...]
    setup: tuple[ChecklistItem, ...]
    predeparture: tuple[ChecklistItem, ...]
    activities: tuple[Activity, ...]
    troubleshooting: Mapping[str, Procedure]
    fixes: Mapping[str, str]
    setup_procedures: Mapping[str, SetupProcedure] = field(default_factory=dict)
    windows_releases: versions.WindowsReleases = versions.NO_RELEASES
    # How long before the pre-departure deadline a recheck is worth running.
    recheck_window_hours: int = 0
    # Answers a recheck asks again: they change between setup and departure.
    time_sensitive_answers: tuple[str, ...] = ()
    # Answers ("table.key", "device.key") a person may leave out at the prompts.
    optional_answers: frozenset[str] = frozenset()
    notes: Mapping[str, Note] = field(default_factory=dict)
    habits: tuple[str, ...] = ()
    imei: ImeiHelp = field(default_factory=ImeiHelp)
    _by_name: Mapping[str, CatalogueEntry] = field(default_factory=dict, repr=False)
    # Families bring the same few model names over and over: place each once.
    _placed: dict[str, Placement] = field(default_factory=dict, repr=False, compare=False)

    def row(self, row_id: str) -> MatrixRow | None:
        return next((r for r in self.matrix if r.id == row_id), None)

    @cached_property
    def _capabilities(self) -> dict[str, Capability]:
        return {c.key: c for c in self.capabilities}

    def capability(self, key: str) -> Capability:
        return self._capabilities[key]

    def is_full(self, row: MatrixRow, capability: str) -> bool:
        return row.value(capability) in self._capabilities[capability].ok

    def place(self, model: str) -> Placement:
        """Find a model's matrix row, never guessing: no match means no row."""
        placed = self._placed.get(model)
        if placed is None:
            placed = self._placed[model] = self._place(model)
        return placed

    def _place(self, model: str) -> Placement:
        normal = normalise_model(model)
        entry = self._by_name.get(normal)
        if entry is not None:
            return Placement(model, self.row(entry.row), entry.os, entry.kind, entry.name)
        for rule in self.rules:
            if rule.matches(normal):
                row = self.row(rule.row)
                if row is not None:
                    return Placement(model, row, row.os, row.kind, None)
                family = _family_from_rule_neighbours(self, rule)
                return Placement(model, None, family, _kind_of(self, family), None)
        return Placement(model, None, None, None, None)

    def os_minimum(self, family: str | None) -> Version | None:
        if family is None or family not in self.os_minimums:
            return None
        return self.parse_version(self.os_minimums[family], family)

    def parse_version(self, text: str, family: str | None = None) -> Version:
        """``versions.parse_version`` with this file's Windows release names."""
        return versions.parse_version(text, family, self.windows_releases)

    def describe_version(self, version: Version, family: str) -> str:
        """``versions.describe`` with this file's Windows release names."""
        return versions.describe(version, family, self.windows_releases)

    def note(self, note_id: str) -> str:
        """A note as shown ("Assumed: ..." for an assumption); "" when the file has none."""
        found = self.notes.get(note_id)
        return found.shown if found else ""

    def fix(self, check_id: str) -> str:
        return self.fixes.get(check_id, "")

    def closest_models(self, model: str, n: int = 3) -> list[str]:
        names = {normalise_model(e.name): e.name for e in self.catalogue}
        import difflib  # only an unknown model needs it

        close = difflib.get_close_matches(normalise_model(model), list(names), n=n, cutoff=0.5)
        return [names[c] for c in close]

    def model_names(self) -> list[str]:
        return [e.name for e in self.catalogue]


def normalise_model(name: str) -> str:
    """Lower case, punctuation to spaces, "watch6" to "watch 6": one spelling per model."""
    text = name.lower().replace("+", " plus").replace("-inch", " inch")
    text = re.sub(r"[^a-z0-9. ]+", " ", text)
    text = re.sub(r"\bwatch(\d)", r"watch \1", text)
    text = re.sub(r"(?<=[a-z])\.|\.(?=\s|$)", " ", text)
    return " ".join(text.split())


def _family_from_rule_neighbours(knowledge: Knowledge, rule: Rule) -> str | None:
    """An explicit "no row" rule still says which OS the line runs, via the catalogue."""
    for entry in knowledge.catalogue:
        if rule.pattern.match(normalise_model(entry.name)):
            return entry.os
    return None


def _kind_of(knowledge: Knowledge, family: str | None) -> str | None:
    return next((e.kind for e in knowledge.catalogue if e.os == family), None)
