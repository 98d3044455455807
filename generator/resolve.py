"""Stage 3 -- resolve: put every document in a ``referencing`` registry.

URI resolution (``$id`` base changes, ``$anchor``, JSON pointers, relative
references between files) is done by the ``referencing`` library only; this
module adds two things on top of it:

* :class:`Locations` maps any subschema object back to the file and JSON
  pointer it came from (by object identity: ``referencing`` hands back the
  very objects of the parsed documents), which gives each referenced schema a
  canonical identity and every problem a precise location;
* :class:`Node`, an immutable cursor (contents + resolver + location) that
  descends into subschemas and follows ``$ref`` while keeping the right base
  URI.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import unquote

import attrs
import referencing
import referencing.exceptions
import referencing.jsonschema
from referencing import Registry, Resource, Specification

if TYPE_CHECKING:
    from referencing._core import Resolver  # not exported by referencing, but the type it returns

from .check import DRAFT_04, DRAFT_06, DRAFT_07, DRAFT_2019_09, DRAFT_2020_12, normalize_draft_uri
from .errors import Problem
from .load import Document


def _each_dependency_on_its_own(spec: Specification[Any]) -> Specification[Any]:
    """``spec`` (draft 07, 06 or 04) with the values of ``dependencies`` crawled one by one.

    ``dependencies`` maps a property to a list of property names or to a schema.  referencing
    (0.37) judges all of its values by the first: when a schema comes first and a list after
    it (schemastore's tmlanguage.json), its crawl takes the list for a schema and fails with
    ``AttributeError: 'list' object has no attribute 'get'``; when a list comes first, it skips
    the schemas after it, and an ``$id`` inside them is never registered.  Here every value
    that is an object is a subresource, and no list is."""
    original = spec.subresources_of

    def subresources_of(contents: Any) -> Iterator[Any]:
        dependencies = contents.get("dependencies") if isinstance(contents, Mapping) else None
        if not isinstance(dependencies, Mapping):
            yield from original(contents)
            return
        values = {id(value) for value in dependencies.values()}
        yield from (each for each in original(contents) if id(each) not in values)
        yield from (value for value in dependencies.values() if isinstance(value, Mapping))

    evolved: Specification[Any] = attrs.evolve(cast(Any, spec), subresources_of=subresources_of)  # attrs-made; mypy cannot tell
    return evolved


SPECIFICATIONS: dict[str, Specification[Any]] = {
    DRAFT_2020_12: referencing.jsonschema.DRAFT202012,
    DRAFT_2019_09: referencing.jsonschema.DRAFT201909,
    DRAFT_07: _each_dependency_on_its_own(referencing.jsonschema.DRAFT7),
    DRAFT_06: _each_dependency_on_its_own(referencing.jsonschema.DRAFT6),
    DRAFT_04: _each_dependency_on_its_own(referencing.jsonschema.DRAFT4),
}


#: short names of the drafts, by specification (a specification object is unique: looked up by
#: id); referencing's own legacy ones too, which the metaschemas jsonschema ships come with
_DRAFT_NAMES = {
    id(SPECIFICATIONS[DRAFT_2020_12]): "2020",
    id(SPECIFICATIONS[DRAFT_2019_09]): "2019",
    id(SPECIFICATIONS[DRAFT_07]): "7",
    id(SPECIFICATIONS[DRAFT_06]): "6",
    id(SPECIFICATIONS[DRAFT_04]): "4",
    id(referencing.jsonschema.DRAFT7): "7",
    id(referencing.jsonschema.DRAFT6): "6",
    id(referencing.jsonschema.DRAFT4): "4",
}
#: drafts where ``$ref`` overrides its siblings, ``items`` may be an array (then
#: ``additionalItems``) and ``dependencies`` holds both required lists and schemas
LEGACY = frozenset({"4", "6", "7"})
#: keywords that later drafts added, unknown (so ignored) in the older ones: by the validators
#: (``validation/keywords.py``) and the models (``build_ir.py``) alike
NOT_IN_DRAFT = {
    "6": frozenset({"if", "then", "else"}),
    "4": frozenset({"if", "then", "else", "const", "contains", "propertyNames"}),
}


def draft_of_spec(spec: Any) -> str:
    """The short name of a node's draft (``"2020"``, ``"2019"``, ``"7"``, ``"6"``, ``"4"``)."""
    return _DRAFT_NAMES.get(id(spec), "2020")


def specification(default_draft: str) -> Specification[Any]:
    return SPECIFICATIONS[normalize_draft_uri(default_draft)]


def make_resource(contents: Any, default_draft: str = DRAFT_2020_12) -> Resource[Any]:
    """A resource whose draft is its ``$schema``, else ``default_draft``."""
    return resource_of(contents, specification(default_draft))


def declared_specification(contents: Any) -> Specification[Any] | None:
    """The specification a schema's own ``$schema`` names (one of :data:`SPECIFICATIONS`), or
    None when it names none, or a dialect that is not one of them."""
    declared = contents.get("$schema") if isinstance(contents, Mapping) else None
    return SPECIFICATIONS.get(normalize_draft_uri(declared)) if isinstance(declared, str) else None


def resource_of(contents: Any, default: Specification[Any]) -> Resource[Any]:
    """A resource whose draft is its ``$schema`` (one of :data:`SPECIFICATIONS`), else
    ``default``; referencing decides for a ``$schema`` that is not a known draft."""
    spec = declared_specification(contents)
    if spec is None and isinstance(contents, Mapping) and isinstance(contents.get("$schema"), str):
        return Resource.from_contents(contents, default_specification=default)
    return (default if spec is None else spec).create_resource(contents)


@dataclass(frozen=True, slots=True)
class Location:
    file: str
    pointer: str

    def __str__(self) -> str:
        return f"{self.file}#{self.pointer}"


class Locations:
    """Object identity -> (file, pointer) for every object in the documents."""

    def __init__(self, docs: Iterable[tuple[str, Any]]):
        self._by_id: dict[int, Location] = {}
        self._keep: list[Any] = []  # keep the documents alive: ids must stay unique
        #: whether some ``$ref`` points into a draft's own metaschema (swagger-2.0 refers to
        #: draft-04's definitions, say): the registry needs them then
        self.refers_to_metaschemas = False
        for name, contents in docs:
            self._keep.append(contents)
            self._walk(name, contents)

    def _walk(self, name: str, root: Any) -> None:
        stack: list[tuple[Any, str]] = [(root, "")]
        by_id = self._by_id
        while stack:
            obj, pointer = stack.pop()
            if isinstance(obj, dict):
                by_id.setdefault(id(obj), Location(name, pointer))
                ref = obj.get("$ref")
                if isinstance(ref, str) and ref.startswith(METASCHEMA_PREFIXES):
                    self.refers_to_metaschemas = True
                for key, value in obj.items():
                    if isinstance(value, (dict, list)):
                        stack.append((value, f"{pointer}/{_escape(key)}"))
            elif isinstance(obj, list):
                by_id.setdefault(id(obj), Location(name, pointer))
                for i, value in enumerate(obj):
                    if isinstance(value, (dict, list)):
                        stack.append((value, f"{pointer}/{i}"))

    def get(self, obj: Any) -> Location | None:
        return self._by_id.get(id(obj))


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


#: where the drafts' metaschemas live
METASCHEMA_PREFIXES = ("http://json-schema.org/", "https://json-schema.org/")


def metaschema_resources() -> list[tuple[str, Resource[Any]]]:
    """The drafts' own metaschemas, as jsonschema ships them (a ``$ref`` to them needs no
    network; imported on demand: loading them takes about 15 ms)."""
    import jsonschema_specifications  # type: ignore[import-untyped]

    registry = jsonschema_specifications.REGISTRY
    return [(uri, registry[uri]) for uri in sorted(registry) if "draft-03" not in uri]


def build_registry(
    docs: Iterable[Document], remotes: Mapping[str, Any] | None = None, default_draft: str = DRAFT_2020_12,
    metaschemas: bool = False,
) -> Registry[Any]:
    """A crawled registry holding every document (under its file URI and its ``$id``) and remote,
    plus the drafts' metaschemas when asked (the documents' own URIs win over them)."""
    pairs: list[tuple[str, Resource[Any]]] = metaschema_resources() if metaschemas else []
    for doc in docs:
        resource = make_resource(doc.contents, default_draft)
        pairs.append((doc.uri, resource))
        rid = resource.id()
        if rid:
            pairs.append((rid.rstrip("#"), resource))
    for uri, contents in sorted((remotes or {}).items()):
        pairs.append((uri, make_resource(contents, default_draft)))
    return Registry().with_resources(pairs).crawl()


class RefError(Exception):
    """A ``$ref`` that cannot be resolved, with a problem ready to report."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(problem.format())


@dataclass(frozen=True, slots=True)
class Node:
    """A subschema in context: its contents, the resolver for its base URI, its location."""

    contents: Any
    resolver: Resolver[Any]
    location: Location
    locations: Locations
    spec: Specification[Any]

    @classmethod
    def root(cls, doc: Document, registry: Registry[Any], locations: Locations, default_draft: str = DRAFT_2020_12) -> Node:
        resource = make_resource(doc.contents, default_draft)
        resolver = registry.resolver(base_uri=doc.uri).in_subresource(resource)
        return cls(doc.contents, resolver, Location(doc.path, ""), locations, resource._specification)

    def child(self, *segments: str | int) -> Node:
        """Descend into a subschema; a subschema's own ``$id`` changes the base URI (per its draft)."""
        contents = self.contents
        pointer = self.location.pointer
        for seg in segments:
            contents = contents[seg]
            pointer += "/" + (_escape(seg) if isinstance(seg, str) else str(seg))
        resolver = self.resolver
        if isinstance(contents, dict):
            resolver = resolver.in_subresource(self.spec.create_resource(contents))
        return Node(contents, resolver, Location(self.location.file, pointer), self.locations, self.spec)

    def follow(self, ref: str) -> Node:
        """Resolve ``ref`` relative to this node's base URI (``referencing`` does the URI work)."""
        try:
            resolved = self.resolver.lookup(ref)
        except referencing.exceptions.Unresolvable as err:
            raise RefError(
                Problem(
                    self.location.file,
                    self.location.pointer + "/$ref",
                    f"cannot resolve $ref {ref!r}: {_describe(err)}",
                    hint="point the $ref at an existing definition, or pass the referenced document as another schema file",
                )
            ) from None
        contents = resolved.contents
        where = self.locations.get(contents)
        if where is None:  # a document known only by URL (a draft's metaschema): file and pointer from the ref
            base, _, fragment = ref.partition("#")
            pointer = unquote(fragment)
            where = Location(base, pointer) if base and (not pointer or pointer.startswith("/")) else Location(ref, "")
        spec = declared_specification(contents)
        return Node(contents, resolved.resolver, where, self.locations, self.spec if spec is None else spec)


def _describe(err: referencing.exceptions.Unresolvable) -> str:
    if isinstance(err, referencing.exceptions.PointerToNowhere):
        return f"nothing at pointer {err.ref.split('#', 1)[-1]!r}"
    if isinstance(err, referencing.exceptions.NoSuchAnchor):
        return f"no anchor {err.anchor!r}"
    if type(err) is referencing.exceptions.Unresolvable:  # lookup() wraps NoSuchResource in the base class
        return "that document was not given"
    return str(err)


#: Keywords whose subschemas apply to the *same* instance, always (so a cycle through them never ends).
_IN_PLACE_ALWAYS = ("allOf",)
#: Keywords that hold subschemas (walked to find every ``$ref``), as (keyword, shape).
_SUBSCHEMA_KEYWORDS: dict[str, str] = {
    "allOf": "list", "anyOf": "list", "oneOf": "list", "prefixItems": "list",
    "not": "one", "if": "one", "then": "one", "else": "one", "items": "one_or_list", "additionalItems": "one",
    "contains": "one", "propertyNames": "one", "additionalProperties": "one", "unevaluatedItems": "one",
    "unevaluatedProperties": "one", "contentSchema": "one",
    "properties": "map", "patternProperties": "map", "dependentSchemas": "map", "$defs": "map", "definitions": "map",
    "dependencies": "map",
}


def _subschemas(node: Node) -> Iterator[tuple[Node, bool]]:
    """(child, applies_in_place_always) for every subschema of ``node``."""
    c = node.contents
    if not isinstance(c, dict):
        return
    for key, shape in _SUBSCHEMA_KEYWORDS.items():
        value = c.get(key)
        if value is None:
            continue
        in_place = key in _IN_PLACE_ALWAYS
        if shape == "list" or (shape == "one_or_list" and isinstance(value, list)):
            if isinstance(value, list):
                for i, v in enumerate(value):
                    if isinstance(v, (dict, bool)):
                        yield node.child(key, i), in_place
        elif shape in ("one", "one_or_list"):
            if isinstance(value, (dict, bool)):
                yield node.child(key), in_place
        elif shape == "map" and isinstance(value, dict):
            for k, v in value.items():
                if isinstance(v, (dict, bool)):
                    yield node.child(key, k), False


def find_ref_cycles(roots: Iterable[Node]) -> list[Problem]:
    """``$ref`` cycles with no base case: chains of ``$ref``/``allOf`` that lead back to where they started.

    Validating such a schema applies it to the same instance again and again,
    forever (``{"$ref": "#"}`` is the smallest), so it is reported at generation
    time instead of becoming a RecursionError in generated code.  Recursion
    through a property, an item or a branch of ``anyOf`` has a base case and is fine.
    """
    problems: list[Problem] = []
    done: set[tuple[str, str]] = set()
    reported: set[frozenset[tuple[str, str]]] = set()

    def key(n: Node) -> tuple[str, str]:
        return (n.location.file, n.location.pointer)

    def in_place_edges(n: Node) -> Iterator[Node]:
        c = n.contents
        if isinstance(c, dict) and isinstance(c.get("$ref"), str):
            try:
                yield n.follow(c["$ref"])
            except RefError:
                pass  # reported by the stages that need the target
        for child, in_place in _subschemas(n):
            if in_place:
                yield child

    def visit_in_place(start: Node) -> None:
        # iterative DFS over in-place edges, with an explicit path for cycle reporting
        path: list[tuple[str, str]] = [key(start)]
        on_path = {key(start)}
        stack: list[Iterator[Node]] = [in_place_edges(start)]
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                stack.pop()
                done.add(path[-1])
                on_path.discard(path.pop())
                continue
            k = key(nxt)
            if k in on_path:
                cycle = path[path.index(k):]
                sig = frozenset(cycle)
                if sig not in reported:
                    reported.add(sig)
                    file, pointer = cycle[0]
                    chain = " -> ".join(f"#{p}" if f == file else f"{f}#{p}" for f, p in cycle + [cycle[0]])
                    problems.append(Problem(
                        file, pointer, f"$ref cycle with no base case: {chain} (validation would recurse forever)",
                        hint="let the recursion pass through a property, an array item or an anyOf/oneOf branch",
                    ))
                continue
            if k in done:
                continue
            path.append(k)
            on_path.add(k)
            stack.append(in_place_edges(nxt))

    seen: set[tuple[str, str]] = set()
    todo = list(roots)
    while todo:
        n = todo.pop()
        k = key(n)
        if k in seen:
            continue
        seen.add(k)
        if k not in done:
            visit_in_place(n)
        todo.extend(child for child, _ in _subschemas(n))
    return problems
