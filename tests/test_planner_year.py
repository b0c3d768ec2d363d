"""The year: no repeated pair partners while avoidable, keep/history, cancel, no CBC left behind."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from makker.fictional import fictional_students, realistic_rules
from makker.plan import Plan
from makker.planner import SolveCancelled, YearProgress, plan_rotation, plan_year
from makker.planner.solve import _cbc_children
from makker.rules import Rules, Weights


def _pair_repeats(plan: Plan) -> int:
    seen, repeats = set(), 0
    for r in plan.rotations:
        links = r.pair_links()
        repeats += len(links & seen)
        seen |= links
    return repeats


@pytest.mark.parametrize("n", [16, 20])
def test_no_repeated_pair_partner_in_ten_rotations(n):
    students = fictional_students(n, seed=n)
    rules = realistic_rules(students, seed=1, never=2)
    done = []
    result = plan_year(students, rules, Weights(), 10, time_limit=120, improve=False, progress=done.append)
    assert len(result.plan.rotations) == 10
    assert _pair_repeats(result.plan) == 0
    assert not any(r.group_links() & rules.never for r in result.plan.rotations)
    assert [p.done for p in done] == list(range(0, 11)) and all(isinstance(p, YearProgress) for p in done)


def test_keep_with_joined_and_left_students():
    students = fictional_students(13, seed=8)
    first = plan_year(students, Rules(), Weights(), 3, klass="1STA", time_limit=30, improve=False).plan
    stored = Plan.from_json(first.to_json())
    left, joined = students[0], fictional_students(1, seed=99, id_start=9001)[0]
    now = [s for s in students if s is not left] + [joined]
    again = plan_year(now, Rules(), Weights(), 5, klass="1STA", history=stored, keep=2, time_limit=30,
                      improve=False).plan
    assert [r.to_json() for r in again.rotations[:2]] == [r.to_json() for r in stored.rotations[:2]]
    for r in again.rotations[2:]:
        assert sorted(r.members()) == sorted(s.id for s in now)
    assert left.id in {s.id for s in again.students}  # still named in the kept rotations
    # the new rotations avoid pair partners the remaining students already had in the kept ones
    kept_links = set().union(*(r.pair_links() for r in stored.rotations[:2]))
    assert not any(r.pair_links() & kept_links for r in again.rotations[2:])


def test_dates_and_determinism():
    from datetime import date

    students = fictional_students(9, seed=3)
    dates = [(date(2026, 8, 17), date(2026, 9, 4)), (date(2026, 9, 7), date(2026, 9, 25))]
    a = plan_year(students, Rules(), Weights(), 2, dates=dates, seed=3, time_limit=20, improve=False).plan
    b = plan_year(students, Rules(), Weights(), 2, dates=dates, seed=3, time_limit=20, improve=False).plan
    assert a.dumps() == b.dumps()
    assert a.rotations[1].start == date(2026, 9, 7)


def test_cancel_kills_cbc_and_cleans_up(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    students = fictional_students(35, seed=1)
    cancel, outcome = threading.Event(), []

    def work():
        try:
            plan_rotation(students, Rules(), Weights(), time_limit=60, cancel=cancel)
            outcome.append("finished")
        except SolveCancelled:
            outcome.append("cancelled")

    worker = threading.Thread(target=work)
    worker.start()
    deadline = time.monotonic() + 60
    while not _cbc_children() and time.monotonic() < deadline and worker.is_alive():
        time.sleep(0.05)
    running = bool(_cbc_children())
    cancel.set()
    worker.join(timeout=30)
    assert running and outcome == ["cancelled"]
    assert _cbc_children() == []
    assert list(tmp_path.iterdir()) == []  # private temp dir removed


def test_year_cancel_returns_partial_plan():
    students = fictional_students(12, seed=1)
    cancel = threading.Event()

    def progress(p):
        if p.done == 2:
            cancel.set()

    result = plan_year(students, Rules(), Weights(), 6, time_limit=60, cancel=cancel, progress=progress)
    assert result.timed_out and len(result.plan.rotations) == 2
    assert result.notes[-1].key == "planner.note_cancelled"


SCRIPT = """
import sys
from makker.fictional import fictional_students
from makker.planner import plan_rotation
from makker.rules import Rules, Weights
print("start", flush=True)
plan_rotation(fictional_students(35, seed=1), Rules(), Weights(), time_limit=60)
"""


def _cbc_using(tmp: Path) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if str(tmp) in (entry / "cmdline").read_bytes().decode(errors="replace"):
                    out.append(int(entry.name))
            except OSError:
                pass
    return out


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")
def test_interrupt_leaves_no_cbc_process(tmp_path):
    env = dict(os.environ, TMPDIR=str(tmp_path))
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline().strip() == b"start"
    deadline = time.monotonic() + 30
    while not list(tmp_path.iterdir()) and time.monotonic() < deadline:  # wait until CBC runs
        time.sleep(0.1)
    time.sleep(1.0)
    proc.send_signal(2)  # SIGINT, as Ctrl-C
    proc.wait(timeout=30)
    time.sleep(0.3)
    assert _cbc_using(tmp_path) == []
    assert list(tmp_path.iterdir()) == []  # the private temp dir is gone


class _Budgets:
    """Records the seconds plan_year gives each exact solve and the year optimiser, without solving."""

    def __init__(self, monkeypatch):
        import makker.planner.year as year

        self.solves: list[float] = []
        self.optimiser: list[float] = []

        self.status = "optimal"
        self.change: int | None = None  # the rotation the fake optimiser changes

        def fake_rotation(students, rules, weights, *, history, number, time_limit, **kw):
            self.solves.append(time_limit)
            rotation = year.preview_rotation(students, rules, weights, history=history, number=number, seed=0,
                                             exact_seconds=0)
            return type("Result", (), {"rotation": rotation, "status": self.status, "gap": None})()

        def fake_improve(plan, students, rules, weights, *, time_limit, **kw):
            self.optimiser.append(time_limit)
            if self.change is None:
                return plan, None
            rotations = list(plan.rotations)
            old = rotations[self.change - 1]
            groups = [list(g) for g in old.groups]
            groups[0][0], groups[1][0] = groups[1][0], groups[0][0]  # two pairs change groups
            rotations[self.change - 1] = year.Rotation(old.number, tuple(tuple(g) for g in groups), old.start,
                                                       old.end)
            return year.Plan(plan.klass, plan.students, rotations), None

        monkeypatch.setattr(year, "plan_rotation", fake_rotation)
        monkeypatch.setattr(year, "improve_year", fake_improve)


@pytest.mark.parametrize("n, no_design", [(26, True), (30, True), (27, True), (28, False), (24, False)])
def test_time_split_leaves_the_optimiser_a_chase_where_no_design_fits(monkeypatch, n, no_design):
    """Classes with a trio or a group of three pairs: the optimiser's chase start needs about half the minute."""
    from makker.planner.improve import chase_completion_budget
    from makker.planner.year import CHASE_EXACT_SHARE, EXACT_SHARE, SPLIT_MARGIN

    budgets = _Budgets(monkeypatch)
    students = fictional_students(n, seed=n)
    plan_year(students, realistic_rules(students, seed=1, never=2), Weights(), 10, time_limit=60)
    share = CHASE_EXACT_SHARE if no_design else EXACT_SHARE
    assert budgets.solves[0] == pytest.approx(share * 60 / 10, rel=0.05)
    assert len(budgets.optimiser) == 1 and budgets.optimiser[0] > 60 * (1 - share) - 1
    if no_design:  # the optimiser's share holds a chase from one repeat-free rotation, with a margin for overruns
        assert chase_completion_budget(10, 1, SPLIT_MARGIN * 60 * (1 - share)) is not None


