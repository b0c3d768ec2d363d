"""One meaning per soft rule: the cost model, the year search, the metrics and
the plain-words report count every soft rule the same way (gender mix, lone
girl/boy, previous school, preferably apart, repeats, trio and big-group
turns), also when some genders and schools are unknown."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from makker.baseline import fill_shapes
from makker.metrics import (
    compute,
    fewest_same_gender,
    lone_boy,
    lone_gender,
    lone_girl,
    plan_report,
    same_gender,
    same_school,
)
from makker.plan import Plan, Rotation
from makker.planner.costs import (
    APART_GROUP,
    APART_PAIR,
    LONE_GENDER,
    PAIR_SAME_GENDER,
    SCHOOL_GROUP,
    SCHOOL_PAIR,
    CostModel,
)
from makker.planner.search_state import LONE_BOOST, YearSearch, graded
from makker.rules import Rules, Weights
from makker.shapes import SHAPES, group_shapes
from makker.students import Student


@st.composite
def plans(draw):
    n = draw(st.integers(12, 34))
    share = draw(st.floats(0, 1))
    unknown = draw(st.floats(0, 0.6))
    students = []
    for i in range(n):
        u = draw(st.floats(0, 1))
        g = None if u < unknown else ("K" if draw(st.floats(0, 1)) < share else "M")
        students.append(Student(f"s{i}", f"Elev {i}", klass="1A", gender=g))
    ids = draw(st.permutations([s.id for s in students]))
    pairs = [tuple(ids[i:i + 2]) for i in range(0, n - n % 2, 2)]
    if n % 2:
        pairs[-1] = pairs[-1] + (ids[-1],)
    groups = [tuple(pairs[i:i + 2]) for i in range(0, len(pairs) - len(pairs) % 2, 2)]
    if len(pairs) % 2:
        groups[-1] = groups[-1] + (pairs[-1],)
    return Plan("1A", students, [Rotation(1, tuple(groups))])


def _cost_model_lone(plan: Plan) -> int:
    cm = CostModel(plan.students, None, Weights())
    total = 0
    for group in plan.rotations[0].groups:
        members = cm._idx(s for p in group for s in p)
        with_rule = cm._set_cost(members)
        lone_cost, cm.lone_cost = cm.lone_cost, 0
        without = cm._set_cost(members)
        cm.lone_cost = lone_cost
        assert with_rule - without in (0, lone_cost)
        total += int(with_rule != without)
    return total


@settings(max_examples=60, deadline=None)
@given(plans())
def test_lone_gender_has_one_meaning(plan):
    rot = plan.rotations[0]
    gender = {s.id: s.gender for s in plan.students}
    expected = 0
    for group in rot.groups:
        members = [s for p in group for s in p]
        girls = sum(gender[s] == "K" for s in members)
        boys = sum(gender[s] == "M" for s in members)
        expected += int(lone_gender(girls, boys))
    m = compute(plan).rotations[0]
    assert m.lone_girl_groups + m.lone_boy_groups == expected
    assert _cost_model_lone(plan) == expected
    search = YearSearch(plan.students, None, Weights(), plan.rotations)
    assert search.figures().lone_groups == expected
    assert search.lone_groups([rot.groups]) == expected


def test_unknown_genders_do_not_make_a_lone_girl_or_boy():
    # one girl, one boy and two of unknown gender: neither is alone among known genders
    assert not lone_girl(1, 1) and not lone_boy(1, 1)
    assert lone_girl(1, 2) and not lone_boy(1, 2)
    assert lone_boy(3, 1) and not lone_girl(3, 1)
    assert not lone_gender(0, 4) and not lone_gender(2, 2)


# --- every soft rule, on random years ------------------------------------------

@st.composite
def years(draw):
    """A random year (1-3 rotations, either group shape) of a class with unknown
    genders, previous schools partly missing, preferably-apart and never-together pairs."""
    n = draw(st.integers(8, 34))
    shape = draw(st.sampled_from(SHAPES))
    share, unknown = draw(st.floats(0, 1)), draw(st.floats(0, 0.6))
    rng = random.Random(draw(st.integers(0, 10**6)))
    students = []
    for i in range(n):
        g = None if rng.random() < unknown else ("K" if rng.random() < share else "M")
        school = rng.choice(["Skole A", "Skole A", "Skole B", "Skole C", None])
        students.append(Student(f"s{i}", f"Elev {i}", klass="1A", gender=g, school=school))
    ids = [s.id for s in students]
    links = [frozenset(rng.sample(ids, 2)) for _ in range(draw(st.integers(0, 6)))]
    rules = Rules(never=set(links[:2]), apart=set(links[2:]))
    rotations = []
    for number in range(1, draw(st.integers(1, 3)) + 1):
        order = ids[:]
        rng.shuffle(order)
        rotations.append(Rotation(number, fill_shapes(order, group_shapes(n, shape))))
    return Plan("1A", students, rotations), rules


def _only(**weights) -> Weights:
    return Weights(**{"gender": 0.0, "school": 0.0, "repeat": 0.0, "apart": 0.0, **weights})


def _fixed_costs(cm: CostModel, groups) -> tuple[int, int]:
    """The rotation's cost with its own pairings: the scalar path and the numpy path of the cost model."""
    scalar = vector = 0
    for group in groups:
        pairing = tuple(tuple(cm.index[s] for s in p) for p in group)
        scalar += cm.fixed_cost(pairing) or 0
        members = [a for p in pairing for a in p]
        pattern, k = [], 0
        for p in pairing:
            pattern.append(tuple(range(k, k + len(p))))
            k += len(p)
        costs, _ = cm.columns_array(np.array([members]), [tuple(pattern)])
        vector += max(0, int(costs[0]))
    return scalar, vector


