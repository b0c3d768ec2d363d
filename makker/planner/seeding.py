"""Seeding the year optimiser from a known design (:mod:`makker.planner.construct`).

Where a schedule without any repeated group-mate is known for the class size,
the students are placed on its points (:func:`_place_students`), its clean
rotations come first and the rest of the year is planned given them
(:func:`seed_rotations`); the search then starts from the best such year
instead of the rotation-by-rotation plan.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..i18n import MakkerError
from ..plan import Rotation
from .construct import balanced_classes, perfect_classes
from .rotation import plan_rotation, preview_rotation
from .search_state import GEN_K, GEN_M, Figures, YearSearch, _lone
from .solve import SolveCancelled

SEED_SHARE = 0.5  # of the optimiser's budget, at most, for completing the seed candidates exactly
SEED_SOLVE = (2.0, 10.0)  # seconds per exactly completed rotation: below the first, the quick planner


@dataclass(frozen=True)
class Design:
    """Rotations without any repeated group-mate on points ``0..n-1`` (see :mod:`.construct`).

    ``girls``: points ``0..girls-1`` are for girls and the rest for boys (a
    balanced design); None when any student may take any point.
    """

    classes: list
    girls: int | None = None


def designs_for(search: YearSearch) -> list[Design]:
    """The known designs that fit the class: a balanced one first when the gender rules need it."""
    n, out = search.n, []
    girls, boys = int((search.gen == GEN_K).sum()), int((search.gen == GEN_M).sum())
    if search.has_gender and n % 4 == 0 and girls == boys == n // 2:
        classes = balanced_classes(n // 4)
        if classes is not None:
            out.append(Design(classes, girls))
    classes = perfect_classes(n)
    if classes is not None:
        out.append(Design(classes))
    return out


def seed_rotations(search: YearSearch, rotations: Sequence[Rotation], locked: int, baseline: Figures | None = None,
                   *, time_limit: float | None = None, seed: int = 0,
                   cancel: threading.Event | None = None) -> list[Rotation] | None:
    """The best year that starts with a known design, if one fits and does not add lone girls or boys.

    Only when nothing is locked, no keep-together rule applies (a design knows
    nothing of them) and the class has the design's group shapes (groups of
    two pairs). Students are placed on the design's points so that
    the never-together pairs fall into as few of its rotations as possible;
    those rotations are left out and the remaining design rotations come
    first. The rotations after them are planned given the design as history:
    exactly (``plan_rotation``) when ``time_limit`` leaves a few seconds per
    rotation, else by the quick planner (deterministic, for an iteration
    budget). Each design is tried with all its clean rotations and with one
    fewer (the exact planner often continues a shorter design further, with
    better soft rules). A candidate that is not worse than ``baseline`` on any
    figure wins over one that is; among equals the benchmark order decides.
    """
    if locked or search.static or len(rotations) < 2 or any(search.rules.keep.values()):
        return None
    if any(len(g) != 2 or any(len(p) != 2 for p in g) for r in rotations for g in r.groups):
        return None
    base = baseline or search.figures()
    starts = []
    for design in designs_for(search):
        label = _place_students(search, design.classes, design.girls)
        clean = _clean_rotations(search, design.classes, label, len(rotations))
        if search.lone_groups(clean) > base.lone_groups:
            continue  # the gender rules forbid this design
        for keep in sorted({len(clean), len(clean) - 1}, reverse=True):
            if keep >= 2:
                starts.append(clean[:keep])
    if not starts:
        return None
    todo = sum(len(rotations) - len(s) for s in starts)
    per = (min(SEED_SOLVE[1], SEED_SHARE * time_limit / max(1, todo)) if time_limit else 0.0)
    best = None
    for start in starts:
        rots = _complete(search, rotations, start, per, seed, cancel)
        if rots is None:  # cancelled
            break
        fig = YearSearch(search.students, search.rules, search.model.weights, rots).figures()
        rank = (not fig.not_worse_than(base), fig.key())
        if fig.lone_groups <= base.lone_groups and fig.broken_never <= base.broken_never and (
                best is None or rank < best[0]):
            best = (rank, rots)
    return best[1] if best else None


def _clean_rotations(search: YearSearch, classes, label: list[int], count: int) -> list[tuple]:
    """The design's rotations without a never-together pair, as groups of student ids (pairs chosen)."""
    cm, ids = search.model, search.model.ids
    out = []
    for cls in classes:
        groups = []
        for block in cls:
            col = cm.column(sorted(label[p] for p in block))
            if col is None:
                break
            groups.append(tuple(tuple(ids[a] for a in pair) for pair in col[1]))
        else:
            out.append(tuple(groups))
    return out[:count]


