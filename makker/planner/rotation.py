"""One rotation, exactly: set partitioning over the allowed groups (design.md §3).

Each column is a possible group with its cheapest internal pairing
(:class:`~makker.planner.costs.CostModel`); the pairing inside one group does
not affect any other group, so choosing columns that cover every student once
at least cost is exact for the group shapes the columns allow.

The model (the one written statement of it; the code's block comments name
these parts, and :mod:`makker.planner.costs` holds the unit costs)::

    Sets
      S            students of the class, i = 0..n-1 (CostModel index order)
      Z            group sizes of the shape, with counts σ_z (shapes.shape_counts;
                   e.g. n = 23: σ_4 = 3, σ_5 = 1, σ_6 = 1)
      K            allowed groups ("columns"), g ⊆ S with |g| ∈ Z, built by
                   build_columns; K_z = {g ∈ K : |g| = z}
      π(g)         the cheapest pairing of g: pairs, one trio when |g| is odd
                   (CostModel.column / columns_array; a 5-group drawn from the trio
                   pool of a big class is its given trio plus its given pair)

    Hard rules, by leaving columns out of K (not as rows)
      (H1) never:  no never-together pair {a, b} ⊆ g
      (H2) keep:   a keep-together pair is both in g or neither, and then in one
                   pair of π(g)
      (H3) repeat: no pair of π(g) repeats an earlier pair partner; dropped only
                   on the last attempt, when no plan exists without (plan_rotation)

    Variables
      x_g ∈ {0, 1}  for g ∈ K: group g is chosen

    Constraints
      (C1) cover:  Σ_{g ∈ K, i ∈ g} x_g = 1                      for every i ∈ S
      (C2) count:  Σ_{g ∈ K_z} x_g = σ_z      for every z ∈ Z, z ≠ 4, when |Z| > 1
                   (C1 then fixes the number of groups of 4)

    Objective
      (O)  minimise Σ_{g ∈ K} c_g · x_g, where c_g = c_set(g) + Σ_{p ∈ π(g)} c_pair(p)
           and, with ⟦w·u⟧ = round(w · u) for a weight w and a unit u of costs.py:

      c_set(g)  = Σ_{a<b ∈ g} G_ab                                      (group links)
                + ⟦w_gender·LONE_GENDER⟧ · [g has a lone girl or boy]    (lone gender)
                + BIG_TURN · Σ_{a ∈ g} β_a · [|g| ≥ 6]                   (big-group turns)
      c_pair(p) = Σ_{a<b ∈ p} P_ab                                      (pair links)
                + ⟦w_gender·PAIR_SAME_GENDER⟧ · [p all known, one gender] (same gender)
                + TRIO_TURN · Σ_{a ∈ p} τ_a · [|p| = 3]                  (trio turns)
      G_ab = ⟦w_apart·APART_GROUP⟧·[a, b preferably apart]
           + ⟦w_school·SCHOOL_GROUP⟧·[same previous school]
           + ⟦w_repeat·REPEAT_GROUP⟧·r_ab
      P_ab = ⟦w_apart·(APART_PAIR − APART_GROUP)⟧·[a, b preferably apart]
           + ⟦w_school·(SCHOOL_PAIR − SCHOOL_GROUP)⟧·[same previous school]
           + REPEAT_PAIR·q_ab
      r_ab, q_ab   earlier rotations with a, b group-mates / pair partners
      τ_a, β_a     earlier trio / big-group turns of a

Because c_g depends on g alone, min over K of (O) subject to (C1), (C2) is
the best rotation among those built from K's groups; with every group of the
shape in K (small classes) it is the best rotation there is.

Group shapes for a class of ``n`` (``n`` from 4 to 40), with the default
``standard`` shape (:mod:`makker.shapes`; ``trio-alone`` keeps every group at
four or fewer, the students left over forming groups of three):

- ``n`` = 4..7: one group of everybody (2 pairs, pair+trio, 3 pairs, 2 pairs+trio).
- ``n % 4 == 0``: groups of 2 pairs only.
- ``n % 4 == 1``: one group of 5 (a trio and a pair), the rest 2 pairs.
- ``n % 4 == 2``: one group of 3 pairs, the rest 2 pairs.
- ``n % 4 == 3``: one group of 5 and one group of 3 pairs, the rest 2 pairs.

A count row per group size other than 4 fixes the shape (one 5-group / 6-group). All 4-member groups are
columns. 5- and 6-member groups are enumerated completely while that is small
(``FULL_LIMIT`` columns); in larger classes they are drawn from the students
whose turn it is (fewest trio / big-group turns so far, ties by seed): a
5-group is a trio of trio candidates plus any pair (the ``TRIO_KEEP``
cheapest of them); a 6-group is one of the
``BIG_KEEP`` cheapest 6-member groups of the ``BIG_CANDIDATES`` big-group
candidates. The result is optimal over all partitions built from these columns, and the
trio and big group rotate fairly between students. (A pool of 14 without the
cheapest-first cut was too tight: from rotation 4 on, n = 30 found no 6 of
them who had not met, and a group-mate was repeated one rotation early.)

Columns breaking never-together or keep-together are left out; columns that
repeat a pair partner are left out too unless no plan exists without them
(second solve). Ties are broken by the order of the columns, shuffled by the
seed: CBC runs on one thread and is deterministic, so the same input and seed
give the same plan. (A seeded cost perturbation was tried first: it made CBC
up to twice as slow on n = 30, as it must then prove optimality among ties.)

``preview_rotation`` is the instant rotation (good, not optimal): the quick
rotation of :mod:`makker.planner.quick`, with this model, briefly, as its
fallback when the two matchings fail.
"""

