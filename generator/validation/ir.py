"""The validator IR: plain frozen data, two layers.

Layer 1 -- *what to check* (built by :mod:`.compiler`): one :class:`Schema` per
compiled subschema, identified by a function id (``fid``).  A schema holds
:class:`Test` records (checks of the instance alone: ``minLength``, ``required``,
``enum``...) and :class:`Apply` records (applicators that descend into
subschemas: ``properties``, ``anyOf``, ``$ref``...).  Subschemas are referenced
by fid, never by pointer to another node, so recursion is just an id.

Layer 2 -- *how to check it* (built by :mod:`.emit`): one :class:`Function`
per (subschema, variant).  A function is a name, a signature kind and a tuple
of body lines.  Every schema-derived literal in a line went through
:func:`generator.render.py_literal` (``repr``); no schema text is ever pasted
into code.  The template ``validators.py.j2`` owns the module's shape (header,
imports, runtime helpers, the ``ValidationError`` class, constants, the public
API) and lays these functions out.

Three variants exist per subschema:

* ``_v_<fid>(x) -> bool``: the fast path: straight-line ``isinstance`` checks,
  ``in``/``get`` on dicts, ``return False`` at the first failure, no exception,
  no error object, no path building.  Single-use children are inlined.
* ``_e_<fid>(x, p) -> Iterator[ValidationError]``: the error path, run only
  after the fast path said "invalid"; it builds instance paths and messages.
* ``_a_<fid>(x) -> set | True | None``: annotation tracking for
  ``unevaluatedProperties``/``unevaluatedItems``: ``None`` when invalid, else
  the evaluated property names (object) or item indexes (array), ``True``
  meaning "all".  Emitted only for subschemas that an ``unevaluated*`` keyword
  can see through in-place applicators.

When the schemas use ``$dynamicRef``/``$recursiveRef`` every function takes a
second parameter ``d``: the dynamic scope, a tuple of resource numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import Problem

#: The instance "groups" a type-specific keyword applies to.
GROUPS = ("dict", "list", "str", "num")


@dataclass(frozen=True, slots=True)
class Test:
    """A check of the instance alone.

    ``kind`` is one of: ``const enum never minimum maximum exclusiveMinimum
    exclusiveMaximum multipleOf minLength maxLength pattern format minItems
    maxItems uniqueItems minProperties maxProperties required
    dependentRequired``; ``value`` holds the keyword's JSON value (or the
    name of a module constant / regex / format helper).
    """

    kind: str
    keyword: str
    spath: str
    group: str | None
    value: Any = None
    extra: Any = None


@dataclass(frozen=True, slots=True)
class Apply:
    """An applicator: descends into subschemas given by fid.

    ``subs`` pairs a key (property name, regex constant name, index, or None)
    with a fid; ``extra`` carries kind-specific data (``contains`` bounds,
    ``additionalProperties``' known names and patterns, ``items`` prefix...).
    """

    kind: str
    keyword: str
    spath: str
    group: str | None
    subs: tuple[tuple[Any, str], ...] = ()
    extra: Any = None


@dataclass(frozen=True, slots=True)
class Schema:
    """One compiled subschema (layer 1)."""

    fid: str
    where: str  # "file#pointer", for comments
    title: str  # the schema's title/description, for the docstring (made safe by the template)
    const: bool | None = None  # True/False for boolean schemas (and {}), None otherwise
    types: tuple[str, ...] | None = None
    type_spath: str = ""
    tests: tuple[Test, ...] = ()
    applies: tuple[Apply, ...] = ()
    resource: int = 0  # number of the schema resource it belongs to
    annotates: bool = False  # has unevaluated* itself (its fast path goes through _a_)
    alias: str | None = None  # a pure {"$ref": ...}: stands for that fid
    #: draft-04: an integer is a number written without a fraction, so 1.0 is not one
    whole_floats: bool = True


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a function body: indentation depth and code."""

    depth: int
    code: str


@dataclass(frozen=True, slots=True)
class Function:
    """One emitted function (layer 2)."""

    name: str
    variant: str  # "v" (bool), "e" (errors), "a" (annotations)
    where: str
    doc: str
    body: tuple[Line, ...]


@dataclass(frozen=True, slots=True)
class Constant:
    name: str
    source: str  # Python source of the value (built with py_literal / repr only)
    #: the declared type, where mypy cannot infer one (an empty dict or frozenset inside)
    annotation: str | None = None


@dataclass(frozen=True, slots=True)
class DynamicTable:
    """``$dynamicAnchor``/``$recursiveAnchor`` targets by resource number, per variant."""

    name: str
    variant: str
    targets: tuple[tuple[int, str], ...]


@dataclass(frozen=True, slots=True)
class EntryPoint:
    name: str
    public: bool
    fid: str
    where: str
    doc: str
    resource: int
    #: the entry's fast body, inlined into ``is_valid_<name>`` when no recursion
    #: can happen below it (acyclic subschemas, no recursive helper); else empty
    direct_body: tuple[Line, ...] = ()


@dataclass(frozen=True, slots=True)
class ValidatorModule:
    """Everything ``validators.py.j2`` needs, and nothing it has to decide."""

    entries: tuple[EntryPoint, ...]
    functions: tuple[Function, ...]
    constants: tuple[Constant, ...]
    tables: tuple[DynamicTable, ...]
    helpers: frozenset[str]
    formats: tuple[str, ...]  # format checker names used (sorted)
    dynamic: bool
    schemas: tuple[Schema, ...] = field(default=(), repr=False)
    warnings: tuple[Problem, ...] = ()
    format_source: str = ""  # checker source copied from runtime_formats.py (our code, never schema text)
    format_imports: tuple[str, ...] = ()

    @property
    def all_names(self) -> tuple[str, ...]:
        names = ["ValidationError"]
        for entry in self.entries:
            if entry.public:
                names += [f"validate_{entry.name}", f"is_valid_{entry.name}", f"iter_errors_{entry.name}"]
        return tuple(names)  # in entry order: the template sorts them as linters want

    def uses(self, helper: str) -> bool:
        return helper in self.helpers or helper in self.format_imports
