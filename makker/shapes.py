"""Group shapes: how a class of ``n`` is cut into groups, and what each shape allows.

A shape names the rule for the students left over when the class does not
split into groups of two pairs:

- ``standard``: groups of two pairs; an odd class adds its trio to a group of
  two pairs (a group of 5), an odd number of pairs makes one group of three
  pairs (a group of 6). 15 students: 4-5-6.
- ``trio-alone``: no group larger than four; the students left over form
  groups of three (a trio on its own). 15 students: 4-4-4-3, 14: 4-4-3-3,
  13: 4-3-3-3. Where the class cannot be cut that way (5 students) it falls
  back to ``standard``.

:func:`group_shapes` is the one definition every part of makker uses (the
planner's columns, the random draws, the bounds).

Bounds (design notes, section 2). ``R`` rotations of the same group sizes
``s_1..s_g`` without a repeated group-mate need

- pigeonhole: a second rotation sends the members of each group to different
  groups, i.e. a 0/1 matrix with the group sizes as row and column sums
  (Gale–Ryser); 12 = 4-4-4, 14 = 4-4-6, 15 = 4-5-6 and 23 have none, so 1;
- counting: each rotation uses ``Σ s(s−1)`` of the ``n(n−1)`` ordered meetings;
- per student: a student in a group of ``s`` meets ``s − 1`` new classmates, at
  most ``n − 1`` in all; the turns in bigger groups must be shared out between
  the students (whole turns, so tighter than counting when the sizes differ);
- known values found by exhaustive search where the above is not tight
  (:data:`KNOWN`).
"""

from __future__ import annotations

from functools import lru_cache
from math import comb

SHAPES = ("standard", "trio-alone")
MAX_STATES = 200  # the per-student check gives up (keeps the counting bound) beyond this
DEFAULT_SHAPE = "standard"

# (n, shape) -> most repeat-free rotations, found by exhaustive search (every
# rotation after a fixed first one, smallest free student first) where the
# bounds above are not tight: 13 as 4-3-3-3 and 14 as 4-4-3-3 allow 4, not 5.
# (15 as 4-4-4-3 reaches its bound 5: every pair meets exactly once.)
KNOWN: dict[tuple[int, str], int] = {(13, "trio-alone"): 4, (14, "trio-alone"): 4}


def check_shape(shape: str) -> str:
    if shape not in SHAPES:
        raise ValueError(f"unknown group shape {shape!r}; choices: {', '.join(SHAPES)}")
    return shape


