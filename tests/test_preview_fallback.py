"""preview_rotation: when the two matchings fail on feasible rules, the exact planner decides."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from makker.fictional import fictional_students
from makker.planner import ImpossibleRules, diagnose, plan_rotation, preview_rotation
from makker.planner.costs import CostModel
from makker.planner.preview import preview_from_model
from makker.rules import Rules, Weights, pair


def _valid(rotation, ids, rules) -> None:
    members = [s for g in rotation.groups for p in g for s in p]
    assert sorted(members) == sorted(ids)  # every student exactly once
    assert not (rotation.group_links() & rules.never)
    assert all(len(p) in (2, 3) for g in rotation.groups for p in g)


def _only_three_mates(seed: int = 0):
    """8 students; the first may only be with students 1, 2 and 5 (exactly 3 allowed group-mates)."""
    students = fictional_students(8, seed=seed)
    ids = [s.id for s in students]
    allowed = {ids[1], ids[2], ids[5]}
    never = {pair(ids[0], b) for b in ids[1:] if b not in allowed}
    return students, ids, allowed, Rules(never=never)


def test_two_stage_fails_but_preview_still_plans():
    students, ids, allowed, rules = _only_three_mates()
    assert diagnose(students, rules) == []
    # the case this test is about: the quick matchings alone find nothing
    assert preview_from_model(CostModel(students, rules, Weights()), 1, 0) is None
    rotation = preview_rotation(students, rules, Weights())
    _valid(rotation, ids, rules)
    group = next(g for g in rotation.groups if any(ids[0] in p for p in g))
    assert {s for p in group for s in p} == {ids[0]} | allowed


def test_truly_impossible_still_raises():
    """Two students who may only be with the same three: diagnose misses it, the exact planner does not."""
    students = fictional_students(8, seed=3)
    ids = [s.id for s in students]
    mates = set(ids[2:5])
    never = {pair(a, b) for a in ids[:2] for b in ids if b != a and b not in mates}
    rules = Rules(never=never)
    assert diagnose(students, rules) == []
    with pytest.raises(ImpossibleRules) as caught:
        preview_rotation(students, rules, Weights())
    assert caught.value.message("en")  # a translated sentence, not a key
    assert not caught.value.message("en").startswith("planner.")


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(8, 12), seed=st.integers(0, 10_000), blocked=st.integers(3, 6), data=st.data())
def test_preview_raises_only_when_the_exact_planner_does(n, seed, blocked, data):
    """One heavily restricted student and a few random rules: a preview whenever a plan exists."""
    students = fictional_students(n, seed=seed)
    ids = [s.id for s in students]
    never = {pair(ids[0], b) for b in ids[1:1 + min(blocked, n - 4)]}
    extra = data.draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=4))
    never |= {pair(a, b) for a, b in extra if a != b}
    rules = Rules(never=never)
    if diagnose(students, rules):
        return
    try:
        rotation = preview_rotation(students, rules, Weights(), seed=seed)
    except ImpossibleRules:
        with pytest.raises(ImpossibleRules):
            plan_rotation(students, rules, Weights(), time_limit=5)
        return
    _valid(rotation, ids, rules)
