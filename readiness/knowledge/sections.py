"""The data file's sections other than the matrix and the models: checklists,
activities, fix hints, troubleshooting and setup procedures, notes and habits.

Each reader checks one section and reports every problem through ``Fields``, so a
data file's mistakes are shown together, each with its key and line.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from readiness import versions
from readiness.fields import Fields
from readiness.knowledge.model import (
    KIND_KEYS,
    NOTE_KINDS,
    PRIORITIES,
    PROCEDURE_KINDS,
    SETUP_ROLES,
    Activity,
    ChecklistItem,
    Limits,
    Note,
    Procedure,
    SetupProcedure,
    SetupStep,
)


def checklist(
    f: Fields, doc: Mapping[str, Any], key: str, count: int | None
) -> tuple[ChecklistItem, ...]:
    """The items, as many as ``contents`` says the guide lists (None: not known)."""
    items = []
    for path, item in f.tables(doc, key):
        f.unknown_keys(item, ("id", "text", "check"), path)
        items.append(
            ChecklistItem(
                *(f.take(item, k, path, str, default="") for k in ("id", "text", "check"))
            )
        )
    if key in doc and count is not None and len(items) != count:
        f.problem(key, f"the guide lists {count} items, got {len(items)}")
    return tuple(items)


def activities(f: Fields, doc: Mapping[str, Any]) -> tuple[Activity, ...]:
    table = f.table(doc, "activities")
    out = []
    for path, item in f.tables(table, "rows"):
        path = f"activities.{path}"
        f.unknown_keys(
            item,
            (
                "id",
                "name",
                "per",
                "low_mb",
                "high_mb",
                "devices",
                "priority",
                "limits",
                "varies",
                "wifi_preferred",
            ),
            path,
        )
        per = f.take(item, "per", path, str, default="day")
        if per not in ("day", "hour"):
            f.problem(f"{path}.per", "must be 'day' or 'hour'")
        priority = f.take(item, "priority", path, str, default="standard")
        if priority not in PRIORITIES:
            f.problem(f"{path}.priority", f"must be one of: {', '.join(PRIORITIES)}")
        varies = f.take(item, "varies", path, bool, required=False, default=False)
        low = f.take(item, "low_mb", path, int, required=not varies)
        high = f.take(item, "high_mb", path, int, required=not varies)
        if low is not None and high is not None and low > high:
            f.problem(f"{path}.low_mb", "must not be above high_mb")
        out.append(
            Activity(
                id=f.take(item, "id", path, str, default=""),
                name=f.take(item, "name", path, str, default=""),
                per=per,
                low_mb=low,
                high_mb=high,
                devices=tuple(f.take(item, "devices", path, list, default=[])),
                priority=priority,
                limits=f.take(item, "limits", path, bool, required=False, default=False),
                varies=varies,
                wifi_preferred=f.take(
                    item, "wifi_preferred", path, bool, required=False, default=False
                ),
            )
        )
    return tuple(out)


def fixes(
    f: Fields, doc: Mapping[str, Any], procedures: Mapping[str, Procedure], limits: Limits
) -> dict[str, str]:
    """Fix hints: a sentence, or a table whose ``steps`` cite the guide's troubleshooting.

    A cited step ("wont-join.2") is appended word for word, so a hint says what
    the guide says to do.
    """
    fixes: dict[str, str] = {}
    for key, value in f.table(doc, "fixes").items():
        path = f"fixes.{key}"
        if isinstance(value, str):
            fixes[key] = value
            continue
        if not isinstance(value, dict):
            f.problem(path, "must be a string or a table with text and steps")
            continue
        f.unknown_keys(value, ("text", "steps"), path)
        parts = [f.take(value, "text", path, str, required=False, default="")]
        for index, ref in enumerate(f.take(value, "steps", path, list, default=[]), start=1):
            procedure, _, number = str(ref).partition(".")
            steps = procedures[procedure].steps if procedure in procedures else ()
            if not number.isdigit() or not 1 <= int(number) <= len(steps):
                f.problem(f"{path}.steps[{index}]", f"no troubleshooting step {ref!r}")
            else:
                parts.append(steps[int(number) - 1])
        fixes[key] = " ".join(p for p in parts if p)
    # Filled in once here, not per result: a big family repeats each hint many times.
    for key, text in fixes.items():
        fixes[key] = _filled(f, f"fixes.{key}", text, limits)
    return fixes


def _filled(f: Fields, path: str, text: str, limits: Limits) -> str:
    """``text`` with the guide's numbers from [limits] filled in, so no sentence types one."""
    values = {
        "min_battery": limits.min_battery_percent,
        "hours": limits.predeparture_hours,
        "max_devices": limits.max_devices,
        "restricted_max": limits.restricted_destination_max_devices,
        "wait_seconds": limits.registration_wait_seconds,
    }
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError) as exc:
        names = ", ".join("{" + v + "}" for v in values)
        f.problem(path, f"unknown placeholder {exc}; use one of: {names}")
        return text


