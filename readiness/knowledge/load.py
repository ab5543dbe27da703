"""Loading and validating a knowledge file.

The facts live in ``data/compatibility.toml``; this module only checks that a
data file is complete and well typed, and turns it into frozen values. A
provider can ship another data file (``--data``): it gets the same checks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Collection, Mapping
from functools import cache, partial
from pathlib import Path
from typing import Any

from readiness import versions
from readiness.errors import InputError
from readiness.fields import Fields
from readiness.files import parse_toml, read_text
from readiness.knowledge import sections
from readiness.knowledge.catalogue import read_catalogue
from readiness.knowledge.imei import load_imei
from readiness.knowledge.model import (
    CAPABILITY_KEYS,
    KIND_KEYS,
    LIMIT_KEYS,
    SCHEMA,
    Capability,
    Knowledge,
    Limits,
    MatrixRow,
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
        "names",
        "product_types",
        "model_numbers",
        "codenames",
        "lines",
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
        "one_ui",
        "os_update_to",
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
    models = read_catalogue(f, doc, matrix, versions.FAMILIES)
    one_ui = _one_ui(f, doc)
    update_to = _update_to(f, doc)
    contents = f.table(doc, "contents")
    setup = sections.checklist(f, doc, "setup", sections.count(f, contents, "setup_items"))
    predeparture = sections.checklist(
        f, doc, "predeparture", sections.count(f, contents, "predeparture_items")
    )
    activities = sections.activities(f, doc)
    troubleshooting = sections.troubleshooting(f, doc, limits)
    sections.require_ids(
        f, "troubleshooting", troubleshooting, sections.ids(f, contents, "troubleshooting")
    )
    setup_procedures = sections.setup_procedures(f, doc)
    if "setup_procedures" in doc:
        required = sections.ids(f, contents, "setup_procedures")
        sections.require_ids(f, "setup_procedures", setup_procedures, required)
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
    ask_again = sections.answer_keys(f, recheck, "ask_again", "recheck", dotted=False)
    questions = f.table(doc, "questions")
    f.unknown_keys(questions, ("assumption", "optional"), "questions")
    f.take(questions, "assumption", "questions", str, required=False)
    optional = sections.answer_keys(f, questions, "optional", "questions", dotted=True)
    fixes = sections.fixes(f, doc, troubleshooting, limits)
    if check_ids:
        sections.against_checks(f, fixes, (*setup, *predeparture), check_ids)
    f.raise_if_any()

    return Knowledge(
        source=source,
        sha256=sha256,
        version=version,
        as_of=as_of,
        limits=limits,
        os_minimums=minimums,
        wifi_calling_kinds=frozenset(wifi_kinds),
        capabilities=tuple(capabilities),
        matrix=matrix,
        models=models,
        setup=setup,
        predeparture=predeparture,
        activities=activities,
        troubleshooting=troubleshooting,
        fixes=fixes,
        setup_procedures=setup_procedures,
        windows_releases=releases,
        one_ui=one_ui,
        os_update_to=update_to,
        recheck_window_hours=window,
        time_sensitive_answers=ask_again,
        optional_answers=frozenset(optional),
        notes=sections.notes(f, doc),
        habits=sections.habits(f, doc),
        imei=load_imei(f, doc),
    )


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


def _one_ui(f: Fields, doc: Mapping[str, Any]) -> versions.OneUiReleases:
    """One UI versions ("8.0") and the Android major each is built on."""
    table = f.table(doc, "one_ui")
    f.unknown_keys(table, ("source", "android"), "one_ui")
    rows = []
    for name, android in f.table(table, "android", "one_ui").items():
        where = f"one_ui.android.{name}"
        match = re.fullmatch(r"([0-9]+)\.([0-9]+)", name)
        if match is None:
            f.problem(where, "must be a One UI version such as 8.0")
        elif type(android) is not int or android <= 0:
            f.problem(where, "must be an Android major version")
        else:
            rows.append((int(match.group(1)), int(match.group(2)), android))
    return versions.OneUiReleases(tuple(rows))


def _update_to(f: Fields, doc: Mapping[str, Any]) -> dict[str, str]:
    """Per family, the release a person updates to, in words a device's updater offers."""
    table = f.table(doc, "os_update_to")
    out = {}
    for family, text in table.items():
        if family == "source":
            continue
        if family not in versions.FAMILIES:
            f.problem(f"os_update_to.{family}", "unknown OS family")
        elif not isinstance(text, str) or not text.strip():
            f.problem(f"os_update_to.{family}", "must be a release a person can install")
        else:
            out[family] = text
    return out
