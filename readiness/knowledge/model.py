"""The knowledge as frozen values, and the questions it answers about devices."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from packaging.version import Version

from readiness import versions
from readiness.knowledge.imei import ImeiHelp

if TYPE_CHECKING:
    from readiness.knowledge.catalogue import Catalogue, CatalogueEntry, Placement, Rule

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
    # How model names, numbers and identifiers find their row (knowledge.catalogue).
    models: Catalogue
    setup: tuple[ChecklistItem, ...]
    predeparture: tuple[ChecklistItem, ...]
    activities: tuple[Activity, ...]
    troubleshooting: Mapping[str, Procedure]
    fixes: Mapping[str, str]
    setup_procedures: Mapping[str, SetupProcedure] = field(default_factory=dict)
    windows_releases: versions.WindowsReleases = versions.NO_RELEASES
    one_ui: versions.OneUiReleases = versions.NO_ONE_UI
    # Per OS family, the release to update to, as a person can find it ("iOS 26 or later").
    os_update_to: Mapping[str, str] = field(default_factory=dict)
    # How long before the pre-departure deadline a recheck is worth running.
    recheck_window_hours: int = 0
    # Answers a recheck asks again: they change between setup and departure.
    time_sensitive_answers: tuple[str, ...] = ()
    # Answers ("table.key", "device.key") a person may leave out at the prompts.
    optional_answers: frozenset[str] = frozenset()
    notes: Mapping[str, Note] = field(default_factory=dict)
    habits: tuple[str, ...] = ()
    imei: ImeiHelp = field(default_factory=ImeiHelp)

    @property
    def rules(self) -> tuple[Rule, ...]:
        return self.models.rules

    @property
    def catalogue(self) -> tuple[CatalogueEntry, ...]:
        return self.models.entries

    @property
    def product_types(self) -> Mapping[str, str]:
        """Apple product types ("iPhone17,1") and the model each names."""
        return self.models.product_types

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
        return self.models.place(model)

    def os_family(self, model: str, os_version: str = "") -> str | None:
        """The OS a device runs: from its model, else from what its version says."""
        return self.place(model).os or versions.detect_family(os_version)

    def os_minimum(self, family: str | None) -> Version | None:
        if family is None or family not in self.os_minimums:
            return None
        return self.parse_version(self.os_minimums[family], family)

    def parse_version(self, text: str, family: str | None = None) -> Version:
        """``versions.parse_version`` with this file's Windows release names."""
        return versions.parse_version(text, family, self.windows_releases, self.one_ui)

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
        """Catalogue names near an unknown model, from its own line only."""
        return self.models.closest(model, n)

    def model_names(self) -> list[str]:
        return self.models.model_names()
