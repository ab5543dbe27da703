"""The interactive walk-through: prompts that fill an answers document.

No rules live here. Each prompt validates with the core parsers as the person
types, and the walk-through only asks for what the document lacks, so the same
code serves a fresh run, a partial answers file, a resumed draft, the
fix-and-re-evaluate loop and a recheck (which re-asks chosen keys with the old
answers as defaults). The document is filled in place, so whatever was answered
before Ctrl-C is there to keep as a draft.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from readiness import answers as answers_mod
from readiness import identifiers, places, versions
from readiness.errors import InvalidValue
from readiness.knowledge import PRIORITIES, Knowledge
from readiness.prompts.asker import Asker, Doc, name_check, refusal


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
    # Optional questions answered with "skip" leave no key behind; remember them
    # (as "plan.pool_gb") so a resumed draft does not ask them again.
    skipped: set[str] = field(default_factory=set)
    _force: bool = field(default=False, repr=False)
    _sections: dict[int, str] = field(default_factory=dict, repr=False)

    # -- the generic step: ask a key when it is missing (or to be asked again) --

    def _section(self, doc: Doc, name: str) -> Doc:
        table: Doc = doc.setdefault(name, {})
        self._sections[id(table)] = name
        return table

    def _path(self, table: Doc, key: str) -> str:
        return f"{self._sections.get(id(table), '?')}.{key}"

    @property
    def _again(self) -> bool:
        """Every question is asked, old answers as defaults (a changed section, --all)."""
        return self._force or self.ask_all

    def _wanted(self, table: Doc, key: str) -> bool:
        if self._again or key in self.reask:
            return True
        path = self._path(table, key)
        if key in table or path in self.skipped:
            return False
        return self.ask_optional or path not in self.knowledge.optional_answers

    def _field(self, table: Doc, key: str, ask: Callable[[Any], Any]) -> None:
        if self._wanted(table, key):
            value = ask(table.get(key))
            if value is None:
                table.pop(key, None)
                self.skipped.add(self._path(table, key))
            else:
                table[key] = value
                self.skipped.discard(self._path(table, key))

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
        table = self._section(doc, "traveler")
        self._field(
            table,
            "name",
            self._needed("Your name (it signs the report):", "a name is needed to sign the report"),
        )

    def trip(self, doc: Doc) -> None:
        table = self._section(doc, "trip")
        self._field(table, "name", self._needed("Trip name:", "give the trip a name"))
        fixed = table.get("departure")
        if (
            isinstance(fixed, dt.datetime)
            and fixed.tzinfo
            and "departure" not in self.reask
            and not self._again
        ):
            pass  # an answers file gave the departure with its offset: no zone to ask
        else:
            self._field(
                table,
                "timezone",
                lambda old: self.asker.complete(
                    "Time zone of the departure airport:",
                    choices=places.zone_names(),
                    default=old or places.local_zone_name() or "",
                    validate=refusal(places.validate_timezone),
                ).strip(),
            )
            zone = places.validate_timezone(table["timezone"])
            self._field(table, "departure", lambda old: self._departure(old, zone))
        self._field(table, "home", lambda old: self._country("Home country:", old))
        if self._wanted(table, "destinations"):
            table["destinations"] = self._destinations(table.get("destinations") or [])
        self._field(table, "return", lambda old: self._return_date(old, table["departure"]))

    def _departure(self, old: Any, zone: str) -> dt.datetime:
        def parse(text: str) -> dt.datetime:
            return _local_moment(text, zone)

        def validate(text: str) -> bool | str:
            try:
                moment = parse(text)
            except InvalidValue as exc:
                return str(exc)
            if moment <= self.now:
                return "that moment has passed; give the coming departure"
            return True

        default = old.strftime("%Y-%m-%d %H:%M") if isinstance(old, dt.datetime) else ""
        text = self.asker.text(
            "Departure date and local time (YYYY-MM-DD HH:MM):", default=default, validate=validate
        )
        return parse(text).replace(tzinfo=None)

    def _return_date(self, old: Any, departure: dt.datetime) -> dt.date | None:
        def parse(text: str) -> dt.date | None:
            if not text.strip():
                return None
            try:
                day = dt.date.fromisoformat(text.strip())
            except ValueError:
                raise InvalidValue(f"{text.strip()!r} is not a date (YYYY-MM-DD)") from None
            if day < departure.date():
                raise InvalidValue("the return is before the departure")
            return day

        text = self.asker.text(
            "Return date (YYYY-MM-DD; empty to skip):",
            default=old.isoformat() if isinstance(old, dt.date) else "",
            validate=refusal(parse),
        )
        return parse(text)

    def _country(self, message: str, old: Any, *, allow_empty: bool = False) -> str:
        def check(text: str) -> object:
            return None if allow_empty and not text.strip() else places.resolve_country(text)

        default = str(places.resolve_country(old)) if isinstance(old, str) and old else ""
        text = self.asker.complete(
            message, choices=places.country_choices(), default=default, validate=refusal(check)
        )
        return places.resolve_country(text).alpha_2 if text.strip() else ""

    def _destinations(self, old: list[str]) -> list[str]:
        chosen: list[str] = []
        for code in old:
            if isinstance(code, str) and self.asker.confirm(
                f"Keep {places.resolve_country(code)} as a destination?"
            ):
                chosen.append(places.resolve_country(code).alpha_2)
        while True:
            first = not chosen
            code = self._country(
                "Destination country:" if first else "Another destination (empty when done):",
                None,
                allow_empty=not first,
            )
            if not code:
                return chosen
            if code not in chosen:
                chosen.append(code)

    def plan(self, doc: Doc) -> None:
        table = self._section(doc, "plan")
        destinations = doc.get("trip", {}).get("destinations", [])
        self._field(
            table,
            "provider",
            lambda old: self.asker.text(
                "eSIM provider:", default=old or "", validate=name_check(None)
            ).strip(),
        )
        self._field(
            table,
            "multi_device",
            lambda old: self.asker.confirm(
                "Is it a multi-device plan (one subscription shared by several devices)?",
                default=True if old is None else bool(old),
            ),
        )
        self._field(table, "coverage", lambda old: self._coverage(old, destinations))
        limit = self.knowledge.limits.max_devices
        self._field(
            table,
            "max_devices",
            lambda old: int(
                self.asker.text(
                    "How many devices does the plan allow?",
                    default=str(old or limit),
                    validate=refusal(_whole_number(1, 1000)),
                )
            ),
        )
        self._field(
            table,
            "device_limits",
            lambda old: self._caps(old, destinations, table.get("provider", "")),
        )
        self._field(
            table,
            "pool_gb",
            lambda old: _optional_number(
                self.asker.text(
                    "Shared data pool in GB (empty to skip the data budget):",
                    default="" if old is None else f"{old:g}",
                    validate=refusal(_optional_number),
                )
            ),
        )
        if table.get("pool_gb") is not None:
            self.usage(doc)

    def _coverage(self, old: Any, destinations: list[str]) -> list[str]:
        worldwide = "Every country (worldwide)"
        listed = "Only some countries"
        choice = self.asker.select(
            "What does the plan cover?",
            [worldwide, listed],
            default=worldwide if old == [answers_mod.WORLDWIDE] else listed,
        )
        if choice == worldwide:
            return [answers_mod.WORLDWIDE]
        previous = set(old or []) if old else set(destinations)
        return [
            code
            for code in destinations
            if self.asker.confirm(
                f"Does the plan cover {places.resolve_country(code)}?", default=code in previous
            )
        ]

    def _caps(self, old: Any, destinations: list[str], provider: str) -> dict[str, int] | None:
        who = provider or "the provider"
        if not self.asker.confirm(
            f"Does {who} cap the number of devices in any destination?", default=bool(old)
        ):
            return None
        caps: dict[str, int] = {}
        for code in destinations:
            text = self.asker.text(
                f"Device cap in {places.resolve_country(code)} (empty for none):",
                default=str((old or {}).get(code, "")),
                validate=refusal(lambda s: s.strip() == "" or _whole_number(0, 1000)(s)),
            )
            if text.strip():
                caps[code] = int(text)
        return caps or None

    def usage(self, doc: Doc) -> None:
        table = self._section(doc, "usage")
        names = {a.id: a.name for a in self.knowledge.activities}
        for key in answers_mod.USAGE_DAILY:
            self._field(table, key, self._yes(f"{names.get(key, key)} every day?"))
        for key in answers_mod.USAGE_HOURLY:
            self._field(table, key, self._hours(names.get(key.removesuffix("_hours"), key)))

    def _needed(self, message: str, refusal: str) -> Callable[[Any], str]:
        """A text question that must not be left empty; the previous answer is the default."""

        def ask(old: Any) -> str:
            text = self.asker.text(message, default=old or "", validate=name_check(refusal))
            return text.strip()

        return ask

    def _yes(self, message: str, default: bool = True) -> Callable[[Any], bool]:
        """A yes/no question whose default is the previous answer, if any."""

        def ask(old: Any) -> bool:
            return self.asker.confirm(message, default=default if old is None else bool(old))

        return ask

    def _hours(self, activity: str) -> Callable[[Any], float]:
        def ask(old: Any) -> float:
            text = self.asker.text(
                f"{activity}: hours a day (empty for none)?",
                default=f"{old:g}" if old is not None else "",
                validate=refusal(_hours),
            )
            return _hours(text)

        return ask

    def devices(self, doc: Doc) -> None:
        items: list[Doc] = doc.setdefault("devices", [])
        for device in items:
            self.device(doc, device)
        if not self.devices_complete:
            if not items and self.saved_devices:
                self._pick_saved(doc, items)
            while not items or self.asker.confirm("Add another device?", default=False):
                items.append({})
                self.device(doc, items[-1])
            self.devices_complete = True
        self.primary(items)

    def _pick_saved(self, doc: Doc, items: list[Doc]) -> None:
        """Saved devices bring their model, label and identifiers; the rest is asked."""
        saved = {d["label"]: d for d in self.saved_devices}
        picked = self.asker.checkbox(
            "Which saved devices come on this trip? (space to pick)", list(saved)
        )
        for label in picked:
            known = {k: v for k, v in saved[label].items() if v}
            items.append({**known, "inventory": label})
            self.asker.say(f"  {label}: {saved[label]['model']}")
            self.device(doc, items[-1])

    def device(self, doc: Doc, device: Doc) -> None:
        """One device's questions, saying known problems as soon as they are answered."""
        self._sections[id(device)] = "device"
        self._field(device, "model", lambda old: self._model(old))
        placement = self.knowledge.place(device["model"])
        owner = doc.get("traveler", {}).get("name", "").split(" ")[0]
        taken = {d.get("label", "").casefold() for d in doc["devices"] if d is not device}
        suggested = f"{owner}'s {device['model']}" if owner else device["model"]
        self._field(
            device,
            "label",
            lambda old: self.asker.text(
                "A short label for it:",
                default=old or suggested,
                validate=lambda s: (
                    name_check("give it a label")(s)
                    if s.strip().casefold() not in taken
                    else "another device already has that label"
                ),
            ).strip(),
        )
        self._field(device, "os_version", lambda old: self._os_version(old, placement.os))
        self._field(
            device,
            "imei",
            lambda old: self._identifier(
                "IMEI (dial *#06#; empty if unknown):", old, identifiers.validate_imei
            ),
        )
        self._field(
            device,
            "imei2",
            lambda old: self._identifier(
                "Second IMEI for dual SIM (empty to skip):", old, identifiers.validate_imei
            ),
        )
        self._field(
            device,
            "eid",
            lambda old: self._identifier("EID (empty to skip):", old, identifiers.validate_eid),
        )
        self._field(
            device,
            "battery",
            lambda old: int(
                self.asker.text(
                    "Battery level now (%):",
                    default="" if old is None else str(old),
                    validate=refusal(_whole_number(0, 100)),
                )
            ),
        )
        minimum = self.knowledge.limits.min_battery_percent
        if device["battery"] < minimum:
            self.asker.say(f"  ! Below {minimum} %: charge it before setting up the plan.")
        self._field(
            device,
            "priority",
            lambda old: self.asker.select(
                "Data priority:", list(PRIORITIES), default=old or "standard"
            ),
        )
        self._field(
            device,
            "roaming_authorized",
            lambda old: self.asker.confirm(
                "Is international roaming pre-authorised on it?",
                default=True if old is None else bool(old),
            ),
        )
        kind = placement.kind
        if kind is None or kind in self.knowledge.wifi_calling_kinds:
            self._field(
                device,
                "wifi_calling",
                lambda old: self.asker.confirm(
                    "Is Wi-Fi Calling on?", default=True if old is None else bool(old)
                ),
            )

    def _model(self, old: Any) -> str:
        text = self.asker.complete(
            "Device model:",
            choices=self.knowledge.model_names(),
            default=old or "",
            validate=name_check("name the model (free text is fine)"),
        ).strip()
        placement = self.knowledge.place(text)
        if placement.row is None:
            close = [] if placement.catalogue_name else self.knowledge.closest_models(text)
            hint = f" (closest: {', '.join(close)})" if close else ""
            self.asker.say(
                f"  ! {text} is not in the compatibility matrix{hint}; its eSIM support is unknown."
            )
        elif not self.knowledge.is_full(placement.row, "esim"):
            self.asker.say(f"  ! {placement.row.name}: eSIM support is {placement.row.esim}.")
        else:
            self.asker.say(f"  ✓ {placement.row.name}: {placement.row.esim} eSIM support.")
        return text

    def _os_version(self, old: Any, family: str | None) -> str:
        minimum = self.knowledge.os_minimum(family)
        if family is None:
            hint = ""
        elif minimum is None:
            hint = f" (no minimum known for {versions.display_name(family)})"
        else:
            hint = f" (minimum {self.knowledge.describe_version(minimum, family)})"
        text = self.asker.text(
            f"OS version{hint}:",
            default=old or "",
            validate=refusal(lambda s: self.knowledge.parse_version(s, family)),
        )
        found = self.knowledge.parse_version(text, family)
        if family and minimum is not None and found < minimum:
            self.asker.say(
                f"  ! {self.knowledge.describe_version(found, family)} is below the minimum; "
                "update it before you travel."
            )
        return text.strip()

    def _identifier(self, message: str, old: Any, validate: Callable[[str], str]) -> str:
        text = self.asker.text(
            message,
            default=old or "",
            validate=refusal(lambda s: validate(s) if s.strip() else ""),
        )
        return validate(text) if text.strip() else ""

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
            chosen = self.asker.select(
                "Which device manages the plan (the primary)?", capable, default=old
            )
        for device in items:
            device["primary"] = device["label"] == chosen

    def _can_manage(self, device: Doc) -> bool:
        row = self.knowledge.place(str(device.get("model", ""))).row
        return row is not None and self.knowledge.is_full(row, "multi_device")

    def checklist(self, doc: Doc) -> None:
        table = self._section(doc, "checklist")
        questions = (
            ("same_wifi", "Will all devices be on the same Wi-Fi network for setup?"),
            ("offline_maps", "Are offline maps downloaded on the device you navigate with?"),
            (
                "network_preference",
                "Is each device set to prefer the right network type "
                "(5G/LTE) for the destinations?",
            ),
        )
        for key, message in questions:
            self._field(table, key, self._yes(message))
        self._field(
            table,
            "profiles_backed_up",
            lambda old: _backup_value(
                self.asker.select(
                    "Are the eSIM profiles you are replacing backed up?",
                    ["yes", "no", "not replacing any"],
                    default=_backup_choice(old),
                )
            ),
        )
        if _crosses_time_zones(doc):
            self._field(
                table,
                "airplane_schedule",
                lambda old: self.asker.confirm(
                    "The trip crosses time zones: are airplane-mode schedules set?",
                    default=bool(old),
                ),
            )

    # -- after the results --

    def sections(self, doc: Doc) -> list[str]:
        labels = [f"Device: {d.get('label', '?')}" for d in doc.get("devices", [])]
        return ["Traveller", "Trip", "Plan", *labels, "Add a device", "Checklist"]

    def change(self, doc: Doc, section: str) -> None:
        """Ask a whole section again, the current answers as defaults."""
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
            elif section == "Add a device":
                self._force = False
                device: Doc = {}
                doc["devices"].append(device)
                self.device(doc, device)
                self._force = True
                self.primary(doc["devices"])
            else:
                label = section.removeprefix("Device: ")
                device = next(d for d in doc["devices"] if d.get("label") == label)
                self.device(doc, device)
                self.primary(doc["devices"])
        finally:
            self._force = False


