"""The year optimiser's start from a known design, on classes as they come.

Any size from 12 to 34, any girl share, students of unknown gender: a seeded
year keeps every hard rule and every group shape, has no repeated pair
partner, and the optimiser's year is never worse than the rotation-by-rotation
plan on any figure.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from makker.baseline import random_plan
from makker.fictional import realistic_rules
from makker.plan import Plan, Rotation
from makker.planner.construct import balanced_classes
from makker.planner.improve import chase_start, improve_year
from makker.planner.rotation import preview_rotation
from makker.planner.search_state import YearSearch, graded
from makker.planner.seeding import SEED_SOLVE, _per_rotation, _place_students, designs_for, seed_rotations, shape_of
from makker.rules import Rules, Weights
from makker.shapes import group_shapes, repeat_free_bound
from makker.students import Student

ROTATIONS = 6


def a_class(n: int, girls: float, unknown: float, seed: int) -> list[Student]:
    """``n`` students: ``unknown`` of them of unknown gender, ``girls`` of the rest girls."""
    n_unknown = round(n * unknown)
    n_girls = round((n - n_unknown) * girls)
    genders = ["K"] * n_girls + ["M"] * (n - n_unknown - n_girls) + [None] * n_unknown
    order = sorted(range(n), key=lambda i: (i * 7919 + seed * 104729) % 1009)  # mixed, not sorted by gender
    return [Student(f"s{i:02d}", f"Elev {i:02d}", gender=genders[order[i]]) for i in range(n)]


def rotation_by_rotation(students, rules, rotations: int = ROTATIONS) -> Plan:
    done = []
    for r in range(1, rotations + 1):
        done.append(preview_rotation(students, rules, Weights(), history=done, number=r, seed=0, exact_seconds=2))
    return Plan(klass="1STA", students=list(students), rotations=done)


def check_year(rotations, plan: Plan, rules) -> None:
    ids = sorted(s.id for s in plan.students)
    partners: Counter = Counter()
    for old, new in zip(plan.rotations, rotations):
        assert sorted(new.members()) == ids  # every student once
        assert sorted(tuple(sorted(len(p) for p in g)) for g in new.groups) == sorted(
            tuple(sorted(len(p) for p in g)) for g in old.groups)  # the class's group shapes
        assert not (new.group_links() & rules.never)  # never together
        partners.update(new.pair_links())
    assert max(partners.values()) == 1  # no repeated pair partner


sizes = st.integers(12, 34)
shares = st.sampled_from([0.0, 0.1, 0.3, 0.45, 0.5, 0.55, 0.7, 0.9, 1.0]) | st.floats(0, 1)
unknowns = st.sampled_from([0.0, 0.0, 0.05, 0.15])


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.sampled_from([16, 20, 24, 28, 32]), girls=shares, unknown=unknowns, never=st.integers(0, 3),
       seed=st.integers(0, 30))
def test_a_seeded_year_keeps_the_hard_rules(n, girls, unknown, never, seed):
    students = a_class(n, girls, unknown, seed)
    rules = realistic_rules(students, seed, never=never)
    plan = rotation_by_rotation(students, rules)
    search = YearSearch(students, rules, Weights(), plan.rotations)
    base = graded(plan, rules)
    seeded = seed_rotations(search, plan.rotations, 0, base, seed=seed)
    if seeded is None:
        return
    check_year(seeded, plan, rules)
    after = graded(plan.with_rotations(seeded), rules)
    assert after.broken_never == 0
    # a start, not a result: it may have more lone girls/boys than the input (the year search removes
    # them, or returns the input: the next test)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=sizes, girls=shares, unknown=unknowns, never=st.integers(0, 3), seed=st.integers(0, 30))
def test_the_year_optimiser_from_a_design_is_never_worse_than_rotation_by_rotation(n, girls, unknown, never, seed):
    students = a_class(n, girls, unknown, seed)
    rules = realistic_rules(students, seed, never=never)
    plan = rotation_by_rotation(students, rules)
    better, stats = improve_year(plan, students, rules, Weights(), max_iters=40, time_limit=None, seed=seed)
    check_year(better.rotations, plan, rules)
    assert graded(better, rules).not_worse_than(graded(plan, rules))


@settings(max_examples=10, deadline=None)
@given(girls=st.integers(0, 28), unknown=st.integers(0, 4), seed=st.integers(0, 30))
def test_the_balanced_design_fits_any_girl_share(girls, unknown, seed):
    """28 students: every girl that fits is on a girls' point, every boy that fits on a boys' point,
    and with one girl (or boy) too many each rotation has exactly one lone girl/boy group."""
    unknown = min(unknown, 28 - girls)
    students = a_class(28, girls / max(1, 28 - unknown), unknown / 28, seed)
    search = YearSearch(students, realistic_rules(students, seed, never=0), Weights(), [])
    girls = int((search.gen == 0).sum())
    boys = int((search.gen == 1).sum())
    design = designs_for(search)[0] if search.has_gender else None
    if design is None:
        assert girls == boys == 0
        return
    assert design.girls == 14 and design.classes == balanced_classes(7)
    label = _place_students(search, design.classes, design.girls)
    assert sorted(label) == list(range(28))
    assert sum(search.gen[label[p]] == 0 for p in range(14)) == min(girls, 14)
    assert sum(search.gen[label[p]] == 1 for p in range(14, 28)) == min(boys, 14)
    if unknown == 0 and abs(girls - boys) == 2:
        rotations = [tuple(tuple((search.model.ids[label[p]],) for p in block) for block in cls)
                     for cls in design.classes]
        assert all(search.lone_groups([r]) == 1 for r in rotations)


def test_fifteen_girls_and_thirteen_boys_get_the_balanced_design():
    """One girl beyond half the class: one lone girl/boy group per design rotation, the fewest 15 girls
    allow in groups of four, and 7 repeat-free rotations where rotation by rotation has 3."""
    students = a_class(28, 15 / 28, 0.0, 0)
    rules = realistic_rules(students, 0, never=2)
    plan = rotation_by_rotation(students, rules, 10)
    base = graded(plan, rules)
    seeded = seed_rotations(YearSearch(students, rules, Weights(), plan.rotations), plan.rotations, 0, base)
    assert seeded is not None
    check_year(seeded, plan, rules)
    after = graded(plan.with_rotations(seeded), rules)
    assert after.not_worse_than(base) and after.repeat_free >= 7 > base.repeat_free
    search = YearSearch(students, rules, Weights(), seeded)
    assert all(search.lone_groups([r.groups]) == 1 for r in seeded[:after.repeat_free])


def test_a_short_budget_still_completes_the_first_design_candidate_exactly():
    """20 s for the year search of 24 students: 10 s for two candidates of 4 and 5 rotations.

    A fair share (1.1 s a rotation) is below an exact solve's minimum, so the
    first candidate gets the minimum and the second what is left; with a long
    budget every candidate gets its fair share, and nothing left means none.
    """
    first = _per_rotation(10.0, [4, 5])
    assert first >= SEED_SOLVE[0]
    assert first * 4 <= 10.0
    assert _per_rotation(10.0 - 4 * first, [5]) < SEED_SOLVE[0]  # the quick planner for the second
    assert _per_rotation(30.0, [3, 4]) == 30.0 / 7  # a fair share when it is long enough
    assert _per_rotation(200.0, [3, 4]) == SEED_SOLVE[1]
    assert _per_rotation(0.0, [4]) == 0.0
    assert _per_rotation(1.0, [4]) < SEED_SOLVE[0]  # not even one exact rotation fits


# -- the start from a chase, for classes no design fits ---------------------------------------------

def test_the_lone_focus_lets_the_chase_move_the_students_of_a_lone_group():
    students = [Student(f"s{i}", f"Elev {i}", gender="K" if i in (0, 4, 5, 8, 9, 10) else "M") for i in range(12)]
    ids = [s.id for s in students]
    groups = tuple(((ids[a], ids[b]), (ids[c], ids[d])) for a, b, c, d in ((0, 1, 2, 3), (4, 5, 6, 7), (8, 9, 10, 11)))
    plan = Plan(klass="1STA", students=students, rotations=[Rotation(1, groups), Rotation(2, groups)])
    search = YearSearch(students, Rules(), Weights(), plan.rotations)
    search.set_mode(True, 1)  # chasing the first rotation: it has no repeated group-mate
    assert search.conflict_mask() is None or not search.conflict_mask()[0][0].any()
    search.lone_focus = True
    focus = search.conflict_mask()[0][0]
    assert [ids[i] for i in np.flatnonzero(focus)] == ids[0:4] + ids[8:12]  # one girl; one boy
    assert not focus[4:8].any()  # two girls and two boys


def test_the_group_shape_of_a_year_is_read_from_its_rotations():
    students = a_class(15, 0.5, 0.0, 1)
    standard = rotation_by_rotation(students, Rules(), 2)
    assert shape_of(15, standard.rotations) == "standard"
    alone = random_plan(students, 2, seed=1, shape="trio-alone")
    assert shape_of(15, alone.rotations) == "trio-alone"
    assert shape_of(15, [standard.rotations[0], alone.rotations[0]]) is None


def test_a_chase_start_needs_a_budget_for_exact_solves():
    students = a_class(18, 0.4, 0.0, 2)
    plan = random_plan(students, ROTATIONS, seed=2, reject_hard=True)
    search = YearSearch(students, Rules(), Weights(), plan.rotations)
    assert chase_start(search, plan.rotations, 0, graded(plan), time_limit=2.0) is None


def test_a_chase_start_has_more_repeat_free_rotations_than_a_poor_input():
    students = a_class(21, 0.4, 0.0, 3)  # a trio: no design fits
    rules = realistic_rules(students, 3, never=2)
    plan = random_plan(students, 4, seed=3, rules=rules, reject_hard=True)
    base = graded(plan, rules)
    search = YearSearch(students, rules, Weights(), plan.rotations)
    start = chase_start(search, plan.rotations, 0, base, time_limit=14.0, seed=3)
    assert start is not None
    check_year(start, plan, rules)
    assert graded(plan.with_rotations(start), rules).repeat_free > base.repeat_free


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(13, 34).filter(lambda n: n % 4 and repeat_free_bound(n) > 1), girls=shares, unknown=unknowns, never=st.integers(0, 3),
       seed=st.integers(0, 30))
def test_a_chase_start_keeps_the_hard_rules_and_the_group_shapes(n, girls, unknown, never, seed):
    students = a_class(n, girls, unknown, seed)
    rules = realistic_rules(students, seed, never=never)
    plan = rotation_by_rotation(students, rules, 4)
    base = graded(plan, rules)
    search = YearSearch(students, rules, Weights(), plan.rotations)
    start = chase_start(search, plan.rotations, 0, base, time_limit=14.0, seed=seed)
    if start is None:  # the input is at the bound, or the budget holds no exact solves
        return
    check_year(start, plan, rules)
    after = graded(plan.with_rotations(start), rules)
    assert after.broken_never == 0
    assert after.repeat_free > base.repeat_free


@pytest.mark.parametrize("shape", ["standard", "trio-alone"])
def test_design_fits_the_sizes_designs_for_offers(shape):
    """design_fits says yes exactly where designs_for offers a design (groups of two pairs only)."""
    from makker.planner.seeding import design_fits, designs_for

    for n in range(12, 35):
        for genders in (False, True):
            students = [Student(f"s{i}", f"S{i}", gender=("K" if i % 2 else "M") if genders else None)
                        for i in range(n)]
            fits = design_fits(n, genders, shape)
            sizes_ok = all(g == (2, 2) for g in group_shapes(n, shape))
            assert fits == (sizes_ok and bool(designs_for(YearSearch(students, Rules(), Weights(), []))))
