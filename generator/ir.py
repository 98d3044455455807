"""Stage 4's output -- the intermediate representation (IR).

Plain frozen data, a closed set of node kinds, no rendering logic.  Nodes refer
to each other by ID (a model's ``id`` is the ``file#pointer`` of its schema),
never by back-pointers.  Identifiers are *not* part of the IR built from the
schema: the naming pass (``naming.py``) computes them in one place and returns
a new IR (``dataclasses.replace``) whose ``py_name``/``class_name`` fields are
filled.

Type expressions (``TypeExpr``) are a closed union:

=============  ===================================================
``Prim``       str, int, float, bool, none, any, datetime, date, time, uuid
``ListOf``     JSON array of one item type
``TupleOf``    ``prefixItems`` / tuple ``items`` (+ the type of the rest, ``None``: no rest)
``MapOf``      JSON object used as a mapping (no declared properties)
``UnionOf``    ``anyOf``/``oneOf``/type lists (optionally discriminated)
``LiteralOf``  ``enum``/``const`` values (str, int, bool, None)
``ModelRef``   a reference to a :class:`Model` by ID
=============  ===================================================
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

PrimKind = Literal["str", "int", "float", "bool", "none", "any", "datetime", "date", "time", "uuid"]

#: Formats that become Python types (others stay ``str``).  Models check these
#: strings when they convert them; the validator treats format as annotation.
FORMAT_TYPES: dict[str, PrimKind] = {"date-time": "datetime", "date": "date", "time": "time", "uuid": "uuid"}


@dataclass(frozen=True, slots=True)
class Prim:
    kind: ClassVar[str] = "prim"
    name: PrimKind


@dataclass(frozen=True, slots=True)
class ListOf:
    kind: ClassVar[str] = "list"
    item: TypeExpr
    unique: bool = False


@dataclass(frozen=True, slots=True)
class TupleOf:
    kind: ClassVar[str] = "tuple"
    items: tuple[TypeExpr, ...]
    rest: TypeExpr | None = None


@dataclass(frozen=True, slots=True)
class MapOf:
    kind: ClassVar[str] = "map"
    value: TypeExpr


@dataclass(frozen=True, slots=True)
class UnionOf:
    """Options in schema order.  A *discriminated* union names the ``discriminator``
    property: each model option requires it with ``Literal`` values, ``tags[i]``
    (aligned with ``options``; empty for options that are no model) and the tag
    sets are disjoint, so ``_build`` dispatches on ``d[discriminator]``."""

    kind: ClassVar[str] = "union"
    options: tuple[TypeExpr, ...]
    discriminator: str = ""
    tags: tuple[tuple[str | int | bool | None, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class LiteralOf:
    kind: ClassVar[str] = "literal"
    values: tuple[str | int | bool | None, ...]


@dataclass(frozen=True, slots=True)
class ModelRef:
    kind: ClassVar[str] = "model"
    model_id: str


TypeExpr = Prim | ListOf | TupleOf | MapOf | UnionOf | LiteralOf | ModelRef

ANY = Prim("any")


@dataclass(frozen=True, slots=True)
class Field:
    """One declared property of an object schema."""

    json_name: str
    type: TypeExpr
    required: bool
    nullable: bool  # the type admits JSON null
    description: str = ""
    default: Any = None
    has_default: bool = False
    py_name: str = ""  # filled by the naming pass


@dataclass(frozen=True, slots=True)
class Model:
    """A dataclass rendered for one object schema (a root, a ``$defs`` entry or an inline object)."""

    id: str  # "file#pointer" of the schema: the canonical identity
    file: str
    pointer: str
    title: str
    description: str
    fields: tuple[Field, ...]
    extras: TypeExpr | None  # type of undeclared keys; None when additionalProperties is false
    name_hints: tuple[str, ...]  # candidate class names, most preferred first (path-derived)
    #: longer names, taken only where every hint above still collides (naming.py)
    name_fallbacks: tuple[str, ...] = ()
    class_name: str = ""  # filled by the naming pass
    validator_name: str = ""  # entry name of its validator, filled by the naming pass


@dataclass(frozen=True, slots=True)
class Root:
    """One input schema file."""

    stem: str
    file: str
    sha256: str
    title: str
    model_id: str | None  # the root's class (MODELS[stem]): see build_ir.Builder.add_root
    name: str = ""  # snake_case name (validate_<name>), filled by the naming pass
    type: TypeExpr = ANY  # the root's type (models.py: load_<name>/dump_<name>)
    #: the class's schema is the root schema (or a $ref to it): they share one validator.  False for
    #: a union with one class, whose class accepts less than the root and has a validator of its own
    model_is_root: bool = False


@dataclass(frozen=True, slots=True)
class Operation:
    name: str  # method name on the client (checked by the naming pass)
    method: str
    path: str
    summary: str
    request_stem: str
    response_stem: str | None
    batch_type: str | None = None  # message type when the operation can go through the batch endpoint


@dataclass(frozen=True, slots=True)
class Auth:
    scheme: Literal["basic", "bearer"]
    credential: str  # name of the client's credential argument (e.g. write_key)
    username: str  # template: "{credential}" is replaced by the credential at run time
    password: str


@dataclass(frozen=True, slots=True)
class Batch:
    """The batch endpoint: envelope keys, the library stamp and the size limits (all from the service file)."""

    path: str
    items_key: str  # body: {items_key: [message, ...], sent_at_key: iso}
    sent_at_key: str
    type_key: str  # each message: its operation's batch_type under type_key, ...
    id_key: str  # ... a uuid4 under id_key (kept across retries) ...
    timestamp_key: str  # ... the time of the call under timestamp_key (unless given) ...
    library_path: tuple[str, ...]  # ... and {"name", "version"} of the library at this path
    library_name: str
    library_version: str
    max_message_bytes: int
    max_batch_bytes: int
    max_batch_items: int | None  # None: batches are cut by bytes only


@dataclass(frozen=True, slots=True)
class Service:
    name: str
    description: str
    base_url: str
    auth: Auth
    operations: tuple[Operation, ...]
    file: str
    sha256: str
    batch: Batch | None = None


@dataclass(frozen=True, slots=True)
class Package:
    name: str
    roots: tuple[Root, ...]
    models: tuple[Model, ...]  # sorted by id
    service: Service | None = None
    generator_version: str = ""
    warnings: tuple[str, ...] = field(default=())
