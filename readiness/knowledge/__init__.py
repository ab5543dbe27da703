"""The knowledge file: its values (model) and how a file is loaded and validated (load)."""

from __future__ import annotations

from readiness.knowledge.load import (
    default_data_path,
    from_document,
    load,
)
from readiness.knowledge.model import (
    CAPABILITY_KEYS,
    KIND_KEYS,
    LIMIT_KEYS,
    PRIORITIES,
    SCHEMA,
    SETUP_ROLES,
    Activity,
    Capability,
    CatalogueEntry,
    ChecklistItem,
    Knowledge,
    Limits,
    MatrixRow,
    Placement,
    Procedure,
    Rule,
    SetupProcedure,
    SetupStep,
    normalise_model,
)

__all__ = [
    "CAPABILITY_KEYS",
    "KIND_KEYS",
    "LIMIT_KEYS",
    "PRIORITIES",
    "SCHEMA",
    "SETUP_ROLES",
    "Activity",
    "Capability",
    "CatalogueEntry",
    "ChecklistItem",
    "Knowledge",
    "Limits",
    "MatrixRow",
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
