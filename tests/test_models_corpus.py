"""The models on a corpus of tricky schemas (``tests/cases/models/``).

Each case is one schema file, or a folder of schema files that refer to each
other.  Every case is generated into its own package (once per session); then

* one ``mypy --strict`` run and one ``ruff check`` run cover all the packages
  (mypy is slow: one process, not one per case);
* hypothesis-jsonschema draws instances of every root schema: the instances the
  reference implementation (``jsonschema``) accepts must be accepted by the
  compiled validator, and round-trip exactly through the root's model
  (``to_dict(from_dict(x)) == x``, key order included);
* mutated instances (a value replaced somewhere) either round-trip exactly or
  raise the package's ``ValidationError``: never ``TypeError``, ``KeyError``...;
* every package comes out byte for byte the same from a process with another
  ``PYTHONHASHSEED``.
"""

from __future__ import annotations

import copy
import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator.config import Target
from generator.pipeline import generate_files
from generator.write import read_tree, tree_diff

CASES_DIR = Path(__file__).resolve().parent / "cases" / "models"


def case_schemas(case: Path) -> list[Path]:
    return sorted(case.glob("*.json")) if case.is_dir() else [case]


CASES = sorted(p for p in CASES_DIR.iterdir() if p.suffix == ".json" or p.is_dir())
CASE_IDS = [p.name.removesuffix(".json") for p in CASES]


def generate_into(out: Path, package: str, schemas: list[Path]) -> Any:
    """Generate ``package`` from ``schemas`` into ``out`` and import it."""
    result = generate_files(Target(package=package, out=out, schemas=tuple(schemas)))
    dest = out / package
    dest.mkdir(parents=True, exist_ok=True)
    for rel, text in result.files.items():
        (dest / rel).write_text(text, encoding="utf-8")
    if str(out) not in sys.path:
        sys.path.insert(0, str(out))
    return importlib.import_module(package)


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("models_corpus")
    pkgs = {}
    for case, cid in zip(CASES, CASE_IDS):
        pkgs[cid] = generate_into(out, f"corpus_{cid}", case_schemas(case))
    return out, pkgs


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 20


_REGENERATE = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from test_models_corpus import CASES, CASE_IDS, case_schemas, generate_into
for case, cid in zip(CASES, CASE_IDS):
    generate_into(Path(sys.argv[2]), f"corpus_{cid}", case_schemas(case))
"""


def test_corpus_output_does_not_depend_on_the_hash_seed(corpus: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    """Same input, same bytes: every corpus package generated again in a process with another
    ``PYTHONHASHSEED`` (so sets and str hashes iterate in another order) is identical to the
    packages of this process.  The golden test checks this for June only."""
    out, _ = corpus
    seed = "4242" if os.environ.get("PYTHONHASHSEED") != "4242" else "7"
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run([sys.executable, "-c", _REGENERATE, str(Path(__file__).parent), str(tmp_path)],
                   env=env, check=True, capture_output=True)
    for cid in CASE_IDS:
        package = f"corpus_{cid}"
        mine, again = read_tree(out / package), read_tree(tmp_path / package)
        assert mine == again, tree_diff(mine, again, f"{cid} under PYTHONHASHSEED={seed}")


def test_mypy_strict_on_corpus(corpus: tuple[Path, dict[str, Any]]) -> None:
    out, pkgs = corpus
    args = [arg for name in sorted(pkgs) for arg in ("-p", f"corpus_{name}")]
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir=/dev/null", *args],
        cwd=out, capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stdout[-20000:] + proc.stderr[-5000:]


def test_ruff_on_corpus(corpus: tuple[Path, dict[str, Any]]) -> None:
    out, pkgs = corpus
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--isolated", *sorted(
        f"corpus_{n}" for n in pkgs)], cwd=out, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout[-20000:] + proc.stderr


# -- property tests ------------------------------------------------------------------------------
def bundle(path: Path) -> dict[str, Any]:
    """``path``'s schema with references to sibling files inlined under ``$defs`` (for hypothesis-jsonschema)."""
    schema = json.loads(path.read_text("utf-8"))
    defs: dict[str, Any] = {}

    def walk(node: Any, here: Path) -> Any:
        if isinstance(node, dict):
            out = {k: walk(v, here) for k, v in node.items()}
            ref = node.get("$ref")
            if isinstance(ref, str) and not ref.startswith("#") and (here.parent / ref.split("#")[0]).is_file():
                file, _, pointer = ref.partition("#")
                target = here.parent / file
                key = f"{target.stem}{pointer}".replace("/", "_").replace(".", "_")
                if key not in defs:
                    defs[key] = {}
                    doc = json.loads(target.read_text("utf-8"))
                    sub = doc
                    for seg in [s for s in pointer.split("/") if s]:
                        sub = sub[seg]
                    defs[key] = walk(_localize(sub, target.stem), target)
                    defs.update({f"{target.stem}_{k}": walk(_localize(v, target.stem), target)
                                 for k, v in doc.get("$defs", {}).items()})
                out["$ref"] = f"#/$defs/{key}"
            return out
        if isinstance(node, list):
            return [walk(v, here) for v in node]
        return node

    bundled = walk(schema, path)
    bundled.setdefault("$defs", {}).update(defs)
    return bundled


