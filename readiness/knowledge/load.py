"""Loading and validating a knowledge file.

The facts live in ``data/compatibility.toml``; this module only checks that a
data file is complete and well typed, and turns it into frozen values. A
provider can ship another data file (``--data``): it gets the same checks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import replace
from functools import cache, partial
from pathlib import Path
from typing import Any

from readiness import versions
from readiness.errors import InputError
from readiness.fields import Fields
from readiness.files import parse_toml, read_text
from readiness.knowledge.imei import load_imei
from readiness.knowledge.model import (
    CAPABILITY_KEYS,
    KIND_KEYS,
    LIMIT_KEYS,
    NOTE_KINDS,
    PRIORITIES,
    PROCEDURE_KINDS,
    SCHEMA,
    SETUP_ROLES,
    Activity,
    Capability,
    CatalogueEntry,
    ChecklistItem,
    Knowledge,
    Limits,
    MatrixRow,
    Note,
    Procedure,
    Rule,
    SetupProcedure,
    SetupStep,
    normalise_model,
)


@cache
def default_data_path() -> Path:
    """The data file inside the installed package, or the repository's in a checkout."""
    here = Path(__file__).resolve().parent.parent
    shipped = here / "data" / "compatibility.toml"
    return shipped if shipped.is_file() else here.parent / "data" / "compatibility.toml"


def load(path: Path | None = None, check_ids: Collection[str] = ()) -> Knowledge:
    """Load and validate a data file (the shipped one by default).

    ``check_ids`` are the checks the engine runs: each needs a fix hint, and the
    checklists may only name them. (The engine passes them in: this module does
    not import the engine.)
    """
    path = path or default_data_path()
    text = read_text(path, "data file")
    if not text.strip():
        raise InputError.single(str(path), "", "is empty; expected a TOML data file")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return from_document(parse_toml(text, str(path)), str(path), text, digest, check_ids)


