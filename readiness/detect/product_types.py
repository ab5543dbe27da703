"""Apple product types ("iPhone17,1") to model names ("iPhone 16 Pro").

An iPhone reports its ProductType, a Mac its ``hw.model``; people and the
compatibility matrix know the marketing name. The table is data
(``data/apple_product_types.toml``, shipped inside the wheel like the knowledge file),
read once with the project's TOML reader.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from readiness.errors import InputError
from readiness.files import read_toml

__all__ = ["default_table_path", "kind_of", "load_table", "model_name"]

FILE_NAME = "apple_product_types.toml"
_PRODUCT_TYPE = re.compile(r"[A-Za-z]+[0-9]+,[0-9]+")
_KINDS = (("iPhone", "phone"), ("iPad", "tablet"), ("Watch", "watch"))
_LAPTOPS = ("MacBook",)


def default_table_path() -> Path:
    """The table inside the installed package, or the repository's in a checkout."""
    package = Path(__file__).resolve().parent.parent
    shipped = package / "data" / FILE_NAME
    return shipped if shipped.is_file() else package.parent / "data" / FILE_NAME


def load_table(path: Path | None = None) -> Mapping[str, str]:
    """The ``[product_types]`` table; InputError naming the file and key if it is malformed."""
    path = path or default_table_path()
    _, doc = read_toml(path, "product type table")
    table = doc.get("product_types")
    if not isinstance(table, dict):
        raise InputError.single(str(path), "product_types", "missing, or not a table")
    for key, value in table.items():
        if not _PRODUCT_TYPE.fullmatch(key):
            raise InputError.single(str(path), f"product_types.{key}", "is not a product type")
        if not isinstance(value, str) or not value.strip():
            raise InputError.single(str(path), f"product_types.{key}", "needs a model name")
    return MappingProxyType(dict(table))


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
