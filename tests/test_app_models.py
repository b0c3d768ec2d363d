"""Dashboard models without widgets: loading, rules, planning thread, see/export.

The planner is replaced by small fakes here (``fake_planner``) so these tests
check the app's own behaviour (threading, progress, errors, privacy) quickly;
``test_app_views.py`` runs the real planner once end to end.
"""

from __future__ import annotations

import base64
import io
import re
import threading
from pathlib import Path

import pytest
from uploads import upload_value

import makker.planner as planner_pkg
from makker.app.app_model import AppModel
from makker.app.environment import Settings, sample_files, settings_from_environment
from makker.app.load_model import MAX_UPLOAD_BYTES, LoadModel
from makker.app.tune_model import TuneModel
from makker.baseline import random_plan
from makker.fictional import fictional_roster
from makker.i18n import MakkerError, Message
from makker.rules import pair

SAMPLES = Path(__file__).resolve().parents[1] / "sample_rosters"
SAMPLE30 = "vg1_studiespesialisering_30.xlsx"


class FakeYear:
    def __init__(self, plan, timed_out=False, notes=()):
        self.plan, self.timed_out, self.notes, self.seconds = plan, timed_out, list(notes), 0.01


class FakeProgress:
    def __init__(self, done, total, phase="exact", message=None):
        self.done, self.total, self.phase, self.message = done, total, phase, message


def fake_plan_year(students, rules, weights, rotations, *, klass="", dates=None, progress=None, cancel=None, **kw):
    seen = []
    for r in range(1, rotations + 1):
        if progress:
            progress(FakeProgress(r, rotations))
        seen.append(r)
    plan = random_plan(students, rotations, seed=kw.get("seed", 0), klass=klass)
    return FakeYear(plan, timed_out=kw.get("time_limit", 60) < 1)


def fake_preview(students, rules, weights, *, history=(), number=1, seed=0):
    return random_plan(students, 1, seed=seed).rotations[0]


@pytest.fixture
def fake_planner(monkeypatch):
    monkeypatch.setattr(planner_pkg, "plan_year", fake_plan_year, raising=False)
    monkeypatch.setattr(planner_pkg, "preview_rotation", fake_preview, raising=False)
    return planner_pkg


pytestmark = pytest.mark.usefixtures("isolated_workspace")  # the school-year tab autosaves


# -- environment ---------------------------------------------------------------
def test_query_string_chooses_language_and_training_mode():
    s = settings_from_environment({"QUERY_STRING": "lang=nn&mode=training"})
    assert s.lang == "nn" and s.training
    assert settings_from_environment({"QUERY_STRING": "lang=xx"}).lang == "nb"
    assert settings_from_environment({"MAKKER_LANG": "en", "MAKKER_MODE": "training"}) == Settings(lang="en", training=True)
    assert settings_from_environment({"QUERY_STRING": "lang=en", "MAKKER_LANG": "nn"}).lang == "en"
    assert settings_from_environment({"MAKKER_TIME_LIMIT": "nonsense"}).time_limit == 60.0


def test_sample_list_holds_class_lists_but_not_rule_files():
    names = [p.name for p in sample_files(SAMPLES)]
    assert SAMPLE30 in names
    assert not any("aldri" in n for n in names)
    assert all(n.endswith((".xlsx", ".csv")) for n in names)


# -- load ------------------------------------------------------------------------
def test_load_sample_and_choose_class():
    load = LoadModel(sample_dir=SAMPLES)
    assert load.load_sample("hele_skolen_vg1.xlsx")
    assert len(load.classes) > 1 and load.klass == load.classes[0]
    second = load.classes[1]
    load.klass = second
    assert load.roster.klass == second
    assert load.error is None


def test_upload_value_tuple_with_memoryview_is_read():
    load = LoadModel(sample_dir=SAMPLES)
    data = (SAMPLES / "vg1_yrkesfag_15.csv").read_bytes()
    assert load.load_upload(upload_value(data, "klasse.csv"))
    assert len(load.roster.students) == 15 and load.source == "klasse.csv"


def test_rejected_uploads_keep_the_previous_class():
    load = LoadModel(sample_dir=SAMPLES)
    load.load_sample(SAMPLE30)
    before = load.roster
    load.add_rule("never", before.students[0].id, before.students[1].id)
    assert not load.load_upload(upload_value(b"x", "bilde.png"))
    assert load.error.key == "app.error.upload_type"
    big = b"a" * (MAX_UPLOAD_BYTES + 1)
    assert not load.load_upload(upload_value(big, "stor.csv"))
    assert load.error.key == "app.error.upload_too_big" and "MB" in load.error.render("en")
    assert not load.load_upload(upload_value(b"\x00\x01\x02garbage", "tom.xlsx"))
    assert load.error is not None and not load.error.key.startswith("app.error.unexpected")
    assert load.roster is before and len(load.never) == 1


