"""The school overview without a browser: every saved class, its figures, and the actions."""

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from makker.app.app_model import AppModel
from makker.app.overview import OverviewModel, OverviewView
from makker.app.schoolyear import build_schoolyear_tab
from makker.fictional import fictional_roster
from makker.i18n import LANGUAGES, t
from makker.metrics import bounds, compute, plan_shape
from makker.overview import NOT_PLANNED, PLANNED, PUBLISHED, school_rows, sort_key
from makker.planner import plan_year
from makker.rules import Rules, pair
from makker.store import Workspace


def _year_with(classes):
    """An app whose saved school year holds ``classes`` (rosters), nothing planned."""
    app = AppModel()
    year = build_schoolyear_tab(app).model
    for roster in classes:
        year.ws.save_roster(roster)
    year.refresh()
    return app, year


def test_every_saved_class_is_a_row_sorted_by_level_then_name():
    names = ["2STB", "1STB", "10A", "1STA", "3ID"]
    app, year = _year_with([fictional_roster(12 + i, seed=i, klass=k) for i, k in enumerate(names)])
    m = OverviewModel(year, tune=app.tune)
    assert [r.klass for r in m.rows] == ["1STA", "1STB", "2STB", "3ID", "10A"]
    assert all(r.status == NOT_PLANNED and r.rotations == 0 for r in m.rows)
    assert {r.klass: r.students for r in m.rows} == {k: 12 + i for i, k in enumerate(names)}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.integers(12, 34), seed=st.integers(0, 10_000), rules=st.integers(0, 6))
