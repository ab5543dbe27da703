"""The knowledge file: its values (model), how models find their row (catalogue), and how a
file is loaded and validated (load, sections)."""

from __future__ import annotations

from readiness.knowledge.catalogue import (
    Catalogue,
    CatalogueEntry,
    Placement,
    Rule,
    normalise_model,
)
from readiness.knowledge.load import (
    default_data_path,
    from_document,
    load,
)
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
    ChecklistItem,
    Knowledge,
    Limits,
    MatrixRow,
    Note,
    Procedure,
    SetupProcedure,
    SetupStep,
)

__all__ = [
    "CAPABILITY_KEYS",
    "KIND_KEYS",
    "LIMIT_KEYS",
    "NOTE_KINDS",
    "PRIORITIES",
    "PROCEDURE_KINDS",
    "SCHEMA",
    "SETUP_ROLES",
    "Activity",
    "Capability",
    "Catalogue",
    "CatalogueEntry",
    "ChecklistItem",
    "Knowledge",
    "Limits",
    "MatrixRow",
    "Note",
    "Placement",
    "Procedure",
    "Rule",
    "SetupProcedure",
    "SetupStep",
    "default_data_path",
    "from_document",
    "load",
    "normalise_model",
]
