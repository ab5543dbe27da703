"""Model resolution: how a name, model number or identifier finds its matrix row.

People, shops, MDM exports and the devices themselves name one model many ways
("SM-S921B", "iPhone17,1", "iPhone 15 Pro (256 GB Natural Titanium)"). The tables
that turn identifiers into names and the rules that place names are data; this
module reads one string the same way for every caller and never guesses: a name
no rule places has no row.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from readiness.fields import Fields
from readiness.knowledge.lines import Line, line_of, read_lines
from readiness.knowledge.model import KIND_KEYS, MatrixRow

__all__ = [
    "Catalogue",
    "CatalogueEntry",
    "Names",
    "Placement",
    "Reading",
    "Rule",
    "normalise_model",
    "read_catalogue",
]


@dataclass(frozen=True)
class Rule:
    """A pattern that places normalised names in a matrix row (or in none).

    ``min``/``max`` bound the generation captured as ``n``; ``needs`` is a
    connectivity word the name must state ("5 g"); ``no_esim`` says why models it
    matches have no eSIM at all. ``os``/``kind`` say what a row-less line runs.
    """

    pattern: re.Pattern[str]
    row: str
    min: int | None = None
    max: int | None = None
    os: str = ""
    kind: str = ""
    needs: str = ""
    no_esim: str = ""

    def matches(self, normal: str, words: frozenset[str] = frozenset()) -> bool:
        m = self.pattern.match(normal)
        if m is None or (self.needs and self.needs not in words):
            return False
        generation = m.groupdict().get("n")
        if generation is None:
            return self.min is None and self.max is None
        n = int(generation)
        return (self.min is None or n >= self.min) and (self.max is None or n <= self.max)


@dataclass(frozen=True)
class CatalogueEntry:
    """A model the data file names outright, with its OS and kind."""

    name: str
    os: str
    kind: str
    row: str


@dataclass(frozen=True)
class Placement:
    """Where a model lands: its matrix row (or none) and what we know of it.

    ``read_as`` is the name an identifier or model number stands for ("" when the
    text was a name already); ``no_esim`` says why the model has no eSIM at all
    ("" when it has one or we do not know).
    """

    model: str
    row: MatrixRow | None
    os: str | None
    kind: str | None
    catalogue_name: str | None
    read_as: str = ""
    no_esim: str = ""

    @property
    def shown_as(self) -> str:
        """ "SM-S921B: Samsung Galaxy S24" when the text was an identifier, else the text."""
        return f"{self.model}: {self.read_as}" if self.read_as else self.model


@dataclass(frozen=True)
class Names:
    """The words of model names the data file lists: brands, aliases, connectivity."""

    brands: frozenset[str] = frozenset()
    aliases: Mapping[str, str] = field(default_factory=dict)
    cellular: tuple[str, ...] = ()
    # A word saying the model has no cellular radio -> how to say it ("Wi-Fi-only").
    no_cellular: Mapping[str, str] = field(default_factory=dict)
    # Device kinds whose models come with and without a cellular radio.
    radio_kinds: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Reading:
    """A name as matching sees it: the words left, and the connectivity words taken out."""

    normal: str
    words: frozenset[str]

    @property
    def key(self) -> str:
        """The catalogue's key: "Surface Pro 11 5G" and "Surface Pro 11" are two models."""
        return " ".join((self.normal, *sorted(self.words)))


_PRODUCT_TYPE = re.compile(r"([A-Za-z]+)[0-9]+,[0-9]+")
_SAMSUNG = re.compile(r"(SM-[A-Z][0-9]{3}|SC-[0-9]{2}[A-Z]|SC[GT][0-9]{2})[A-Z0-9]*")
_LABEL = re.compile(
    r"^\s*(?:system model|model(?: name| number)?|product ?type|hw\.model)\s*[:=]\s*", re.I
)
_DATES = re.compile(
    r"\b(?:(?:19|20)[0-9]{2}|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|early|mid|late)\b"
)
_UNITS = ("gb", "tb", "mm")
# An identifier's prefix says which OS it runs, even when the table does not list it.
_PREFIX_FAMILY = {
    "iPhone": ("ios", "phone"),
    "iPad": ("ipados", "tablet"),
    "Watch": ("watchos", "watch"),
    "MacBookAir": ("macos", "laptop"),
    "MacBookPro": ("macos", "laptop"),
    "Mac": ("macos", ""),
}


