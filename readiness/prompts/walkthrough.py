"""The interactive walk-through: the engine that asks the questions of ``questions.py``.

No rules live here. A typed answer is read and refused by the same parser the
answers loader uses (``readiness.schema``), and whether a question applies is
the core's call. The walk-through only asks for what the document lacks, so the
same code serves a fresh run, a partial answers file, a resumed draft, the
fix-and-re-evaluate loop and a recheck (which re-asks chosen keys with the old
answers as defaults). The document is filled in place, so whatever was answered
before Ctrl-C is there to keep as a draft.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from readiness import answers as answers_mod
from readiness import places, schema, versions
from readiness.knowledge import Knowledge
from readiness.placement import unplaced
from readiness.prompts import questions as q
from readiness.prompts.asker import Asker, Doc, Validator, refusal
from readiness.prompts.questions import QUESTIONS, Partial, Question

if TYPE_CHECKING:
    from readiness.detect.to_answers import Reading

# Where a new device's answers come from, when reading connected devices is offered.
DEVICE_SOURCE = "Where does this device's information come from?"
TYPE_IT = "Type it in"
READ_IT = "Read from a connected device"
WHICH_READ = "Which device is it?"


@dataclass
class Walkthrough:
    """Fills an answers document by asking a person; ``reask`` names keys to ask again."""

    knowledge: Knowledge
    now: dt.datetime
    asker: Asker
    reask: Collection[str] = ()
    ask_all: bool = False
    # False on a recheck: optional answers left out before stay left out.
    ask_optional: bool = True
    # Devices from the inventory, offered before any device is typed in.
    saved_devices: Sequence[Mapping[str, str]] = ()
    devices_complete: bool = False
    # Reads the connected devices (``readiness.detect``); None: reading is not offered.
    read_devices: Callable[[], Reading] | None = None
    # Optional questions answered with "skip" leave no key behind; remember them
    # (as "plan.pool_gb") so a resumed draft does not ask them again.
    skipped: set[str] = field(default_factory=set)
    # Where re-asked answers were given again ("devices[1].battery"), so a resumed
    # recheck does not ask them twice.
    answered: set[str] = field(default_factory=set)
    # Called after every answer: the draft is kept there.
    on_answer: Callable[[], object] = lambda: None
    _force: bool = field(default=False, repr=False)

    # -- the engine: ask a section's questions that apply and are wanted --

    @property
    def _again(self) -> bool:
        """Every question is asked, old answers as defaults (a changed section, --all)."""
        return self._force or self.ask_all

    def _wanted(self, table: Doc, question: Question, where: str) -> bool:
        if self._again:
            return True
        if question.key in self.reask:
            return where not in self.answered
        if question.key in table or question.path in self.skipped:
            return False
        return self.ask_optional or question.path not in self.knowledge.optional_answers

    def _ask_section(self, doc: Doc, section: str, table: Doc) -> None:
        for question in QUESTIONS[section]:
            partial = Partial(self.knowledge, doc, table, self._again, self.reask)
            where = _where(doc, section, table, question)
            if not question.when(partial) or not self._wanted(table, question, where):
                continue
            self._ask_one(question, doc, table, where)

    def _ask_one(self, question: Question, doc: Doc, table: Doc, where: str) -> None:
        """One question, its answer kept in ``table`` and in the draft."""
        value = self._ask(question, doc, table, table.get(question.key))
        if value is None:
            table.pop(question.key, None)
            self.skipped.add(question.path)
        else:
            table[question.key] = value
            self.skipped.discard(question.path)
        self.answered.add(where)
        self.on_answer()

    def _ask(self, question: Question, doc: Doc, table: Doc, old: Any) -> Any:
        asking: Callable[[Question, Doc, Doc, Any], Any] = getattr(self, f"_{question.kind}")
        return asking(question, doc, table, old)

    def _validator(self, question: Question) -> Validator:
        """The schema's parser for the key; an empty answer refused with the question's words."""
        parse = refusal(schema.KEYS[question.path].parse)

        def validate(text: str) -> bool | str:
            if question.empty and not text.strip():
                return question.empty
            return parse(text)

        return validate

    def _text(self, question: Question, doc: Doc, table: Doc, old: Any) -> Any:
        text = self.asker.text(
            self._words(question, table), default=_shown(old), validate=self._validator(question)
        )
        return schema.KEYS[question.path].parse(text)

    def _confirm(self, question: Question, doc: Doc, table: Doc, old: Any) -> bool:
        default = bool(question.default) if old is None else bool(old)
        return self.asker.confirm(self._words(question, table), default=default)

    def _select(self, question: Question, doc: Doc, table: Doc, old: Any) -> str:
        return self.asker.select(
            self._words(question, table), list(question.choices), default=old or question.default
        )

    def _words(self, question: Question, table: Doc, **more: str) -> str:
        """The question's words: the device it is about, the activity, what the kind adds."""
        names = {a.id: a.name for a in self.knowledge.activities}
        key = question.key
        return question.text.format(
            activity=names.get(key.removesuffix("_hours"), key),
            device=str(table.get("label", "this device")),
            **more,
        )

    # -- the walk-through, in the order a person finds natural --

    def run(self, doc: Doc) -> Doc:
        doc.setdefault("schema", answers_mod.SCHEMA)
        _country_codes(doc)
        self.traveler(doc)
        self.trip(doc)
        self.plan(doc)
        self.devices(doc)
        self.checklist(doc)
        return doc

    def traveler(self, doc: Doc) -> None:
        self._ask_section(doc, "traveler", doc.setdefault("traveler", {}))

    def trip(self, doc: Doc) -> None:
        self._ask_section(doc, "trip", doc.setdefault("trip", {}))

    def plan(self, doc: Doc) -> None:
        table = doc.setdefault("plan", {})
        self._ask_section(doc, "plan", table)
        if table.get("pool_gb") is not None:
            self._ask_section(doc, "usage", doc.setdefault("usage", {}))

    def checklist(self, doc: Doc) -> None:
        self._ask_section(doc, "checklist", doc.setdefault("checklist", {}))

    # -- questions of more than one prompt, or with a remark after the answer --

    def _zone(self, question: Question, doc: Doc, table: Doc, old: Any) -> str:
        return self.asker.complete(
            question.text,
            choices=places.zone_names(),
            default=old or places.local_zone_name() or "",
            validate=self._validator(question),
        ).strip()

    def _departure(self, question: Question, doc: Doc, table: Doc, old: Any) -> dt.datetime:
        zone = places.validate_timezone(table["timezone"])

        def parse(text: str) -> dt.datetime:
            return schema.upcoming(schema.local_departure(text, zone), self.now)

        def check(text: str) -> object:
            try:
                return parse(text)
            except schema.RepeatedTime as twice:  # asked next: which of the two
                return [schema.upcoming(m, self.now) for m in twice.choices]

        default = old.strftime("%Y-%m-%d %H:%M") if isinstance(old, dt.datetime) else ""
        text = self.asker.text(question.text, default=default, validate=refusal(check))
        try:
            return parse(text).replace(tzinfo=None)
        except schema.RepeatedTime as twice:
            shown = {f"{m:%H:%M} ({_offset_words(m, i)})": m for i, m in enumerate(twice.choices)}
            picked = self.asker.select(
                q.WHICH_TIME.format(time=f"{twice.choices[0]:%H:%M}"), list(shown)
            )
            # The offset is kept: the local time alone would name both moments.
            return shown[picked]

    def _return(self, question: Question, doc: Doc, table: Doc, old: Any) -> dt.date | None:
        key = schema.KEYS[question.path]
        departure = table.get("departure")

        def parse(text: str) -> dt.date | None:
            day: dt.date | None = key.parse(text)
            if day is not None and isinstance(departure, dt.datetime):
                return schema.return_after(day, departure)
            return day

        text = self.asker.text(
            question.text,
            default=old.isoformat() if isinstance(old, dt.date) else "",
            validate=refusal(parse),
        )
        return parse(text)

    def _country(self, question: Question, doc: Doc, table: Doc, old: Any) -> str:
        return self._ask_country(question.text, old)

    def _ask_country(self, message: str, old: Any, *, allow_empty: bool = False) -> str:
        def check(text: str) -> object:
            if allow_empty and not text.strip():
                return None
            try:
                return schema.country(text)
            except places.AmbiguousCountry:  # asked next: which of them
                return None

        default = str(places.resolve_country(old)) if isinstance(old, str) and old else ""
        text = self.asker.complete(
            message, choices=places.country_choices(), default=default, validate=refusal(check)
        )
        if not text.strip():
            return ""
        try:
            return schema.country(text)
        except places.AmbiguousCountry as several:
            named = {str(c): c.alpha_2 for c in several.candidates}
            return named[self.asker.select(q.WHICH_COUNTRY.format(name=text.strip()), list(named))]

    def _destinations(self, question: Question, doc: Doc, table: Doc, old: Any) -> list[str]:
        chosen: list[str] = []
        for code in old or []:
            if isinstance(code, str) and self.asker.confirm(
                q.KEEP_DESTINATION.format(country=places.resolve_country(code))
            ):
                chosen.append(schema.country(code))
        while True:
            first = not chosen
            code = self._ask_country(
                question.text if first else q.ANOTHER_DESTINATION, None, allow_empty=not first
            )
            if not code:
                return chosen
            if code not in chosen:
                chosen.append(code)

    def _coverage(self, question: Question, doc: Doc, table: Doc, old: Any) -> list[str]:
        destinations = doc.get("trip", {}).get("destinations", [])
        choice = self.asker.select(
            question.text,
            [q.WORLDWIDE_CHOICE, q.LISTED_CHOICE],
            default=q.WORLDWIDE_CHOICE if old == [schema.WORLDWIDE] else q.LISTED_CHOICE,
        )
        if choice == q.WORLDWIDE_CHOICE:
            return [schema.WORLDWIDE]
        previous = set(old or []) if old else set(destinations)
        return [
            code
            for code in destinations
            if self.asker.confirm(
                q.COVERS.format(country=places.resolve_country(code)), default=code in previous
            )
        ]

    def _max_devices(self, question: Question, doc: Doc, table: Doc, old: Any) -> int:
        text = self.asker.text(
            question.text,
            default=str(old or self.knowledge.limits.max_devices),
            validate=self._validator(question),
        )
        return int(schema.KEYS[question.path].parse(text))

    def _caps(self, question: Question, doc: Doc, table: Doc, old: Any) -> dict[str, int] | None:
        who = table.get("provider", "") or "the provider"
        destinations = list(doc.get("trip", {}).get("destinations", []))
        if not self.asker.confirm(question.text.format(provider=who), default=bool(old)):
            # An explicit "no": the provider lets every destination use the whole plan.
            table["uncapped"] = destinations
            return None
        table.pop("uncapped", None)

        def parse(text: str) -> int | None:
            return schema.device_cap(schema.read_device_cap(text)) if text.strip() else None

        caps: dict[str, int] = {}
        for code in destinations:
            text = self.asker.text(
                q.DEVICE_CAP.format(country=places.resolve_country(code)),
                default=str((old or {}).get(code, "")),
                validate=refusal(parse),
            )
            if (cap := parse(text)) is not None:
                caps[code] = cap
        return caps or None

    def _backup(self, question: Question, doc: Doc, table: Doc, old: Any) -> bool | str:
        shown = {value: choice for choice, value in q.BACKUP_VALUES.items()}
        choice = self.asker.select(question.text, list(question.choices), default=shown.get(old))
        return q.BACKUP_VALUES[choice]

    # -- devices --

    def devices(self, doc: Doc) -> None:
        items: list[Doc] = doc.setdefault("devices", [])
        for device in items:
            self.device(doc, device)
        if not self.devices_complete:
            if not items and self.saved_devices:
                self._pick_saved(doc, items)
            while not items or self.asker.confirm(q.ANOTHER_DEVICE, default=False):
                if self.read_devices is not None and (
                    self.asker.select(DEVICE_SOURCE, [TYPE_IT, READ_IT], default=TYPE_IT) == READ_IT
                ):
                    self._read_device(doc, items, self.read_devices())
                else:
                    items.append({})
                    self.device(doc, items[-1])
            self.devices_complete = True
        self.primary(items)

    def _pick_saved(self, doc: Doc, items: list[Doc]) -> None:
        """Saved devices bring their model, label and identifiers; the rest is asked."""
        saved = {d["label"]: d for d in self.saved_devices}
        picked = self.asker.checkbox(q.SAVED_DEVICES, list(saved))
        for label in picked:
            known = {k: v for k, v in saved[label].items() if v}
            items.append({**known, "inventory": label})
            self.asker.say(f"  {label}: {saved[label]['model']}")
            self.device(doc, items[-1])

    def device(self, doc: Doc, device: Doc) -> None:
        """One device's questions, saying known problems as soon as they are answered."""
        self._ask_section(doc, "device", device)

    def _read_device(self, doc: Doc, items: list[Doc], reading: Reading) -> None:
        """The device the person picks, filled with what was read, said, then every question
        asked with what was read as its default: a device's answers are never taken unseen."""
        for note in reading.notes:
            self.asker.say(f"  ! {note}")
        read = {d.detected.label: d for d in reading.devices}
        items.append({})
        if not read:
            self.asker.say("  Nothing could be read; type this device's answers in.")
            self.device(doc, items[-1])
            return
        picked = read[next(iter(read))]
        if len(read) > 1:
            picked = read[self.asker.select(WHICH_READ, list(read))]
        items[-1].update(picked.as_dict())
        said = ", ".join(f"{key.replace('_', ' ')} {value}" for key, value in items[-1].items())
        self.asker.say(f"  Read from {picked.detected.label}: {said}.")
        self._force = True
        try:
            self.device(doc, items[-1])
        finally:
            self._force = False

    def _model(self, question: Question, doc: Doc, table: Doc, old: Any) -> str:
        text = self.asker.complete(
            question.text,
            choices=self.knowledge.model_names(),
            default=old or "",
            validate=self._validator(question),
        )
        model: str = schema.KEYS[question.path].parse(text)
        placement = self.knowledge.place(model)
        if placement.row is None:
            self.asker.say(f"  ! {unplaced(self.knowledge, placement)}")
        elif not self.knowledge.is_full(placement.row, "esim"):
            self.asker.say(f"  ! {placement.row.name}: eSIM support is {placement.row.esim}.")
        else:
            self.asker.say(f"  ✓ {placement.row.name}: {placement.row.esim} eSIM support.")
        return model

    def _label(self, question: Question, doc: Doc, table: Doc, old: Any) -> str:
        owner = doc.get("traveler", {}).get("name", "").split(" ")[0]
        taken = {d.get("label", "").casefold() for d in doc["devices"] if d is not table}
        suggested = f"{owner}'s {table['model']}" if owner else table["model"]
        validate = self._validator(question)

        def unique(text: str) -> bool | str:
            return validate(text) if text.strip().casefold() not in taken else q.LABEL_TAKEN

        text = self.asker.text(question.text, default=old or suggested, validate=unique)
        return str(schema.KEYS[question.path].parse(text))

    def _os_version(self, question: Question, doc: Doc, table: Doc, old: Any) -> str:
        family = self.knowledge.place(table["model"]).os
        minimum = self.knowledge.os_minimum(family)
        if family is None:
            hint = ""
        elif minimum is None:
            hint = f" (no minimum known for {versions.display_name(family)})"
        else:
            hint = f" (minimum {self.knowledge.describe_version(minimum, family)})"
        key = schema.KEYS[question.path]
        text = self.asker.text(
            self._words(question, table, hint=hint),
            default=old or "",
            validate=refusal(lambda s: self.knowledge.parse_version(key.parse(s), family)),
        )
        found = self.knowledge.parse_version(text, family)
        if family and minimum is not None and found < minimum:
            self.asker.say(
                f"  ! {self.knowledge.describe_version(found, family)} is below the minimum; "
                "update it before you travel."
            )
        return str(key.parse(text))

    def _imei(self, question: Question, doc: Doc, table: Doc, old: Any) -> str:
        placement = self.knowledge.place(str(table.get("model", "")))
        hint = self.knowledge.imei.hint(placement.kind, placement.os)
        text = self.asker.text(
            self._words(question, table, where=f"{hint}; " if hint else ""),
            default=_shown(old),
            validate=self._validator(question),
        )
        return str(schema.KEYS[question.path].parse(text))

    def _priority(self, question: Question, doc: Doc, table: Doc, old: Any) -> str:
        """The default is what the guide's activity table suggests for this device."""
        return self.asker.select(
            self._words(question, table),
            list(question.choices),
            default=old or self._suggested_priority(doc, table) or question.default,
        )

    def _suggested_priority(self, doc: Doc, table: Doc) -> str | None:
        from readiness.errors import ReadinessError
        from readiness.guide import recommend_priority

        try:
            answers = answers_mod.from_document(doc)
        except ReadinessError:  # not enough answered yet to say
            return None
        device = answers_mod.Device(str(table.get("label", "")), str(table.get("model", "")))
        return recommend_priority(device, answers, self.knowledge).recommended

    def _battery(self, question: Question, doc: Doc, table: Doc, old: Any) -> int:
        battery = int(self._text(question, doc, table, old))
        minimum = self.knowledge.limits.min_battery_percent
        if battery < minimum:
            self.asker.say(f"  ! Below {minimum} %: charge it before setting up the plan.")
        return battery

    def primary(self, items: list[Doc]) -> None:
        """One primary; only devices whose row can manage a multi-device plan are offered."""
        primaries = [d for d in items if d.get("primary")]
        if len(primaries) == 1 and "primary" not in self.reask and not self._again:
            return
        capable = [d["label"] for d in items if self._can_manage(d)]
        if not capable:
            self.asker.say(
                "  ! None of these devices can manage a multi-device plan; "
                "pick the one that will try."
            )
            capable = [d["label"] for d in items]
        old = primaries[0]["label"] if primaries else None
        if len(capable) == 1:
            chosen = capable[0]
            others = "" if len(items) == 1 else ", the only device here that can manage it"
            self.asker.say(f"  {chosen} will manage the plan (the primary device{others}).")
        else:
            chosen = self.asker.select(q.PRIMARY, capable, default=old)
        for device in items:
            device["primary"] = device["label"] == chosen

    def _can_manage(self, device: Doc) -> bool:
        row = self.knowledge.place(str(device.get("model", ""))).row
        return row is not None and self.knowledge.is_full(row, "multi_device")

    # -- after the results --

    def sections(self, doc: Doc) -> list[str]:
        labels = [f"Device: {d.get('label', '?')}" for d in doc.get("devices", [])]
        return ["Traveller", "Trip", "Plan", *labels, q.ADD_DEVICE, "Checklist"]

    def change(self, doc: Doc, section: str) -> None:
        """Ask a section again (the current answers as defaults); for a device, one answer,
        every answer, or its removal."""
        self._force = True
        try:
            if section == "Traveller":
                self.traveler(doc)
            elif section == "Trip":
                self.trip(doc)
            elif section == "Plan":
                self.plan(doc)
            elif section == "Checklist":
                self.checklist(doc)
            elif section == q.ADD_DEVICE:
                self._force = False
                device: Doc = {}
                doc["devices"].append(device)
                self.device(doc, device)
                self._force = True
                self.primary(doc["devices"])
            else:
                label = section.removeprefix("Device: ")
                device = next(d for d in doc["devices"] if d.get("label") == label)
                self.change_device(doc, device)
        finally:
            self._force = False

    def change_device(self, doc: Doc, device: Doc) -> None:
        """One answer about a device, all of them, or the device taken off the trip."""
        items: list[Doc] = doc["devices"]
        asked = {
            q.FIELD_NAMES[question.key]: question
            for question in QUESTIONS["device"]
            if question.when(Partial(self.knowledge, doc, device, True, self.reask))
        }
        choices = [*asked, q.EVERY_ANSWER]
        if len(items) > 1:
            choices.append(q.REMOVE_DEVICE)
        picked = self.asker.select(
            q.WHICH_ANSWER.format(device=device.get("label", "?")), choices, default=None
        )
        if picked == q.REMOVE_DEVICE:
            items.remove(device)
            was_primary = bool(device.get("primary"))
            self.on_answer()
            if was_primary:
                for other in items:
                    other["primary"] = False
        elif picked == q.EVERY_ANSWER:
            self.device(doc, device)
        else:
            question = asked[picked]
            self._ask_one(question, doc, device, _where(doc, "device", device, question))
        self._force = False  # a primary still there is not asked for again
        self.primary(items)
        self.on_answer()