def test_size_gender_and_rule_count_match_the_saved_class(tmp_path_factory, n, seed, rules):
    ws = Workspace(tmp_path_factory.mktemp("ws") / "year.sqlite")
    roster = fictional_roster(n, seed=seed, klass="1STA")
    ids = roster.ids()
    rng = random.Random(seed)
    chosen = set()
    while len(chosen) < rules:
        a, b = rng.sample(ids, 2)
        chosen.add(pair(a, b))
    never = set(list(chosen)[: rules // 2])
    rev = ws.save_roster(roster)
    ws.save_rules("1STA", Rules(never=never, apart=chosen - never), rev)
    (row,) = school_rows(ws)
    assert row.students == n
    assert row.girls == sum(s.gender == "K" for s in roster.students)
    assert row.boys == sum(s.gender == "M" for s in roster.students)
    assert row.rules == len(chosen)


@pytest.fixture(scope="module")
def planned():
    roster = fictional_roster(14, seed=3, klass="1STA")
    return roster, plan_year(roster.students, None, None, 4, klass="1STA", time_limit=5, improve=False).plan


def test_planned_and_published_classes_show_their_figures_against_the_bound(planned):
    roster, plan = planned
    app, year = _year_with([fictional_roster(16, seed=9, klass="1STB")])
    m = OverviewModel(year, tune=app.tune)
    app.load.load_roster(roster)
    app.tune.plan = plan  # the school year saves it at once; the overview follows
    row = m.row("1STA")
    figures = compute(plan, Rules())
    assert row.status == PLANNED and row.rotations == 4
    assert row.repeat_free == figures.repeat_free_rotations
    assert row.repeat_free_bound == bounds(14, 4, plan_shape(plan, 14)).repeat_free
    assert row.repeat_free <= row.repeat_free_bound
    assert row.mean_classmates == round(figures.mean_classmates, 1)
    assert m.row("1STB").status == NOT_PLANNED
    assert year.publish(1) and year.publish(2)
    row = m.row("1STA")
    assert row.status == PUBLISHED and row.published_upto == 2
    assert not m.can_plan("1STA") and m.can_replan("1STA")
    assert m.can_plan("1STB") and not m.can_replan("1STB")


def test_open_puts_the_saved_class_into_the_page(planned):
    roster, plan = planned
    app, year = _year_with([fictional_roster(16, seed=9, klass="1STB")])
    app.load.load_roster(roster)
    app.tune.plan = plan
    m = OverviewModel(year, tune=app.tune)
    assert m.open("1STB") and app.load.klass == "1STB" and app.tune.plan is None
    assert m.open("1STA") and app.load.klass == "1STA"
    assert app.tune.plan.to_json() == plan.to_json()
    assert not m.open("9ZZ") and m.error is not None and "9ZZ" in m.error.render("nb")


def test_plan_refuses_a_published_class_and_replan_refuses_an_unplanned_one(planned):
    roster, plan = planned
    app, year = _year_with([fictional_roster(16, seed=9, klass="1STB")])
    app.load.load_roster(roster)
    app.tune.plan = plan
    year.publish(1)
    m = OverviewModel(year, tune=app.tune)
    assert not m.plan("1STA") and "1STA" in m.error.render("en")
    assert not m.replan("1STB") and "1STB" in m.error.render("en")


def test_plan_from_the_overview_saves_the_class(monkeypatch):
    app, year = _year_with([fictional_roster(12, seed=4, klass="2STA")])
    app.tune.time_limit = 3
    m = OverviewModel(year, tune=app.tune)
    assert m.plan("2STA"), m.error
    app.tune.wait(120)
    assert m.row("2STA").status == PLANNED and m.row("2STA").rotations == app.tune.rotations


def test_a_reload_shows_every_saved_class_again():
    app, year = _year_with([fictional_roster(12 + i, seed=i, klass=f"{1 + i % 3}ST{chr(65 + i)}") for i in range(6)])
    again = AppModel()
    m = OverviewModel(build_schoolyear_tab(again).model)
    assert len(m.rows) == 6


@pytest.mark.parametrize("lang", LANGUAGES)
def test_view_mirrors_the_model_in_every_language(lang, planned):
    roster, plan = planned
    app, year = _year_with([fictional_roster(16, seed=9, klass="1STB")])
    app.load.load_roster(roster)
    app.tune.plan = plan
    m = OverviewModel(year, tune=app.tune)
    m.lang = lang
    view = OverviewView(m)
    assert "makker-school-overview" in view._dom_classes
    assert view.table.value.count("makker-overview-row") == 2
    assert t("overview.status.not_planned", lang) in view.table.value
    m.chosen = "1STB"
    assert view.plan_btn.disabled is False and view.replan_btn.disabled is True
    m.chosen = "1STA"
    assert view.replan_btn.disabled is False
    assert list(view.chosen.options) == ["1STA", "1STB"]


def test_sort_key_puts_levels_in_number_order():
    assert sorted(["10A", "2B", "1C", "X"], key=sort_key) == ["1C", "2B", "10A", "X"]


from datetime import date  # noqa: E402

from makker.app.overview import SchoolPlanModel, SchoolPlanView  # noqa: E402
from makker.calendar import county_names  # noqa: E402


def test_school_settings_are_remembered_across_a_reload():
    app, year = _year_with([fictional_roster(12, seed=1, klass="1STA")])
    s = SchoolPlanModel(OverviewModel(year, tune=app.tune))
    county = sorted(county_names())[0]
    s.start, s.county, s.rotations, s.time_limit = date(2026, 8, 19), county, 6, 7.0
    assert s.save() and s.error is None
    assert s.set_override("1STA", rotations=4)
    again = SchoolPlanModel(OverviewModel(build_schoolyear_tab(AppModel()).model))
    assert (again.start, again.county, again.rotations, again.time_limit) == (date(2026, 8, 19), county, 6, 7.0)
    assert again.overrides() == {"1STA": {"rotations": 4}}
    assert again.settings().for_class("1STA").rotation_count() == 4


def test_plan_all_from_the_page_saves_each_class_and_reports_each_line():
    rosters = [fictional_roster(12 + 2 * i, seed=i, klass=f"{1 + i // 2}ST{'AB'[i % 2]}") for i in range(4)]
    tiny = fictional_roster(5, seed=3, klass="3STC")
    ids = tiny.ids()
    app, year = _year_with([*rosters, tiny])
    year.ws.save_rules("3STC", Rules(never={pair(ids[0], x) for x in ids[1:]}), year.ws.revision("3STC"))
    overview = OverviewModel(year, tune=app.tune)
    s = SchoolPlanModel(overview)
    view = SchoolPlanView(s)
    s.start, s.rotations, s.time_limit = date(2026, 8, 19), 3, 4.0
    assert s.start_all(wait=True), s.error
    assert not s.running and len(s.results) == 5
    statuses = {r.klass: r.status for r in overview.rows}
    assert statuses == {**{r.klass: PLANNED for r in rosters}, "3STC": NOT_PLANNED}
    assert view.progress.value.count("makker-plan-all-line") == 5
    failed = s.progress["3STC"].render("nb")
    assert "3STC" in failed and "ikke planlagt" in failed
    assert "19.08.2026" in view.dates.value
    assert year.ws.plan("1STA").rotations[0].start == date(2026, 8, 19)


def test_plan_all_waits_for_a_decision_about_an_upload():
    app, year = _year_with([fictional_roster(12, seed=1, klass="1STA")])
    s = SchoolPlanModel(OverviewModel(year, tune=app.tune))
    year.pending = {"1STA": {"new": ["X"], "gone": []}}
    assert not s.start_all() and "1STA" in s.error.render("nb")
