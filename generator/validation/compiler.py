"""Schema -> IR (layer 1): a worklist of one :class:`~.ir.Schema` per subschema.

Every subschema that is reached (by descent or by ``$ref``) gets a function id
keyed by its canonical location (file + JSON pointer, found by object identity
through :class:`generator.resolve.Locations`), so a subschema referenced from
many places is compiled once and a recursive ``$ref`` is just a call to a
function that is already (or will be) on the worklist.  Nothing is inlined
here; :mod:`.emit` decides what to inline (only single-use children).

Keyword semantics per draft live in :mod:`.keywords`; this module owns the
worklist, the schema-resource bookkeeping for ``$dynamicRef`` /
``$recursiveRef``, constants and regexes, and the problems.
"""

from __future__ import annotations

from collections import deque
from dataclasses import replace
from typing import Any

from ..check import SUPPORTED_DRAFTS, normalize_draft_uri
from ..errors import Problem
from ..render import py_literal
from ..resolve import Node, RefError, declared_specification
from . import regex as regex_mod
from .ir import Schema


class Compiler:
    """Mutable state of one compilation; produces immutable IR."""

    def __init__(self, *, format_assertion: bool = False, vocabularies: dict[str, frozenset[str]] | None = None):
        self.format_assertion = format_assertion
        self.vocabularies = vocabularies or {}
        self.schemas: dict[str, Schema] = {}
        self.where: dict[str, tuple[str, str]] = {}  # fid -> (file, pointer)
        self.queue: deque[tuple[str, Node, int]] = deque()
        self.fids: dict[tuple[str, str], str] = {}
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.constants: dict[str, str] = {}  # source -> name
        self.untyped_constants: set[str] = set()  # names whose type mypy cannot infer
        self.regexes: dict[str, str] = {}  # translated pattern -> name
        self.resources: dict[str, int] = {}  # resource key -> number
        self.resource_nodes: dict[int, Node] = {}
        self.dynamic_anchors: dict[int, dict[str, str]] = {}  # resource -> anchor -> fid
        self.recursive_anchor: dict[int, str] = {}  # resource -> fid of its root (if $recursiveAnchor)
        self.uses_dynamic = False
        self.formats: set[str] = set()
        self.helpers: set[str] = set()

    # -- worklist -----------------------------------------------------------
    def fid_for(self, node: Node, resource: int) -> str:
        """The function id of a subschema, queueing it on first sight."""
        contents = node.contents
        if isinstance(contents, bool):
            key = ("<bool>", str(contents).lower())
        else:
            key = (node.location.file, node.location.pointer)
        fid = self.fids.get(key)
        if fid is None:
            fid = f"k{len(self.fids)}"
            self.fids[key] = fid
            self.where[fid] = key
            self.queue.append((fid, _with_dialect(node), resource))
        return fid

    def run(self) -> None:
        from .keywords import compile_schema

        while True:
            while self.queue:
                fid, node, resource = self.queue.popleft()
                self.schemas[fid] = compile_schema(self, fid, node, resource)
            if not self.uses_dynamic or not self._queue_dynamic_targets():
                break

    # -- resources (for the dynamic scope) ------------------------------------
    def resource_of(self, node: Node) -> int:
        """The number of the schema resource ``node``'s base URI names."""
        try:
            root = node.resolver.lookup("#")
        except Exception:  # noqa: BLE001 -- an unresolvable base: treat as its own resource
            return self._resource_number(f"{node.location.file}#{node.location.pointer}", None)
        loc = node.locations.get(root.contents)
        key = f"{loc.file}#{loc.pointer}" if loc else f"<uri>{id(root.contents)}"
        root_node = Node(root.contents, root.resolver, loc or node.location, node.locations, node.spec)
        return self._resource_number(key, root_node)

    def _resource_number(self, key: str, node: Node | None) -> int:
        number = self.resources.get(key)
        if number is None:
            number = len(self.resources) + 1
            self.resources[key] = number
            if node is not None:
                self.resource_nodes[number] = node
                self._check_dialect(node)
        return number

    def _check_dialect(self, root: Node) -> None:
        """A resource declaring a ``$schema`` we cannot honour is a problem, not a guess."""
        declared = root.contents.get("$schema") if isinstance(root.contents, dict) else None
        if not isinstance(declared, str) or normalize_draft_uri(declared) in SUPPORTED_DRAFTS:
            return
        try:
            root.resolver.lookup(declared)  # a custom metaschema we were given (its $vocabulary is honoured)
        except Exception:  # noqa: BLE001 -- any resolution failure means: unknown dialect
            self.problem(root, root.location.pointer + "/$schema", f"unknown or unsupported $schema {declared!r}",
                         hint="declare draft 2020-12, 2019-09, 07, 06 or 04 (or pass the metaschema in remotes)")

    def _queue_dynamic_targets(self) -> bool:
        """Compile every ``$dynamicAnchor``/``$recursiveAnchor`` target of every resource seen."""
        queued = False
        for number, root in sorted(self.resource_nodes.items()):
            if number in self.dynamic_anchors:
                continue
            anchors: dict[str, str] = {}
            for name in _dynamic_anchor_names(root.contents, root.spec):
                try:
                    target = root.follow("#" + name)
                except RefError:
                    continue
                anchors[name] = self.fid_for(target, number)
                queued = True
            self.dynamic_anchors[number] = anchors
            if isinstance(root.contents, dict) and root.contents.get("$recursiveAnchor") is True:
                self.recursive_anchor[number] = self.fid_for(root, number)
                queued = True
        return queued and bool(self.queue)

    # -- constants ------------------------------------------------------------
    def constant(self, value: Any, *, as_frozenset: bool = False) -> str:
        source = py_literal(frozenset(value) if as_frozenset else value)
        if isinstance(value, (list, dict)) and not as_frozenset:
            source = py_literal(_freeze(value))
        name = self.constants.get(source)
        if name is None:
            name = f"_K{len(self.constants)}"
            self.constants[source] = name
            if _has_empty_mapping(frozenset(value) if as_frozenset else value):
                self.untyped_constants.add(name)
        return name

    def regex(self, pattern: Any, node: Node, keyword_pointer: str) -> str | None:
        if not isinstance(pattern, str):
            return None
        try:
            translated = regex_mod.translate(pattern)
        except regex_mod.RegexError as err:
            self.problems.append(
                Problem(node.location.file, keyword_pointer, f"cannot translate the regular expression {pattern!r}: {err}",
                        hint="use ECMA-262 syntax that Python's re can express (see generator/validation/regex.py)")
            )
            return None
        risk = regex_mod.backtracking_risk(pattern)
        if risk:
            self.warnings.append(
                Problem(node.location.file, keyword_pointer, f"the regular expression {pattern!r} {risk}",
                        hint="rewrite it without nested quantifiers, or bound the input length", level="warning")
            )
        name = self.regexes.get(translated)
        if name is None:
            name = f"_R{len(self.regexes)}"
            self.regexes[translated] = name
        return name

    def problem(self, node: Node, pointer: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(node.location.file, pointer, message, hint=hint))


