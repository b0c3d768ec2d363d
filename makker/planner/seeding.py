"""Seeding the year optimiser from a known design (:mod:`makker.planner.construct`).

Where a schedule without any repeated group-mate is known for the class size,
the students are placed on its points (:func:`_place_students`), its clean
rotations come first and the rest of the year is planned given them
(:func:`seed_rotations`); the search then starts from the best such year
instead of the rotation-by-rotation plan.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..i18n import MakkerError
from ..plan import Rotation
from ..shapes import DEFAULT_SHAPE, SHAPES, group_shapes
from .construct import balanced_classes, perfect_classes
from .rotation import plan_rotation, preview_rotation
from .search_state import GEN_K, GEN_M, GEN_U, Figures, YearSearch, _lone
from .solve import SolveCancelled

SEED_SHARE = 0.5  # of the optimiser's budget, at most, for completing the seed candidates exactly
LONE_SLACK = 1.5  # a design is tried when its lone girl/boy groups per rotation are at most this many times the input's
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
    """The known designs that fit the class: a balanced one first when the gender rules need it.

    The balanced design is offered for any girl share: :func:`_place_students`
    puts as many girls as fit on its girls' points and the rest of the class
    where they add the fewest lone girls or boys.
    """
    n, out = search.n, []
    if search.has_gender and n % 4 == 0:
        classes = balanced_classes(n // 4)
        if classes is not None:
            out.append(Design(classes, n // 2))
    classes = perfect_classes(n)
    if classes is not None:
        out.append(Design(classes))
    return out


def design_fits(n: int, has_gender: bool, shape: str = DEFAULT_SHAPE) -> bool:
    """Whether :func:`designs_for` can offer a design to a class of ``n`` in ``shape`` (groups of two pairs only)."""
    if n % 4 or any(g != (2, 2) for g in group_shapes(n, shape)):
        return False
    return perfect_classes(n) is not None or (has_gender and balanced_classes(n // 4) is not None)


def seed_rotations(search: YearSearch, rotations: Sequence[Rotation], locked: int, baseline: Figures | None = None,
                   *, time_limit: float | None = None, seed: int = 0,
                   cancel: threading.Event | None = None) -> list[Rotation] | None:
    """The best year that starts with a known design, if one fits and has not far more lone girls or boys.

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
    A design is tried when its lone girl/boy groups per rotation are at most
    ``LONE_SLACK`` times the input's: the year search then removes the extra
    ones (and searches from the input too, when the start fails the gate).
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
        if not clean or search.lone_groups(clean) * len(rotations) > LONE_SLACK * base.lone_groups * len(clean):
            continue  # far more lone girls/boys per rotation than rotation by rotation: the search cannot repair it
        for keep in sorted({len(clean), len(clean) - 1}, reverse=True):
            if keep >= 2:
                starts.append(clean[:keep])
    if not starts:
        return None
    budget = SEED_SHARE * time_limit if time_limit else 0.0
    began = time.monotonic()
    best = None
    for i, start in enumerate(starts):
        per = _per_rotation(budget - (time.monotonic() - began), [len(rotations) - len(s) for s in starts[i:]])
        if time_limit and best is not None and per < SEED_SOLVE[0]:
            break  # a start is known, and the rest of the seed's budget would only buy quick-planned ones
        rots = _complete(search, rotations, start, per, seed, cancel)
        if rots is None:  # cancelled
            break
        fig = YearSearch(search.students, search.rules, search.model.weights, rots).figures()
        rank = (not fig.not_worse_than(base), fig.key())
        if fig.broken_never <= base.broken_never and (
                best is None or rank < best[0]):
            best = (rank, rots)
    return best[1] if best else None


def _per_rotation(left: float, todo: list[int]) -> float:
    """Seconds per exactly completed rotation for the next candidate (``todo``: rotations to plan, it first).

    A fair share of what is left for all candidates; when that is below an
    exact solve's minimum, the next candidate still gets the minimum while
    the budget holds it (the quick planner's completions add lone girls and
    boys: a class of 24 with the 6-4-6 table passes the gate only when
    completed exactly), and the later candidates get what is left.
    """
    if left <= 0:
        return 0.0
    fair = min(SEED_SOLVE[1], left / max(1, sum(todo)))
    if fair >= SEED_SOLVE[0]:
        return fair
    return max(fair, min(SEED_SOLVE[0], left / max(1, todo[0])))


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


def shape_of(n: int, rotations: Sequence[Rotation]) -> str | None:
    """The group shape (:mod:`makker.shapes`) every rotation has, or None (another cut, or students who differ)."""
    def cut(groups) -> list:
        return sorted(tuple(sorted(len(p) for p in g)) for g in groups)

    for shape in SHAPES:
        want = sorted(tuple(sorted(g)) for g in group_shapes(n, shape))
        if all(cut(r.groups) == want for r in rotations):
            return shape
    return None


