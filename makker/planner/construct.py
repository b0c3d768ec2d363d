"""Known schedules without any repeated group-mate, to start the year optimiser from.

For n = 4 (mod 12) a resolvable (n, 4, 1) design splits the class into groups
of 4 in (n - 1) / 3 ways so that every two students share a group exactly
once: the most rotations without any repeated group-mate that mathematics
allows (design.md section 2). Local search finds these rarely (n = 28 is a
hard social golfer instance), so the optimiser is seeded with them.

* n = 16: the affine plane AG(2, 4): its lines in 5 parallel classes.
* n = 28: the Hermitian unital of PG(2, 9): 28 points, 63 blocks of 4; the
  9 parallel classes are found by colouring blocks that share a point.
* n = 32: no resolvable design exists (32 is not 4 mod 12), but 10 rotations
  without any repeat do (the social golfer instance 8-4-10, first solved by
  A. Aguado in 2004 and published with the CSPLib problem 010 material);
  that schedule is kept below as a table (verified by ``tests/test_improve.py``).
* n = 24: 6 rotations (the social golfer instance 6-4-6). Local search from the
  rotation-by-rotation plan stalls at 5; this table was found once, offline, by
  a plain Dotú & Van Hentenryck tabu search (``benchmarks/sgp_table.py``) and is
  verified by the same test.
* Balanced designs (:func:`balanced_classes`): as many girls as boys and every
  group two girls and two boys, for n = 20 and 28. Classes with gender rules
  need these: every relabelling of the n = 28 design above leaves at least 10
  groups with a lone girl or boy in 7 of its rotations (its binary code has no
  word of weight 14; measured in benchmarks/README.md).

Everything here is exact and deterministic; results are cached.
"""

from __future__ import annotations

from functools import cache
from itertools import product

Block = tuple[int, ...]


# -- small finite fields --------------------------------------------------------

def _gf4():
    """GF(4) = {0, 1, w, w^2} as 0..3 with a lookup table (w^2 = w + 1)."""
    add = [[a ^ b for b in range(4)] for a in range(4)]
    log = {1: 0, 2: 1, 3: 2}
    exp = [1, 2, 3]
    mul = [[0 if a == 0 or b == 0 else exp[(log[a] + log[b]) % 3] for b in range(4)] for a in range(4)]
    return add, mul


def _gf9():
    """GF(9) = GF(3)[i]/(i^2 + 1); element a + b i coded as 3b + a."""
    def dec(x):
        return x % 3, x // 3

    def enc(a, b):
        return (a % 3) + 3 * (b % 3)

    add = [[enc(dec(x)[0] + dec(y)[0], dec(x)[1] + dec(y)[1]) for y in range(9)] for x in range(9)]

    def m(x, y):
        a, b = dec(x)
        c, d = dec(y)
        return enc(a * c - b * d, a * d + b * c)

    mul = [[m(x, y) for y in range(9)] for x in range(9)]
    return add, mul


@cache
def affine_plane_16() -> list[list[Block]]:
    """The 5 parallel classes of AG(2, 4) on points 0..15 (point = 4x + y)."""
    add, mul = _gf4()
    classes = []
    for slope in range(4):  # y = slope * x + c
        cls = []
        for c in range(4):
            cls.append(tuple(sorted(4 * x + add[mul[slope][x]][c] for x in range(4))))
        classes.append(cls)
    classes.append([tuple(4 * x + y for y in range(4)) for x in range(4)])  # x = c
    return classes


def _normalised(v, mul, inv):
    for x in v:
        if x:
            f = inv[x]
            return tuple(mul[f][y] for y in v)
    return None


