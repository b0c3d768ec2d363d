"""Group shapes and what they allow: the bounds against exhaustive search and known designs."""

from __future__ import annotations

from collections import Counter
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from makker.metrics import bounds
from makker.shapes import (
    SHAPES,
    _students_can_share,
    classmates_bound,
    group_shapes,
    group_sizes,
    repeat_free_bound,
    shape_counts,
    shape_options,
    sizes_bound,
)


def most_repeat_free(sizes: list[int], cap: int) -> int:
    """Exhaustive search: most rotations of these group sizes without a repeated group-mate (up to ``cap``)."""
    sizes = sorted(sizes, reverse=True)
    n = sum(sizes)
    met = [[False] * n for _ in range(n)]

    def mark(groups, value):
        for g in groups:
            for a, b in combinations(g, 2):
                met[a][b] = met[b][a] = value

    first, start = [], 0
    for s in sizes:
        first.append(tuple(range(start, start + s)))
        start += s
    mark(first, True)
    best = [1]

    def extend(done: int) -> bool:
        best[0] = max(best[0], done)
        if best[0] >= cap:
            return True
        free, groups, left = set(range(n)), [], list(sizes)

        def build() -> bool:
            if not free:
                mark(groups, True)
                found = extend(done + 1)
                mark(groups, False)
                return found
            a = min(free)
            for size in sorted(set(left), reverse=True):
                left.remove(size)
                options = [b for b in free if b > a and not met[a][b]]
                for rest in combinations(options, size - 1):
                    if any(met[x][y] for x, y in combinations(rest, 2)):
                        continue
                    group = (a,) + rest
                    free.difference_update(group)
                    groups.append(group)
                    if build():
                        return True
                    groups.pop()
                    free.update(group)
                left.append(size)
            return False

        return build()

    extend(1)
    return best[0]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("n", range(4, 41))
