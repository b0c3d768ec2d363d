"""Changes during the school year: publish, re-plan around locked rotations, swap.

Published rotations are what students have already been told; they are never
changed again. Everything after them may be re-planned when a student joins
or leaves or a never-together rule is added, using who has already worked
with whom (the planner's ``history``). A manual swap is the coordinator's
call: it is allowed in any unpublished rotation and only warns about the rules
it breaks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from .i18n import MakkerError, Message
from .plan import Plan, Rotation
from .rules import Rules, Weights
from .students import Student

# --------------------------------------------------------------------------- locking


def locked_prefix(published: Iterable[int]) -> int:
    """How many leading rotations stay as they are: up to the last published one."""
    published = list(published)
    return max(published) if published else 0


def check_unlocked(number: int, published: Iterable[int]) -> None:
    if number in set(published):
        raise MakkerError("schoolyear.locked", number=number)


# --------------------------------------------------------------------------- swaps


@dataclass
class SwapResult:
    plan: Plan
    warnings: list[Message] = field(default_factory=list)  # broken rules the swap causes (not a block)


def _swap_in(rotation: Rotation, a: str, b: str) -> Rotation:
    swap = {a: b, b: a}
    groups = tuple(tuple(tuple(swap.get(s, s) for s in p) for p in g) for g in rotation.groups)
    return Rotation(rotation.number, groups, rotation.start, rotation.end)


def _rotation_counts(plan: Plan, number: int, rules: Rules) -> dict[str, int]:
    from . import metrics

    upto = next(i for i, r in enumerate(plan.rotations, start=1) if r.number == number)
    rm = metrics.compute(plan, rules, upto=upto).rotations[upto - 1]
    return {"never": rm.broken_never, "apart": rm.broken_apart, "repeat_pair": rm.repeated_pairs,
            "repeat_group": rm.repeated_groupmates, "lone": rm.lone_girl_groups + rm.lone_boy_groups,
            "same_school": rm.same_school_pairs}


def swap_students(plan: Plan, number: int, a: str, b: str, rules: Rules | None = None,
                  published: Iterable[int] = ()) -> SwapResult:
    """Swap students ``a`` and ``b`` in rotation ``number``; warn (never block) about what breaks.

    Never-together pairs are only counted in the warnings, never named.
    """
    check_unlocked(number, published)
    idx = next((i for i, r in enumerate(plan.rotations) if r.number == number), None)
    if idx is None:
        raise MakkerError("schoolyear.no_rotation", number=number)
    members = set(plan.rotations[idx].members())
    for sid in (a, b):
        if sid not in members:
            raise MakkerError("schoolyear.not_in_rotation", student=plan.name(sid), number=number)
    if a == b:
        raise MakkerError("schoolyear.same_student")
    rules = rules or Rules()
    rotations = list(plan.rotations)
    rotations[idx] = _swap_in(rotations[idx], a, b)
    new = plan.with_rotations(rotations)
    before, after = _rotation_counts(plan, number, rules), _rotation_counts(new, number, rules)
    if _moved_next_to_never(rotations[idx], (a, b), rules):  # counted, a swap that also splits another pair hides it
        after["never"] = max(after["never"], before["never"] + 1)
    warnings = [Message.of(f"schoolyear.swap_{kind}", count=after[kind] - before[kind], number=number)
                for kind in before if after[kind] > before[kind]]
    return SwapResult(new, warnings)


def _moved_next_to_never(rotation: Rotation, moved: Sequence[str], rules: Rules) -> bool:
    """True when a student just moved now shares a group with a never-together partner."""
    group = rotation.group_of()
    return any(set(p) & set(moved) and all(s in group for s in p) and group[p[0]] == group[p[1]]
               for p in (tuple(q) for q in rules.never))


# --------------------------------------------------------------------------- re-planning


def _present(students: Sequence[Student], rules: Rules) -> Rules:
    return rules.restricted_to(s.id for s in students)


def _all_students(plan: Plan, current: Sequence[Student], kept: Sequence[Rotation]) -> list[Student]:
    """The current class, plus students who left but still appear in a kept rotation (for names)."""
    have = {s.id for s in current}
    in_kept = {sid for r in kept for sid in r.members()}
    left = [s for s in plan.students if s.id in in_kept and s.id not in have]
    return list(current) + left


def replan(plan: Plan, students: Sequence[Student], rules: Rules, weights: Weights, published: Iterable[int], *,
           rotations: int | None = None, dates=None, time_limit: float = 60.0, seed: int = 0,
           progress: Callable | None = None, cancel=None, solver: str = "cbc", improve: bool = True):
    """Re-plan every rotation after the last published one for the class as it is now.

    Returns the planner's YearResult whose plan keeps rotations 1..K exactly
    (same JSON, byte for byte) and names students who have left since.
    """
    from .planner import plan_year

    keep = locked_prefix(published)
    total = rotations or len(plan.rotations)
    if keep > total:
        raise MakkerError("schoolyear.too_few_rotations", keep=keep)
    if dates is None and any(r.start for r in plan.rotations):
        dates = [(r.start, r.end) for r in plan.rotations[:total]]
        dates = dates if len(dates) == total else None
    result = plan_year(list(students), _present(students, rules), weights, total, klass=plan.klass, dates=dates,
                       history=plan, keep=keep, time_limit=time_limit, seed=seed, progress=progress,
                       cancel=cancel, solver=solver, improve=improve)
    kept = list(plan.rotations[:keep])
    rebuilt = kept + [r for r in result.plan.rotations if r.number > keep]
    result.plan = Plan(plan.klass, _all_students(plan, students, kept), rebuilt, list(result.plan.notes))
    return result


def replan_class(ws, klass: str, *, expected_revision: int | None = None, rotations: int | None = None,
                 time_limit: float = 60.0, seed: int = 0, progress=None, cancel=None, improve: bool = True):
    """Load a class from the workspace, re-plan the unpublished rotations and save the result.

    Returns ``(YearResult, new_revision)``. A save from a stale window fails
    with the store's conflict message instead of overwriting.
    """
    plan, revision = ws.load_plan(klass)
    if plan is None:
        raise MakkerError("schoolyear.no_plan", klass=klass)
    if expected_revision is not None and expected_revision != revision:
        raise MakkerError("store.conflict", klass=klass)
    roster = ws.roster(klass)
    result = replan(plan, roster.students, ws.rules(klass), ws.weights(klass), ws.published_numbers(klass),
                    rotations=rotations, time_limit=time_limit, seed=seed, progress=progress, cancel=cancel,
                    improve=improve)
    return result, ws.save_plan(klass, result.plan, revision)


def add_never_rule(ws, klass: str, a: str, b: str, expected_revision: int | None = None) -> None:
    """Store a never-together rule (ids only); re-plan with ``replan_class`` afterwards."""
    ws.add_rule("never", (klass, a), (klass, b), expected_revision)
