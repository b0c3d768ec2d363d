"""Random draws: the yardstick the planner is measured against.

A random draw uses exactly the group shapes the planner uses, so differences
in the benchmark come from the planning, not from the shapes. ``reject_hard``
mimics a teacher drawing names from a hat and redrawing whenever a
never-together pair lands in the same group.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from .plan import Group, Plan, Rotation
from .rules import Rules
from .shapes import DEFAULT_SHAPE, group_shapes
from .students import Student

MAX_TRIES = 200  # redraws per rotation before keeping the least bad draw


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
    reject_hard: bool = False, shape: str = DEFAULT_SHAPE,
) -> Rotation:
    """One random rotation; with ``reject_hard`` redraw until no never-together pair shares a group."""
    shapes = group_shapes(len(ids), shape)
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
    reject_hard: bool = False, klass: str = "", shape: str = DEFAULT_SHAPE,
) -> Plan:
    """``rotations`` independent random draws of the class (same seed -> same plan)."""
    rng = random.Random(f"makker-random-{seed}")
    ids = [s.id for s in students]
    never = rules.never if rules else set()
    rots = [random_rotation(ids, r, rng, never, reject_hard, shape) for r in range(1, rotations + 1)]
    klass = klass or (students[0].klass if students else "")
    return Plan(klass, list(students), rots)