def test_every_shape_holds_every_student_once(n, shape):
    groups = group_shapes(n, shape)
    assert sum(sum(g) for g in groups) == n
    assert all(2 <= p <= 3 for g in groups for p in g) and sum(1 for g in groups for p in g if p == 3) <= (n % 2) + 3
    assert shape_counts(n, shape) == dict(sorted(Counter(group_sizes(n, shape)).items()))
    if shape == "trio-alone" and n != 5:
        assert max(group_sizes(n, shape)) <= 4
    bound = repeat_free_bound(n, shape)
    sizes = group_sizes(n, shape)
    assert 1 <= bound <= max(1, n * (n - 1) // sum(s * (s - 1) for s in sizes))  # counting
    b = bounds(n, 10, shape)
    assert b.repeat_free == min(10, bound) and b.shape == shape
    assert b.classmates <= min(n - 1, b.mean_classmates + 1e-9)
    assert b.coverage == sorted(b.coverage) and b.coverage[-1] <= 1.0


def test_standard_shape_keeps_the_planners_groups():
    assert group_shapes(9) == [(2, 2), (2, 3)] and group_shapes(10) == [(2, 2), (2, 2, 2)]
    assert group_sizes(15) == [6, 5, 4] and group_sizes(31) == [6, 5] + [4] * 5
    assert group_sizes(15, "trio-alone") == [4, 4, 4, 3] and group_sizes(14, "trio-alone") == [4, 4, 3, 3]
    assert group_sizes(5, "trio-alone") == [5]  # cannot be cut into groups of 3 and 4


def test_known_values_of_the_bounds():
    # counting: 30 = 6x4+6 -> 8, 26 = 5x4+6 -> 7, 31 = 5+5x4+6 -> 8, 29 -> 8, 27 -> 7
    assert {n: repeat_free_bound(n) for n in (26, 27, 29, 30, 31)} == {26: 7, 27: 7, 29: 8, 30: 8, 31: 8}
    # resolvable designs: 16 -> 5, 28 -> 9; 32 -> 10 (known to exist); (n-1)/3 elsewhere with groups of 4
    assert [repeat_free_bound(n) for n in (16, 20, 24, 28, 32)] == [5, 6, 7, 9, 10]
    # pigeonhole: a second rotation needs as many groups as the largest group has members
    assert [repeat_free_bound(n) for n in (8, 12, 14, 15, 17, 18, 19, 22, 23)] == [1] * 9
    assert repeat_free_bound(31, "trio-alone") == 10
    assert repeat_free_bound(15, "trio-alone") == 5


@pytest.mark.parametrize("sizes", [[4, 4], [3, 3], [4, 3], [3, 3, 3], [4, 3, 3], [4, 4, 3], [4, 4, 4], [4, 6],
                                   [5, 4], [5, 6], [4, 4, 4, 3], [4, 4, 4, 4], [2, 2], [2, 2, 2], [3, 3, 2]])
def test_bound_equals_exhaustive_search_on_small_classes(sizes):
    bound, n = sizes_bound(sizes), sum(sizes)
    every_pair_once = bound * sum(s * (s - 1) for s in sizes) == n * (n - 1)  # then counting proves "no more"
    assert most_repeat_free(sizes, bound + (0 if every_pair_once else 1)) == bound


def test_known_exhaustive_values_below_the_counting_bound():
    """13 as 4-3-3-3 and 14 as 4-4-3-3 allow 4 (exhaustive search, a minute each; kept as known values)."""
    assert repeat_free_bound(13, "trio-alone") == 4 and repeat_free_bound(14, "trio-alone") == 4
    assert sizes_bound([4, 3, 3, 3]) == 5 and sizes_bound([4, 4, 3, 3]) == 5  # what counting alone says


def _share_by_enumeration(n: int, sizes: list[int], r: int) -> bool:
    """Brute force of the per-student argument: split every rotation's turns between students."""
    smallest = min(sizes)
    extras = [s - smallest for s in sizes if s > smallest]
    budget = n - 1 - r * (smallest - 1)
    if budget < 0:
        return False
    items = sorted((e for e in extras for _ in range(r)), reverse=True)
    loads, counts = [0] * n, [0] * n

    def place(i: int) -> bool:
        if i == len(items):
            return True
        tried = set()
        for b in range(n):
            key = (loads[b], counts[b])
            if key in tried or loads[b] + items[i] > budget or counts[b] >= r:
                continue
            tried.add(key)
            loads[b] += items[i]
            counts[b] += 1
            if place(i + 1):
                return True
            loads[b] -= items[i]
            counts[b] -= 1
        return False

    return place(0)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(2, 5), min_size=2, max_size=4), st.integers(1, 4))
def test_per_student_sharing_matches_brute_force(sizes, r):
    n = sum(sizes)
    assert _students_can_share(n, sizes, r) == _share_by_enumeration(n, sizes, r)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(2, 6), min_size=1, max_size=8))
def test_bound_is_never_above_counting_or_per_student(sizes):
    n, bound = sum(sizes), sizes_bound(sizes)
    assert 1 <= bound
    if len(sizes) >= 2 and bound > 1:
        assert bound * sum(s * (s - 1) for s in sizes) <= n * (n - 1)
        assert bound * (min(sizes) - 1) <= n - 1
        assert len(sizes) >= max(sizes)  # pigeonhole
    if len(set(sizes)) == 1 and len(sizes) >= sizes[0] >= 2:  # one size: counting is the whole story
        assert bound == max(1, n * (n - 1) // (n * (sizes[0] - 1)))


@settings(max_examples=40, deadline=None)
@given(st.integers(12, 34), st.integers(1, 12), st.sampled_from(SHAPES))
def test_classmates_bound_follows_the_group_sizes(n, rotations, shape):
    sizes = group_sizes(n, shape)
    value = classmates_bound(n, rotations, shape)
    assert value <= n - 1 and value * n <= rotations * sum(s * (s - 1) for s in sizes)
    assert classmates_bound(n, rotations + 1, shape) >= value


def test_shape_options_say_what_each_shape_gives():
    options = shape_options(15)
    assert [o["shape"] for o in options] == ["standard", "trio-alone"]
    assert [o["repeat_free"] for o in options] == [1, 5] and options[1]["sizes"] == [4, 4, 4, 3]
    assert [o["shape"] for o in shape_options(28)] == ["standard"]  # groups of 4 either way
