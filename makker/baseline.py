"""Random draws: the yardstick the planner is measured against.

A random draw uses exactly the group shapes the planner uses, so differences
in the benchmark come from the planning, not from the shapes. ``reject_hard``
mimics a teacher drawing names from a hat and redrawing whenever a
never-together pair lands in the same group.
"""

from __future__ import annotations

import random
from typing import Sequence

from .plan import Group, Plan, Rotation
from .rules import Rules
from .students import Student

MAX_TRIES = 200  # redraws per rotation before keeping the least bad draw


def group_shapes(n: int) -> list[tuple[int, ...]]:
    """Pair sizes of every group for a class of ``n``.

    Pairs of 2 with one trio when ``n`` is odd; groups of two pairs with one
    group of three pairs when the pair count is odd. The trio sits in a group
    of two pairs when there is one (a group of 5 rather than 7). Classes below
    4 get one group holding everyone.

    >>> group_shapes(9)
    [(2, 2), (2, 3)]
    >>> group_shapes(10)
    [(2, 2), (2, 2, 2)]
    """
    if n < 0:
        raise ValueError("negative class size")
    if n == 0:
        return []
    if n < 4:
        return [(n,)]
    pairs = n // 2
    shapes: list[list[int]] = [[2, 2] for _ in range(pairs // 2)]
    if pairs % 2:
        shapes[-1].append(2)  # the one group of three pairs goes last
    if n % 2:
        two_pair = [s for s in shapes if len(s) == 2]
        (two_pair[-1] if two_pair else shapes[-1])[-1] = 3
    return [tuple(s) for s in shapes]


def fill_shapes(ids: Sequence[str], shapes: list[tuple[int, ...]]) -> tuple[Group, ...]:
    """Cut ``ids`` in order into groups of the given shapes."""
    it = iter(ids)
    groups = tuple(tuple(tuple(next(it) for _ in range(size)) for size in shape) for shape in shapes)
    if next(it, None) is not None:
        raise ValueError("more students than the shapes hold")
    return groups


def _broken_hard(groups: tuple[Group, ...], never: set[frozenset[str]]) -> int:
    if not never:
        return 0
    count = 0
    for g in groups:
        members = {s for p in g for s in p}
        count += sum(1 for rule in never if rule <= members)
    return count


def random_rotation(
    ids: Sequence[str], number: int, rng: random.Random, never: set[frozenset[str]] | None = None,
    reject_hard: bool = False,
) -> Rotation:
    """One random rotation; with ``reject_hard`` redraw until no never-together pair shares a group."""
    shapes = group_shapes(len(ids))
    best: tuple[int, tuple[Group, ...]] | None = None
    for _ in range(MAX_TRIES if reject_hard else 1):
        order = list(ids)
        rng.shuffle(order)
        groups = fill_shapes(order, shapes)
        broken = _broken_hard(groups, never or set()) if reject_hard else 0
        if best is None or broken < best[0]:
            best = (broken, groups)
        if broken == 0:
            break
    assert best is not None
    return Rotation(number, best[1])


def random_plan(
    students: Sequence[Student], rotations: int, seed: int = 0, rules: Rules | None = None,
    reject_hard: bool = False, klass: str = "",
) -> Plan:
    """``rotations`` independent random draws of the class (same seed -> same plan)."""
    rng = random.Random(f"makker-random-{seed}")
    ids = [s.id for s in students]
    never = rules.never if rules else set()
    rots = [random_rotation(ids, r, rng, never, reject_hard) for r in range(1, rotations + 1)]
    klass = klass or (students[0].klass if students else "")
    return Plan(klass, list(students), rots)
