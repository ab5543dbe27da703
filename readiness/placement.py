"""How a model's place in the compatibility matrix is said, once.

The checks, the walk-through and `readiness matrix` all tell a person that a
model is not in the matrix; they say it with these words and suggest the same
catalogue names.
"""

from __future__ import annotations

from readiness.knowledge import Knowledge, Placement


def closest(knowledge: Knowledge, placement: Placement) -> list[str]:
    """Catalogue names close to an unplaced model; none for a catalogue name the table skips."""
    return [] if placement.catalogue_name else knowledge.closest_models(placement.model)


def unplaced(knowledge: Knowledge, placement: Placement) -> str:
    """'iPhone 15 is not in matrix (closest: ...); its eSIM support is unknown.'"""
    near = closest(knowledge, placement)
    hint = f" (closest: {', '.join(near)})" if near else ""
    return f"{placement.shown_as} is not in matrix{hint}; its eSIM support is unknown."
