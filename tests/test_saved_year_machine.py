"""A state machine over what a coordinator does with a saved school year.

Upload (a new version of a class, then replace / keep / save as), try a
sample and leave it, plan, publish, swap, a student joins or leaves, a rule is
added, the page is reloaded, a backup is restored. After every step:

- published rotations and never-together rules on disk are exactly what the
  coordinator's explicit actions made them (publish, add a rule, restore a
  backup), whatever else happened;
- the class list the page shows is the selected class's list (the saved one,
  or the uploaded one while the page asks what to do with it), and the tune
  panel plans that same list;
- a plan on screen for a saved class starts with its published rotations.

The planner is a quick fake that keeps the published rotations as the real one
does, so the machine tests the dashboard's bookkeeping, not the optimiser.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import date
from pathlib import Path

import hypothesis.strategies as st
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from uploads import csv_of, upload_value

import makker.planner as planner_pkg
from makker.app.app_model import AppModel
from makker.app.schoolyear import build_schoolyear_tab
from makker.baseline import random_plan
from makker.fictional import fictional_roster
from makker.plan import Plan, Rotation
from makker.rules import pair
from makker.store import Workspace

SAMPLES = Path(__file__).resolve().parents[1] / "sample_rosters"
CLASSES = ("1STA", "1STB")


class _Year:
    def __init__(self, plan, timed_out=False):
        self.plan, self.timed_out, self.notes, self.seconds = plan, timed_out, [], 0.01


def _fake_plan_year(students, rules, weights, rotations, *, klass="", dates=None, history=None, keep=0,
                    progress=None, cancel=None, seed=0, **kw):
    """Rotations 1..keep from ``history`` exactly, the rest random: what the real planner promises."""
    kept = list(history.rotations[:keep]) if history is not None and keep else []
    fresh = random_plan(list(students), max(1, rotations - len(kept)), seed=seed, klass=klass).rotations
    done = kept + [Rotation(len(kept) + i + 1, r.groups) for i, r in enumerate(fresh)][: rotations - len(kept)]
    ids = {s.id for s in students}
    left = [s for s in (history.students if history is not None else []) if s.id not in ids
            and any(s.id in r.members() for r in kept)]
    if progress:
        progress(type("P", (), {"done": rotations, "total": rotations, "phase": "exact", "message": None})())
    return _Year(Plan(klass, list(students) + left, done))


def _fake_preview(students, rules, weights, *, history=(), number=1, seed=0):
    return random_plan(list(students), 1, seed=seed).rotations[0]


@settings(max_examples=12, stateful_step_count=14, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
class SavedYearMachine(RuleBasedStateMachine):
    """The saved year (on disk) against what the coordinator explicitly did (``self.expected``)."""

    @initialize(size=st.integers(12, 30), seed=st.integers(0, 50))
    def a_saved_year(self, size, seed):
        self._env = {k: os.environ.get(k) for k in ("MAKKER_HOME", "MAKKER_WORKSPACE")}
        self._saved = (planner_pkg.__dict__.get("plan_year"), planner_pkg.__dict__.get("preview_rotation"))
        planner_pkg.plan_year, planner_pkg.preview_rotation = _fake_plan_year, _fake_preview
        self.folder = tempfile.mkdtemp(prefix="makker-machine-")
        os.environ["MAKKER_HOME"] = str(Path(self.folder) / "home")
        os.environ["MAKKER_WORKSPACE"] = str(Path(self.folder) / "year.sqlite")
        self.rosters = {"1STA": fictional_roster(size, seed=seed, klass="1STA"),
                        "1STB": fictional_roster(14, seed=seed + 1, klass="1STB")}
        self.open_page()
        assert self.app.load.load_upload(upload_value(csv_of(*self.rosters.values()), "skolen.csv"))
        ids = self.app.load.roster.ids()
        for a, b in ((0, 1), (2, 3)):
            assert self.app.load.add_rule("never", ids[a], ids[b])
        self.app.tune.rotations, self.app.tune.start = 4, date(2026, 8, 17)
        self.plan_now()
        assert self.year.publish(1)
        ws = self.disk()
        self.expected = {k: {"published": ws.published(k), "never": set(ws.rules(k).never)} for k in CLASSES}
        self.expected["1STB"]["published"] = {}
        self.counter = 0

    def teardown(self):
        if not hasattr(self, "folder"):
            return
        planner_pkg.plan_year, planner_pkg.preview_rotation = self._saved
        for key, value in self._env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        shutil.rmtree(self.folder, ignore_errors=True)

    # -- helpers -------------------------------------------------------------
    def open_page(self):
        self.app = AppModel()
        self.app.tune.preview_delay = 0
        self.app.tune.time_limit = 1
        self.year = build_schoolyear_tab(self.app).model

    @staticmethod
    def disk() -> Workspace:
        return Workspace(Path(os.environ["MAKKER_WORKSPACE"]))

    def plan_now(self) -> None:
        if self.app.tune.start_plan():
            self.app.tune.wait(30)

    def real_class(self) -> str | None:
        """The saved class the page works on, or None (a sample, or an upload waiting for a decision)."""
        klass = self.app.load.klass
        if self.year.fictional or self.app.load.fictional or klass in self.year.pending or klass not in CLASSES:
            return None
        return klass

    # -- what the coordinator does -------------------------------------------
    @rule(klass=st.sampled_from(CLASSES))
    def choose_class(self, klass):
        if klass in self.app.load.classes:
            self.app.load.choose_class(klass)

    @rule(drop=st.integers(1, 3))
    def upload_a_new_version(self, drop):
        roster = self.rosters["1STA"]
        newer = roster.subset(roster.ids()[drop:])
        self.app.load.load_upload(upload_value(csv_of(newer), f"1STA_{drop}.csv"))

    @precondition(lambda self: bool(self.year.pending))
    @rule(choice=st.sampled_from(("replace", "keep", "save_as")))
    def decide(self, choice):
        klass = self.app.load.klass
        if choice == "replace":
            ok = self.year.replace_class()
            self.year.wait(30)
            if ok:  # rules of students who are gone go with them; the others stay
                present = set(self.disk().roster(klass).ids())
                self.expected[klass]["never"] = {p for p in self.expected[klass]["never"] if set(p) <= present}
        elif choice == "keep":
            self.year.keep_saved_class()
        else:
            self.counter += 1
            self.year.save_class_as(f"1STA-{self.counter}")

    @rule(sample=st.sampled_from(("hele_skolen_vg1.xlsx", "vg1_yrkesfag_15.csv")))
    def try_a_sample(self, sample):
        assert self.app.load.load_sample(sample)
        assert self.year.fictional

    @precondition(lambda self: self.year.fictional)
    @rule()
    def leave_the_sample(self):
        assert self.year.leave_sample()

    @rule()
    def plan(self):
        self.plan_now()

    @rule()
    def publish_next(self):
        klass = self.real_class()
        if klass is None or self.year.plan is None:
            return
        number = max(self.year.published or [0]) + 1
        if number <= len(self.year.plan.rotations) and self.year.publish(number):
            self.expected[klass]["published"] = self.disk().published(klass)
            assert set(self.expected[klass]["published"]) == set(range(1, number + 1))

    @rule(data=st.data())
    def swap(self, data):
        klass = self.real_class()
        plan = self.year.plan
        if klass is None or plan is None:
            return
        free = [r for r in plan.rotations if r.number not in set(self.year.published)]
        if not free:
            return
        rotation = data.draw(st.sampled_from(free))
        a, b = data.draw(st.lists(st.sampled_from(rotation.members()), min_size=2, max_size=2, unique=True))
        done = self.year.swap(rotation.number, a, b) or self.year.swap(rotation.number, a, b, confirm=True)
        if done:  # a never-together pair never ends up in one group by hand
            groups = next(r for r in self.disk().plan(klass).rotations if r.number == rotation.number).group_of()
            for x, y in (tuple(p) for p in self.expected[klass]["never"]):
                if {x, y} & {a, b} and x in groups and y in groups:
                    assert groups[x] != groups[y]

    @rule(gone=st.integers(0, 40))
    def a_student_leaves(self, gone):
        klass = self.real_class()
        if klass is None or self.year.running:
            return
        ids = self.disk().roster(klass).ids()
        sid = ids[gone % len(ids)]
        if len(ids) > 6 and self.year.leave(sid):
            self.year.wait(30)

    @rule()
    def a_student_joins(self):
        klass = self.real_class()
        if klass is None or self.year.running:
            return
        self.counter += 1
        if self.year.join(f"Ny Elev{self.counter}", "K"):
            self.year.wait(30)

    @rule(i=st.integers(0, 40), j=st.integers(0, 40))
    def add_a_never_rule(self, i, j):
        klass = self.real_class()
        if klass is None or self.year.running:
            return
        ids = self.disk().roster(klass).ids()
        a, b = ids[i % len(ids)], ids[j % len(ids)]
        if a != b and self.year.add_never(a, b):
            self.year.wait(30)
            self.expected[klass]["never"].add(pair(a, b))

    @rule()
    def reload(self):
        self.open_page()

    @rule(data=st.data())
    def restore_a_backup(self, data):
        if self.year.fictional:
            return
        self.year.list_backups()
        if not self.year.backups:
            return
        chosen = data.draw(st.sampled_from(self.year.backups))["path"]
        copy = Path(self.folder) / "look.sqlite"
        shutil.copyfile(chosen, copy)
        then = Workspace(copy)
        if self.year.restore_backup(chosen.name) or self.year.restore_backup(chosen.name, confirm=True):
            self.year.wait(30)
            for k in CLASSES:
                if k in then.class_names():
                    self.expected[k] = {"published": then.published(k), "never": set(then.rules(k).never)}
        copy.unlink(missing_ok=True)

    # -- what must always hold -----------------------------------------------
    @invariant()
    def published_rotations_and_rules_are_what_the_coordinator_made_them(self):
        if not hasattr(self, "expected"):
            return
        ws = self.disk()
        for klass in CLASSES:
            if klass not in ws.class_names():
                continue
            assert ws.published(klass) == self.expected[klass]["published"], klass
            present = set(ws.roster(klass).ids())
            on_disk = {p for p in ws.rules(klass).never if set(p) <= present}
            assert on_disk == {p for p in self.expected[klass]["never"] if set(p) <= present}, klass

    @invariant()
    def the_page_shows_the_selected_class(self):
        if not hasattr(self, "expected"):
            return
        load, tune = self.app.load, self.app.tune
        if load.roster is None:
            return
        assert load.roster.klass == load.klass
        if not self.year.running and not tune.running:
            assert [s.id for s in tune.students] == load.roster.ids()
        klass = self.real_class()
        if klass is not None and not self.year.running:
            assert load.roster.ids() == self.disk().roster(klass).ids()

    @invariant()
    def a_shown_plan_starts_with_the_published_rotations(self):
        if not hasattr(self, "expected"):
            return
        klass = self.real_class()
        plan = self.app.tune.plan
        if klass is None or plan is None or self.year.running or self.app.tune.running:
            return
        published = self.disk().published(klass)
        shown = {r.number: r for r in plan.rotations}
        for number, rotation in published.items():
            assert shown.get(number) is not None and shown[number].groups == rotation.groups, (klass, number)


TestSavedYear = SavedYearMachine.TestCase