from __future__ import annotations

import hashlib
import random
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from math import comb

import numpy as np
import pulp

from ..plan import Rotation
from ..rules import Rules, Weights
from ..shapes import DEFAULT_SHAPE, check_shape, shape_counts
from ..students import Student
from .costs import REPEAT_PAIR, CostModel, pairing_patterns
from .diagnose import ImpossibleRules, diagnose
from .preview import preview_from_model, to_rotation
from .quick import quick_rotation
from .solve import solve

WARM_START = True  # start CBC from the two-stage plan (an incumbent from the first second)
MIN_CBC = 3.0  # seconds CBC always gets, even when building the model ate the share
FULL_LIMIT = 20000  # enumerate every 5-/6-member group up to this many columns
TRIO_CANDIDATES = 10  # size of the trio-candidate pool in big classes
TRIO_KEEP = 5000  # of the trio-candidate 5-member groups, only the cheapest this many become columns
BIG_CANDIDATES = 20  # size of the big-group candidate pool in big classes
BIG_KEEP = 3000  # of the pool's 6-member groups, only the cheapest this many become columns
PREVIEW_EXACT = 2.0  # seconds for the exact solve when the preview's two stages fail (small classes)
PREVIEW_EXACT_BIG = 5.0  # ... and for bigger classes, where the exact model needs longer
PREVIEW_SMALL = 16  # classes up to this size are small


@dataclass(frozen=True)
class RotationResult:
    rotation: Rotation
    status: str  # "optimal" | "feasible" | "timeout"
    gap: float | None
    objective: float
    seconds: float


def _rank(model: CostModel, turns: list[int], seed: int, number: int) -> list[int]:
    """Students ordered by whose turn it is (fewest turns first), ties by seed."""
    def key(i: int):
        h = hashlib.sha256(f"{seed}:{number}:{model.ids[i]}".encode()).hexdigest()
        return (turns[i], h)
    return sorted(range(model.n), key=key)


def _five_sets(model: CostModel, seed: int, number: int, widen: int):
    """5-member groups: every 5-set (best pairing) while small, else trio candidates + any pair."""
    n = model.n
    if comb(n, 5) <= FULL_LIMIT * widen:
        return list(combinations(range(n), 5)), []
    # Keep-together rules chaining three students make them the trio: always in the pool.
    chain = {a for a, partners in model.keep_partner.items() if len(partners) >= 2}
    chain |= {b for a in chain for b in model.keep_partner[a]}
    ranked = [i for i in _rank(model, model.trio_turns, seed, number) if i not in chain]
    pool = sorted(chain) + ranked[: max(0, TRIO_CANDIDATES + 2 * (widen - 1) - len(chain))]
    pairings: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    for trio in combinations(sorted(pool), 3):
        if not model.hard_ok_idx(trio):
            continue
        rest = [i for i in range(n) if i not in trio]
        pairings.extend((trio, duo) for duo in combinations(rest, 2))
    return [], pairings


def _six_sets(model: CostModel, seed: int, number: int, widen: int) -> list[tuple[int, ...]]:
    n = model.n
    if comb(n, 6) <= FULL_LIMIT * widen:
        return list(combinations(range(n), 6))
    ranked = _rank(model, model.big_turns, seed, number)
    pool = set(ranked[: BIG_CANDIDATES + 2 * (widen - 1)]) | set(_unmet_group(model, ranked, 6))
    return list(combinations(sorted(pool), 6))


def _unmet_group(model: CostModel, order: list[int], size: int) -> list[int]:
    """Greedily, ``size`` students (in ``order``, i.e. whose turn it is first) who have never been group-mates.

    Added to the big-group pool so that the pool's fairness cut never forces a
    repeated group-mate: at n = 26 the 20 students whose turn it is in rotation 2
    come from only 5 groups of rotation 1, so any 6 of them held two earlier
    group-mates. Fairness then stays a cost, traded against repeats, not a wall.
    """
    for start in range(min(len(order), 10)):
        chosen: list[int] = []
        for i in order[start:] + order[:start]:
            if all(model.repeat_group[i][j] == 0 and not model.never[i][j] for j in chosen):
                chosen.append(i)
                if len(chosen) == size:
                    return chosen
    return []


