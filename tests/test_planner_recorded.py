"""Recorded plans: the planner's deterministic paths make exactly the plans they made when recorded.

Every case in ``tests/data/planner_recorded.json`` is re-planned and must come
out identical, group for group and pair for pair. The cases use only the paths
that do not depend on the clock: the quick rotation-by-rotation year (a time
limit of 0 leaves no time for an exact solve), the instant preview, the year
optimiser with a seed and a move budget (no time budget), and the exact model
on classes small enough to be solved to optimality at once (CBC runs on one
thread and breaks ties by the seeded column order).

A restructuring of the planner must leave these plans alone. When a plan is
meant to change, re-record with ``python tests/test_planner_recorded.py --record``
and say why in the commit.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest

from makker.fictional import fictional_students
from makker.plan import Plan
from makker.planner import plan_rotation, plan_year, preview_rotation
from makker.planner.improve import improve_year
from makker.rules import Rules, Weights, pair

DATA = Path(__file__).parent / "data" / "planner_recorded.json"

# (name, path, n, girls, seed, never, apart, keep, rotations, locked, extra)
# keep: number of keep-together pairs (for the first and the last rotation); locked: rotations kept from an earlier plan.
SPECS = [
    ("quick-12", "quick_year", 12, 0.5, 1, 1, 1, 0, 4, 0, {}),
    ("quick-13-trio", "quick_year", 13, 0.4, 2, 2, 1, 0, 4, 0, {}),
    ("quick-18-three-pairs", "quick_year", 18, 0.6, 3, 2, 2, 1, 5, 0, {}),
    ("quick-23-trio-and-three-pairs", "quick_year", 23, 0.3, 4, 3, 2, 0, 5, 0, {}),
    ("quick-26-locked", "quick_year", 26, 0.5, 5, 2, 3, 0, 6, 2, {}),
    ("quick-30-keep", "quick_year", 30, 0.55, 6, 3, 3, 2, 5, 0, {}),
    ("preview-15", "preview", 15, 0.5, 7, 2, 1, 0, 3, 0, {}),
    ("preview-22-keep", "preview", 22, 0.45, 8, 3, 2, 1, 2, 0, {}),
    ("preview-29", "preview", 29, 0.5, 9, 3, 3, 0, 4, 0, {}),
    ("improve-14", "improve", 14, 0.5, 10, 1, 1, 0, 5, 0, {"moves": 400}),
    ("improve-16-design", "improve", 16, 0.5, 11, 0, 0, 0, 5, 0, {"moves": 300}),
    ("improve-20-balanced", "improve", 20, 0.5, 12, 1, 1, 0, 6, 0, {"moves": 300}),
    ("improve-21-locked", "improve", 21, 0.35, 13, 2, 2, 0, 5, 2, {"moves": 300}),
    ("improve-27-keep", "improve", 27, 0.5, 14, 2, 2, 1, 5, 0, {"moves": 200}),
    ("exact-12", "exact", 12, 0.5, 15, 1, 2, 0, 3, 0, {}),
    ("exact-13-keep", "exact", 13, 0.4, 16, 2, 1, 1, 2, 0, {}),
]


def _class(n: int, girls: float, seed: int, never: int, apart: int, keep: int, rotations: int):
    students = fictional_students(n, seed, girls=girls)
    ids = [s.id for s in students]
    rng = random.Random(f"recorded-{seed}")
    chosen: list[frozenset[str]] = []
    while len(chosen) < never + apart + keep:
        p = pair(*rng.sample(ids, 2))
        if all(not (p & q) for q in chosen):  # disjoint: the rules never chain
            chosen.append(p)
    kept = set(chosen[never + apart:])
    rules = Rules(never=set(chosen[:never]), apart=set(chosen[never:never + apart]),
                  keep={r: set(kept) for r in {1, rotations}} if kept else {})
    weights = Weights(gender=rng.choice([3.0, 5.0, 8.0]), school=rng.choice([2.0, 5.0]),
                      repeat=rng.choice([6.0, 8.0, 10.0]), apart=rng.choice([5.0, 7.0]))
    return students, rules, weights


def _quick_year(students, rules, weights, rotations: int, seed: int, locked: int) -> Plan:
    """The rotation-by-rotation year without time for an exact solve; ``locked`` rotations kept."""
    history = None
    if locked:
        history = plan_year(students, rules, weights, locked, klass="1STA", time_limit=0.0, seed=seed + 100,
                            improve=False).plan
    return plan_year(students, rules, weights, rotations, klass="1STA", history=history, keep=locked,
                     time_limit=0.0, seed=seed, improve=False).plan


def plan_case(spec) -> list:
    name, path, n, girls, seed, never, apart, keep, rotations, locked, extra = spec
    students, rules, weights = _class(n, girls, seed, never, apart, keep, rotations)
    if path == "quick_year":
        rots = _quick_year(students, rules, weights, rotations, seed, locked).rotations
    elif path == "preview":
        history = _quick_year(students, rules, weights, rotations - 1, seed, 0).rotations
        rots = [preview_rotation(students, rules, weights, history=history, number=rotations, seed=seed)]
    elif path == "improve":
        start = _quick_year(students, rules, weights, rotations, seed, locked)
        better, stats = improve_year(start, students, rules, weights, locked=locked, time_limit=None,
                                     max_iters=extra["moves"], seed=seed)
        rots = better.rotations
    elif path == "exact":
        history = _quick_year(students, rules, weights, rotations - 1, seed, 0).rotations
        result = plan_rotation(students, rules, weights, history=history, number=rotations, time_limit=60.0,
                               seed=seed)
        assert result.status == "optimal", result.status
        rots = [result.rotation]
    else:
        raise ValueError(path)
    return [[[list(p) for p in g] for g in r.groups] for r in rots]


def _recorded() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


@pytest.mark.parametrize("spec", SPECS, ids=[s[0] for s in SPECS])
def test_the_planner_makes_the_recorded_plan(spec):
    recorded = _recorded()[spec[0]]
    assert recorded["spec"] == json.loads(json.dumps(list(spec[1:]))), "the case changed: re-record"
    assert plan_case(spec) == recorded["plan"]


def test_the_recorded_cases_cover_the_shapes_and_rules():
    """Trios, groups of three pairs, every rule kind and locked rotations all occur (else the test proves less)."""
    recorded = _recorded()
    assert set(recorded) == {s[0] for s in SPECS}
    sizes = {len(p) for case in recorded.values() for r in case["plan"] for g in r for p in g}
    group_sizes = {len(g) for case in recorded.values() for r in case["plan"] for g in r}
    assert sizes == {2, 3} and group_sizes == {2, 3}
    assert any(s[5] for s in SPECS) and any(s[6] for s in SPECS) and any(s[7] for s in SPECS)
    assert any(s[9] for s in SPECS) and {s[1] for s in SPECS} == {"quick_year", "preview", "improve", "exact"}


def record() -> None:
    out = {}
    for spec in SPECS:
        out[spec[0]] = {"spec": list(spec[1:]), "plan": plan_case(spec)}
        print(spec[0], "recorded", file=sys.stderr)
    DATA.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    if "--record" in sys.argv[1:]:
        record()
    else:
        sys.exit(pytest.main([__file__, "-q", "-p", "no:cacheprovider"]))
