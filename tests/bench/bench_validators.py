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


# -- hand-written straight-line validators (the bar): unrolled, one check per property ----------
def hand_group(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if "userId" not in x and "anonymousId" not in x:
        return False
    if "groupId" not in x:
        return False
    if "userId" in x and not isinstance(x["userId"], str):
        return False
    if "anonymousId" in x and not isinstance(x["anonymousId"], str):
        return False
    if not isinstance(x["groupId"], str):
        return False
    if "traits" in x:
        t = x["traits"]
        if not isinstance(t, dict):
            return False
        if "name" in t and not isinstance(t["name"], str):
            return False
        if "industry" in t and not isinstance(t["industry"], str):
            return False
        if "employees" in t:
            e = t["employees"]
            if not (type(e) is int or (isinstance(e, float) and e.is_integer())
                    or (isinstance(e, int) and not isinstance(e, bool))):
                return False
    if "timestamp" in x and not isinstance(x["timestamp"], str):
        return False
    return "context" not in x or isinstance(x["context"], dict)


def hand_identify(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if "userId" not in x and "anonymousId" not in x:
        return False
    if "userId" in x and not isinstance(x["userId"], str):
        return False
    if "anonymousId" in x and not isinstance(x["anonymousId"], str):
        return False
    if "traits" in x:
        t = x["traits"]
        if not isinstance(t, dict):
            return False
        if "email" in t and not isinstance(t["email"], str):
            return False
        if "name" in t and not isinstance(t["name"], str):
            return False
    if "timestamp" in x and not isinstance(x["timestamp"], str):
        return False
    return "context" not in x or isinstance(x["context"], dict)


def hand_page(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if "userId" not in x and "anonymousId" not in x:
        return False
    if "userId" in x and not isinstance(x["userId"], str):
        return False
    if "anonymousId" in x and not isinstance(x["anonymousId"], str):
        return False
    if "properties" in x:
        p = x["properties"]
        if not isinstance(p, dict):
            return False
        if "url" in p and not isinstance(p["url"], str):
            return False
        if "path" in p and not isinstance(p["path"], str):
            return False
        if "title" in p and not isinstance(p["title"], str):
            return False
        if "referrer" in p and not isinstance(p["referrer"], str):
            return False
        if "search" in p and not isinstance(p["search"], str):
            return False
    if "timestamp" in x and not isinstance(x["timestamp"], str):
        return False
    if "context" in x:
        c = x["context"]
        if not isinstance(c, dict):
            return False
        if "groupId" in c and not isinstance(c["groupId"], str):
            return False
        if "ip" in c and not isinstance(c["ip"], str):
            return False
        if "locale" in c and not isinstance(c["locale"], str):
            return False
        if "timezone" in c and not isinstance(c["timezone"], str):
            return False
        if "screen" in c:
            sc = c["screen"]
            if not isinstance(sc, dict):
                return False
            if "width" in sc:
                n = sc["width"]
                if not (type(n) is int or (isinstance(n, float) and n.is_integer())
                        or (isinstance(n, int) and not isinstance(n, bool))):
                    return False
            if "height" in sc:
                n = sc["height"]
                if not (type(n) is int or (isinstance(n, float) and n.is_integer())
                        or (isinstance(n, int) and not isinstance(n, bool))):
                    return False
            if "density" in sc:
                d = sc["density"]
                if not (isinstance(d, (int, float)) and not isinstance(d, bool)):
                    return False
    return True


def hand_track(x: Any) -> bool:
    if not isinstance(x, dict):
        return False
    if "userId" not in x and "anonymousId" not in x:
        return False
    if "event" not in x:
        return False
    if "userId" in x and not isinstance(x["userId"], str):
        return False
    if "anonymousId" in x and not isinstance(x["anonymousId"], str):
        return False
    if not isinstance(x["event"], str):
        return False
    if "properties" in x and not isinstance(x["properties"], dict):
        return False
    if "timestamp" in x and not isinstance(x["timestamp"], str):
        return False
    if "context" in x:
        c = x["context"]
        if not isinstance(c, dict):
            return False
        if "groupId" in c and not isinstance(c["groupId"], str):
            return False
        if "ip" in c and not isinstance(c["ip"], str):
            return False
        if "locale" in c and not isinstance(c["locale"], str):
            return False
        if "timezone" in c and not isinstance(c["timezone"], str):
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
                "ours is_valid": lambda p=payload, f=ours.is_valid: f(p),
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
