"""The saved school year is the truth: samples, uploads, reloads, swaps and backups never lose saved work.

Each test starts from a real-looking saved class (published rotations,
never-together rules), does what a coordinator does in the page (through the
models, no browser) and checks the page state *and* the workspace on disk,
opened afresh.
"""

from __future__ import annotations

from datetime import date

import pytest
from saved_year import NEVER, save_a_year
from uploads import csv_of, upload_value

from makker.app.app_model import AppModel
from makker.app.schoolyear import build_schoolyear_tab
from makker.fictional import fictional_roster
from makker.rules import pair
from makker.store import Workspace


def open_page() -> tuple[AppModel, object]:
    """A fresh page (new kernel) on the saved school year in MAKKER_HOME."""
    app = AppModel()
    app.tune.preview_delay = 0
    year = build_schoolyear_tab(app).model
    return app, year


def on_disk(klass: str = "1STA"):
    ws = Workspace(Workspace(None).path)  # the default workspace, opened afresh
    return ws.roster(klass), ws.rules(klass), ws.published(klass), ws.plan(klass)


@pytest.fixture
def saved_year():
    """A saved 1STA: 30 students, three never-together rules, rotations 1-2 published, 6 rotations planned."""
    save_a_year(*open_page())
    return on_disk()


def test_a_sample_after_real_work_never_touches_the_school_year(saved_year):
    app, year = open_page()
    assert app.load.klass == "1STA" and len(app.load.never) == NEVER
    assert app.load.load_sample("hele_skolen_vg1.xlsx")  # the sample also has a 1STA
    assert year.fictional and app.load.fictional and "makker-sample" in year.path
    app.tune.rotations, app.tune.time_limit = 3, 2
    assert app.tune.start_plan()
    app.tune.wait(60)
    assert app.tune.plan is not None and len(app.tune.plan.students) == 31
    assert on_disk() == saved_year  # roster, rules, published rotations and plan unchanged
    assert year.leave_sample()
    assert not year.fictional and app.load.roster.ids() == saved_year[0].ids()
    assert {frozenset(p) for p in app.load.never} == set(saved_year[1].never)
    assert app.tune.plan.rotations[:2] == [saved_year[2][1], saved_year[2][2]]


def test_after_a_reload_lag_plan_keeps_the_published_rotations(saved_year):
    app, year = open_page()
    assert app.tune.rotations == 6 and app.tune.start == date(2026, 8, 17) and app.tune.gender == 7.0
    assert app.tune.keep == 2
    assert app.tune.start_plan()
    app.tune.wait(120)
    plan = app.tune.plan
    assert [r.groups for r in plan.rotations[:2]] == [saved_year[2][1].groups, saved_year[2][2].groups]
    _, rules, published, disk_plan = on_disk()
    assert published == saved_year[2] and rules == saved_year[1]
    assert [r.groups for r in disk_plan.rotations[:2]] == [published[1].groups, published[2].groups]


def test_a_reload_brings_back_every_class_of_the_file_and_the_chosen_one(saved_year):
    app, year = open_page()
    app.load.choose_class("1STB")
    again, _ = open_page()
    assert again.load.classes == ["1STA", "1STB"] and again.load.klass == "1STB"
    again.load.choose_class("1STA")
    assert len(again.load.never) == NEVER  # the class's own rules come with it


def test_uploading_another_version_of_a_saved_class_asks_first(saved_year):
    roster = saved_year[0]
    app, year = open_page()
    newer = roster.subset(roster.ids()[3:])  # 27 of the 30
    assert app.load.load_upload(upload_value(csv_of(newer), "1STA_ny.csv"))
    assert len(app.load.roster.students) == 27 and app.load.source == "1STA_ny.csv"  # tab 1 shows the new file
    assert sorted(year.pending["1STA"]["gone"]) == sorted(s.name for s in roster.students[:3])
    assert on_disk() == saved_year
    assert year.keep_saved_class()
    assert app.load.roster.ids() == roster.ids() and on_disk() == saved_year

    assert app.load.load_upload(upload_value(csv_of(newer), "1STA_ny.csv"))
    assert year.save_class_as("1STA-ny")
    assert on_disk() == saved_year and Workspace(None).roster("1STA-ny").ids() == newer.ids()


def test_replacing_a_class_keeps_rules_by_id_and_the_published_rotations(saved_year):
    roster, rules, published, _ = saved_year
    app, year = open_page()
    newer = roster.subset(roster.ids()[1:])  # one student with a rule has gone
    assert app.load.load_upload(upload_value(csv_of(newer), "1STA_ny.csv"))
    assert year.replace_class()
    year.wait(120)
    disk_roster, disk_rules, disk_published, disk_plan = on_disk()
    assert disk_roster.ids() == newer.ids() and disk_published == published
    assert pair(roster.ids()[2], roster.ids()[3]) in disk_rules.never
    assert [r.groups for r in disk_plan.rotations[:2]] == [published[1].groups, published[2].groups]


def test_the_json_download_has_no_gender_or_previous_school(saved_year):
    import json

    from makker.plan import Plan

    app, year = open_page()
    data = json.loads(app.tune.plan.dumps(attributes=False))
    assert all(set(s) == {"id", "name"} for s in data["students"])
    assert Plan.from_json(data).rotations == app.tune.plan.rotations  # still a plan file for --history


