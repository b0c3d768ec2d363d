"""The school year: rotation after rotation, each exact given the earlier ones.

Every rotation is solved exactly (:func:`plan_rotation`) with all earlier
rotations as history, so repeats cost what :mod:`costs` says and a repeated
pair partner only happens when unavoidable. Afterwards, if there is time left,
the year optimiser (:mod:`makker.planner.improve`) moves students across
rotations to push the first repeated group-mate later.

Time: the budget is split evenly over the rotations still to plan (80 % of it
when the improvement runs afterwards; 50 % where no design fits the class, so
that the optimiser can start from a chase, see :func:`_exact_share`). When the budget runs out, the remaining
rotations come from the quick planner (:mod:`makker.planner.quick`) and
``timed_out`` is set, so a plan is always returned. A cancel event stops after the current solve (a
running CBC process is killed) and returns the rotations finished so far.

``history=PLAN, keep=K``: rotations 1..K of the earlier plan are kept exactly
as they were (same groups, same dates), even when students have joined or left
since. Students who left are dropped from the new rotations (they stay in the
kept ones and in ``plan.students``); students who joined have no history.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..i18n import MakkerError, Message
from ..plan import Plan, Rotation
from ..rules import Rules, Weights
from ..students import GENDERS, Student
from .diagnose import ImpossibleRules, diagnose
from .improve import chase_completion_budget, improve_year
from .rotation import plan_rotation, preview_rotation
from .seeding import design_fits
from .solve import SolveCancelled

EXACT_SHARE = 0.8  # of the budget, when the improvement runs afterwards
CHASE_EXACT_SHARE = 0.5  # instead, where no design fits and the improvement can start from a chase
SPLIT_MARGIN = 0.9  # of the optimiser's share that the chase must fit in (exact solves run over their limit a little)
MIN_SOLVE = 2.0  # seconds: below this, use the quick two-stage plan


@dataclass(frozen=True)
class YearProgress:
    done: int
    total: int
    phase: str  # "exact" | "improve"
    message: Message | None = None


@dataclass
class YearResult:
    plan: Plan
    timed_out: bool
    notes: list[Message] = field(default_factory=list)
    seconds: float = 0.0


def _kept(history: Plan | None, keep: int, students: Sequence[Student], klass: str) -> list[Rotation]:
    if not keep:
        return []
    if history is None or keep < 0 or keep > len(history.rotations):
        raise MakkerError("planner.keep_too_many", keep=keep, have=len(history.rotations) if history else 0)
    kept = list(history.rotations[:keep])
    # An earlier plan of another class would be kept as if it were this one's.
    other_class = klass and history.klass and klass.casefold() != history.klass.casefold()
    ids = {s.id for s in students}
    if other_class or not any(sid in ids for r in kept for sid in r.members()):
        raise MakkerError("planner.history_other_class", history=history.klass or "?", klass=klass or "?")
    return kept


def _all_students(students: Sequence[Student], kept: list[Rotation], history: Plan | None) -> list[Student]:
    """The class now, plus students who left but still appear in kept rotations."""
    have = {s.id for s in students}
    in_kept = {sid for r in kept for sid in r.members()}
    left = [s for s in (history.students if history else []) if s.id in in_kept and s.id not in have]
    return list(students) + left


def _dated(rotation: Rotation, dates, number: int) -> Rotation:
    if dates and len(dates) >= number and dates[number - 1]:
        start, end = dates[number - 1]
        return Rotation(number, rotation.groups, start, end)
    return rotation


def _notes_for(result, number: int) -> list[Message]:
    if result.status == "feasible" and result.gap:
        return [Message.of("planner.note_gap", rotation=number, gap=f"{100 * result.gap:.1f}")]
    if result.status == "timeout":
        return [Message.of("planner.note_timeout", rotation=number)]
    return []


def plan_year(students: Sequence[Student], rules: Rules | None, weights: Weights | None, rotations: int, *,
              klass: str = "", dates=None, history: Plan | None = None, keep: int = 0, time_limit: float = 60.0,
              solver: str = "cbc", seed: int = 0, progress: Callable[[YearProgress], None] | None = None,
              cancel: threading.Event | None = None, improve: bool = True, shape: str = "standard") -> YearResult:
    """Plan ``rotations`` rotations for the class (see module docstring); ``shape``: :mod:`makker.shapes`."""
    start = time.monotonic()
    students = list(students)
    rules = rules or Rules()
    kept = _kept(history, keep, students, klass)
    problems = diagnose(students, rules)
    if problems:  # before any progress line: the coordinator sees only what to fix
        raise ImpossibleRules(problems)
    if rotations < len(kept):
        raise MakkerError("planner.keep_too_many", keep=keep, have=rotations)
    improver = improve_year if improve else None
    exact_budget = time_limit * (_exact_share(students, rules, rotations, kept, time_limit, shape)
                                 if improver and rotations - len(kept) > 1 else 1.0)
    done: list[Rotation] = list(kept)
    notes: list[Message] = []
    solve_notes: dict[int, list[Message]] = {}  # rotation -> what its exact solve reported
    timed_out = cancelled = False
    report = progress or (lambda p: None)
    report(YearProgress(len(done), rotations, "exact"))
    for number in range(len(kept) + 1, rotations + 1):
        if cancel is not None and cancel.is_set():
            cancelled = True
            break
        left = exact_budget - (time.monotonic() - start)
        share = left / (rotations - number + 1)
        if share < MIN_SOLVE and shape == "standard":  # the quick plan knows only the standard shape
            timed_out = True
            rotation = preview_rotation(students, rules, weights, history=done, number=number, seed=seed,
                                        exact_seconds=MIN_SOLVE)
        else:
            try:
                result = plan_rotation(students, rules, weights, history=done, number=number, time_limit=share,
                                       solver=solver, seed=seed, cancel=cancel, shape=shape)
            except SolveCancelled:
                cancelled = True
                break
            rotation = result.rotation
            solve_notes[number] = _notes_for(result, number)
            timed_out = timed_out or result.status == "timeout"
        done.append(_dated(rotation, dates, number))
        report(YearProgress(len(done), rotations, "exact"))
    plan = Plan(klass, _all_students(students, kept, history), done)
    if improver and not cancelled and len(done) - len(kept) >= 1:
        plan = _improve(improver, plan, students, rules, weights, len(kept), start, time_limit, seed, cancel,
                        report, rotations)
    for number, rotation in enumerate(plan.rotations, 1):  # a rotation the optimiser changed is not that solve's
        if number in solve_notes and rotation.groups == done[number - 1].groups:
            notes += solve_notes[number]
    if timed_out:
        notes.append(Message.of("planner.note_timed_out", seconds=f"{time_limit:g}"))
    if cancelled:
        notes.append(Message.of("planner.note_cancelled", done=len(done), total=rotations))
    plan.notes = [m.render() for m in notes]
    return YearResult(plan, timed_out or cancelled, notes, time.monotonic() - start)


def _exact_share(students, rules: Rules, rotations: int, kept: list, time_limit: float, shape: str) -> float:
    """The share of the budget for the rotation-by-rotation plan; the year optimiser gets the rest.

    Where no design fits the class (a trio, a group of three pairs, sizes
    without one), the optimiser's best start is a chase whose repeat-free
    rotations come first, the rest of the year planned exactly again given
    them (:func:`improve.chase_start`). That takes about half a minute, so
    the rotation-by-rotation plan (the fallback, and the reference the result
    must not be worse than) gets less, as long as each of its rotations still
    gets an exact solve.
    """
    has_gender = any(s.gender in GENDERS for s in students)
    if kept or any(rules.keep.values()) or design_fits(len(students), has_gender, shape):
        return EXACT_SHARE
    if CHASE_EXACT_SHARE * time_limit / rotations < MIN_SOLVE:
        return EXACT_SHARE
    if chase_completion_budget(rotations, 1, SPLIT_MARGIN * (1 - CHASE_EXACT_SHARE) * time_limit) is None:
        return EXACT_SHARE
    return CHASE_EXACT_SHARE


def _improve(improver, plan, students, rules, weights, locked, start, time_limit, seed, cancel, report, total):
    left = time_limit - (time.monotonic() - start)
    if left < 1.0:
        return plan
    report(YearProgress(total, total, "improve"))
    # The optimiser never returns anything worse than it got (see improve.py).
    shown: set = set()

    def forward(p):  # the optimiser's best figures so far, for the progress bar (once per new figure)
        f = p.figures
        if (f.repeat_free, f.repeated_groupmates) not in shown:
            shown.add((f.repeat_free, f.repeated_groupmates))
            report(YearProgress(total, total, "improve", Message.of(
                "improve.progress", repeat_free=f.repeat_free, repeats=f.repeated_groupmates)))

    better, _stats = improver(plan, students, rules, weights, locked=locked, time_limit=left, seed=seed,
                              cancel=cancel, progress=forward)
    return better