def against_checks(
    f: Fields, fixes: Mapping[str, str], items: Iterable[ChecklistItem], check_ids: Collection[str]
) -> None:
    for check_id in check_ids:
        if check_id not in fixes:
            f.problem(f"fixes.{check_id}", "missing: every check needs a fix hint")
    for key in fixes:
        if key.partition(".")[0] not in check_ids:
            f.problem(f"fixes.{key}", "no check has this id")
    for item in items:
        if item.check not in check_ids:
            f.problem(f"{item.id}.check", f"no check has the id {item.check!r}")


def troubleshooting(f: Fields, doc: Mapping[str, Any], limits: Limits) -> dict[str, Procedure]:
    table = f.table(doc, "troubleshooting")
    out = {}
    for key, item in table.items():
        path = f"troubleshooting.{key}"
        if not isinstance(item, dict):
            f.problem(path, "must be a table")
            continue
        f.unknown_keys(item, ("title", "cause", "steps", "symptom", "kind", "fallback"), path)
        steps = f.take(item, "steps", path, list, default=[])
        if not steps or not all(isinstance(s, str) and s for s in steps):
            f.problem(f"{path}.steps", "must be a non-empty list of steps")
        kind = f.take(item, "kind", path, str, required=False, default="steps")
        if kind not in PROCEDURE_KINDS:
            f.problem(f"{path}.kind", f"must be one of: {', '.join(PROCEDURE_KINDS)}")
        fallback = f.take(item, "fallback", path, str, required=kind == "conditions", default="")
        if fallback and kind != "conditions":
            f.problem(f"{path}.fallback", 'only a procedure of kind = "conditions" has one')
        out[key] = Procedure(
            key,
            f.take(item, "title", path, str, default=key),
            tuple(_filled(f, f"{path}.steps", str(s), limits) for s in steps),
            symptom=f.take(item, "symptom", path, str, required=False, default=""),
            cause=f.take(item, "cause", path, str, required=False, default=""),
            kind=kind,
            fallback=fallback,
        )
    return out


def count(f: Fields, contents: Mapping[str, Any], key: str) -> int | None:
    """How many items the guide lists, as the data file declares it."""
    count = f.take(contents, key, "contents", int, default=None)
    if count is not None and count <= 0:
        f.problem(f"contents.{key}", f"must be positive, got {count}")
        return None
    return count if isinstance(count, int) else None


def ids(f: Fields, contents: Mapping[str, Any], key: str) -> tuple[str, ...]:
    """The procedure ids the guide has, which the data file must then hold."""
    ids = f.take(contents, key, "contents", list, default=[])
    out = []
    for index, value in enumerate(ids, start=1):
        if isinstance(value, str) and value:
            out.append(value)
        else:
            f.problem(f"contents.{key}[{index}]", "must be a procedure id")
    return tuple(out)


_ANSWER_KEY = re.compile(r"[a-z][a-z0-9_]*")


def answer_keys(
    f: Fields, table: Mapping[str, Any], key: str, path: str, *, dotted: bool
) -> tuple[str, ...]:
    """Answer keys: "table.key" when ``dotted``, else a device or checklist key."""
    out: list[str] = []
    shape = '"table.key"' if dotted else "an answer key"
    for index, value in enumerate(f.take(table, key, path, list, default=[]), start=1):
        parts = value.split(".") if isinstance(value, str) else []
        if len(parts) != (2 if dotted else 1) or not all(map(_ANSWER_KEY.fullmatch, parts)):
            f.problem(f"{path}.{key}[{index}]", f"must be {shape}, got {value!r}")
        elif value in out:
            f.problem(f"{path}.{key}[{index}]", f"{value!r} is listed twice")
        else:
            out.append(value)
    return tuple(out)


