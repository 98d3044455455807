"""`make bench`, validators part: ns per validation against peers, on the June schemas.

For each June request schema and four payloads (the valid example, a large
valid payload, one missing both ids, one with a wrong type deep inside) it
prints ns per call (timeit, best of several repeats) for:

* ours: ``is_valid`` (the fast path) and ``validate`` (raises on invalid);
* jsonschema (a precompiled ``Draft202012Validator``, ``is_valid``);
* fastjsonschema (compiled, formats off; ``$schema`` dropped since it has no
  2020-12 support; invalid -> its exception, caught);
* jsonschema-rs (``validator_for(...).is_valid``);
* a hand-written straight-line function with ``isinstance`` checks;

and the ratios the issue sets bars on (fastjsonschema/ours >= 4,
jsonschema/ours >= 50, ours/hand-written <= 1.5).  Missing peers are shown as
"-".  No assertion: this is a report.
"""

from __future__ import annotations

import copy
import json
import sys
import timeit
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from generator.validation import compile_validator

JUNE = ROOT.parent / "shared" / "june"
NAMES = ("group", "identify", "page", "track")
EXAMPLE_FILES = {
    "group": "june-group-company-example.json",
    "identify": "june-identify-user-example.json",
    "page": "june-page-view-example.json",
    "track": "june-track-event-example.json",
}
M = object()


# -- hand-written straight-line validators (the bar) -------------------------------------------
def _is_int(v: Any) -> bool:
    return (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer())


def hand_group(x: Any) -> bool:
    if not isinstance(x, dict) or "groupId" not in x or not ("userId" in x or "anonymousId" in x):
        return False
    for key in ("userId", "anonymousId", "groupId", "timestamp"):
        v = x.get(key, M)
        if v is not M and not isinstance(v, str):
            return False
    t = x.get("traits", M)
    if t is not M:
        if not isinstance(t, dict):
            return False
        for key in ("name", "industry"):
            v = t.get(key, M)
            if v is not M and not isinstance(v, str):
                return False
        v = t.get("employees", M)
        if v is not M and not _is_int(v):
            return False
    c = x.get("context", M)
    return c is M or isinstance(c, dict)


def hand_identify(x: Any) -> bool:
    if not isinstance(x, dict) or not ("userId" in x or "anonymousId" in x):
        return False
    for key in ("userId", "anonymousId", "timestamp"):
        v = x.get(key, M)
        if v is not M and not isinstance(v, str):
            return False
    t = x.get("traits", M)
    if t is not M:
        if not isinstance(t, dict):
            return False
        for key in ("email", "name"):
            v = t.get(key, M)
            if v is not M and not isinstance(v, str):
                return False
    c = x.get("context", M)
    return c is M or isinstance(c, dict)


def hand_page(x: Any) -> bool:
    if not isinstance(x, dict) or not ("userId" in x or "anonymousId" in x):
        return False
    for key in ("userId", "anonymousId", "timestamp"):
        v = x.get(key, M)
        if v is not M and not isinstance(v, str):
            return False
    p = x.get("properties", M)
    if p is not M:
        if not isinstance(p, dict):
            return False
        for key in ("url", "path", "title", "referrer", "search"):
            v = p.get(key, M)
            if v is not M and not isinstance(v, str):
                return False
    c = x.get("context", M)
    if c is not M:
        if not isinstance(c, dict):
            return False
        for key in ("groupId", "ip", "locale", "timezone"):
            v = c.get(key, M)
            if v is not M and not isinstance(v, str):
                return False
        s = c.get("screen", M)
        if s is not M:
            if not isinstance(s, dict):
                return False
            for key in ("width", "height"):
                v = s.get(key, M)
                if v is not M and not _is_int(v):
                    return False
            v = s.get("density", M)
            if v is not M and not (isinstance(v, (int, float)) and not isinstance(v, bool)):
                return False
    return True


def hand_track(x: Any) -> bool:
    if not isinstance(x, dict) or "event" not in x or not ("userId" in x or "anonymousId" in x):
        return False
    for key in ("userId", "anonymousId", "event", "timestamp"):
        v = x.get(key, M)
        if v is not M and not isinstance(v, str):
            return False
    p = x.get("properties", M)
    if p is not M and not isinstance(p, dict):
        return False
    c = x.get("context", M)
    if c is not M:
        if not isinstance(c, dict):
            return False
        for key in ("groupId", "ip", "locale", "timezone"):
            v = c.get(key, M)
            if v is not M and not isinstance(v, str):
                return False
    return True


HAND = {"group": hand_group, "identify": hand_identify, "page": hand_page, "track": hand_track}
DEEP_WRONG = {
    "group": ("traits", "employees", "fifty"),
    "identify": ("traits", "name", 42),
    "page": ("properties", "title", 42),
    "track": ("context", "ip", 42),
}


