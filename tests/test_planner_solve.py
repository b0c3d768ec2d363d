"""The solver helper: status after a time-out, missing solvers, temp files."""

from __future__ import annotations

import tempfile

import pulp
import pytest

from makker.fictional import fictional_students
from makker.i18n import MakkerError
from makker.planner import plan_rotation
from makker.planner.rotation import shape_counts
from makker.planner.solve import _cbc_children, interpret, solve
from makker.rules import Rules, Weights


class FakeProblem:
    """What PuLP 3.3 leaves behind: status "Optimal" (1) even after a time-out."""

    def __init__(self, status, sol_status):
        self.status, self.sol_status = status, sol_status
        self.objective = None


def test_optimal_after_timeout_is_not_optimal(tmp_path):
    (tmp_path / "cbc.log").write_text(
        "Result - Stopped on time limit\n\nObjective value:                120.00000000\n"
        "Lower bound:                    100.000\nGap:                            0.20\n")
    outcome = interpret(FakeProblem(1, 2), str(tmp_path))
    assert outcome.status == "feasible"
    assert outcome.gap == pytest.approx(20 / 120)
    assert interpret(FakeProblem(1, 1), None).status == "optimal"
    assert interpret(FakeProblem(-1, -1), None).status == "infeasible"
    assert interpret(FakeProblem(0, 0), None, has_solution=False).status == "infeasible"


def _tiny():
    prob = pulp.LpProblem("tiny", pulp.LpMinimize)
    x, y = prob.add_variable("x", cat="Binary"), prob.add_variable("y", cat="Binary")
    prob += 3 * x + 2 * y
    prob += x + y == 1
    return prob, x, y


def test_tiny_problem_and_clean_temp(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    prob, x, y = _tiny()
    outcome = solve(prob, time_limit=5)
    assert outcome.status == "optimal" and outcome.objective == 2 and y.value() == 1
    assert list(tmp_path.iterdir()) == [] and _cbc_children() == []


def test_unknown_or_missing_solver_is_a_user_error():
    prob, _, _ = _tiny()
    with pytest.raises(MakkerError) as err:
        solve(prob, solver="glpk")
    assert err.value.key == "planner.unknown_solver"
    try:
        outcome = solve(prob, solver="highs", time_limit=5)
    except MakkerError as missing:  # highspy not installed: a clear message, no traceback
        assert missing.key == "planner.solver_missing" and "highs" in missing.message("en")
    else:
        assert outcome.status == "optimal"


def test_time_limit_gives_a_valid_plan_with_honest_status():
    students = fictional_students(31, seed=2)
    result = plan_rotation(students, Rules(), Weights(), time_limit=1)
    assert result.status in ("optimal", "feasible", "timeout")
    assert sorted(result.rotation.members()) == sorted(s.id for s in students)
    sizes = sorted(len([s for p in g for s in p]) for g in result.rotation.groups)
    assert sizes == sorted(k for k, c in shape_counts(31).items() for _ in range(c))
    assert _cbc_children() == []


def test_two_solves_at_once_cancelling_one_keeps_the_other(tmp_path, monkeypatch):
    """A cancelled solve stops only its own CBC: another solve in the same process finishes."""
    import threading
    import time

    from makker.planner.solve import SolveCancelled

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    cancel = threading.Event()
    results: dict[str, object] = {}

    def cancelled_one():
        try:
            plan_rotation(fictional_students(35, seed=1), Rules(), Weights(), time_limit=60, cancel=cancel)
            results["a"] = "finished"
        except SolveCancelled:
            results["a"] = "cancelled"

    def finishing_one():
        try:
            results["b"] = plan_rotation(fictional_students(32, seed=4), Rules(), Weights(), time_limit=120)
        except Exception as error:  # noqa: BLE001 - the test reports it
            results["b"] = error

    a, b = threading.Thread(target=cancelled_one), threading.Thread(target=finishing_one)
    deadline = time.monotonic() + 90
    a.start()
    while not _cbc_children() and time.monotonic() < deadline and a.is_alive():
        time.sleep(0.02)
    b.start()
    while len(_cbc_children()) < 2 and time.monotonic() < deadline and a.is_alive() and b.is_alive():
        time.sleep(0.02)
    both_running = len(_cbc_children()) == 2
    cancel.set()
    a.join(timeout=30)
    b.join(timeout=180)
    assert both_running and results["a"] == "cancelled"
    other = results["b"]
    assert not isinstance(other, Exception), other
    assert other.status == "optimal"
    assert sorted(other.rotation.members()) == sorted(s.id for s in fictional_students(32, seed=4))
    assert _cbc_children() == [] and list(tmp_path.iterdir()) == []
