"""Known perfect schedules: resolvable designs for n = 16 and n = 28.

For n = 4 (mod 12) a resolvable (n, 4, 1) design splits the class into groups
of 4 in (n - 1) / 3 ways so that every two students share a group exactly
once: the most rotations without any repeated group-mate that mathematics
allows (design.md section 2). Local search finds these rarely (n = 28 is a
hard social golfer instance), so the optimiser is seeded with them.

* n = 16: the affine plane AG(2, 4): its lines in 5 parallel classes.
* n = 28: the Hermitian unital of PG(2, 9): 28 points, 63 blocks of 4; the
  9 parallel classes are found by colouring blocks that share a point.

Everything here is exact and deterministic; results are cached.
"""

from __future__ import annotations

from functools import lru_cache
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


@lru_cache(maxsize=None)
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


@lru_cache(maxsize=None)
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
    blocks = set()
    for line in points:  # lines are points of the dual plane
        on = [index[p] for p in unital
              if add[add[mul[line[0]][p[0]]][mul[line[1]][p[1]]]][mul[line[2]][p[2]]] == 0]
        if len(on) == 4:
            blocks.add(tuple(sorted(on)))
    blocks = sorted(blocks)
    assert len(blocks) == 63
    colour = _resolve(blocks, 28, 9)
    return [[b for b, c in zip(blocks, colour) if c == k] for k in range(9)]


def _resolve(blocks: list[Block], n: int, classes: int) -> list[int]:
    """Colour blocks so that blocks sharing a point differ: the parallel classes (DSatur backtracking)."""
    m = len(blocks)
    by_point = [[] for _ in range(n)]
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


def perfect_classes(n: int) -> list[list[Block]] | None:
    """The parallel classes of a perfect schedule of groups of 4 for ``n`` students, if known."""
    if n == 16:
        return affine_plane_16()
    if n == 28:
        return unital_28()
    return None
