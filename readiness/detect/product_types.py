"""Apple product types ("iPhone17,1") to model names ("iPhone 16 Pro").

An iPhone reports its ProductType, a Mac its ``hw.model``; people and the
compatibility matrix know the marketing name. The table is knowledge: the
``[product_types]`` section of ``data/compatibility.toml``, the same table model
resolution reads, so detection and the checks never disagree about a device.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path

from readiness import knowledge

__all__ = ["kind_of", "load_table", "model_name"]

_KINDS = (("iPhone", "phone"), ("iPad", "tablet"), ("Watch", "watch"))
_LAPTOPS = ("MacBook",)


def load_table(path: Path | None = None) -> Mapping[str, str]:
    """The data file's ``[product_types]`` (the shipped one by default), validated with it."""
    return knowledge.load(path).product_types


@functools.cache
def _shipped() -> Mapping[str, str]:
    return load_table()


def model_name(product_type: str, table: Mapping[str, str] | None = None) -> str | None:
    """The marketing name for ``product_type``, or None when the table does not list it."""
    return (table if table is not None else _shipped()).get(product_type.strip())


def kind_of(product_type: str, name: str = "") -> str:
    """phone / tablet / watch from the identifier; laptop or desktop for a Mac."""
    for prefix, kind in _KINDS:
        if product_type.startswith(prefix):
            return kind
    if product_type.startswith(_LAPTOPS) or name.startswith(_LAPTOPS):
        return "laptop"
    if product_type.startswith(("Mac", "iMac")):
        return "desktop"
    return "other"
