"""The school overview: one row of plain figures per saved class of the school year.

Read from the workspace (the saved school year is the single source of truth):
size, girls/boys, how many rules (a count only, never who), status (not planned,
planned, published up to rotation k), repeat-free rotations against the bound
and the mean number of distinct classmates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .i18n import MakkerError

NOT_PLANNED, PLANNED, PUBLISHED = "not_planned", "planned", "published"


@dataclass(frozen=True)
class ClassRow:
    klass: str
    students: int
    girls: int
    boys: int
    rules: int  # never-together, preferably-apart and keep-together rules (count only)
    status: str  # NOT_PLANNED | PLANNED | PUBLISHED
    rotations: int  # rotations planned
    published_upto: int  # highest published rotation (0: none)
    repeat_free: int  # rotations before the first repeated group-mate
    repeat_free_bound: int  # what no plan can beat for this class size and shape
    mean_classmates: float


def sort_key(klass: str) -> tuple:
    """Level first (the leading digits: 1STA, 2STA, 10A), then the class name."""
    m = re.match(r"\s*(\d+)", klass)
    return (int(m.group(1)) if m else 10**6, klass.casefold())


def class_row(ws, klass: str) -> ClassRow:
    from .metrics import bounds, compute, plan_shape

    roster = ws.roster(klass)
    rules = ws.rules(klass)
    plan = ws.plan(klass)
    published = ws.published_numbers(klass)
    students = list(roster.students)
    girls = sum(1 for s in students if s.gender == "K")
    boys = sum(1 for s in students if s.gender == "M")
    n_rules = len(rules.never) + len(rules.apart) + sum(len(p) for p in rules.keep.values())
    if plan is None or not plan.rotations:
        return ClassRow(klass, len(students), girls, boys, n_rules, NOT_PLANNED, 0, 0, 0, 0, 0.0)
    figures = compute(plan, rules)
    bound = bounds(figures.n, len(plan.rotations), plan_shape(plan, figures.n))
    status = PUBLISHED if published else PLANNED
    return ClassRow(klass, len(students), girls, boys, n_rules, status, len(plan.rotations),
                    max(published) if published else 0, figures.repeat_free_rotations, bound.repeat_free,
                    round(figures.mean_classmates, 1))


def school_rows(ws) -> list[ClassRow]:
    """Every class of the workspace, sorted by level and name."""
    return [class_row(ws, k) for k in sorted(ws.class_names(), key=sort_key)]


def safe_school_rows(ws) -> tuple[list[ClassRow], MakkerError | None]:
    try:
        return school_rows(ws), None
    except MakkerError as err:
        return [], err