def _where(doc: Doc, section: str, table: Doc, question: Question) -> str:
    """Where an answer sits in the document: ``devices[2].battery``, ``checklist.same_wifi``."""
    if section != "device":
        return question.path
    index = next(i for i, d in enumerate(doc.get("devices", []), start=1) if d is table)
    return f"devices[{index}].{question.key}"


def _offset_words(moment: dt.datetime, index: int) -> str:
    """How a person tells the two readings of a repeated hour apart."""
    offset = moment.strftime("%z")
    when = "the first time, before the clocks go back" if index == 0 else "the second time"
    return f"UTC{offset[:3]}:{offset[3:]}, {when}"


def _shown(old: Any) -> str:
    """An earlier answer as the default of a text prompt."""
    if old is None:
        return ""
    if isinstance(old, float):
        return f"{old:g}"
    return str(old)


def _country_codes(doc: Doc) -> None:
    """Countries a file gave as names ("Japan") become codes, as the prompts store them.

    The document was validated first, so every value resolves.
    """
    trip, plan = doc.get("trip", {}), doc.get("plan", {})
    if isinstance(trip.get("home"), str):
        trip["home"] = schema.country(trip["home"])
    for table, key in ((trip, "destinations"), (plan, "coverage")):
        if isinstance(table.get(key), list):
            table[key] = list(dict.fromkeys(schema.covered(v) for v in table[key]))
    if isinstance(plan.get("device_limits"), dict):
        plan["device_limits"] = {schema.country(k): v for k, v in plan["device_limits"].items()}