def test_time_split_keeps_the_usual_share_when_kept_or_short(monkeypatch):
    """Kept rotations, a keep-together rule, or too little time per exact solve: the usual split."""
    from makker.planner.year import EXACT_SHARE

    budgets = _Budgets(monkeypatch)
    students = fictional_students(26, seed=3)
    rules = realistic_rules(students, seed=1, never=2)
    plan_year(students, rules, Weights(), 10, time_limit=30)
    assert budgets.solves[0] == pytest.approx(EXACT_SHARE * 30 / 10, rel=0.05)
    budgets.solves.clear()
    free = [s.id for s in students if not any(s.id in p for p in rules.never)]
    keep = Rules(never=rules.never, keep={1: {frozenset(free[:2])}})
    plan_year(students, keep, Weights(), 10, time_limit=60)
    assert budgets.solves[0] == pytest.approx(EXACT_SHARE * 60 / 10, rel=0.05)


def test_chase_completion_budget():
    """Two seconds for each rotation after the first repeat-free one the chase would add, within the budget."""
    from makker.planner.improve import CHASE_FIT, CHASE_START, chase_completion_budget

    assert chase_completion_budget(10, 1, 60) == pytest.approx(CHASE_START[1] * 60)
    assert chase_completion_budget(10, 1, 36) == pytest.approx(16.0)
    assert chase_completion_budget(10, 1, 20) is None
    for limit in (25, 36, 60, 120):
        need = chase_completion_budget(10, 2, limit)
        assert need is None or CHASE_START[0] * limit + need <= CHASE_FIT * limit + 1e-9


def test_notes_of_a_solve_go_with_its_rotation(monkeypatch):
    """«Time ran out» for a rotation is reported only while that rotation is the one the solve gave."""
    budgets = _Budgets(monkeypatch)
    budgets.status, budgets.change = "timeout", 3
    students = fictional_students(20, seed=2)
    result = plan_year(students, Rules(), Weights(), 4, time_limit=60)
    timeouts = [dict(m.params)["rotation"] for m in result.notes if m.key == "planner.note_timeout"]
    assert timeouts == [1, 2, 4]
    assert any(m.key == "planner.note_timed_out" for m in result.notes)