def group_shapes(n: int, shape: str = DEFAULT_SHAPE) -> list[tuple[int, ...]]:
    """Pair sizes of every group for a class of ``n`` (see the module docstring).

    >>> group_shapes(9)
    [(2, 2), (2, 3)]
    >>> group_shapes(10)
    [(2, 2), (2, 2, 2)]
    >>> group_shapes(15, "trio-alone")
    [(2, 2), (2, 2), (2, 2), (3,)]
    """
    check_shape(shape)
    if n < 0:
        raise ValueError("negative class size")
    if n == 0:
        return []
    if n < 4:
        return [(n,)]
    if shape == "trio-alone":
        trios = (-n) % 4  # 4k+3 -> 1, 4k+2 -> 2, 4k+1 -> 3
        if n >= 3 * trios:
            return [(2, 2)] * ((n - 3 * trios) // 4) + [(3,)] * trios
    pairs = n // 2
    shapes: list[list[int]] = [[2, 2] for _ in range(pairs // 2)]
    if pairs % 2:
        shapes[-1].append(2)  # the one group of three pairs goes last
    if n % 2:
        two_pair = [s for s in shapes if len(s) == 2]
        (two_pair[-1] if two_pair else shapes[-1])[-1] = 3
    return [tuple(s) for s in shapes]


def group_sizes(n: int, shape: str = DEFAULT_SHAPE) -> list[int]:
    """Members of every group, largest first."""
    return sorted((sum(g) for g in group_shapes(n, shape)), reverse=True)


def shape_counts(n: int, shape: str = DEFAULT_SHAPE) -> dict[int, int]:
    """How many groups of each size (members) a rotation of ``n`` students has."""
    out: dict[int, int] = {}
    for size in group_sizes(n, shape) if n >= 4 else []:
        out[size] = out.get(size, 0) + 1
    return dict(sorted(out.items()))


def links_per_rotation(n: int, shape: str = DEFAULT_SHAPE) -> int:
    """Group links (unordered meetings) of one rotation."""
    return sum(comb(s, 2) for s in group_sizes(n, shape))


def _second_rotation_possible(sizes: list[int]) -> bool:
    """Gale–Ryser: a 0/1 matrix with row sums and column sums ``sizes``."""
    rows = sorted(sizes, reverse=True)
    if len(rows) < rows[0]:
        return False
    for k in range(1, len(rows) + 1):
        if sum(rows[:k]) > sum(min(r, k) for r in rows):
            return False
    return True


def _students_can_share(n: int, sizes: list[int], r: int) -> bool:
    """Can ``r`` rotations' turns in groups bigger than the smallest be shared
    out so that no student meets more than ``n − 1`` classmates? (Whole turns:
    a bin packing with few item sizes, solved by a small dynamic programme.)"""
    smallest = min(sizes)
    budget = n - 1 - r * (smallest - 1)
    if budget < 0:
        return False
    extras = sorted({s - smallest for s in sizes if s > smallest})
    if not extras:
        return True
    demand = tuple(r * sum(1 for s in sizes if s - smallest == e) for e in extras)
    patterns = _patterns(tuple(extras), budget, r)
    states = {demand}
    for _ in range(n):
        nxt = set()
        for state in states:
            for p in patterns:
                nxt.add(tuple(max(0, d - k) for d, k in zip(state, p)))
        if any(not any(s) for s in nxt):
            return True
        states = _pareto(nxt)
        if len(states) > MAX_STATES:  # too many to follow: say yes, so the bound stays a bound
            return True
    return False


def _patterns(extras: tuple[int, ...], budget: int, turns: int) -> list[tuple[int, ...]]:
    """Maximal ways one student can take extra turns within ``budget``."""
    out: list[tuple[int, ...]] = []

    def walk(i, left, count, acc):
        if i == len(extras):
            out.append(tuple(acc))
            return
        for k in range(min(turns - count, left // extras[i]), -1, -1):
            walk(i + 1, left - k * extras[i], count + k, acc + [k])

    walk(0, budget, 0, [])
    return _pareto_max(out)


def _pareto(states: set) -> set:
    """Drop remaining-demand states that another state dominates (less left everywhere)."""
    items = sorted(states)
    return {s for s in items if not any(o != s and all(a <= b for a, b in zip(o, s)) for o in items)}


def _pareto_max(patterns: list) -> list:
    return [p for p in patterns if not any(o != p and all(a >= b for a, b in zip(o, p)) for o in patterns)]


@lru_cache(maxsize=512)
def repeat_free_bound(n: int, shape: str = DEFAULT_SHAPE) -> int:
    """Most rotations without a repeated group-mate that the group sizes allow."""
    check_shape(shape)
    if n < 4:
        return 1
    key = (n, shape if group_shapes(n, shape) != group_shapes(n) else DEFAULT_SHAPE)
    if key in KNOWN:
        return KNOWN[key]
    return sizes_bound(group_sizes(n, shape))


def sizes_bound(sizes: list[int]) -> int:
    """Most repeat-free rotations with these group sizes in every rotation
    (pigeonhole, counting, per student; at least 1)."""
    sizes = sorted(sizes, reverse=True)
    if not sizes or sizes[-1] < 2:
        raise ValueError("every group needs at least two members")
    n = sum(sizes)
    if len(sizes) < 2 or not _second_rotation_possible(sizes):
        return 1
    ordered = sum(s * (s - 1) for s in sizes)
    r = n * (n - 1) // ordered  # counting
    while r > 1 and not _students_can_share(n, sizes, r):
        r -= 1
    return max(1, r)


def classmates_bound(n: int, rotations: int, shape: str = DEFAULT_SHAPE) -> int:
    """Most distinct classmates the student meeting fewest can have after
    ``rotations`` rotations: at most the class average, at most ``n − 1``."""
    if n < 2:
        return 0
    ordered = sum(s * (s - 1) for s in group_sizes(n, shape))
    return min(n - 1, rotations * ordered // n)


def shape_options(n: int, rotations: int = 10) -> list[dict]:
    """What each shape gives a class of ``n``: its group sizes and bounds, one
    entry per shape that differs from the ones before (for the coordinator's choice)."""
    out, seen = [], set()
    for shape in SHAPES:
        sizes = tuple(group_sizes(n, shape))
        if sizes in seen:
            continue
        seen.add(sizes)
        out.append({"shape": shape, "sizes": list(sizes), "repeat_free": min(rotations, repeat_free_bound(n, shape)),
                    "classmates": classmates_bound(n, rotations, shape)})
    return out
