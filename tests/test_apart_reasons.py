"""Why a preferably-apart pair shares a group: the report gives the price of keeping it apart."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from makker.apart_reasons import COSTS, apart_reasons
from makker.metrics import compute
from makker.plan import Plan, Rotation
from makker.report import missed_lines
from makker.rules import Rules, Weights
from makker.students import Student


def _class(genders: str) -> list[Student]:
    return [Student(f"s{i}", f"Elev {i}", gender=g if g != "?" else None) for i, g in enumerate(genders)]


def _rotation(number: int, ids: list[str]) -> Rotation:
    pairs = [tuple(ids[i:i + 2]) for i in range(0, len(ids), 2)]
    return Rotation(number, tuple(tuple(pairs[i:i + 2]) for i in range(0, len(pairs), 2)))


# s0 s1 | s2 s3   (group A)     s4 s5 | s6 s7   (group B)
IDS = [f"s{i}" for i in range(8)]
APART = frozenset({"s0", "s2"})


def test_separating_two_girls_among_boys_would_leave_two_groups_with_one_girl():
    plan = Plan("1A", _class("KMKMMMMM"), [_rotation(1, IDS)])
    rules = Rules(apart={APART})
    [why] = apart_reasons(plan, rules, Weights())
    assert (why.rotation, why.blocked, why.costs) == (1, False, (("lone_girl", 2),))
    assert why.line("nb") == "– periode 1: å skille et «helst ikke sammen»-par der ville gitt 2 grupper til med én jente"
    lines = missed_lines(plan, rules, Weights(), "nb")
    assert lines[lines.index("1 «helst ikke sammen»-par i samme gruppe (makkerperiode 1)") + 1] == why.line("nb")


def test_a_cost_whose_slider_is_at_zero_is_not_a_reason():
    plan = Plan("1A", _class("KMKMMMMM"), [_rotation(1, IDS)])
    [why] = apart_reasons(plan, Rules(apart={APART}), Weights(gender=0))
    assert why.costs == () and not why.blocked
    assert "uten at noe annet ble verre" in why.line("nb")


def test_a_pair_that_never_together_rules_hold_in_place_is_blocked():
    # s2 may be with nobody of group B, and s0 may not be with anybody of group B either
    never = {frozenset({a, b}) for a in ("s0", "s2") for b in IDS[4:]}
    plan = Plan("1A", _class("????????"), [_rotation(1, IDS)])
    [why] = apart_reasons(plan, Rules(never=never, apart={APART}), Weights())
    assert why.blocked
    assert "kan ikkje skiljast" in why.line("nn") and "cannot be separated" in why.line("en")


def test_keep_together_pairs_stay_pairs_in_every_alternative():
    keep = {1: {frozenset({"s0", "s1"}), frozenset({"s2", "s3"})}}
    plan = Plan("1A", _class("????????"), [_rotation(1, IDS)])
    [why] = apart_reasons(plan, Rules(apart={APART}, keep=keep), Weights())
    assert why.blocked  # moving s0 or s2 would split a keep-together pair
    gone = {1: {frozenset({"s0", "s1"}), frozenset({"s2", "x9"})}}  # x9 has left the class
    [why] = apart_reasons(plan, Rules(apart={APART}, keep=gone), Weights())
    assert not why.blocked  # s2 can move: the pair to keep is not in the plan


def test_nothing_when_the_slider_is_zero_or_the_pairs_are_apart():
    plan = Plan("1A", _class("KMKMMMMM"), [_rotation(1, IDS)])
    assert apart_reasons(plan, Rules(apart={APART}), Weights(apart=0)) == []
    assert apart_reasons(plan, Rules(apart={frozenset({"s0", "s4"})}), Weights()) == []
    assert not any(line.startswith("–") for line in missed_lines(plan, Rules(apart={APART}), Weights(apart=0)))


@settings(max_examples=25, deadline=None)
@given(n4=st.integers(3, 6), rotations=st.integers(1, 4), seed=st.integers(0, 10_000),
       share=st.floats(0, 1), weights=st.tuples(*[st.sampled_from([0.0, 2.0, 8.0])] * 3))
def test_every_reason_is_an_honest_count_of_a_real_swap(n4, rotations, seed, share, weights):
    """On random classes: one reason per pair sharing a group (at most six); with no rule that must
    hold, every pair can be separated; a reason counts only goals whose slider is above 0, each
    with a positive number."""
    rng = random.Random(seed)
    n = 4 * n4
    genders = "".join(rng.choices("KM?", weights=[share, 1 - share, 0.1], k=n))
    students = _class(genders)
    ids = [s.id for s in students]
    plan_rotations = []
    for number in range(1, rotations + 1):
        rng.shuffle(ids)
        plan_rotations.append(_rotation(number, list(ids)))
    plan = Plan("1A", students, plan_rotations)
    apart = {frozenset(p) for r in plan_rotations for g in r.groups[:1] for p in [(g[0][0], g[1][0])]}
    w = Weights(gender=weights[0], school=weights[1], repeat=weights[2], apart=5.0)
    rules = Rules(apart=apart)
    reasons = apart_reasons(plan, rules, w)
    assert len(reasons) == min(6, compute(plan, rules).broken_apart)
    sliders = {kind: slider for kind, slider, _ in COSTS}
    for why in reasons:
        assert not why.blocked  # nothing must hold here, so a pair can always be separated
        for kind, count in why.costs:
            assert count > 0 and getattr(w, sliders[kind]) > 0
        assert why.line("en").startswith(f"– rotation {why.rotation}:")