def normalise_model(name: str) -> str:
    """One spelling per model: lower case, "(M4, 2025)" without its date, "inch", letters
    apart from digits ("watch6" -> "watch 6", "s24" -> "s 24"), ordinals as "gen N".

    >>> normalise_model("MacBook Air (13-inch, M4, 2025)")
    'macbook air 13 inch m 4'
    >>> normalise_model("iPhone16 Pro")
    'iphone 16 pro'
    """
    text = unicodedata.normalize("NFKC", name).lower()
    text = re.sub(r"\(([^()]*)\)", lambda m: f" {_DATES.sub(' ', m.group(1))} ", text)
    text = text.replace("+", " plus ")
    text = re.sub(r"([0-9]+(?:\.[0-9]+)?)\s*(?:-?\s*inch\b|[\"”″])", r"\1 inch ", text)
    text = re.sub(r"([0-9]+)\s*(?:st|nd|rd|th)\s+(?:generation|gen|edition)\b", r"gen \1", text)
    text = re.sub(r"[^a-z0-9. ]+", " ", text)
    text = re.sub(r"(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])", " ", text)
    text = re.sub(r"(?<![0-9])\.|\.(?![0-9])", " ", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class Catalogue:
    """Everything that resolves a model: identifier tables, name words, rules, catalogue."""

    matrix: tuple[MatrixRow, ...]
    rules: tuple[Rule, ...]
    entries: tuple[CatalogueEntry, ...] = ()
    names: Names = Names()
    product_types: Mapping[str, str] = field(default_factory=dict)
    model_numbers: Mapping[str, str] = field(default_factory=dict)
    codenames: Mapping[str, str] = field(default_factory=dict)
    lines: tuple[Line, ...] = ()
    _by_name: Mapping[str, CatalogueEntry] = field(default_factory=dict, repr=False)
    # Families bring the same few model names over and over: place each once.
    _placed: dict[str, Placement] = field(default_factory=dict, repr=False, compare=False)

    def with_entries(self, entries: tuple[CatalogueEntry, ...]) -> Catalogue:
        by_name = {self.read(e.name).key: e for e in entries}
        return Catalogue(
            self.matrix,
            self.rules,
            entries,
            self.names,
            self.product_types,
            self.model_numbers,
            self.codenames,
            self.lines,
            by_name,
        )

    def row(self, row_id: str) -> MatrixRow | None:
        return next((r for r in self.matrix if r.id == row_id), None)

    def read(self, name: str) -> Reading:
        """The name's words without brand, connectivity, capacity or case size."""
        text = f" {normalise_model(name)} "
        found = set()
        for word in sorted((*self.names.cellular, *self.names.no_cellular), key=len, reverse=True):
            if f" {word} " in text:
                found.add(word)
                text = text.replace(f" {word} ", " ")
        words = text.split()
        cut = next(
            (i for i in range(len(words) - 1) if words[i].isdigit() and words[i + 1] in _UNITS),
            len(words),
        )
        words = words[:cut]
        while words and words[0] in self.names.brands:
            words = words[1:]
        if words and words[0] in self.names.aliases:
            words = [*self.names.aliases[words[0]].split(), *words[1:]]
        return Reading(" ".join(words), frozenset(found))

    def identify(self, model: str) -> tuple[str, tuple[str, str] | None]:
        """The name an identifier, model number or codename stands for ("" if none), and
        for an identifier the tables do not list, the (OS, kind) its prefix says."""
        text = _LABEL.sub("", model).strip()
        if m := _PRODUCT_TYPE.fullmatch(text):
            name = self.product_types.get(text, "")
            return name, None if name else _PREFIX_FAMILY.get(m.group(1))
        if (number := _samsung(text)) is not None:
            return self.model_numbers.get(number, ""), None
        return self.codenames.get(text.lower(), ""), None

    def place(self, model: str) -> Placement:
        """Find a model's matrix row, never guessing: no match means no row."""
        placed = self._placed.get(model)
        if placed is None:
            placed = self._placed[model] = self._place(model)
        return placed

    def _place(self, model: str) -> Placement:
        read_as, prefix = self.identify(model)
        if prefix is not None:
            family, kind = prefix
            return Placement(model, None, family, kind or None, None)
        reading = self.read(read_as or _LABEL.sub("", model))
        entry = self._by_name.get(reading.key)
        rule = next((r for r in self.rules if r.matches(reading.normal, reading.words)), None)
        if entry is None and rule is None:
            return Placement(model, None, None, None, None, read_as)
        row = self.row(entry.row if entry else rule.row if rule else "")
        no_esim = rule.no_esim if rule and row is None else ""
        if entry is not None:
            placed = Placement(model, row, entry.os, entry.kind, entry.name, read_as, no_esim)
        else:
            os_name = (row.os if row else "") or (rule.os if rule else "")
            kind_name = (row.kind if row else "") or (rule.kind if rule else "")
            placed = Placement(
                model, row, os_name or None, kind_name or None, None, read_as, no_esim
            )
        return self._radio(placed, reading)

    def _radio(self, placed: Placement, reading: Reading) -> Placement:
        """A tablet or watch the name says has no cellular radio has no eSIM either."""
        if placed.kind not in self.names.radio_kinds or reading.words & set(self.names.cellular):
            return placed
        without = sorted(w for w in reading.words if w in self.names.no_cellular)
        if not without:
            return placed
        reason = f"the {self.names.no_cellular[without[0]]} model has no cellular radio"
        return Placement(
            placed.model, None, placed.os, placed.kind, placed.catalogue_name,
            placed.read_as, reason,
        )  # fmt: skip

    def line(self, model: str) -> Line | None:
        """The product line a model belongs to, from its name; for an identifier the
        tables do not list ("SM-X720B"), the line of the listed ones sharing its prefix."""
        read_as, _ = self.identify(model)
        text = read_as or _LABEL.sub("", model).strip()
        neighbours = None if read_as else self._neighbours(text)
        if neighbours is None:
            return line_of(self.lines, self.read(text).normal)
        found = {line_of(self.lines, self.read(name).normal) for name in neighbours}
        return found.pop() if len(found) == 1 else None

    def _neighbours(self, text: str) -> list[str] | None:
        """For an identifier, the names of the listed ones sharing its longest prefix (at
        least "iPad16," or "SM-X7"); None when the text is not an identifier."""
        if _PRODUCT_TYPE.fullmatch(text):
            key, table, least = text, self.product_types, text.index(",") + 1
        elif (number := _samsung(text)) is not None:
            key, table, least = number, self.model_numbers, len("SM-X7")
        else:
            return None
        shared = {ident: _shared(key, ident) for ident in table}
        best = max(shared.values(), default=0)
        return [table[i] for i, s in shared.items() if s == best] if best >= least else []

    def closest(self, model: str, n: int = 3) -> list[str]:
        """Catalogue names near ``model`` from its own line and kind only (no S24 FE for a
        Fold, no phone for a tablet); none when its line has nothing close."""
        line = self.line(model)
        if line is None or self.place(model).kind not in (None, line.kind):
            return []
        same = {
            self.read(e.name).normal: e.name
            for e in self.entries
            if e.kind == line.kind and line_of(self.lines, self.read(e.name).normal) == line
        }
        read_as, _ = self.identify(model)
        text = read_as or _LABEL.sub("", model).strip()
        neighbours = None if read_as else self._neighbours(text)
        if neighbours is not None:
            near = {self.read(name).normal for name in neighbours}
            return [name for normal, name in same.items() if normal in near][:n]
        close = difflib.get_close_matches(self.read(text).normal, list(same), n=n, cutoff=0.5)
        return [same[c] for c in close]

    def model_names(self) -> list[str]:
        return [e.name for e in self.entries]


def _shared(a: str, b: str) -> int:
    """How many leading characters two identifiers share."""
    differ = (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y)
    return next(differ, min(len(a), len(b)))


def _samsung(text: str) -> str | None:
    """The model-number prefix in "SAMSUNG SM-S921B/DS" ("SM-S921"), or None."""
    number = re.sub(r"^SAMSUNG[\s-]+|/DS$", "", text.upper()).strip()
    return m.group(1) if (m := _SAMSUNG.fullmatch(number)) else None


# --- reading the data file's model sections -----------------------------------------------


def read_catalogue(
    f: Fields, doc: Mapping[str, Any], matrix: tuple[MatrixRow, ...], families: Collection[str]
) -> Catalogue:
    """[names], [product_types], [model_numbers], [codenames], [lines], [[rules]] and
    [[catalogue]].

    Every name a table gives, and every catalogue name without an explicit row, must
    be placed by a rule, and every catalogue name belongs to a line of its own kind:
    the tables, the rules, the lines and the catalogue can never disagree.
    """
    row_ids = {r.id for r in matrix}
    names = _names(f, doc)
    bare = Catalogue(matrix, (), names=names)
    rules = _rules(f, doc, row_ids, families, bare)
    catalogue = Catalogue(
        matrix,
        rules,
        names=names,
        product_types=_table(f, doc, "product_types", _PRODUCT_TYPE, "a product type"),
        model_numbers=_table(f, doc, "model_numbers", _SAMSUNG, "a model-number prefix"),
        codenames=_table(f, doc, "codenames", re.compile(r"[a-z]+"), "a lower-case codename"),
        lines=read_lines(f, doc),
    )
    for key in ("product_types", "model_numbers", "codenames"):
        for ident, name in getattr(catalogue, key).items():
            if not _ruled(catalogue, name):
                f.problem(f"{key}.{ident}", f"no rule places {name!r}")
    entries = []
    for path, entry in _entries(f, doc, row_ids, families):
        if entry.row == "?":
            rule = _ruled(catalogue, entry.name)
            if rule is None:
                f.problem(path, f"no rule places {entry.name!r}; give the entry an explicit row")
                entries.append(CatalogueEntry(entry.name, entry.os, entry.kind, ""))
                continue
            entry = CatalogueEntry(entry.name, entry.os, entry.kind, rule.row)
        _check_line(f, catalogue, path, entry)
        entries.append(entry)
    return catalogue.with_entries(tuple(entries))


def _check_line(f: Fields, catalogue: Catalogue, path: str, entry: CatalogueEntry) -> None:
    """A catalogue name is suggested only within its line: it must have one, of its kind."""
    line = line_of(catalogue.lines, catalogue.read(entry.name).normal)
    if line is None:
        f.problem(path, f"no line in [lines] takes {entry.name!r}")
    elif line.kind != entry.kind:
        said = f"{entry.name!r} is a {entry.kind}, but its line {line.name!r} is a {line.kind}"
        f.problem(path, said)


def _ruled(catalogue: Catalogue, name: str) -> Rule | None:
    reading = catalogue.read(name)
    return next((r for r in catalogue.rules if r.matches(reading.normal, reading.words)), None)


def _names(f: Fields, doc: Mapping[str, Any]) -> Names:
    table = f.table(doc, "names")
    allowed = ("source", "brands", "aliases", "cellular", "no_cellular", "radio_kinds")
    f.unknown_keys(table, allowed, "names")

    def words(key: str) -> list[str]:
        values = f.take(table, key, "names", list, default=[])
        if not all(isinstance(v, str) and normalise_model(v) for v in values):
            f.problem(f"names.{key}", "must be a list of words")
            return []
        return [normalise_model(v) for v in values]

    aliases = {
        normalise_model(k): normalise_model(str(v))
        for k, v in f.table(table, "aliases", "names", required=False).items()
    }
    no_cellular = {
        normalise_model(k): str(v)
        for k, v in f.table(table, "no_cellular", "names", required=False).items()
    }
    return Names(
        brands=frozenset(words("brands")),
        aliases=aliases,
        cellular=tuple(words("cellular")),
        no_cellular=no_cellular,
        radio_kinds=frozenset(f.take(table, "radio_kinds", "names", list, default=[])),
    )


def _table(
    f: Fields, doc: Mapping[str, Any], key: str, shape: re.Pattern[str], what: str
) -> Mapping[str, str]:
    out = {}
    for ident, name in f.table(doc, key).items():
        if ident == "source":
            continue
        if not shape.fullmatch(ident):
            f.problem(f"{key}.{ident}", f"is not {what}")
        elif not isinstance(name, str) or not name.strip():
            f.problem(f"{key}.{ident}", "needs a model name")
        else:
            out[ident] = name
    return MappingProxyType(out)


def _rules(
    f: Fields,
    doc: Mapping[str, Any],
    row_ids: set[str],
    families: Collection[str],
    bare: Catalogue,
) -> tuple[Rule, ...]:
    rules = []
    keys = ("pattern", "row", "min", "max", "os", "kind", "needs", "no_esim", "note")
    for path, item in f.tables(doc, "rules"):
        f.unknown_keys(item, keys, path)
        pattern = f.take(item, "pattern", path, str, default="")
        row = f.take(item, "row", path, str, default="")
        lo = f.take(item, "min", path, int, required=False)
        hi = f.take(item, "max", path, int, required=False)
        family = f.take(item, "os", path, str, required=False, default="")
        kind = f.take(item, "kind", path, str, required=False, default="")
        needs = f.take(item, "needs", path, str, required=False, default="")
        no_esim = f.take(item, "no_esim", path, str, required=False, default="")
        f.take(item, "note", path, str, required=False)
        if row and row not in row_ids:
            f.problem(f"{path}.row", f"no matrix row has id {row!r}")
        if row and no_esim:
            f.problem(f"{path}.no_esim", "a model with no eSIM has no row")
        if family and family not in families:
            f.problem(f"{path}.os", f"must be one of: {', '.join(families)}")
        if kind and kind not in KIND_KEYS:
            f.problem(f"{path}.kind", f"must be one of: {', '.join(KIND_KEYS)}")
        needed = normalise_model(needs)
        if needs and needed not in bare.names.cellular:
            f.problem(f"{path}.needs", "must be one of names.cellular")
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            f.problem(f"{path}.pattern", f"not a valid regular expression: {exc}")
            continue
        if (lo is not None or hi is not None) and "n" not in compiled.groupindex:
            f.problem(f"{path}.pattern", "min/max need a (?P<n>...) group")
        rules.append(Rule(compiled, row, lo, hi, family, kind, needed, no_esim))
    return tuple(rules)


def _entries(
    f: Fields, doc: Mapping[str, Any], row_ids: set[str], families: Collection[str]
) -> list[tuple[str, CatalogueEntry]]:
    entries = []
    for path, item in f.tables(doc, "catalogue"):
        f.unknown_keys(item, ("os", "kind", "row", "names"), path)
        family = f.take(item, "os", path, str, default="")
        kind = f.take(item, "kind", path, str, default="")
        row = f.take(item, "row", path, str, required=False, default="?")
        names = f.take(item, "names", path, list, default=[])
        if family and family not in families:
            f.problem(f"{path}.os", f"must be one of: {', '.join(families)}")
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
