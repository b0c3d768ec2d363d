"""Changes during the year: re-plan around published rotations, swaps, subject groups."""

import json
from collections import Counter

import pytest

from makker import schoolyear as sy
from makker import subjects
from makker.fictional import fictional_roster
from makker.i18n import LANGUAGES, MakkerError
from makker.planner import plan_rotation, plan_year
from makker.rules import Rules, Weights, pair
from makker.store import Workspace
from makker.students import Student

WEIGHTS = Weights()


def _pair_counts(plan):
    return Counter(link for r in plan.rotations for link in r.pair_links())


def _rotation_json(r):
    return json.dumps(r.to_json(), sort_keys=True, ensure_ascii=False)


@pytest.fixture(scope="module")
def year():
    roster = fictional_roster(20, seed=7)
    rules = Rules(never={pair(roster.ids()[0], roster.ids()[1])})
    result = plan_year(roster.students, rules, WEIGHTS, 6, klass="1STA", time_limit=20, seed=1, improve=False)
    return roster, rules, result.plan


def test_leave_and_join_keeps_published_rotations_and_repeats_no_partner(year):
    roster, rules, plan = year
    leaver = plan.rotations[3].members()[0]
    newcomer = Student("9001", "Kjærstin Ødegård", "Kjærstin", "Ødegård", "1STA", "K", "Nordby ungdomsskole")
    now = [s for s in roster.students if s.id != leaver] + [newcomer]
    result = sy.replan(plan, now, rules, WEIGHTS, published=[1, 2, 3], time_limit=20, seed=1, improve=False)
    new = result.plan
    assert [_rotation_json(r) for r in new.rotations[:3]] == [_rotation_json(r) for r in plan.rotations[:3]]
    assert [r.number for r in new.rotations] == [1, 2, 3, 4, 5, 6]
    for r in new.rotations[3:]:
        assert sorted(r.members()) == sorted(s.id for s in now)
    assert max(_pair_counts(new).values()) == 1  # never the same partner twice
    assert leaver in new.by_id()  # still named in the published rotations
    for r in new.rotations:
        assert not (r.group_links() & rules.never)


def test_new_never_rule_is_respected_after_the_published_rotations(year):
    roster, rules, plan = year
    together = next(link for link in plan.rotations[4].group_links() if link not in rules.never)
    stricter = Rules(never=rules.never | {together})
    new = sy.replan(plan, roster.students, stricter, WEIGHTS, published=[1, 2], time_limit=20, improve=False).plan
    assert [_rotation_json(r) for r in new.rotations[:2]] == [_rotation_json(r) for r in plan.rotations[:2]]
    for r in new.rotations[2:]:
        assert together not in r.group_links()


def test_replan_class_through_the_workspace(tmp_path, year):
    roster, rules, plan = year
    ws = Workspace(tmp_path / "2026-2027.sqlite")
    rev = ws.save_roster(roster)
    rev = ws.save_rules("1STA", rules, rev)
    rev = ws.save_plan("1STA", plan, rev)
    ws.publish("1STA", 1)
    ws.publish("1STA", 2)
    stale = rev
    rev = ws.remove_student("1STA", roster.ids()[5])
    with pytest.raises(MakkerError) as err:
        sy.replan_class(ws, "1STA", expected_revision=stale, time_limit=5)
    assert err.value.key == "store.conflict"
    result, rev2 = sy.replan_class(ws, "1STA", expected_revision=rev, time_limit=4, improve=False)
    saved = ws.plan("1STA")
    assert saved.to_json() == result.plan.to_json()
    assert [_rotation_json(r) for r in saved.rotations[:2]] == [_rotation_json(r) for r in plan.rotations[:2]]
    assert roster.ids()[5] not in saved.rotations[2].members()
    assert ws.revision("1STA") == rev2


