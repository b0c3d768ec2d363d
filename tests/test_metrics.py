"""Metrics on hand-built plans with known counts, and properties of random plans."""

from math import comb

from hypothesis import given, settings
from hypothesis import strategies as st

from makker.baseline import random_plan
from makker.fictional import fictional_students
from makker.i18n import LANGUAGES
from makker.metrics import (
    bounds,
    broken_rules_summary,
    compute,
    coverage_curve,
    first_meetings,
    met_matrix,
    repeat_free_limit,
    summary_lines,
)
from makker.plan import Plan, Rotation
from makker.rules import Rules, pair
from makker.students import Student

GENDERS = "KKKKMMMM"
SCHOOLS = "AABBABAB"


def eight() -> list[Student]:
    return [Student(str(i), f"Elev{i} Test", f"Elev{i}", "Test", "1STA", GENDERS[i - 1], f"Skole {SCHOOLS[i - 1]}") for i in range(1, 9)]


def rot(number, *groups):
    return Rotation(number, tuple(tuple(tuple(str(s) for s in p) for p in g) for g in groups))


def known_plan() -> Plan:
    return Plan("1STA", eight(), [
        rot(1, ((1, 2), (3, 4)), ((5, 6), (7, 8))),
        rot(2, ((1, 2), (5, 7)), ((3, 6), (4, 8))),
        rot(3, ((1, 5), (6, 7)), ((2, 3), (4, 8))),
    ])


def test_known_counts_per_rotation():
    m = compute(known_plan())
    r1, r2, r3 = m.rotations
    assert (r1.repeated_pairs, r1.repeated_groupmates, r1.new_groupmates) == (0, 0, 12)
    # rotation 2: pair 1-2 again; group-mates 1-2, 5-7 (group 1) and 3-4, 6-8 (group 2) again
    assert (r2.repeated_pairs, r2.repeated_groupmates, r2.new_groupmates) == (1, 4, 8)
    assert r1.coverage == 12 / 28 and r2.coverage == 20 / 28
    assert m.repeat_free_rotations == 1
    assert (r1.mixed_gender_pairs, r2.mixed_gender_pairs, r3.mixed_gender_pairs) == (0, 2, 2)
    assert r1.mixed_gender_possible == 4
    assert (r1.lone_girl_groups, r1.lone_boy_groups) == (0, 0)
    assert (r3.lone_girl_groups, r3.lone_boy_groups) == (1, 1)  # 1 with 5,6,7; 8 with 2,3,4
    # same previous school inside a pair: r1: 1-2 (A,A), 3-4 (B,B), 5-6 (A,B) no, 7-8 (A,B) no
    assert r1.same_school_pairs == 2
    assert m.repeated_pairs == 2  # 1-2 in rotation 2, 4-8 in rotation 3


def test_known_counts_per_student():
    m = compute(known_plan())
    s = {st.id: st for st in m.students}
    assert s["1"].classmates_met == len({"2", "3", "4", "5", "7", "6"})
    assert s["1"].repeated_partners == 1 and s["2"].repeated_partners == 1
    assert s["1"].repeated_groupmates == 1 + 2  # r2: 2 again; r3: 5 and 7 again (6 is new)
    assert all(st.rotations == 3 for st in m.students)
    assert all(st.trio_turns == 0 and st.big_group_turns == 0 for st in m.students)
    assert sum(st.repeated_groupmates for st in m.students) == 2 * m.repeated_groupmates


def test_broken_rules_are_counted_not_named():
    rules = Rules(never={pair("1", "6")}, apart={pair("2", "4")})
    m = compute(known_plan(), rules)
    assert [r.broken_never for r in m.rotations] == [0, 0, 1]
    assert [r.broken_apart for r in m.rotations] == [1, 0, 1]
    text = str(m.to_json())
    assert "Elev" not in text and "Skole" not in text


def test_summary_names_repeats_but_never_rule_pairs():
    plan = known_plan()
    rules = Rules(never={pair("1", "6")}, apart={pair("3", "7")})
    plan.rotations.append(rot(4, ((3, 7), (2, 6)), ((1, 8), (4, 5))))
    for lang in LANGUAGES:
        lines = broken_rules_summary(plan, rules, lang)
        joined = "\n".join(lines)
        assert not any("Elev1 " in line and "Elev6 " in line for line in lines)
        assert not any("Elev3 " in line and "Elev7 " in line for line in lines)
        assert any("Elev1 Test" in line and "Elev2 Test" in line and "2" in line for line in lines)
        assert "4" in joined
    nb = broken_rules_summary(plan, rules, "nb")
    assert "Makkerperiode 3: 1 gruppe har én jente alene" in nb
    assert "Makkerperiode 3: 1 aldri-sammen-regel er brutt. Kontroller planen før den brukes!" in nb
    assert "Elev1 Test og Elev2 Test er makkerpar flere ganger (makkerperiode 1 og 2)" in nb
    coord = broken_rules_summary(plan, rules, "nb", coordinator=True)
    assert any("Elev3 Test og Elev7 Test" in line for line in coord)
    assert not any("Elev1 Test og Elev6 Test" in line for line in coord)
    assert broken_rules_summary(plan, rules, "nn") != nb


