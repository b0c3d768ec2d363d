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