def test_pair_rules_are_exclusive_and_removable():
    load = LoadModel(sample_dir=SAMPLES)
    load.load_roster(fictional_roster(8, seed=2, klass="1X"))
    a, b, c = load.roster.ids()[:3]
    assert load.add_rule("apart", a, b)
    assert load.add_rule("never", b, a)  # moves from apart to never
    assert load.never == (pair(a, b),) and load.apart == ()
    assert not load.add_rule("never", a, a) and load.error.key == "app.error.pick_two"
    assert not load.add_rule("never", a, "nobody")
    load.add_rule("apart", a, c)
    assert load.rules().never == {pair(a, b)} and load.rules().apart == {pair(a, c)}
    assert load.remove_rule("never", b, a) and load.never == ()
    assert not load.remove_rule("never", b, a)


# -- tune --------------------------------------------------------------------------
def make_app(**settings) -> AppModel:
    app = AppModel(Settings(**settings), sample_dir=SAMPLES)
    app.tune.preview_delay = 0
    return app


def test_slider_change_gives_a_preview_of_rotation_one(fake_planner):
    app = make_app()
    app.load.load_roster(fictional_roster(12, seed=3, klass="1T"))
    app.tune.show_preview(None)
    count = app.tune.preview_count
    app.tune.gender = 9
    assert app.tune.preview_count == count + 1
    assert app.tune.preview is not None and app.tune.preview.number == 1
    assert sorted(app.tune.preview.members()) == sorted(app.load.roster.ids())


def test_plan_runs_in_a_thread_with_progress_and_status(fake_planner):
    app = make_app(rotations=3)
    app.load.load_roster(fictional_roster(12, seed=3, klass="1T"))
    seen = []
    app.tune.observe(lambda c: seen.append(c["new"]), names="done")
    running_seen = []
    app.tune.observe(lambda c: running_seen.append(c["new"]), names="running")
    assert app.tune.start_plan()
    app.tune.wait(20)
    assert running_seen == [True, False]
    assert seen[-1] == 3 and app.tune.done == app.tune.total == 3
    assert app.see.plan is app.tune.plan and len(app.see.plan.rotations) == 3
    assert app.tune.status.key == "app.status.done"
    assert app.error is None


def test_impossible_rules_give_a_translated_error_and_keep_the_input(monkeypatch):
    def impossible(*a, **kw):
        raise MakkerError("app.error.too_few", n=1)

    monkeypatch.setattr(planner_pkg, "plan_year", impossible, raising=False)
    monkeypatch.setattr(planner_pkg, "preview_rotation", fake_preview, raising=False)
    app = make_app()
    app.load.load_roster(fictional_roster(10, seed=3, klass="1T"))
    app.load.add_rule("never", *app.load.roster.ids()[:2])
    app.tune.school = 2
    app.tune.start_plan()
    app.tune.wait(20)
    assert app.error == Message.of("app.error.too_few", n=1)
    assert "1" in app.error.render("nn")
    assert not app.tune.running and app.tune.plan is None
    assert len(app.load.never) == 1 and app.tune.school == 2


def test_unexpected_exception_becomes_a_generic_message(monkeypatch):
    monkeypatch.setattr(planner_pkg, "plan_year", lambda *a, **k: 1 / 0, raising=False)
    monkeypatch.setattr(planner_pkg, "preview_rotation", fake_preview, raising=False)
    app = make_app()
    app.load.load_roster(fictional_roster(10, seed=3, klass="1T"))
    app.tune.start_plan()
    app.tune.wait(20)
    assert app.error.key == "app.error.unexpected"
    assert "Traceback" not in app.error.render("en") and "ZeroDivision" not in app.error.render("en")


def test_cancel_stops_the_run_and_keeps_the_best_plan(monkeypatch):
    started = threading.Event()

    def slow(students, rules, weights, rotations, *, cancel=None, klass="", **kw):
        started.set()
        assert cancel.wait(10)
        return FakeYear(random_plan(students, 1, klass=klass))

    monkeypatch.setattr(planner_pkg, "plan_year", slow, raising=False)
    monkeypatch.setattr(planner_pkg, "preview_rotation", fake_preview, raising=False)
    app = make_app()
    app.load.load_roster(fictional_roster(10, seed=3, klass="1T"))
    assert app.tune.start_plan()
    assert started.wait(10)
    assert not app.tune.start_plan()  # a second click while running does nothing
    app.tune.cancel_plan()
    app.tune.wait(10)
    assert app.tune.status.key == "app.status.cancelled" and app.tune.plan is not None