def test_backups_are_chosen_confirmed_and_the_present_is_kept(saved_year):
    app, year = open_page()
    ws = year.ws
    first = ws.backup()  # a backup holding today's year
    ids = app.load.roster.ids()
    app.load.remove_rule("never", ids[0], ids[1])  # a change after it
    assert len(Workspace(None).rules("1STA").never) == NEVER - 1
    year.list_backups()
    chosen = next(b for b in year.backups if b["path"] == first)
    assert "1STA" in chosen["changed"]
    count = len(ws.backups())
    assert not year.restore_backup(first.name)  # the first click only asks
    assert len(Workspace(None).rules("1STA").never) == NEVER - 1
    assert year.restore_backup(first.name, confirm=True)
    assert len(Workspace(None).rules("1STA").never) == NEVER and len(app.load.never) == NEVER
    assert len(year.ws.backups()) >= min(count + 1, year.ws.keep_backups)
    assert not (year.ws.path.parent / (year.ws.path.name + ".broken")).exists()



def test_a_backup_put_back_while_an_upload_waits_shows_the_restored_class(saved_year):
    """The upload's question was about the year before the backup: it goes, and tab 1 shows what is saved."""
    roster = saved_year[0]
    app, year = open_page()
    first = year.ws.backup()
    newer = roster.subset(roster.ids()[2:])
    assert app.load.load_upload(upload_value(csv_of(newer), "1STA_ny.csv"))
    assert "1STA" in year.pending
    year.list_backups()
    assert not year.restore_backup(first.name) and year.restore_backup(first.name, confirm=True)
    assert year.pending == {} and not year.replace_class()
    assert app.load.roster.ids() == on_disk()[0].ids() == roster.ids()


# -- the structure behind it: one model of the year, linked, never written into -------------


def test_the_school_year_model_stands_alone_without_any_other_panel(tmp_path):
    """Everything the page tells the year goes through its methods: it works without an app around it."""
    from makker.app.schoolyear import SchoolYearModel
    from makker.rules import Rules

    year = SchoolYearModel(tmp_path / "alene.sqlite")
    first, second = fictional_roster(14, seed=1, klass="1A"), fictional_roster(12, seed=2, klass="1B")
    year.uploaded([first, second], "skolen.csv", "1A")
    assert year.classes == ["1A", "1B"] and year.klass == "1A" and year.pending == {}
    year.roster, year.rules = first, Rules(never={pair(*first.ids()[:2])})
    from makker.baseline import random_plan

    plan = random_plan(first.students, 3, seed=1, klass="1A")
    assert year.plan_made(plan) and year.saved and year.ws.plan("1A").rotations == plan.rotations
    shown = year.shown
    assert year.plan_made(plan) and year.shown is shown  # its own plan again: nothing saved, nothing shown
    year.choose("1B")
    assert year.klass == "1B" and year.plan is None
    year.choose("1A")
    assert year.shown.plan.rotations == plan.rotations and year.shown.klass == "1A"
    changed = first.subset(first.ids()[1:])
    year.uploaded([changed], "1A.csv", "1A")
    assert year.pending["1A"]["gone"] == [first.students[0].name] and year.blocked is not None


def test_the_school_year_model_holds_no_widgets_and_no_html():
    import ast
    from pathlib import Path

    import makker.app.schoolyear.model as model

    tree = ast.parse(Path(model.__file__).read_text(encoding="utf-8"))
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not any("ipywidgets" in name for name in imported)
    strings = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    assert not [s for s in strings if "<a " in s or "<p" in s or "<table" in s]


def test_a_refused_save_is_said_beside_lag_plan(saved_year):
    app, year = open_page()
    other, other_year = open_page()  # a second window saves first
    ids = other.load.roster.ids()
    other.load.remove_rule("never", ids[0], ids[1])
    app.tune.time_limit = 2
    assert app.tune.start_plan()
    app.tune.wait(60)
    assert app.tune.status is not None and app.tune.status.key == "store.conflict"
    assert year.error.key == "store.conflict" and year.origin == "workspace"
    assert on_disk()[3] == saved_year[3]  # the newer work in the other window is not overwritten


def test_a_replan_shows_progress_beside_its_button_and_can_be_cancelled(saved_year):
    from makker.app.schoolyear.view import SchoolYearView

    app, year = open_page()
    view = SchoolYearView(year)
    app.tune.time_limit = 60
    ids = app.load.roster.ids()
    assert year.leave(ids[-1])  # the re-plan starts in the background
    assert year.running and view.replan_progress.layout.display != "none"
    assert view.replan_cancel.layout.display != "none" and view.status in view.notes["changes"].children
    app.tune.seed = 5  # the other tabs keep answering while it runs
    year.cancel_replan()
    year.wait(60)
    assert not year.running and view.replan_progress.layout.display == "none"
    roster, _, published, plan = on_disk()
    assert ids[-1] not in roster.ids() and published == saved_year[2]
    assert all(ids[-1] not in r.members() for r in plan.rotations[2:])  # the best plan so far, without the leaver
    assert [r.groups for r in plan.rotations[:2]] == [published[1].groups, published[2].groups]


def test_messages_appear_in_the_section_whose_control_caused_them(saved_year):
    from makker.app.schoolyear.view import SchoolYearView

    app, year = open_page()
    view = SchoolYearView(year)
    ids = app.load.roster.ids()
    assert not year.swap(3, ids[0], ids[1])  # a never-together pair: refused by the swap controls
    assert view.error in view.notes["swap"].children and view.error not in view.notes["workspace"].children
    assert year.publish(3)
    assert view.status in view.notes["publish"].children and "3" in view.status.value
    year.start = None
    assert not year.compute_dates() and view.error in view.notes["calendar"].children