def _localize(node: Any, stem: str) -> Any:
    """Local refs of another file's subschema, renamed to its bundled ``$defs`` keys."""
    if isinstance(node, dict):
        out = {k: _localize(v, stem) for k, v in node.items()}
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            out["$ref"] = f"#/$defs/{stem}_{ref[len('#/$defs/'):]}"
        return out
    if isinstance(node, list):
        return [_localize(v, stem) for v in node]
    return node


def unroll(schema: dict[str, Any], depth: int = 3) -> Any:
    """``schema`` with its local ``$ref`` inlined ``depth`` levels deep, then ``false``: a stricter,
    finite schema that hypothesis-jsonschema can draw from (it cannot follow recursive references)."""

    def target(ref: str) -> Any:
        node: Any = schema
        for seg in ref[2:].split("/") if ref != "#" else []:
            node = node[seg.replace("~1", "/").replace("~0", "~")]
        return node

    def walk(node: Any, level: int) -> Any:
        if isinstance(node, list):
            return [walk(v, level) for v in node]
        if not isinstance(node, dict):
            return node
        out = {k: walk(v, level) for k, v in node.items() if k not in ("$ref", "$defs", "definitions")}
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#"):
            inlined = walk(target(ref), level + 1) if level < depth else False
            out = {**out, "allOf": [*out.get("allOf", []), inlined]} if out else inlined
        return out

    return walk(schema, 0)


def recursive(schema: dict[str, Any]) -> bool:
    """Whether the local ``$ref`` of ``schema`` form a cycle."""
    edges: dict[str, set[str]] = {}

    def walk(node: Any, owner: str, pointer: str) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/"):
                edges.setdefault(owner, set()).add(ref[1:])
            for k, v in node.items():
                here = f"{pointer}/{k}"
                walk(v, here if k in ("$defs", "definitions") or pointer.endswith(("$defs", "definitions"))
                     else owner, here)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, owner, f"{pointer}/{i}")

    walk(schema, "", "")
    seen: set[str] = set()

    def cyclic(node: str, stack: set[str]) -> bool:
        if node in stack:
            return True
        if node in seen:
            return False
        seen.add(node)
        return any(cyclic(n, stack | {node}) for n in edges.get(node, ()))

    return any(cyclic(n, set()) for n in list(edges))


def drawable(schema: Any) -> Any:
    """``schema`` with ``format: uuid`` spelled as a pattern: hypothesis-jsonschema draws no UUIDs."""
    if isinstance(schema, dict):
        out = {k: drawable(v) for k, v in schema.items()}
        if schema.get("format") == "uuid":
            out["pattern"] = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
        return out
    if isinstance(schema, list):
        return [drawable(v) for v in schema]
    return schema


def roots_of(cid: str) -> list[tuple[str, Path]]:
    case = CASES[CASE_IDS.index(cid)]
    return [(p.name.split(".")[0], p) for p in case_schemas(case)]


def root_functions(pkg: Any, stem: str) -> tuple[Any, Any]:
    """``load_<root>`` and ``dump_<root>`` of the root schema file ``stem``."""
    name = pkg.VALIDATORS[stem].__name__.removeprefix("validate_")
    return getattr(pkg.models, f"load_{name}"), getattr(pkg.models, f"dump_{name}")