def from_document(
    doc: Mapping[str, Any],
    source: str,
    text: str = "",
    sha256: str = "",
    check_ids: Collection[str] = (),
) -> Knowledge:
    f = Fields(source, text)
    allowed = (
        "schema",
        "version",
        "as_of",
        "sources",
        "limits",
        "os_minimums",
        "kinds",
        "capabilities",
        "matrix",
        "rules",
        "catalogue",
        "setup",
        "predeparture",
        "activities",
        "troubleshooting",
        "fixes",
        "setup_procedures",
        "recheck",
        "questions",
        "windows_releases",
        "contents",
        "notes",
        "habits",
        "imei",
    )
    f.unknown_keys(doc, allowed, "")
    schema = f.take(doc, "schema", "", int)
    if schema is not None and schema != SCHEMA:
        f.problem("schema", f"this version of readiness reads schema {SCHEMA}, got {schema}")
    version = f.take(doc, "version", "", str, default="")
    as_of = f.take(doc, "as_of", "", dt.date, default=dt.date.min)

    limits_doc = f.table(doc, "limits")
    limit_values = {k: f.take(limits_doc, k, "limits", int, default=0) for k in LIMIT_KEYS}
    for key, value in limit_values.items():
        # Only a value that was a whole number: a wrong type is already reported.
        if type(limits_doc.get(key)) is int and value <= 0:
            f.problem(f"limits.{key}", f"must be positive, got {value}")
    if not 0 <= limit_values["min_battery_percent"] <= 100:
        f.problem("limits.min_battery_percent", "must be 0-100")
    limits = Limits(**limit_values)

    releases = _windows_releases(f, doc)
    minimums_doc = f.table(doc, "os_minimums")
    minimums: dict[str, str] = {}
    read = partial(versions.parse_version, releases=releases)
    for family, value in minimums_doc.items():
        if family == "source":
            continue
        path = f"os_minimums.{family}"
        if family not in versions.FAMILIES:
            f.problem(path, f"unknown OS family; expected one of: {', '.join(versions.FAMILIES)}")
        elif not isinstance(value, str):
            f.problem(path, "must be a string")
        elif f.convert(path, value, partial(read, family=family)):
            minimums[family] = value

    kinds_doc = f.table(doc, "kinds")
    wifi_kinds: set[str] = set()
    for kind in KIND_KEYS:
        kind_doc = f.table(kinds_doc, kind, "kinds")
        if f.take(kind_doc, "wifi_calling", f"kinds.{kind}", bool, default=False):
            wifi_kinds.add(kind)
    f.unknown_keys(kinds_doc, KIND_KEYS, "kinds")

    caps_doc = f.table(doc, "capabilities")
    capabilities = []
    for key in CAPABILITY_KEYS:
        cap = f.table(caps_doc, key, "capabilities")
        name = f.take(cap, "name", f"capabilities.{key}", str, default=key)
        ok = f.take(cap, "ok", f"capabilities.{key}", list, default=[])
        capabilities.append(Capability(key, name, tuple(str(v) for v in ok)))

    matrix = _matrix(f, doc)
    row_ids = {r.id for r in matrix}
    rules = _rules(f, doc, row_ids)
    catalogue = _catalogue(f, doc, row_ids)
    contents = f.table(doc, "contents")
    setup = _checklist(f, doc, "setup", _count(f, contents, "setup_items"))
    predeparture = _checklist(f, doc, "predeparture", _count(f, contents, "predeparture_items"))
    activities = _activities(f, doc)
    troubleshooting = _troubleshooting(f, doc, limits)
    _require_ids(f, "troubleshooting", troubleshooting, _ids(f, contents, "troubleshooting"))
    setup_procedures = _setup_procedures(f, doc)
    if "setup_procedures" in doc:
        required = _ids(f, contents, "setup_procedures")
        _require_ids(f, "setup_procedures", setup_procedures, required)
    f.unknown_keys(
        contents,
        ("source", "setup_items", "predeparture_items", "setup_procedures", "troubleshooting"),
        "contents",
    )
    recheck = f.table(doc, "recheck")
    f.unknown_keys(recheck, ("assumption", "window_hours", "ask_again"), "recheck")
    f.take(recheck, "assumption", "recheck", str, required=False)
    window = f.take(recheck, "window_hours", "recheck", int, default=0)
    if type(recheck.get("window_hours")) is int and window <= 0:
        f.problem("recheck.window_hours", f"must be positive, got {window}")
    ask_again = _answer_keys(f, recheck, "ask_again", "recheck", dotted=False)
    questions = f.table(doc, "questions")
    f.unknown_keys(questions, ("assumption", "optional"), "questions")
    f.take(questions, "assumption", "questions", str, required=False)
    optional = _answer_keys(f, questions, "optional", "questions", dotted=True)
    fixes = _fixes(f, doc, troubleshooting, limits)
    if check_ids:
        _against_checks(f, fixes, (*setup, *predeparture), check_ids)
    f.raise_if_any()

    knowledge = Knowledge(
        source=source,
        sha256=sha256,
        version=version,
        as_of=as_of,
        limits=limits,
        os_minimums=minimums,
        wifi_calling_kinds=frozenset(wifi_kinds),
        capabilities=tuple(capabilities),
        matrix=matrix,
        rules=rules,
        catalogue=(),
        setup=setup,
        predeparture=predeparture,
        activities=activities,
        troubleshooting=troubleshooting,
        fixes=fixes,
        setup_procedures=setup_procedures,
        windows_releases=releases,
        recheck_window_hours=window,
        time_sensitive_answers=ask_again,
        optional_answers=frozenset(optional),
        notes=_notes(f, doc),
        habits=_habits(f, doc),
        imei=load_imei(f, doc),
    )
    # Catalogue entries without an explicit row take the row the rules give them,
    # so the catalogue and the rules can never disagree.
    placed = []
    for path, entry in catalogue:
        if entry.row == "?":
            entry = CatalogueEntry(
                entry.name, entry.os, entry.kind, _rule_row(rules, entry.name, f, path)
            )
        placed.append(entry)
    f.raise_if_any()
    by_name = {normalise_model(e.name): e for e in placed}
    return replace(knowledge, catalogue=tuple(placed), _by_name=by_name)


def _matrix(f: Fields, doc: Mapping[str, Any]) -> tuple[MatrixRow, ...]:
    rows = []
    seen: set[str] = set()
    for path, item in f.tables(doc, "matrix"):
        f.unknown_keys(item, ("id", "name", "kind", "os", *CAPABILITY_KEYS), path)
        values = {
            k: f.take(item, k, path, str, default="")
            for k in ("id", "name", "kind", "os", *CAPABILITY_KEYS)
        }
        if values["id"] in seen:
            f.problem(f"{path}.id", f"duplicate row id {values['id']!r}")
        seen.add(values["id"])
        if values["kind"] and values["kind"] not in KIND_KEYS:
            f.problem(f"{path}.kind", f"must be one of: {', '.join(KIND_KEYS)}")
        if values["os"] and values["os"] not in versions.FAMILIES:
            f.problem(f"{path}.os", f"must be one of: {', '.join(versions.FAMILIES)}")
        rows.append(MatrixRow(**values))
    if not rows:
        f.problem("matrix", "needs at least one row")
    return tuple(rows)


