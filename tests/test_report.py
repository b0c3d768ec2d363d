"""The plan's report (grouped goals not reached), its trade-off sentence and the run clock."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from makker.baseline import random_plan
from makker.fictional import fictional_students
from makker.i18n import Message
from makker.metrics import compute
from makker.plan import Plan
from makker.report import KINDS, RULE_KINDS, RunClock, console_summary, missed_goals, missed_lines, tradeoff, tradeoff_parts
from makker.rules import Rules, Weights

RULE_WORDS = ("aldri sammen", "aldri saman", "never together", "never-together", "helst ikke sammen",
              "helst ikkje saman", "preferably apart", "preferably-apart")
ORDER = [kind for kind, *_ in KINDS]
WEIGHT_OF = {kind: weight for kind, _, weight, _, _ in KINDS}
COUNT_OF = {kind: count for kind, _, _, count, _ in KINDS}
weight = st.sampled_from([0.0, 0.0, 1.0, 5.0, 10.0])


def _class(seed: int, n: int, rotations: int):
    """A random plan with rules that it breaks: group-mates of rotation 1 as never/apart pairs."""
    students = fictional_students(n, seed=seed)
    plan = random_plan(students, rotations, seed=seed)
    first = sorted(sorted(link) for link in plan.rotations[0].group_links())
    never = {frozenset(first[0])}
    apart = {frozenset(first[-1]), frozenset((students[0].id, students[-1].id))}
    return plan, Rules(never=never, apart=apart), students


@settings(max_examples=25, deadline=None)
@given(st.integers(8, 32), st.integers(1, 9), st.integers(0, 10_000),
       st.builds(Weights, weight, weight, weight, weight), st.sampled_from(["nb", "nn", "en"]))
def test_missed_goals_group_the_counts_and_leave_out_weights_at_zero(n, rotations, seed, weights, lang):
    plan, rules, students = _class(seed, n, rotations)
    m = compute(plan, rules)
    goals = missed_goals(plan, rules, weights)
    kinds = [g.kind for g in goals]
    assert kinds == [k for k in ORDER if k in kinds]  # most important first, one entry per kind
    for kind in ORDER:
        w = WEIGHT_OF[kind]
        per_rotation = [(rm.number, COUNT_OF[kind](rm)) for rm in m.rotations]
        expected = sum(c for _, c in per_rotation)
        if w is not None and getattr(weights, w) == 0:
            assert kind not in kinds  # a slider at 0: nothing about its rule
            continue
        assert (kind in kinds) == (expected > 0)
        if expected:
            goal = goals[kinds.index(kind)]
            assert goal.count == expected and goal.of == rotations
            assert goal.rotations == tuple(number for number, c in per_rotation if c)
    every_line = missed_lines(plan, rules, weights, lang)
    reasons = [line for line in every_line if line.startswith("– ")]  # under the preferably-apart line
    lines = [line for line in every_line if not line.startswith("– ")]
    assert len(lines) == len(goals) <= len(KINDS)
    assert all(re.match(r"\d+ ", line) for line in lines) and all(str(g.count) in line for g, line in zip(goals, lines))
    apart = next((g for g in goals if g.kind == "apart"), None)
    assert 0 < len(reasons) <= min(6, apart.count) if apart else not reasons
    if reasons:
        assert every_line[every_line.index(lines[[g.kind for g in goals].index("apart")]) + 1] == reasons[0]
    names = [s.name for s in students] + [s.last for s in students]
    assert not any(name in line for line in every_line for name in names)  # counts only, never a student or a pair
    if weights == Weights(0, 0, 0, 0):
        assert set(kinds) <= {"never", "repeat_pair"}


@settings(max_examples=25, deadline=None)
@given(st.integers(8, 32), st.integers(1, 9), st.integers(0, 10_000),
       st.builds(Weights, weight, weight, weight, weight), st.sampled_from(["nb", "nn", "en"]),
       st.sets(st.sampled_from(["gender", "school", "repeat", "apart"])))
def test_tradeoff_speaks_only_of_visible_sliders_above_zero(n, rotations, seed, weights, lang, visible):
    plan, rules, students = _class(seed, n, rotations)
    m = compute(plan, rules)
    parts = tradeoff_parts(plan, rules, weights, lang, visible=sorted(visible))
    on = {name for name in visible if getattr(weights, name) > 0}
    words = {"nb": (("jente", "gutt"), ("skole",), ("gjentakelse",), ("helst",)),
             "nn": (("jente", "gut"), ("skule",), ("gjentaking",), ("helst",)),
             "en": (("girl", "boy"), ("school",), ("repeat",), ("preferably",))}[lang]
    for name, said in zip(("gender", "school", "repeat", "apart"), words):
        if name not in on:
            assert not any(word in part for part in parts for word in said), (name, parts)
    if "repeat" in on:
        assert parts[0].startswith(f"{m.repeat_free_rotations} ")
    if "gender" in on:
        assert any(word in p for p in parts for word in words[0])
    sentence = tradeoff(plan, rules, weights, lang, visible=sorted(visible))
    assert (sentence == "") == (not parts) and all(p in sentence for p in parts)
    console = " ".join(console_summary(plan, rules, weights, lang)).casefold()
    assert not any(word in console for word in RULE_WORDS)  # the console never uses a rule's wording
    assert not any(s.name.casefold() in console for s in students)


def test_tradeoff_wording_singular_plural_and_nynorsk():
    students = fictional_students(12, seed=2)
    plan = random_plan(students, 1, seed=2)
    nb = tradeoff(plan, Rules(), Weights(gender=0, school=0), "nb")
    assert nb == "Planen gir: 1 makkerperiode uten gjentakelse."
    assert tradeoff(plan, Rules(), Weights(gender=0, school=0), "nn") == "Planen gjev: 1 makkerperiode utan gjentaking."
    assert tradeoff(plan, Rules(), Weights(gender=0, school=0), "en") == "The plan gives: 1 rotation without a repeat."
    plan4 = random_plan(students, 4, seed=2)
    rf = compute(plan4).repeat_free_rotations
    word = "makkerperiode" if rf == 1 else "makkerperioder"
    assert tradeoff(plan4, Rules(), Weights(gender=0, school=0), "nb").startswith(f"Planen gir: {rf} {word} ")
    assert tradeoff(plan4, Rules(), Weights(0, 0, 0, 0), "nb") == "" == tradeoff(None, lang="nb")


def _lone_girl_plan():
    students = fictional_students(8, seed=1)
    girls = [s for s in students if s.gender == "K"]
    boys = [s for s in students if s.gender == "M"]
    assert len(girls) >= 1 and len(boys) >= 3
    rest = [s for s in students if s not in (girls[0], *boys[:3])]
    groups = [[(girls[0].id, boys[0].id), (boys[1].id, boys[2].id)], [(rest[0].id, rest[1].id), (rest[2].id, rest[3].id)]]
    from makker.plan import Rotation

    return Plan("1A", students, [Rotation(1, groups)])


def test_lone_girl_part_and_report_line():
    plan = _lone_girl_plan()
    parts = tradeoff_parts(plan, Rules(), Weights(), "nb")
    assert "høyst 1 gruppe med én jente per periode" in parts
    assert "høgst 1 gruppe med éi jente per periode" in tradeoff_parts(plan, Rules(), Weights(), "nn")
    assert any(line.startswith("1 gruppe med én jente") for line in missed_lines(plan, Rules(), Weights(), "nb"))
    assert not any("jente" in p for p in tradeoff_parts(plan, Rules(), Weights(gender=0), "nb"))
    assert not any("jente" in line for line in missed_lines(plan, Rules(), Weights(gender=0), "nb"))


def test_never_together_pairs_are_counted_never_named():
    plan, rules, students = _class(5, 20, 3)
    lines = missed_lines(plan, rules, Weights(), "nb")
    assert lines[0].startswith("1 gruppe med et «aldri sammen»-par")
    a, b = sorted(next(iter(rules.never)))
    names = {s.id: s for s in students}
    for sid in (a, b):
        assert not any(names[sid].first in line or names[sid].last in line for line in lines)
    assert "never" in RULE_KINDS and "apart" in RULE_KINDS


class Progress:
    def __init__(self, phase="exact", message=None, done=0, total=4):
        self.phase, self.message, self.done, self.total = phase, message, done, total


def figures(rf, repeats):
    return Progress("improve", Message.of("improve.progress", repeat_free=rf, repeats=repeats))


def test_run_clock_keeps_one_plans_figures_and_times_the_final_ones():
    plan, rules, _ = _class(3, 16, 5)
    m = compute(plan, rules)
    final = (m.repeat_free_rotations, m.repeated_groupmates)
    now = [100.0]
    clock = RunClock(lambda: now[0])
    now[0] = 101.0
    assert clock.heard(Progress()) is None and clock.best is None  # the exact phase has no whole plan
    now[0] = 104.0
    assert clock.heard(Progress("improve")) is None and clock.exact_end == 4.0
    now[0] = 105.0
    first = clock.heard(figures(final[0] - 1, final[1] + 7))
    assert (first.repeat_free, first.repeats, first.seconds) == (final[0] - 1, final[1] + 7, 5.0)
    now[0] = 107.5
    second = clock.heard(figures(*final))
    assert clock.best is second and (second.repeat_free, second.repeats) == final  # replaced as a whole
    now[0] = 130.0
    done = clock.finish(plan, rules, seconds=29.0)
    assert (done.repeat_free, done.repeats, done.seconds) == (*final, 7.5)
    # figures that never matched the finished plan: it was the exact phase's plan
    other = RunClock(lambda: now[0])
    now[0] = 134.0
    other.heard(Progress("improve"))
    other.heard(figures(final[0] + 3, 0))
    now[0] = 140.0
    assert other.finish(plan, rules).seconds == 4.0
    # no improvement phase at all: the final figures came with the last rotation
    plain = RunClock(lambda: now[0])
    now[0] = 142.5
    assert plain.finish(plan, rules).seconds == 2.5
    assert "2.5" not in plain.best.final_line("nb") and "2,5 s" in plain.best.final_line("nb")
    assert "2.5 s" in plain.best.final_line("en")