def notes(f: Fields, doc: Mapping[str, Any]) -> dict[str, Note]:
    """Our assumptions and the guide's own caveats, each marked by ``kind``."""
    out = {}
    for key, item in f.table(doc, "notes", required=False).items():
        path = f"notes.{key}"
        if not isinstance(item, dict):
            f.problem(path, "must be a table with kind and text")
            continue
        f.unknown_keys(item, ("kind", "text", "source"), path)
        kind = f.take(item, "kind", path, str, default="")
        if isinstance(item.get("kind"), str) and kind not in NOTE_KINDS:
            f.problem(f"{path}.kind", f"must be one of: {', '.join(NOTE_KINDS)}")
        out[key] = Note(key, kind, f.take(item, "text", path, str, default=""))
    return out


def habits(f: Fields, doc: Mapping[str, Any]) -> tuple[str, ...]:
    """The guide's habits for staying current, shown at the end of the setup plan."""
    table = f.table(doc, "habits", required=False)
    f.unknown_keys(table, ("source", "items"), "habits")
    items = f.take(table, "items", "habits", list, required=False, default=[])
    if not all(isinstance(i, str) and i.strip() for i in items):
        f.problem("habits.items", "must be a list of sentences")
    return tuple(str(i) for i in items)


def require_ids(f: Fields, key: str, found: Mapping[str, object], required: Iterable[str]) -> None:
    for name in required:
        if name not in found:
            f.problem(f"{key}.{name}", "missing")


def _names(
    f: Fields, table: Mapping[str, Any], key: str, path: str, allowed: Iterable[str]
) -> tuple[str, ...]:
    """An optional list of names, each one of ``allowed``."""
    choices = tuple(allowed)
    out = []
    for index, value in enumerate(f.take(table, key, path, list, required=False, default=[]), 1):
        if isinstance(value, str) and value in choices:
            out.append(value)
        else:
            f.problem(f"{path}.{key}[{index}]", f"must be one of: {', '.join(choices)}")
    return tuple(out)


def setup_procedures(f: Fields, doc: Mapping[str, Any]) -> dict[str, SetupProcedure]:
    """The guide's configuration procedures: who each is for, and its steps in order."""
    table = f.table(doc, "setup_procedures")
    out: dict[str, SetupProcedure] = {}
    for key, item in table.items():
        path = f"setup_procedures.{key}"
        if not isinstance(item, dict):
            f.problem(path, "must be a table")
            continue
        f.unknown_keys(
            item, ("title", "source", "role", "kinds", "os", "about", "companions", "steps"), path
        )
        role = f.take(item, "role", path, str, default="")
        if isinstance(item.get("role"), str) and role not in SETUP_ROLES:
            f.problem(f"{path}.role", f"must be one of: {', '.join(SETUP_ROLES)}")
        companions: dict[str, str] = {}
        for watch, phone in f.table(item, "companions", path, required=False).items():
            if watch not in versions.FAMILIES or phone not in versions.FAMILIES:
                f.problem(
                    f"{path}.companions.{watch}",
                    f"must pair OS families, each one of: {', '.join(versions.FAMILIES)}",
                )
            else:
                companions[watch] = phone
        out[key] = SetupProcedure(
            id=key,
            title=f.take(item, "title", path, str, default=key),
            role=role,
            kinds=_names(f, item, "kinds", path, KIND_KEYS),
            os=_names(f, item, "os", path, versions.FAMILIES),
            steps=_setup_steps(f, item, path),
            about=f.take(item, "about", path, str, required=False, default=""),
            companions=companions,
        )
    return out


def _setup_steps(f: Fields, item: Mapping[str, Any], path: str) -> tuple[SetupStep, ...]:
    """Steps are sentences, or tables with ``text`` narrowed by ``kinds`` / ``os``."""
    raw = f.take(item, "steps", path, list, default=[])
    if "steps" in item and isinstance(item["steps"], list) and not raw:
        f.problem(f"{path}.steps", "must be a non-empty list of steps")
    steps = []
    for index, step in enumerate(raw, start=1):
        where = f"{path}.steps[{index}]"
        if isinstance(step, str) and step.strip():
            steps.append(SetupStep(step))
        elif isinstance(step, dict):
            f.unknown_keys(step, ("text", "kinds", "os"), where)
            text = f.take(step, "text", where, str, default="")
            if isinstance(step.get("text"), str) and not text.strip():
                f.problem(f"{where}.text", "must not be empty")
            kinds = _names(f, step, "kinds", where, KIND_KEYS)
            families = _names(f, step, "os", where, versions.FAMILIES)
            steps.append(SetupStep(text, kinds, families))
        else:
            f.problem(where, "must be a step: a sentence, or a table with text (and kinds, os)")
    return tuple(steps)
