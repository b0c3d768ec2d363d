"""School-wide settings and planning every class of a saved school year."""

import threading
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from makker.calendar import county_names, school_holidays
from makker.fictional import fictional_roster
from makker.rules import Rules, pair
from makker.school import SchoolSettings, classes_to_plan, fitting_rotations, load_settings, plan_all, save_settings
from makker.store import Workspace

COUNTIES = sorted(county_names())


def test_settings_survive_a_reload_of_the_workspace(tmp_path):
    ws = Workspace(tmp_path / "y.sqlite")
    assert load_settings(ws) == SchoolSettings()
    s = SchoolSettings(date(2026, 8, 19), COUNTIES[0], 3, 0, 20.0, {"2STA": {"rotations": 5, "weeks": 2}})
    save_settings(ws, s)
    assert load_settings(Workspace(tmp_path / "y.sqlite")) == s


def test_a_class_override_wins_and_other_classes_keep_the_school_settings():
    s = SchoolSettings(date(2026, 8, 19), "", 3, 8, 30.0, {"2STA": {"rotations": 5, "weeks": 2}})
    assert s.for_class("2STA").rotation_count() == 5 and s.for_class("2STA").weeks == 2
    assert s.for_class("1STA").rotation_count() == 8 and s.for_class("1STA").weeks == 3


@settings(max_examples=20, deadline=None)
@given(county=st.sampled_from(COUNTIES), day=st.integers(0, 20), weeks=st.integers(2, 4))
def test_dates_come_from_the_county_calendar(county, day, weeks):
    start = date(2026, 8, 10) + timedelta(days=day)
    s = SchoolSettings(start, county, weeks, 0)
    dates = s.dates()
    n = fitting_rotations(start, weeks, county)
    assert len(dates) == n == s.rotation_count() and dates[-1][1] <= date(2027, 6, 20)
    holidays = school_holidays(start, county)
    for begin, end in dates[1:]:
        monday = begin - timedelta(days=begin.weekday())  # a change on the Monday, or the next school day
        assert all(any(h.first <= monday + timedelta(days=k) <= h.last for h in holidays) for k in range(begin.weekday()))
    for begin, _ in dates:
        assert not any(h.first <= begin <= h.last for h in holidays), (begin, county)


def _workspace(tmp_path, rosters, rules=None):
    ws = Workspace(tmp_path / "year.sqlite")
    for r in rosters:
        rev = ws.save_roster(r)
        if rules and r.klass in rules:
            ws.save_rules(r.klass, rules[r.klass], rev)
    return ws


def test_plan_all_saves_every_class_and_explains_an_impossible_one(tmp_path):
    good = [fictional_roster(12 + 3 * i, seed=i, klass=f"{i + 1}STA") for i in range(3)]
    bad = fictional_roster(5, seed=7, klass="3STB")
    ids = bad.ids()
    impossible = Rules(never={pair(ids[0], x) for x in ids[1:]})  # the first student may sit with nobody
    ws = _workspace(tmp_path, [*good, bad], {"3STB": impossible})
    seen = []
    s = SchoolSettings(date(2026, 8, 19), COUNTIES[0], 3, 3, 5.0)
    rows = plan_all(ws, s, workers=2, done=seen.append)
    by = {r.klass: r for r in rows}
    assert {r.klass for r in seen} == set(by) == {"1STA", "2STA", "3STA", "3STB"}
    assert by["3STB"].status == "failed" and by["3STB"].message and ws.plan("3STB") is None
    for r in good:
        plan = ws.plan(r.klass)
        assert by[r.klass].status in ("ok", "timeout") and plan is not None and len(plan.rotations) == 3
        assert plan.rotations[0].start == s.dates()[0][0]
        assert sorted(plan.rotations[0].members()) == sorted(r.ids())


def test_published_classes_are_left_alone_unless_replanning_is_asked(tmp_path):
    from makker.planner import plan_year

    a, b = fictional_roster(12, seed=1, klass="1STA"), fictional_roster(12, seed=2, klass="1STB")
    ws = _workspace(tmp_path, [a, b])
    plan = plan_year(a.students, None, None, 3, klass="1STA", time_limit=3, improve=False).plan
    ws.save_plan("1STA", plan, ws.revision("1STA"))
    ws.publish("1STA", 1)
    assert classes_to_plan(ws) == ["1STB"] and classes_to_plan(ws, replan=True) == ["1STA", "1STB"]
    rows = plan_all(ws, SchoolSettings(rotations=3, time_limit=3.0), workers=1, replan=True)
    assert {r.klass for r in rows} == {"1STA", "1STB"}
    assert ws.plan("1STA").rotations[0].to_json() == plan.rotations[0].to_json()  # published rotation kept


def test_cancel_stops_the_classes_not_finished(tmp_path):
    ws = _workspace(tmp_path, [fictional_roster(30, seed=i, klass=f"1ST{chr(65 + i)}") for i in range(3)])
    cancel = threading.Event()
    cancel.set()
    rows = plan_all(ws, SchoolSettings(rotations=6, time_limit=60.0), workers=1, cancel=cancel)
    assert rows and all(r.status == "cancelled" for r in rows)
    assert all(ws.plan(r.klass) is None for r in rows)