def payloads(name: str, example: dict[str, Any]) -> dict[str, Any]:
    large = copy.deepcopy(example)
    for key in ("traits", "properties", "context"):
        if isinstance(large.get(key), dict):
            large[key].update({f"extra_{i}": {"n": i, "tags": ["a", "b"]} for i in range(200)})
    large.setdefault("context", {}).update({f"c{i}": str(i) for i in range(200)})
    missing = copy.deepcopy(example)
    missing.pop("userId", None)
    missing.pop("anonymousId", None)
    deep = copy.deepcopy(example)
    outer, inner, value = DEEP_WRONG[name]
    deep.setdefault(outer, {})[inner] = value
    return {"valid": example, "large valid": large, "missing both ids": missing, "wrong type deep": deep}


def measure(fns: dict[str, Callable[[], object]], repeat: int = 7, budget: float = 0.01) -> dict[str, float]:
    """ns per call of each function: best of ``repeat`` rounds, interleaved (fair under a noisy load)."""
    numbers = {}
    for key, fn in fns.items():
        one = timeit.Timer(fn).timeit(number=20) / 20
        numbers[key] = max(20, int(budget / max(one, 1e-9)))
    best = dict.fromkeys(fns, float("inf"))
    for _ in range(repeat):
        for key, fn in fns.items():
            elapsed = timeit.Timer(fn).timeit(number=numbers[key]) / numbers[key]
            best[key] = min(best[key], elapsed * 1e9)
    return best


def peers(schema: dict[str, Any]) -> dict[str, Callable[[Any], bool]]:
    out: dict[str, Callable[[Any], bool]] = {}
    try:
        import jsonschema

        out["jsonschema"] = jsonschema.Draft202012Validator(schema).is_valid
    except ImportError:
        pass
    try:
        import fastjsonschema

        legacy = {k: v for k, v in schema.items() if k != "$schema"}
        fast = fastjsonschema.compile(legacy, use_formats=False)

        def fjs(x: Any, fast: Callable[[Any], Any] = fast) -> bool:
            try:
                fast(x)
            except fastjsonschema.JsonSchemaException:
                return False
            return True

        out["fastjsonschema"] = fjs
    except ImportError:
        pass
    try:
        import jsonschema_rs

        out["jsonschema-rs"] = jsonschema_rs.validator_for(schema).is_valid
    except ImportError:
        pass
    return out


def main() -> int:
    if not JUNE.is_dir():
        print(f"June schemas not found at {JUNE}")
        return 2
    cols = ["ours is_valid", "ours validate", "hand-written", "jsonschema", "fastjsonschema", "jsonschema-rs"]
    print("ns per validation (best of 7 interleaved rounds); ratios use ours is_valid")
    print("| schema | payload | " + " | ".join(cols) + " | fjs/ours | js/ours | ours/hand |")
    print("|---" * (len(cols) + 5) + "|")
    worst = {"fjs": float("inf"), "js": float("inf"), "hand": 0.0}
    for name in NAMES:
        schema = json.loads((JUNE / "json-schema" / f"june-{name}-request-schema.json").read_text())
        example = json.loads((JUNE / "examples" / EXAMPLE_FILES[name]).read_text())
        ours = compile_validator(schema)
        others = peers(schema)
        for label, payload in payloads(name, example).items():
            expected = HAND[name](payload)
            assert ours.is_valid(payload) == expected, (name, label)

            def validate(p: Any = payload, v: Any = ours) -> None:
                try:
                    v.validate(p)
                except v.ValidationError:
                    pass

            fns: dict[str, Callable[[], object]] = {
                "ours is_valid": lambda p=payload, v=ours: v.is_valid(p),
                "ours validate": validate,
                "hand-written": lambda p=payload, h=HAND[name]: h(p),
            }
            for peer, fn in others.items():
                assert fn(payload) == expected, (peer, name, label)
                fns[peer] = lambda p=payload, fn=fn: fn(p)
            row = measure(fns)
            mine = row["ours is_valid"]
            ratios = []
            for key, peer in (("fjs", "fastjsonschema"), ("js", "jsonschema")):
                if peer in row:
                    ratio = row[peer] / mine
                    worst[key] = min(worst[key], ratio)
                    ratios.append(f"{ratio:.1f}x")
                else:
                    ratios.append("-")
            hand = mine / row["hand-written"]
            worst["hand"] = max(worst["hand"], hand)
            cells = [f"{row[c]:,.0f}" if c in row else "-" for c in cols]
            print(f"| {name} | {label} | " + " | ".join(cells) + f" | {ratios[0]} | {ratios[1]} | {hand:.2f} |")
    print(f"\nworst rows: fastjsonschema/ours {worst['fjs']:.1f}x (bar >= 4), jsonschema/ours {worst['js']:.1f}x "
          f"(bar >= 50), ours/hand-written {worst['hand']:.2f} (bar <= 1.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