def _with_dialect(node: Node) -> Node:
    """``node`` interpreted in the draft its schema resource declares (a ``$ref`` into the middle
    of a draft-07 document from a 2020-12 one is draft-07)."""
    if isinstance(node.contents, dict) and "$schema" in node.contents:
        return node  # Node.follow already honoured it
    try:
        root = node.resolver.lookup("#").contents
    except Exception:  # noqa: BLE001 -- no resource to ask: keep the inherited draft
        return node
    spec = declared_specification(root)
    return replace(node, spec=spec) if spec is not None and spec is not node.spec else node


def _has_empty_mapping(value: Any) -> bool:
    """Whether a constant holds an empty object or set, whose element types mypy cannot infer
    (``_K = (None, {})``: "Need type annotation")."""
    if isinstance(value, dict):
        return not value or any(_has_empty_mapping(v) for v in value.values())
    if isinstance(value, (list, tuple, set, frozenset)):
        return (not value and isinstance(value, (set, frozenset))) or any(_has_empty_mapping(v) for v in value)
    return False


def _freeze(value: Any) -> Any:
    """JSON lists become tuples (immutable module constants)."""
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, dict):
        return {k: _freeze(v) for k, v in value.items()}
    return value


def _dynamic_anchor_names(contents: Any, spec: Any) -> list[str]:
    """``$dynamicAnchor`` names defined in a resource (not in its embedded resources)."""
    names: list[str] = []
    stack = [(contents, True)]
    while stack:
        obj, is_root = stack.pop()
        if isinstance(obj, dict):
            if not is_root and "$id" in obj and isinstance(obj["$id"], str) and not obj["$id"].startswith("#"):
                continue
            anchor = obj.get("$dynamicAnchor")
            if isinstance(anchor, str) and anchor not in names:
                names.append(anchor)
            for key, value in obj.items():
                if key in ("enum", "const", "examples", "default"):
                    continue
                stack.append((value, False))
        elif isinstance(obj, list):
            stack.extend((v, False) for v in obj)
    return sorted(names)