FIXED_TRIO = [((0, 1, 2), (3, 4))]  # a restricted 5-group: the given trio plus the given pair


def _costed(model: CostModel, sets, patterns, allow_repeat_pairs: bool) -> list[tuple[int, int, tuple]]:
    """Cost every group of ``sets`` at once (numpy) and keep the allowed ones."""
    if not sets:
        return []
    S = np.array(sets, dtype=np.int64)
    costs, best = model.columns_array(S, patterns)
    chosen = patterns or pairing_patterns(S.shape[1])
    keep = (costs >= 0) if allow_repeat_pairs else ((costs >= 0) & (costs < REPEAT_PAIR))
    out = []
    for row in np.flatnonzero(keep):
        members = sets[row]
        pairing = tuple(tuple(members[i] for i in part) for part in chosen[best[row]])
        out.append((S.shape[1], int(costs[row]), pairing))
    return out


def build_columns(model: CostModel, *, seed: int = 0, number: int = 1, allow_repeat_pairs: bool = False,
                  widen: int = 1, shape: str = DEFAULT_SHAPE) -> list[tuple[int, int, tuple]]:
    """[(size, cost, pairing)] of every allowed group (see module docstring)."""
    # Sets: K as (|g|, c_g, π(g)) per column, over the sizes Z of the shape; (H1)-(H3) leave columns out.
    out = []
    for size in shape_counts(model.n, shape):
        if size == 5 and model.n > 7:
            sets, fixed = _five_sets(model, seed, number, widen)
            out += _costed(model, sets, None, allow_repeat_pairs)
            fives = _costed(model, [trio + duo for trio, duo in fixed], FIXED_TRIO, allow_repeat_pairs)
            if len(fives) > TRIO_KEEP * widen:
                fives = sorted(fives, key=lambda col: col[1])[: TRIO_KEEP * widen]
            out += fives
        elif size == 6 and model.n > 7:
            sixes = _costed(model, _six_sets(model, seed, number, widen), None, allow_repeat_pairs)
            if len(sixes) > BIG_KEEP * widen:  # stable: ties keep enumeration order
                sixes = sorted(sixes, key=lambda col: col[1])[: BIG_KEEP * widen]
            out += sixes
        else:
            out += _costed(model, list(combinations(range(model.n), size)), None, allow_repeat_pairs)
    return out


def _warm_start(model: CostModel, columns, xs, seed: int, number: int) -> bool:
    """Give CBC the quick two-stage plan as its first incumbent, if its groups are all columns."""
    start = preview_from_model(model, number, seed)
    if start is None:
        return False
    where: dict[frozenset[int], int] = {}
    for j, (_, _, pairing) in enumerate(columns):
        where.setdefault(frozenset(a for p in pairing for a in p), j)
    wanted = [where.get(frozenset(model.index[s] for p in g for s in p)) for g in start.groups]
    if None in wanted:
        return False
    chosen = set(wanted)
    try:
        for j, x in enumerate(xs):
            x.setInitialValue(1 if j in chosen else 0)
    except AttributeError:  # a PuLP without initial values: solve cold
        return False
    return True


def _solve_columns(model: CostModel, columns, *, seed: int, time_limit: float, solver: str,
                   cancel: threading.Event | None, number: int = 1, shape: str = DEFAULT_SHAPE):
    """Set partitioning over ``columns``; returns (outcome, chosen columns)."""
    shapes = shape_counts(model.n, shape)
    columns = list(columns)
    random.Random(f"makker-{seed}").shuffle(columns)  # the seed breaks ties through the column order
    prob = pulp.LpProblem("makker_rotation", pulp.LpMinimize)
    # Variables: x_g for every column g of K.
    xs = [prob.add_variable(f"g{j}", cat="Binary") for j in range(len(columns))]
    cover: list[list] = [[] for _ in range(model.n)]
    by_size: dict[int, list] = {}
    objective = []
    for x, (size, cost, pairing) in zip(xs, columns):
        objective.append((x, cost))
        by_size.setdefault(size, []).append(x)
        for p in pairing:
            for a in p:
                cover[a].append(x)
    # (O) objective: Σ c_g x_g.
    prob += pulp.LpAffineExpression(objective)
    # (C1) cover: every student in exactly one chosen group.
    for i, xs_i in enumerate(cover):
        prob += pulp.lpSum(xs_i) == 1, f"cover{i}"
    # (C2) count: σ_z groups of each size z other than 4, when the shape has more than one size.
    for size, count in shapes.items():
        if size != 4 and len(shapes) > 1:  # the cover rows then fix the number of groups of 4
            prob += pulp.lpSum(by_size.get(size, [])) == count, f"count{size}"

    def has_solution(p) -> bool:
        values = [x.value() for x in xs]
        return all(v is not None for v in values) and _is_partition(model, columns, values)

    warm = (solver == "cbc" and WARM_START and shape == DEFAULT_SHAPE
            and _warm_start(model, columns, xs, seed, number))
    outcome = solve(prob, solver=solver, time_limit=time_limit, cancel=cancel, has_solution=has_solution,
                    warm_start=warm)
    if outcome.status == "infeasible":
        return outcome, []
    chosen = [col for x, col in zip(xs, columns) if (x.value() or 0) > 0.5]
    return outcome, chosen