@cache
def unital_28() -> list[list[Block]]:
    """The 9 parallel classes of the Hermitian unital U(3) on points 0..27."""
    add, mul = _gf9()
    inv = {x: next(y for y in range(1, 9) if mul[x][y] == 1) for x in range(1, 9)}
    points = sorted({p for v in product(range(9), repeat=3) if any(v)
                     for p in [_normalised(v, mul, inv)]})

    def norm(x):  # x^(q+1) = x * x^3, lies in GF(3)
        x3 = mul[mul[x][x]][x]
        return mul[x][x3]

    unital = [p for p in points if add[add[norm(p[0])][norm(p[1])]][norm(p[2])] == 0]
    assert len(unital) == 28
    index = {p: i for i, p in enumerate(unital)}
    found: set[Block] = set()
    for line in points:  # lines are points of the dual plane
        on = [index[p] for p in unital
              if add[add[mul[line[0]][p[0]]][mul[line[1]][p[1]]]][mul[line[2]][p[2]]] == 0]
        if len(on) == 4:
            found.add(tuple(sorted(on)))
    blocks = sorted(found)
    assert len(blocks) == 63
    colour = _resolve(blocks, 28, 9)
    return [[b for b, c in zip(blocks, colour) if c == k] for k in range(9)]


def _resolve(blocks: list[Block], n: int, classes: int) -> list[int]:
    """Colour blocks so that blocks sharing a point differ: the parallel classes (DSatur backtracking)."""
    m = len(blocks)
    by_point: list[list[int]] = [[] for _ in range(n)]
    for i, b in enumerate(blocks):
        for p in b:
            by_point[p].append(i)
    neigh = [sorted({j for p in b for j in by_point[p] if j != i}) for i, b in enumerate(blocks)]
    colour = [-1] * m

    def pick():
        best, best_key = -1, None
        for i in range(m):
            if colour[i] < 0:
                used = {colour[j] for j in neigh[i] if colour[j] >= 0}
                key = (len(used), i * -1)
                if best_key is None or key > best_key:
                    best, best_key = i, key
        return best

    def solve() -> bool:
        i = pick()
        if i < 0:
            return True
        used = {colour[j] for j in neigh[i] if colour[j] >= 0}
        top = max(colour) + 1
        for c in range(min(classes, top + 1)):  # symmetry: a new colour only once
            if c not in used:
                colour[i] = c
                if solve():
                    return True
                colour[i] = -1
        return False

    if not solve():
        raise RuntimeError("no resolution found")
    return colour


GOLFERS_8_4_10 = (
    ((0, 1, 2, 3), (4, 5, 6, 7), (8, 9, 10, 11), (12, 13, 14, 15),
     (16, 17, 18, 19), (20, 21, 22, 23), (24, 25, 26, 27), (28, 29, 30, 31)),
    ((0, 4, 8, 28), (1, 7, 18, 22), (3, 5, 10, 31), (15, 19, 21, 26),
     (12, 16, 20, 24), (2, 6, 17, 23), (11, 13, 25, 30), (9, 14, 27, 29)),
    ((0, 21, 27, 30), (1, 23, 26, 28), (3, 6, 13, 24), (5, 11, 14, 16),
     (7, 10, 12, 17), (2, 9, 15, 20), (4, 18, 25, 31), (8, 19, 22, 29)),
    ((0, 11, 18, 24), (1, 10, 19, 25), (3, 9, 17, 26), (5, 15, 22, 30),
     (6, 14, 21, 31), (2, 8, 16, 27), (4, 12, 23, 29), (7, 13, 20, 28)),
    ((0, 10, 13, 22), (1, 4, 15, 27), (3, 7, 8, 30), (14, 19, 23, 24),
     (11, 17, 20, 31), (2, 21, 25, 28), (5, 9, 12, 18), (6, 16, 26, 29)),
    ((0, 9, 23, 31), (1, 5, 24, 29), (3, 14, 18, 28), (8, 13, 17, 21),
     (6, 10, 20, 27), (2, 12, 19, 30), (4, 11, 22, 26), (7, 15, 16, 25)),
    ((0, 5, 19, 20), (1, 6, 9, 30), (3, 4, 16, 21), (13, 18, 23, 27),
     (10, 15, 24, 28), (2, 7, 11, 29), (14, 17, 22, 25), (8, 12, 26, 31)),
    ((0, 15, 17, 29), (1, 13, 16, 31), (3, 12, 22, 27), (18, 20, 26, 30),
     (7, 9, 21, 24), (2, 4, 10, 14), (5, 8, 23, 25), (6, 11, 19, 28)),
    ((0, 6, 12, 25), (1, 8, 14, 20), (3, 11, 15, 23), (9, 16, 22, 28),
     (10, 18, 21, 29), (2, 5, 13, 26), (4, 17, 24, 30), (7, 19, 27, 31)),
    ((0, 7, 14, 26), (1, 11, 12, 21), (3, 20, 25, 29), (5, 17, 27, 28),
     (6, 8, 15, 18), (2, 22, 24, 31), (4, 9, 13, 19), (10, 16, 23, 30)),
)


