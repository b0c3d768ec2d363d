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
    app.load.klass = "1STB"
    again, _ = open_page()
    assert again.load.classes == ["1STA", "1STB"] and again.load.klass == "1STB"
    again.load.klass = "1STA"
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