def _complete(search: YearSearch, rotations: Sequence[Rotation], start: list[tuple], per: float, seed: int,
              cancel) -> list[Rotation] | None:
    """The design's rotations first, then the rest planned one by one given them (None: cancelled)."""
    out = [Rotation(rotations[i].number, groups, rotations[i].start, rotations[i].end)
           for i, groups in enumerate(start)]
    students, rules, weights = search.students, search.rules, search.model.weights
    for old in rotations[len(start):]:
        if cancel is not None and cancel.is_set():
            return None
        rotation = None
        if per >= SEED_SOLVE[0]:
            try:
                rotation = plan_rotation(students, rules, weights, history=out, number=old.number, time_limit=per,
                                         seed=seed, cancel=cancel).rotation
            except SolveCancelled:
                return None
            except MakkerError:
                rotation = None
        if rotation is None:
            rotation = preview_rotation(students, rules, weights, history=out, number=old.number, seed=seed,
                                        exact_seconds=SEED_SOLVE[0])
        out.append(Rotation(old.number, rotation.groups, old.start, old.end))
    return out


NEVER_INT = 10 ** 12
LONE_FIRST = 10 ** 6  # placing students on a design: a lone girl/boy weighs more than the rest


def _place_students(search: YearSearch, classes, girls: int | None = None) -> list[int]:
    """Point -> student index, by first-improvement swaps on the design's soft cost.

    With ``girls`` (a balanced design) girls go on points ``0..girls-1`` and
    only students of the same gender swap places.
    """
    cm = search.model
    n = search.n
    if girls is None:
        label = list(range(n))
    else:
        label = [i for i in range(n) if search.gen[i] == GEN_K] + [i for i in range(n) if search.gen[i] != GEN_K]
    blocks = [b for cls in classes for b in cls]
    of_point = [[i for i, b in enumerate(blocks) if p in b] for p in range(n)]
    cache: dict[tuple[int, ...], int] = {}

    def block_cost(i: int) -> int:
        key = tuple(sorted(label[p] for p in blocks[i]))
        if key not in cache:
            col = cm.column(list(key))
            lone = _lone(np.bincount(search.gen[list(key)], minlength=3)) if cm.lone_cost else 0
            cache[key] = NEVER_INT if col is None else col[0] + LONE_FIRST * int(lone)
        return cache[key]

    never_classes = lambda: sum(  # noqa: E731
        any(block_cost(i) >= NEVER_INT for i in range(k * len(classes[0]), (k + 1) * len(classes[0])))
        for k in range(len(classes)))
    for _ in range(20):  # passes
        improved = False
        for p in range(n):
            for q in range(p + 1, n):
                if girls is not None and (p < girls) != (q < girls):
                    continue
                touched = sorted(set(of_point[p]) | set(of_point[q]))
                before = (never_classes(), sum(block_cost(i) for i in touched))
                label[p], label[q] = label[q], label[p]
                after = (never_classes(), sum(block_cost(i) for i in touched))
                if after < before:
                    improved = True
                else:
                    label[p], label[q] = label[q], label[p]
        if not improved:
            break
    return label