def _is_partition(model: CostModel, columns, values) -> bool:
    seen = [0] * model.n
    for v, (_, _, pairing) in zip(values, columns):
        if v is not None and v > 0.5:
            for p in pairing:
                for a in p:
                    seen[a] += 1
    return all(s == 1 for s in seen)


def rotation_cost(model: CostModel, rotation: Rotation) -> int:
    return sum(model.total_cost(g) for g in rotation.groups)


def plan_rotation(students: Sequence[Student], rules: Rules | None = None, weights: Weights | None = None, *,
                  history=(), number: int = 1, time_limit: float = 30.0, solver: str = "cbc", seed: int = 0,
                  cancel: threading.Event | None = None, shape: str = DEFAULT_SHAPE) -> RotationResult:
    """The best rotation for the class given earlier rotations (exact; see module docstring).

    ``shape`` is how the class is cut into groups (:mod:`makker.shapes`).
    Raises :class:`ImpossibleRules` when the hard rules cannot hold.
    """
    start = time.monotonic()
    check_shape(shape)
    rules = (rules or Rules()).restricted_to(s.id for s in students)
    problems = diagnose(students, rules)
    if problems:
        raise ImpossibleRules(problems)
    model = CostModel(students, rules, weights, history, number)
    # Widen the trio/big-group pools before allowing a repeated pair partner: (H3) is dropped last.
    attempts = [(False, 1), (False, 4), (True, 4)]  # (allow repeated pair partners, widen)
    for allow_repeat_pairs, widen in attempts:
        left = time_limit - (time.monotonic() - start)
        columns = build_columns(model, seed=seed, number=number, shape=shape,
                                allow_repeat_pairs=allow_repeat_pairs, widen=widen)
        if not columns:
            continue
        limit = max(min(MIN_CBC, time_limit), left)
        outcome, chosen = _solve_columns(model, columns, seed=seed, time_limit=limit, solver=solver, cancel=cancel,
                                         number=number, shape=shape)
        if chosen:
            rotation = to_rotation(model, [c[2] for c in chosen], number)
            return RotationResult(rotation, outcome.status, outcome.gap, float(rotation_cost(model, rotation)),
                                  time.monotonic() - start)
        if outcome.status != "infeasible" or time.monotonic() - start > time_limit:
            break  # out of time without a plan: fall back to the quick plan below
    rotation = quick_rotation(model, number, seed, shape=shape)  # raises ImpossibleRules when it cannot
    return RotationResult(rotation, "timeout", None, float(rotation_cost(model, rotation)), time.monotonic() - start)


def preview_rotation(students: Sequence[Student], rules: Rules | None = None, weights: Weights | None = None, *,
                     history=(), number: int = 1, seed: int = 0, exact_seconds: float | None = None) -> Rotation:
    """A good rotation in well under a second (not optimal); raises ImpossibleRules if none is found.

    The quick rotation (:func:`makker.planner.quick.quick_rotation`). Its two
    matchings are greedy about the hard rules: with few allowed group-mates
    (a student who may only be with 3 of 7 classmates) stage 1 can pair
    students so that stage 2 has no legal grouping left, although one exists.
    Then the exact planner decides, briefly (``exact_seconds``; by default
    ``PREVIEW_EXACT`` or, for big classes, ``PREVIEW_EXACT_BIG``); it raises
    only when the rules truly cannot hold.
    """
    rules = (rules or Rules()).restricted_to(s.id for s in students)
    problems = diagnose(students, rules)
    if problems:
        raise ImpossibleRules(problems)
    model = CostModel(students, rules, weights, history, number)
    if exact_seconds is None:
        exact_seconds = PREVIEW_EXACT if len(students) <= PREVIEW_SMALL else PREVIEW_EXACT_BIG

    def exact() -> Rotation:
        return plan_rotation(students, rules, weights, history=history, number=number, time_limit=exact_seconds,
                             seed=seed).rotation

    return quick_rotation(model, number, seed, exact=exact)