def _complete(search: YearSearch, rotations: Sequence[Rotation], start: list[tuple], per: float, seed: int,
              cancel, shape: str = DEFAULT_SHAPE) -> list[Rotation] | None:
    """The start's rotations first, then the rest planned one by one given them (None: cancelled).

    The quick planner stands in for an exact solve only in the standard shape
    (the only one it knows); in another shape such a rotation is not planned (None).
    """
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
                                         seed=seed, cancel=cancel, shape=shape).rotation
            except SolveCancelled:
                return None
            except MakkerError:
                rotation = None
        if rotation is None and shape != DEFAULT_SHAPE:
            return None
        if rotation is None:
            rotation = preview_rotation(students, rules, weights, history=out, number=old.number, seed=seed,
                                        exact_seconds=SEED_SOLVE[0])
        out.append(Rotation(old.number, rotation.groups, old.start, old.end))
    return out


NEVER_INT = 10 ** 12
LONE_FIRST = 10 ** 6  # placing students on a design: a lone girl/boy weighs more than the rest


def _place_students(search: YearSearch, classes, girls: int | None = None) -> list[int]:
    """Point -> student index, by first-improvement swaps on the design's soft cost.

    With ``girls`` (a balanced design: points ``0..girls-1`` for girls, the
    rest for boys) the start is :func:`_gender_start`, students swap only
    within their side, and a swap that adds a lone girl or boy is never taken.
    """
    cm = search.model
    n = search.n
    blocks = [b for cls in classes for b in cls]
    of_point = [[i for i, b in enumerate(blocks) if p in b] for p in range(n)]
    label = list(range(n)) if girls is None else _gender_start(search, blocks, of_point, girls)
    cache: dict[tuple[int, ...], int] = {}
    lone_cache: dict[tuple[int, ...], int] = {}

    def block_lone(i: int) -> int:
        key = tuple(sorted(label[p] for p in blocks[i]))
        if key not in lone_cache:
            lone_cache[key] = int(_lone(np.bincount(search.gen[list(key)], minlength=3)))
        return lone_cache[key]

    def block_cost(i: int) -> int:
        key = tuple(sorted(label[p] for p in blocks[i]))
        if key not in cache:
            col = cm.column(list(key))
            lone = block_lone(i) if cm.lone_cost else 0
            cache[key] = NEVER_INT if col is None else col[0] + LONE_FIRST * lone
        return cache[key]

    per = len(classes[0])
    never_in = [sum(block_cost(i) >= NEVER_INT for i in range(k * per, (k + 1) * per)) for k in range(len(classes))]

    def score(touched: list[int]) -> tuple[tuple[int, ...], list[int]]:
        """(what to minimise, the never-together blocks per class) with the labels as they are now."""
        cost = [block_cost(i) for i in touched]
        count = list(never_in)
        for i, c in zip(touched, cost):
            count[i // per] += (c >= NEVER_INT) - (i in never_now)
        classes_hit = sum(c > 0 for c in count)
        if girls is None:
            return (classes_hit, sum(cost)), count
        return (sum(block_lone(i) for i in touched), classes_hit, sum(cost)), count

    never_now = {i for i in range(len(blocks)) if block_cost(i) >= NEVER_INT}
    for _ in range(20):  # passes
        improved = False
        for p in range(n):
            for q in range(p + 1, n):
                if girls is not None and (p < girls) != (q < girls):
                    continue
                touched = sorted(set(of_point[p]) | set(of_point[q]))
                before, _count = score(touched)
                label[p], label[q] = label[q], label[p]
                after, count = score(touched)
                if after < before:
                    improved = True
                    never_in = count
                    never_now.difference_update(touched)
                    never_now.update(i for i in touched if block_cost(i) >= NEVER_INT)
                else:
                    label[p], label[q] = label[q], label[p]
        if not improved:
            break
    return label


def _gender_start(search: YearSearch, blocks: list, of_point: list[list[int]], girls: int) -> list[int]:
    """Point -> student index on a balanced design: girls on points ``0..girls-1``, boys on the rest.

    As many girls and boys as fit go on their own points (in class order); the
    rest (girls or boys beyond half the class, students of unknown gender)
    each take the free point where they add the fewest lone girls or boys to
    the design's groups, counting only students already placed (unknown
    genders count as neither, as in :mod:`makker.metrics`).
    """
    n = search.n
    label = [-1] * n
    of = {g: [i for i in range(n) if search.gen[i] == g] for g in (GEN_K, GEN_M, GEN_U)}
    for points, ids in ((range(girls), of[GEN_K]), (range(girls, n), of[GEN_M])):
        for p, i in zip(points, ids):
            label[p] = i
    placed = set(label)
    rest = [i for g in (GEN_K, GEN_M, GEN_U) for i in of[g] if i not in placed]

    def lone_at(p: int) -> int:
        total = 0
        for b in of_point[p]:
            members = [label[q] for q in blocks[b] if label[q] >= 0]
            total += int(_lone(np.bincount(search.gen[members], minlength=3)))
        return total

    for i in rest:
        best = None
        for p in (q for q in range(n) if label[q] < 0):
            before = lone_at(p)
            label[p] = i
            added = lone_at(p) - before
            label[p] = -1
            if best is None or added < best[0]:
                best = (added, p)
        assert best is not None  # a free point is left for every student still to place
        label[best[1]] = i
    return label