def test_swap_warns_but_does_not_block(year):
    roster, rules, plan = year
    rot = plan.rotations[4]
    a, b = sorted(rules.never.copy().pop())
    # put b into a's seat partner position: swap b with a's pair partner
    partner = next(s for s in rot.pair_of()[a] if s != a)
    if partner == b:
        pytest.skip("already together")
    result = sy.swap_students(plan, 5, partner, b, rules, published=[1, 2])
    keys = {m.key for m in result.warnings}
    assert "schoolyear.swap_never" in keys
    assert b in result.plan.rotations[4].pair_of()[a]
    assert result.plan.rotations[:4] == plan.rotations[:4]
    for m in result.warnings:
        for lang in LANGUAGES:
            text = m.render(lang)
            assert plan.name(a) not in text and plan.name(b) not in text  # never-together pairs are not named


def test_swap_trading_one_never_together_pair_for_another_is_refused(year):
    """The count stays the same, yet the student moved now sits with a never-together partner."""
    _, _, plan = year
    rot = plan.rotations[4]
    first, second = rot.groups[0], rot.groups[1]
    x, a = first[0][0], first[1][0]
    b = second[0][0]
    rules = Rules(never={pair(x, a), pair(x, b)})
    result = sy.swap_students(plan, 5, a, b, rules, published=[1, 2])
    assert "schoolyear.swap_never" in {m.key for m in result.warnings}


def test_swap_in_published_rotation_is_refused(year):
    _, _, plan = year
    a, b = plan.rotations[0].members()[:2]
    with pytest.raises(MakkerError) as err:
        sy.swap_students(plan, 1, a, b, published=[1])
    assert err.value.key == "schoolyear.locked"
    with pytest.raises(MakkerError):
        sy.swap_students(plan, 2, a, "nobody")
    with pytest.raises(MakkerError):
        sy.swap_students(plan, 99, a, b)


def test_harmless_swap_has_no_warnings(year):
    _, _, plan = year
    rot = plan.rotations[5]
    (p1, p2) = rot.groups[0][:2]
    # swapping the two members of one pair changes nothing
    assert sy.swap_students(plan, 6, p1[0], p1[1]).warnings == []


def test_cross_class_subject_group_keeps_rules_of_both_classes(tmp_path):
    ws = Workspace(tmp_path / "2026-2027.sqlite")
    a = fictional_roster(8, seed=1, klass="1STA")
    b = fictional_roster(8, seed=2, klass="1STB")  # same ids 4001.. as 1STA on purpose
    ws.save_roster(a)
    ws.save_roster(b)
    ws.save_rules("1STA", Rules(never={pair(a.ids()[0], a.ids()[1])}))
    ws.add_rule("never", ("1STA", a.ids()[2]), ("1STB", b.ids()[2]))
    members = [("1STA", i) for i in a.ids()[:6]] + [("1STB", i) for i in b.ids()[:6]]
    made = subjects.from_workspace(ws, "Kjemi 1", members)
    group, rules = made.roster, made.rules
    assert len(group.students) == 12 and len(set(group.ids())) == 12
    assert rules.never == {pair(f"1STA:{a.ids()[0]}", f"1STA:{a.ids()[1]}"),
                           pair(f"1STA:{a.ids()[2]}", f"1STB:{b.ids()[2]}")}
    rot = plan_rotation(group.students, rules, WEIGHTS, time_limit=10).rotation
    assert not (rot.group_links() & rules.never)
    assert sorted(rot.members()) == sorted(group.ids())


def test_subject_group_from_imported_lists_names_clashes():
    a = fictional_roster(4, seed=1, klass="1STA")
    twin = Student("x1", a.students[0].name, klass="1STB")
    b = fictional_roster(4, seed=2, klass="1STB", id_start=5001)
    b.students.append(twin)
    made = subjects.build("Musikk", a.students + b.students, {"1STA": Rules(never={pair(*a.ids()[:2])}), "1STB": Rules()})
    group, rules = made.roster, made.rules
    names = [s.name for s in group.students]
    assert len(set(names)) == len(names)
    assert f"{twin.name} (1STB)" in names
    assert rules.never == {pair(f"1STA:{a.ids()[0]}", f"1STA:{a.ids()[1]}")}
    with pytest.raises(MakkerError):
        subjects.build("Tom", [a.students[0]], {})