def test_too_small_class_is_refused_before_planning(fake_planner):
    tune = TuneModel()
    tune.students = list(fictional_roster(3, seed=1).students)
    assert not tune.start_plan() and tune.error.key == "app.error.too_few"


# -- see and export -------------------------------------------------------------------
@pytest.fixture
def planned_app(fake_planner):
    app = make_app()
    app.load.load_sample(SAMPLE30)
    ids = app.load.roster.ids()
    app.load.add_rule("never", ids[0], ids[1])
    app.load.add_rule("apart", ids[2], ids[3])
    app.tune.plan = random_plan(app.load.students(), 3, seed=4, klass=app.load.klass)
    return app


def test_exports_decode_and_never_hold_rules(planned_app):
    from openpyxl import load_workbook

    see = planned_app.see
    see.rotation = 2
    links = dict(see.export_links())
    assert {"makker-download-xlsx", "makker-download-csv", "makker-download-png", "makker-download-pdf"} <= set(links)
    href = re.search(r'href="data:[^;]+;base64,([^"]+)"', links["makker-download-xlsx"]).group(1)
    book = load_workbook(io.BytesIO(base64.b64decode(href)))
    assert len(book.sheetnames) >= 2
    png = base64.b64decode(re.search(r'base64,([^"]+)"', links["makker-download-png"]).group(1))
    assert png.startswith(b"\x89PNG")
    assert "1STA" in links["makker-download-png"] and "-2.png" in links["makker-download-png"]
    text = " ".join(links.values()).lower()
    for word in ("aldri", "never", "helst"):
        assert word not in text


def test_summary_is_empty_in_presentation_mode(planned_app):
    see = planned_app.see
    planned_app.presentation = True
    assert see.presentation and see.summary_lines() == []


def test_changing_the_class_drops_the_old_plan(planned_app):
    assert planned_app.see.plan is not None
    planned_app.load.load_sample("vg1_yrkesfag_15.csv")
    assert planned_app.tune.plan is None and planned_app.see.plan is None
    assert planned_app.load.never == ()  # rules of the other class do not leak in


def test_training_mode_opens_a_fictional_class():
    app = AppModel(Settings(training=True), sample_dir=SAMPLES)
    app.start()
    assert app.load.roster is not None and len(app.load.roster.students) == 30
    empty = AppModel(Settings(training=True), sample_dir=Path("/nonexistent"))
    assert empty.load.samples == []
    empty.start()
    assert empty.load.roster is not None and len(empty.load.roster.students) == 30


def test_rule_file_upload_adds_pairs_by_name():
    load = LoadModel(sample_dir=SAMPLES)
    load.load_sample(SAMPLE30)
    data = (SAMPLES / "aldri_sammen_eksempel.csv").read_bytes()
    added = load.load_rule_file("never", upload_value(data, "aldri.csv"))
    assert added == 3 and len(load.never) == 3 and load.error is None
    unknown = b"Elev A;Elev B\nIngen Finnes;Heller Ikke\n"
    assert load.load_rule_file("apart", upload_value(unknown, "feil.csv")) == 0
    assert load.error is not None and "Ingen Finnes" in load.error.render("nb")
    assert len(load.never) == 3  # the earlier rules are kept


def test_first_school_day_gives_rotation_dates(monkeypatch):
    from datetime import date

    from makker.app.tune_model import rotation_windows

    windows = rotation_windows(date(2026, 8, 17), 3)
    assert len(windows) == 3 and windows[0][0] == date(2026, 8, 17)
    assert all(a <= b for a, b in windows) and windows[0][1] < windows[1][0]
    assert rotation_windows(None, 3) is None
    seen = {}

    def capture(students, rules, weights, rotations, *, dates=None, klass="", **kw):
        seen["dates"] = dates
        return FakeYear(random_plan(students, rotations, klass=klass))

    monkeypatch.setattr(planner_pkg, "plan_year", capture, raising=False)
    monkeypatch.setattr(planner_pkg, "preview_rotation", fake_preview, raising=False)
    app = make_app(rotations=3)
    app.load.load_roster(fictional_roster(8, seed=1, klass="1D"))
    app.tune.start = date(2026, 8, 17)
    app.tune.start_plan()
    app.tune.wait(10)
    assert seen["dates"] == windows