def _rules(f: Fields, doc: Mapping[str, Any], row_ids: set[str]) -> tuple[Rule, ...]:
    rules = []
    for path, item in f.tables(doc, "rules"):
        f.unknown_keys(item, ("pattern", "row", "min", "max", "note"), path)
        pattern = f.take(item, "pattern", path, str, default="")
        row = f.take(item, "row", path, str, default="")
        lo = f.take(item, "min", path, int, required=False)
        hi = f.take(item, "max", path, int, required=False)
        if row and row not in row_ids:
            f.problem(f"{path}.row", f"no matrix row has id {row!r}")
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            f.problem(f"{path}.pattern", f"not a valid regular expression: {exc}")
            continue
        if (lo is not None or hi is not None) and "n" not in compiled.groupindex:
            f.problem(f"{path}.pattern", "min/max need a (?P<n>...) group")
        rules.append(Rule(compiled, row, lo, hi))
    return tuple(rules)


def _catalogue(
    f: Fields, doc: Mapping[str, Any], row_ids: set[str]
) -> list[tuple[str, CatalogueEntry]]:
    entries = []
    for path, item in f.tables(doc, "catalogue"):
        f.unknown_keys(item, ("os", "kind", "row", "names"), path)
        family = f.take(item, "os", path, str, default="")
        kind = f.take(item, "kind", path, str, default="")
        row = f.take(item, "row", path, str, required=False, default="?")
        names = f.take(item, "names", path, list, default=[])
        if family and family not in versions.FAMILIES:
            f.problem(f"{path}.os", f"must be one of: {', '.join(versions.FAMILIES)}")
        if kind and kind not in KIND_KEYS:
            f.problem(f"{path}.kind", f"must be one of: {', '.join(KIND_KEYS)}")
        if row not in ("?", "") and row not in row_ids:
            f.problem(f"{path}.row", f"no matrix row has id {row!r}")
        for index, name in enumerate(names, start=1):
            if isinstance(name, str) and name.strip():
                entries.append((f"{path}.names[{index}]", CatalogueEntry(name, family, kind, row)))
            else:
                f.problem(f"{path}.names[{index}]", "must be a model name")
    return entries


def _rule_row(rules: tuple[Rule, ...], name: str, f: Fields, path: str) -> str:
    normal = normalise_model(name)
    for rule in rules:
        if rule.matches(normal):
            return rule.row
    f.problem(path, f"no rule places {name!r}; give the entry an explicit row")
    return ""


def _checklist(
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


def _activities(f: Fields, doc: Mapping[str, Any]) -> tuple[Activity, ...]:
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


def _fixes(
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


def _against_checks(
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


def _troubleshooting(f: Fields, doc: Mapping[str, Any], limits: Limits) -> dict[str, Procedure]:
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


def _count(f: Fields, contents: Mapping[str, Any], key: str) -> int | None:
    """How many items the guide lists, as the data file declares it."""
    count = f.take(contents, key, "contents", int, default=None)
    if count is not None and count <= 0:
        f.problem(f"contents.{key}", f"must be positive, got {count}")
        return None
    return count if isinstance(count, int) else None


def _ids(f: Fields, contents: Mapping[str, Any], key: str) -> tuple[str, ...]:
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


def _answer_keys(
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


def _windows_releases(f: Fields, doc: Mapping[str, Any]) -> versions.WindowsReleases:
    """Release names to builds; each build on the right side of Windows 11's first."""
    table = f.table(doc, "windows_releases")
    f.unknown_keys(table, ("source", "windows10", "windows11"), "windows_releases")
    rows: list[tuple[int, str, int]] = []
    for major in (10, 11):
        key = f"windows{major}"
        path = f"windows_releases.{key}"
        for name, build in f.table(table, key, "windows_releases").items():
            where = f"{path}.{name}"
            low, high = (
                (versions.FIRST_WINDOWS_10_BUILD, versions.FIRST_WINDOWS_11_BUILD - 1)
                if major == 10
                else (versions.FIRST_WINDOWS_11_BUILD, 99_999)
            )
            if not re.fullmatch(r"[0-9]{2}H[12]", name):
                f.problem(where, "must be a release name such as 24H2")
            elif type(build) is not int or not low <= build <= high:
                f.problem(where, f"must be a Windows {major} build, {low}-{high}")
            else:
                rows.append((major, name, build))
    return versions.WindowsReleases(tuple(rows))


def _notes(f: Fields, doc: Mapping[str, Any]) -> dict[str, Note]:
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


def _habits(f: Fields, doc: Mapping[str, Any]) -> tuple[str, ...]:
    """The guide's habits for staying current, shown at the end of the setup plan."""
    table = f.table(doc, "habits", required=False)
    f.unknown_keys(table, ("source", "items"), "habits")
    items = f.take(table, "items", "habits", list, required=False, default=[])
    if not all(isinstance(i, str) and i.strip() for i in items):
        f.problem("habits.items", "must be a list of sentences")
    return tuple(str(i) for i in items)


def _require_ids(f: Fields, key: str, found: Mapping[str, object], required: Iterable[str]) -> None:
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


def _setup_procedures(f: Fields, doc: Mapping[str, Any]) -> dict[str, SetupProcedure]:
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