def test_nothing_broken_gives_empty_summary():
    students = eight()
    plan = Plan("1STA", students, [rot(1, ((1, 5), (2, 6)), ((3, 7), (4, 8)))])
    plan.students = [Student(s.id, s.name, klass="1STA") for s in students]  # no gender, no school
    assert broken_rules_summary(plan, Rules(), "en") == []


def test_bounds():
    b = bounds(28, 12)
    assert b.repeat_free == 9 and b.classmates == 27
    assert abs(b.coverage[0] - 3 / 27) < 1e-12 and b.coverage[-1] == 1.0
    assert bounds(16, 10).repeat_free == 5
    # 12, 15 and 23 students: fewer groups than the largest group has members, so a
    # second rotation must put two earlier group-mates together again (design.md section 2)
    assert [bounds(n, 10).repeat_free for n in (8, 12, 15, 23)] == [1, 1, 1, 1]
    assert [bounds(n, 10).repeat_free for n in (20, 24, 28, 32)] == [6, 7, 9, 10]
    assert bounds(30, 2).classmates == 6 and bounds(30, 2).repeat_free == 2
    assert bounds(6, 1).coverage == [1.0]  # one group of three pairs: everybody meets
    assert bounds(5, 3).repeat_free == 1


def test_repeat_free_bound_follows_the_group_sizes():
    # 30 = 6-4-4-4-4-4-4: a student of the group of six meets five, so the 29
    # classmates allow at most 8 rotations with whole turns in the big group
    assert bounds(30, 10).repeat_free == 8
    assert bounds(31, 10).repeat_free == 8  # 6-5-4-4-4-4-4
    assert bounds(26, 10).repeat_free == 7  # 6-4-4-4-4-4
    assert bounds(30, 5).repeat_free == 5  # never more than the rotations
    assert repeat_free_limit([4] * 7) == 9 and repeat_free_limit([6, 4, 4, 4, 4, 4, 4]) == 8
    assert repeat_free_limit([4, 4, 3, 3]) == 4  # 14 as trio-alone: the exhaustive-search value
    # after repeat_free rotations each further run of that many + 1 must repeat somebody
    b = bounds(15, 4)
    assert b.repeat_free == 1 and b.coverage[1] == (2 * 6 + 2 * 10 + 2 * 15 - 1) / comb(15, 2)


@settings(max_examples=25, deadline=None)
@given(st.integers(8, 20), st.sampled_from(["standard", "trio-alone"]), st.integers(2, 7), st.integers(0, 50))
def test_no_found_plan_beats_the_bound(n, shape, rotations, seed):
    from makker.planner.improve import improve_year

    students = [Student(s.id, s.name, klass=s.klass) for s in fictional_students(n, seed)]
    start = random_plan(students, rotations, seed=seed, shape=shape)
    found, _ = improve_year(start, students, max_iters=120, time_limit=None, seed=seed)
    for plan in (start, found):
        m = compute(plan)
        assert m.repeat_free_rotations <= m.bounds.repeat_free == bounds(n, rotations, shape).repeat_free
        assert all(c <= b + 1e-12 for c, b in zip(coverage_curve(plan), m.bounds.coverage))


def test_joined_and_left_students_are_measured_where_present():
    students = eight() + [Student("9", "Ny Elev", klass="1STA")]
    plan = Plan("1STA", students, [
        rot(1, ((1, 2), (3, 4)), ((5, 6), (7, 8))),
        rot(2, ((1, 3), (5, 7)), ((2, 9), (4, 6))),  # 8 has left, 9 has joined
    ])
    m = compute(plan)
    assert m.rotations[1].students == 8
    met_among_present = {frozenset(p) for p in [("1", "2"), ("1", "3"), ("1", "4"), ("2", "3"), ("2", "4"), ("3", "4"),
                                                ("5", "6"), ("5", "7"), ("6", "7")]}
    new = {frozenset(p) for p in [("1", "5"), ("1", "7"), ("3", "5"), ("3", "7"), ("2", "9"), ("2", "4"), ("2", "6"),
                                  ("9", "4"), ("9", "6"), ("4", "6")]}
    assert m.rotations[1].coverage == len(met_among_present | new) / comb(8, 2)
    assert coverage_curve(plan) == [r.coverage for r in m.rotations]
    s = {st.id: st for st in m.students}
    assert s["9"].rotations == 1 and s["8"].rotations == 1