GOLFERS_6_4_6 = (
    ((4, 5, 19, 20), (7, 11, 14, 23), (2, 3, 13, 16), (0, 12, 17, 18), (1, 15, 21, 22), (6, 8, 9, 10)),
    ((1, 4, 9, 11), (2, 8, 12, 23), (0, 6, 7, 13), (16, 18, 19, 21), (5, 14, 15, 17), (3, 10, 20, 22)),
    ((0, 1, 3, 23), (9, 13, 17, 19), (5, 7, 12, 22), (8, 11, 18, 20), (4, 6, 15, 16), (2, 10, 14, 21)),
    ((3, 6, 14, 18), (4, 17, 22, 23), (7, 10, 15, 19), (0, 2, 9, 20), (11, 12, 13, 21), (1, 5, 8, 16)),
    ((2, 11, 19, 22), (1, 10, 13, 18), (5, 6, 21, 23), (7, 16, 17, 20), (3, 9, 12, 15), (0, 4, 8, 14)),
    ((13, 15, 20, 23), (1, 6, 12, 19), (0, 5, 10, 11), (3, 8, 17, 21), (2, 4, 7, 18), (9, 14, 16, 22)),
)


def balanced_classes(m: int) -> list[list[Block]] | None:
    """``m`` rotations of ``m`` groups, each two girls and two boys, without any repeated group-mate.

    Points ``0..2m-1`` are girls, ``2m..4m-1`` boys; girl ``(k, s)`` is point
    ``k + m s`` and boy ``(k, t)`` is ``2m + k + m t`` (``k`` in Z_m, ``s, t``
    in {0, 1}). Rotation ``r`` has the groups ``{girl(k, 0), girl(k + r, 1),
    boy(k + 2r, 0), boy(k + 3r, 1)}`` for every ``k``: each kind of pair
    (girl 0-girl 1, girl-boy, boy 0-boy 1) meets at the differences ``r``, ``2r``
    or ``3r``, which differ from rotation to rotation when 2 and 3 are units
    mod ``m`` (``m`` prime to 6). After ``m`` rotations every girl has met
    every boy, so with ``m = 7`` (n = 28) this is the most a balanced year gets.
    """
    if m < 5 or m % 2 == 0 or m % 3 == 0:
        return None

    def girl(k: int, s: int) -> int:
        return k % m + m * s

    def boy(k: int, t: int) -> int:
        return 2 * m + k % m + m * t

    return [[tuple(sorted((girl(k, 0), girl(k + r, 1), boy(k + 2 * r, 0), boy(k + 3 * r, 1))))
             for k in range(m)] for r in range(m)]


def perfect_classes(n: int) -> list[list[Block]] | None:
    """Rotations of groups of 4 for ``n`` students without any repeated group-mate, if known.

    As many as mathematics allows for 16 (5), 28 (9) and 32 (10); 6 of the
    possible 7 for n = 24.
    """
    if n == 16:
        return affine_plane_16()
    if n == 24:
        return [list(cls) for cls in GOLFERS_6_4_6]
    if n == 28:
        return unital_28()
    if n == 32:
        return [list(cls) for cls in GOLFERS_8_4_10]
    return None
