"""One meaning per soft rule: the cost model, the year search and the metrics
count lone girl/boy groups the same way, also when some genders are unknown."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from makker.metrics import compute, lone_boy, lone_gender, lone_girl
from makker.plan import Plan, Rotation
from makker.planner.costs import CostModel
from makker.planner.improve import YearSearch
from makker.rules import Weights
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