def test_met_matrix_and_first_meetings():
    plan = known_plan()
    mm = met_matrix(plan, upto=2)
    i, j = mm.ids.index("1"), mm.ids.index("2")
    assert mm.count[i][j] == mm.count[j][i] == 2 and mm.first[i][j] == 1
    k = mm.ids.index("5")
    assert mm.first[i][k] == 2 and mm.count[i][k] == 1
    assert mm.first[i][mm.ids.index("8")] == 0
    assert first_meetings(plan)[pair("1", "6")] == 3
    assert all(mm.count[a][a] == 0 for a in range(8))


def test_summary_lines_use_bounds_and_language():
    m = compute(known_plan())
    nb, en = summary_lines(m, "nb"), summary_lines(m, "en")
    assert len(nb) == 4 and nb != en
    assert "(høyst 1 er mulig)" in nb[0]  # 8 students: two groups, so a second rotation repeats


@settings(max_examples=40, deadline=None)
@given(n=st.integers(4, 40), rotations=st.integers(1, 6), seed=st.integers(0, 10_000))
def test_random_plans_are_consistent(n, rotations, seed):
    students = fictional_students(n, seed % 7)
    plan = random_plan(students, rotations, seed=seed)
    m = compute(plan)
    curve = coverage_curve(plan)
    assert curve == [r.coverage for r in m.rotations]
    assert all(a <= b for a, b in zip(curve, curve[1:]))
    b = bounds(n, rotations)
    assert all(c <= lim + 1e-12 for c, lim in zip(curve, b.coverage))
    assert m.repeat_free_rotations <= b.repeat_free
    assert m.mean_classmates <= b.mean_classmates + 1e-9
    assert max(s.classmates_met for s in m.students) <= n - 1
    assert sum(s.repeated_groupmates for s in m.students) == 2 * m.repeated_groupmates
    assert sum(s.repeated_partners for s in m.students) == 2 * m.repeated_pairs
    met = set()
    for r, rm in zip(plan.rotations, m.rotations):
        links = r.group_links()
        assert rm.new_groupmates + rm.repeated_groupmates == len(links)
        met |= links
    assert abs(m.coverage - len(met) / comb(n, 2)) < 1e-12
    assert sum(s.trio_turns for s in m.students) == 3 * rotations * (n % 2)


def _report_class(seed: int, n: int):
    from makker.baseline import random_plan
    from makker.fictional import fictional_students

    students = fictional_students(n, seed=seed)
    plan = random_plan(students, 10, seed=seed)
    apart = {frozenset((students[0].id, students[1].id)), frozenset((students[2].id, students[3].id))}
    return plan, Rules(apart=apart), students


@settings(max_examples=15, deadline=None)
@given(st.integers(12, 34), st.integers(0, 10_000), st.sampled_from(["nb", "nn", "en"]))
def test_plan_report_is_short_grouped_and_counts_match(n, seed, lang):
    from makker.metrics import plan_report
    from makker.rules import Weights

    plan, rules, students = _report_class(seed, n)
    m = compute(plan, rules)
    every_line = plan_report(plan, rules, Weights(), lang)
    lines = [line for line in every_line if not line.startswith("– ")]  # the goals, without the reasons
    assert len(lines) <= 8 and len(set(every_line)) == len(every_line) <= len(lines) + 6
    names = [s.name for s in students]
    assert not any(name in line for line in every_line for name in names)  # counts only, never a student
    expected = [x for x in (m.broken_never, m.repeated_pairs, m.broken_apart, m.repeated_groupmates) if x]
    assert [int(line.split()[0]) for line in lines[:len(expected)]] == expected  # most important first
    off = plan_report(plan, rules, Weights(gender=0, school=0, repeat=0, apart=0), lang)
    assert off == lines[:len(off)]  # the hard rule and repeated pair partners stay; the rest has weight 0
    assert len(off) == bool(m.broken_never) + bool(m.repeated_pairs)


def test_plan_report_wording_and_gender_weight_zero():
    from makker.metrics import plan_report
    from makker.rules import Weights

    plan, rules, _ = _report_class(3, 28)
    nb = plan_report(plan, rules, Weights(), "nb")
    assert any("«helst ikke sammen»-par i samme gruppe (makkerperiode" in line for line in nb)
    assert any("med én jente" in line for line in nb)
    en = plan_report(plan, rules, Weights(), "en")
    assert any("with one girl" in line for line in en) and en != nb != plan_report(plan, rules, Weights(), "nn")
    no_gender = plan_report(plan, rules, Weights(gender=0), "nb")
    assert not any("jente" in line or "gutt" in line or "kjønn" in line for line in no_gender)
    assert plan_report(Plan("1A", plan.students, plan.rotations[:1]), Rules(), Weights(gender=0, school=0), "nb") == []