def _country_codes(doc: Doc) -> None:
    """Countries a file gave as names ("Japan") become codes, as the prompts store them.

    The document was validated first, so every value resolves.
    """

    def code(value: str) -> str:
        return value if value == answers_mod.WORLDWIDE else places.resolve_country(value).alpha_2

    trip, plan = doc.get("trip", {}), doc.get("plan", {})
    if isinstance(trip.get("home"), str):
        trip["home"] = code(trip["home"])
    for table, key in ((trip, "destinations"), (plan, "coverage")):
        if isinstance(table.get(key), list):
            table[key] = list(dict.fromkeys(code(v) for v in table[key]))
    if isinstance(plan.get("device_limits"), dict):
        plan["device_limits"] = {code(k): v for k, v in plan["device_limits"].items()}


def _local_moment(text: str, zone: str) -> dt.datetime:
    cleaned = text.strip().replace("T", " ")
    try:
        moment = dt.datetime.strptime(cleaned, "%Y-%m-%d %H:%M")
    except ValueError:
        raise InvalidValue(
            f"{text.strip()!r} is not a date and time like 2026-12-03 09:30"
        ) from None
    return moment.replace(tzinfo=_zone(zone))


def _whole_number(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise InvalidValue(f"give a whole number from {low} to {high}") from None
        if not low <= value <= high:
            raise InvalidValue(f"must be {low}-{high}, got {value}")
        return value

    return parse


def _optional_number(text: str) -> float | None:
    if not text.strip():
        return None
    try:
        value = float(text.strip())
    except ValueError:
        raise InvalidValue("give a number of GB, or leave it empty") from None
    if value < 0:
        raise InvalidValue("must be 0 or more")
    return value


def _hours(text: str) -> float:
    if not text.strip():
        return 0.0
    try:
        value = float(text.strip())
    except ValueError:
        raise InvalidValue("give hours a day, e.g. 1.5") from None
    if not 0 <= value <= 24:
        raise InvalidValue("must be 0-24 hours a day")
    return value


def _backup_choice(old: Any) -> str | None:
    return {True: "yes", False: "no", answers_mod.NOT_APPLICABLE: "not replacing any"}.get(old)


def _backup_value(choice: str) -> bool | str:
    return {"yes": True, "no": False}.get(choice, answers_mod.NOT_APPLICABLE)


def _crosses_time_zones(doc: Doc) -> bool:
    """Ask about airplane-mode schedules unless the trip surely stays in one offset."""
    trip = doc.get("trip", {})
    departure = trip.get("departure")
    if not isinstance(departure, dt.datetime) or not trip.get("home"):
        return True
    if departure.tzinfo is None:
        try:
            departure = departure.replace(tzinfo=_zone(trip.get("timezone", "")))
        except InvalidValue:
            return True
    return answers_mod.trip_crosses_time_zones(
        trip["home"], trip.get("destinations", []), departure
    )


def _zone(name: str) -> dt.tzinfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo(places.validate_timezone(name))
