"""Tab 2's plan dates come from the school settings: the county's holidays are skipped, changes fall on Mondays."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from uploads import csv_of, upload_value

from makker.app.app_model import AppModel
from makker.app.schoolyear import build_schoolyear_tab
from makker.app.tune_model import rotation_windows
from makker.calendar import county_names, school_holidays
from makker.fictional import fictional_roster
from makker.school import SchoolSettings, load_settings, save_settings
from makker.store import Workspace

COUNTIES = sorted(county_names())


def _days_off(start: date, county: str) -> set[date]:
    return {d for h in school_holidays(start, county) for d in h.days()}


@settings(max_examples=40, deadline=None)
@given(county=st.sampled_from(COUNTIES), offset=st.integers(0, 14), rotations=st.integers(2, 12),
       weeks=st.integers(2, 4))
def test_no_change_falls_in_a_holiday_of_the_county(county, offset, rotations, weeks):
    start = date(2026, 8, 10) + timedelta(days=offset)
    dates = rotation_windows(start, rotations, weeks, county)
    off = _days_off(start, county)
    assert len(dates) == rotations
    for begin, end in dates[1:]:
        assert begin not in off and begin.weekday() < 5
        assert begin.weekday() == 0 or begin - timedelta(days=begin.weekday()) in off  # Monday, or after a red Monday
    for (_, end), (nxt, _) in zip(dates, dates[1:]):
        assert end < nxt


def test_without_a_county_no_holidays_are_assumed():
    dates = rotation_windows(date(2026, 8, 17), 6, 3, "")
    assert [b for b, _ in dates] == [date(2026, 8, 17) + timedelta(weeks=3 * i) for i in range(6)]


def _page():
    app = AppModel()
    app.tune.preview_delay = 0
    return app, build_schoolyear_tab(app).model


def test_a_class_planned_in_tab_2_gets_the_school_calendar(tmp_path):
    app, year = _page()
    roster = fictional_roster(20, seed=5, klass="1STC")
    assert app.load.load_upload(upload_value(csv_of(roster), "klasse.csv"))
    save_settings(year.ws, SchoolSettings(start=date(2026, 8, 19), county="Oslo", weeks=3))

    app, year = _page()  # a reload: the school settings come from the saved school year
    assert app.load.klass == "1STC"
    assert (app.tune.county, app.tune.weeks, app.tune.start) == ("Oslo", 3, date(2026, 8, 19))
    assert (year.county, year.weeks, year.start) == ("Oslo", 3, date(2026, 8, 19))  # the calendar section too
    app.tune.rotations, app.tune.time_limit = 8, 2
    assert app.tune.start_plan()
    app.tune.wait(120)
    plan = Workspace(Workspace(None).path).plan("1STC")
    got = [(r.start, r.end) for r in plan.rotations]
    assert got == SchoolSettings(date(2026, 8, 19), "Oslo", 3, 8).dates()
    off = _days_off(date(2026, 8, 19), "Oslo")
    assert not any(begin in off for begin, _ in got)
    assert got != SchoolSettings(date(2026, 8, 19), "", 3, 8).dates()  # the autumn break and Christmas moved it
    assert load_settings(year.ws).county == "Oslo"