def check_instance(pkg: Any, stem: str, instance: Any) -> None:
    """A valid instance: the validator accepts it, and it round-trips exactly through ``load_<root>``/
    ``dump_<root>`` and through the root's model (when the root is an object)."""
    pkg.VALIDATORS[stem](instance)
    load, dump = root_functions(pkg, stem)
    assert json.dumps(dump(load(instance))) == json.dumps(instance)
    model = pkg.MODELS.get(stem)
    if model is None:
        return
    if not isinstance(instance, dict):
        with pytest.raises(pkg.ValidationError):
            model.from_dict(instance)
        return
    try:
        built = model.from_dict(instance)
    except pkg.ValidationError:
        # a union root whose one class accepts less than the root: the root's loader agrees
        assert not isinstance(load(instance), model)
        return
    out = built.to_dict()
    assert out == instance
    assert json.dumps(out) == json.dumps(instance)  # key order too


def check_any(pkg: Any, stem: str, instance: Any) -> None:
    """Any instance: a valid one round-trips; an invalid one raises the package's ValidationError only."""
    load, dump = root_functions(pkg, stem)
    try:
        loaded = load(instance)
    except pkg.ValidationError:
        pass
    else:
        assert json.dumps(dump(loaded)) == json.dumps(instance)
    model = pkg.MODELS.get(stem)
    if model is None:
        return
    try:
        built = model.from_dict(instance)
    except pkg.ValidationError:
        return
    out = built.to_dict()
    assert json.dumps(out) == json.dumps(instance)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 10) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=5) | st.sampled_from(["2024-01-02T03:04:05Z", "2024-01-02", "12:00:00", "circle",
                                             "00000000-0000-0000-0000-000000000000", "not-a-date"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=6,
)


def mutate(value: Any, data: st.DataObject) -> Any:
    """``value`` with one node (chosen by hypothesis) replaced by an arbitrary JSON value."""
    if isinstance(value, dict) and value and data.draw(st.booleans()):
        key = data.draw(st.sampled_from(sorted(value)))
        value[key] = mutate(value[key], data)
        return value
    if isinstance(value, list) and value and data.draw(st.booleans()):
        i = data.draw(st.integers(0, len(value) - 1))
        value[i] = mutate(value[i], data)
        return value
    return data.draw(json_values)


@pytest.mark.parametrize("cid", CASE_IDS)
def test_drawn_instances_round_trip(corpus: tuple[Path, dict[str, Any]], cid: str) -> None:
    pkg = corpus[1][cid]
    for stem, path in roots_of(cid):
        round_trip_drawn(pkg, stem, path)


def round_trip_drawn(pkg: Any, stem: str, path: Path) -> None:
    """Instances drawn from one root schema: exact round trip; mutated ones: the validator agrees with
    jsonschema and the models raise only ValidationError."""
    from hypothesis_jsonschema import from_schema

    schema = bundle(path)
    reference = jsonschema.validators.validator_for(schema)(schema)
    # the models convert date-time/date/time/uuid strings, so they must be well formed
    formats = jsonschema.validators.validator_for(schema)(schema, format_checker=jsonschema.FormatChecker())
    strategy = from_schema(drawable(unroll(schema) if recursive(schema) else schema))

    @settings(max_examples=40, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(instance=strategy, data=st.data())
    def check(instance: Any, data: st.DataObject) -> None:
        assume(formats.is_valid(instance))  # hypothesis-jsonschema knows draft-07 best
        check_instance(pkg, stem, instance)
        mutated = mutate(copy.deepcopy(instance), data)
        check_any(pkg, stem, mutated)
        valid = reference.is_valid(mutated)
        try:
            pkg.VALIDATORS[stem](mutated)
            assert valid, f"validator accepted {mutated!r}"
        except pkg.ValidationError:
            assert not valid, f"validator rejected {mutated!r}"

    check()


@pytest.mark.parametrize("cid", CASE_IDS)
def test_arbitrary_json_never_crashes(corpus: tuple[Path, dict[str, Any]], cid: str) -> None:
    pkg = corpus[1][cid]

    @settings(max_examples=40, deadline=None)
    @given(instance=json_values)
    def check(instance: Any) -> None:
        for stem, _ in roots_of(cid):
            check_any(pkg, stem, instance)

    check()


def test_invalid_date_in_a_nullable_union_is_rejected_like_in_a_plain_field(
        corpus: tuple[Path, dict[str, Any]]) -> None:
    # ``maybe_at`` is {"type": ["string", "null"], "format": "date-time"}: datetime | None.
    pkg = corpus[1]["formats"]
    model = pkg.MODELS["formats"]
    good = {"at": "2024-01-02T03:04:05Z", "maybe_at": "2024-01-02T03:04:05.5+01:00"}
    built = model.from_dict(good)
    assert type(built.maybe_at).__name__ != "str" and built.to_dict() == good
    assert model.from_dict({"at": "2024-01-02T03:04:05Z", "maybe_at": None}).maybe_at is None
    for field in ("at", "maybe_at"):
        bad = {**good, field: "not a date"}
        pkg.VALIDATORS["formats"](bad)  # format is an annotation: the validator accepts it
        with pytest.raises(pkg.ValidationError) as caught:
            model.from_dict(bad)
        assert caught.value.instance_path == f"/{field}" and caught.value.keyword == "format"


def test_the_one_class_of_a_union_root_validates_with_its_own_schema(corpus: tuple[Path, dict[str, Any]]) -> None:
    """``MODELS[stem]`` of a union root with one class is that class, and the class checks its own
    schema: ``{}`` is valid for the union (its other branch) but not a ``Flag``.  It used to share
    the root's validator, so ``Flag.from_dict({})`` and ``load_union_one_class({})`` raised KeyError."""
    pkg = corpus[1]["union_one_class"]
    flag = pkg.MODELS["union_one_class"]
    assert flag.__name__ == "UnionOneClassFlag"
    with pytest.raises(pkg.ValidationError):
        flag.from_dict({})
    assert flag.from_dict({"on": True}).to_dict() == {"on": True}
    load, dump = root_functions(pkg, "union_one_class")
    assert load({}) == {} and dump(load({})) == {}
    assert isinstance(load({"on": False}), flag)


@pytest.mark.parametrize("value", [
    {"any": {"foo": "f", "bar": "bar"}},
    {"any": {"baz": 1, "bar": "bar"}},
    {"cond": {"kind": "a", "alpha": True, "gamma": 1.5}},
    {"cond": {"kind": "b", "beta": None}},
    {"nested": {"foo": "f", "anything": [1]}},
    {"closed": {"foo": "f"}},
])
def test_keys_evaluated_by_branches_round_trip(corpus: tuple[Path, dict[str, Any]], value: dict[str, Any]) -> None:
    """Valid keys that only a branch declares survive ``unevaluatedProperties: false`` in the model."""
    pkg = corpus[1]["unevaluated_branches"]
    check_instance(pkg, "unevaluated_branches", value)
    root = pkg.models.UnevaluatedBranches.from_dict(value)
    assert json.dumps(root.to_dict()) == json.dumps(value)


def test_qualified_defs_keys_name_classes_by_their_last_part(corpus: tuple[Path, dict[str, Any]]) -> None:
    """A ``$defs`` key that is a qualified type name, as one key or as nested groups, names its
    class by its last part; two that would collide take one more part each (naming.py)."""
    pkg = corpus[1]["qualified_defs"]
    names = {name for name in vars(pkg.models) if isinstance(getattr(pkg.models, name), type)}
    assert {"Bundle", "Root", "Artifact", "ComputeEnvironment", "JobsEnvironment", "Pod", "PodSpec",
            "PlainThing"} <= names
    assert not any(name.startswith(("GithubCom", "IoK8S")) for name in names)
    data = {"root": {"compute": {"client": "c"}, "jobs": {"key": "k"}, "artifact": {"path": "p"}},
            "pod": {"kind": "Pod", "spec": {"nodeName": "n"}}, "plain": {"n": 1}}
    bundle = pkg.Bundle.from_dict(data)
    assert isinstance(bundle.root.artifact, pkg.Artifact) and isinstance(bundle.root.jobs, pkg.JobsEnvironment)
    assert bundle.to_dict() == data
