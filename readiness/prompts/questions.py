"""The walk-through's questions, as data: what is asked, in which order, and when.

Each question names the answer it fills (a key of ``readiness.schema``), the
words a person sees, how it is asked and its default when there is no earlier
answer. ``when`` says whether it applies to the answers given so far; it calls
the core (``answers``) rather than deciding anything itself. How a typed answer
is refused is the schema's business: a question only adds the words for an
answer left empty.

Kinds: ``text``, ``confirm``, ``select`` and ``complete`` (text with
completion) are plain prompts. The others are several prompts or a remark
after the answer, and the engine in ``walkthrough.py`` has one method for each:
``zone``, ``departure``, ``country``, ``destinations``, ``return``,
``coverage``, ``max_devices``, ``caps``, ``model``, ``label``, ``os_version``,
``imei``, ``battery``, ``priority``, ``backup``. ``{device}`` in a question's
words is the label of the device it is about.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from readiness import answers
from readiness.knowledge import PRIORITIES, Knowledge
from readiness.schema import USAGE_DAILY, USAGE_HOURLY

Kind = Literal[
    "text",
    "confirm",
    "select",
    "complete",
    "zone",
    "departure",
    "country",
    "destinations",
    "return",
    "coverage",
    "max_devices",
    "caps",
    "model",
    "label",
    "os_version",
    "battery",
    "backup",
    "imei",
    "priority",
]


@dataclass(frozen=True)
class Partial:
    """What a ``when`` sees: the answers so far, the device being asked about, the knowledge."""

    knowledge: Knowledge
    doc: Mapping[str, Any]
    table: Mapping[str, Any]
    again: bool
    reask: Collection[str]


def always(_: Partial) -> bool:
    return True


def departure_not_given(p: Partial) -> bool:
    """A file that gave the departure with its offset leaves no zone to ask."""
    return p.again or "departure" in p.reask or not answers.departure_is_fixed(p.table)


def has_wifi_calling(p: Partial) -> bool:
    return answers.model_has_wifi_calling(str(p.table.get("model", "")), p.knowledge)


def may_have_two_imeis(p: Partial) -> bool:
    return answers.model_may_be_dual_sim(str(p.table.get("model", "")), p.knowledge)


def caps_not_answered(p: Partial) -> bool:
    """Destinations recorded as uncapped answer the caps question ("no caps")."""
    return p.again or "device_limits" in p.reask or "uncapped" not in p.table


def may_cross_time_zones(p: Partial) -> bool:
    return answers.may_cross_time_zones(p.doc)


@dataclass(frozen=True)
class Question:
    """One answer to ask for: its schema key, its words, how, and when."""

    path: str
    text: str
    kind: Kind = "text"
    default: Any = None
    choices: Sequence[str] = ()
    when: Callable[[Partial], bool] = always
    # What to say when a needed answer is left empty; None: empty is allowed.
    empty: str | None = None

    @property
    def key(self) -> str:
        return self.path.split(".", 1)[1]


QUESTIONS: dict[str, tuple[Question, ...]] = {
    "traveler": (
        Question(
            "traveler.name",
            "Your name (it signs the report):",
            empty="a name is needed to sign the report",
        ),
    ),
    "trip": (
        Question("trip.name", "Trip name:", empty="give the trip a name"),
        Question(
            "trip.timezone",
            "Time zone of the departure airport:",
            "zone",
            when=departure_not_given,
        ),
        Question(
            "trip.departure",
            "Departure date and local time (YYYY-MM-DD HH:MM):",
            "departure",
            when=departure_not_given,
        ),
        Question("trip.home", "Home country:", "country"),
        Question("trip.destinations", "Destination country:", "destinations"),
        Question("trip.return", "Return date (YYYY-MM-DD; empty to skip):", "return"),
    ),
    "plan": (
        Question("plan.provider", "eSIM provider:"),
        Question(
            "plan.multi_device",
            "Is it a multi-device plan (one subscription shared by several devices)?",
            "confirm",
            default=True,
        ),
        Question("plan.coverage", "What does the plan cover?", "coverage"),
        Question("plan.max_devices", "How many devices does the plan allow?", "max_devices"),
        Question(
            "plan.device_limits",
            "Does {provider} cap the number of devices in any destination?",
            "caps",
            when=caps_not_answered,
        ),
        Question("plan.pool_gb", "Shared data pool in GB (empty to skip the data budget):"),
    ),
    "usage": (
        *(
            Question(f"usage.{key}", "{activity} every day?", "confirm", default=True)
            for key in USAGE_DAILY
        ),
        *(
            Question(f"usage.{key}", "{activity}: hours a day (empty for none)?")
            for key in USAGE_HOURLY
        ),
    ),
    "device": (
        Question(
            "device.model", "Device model:", "model", empty="name the model (free text is fine)"
        ),
        Question("device.label", "A short label for it:", "label", empty="give it a label"),
        Question("device.os_version", "OS version of {device}{hint}:", "os_version"),
        Question("device.imei", "IMEI of {device} ({where}empty if unknown):", "imei"),
        Question(
            "device.imei2",
            "Second IMEI of {device}, for dual SIM (empty to skip):",
            when=may_have_two_imeis,
        ),
        Question("device.eid", "EID of {device} (empty to skip):"),
        Question("device.battery", "Battery level of {device} now (%):", "battery"),
        Question(
            "device.priority",
            "Data priority for {device}:",
            "priority",
            default="standard",
            choices=PRIORITIES,
        ),
        Question(
            "device.roaming_authorized",
            "Is international roaming pre-authorised on {device}?",
            "confirm",
            default=True,
        ),
        Question(
            "device.wifi_calling",
            "Is Wi-Fi Calling on for {device}?",
            "confirm",
            default=True,
            when=has_wifi_calling,
        ),
    ),
    "checklist": (
        Question(
            "checklist.same_wifi",
            "Will all devices be on the same Wi-Fi network for setup?",
            "confirm",
            default=True,
        ),
        Question(
            "checklist.offline_maps",
            "Are offline maps downloaded on the device you navigate with?",
            "confirm",
            default=True,
        ),
        Question(
            "checklist.network_preference",
            "Is each device set to prefer the right network type (5G/LTE) for the destinations?",
            "confirm",
            default=True,
        ),
        Question(
            "checklist.profiles_backed_up",
            "Are the eSIM profiles you are replacing backed up?",
            "backup",
            choices=("yes", "no", "not replacing any"),
        ),
        Question(
            "checklist.airplane_schedule",
            "The trip crosses time zones: are airplane-mode schedules set?",
            "confirm",
            default=False,
            when=may_cross_time_zones,
        ),
    ),
}
# Keys that are not questions of their own: the engine sets ``primary`` after
# every device is known; ``inventory`` comes with a saved device.
# Asked along the way: the primary with the devices, the uncapped destinations with the caps.
NOT_ASKED = frozenset({"device.primary", "device.inventory", "plan.uncapped"})
# The words of the prompts that the multi-prompt kinds ask along the way.
WHICH_COUNTRY = "Which country do you mean by {name}?"
WHICH_TIME = "The clocks show {time} twice that night: which one?"
KEEP_DESTINATION = "Keep {country} as a destination?"
ANOTHER_DESTINATION = "Another destination (empty when done):"
WORLDWIDE_CHOICE = "Every country (worldwide)"
LISTED_CHOICE = "Only some countries"
COVERS = "Does the plan cover {country}?"
DEVICE_CAP = "Device cap in {country} (empty if you do not know):"
SAVED_DEVICES = "Which saved devices come on this trip? (space to pick)"
ANOTHER_DEVICE = "Add another device?"
PRIMARY = "Which device manages the plan (the primary)?"
LABEL_TAKEN = "another device already has that label"
# "Change an answer": one answer of one device, by these names, or the device itself.
FIELD_NAMES = {
    "model": "Model",
    "label": "Label",
    "os_version": "OS version",
    "imei": "IMEI",
    "imei2": "Second IMEI",
    "eid": "EID",
    "battery": "Battery level",
    "priority": "Data priority",
    "roaming_authorized": "Roaming",
    "wifi_calling": "Wi-Fi Calling",
}
WHICH_ANSWER = "Which answer about {device}?"
EVERY_ANSWER = "Every answer about it"
REMOVE_DEVICE = "Remove it from this trip"
ADD_DEVICE = "Add a device"
BACKUP_VALUES: dict[str, bool | str] = {"yes": True, "no": False, "not replacing any": "n/a"}