def test_preview_error_clears_when_the_rule_is_removed():
    """Real preview: a student blocked by never-together rules, then the rule is lifted.

    No timing involved: with ``preview_delay = 0`` every rule change runs the
    preview synchronously (no debounce timer), which the counts below check,
    so the assertions never race a background thread.
    """
    app = make_app()
    assert app.tune.preview_delay == 0
    app.load.load_roster(fictional_roster(8, seed=2, klass="1P"))
    first, *others = app.load.roster.ids()
    for other in others:
        app.load.add_rule("never", first, other)
    assert app.error is not None and app.tune.preview is None
    assert app.load.roster.students[0].name in app.error.render("nb")
    for other in others[:5]:  # leave two rules: plenty of possible group-mates
        count = app.tune.preview_count
        app.load.remove_rule("never", first, other)
        assert app.tune.preview_count == count + 1  # this removal's preview has already run
    assert app.tune._timer is None  # nothing pending that could change the result later
    assert app.error is None and app.tune.preview is not None
    assert sorted(app.tune.preview.members()) == sorted(app.load.roster.ids())


# -- honest progress and the report of every plan made -----------------------------------
def test_progress_is_elapsed_time_and_best_figures_come_from_one_plan(monkeypatch):
    from makker.metrics import compute

    improving, release = threading.Event(), threading.Event()
    plans = {}

    def staged(students, rules, weights, rotations, *, progress=None, klass="", **kw):
        import time

        began = time.monotonic()
        plan = plans["plan"] = random_plan(students, rotations, seed=1, klass=klass)
        m = compute(plan, rules)
        for done in range(rotations + 1):
            progress(FakeProgress(done, rotations))
        progress(FakeProgress(rotations, rotations, "improve"))
        progress(FakeProgress(rotations, rotations, "improve", Message.of(
            "improve.progress", repeat_free=m.repeat_free_rotations, repeats=m.repeated_groupmates + 5)))
        improving.set()
        assert release.wait(10)
        progress(FakeProgress(rotations, rotations, "improve", Message.of(
            "improve.progress", repeat_free=m.repeat_free_rotations, repeats=m.repeated_groupmates)))
        year = FakeYear(plan)
        year.seconds = time.monotonic() - began
        return year

    monkeypatch.setattr(planner_pkg, "plan_year", staged, raising=False)
    monkeypatch.setattr(planner_pkg, "preview_rotation", fake_preview, raising=False)
    app = make_app(rotations=4)
    app.tune.time_limit, app.tune.tick = 2.0, 0.02
    app.load.load_roster(fictional_roster(12, seed=3, klass="1T"))
    assert app.tune.progress_share() == 0.0
    assert app.tune.start_plan()
    assert improving.wait(10)
    best = app.tune.best
    threading.Event().wait(0.3)
    assert app.tune.running and app.tune.elapsed >= 0.2  # the clock ticks between the planner's reports
    assert 0.1 <= app.tune.progress_share() < 1.0 and app.tune.best is best
    assert app.tune.status.key == "app.status.improving"  # the figures are on their own, not in the status
    threading.Event().wait(2.0)
    assert app.tune.progress_share() == 0.99  # past the time limit, still not done
    release.set()
    app.tune.wait(10)
    m = compute(plans["plan"], app.load.rules())
    final = app.tune.best
    assert (final.repeat_free, final.repeats) == (m.repeat_free_rotations, m.repeated_groupmates)
    assert best.seconds < final.seconds <= app.tune.elapsed and final.seconds >= 2.0
    assert app.tune.progress_share() == 1.0 and app.tune.finished


def test_a_plan_equal_to_the_last_refreshes_the_report(fake_planner):
    app = make_app(rotations=6)
    app.load.load_roster(fictional_roster(30, seed=4, klass="1T"))
    assert app.tune.start_plan()
    app.tune.wait(20)
    first, made = app.tune.plan, app.see.made
    with_gender = app.see.summary_lines()
    assert any("jente" in line or "gutt" in line or "kjønn" in line for line in with_gender)
    assert "jente" in app.see.tradeoff() or "gutt" in app.see.tradeoff()
    app.tune.gender = 0
    assert app.tune.start_plan()
    app.tune.wait(20)
    assert app.tune.plan == first and app.tune.plan_count == 2  # the same plan again ...
    assert app.see.made > made and app.see.weights.gender == 0  # ... and the report followed
    lines = app.see.summary_lines()
    assert lines and not any("jente" in line or "gutt" in line or "kjønn" in line for line in lines)
    assert "jente" not in app.see.tradeoff() and "gutt" not in app.see.tradeoff()
    app.presentation = True
    assert app.see.tradeoff() == "" and app.see.summary_lines() == []
