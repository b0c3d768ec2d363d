"""The random draw: same group shapes as the planner, reproducible, redraws broken hard rules."""

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from makker.baseline import fill_shapes, group_shapes, random_plan
from makker.fictional import fictional_students, realistic_rules
from makker.metrics import compute
from makker.rules import Rules, pair


@pytest.mark.parametrize("n, shapes", [
    (4, [(2, 2)]), (5, [(2, 3)]), (6, [(2, 2, 2)]), (7, [(2, 2, 3)]), (8, [(2, 2), (2, 2)]),
    (9, [(2, 2), (2, 3)]), (10, [(2, 2), (2, 2, 2)]), (11, [(2, 3), (2, 2, 2)]),
    (14, [(2, 2), (2, 2), (2, 2, 2)]), (15, [(2, 2), (2, 3), (2, 2, 2)]), (2, [(2,)]), (0, []),
])
def test_group_shapes(n, shapes):
    assert group_shapes(n) == shapes


@pytest.mark.parametrize("n", range(4, 41))
def test_group_shapes_rules(n):
    shapes = group_shapes(n)
    assert sum(map(sum, shapes)) == n
    pair_sizes = Counter(size for shape in shapes for size in shape)
    assert pair_sizes[3] == n % 2 and set(pair_sizes) <= {2, 3}
    groups = Counter(len(shape) for shape in shapes)
    assert groups[3] == (n // 2) % 2 and set(groups) <= {2, 3}


def test_fill_shapes_rejects_leftovers():
    with pytest.raises(ValueError):
        fill_shapes(list("abcde"), [(2, 2)])


@settings(max_examples=30, deadline=None)
@given(n=st.integers(4, 40), seed=st.integers(0, 1000))
def test_random_plan_is_a_partition_with_planner_shapes(n, seed):
    students = fictional_students(n, 3)
    plan = random_plan(students, 3, seed=seed)
    assert len(plan.rotations) == 3 and [r.number for r in plan.rotations] == [1, 2, 3]
    shapes = sorted(group_shapes(n))
    for r in plan.rotations:
        assert sorted(r.members()) == sorted(s.id for s in students)
        assert sorted(tuple(len(p) for p in g) for g in r.groups) == shapes


def test_same_seed_same_plan_other_seed_other_plan():
    students = fictional_students(20, 1)
    a, b = random_plan(students, 4, seed=5), random_plan(students, 4, seed=5)
    assert a.to_json() == b.to_json()
    assert random_plan(students, 4, seed=6).to_json() != a.to_json()
    assert a.klass == "1STA" and random_plan(students, 1, klass="2STB").klass == "2STB"


def test_reject_hard_keeps_never_together_apart():
    students = fictional_students(16, 2)
    ids = [s.id for s in students]
    rules = Rules(never={pair(ids[0], ids[j]) for j in range(1, 6)} | {pair(ids[7], ids[8])})
    hand = random_plan(students, 10, seed=1, rules=rules, reject_hard=True)
    assert compute(hand, rules).broken_never == 0
    blind = random_plan(students, 10, seed=1, rules=rules)
    assert compute(blind, rules).broken_never > 0  # the plain draw ignores the rules


def test_reject_hard_returns_least_bad_draw_when_impossible():
    students = fictional_students(4, 0)
    ids = [s.id for s in students]
    rules = Rules(never={pair(ids[0], ids[1])})  # 4 students are always one group
    plan = random_plan(students, 2, rules=rules, reject_hard=True)
    assert compute(plan, rules).broken_never == 2


def test_realistic_rules_draw():
    students = fictional_students(28, 4)
    rules = realistic_rules(students, 4, never=2)
    assert compute(random_plan(students, 10, seed=0, rules=rules, reject_hard=True), rules).broken_never == 0