@settings(max_examples=40, deadline=None)
@given(years())
def test_every_soft_rule_has_one_meaning(year):
    plan, rules = year
    last = plan.rotations[-1]
    m = compute(plan, rules)
    rm = m.rotations[-1]
    history = plan.rotations[:-1]
    school = {s.id: s.school for s in plan.students}
    # gender mix and lone girl/boy: the cost model charges exactly what the metrics count
    free = Rules()
    cm = CostModel(plan.students, free, _only(gender=1), number=last.number)
    lone = rm.lone_girl_groups + rm.lone_boy_groups
    want = PAIR_SAME_GENDER * rm.same_gender_pairs + LONE_GENDER * lone
    assert _fixed_costs(cm, last.groups) == (want, want)
    assert 0 <= rm.same_gender_fewest <= rm.same_gender_pairs
    search = YearSearch(plan.students, free, _only(gender=1), [last])
    assert search.objective() == PAIR_SAME_GENDER * rm.same_gender_pairs + LONE_GENDER * LONE_BOOST * lone
    # previous school: what the cost model charges inside pairs is the metrics' count
    cm = CostModel(plan.students, free, _only(school=1), number=last.number)
    in_group = sum(same_school(*(school[s] for s in link)) for link in last.group_links())
    assert _fixed_costs(cm, last.groups)[0] - SCHOOL_GROUP * in_group == (
        (SCHOOL_PAIR - SCHOOL_GROUP) * rm.same_school_pairs)
    # preferably apart: the metrics count the group links, the cost model charges them (and pairs on top)
    apart = Rules(apart=rules.apart)
    cm = CostModel(plan.students, apart, _only(apart=1), number=last.number)
    in_pair = len(last.pair_links() & rules.apart)
    assert _fixed_costs(cm, last.groups)[0] == APART_GROUP * rm.broken_apart + (APART_PAIR - APART_GROUP) * in_pair
    # trio and big-group turns: the cost model's history, the year search and the metrics agree
    cm = CostModel(plan.students, free, Weights(), history, last.number)
    before = {s.id: s for s in compute(plan, rules, upto=len(history)).students}
    assert [before[sid].trio_turns for sid in cm.ids] == cm.trio_turns
    assert [before[sid].big_group_turns for sid in cm.ids] == cm.big_turns
    search = YearSearch(plan.students, rules, Weights(), plan.rotations)
    turns = {s.id: s for s in m.students}
    assert [turns[sid].trio_turns for sid in cm.ids] == search.T.astype(int).tolist()
    assert [turns[sid].big_group_turns for sid in cm.ids] == search.B.astype(int).tolist()
    # repeats, never-together and lone groups over the year: the search's figures are the metrics' (the gate)
    assert search.figures() == graded(plan, rules)
    assert m.lone_gender_groups == search.lone_groups(r.groups for r in plan.rotations)


def test_same_gender_pairs_are_counted_where_a_mixed_pair_was_possible():
    # one girl and three boys: one pair of boys cannot be avoided
    assert fewest_same_gender((2, 2), 1, 3, 0) == 1
    assert fewest_same_gender((2, 2), 2, 2, 0) == 0
    assert fewest_same_gender((2, 3), 0, 4, 1) == 1  # the unknown student mixes one part
    assert not same_gender(1, 0, 1) and same_gender(0, 3, 0) and not same_gender(1, 0, 0)
    def report(genders: str, pairs) -> tuple[int, list[str]]:
        students = [Student(f"s{i}", f"Elev {i}", klass="1A", gender=g) for i, g in enumerate(genders)]
        plan = Plan("1A", students, [Rotation(1, (tuple(pairs),))])
        lines = [line for line in plan_report(plan, lang="en") if "same-gender" in line]
        return compute(plan).rotations[0].same_gender_pairs, lines

    # one girl, three boys: the pair of boys was unavoidable, so the report says nothing
    assert report("KMMM", [("s0", "s1"), ("s2", "s3")]) == (1, [])
    # two girls, two boys in two same-gender pairs: both could have been mixed
    same, lines = report("KKMM", [("s0", "s1"), ("s2", "s3")])
    assert same == 2 and len(lines) == 1 and lines[0].startswith("2 same-gender pairs")
    assert report("KKMM", [("s0", "s2"), ("s1", "s3")]) == (0, [])
