"""What one group costs: the soft rules and the history, as integers.

Every cost is an integer so that solves are deterministic and exact (no
floating-point ties). A weight ``w`` (0–10, from :class:`makker.rules.Weights`)
multiplies the unit cost of its term; 0 switches the term off.

Cost scale (per occurrence, ``w`` = the term's weight):

========================================  ==========================
term                                       cost
========================================  ==========================
pair of the same gender (trio: all same)   ``10 * w_gender``
lone girl or lone boy in a group           ``25 * w_gender``
same previous school, in one pair          ``10 * w_school`` per link
same previous school, elsewhere in group   ``4 * w_school`` per link
preferably-apart, in one pair              ``60 * w_apart``
preferably-apart, elsewhere in group       ``30 * w_apart``
earlier group-mate, again in the group     ``40 * w_repeat`` per earlier time
earlier pair partner, again a partner      ``REPEAT_PAIR`` = 1 000 000 (fixed)
trio again (per earlier trio turn)         ``30`` per member (fixed)
big group again (per earlier turn)         ``15`` per member (fixed)
========================================  ==========================

How these costs enter the exact model of one rotation (c_g, G_ab, P_ab and
the hard rules H1–H3) is written out once, as algebra, in the docstring of
:mod:`makker.planner.rotation`.

A repeated pair partner costs more than every soft rule of a whole class
together, so it only happens when there is no other way ("forbidden while
avoidable"). Never-together and keep-together are hard: a group breaking them
has no cost at all (:meth:`CostModel.column` returns ``None``).

The hot path works on student indexes (``0..n-1``) with two link matrices:
``G[a][b]`` is paid when ``a`` and ``b`` share a group, ``P[a][b]`` is paid on
top when they also share a pair. The best internal pairing of a group depends
only on its members, so each group is costed once, independently of the rest
of the rotation (that is what makes the set-partitioning model exact).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import combinations

import numpy as np

from ..metrics import is_big_group, is_trio, lone_gender, same_gender, same_school
from ..rules import Rules, Weights
from ..students import Student

PAIR_SAME_GENDER = 10
LONE_GENDER = 25
SCHOOL_PAIR = 10
SCHOOL_GROUP = 4
APART_PAIR = 60
APART_GROUP = 30
REPEAT_GROUP = 40
REPEAT_PAIR = 1_000_000
TRIO_TURN = 30
BIG_TURN = 15

IdxPairing = tuple[tuple[int, ...], ...]


def _pairings(members: Sequence[int]) -> list[IdxPairing]:
    """Every way to split 4–7 members into pairs (one trio when odd)."""
    members = tuple(members)
    if len(members) <= 3:
        return [(members,)]
    if len(members) % 2:
        out: list[IdxPairing] = []
        for trio in combinations(members, 3):
            rest = tuple(m for m in members if m not in trio)
            out.extend(((trio,) + p) for p in _pairings(rest))
        return out
    first, rest = members[0], members[1:]
    out = []
    for i, partner in enumerate(rest):
        others = rest[:i] + rest[i + 1:]
        for tail in (_pairings(others) if others else [()]):
            out.append(((first, partner),) + tail)
    return out


_PAIRING_CACHE: dict[int, list[IdxPairing]] = {}


def pairing_patterns(size: int) -> list[IdxPairing]:
    """Pairings of positions ``0..size-1`` (cached): applied to any group of that size."""
    if size not in _PAIRING_CACHE:
        _PAIRING_CACHE[size] = _pairings(range(size))
    return _PAIRING_CACHE[size]


class CostModel:
    """Costs of groups for one rotation of one class.

    ``history`` is the earlier rotations (``makker.plan.Rotation``) whose
    repeats and trio/big-group turns count; students not in ``students`` are
    ignored there. ``number`` selects the keep-together pairs of this rotation.
    """

    def __init__(self, students: Sequence[Student], rules: Rules | None = None,
                 weights: Weights | None = None, history: Iterable = (), number: int = 1):
        self.students = list(students)
        self.ids = [s.id for s in self.students]
        self.index = {sid: i for i, sid in enumerate(self.ids)}
        self.rules = rules or Rules()
        self.weights = (weights or Weights()).clamp()
        self.number = number
        n = len(self.ids)
        self.n = n
        self.gender = [s.gender if s.gender in ("K", "M") else None for s in self.students]
        self.never = [[False] * n for _ in range(n)]
        self.keep_partner: dict[int, set[int]] = {}
        self.G = [[0] * n for _ in range(n)]
        self.P = [[0] * n for _ in range(n)]
        self.repeat_group = [[0] * n for _ in range(n)]
        self.repeat_pair = [[0] * n for _ in range(n)]
        self.trio_turns = [0] * n
        self.big_turns = [0] * n
        self._rules_to_matrices()
        self._history_to_matrices(history)

    # -- set-up -------------------------------------------------------------
    def _w(self, unit: int, weight: float) -> int:
        return int(round(unit * weight))

    def _pairs_idx(self, pairs) -> Iterable[tuple[int, int]]:
        for p in pairs:
            a, b = tuple(p)
            if a in self.index and b in self.index and a != b:
                yield self.index[a], self.index[b]

    def _add(self, m, a: int, b: int, v: int) -> None:
        m[a][b] += v
        m[b][a] += v

    def _rules_to_matrices(self) -> None:
        # The rule parts of the link matrices G_ab, P_ab (apart, school), the hard rules (H1, H2) and the
        # gender prices of c_set / c_pair.
        w = self.weights
        for a, b in self._pairs_idx(self.rules.never):
            self.never[a][b] = self.never[b][a] = True
        for a, b in self._pairs_idx(self.rules.keep.get(self.number, ())):
            self.keep_partner.setdefault(a, set()).add(b)
            self.keep_partner.setdefault(b, set()).add(a)
        for a, b in self._pairs_idx(self.rules.apart):
            self._add(self.G, a, b, self._w(APART_GROUP, w.apart))
            self._add(self.P, a, b, self._w(APART_PAIR - APART_GROUP, w.apart))
        school_g, school_p = self._w(SCHOOL_GROUP, w.school), self._w(SCHOOL_PAIR - SCHOOL_GROUP, w.school)
        for a, b in combinations(range(self.n), 2):
            if same_school(self.students[a].school, self.students[b].school):
                self._add(self.G, a, b, school_g)
                self._add(self.P, a, b, school_p)
        self.same_gender_cost = self._w(PAIR_SAME_GENDER, w.gender)
        self.lone_cost = self._w(LONE_GENDER, w.gender)

    def _history_to_matrices(self, history: Iterable) -> None:
        # The history parts: r_ab, q_ab into G_ab, P_ab, and the turns τ_a, β_a.
        rep = self._w(REPEAT_GROUP, self.weights.repeat)
        for rot in history:
            for group in rot.groups:
                members = [self.index[s] for p in group for s in p if s in self.index]
                for a, b in combinations(members, 2):
                    self._add(self.repeat_group, a, b, 1)
                    self._add(self.G, a, b, rep)
                for p in group:
                    idx = [self.index[s] for s in p if s in self.index]
                    for a, b in combinations(idx, 2):
                        self._add(self.repeat_pair, a, b, 1)
                        self._add(self.P, a, b, REPEAT_PAIR)
                    if is_trio(len(p)):
                        for a in idx:
                            self.trio_turns[a] += 1
                if is_big_group(sum(len(p) for p in group)):
                    for a in members:
                        self.big_turns[a] += 1

    # -- index-based hot path ------------------------------------------------
    def hard_ok_idx(self, members: Sequence[int]) -> bool:
        """No never-together pair inside, and no keep-together partner left outside."""
        never = self.never
        for i, a in enumerate(members):
            row = never[a]
            for b in members[i + 1:]:
                if row[b]:
                    return False
            partners = self.keep_partner.get(a)
            if partners and not partners <= set(members):
                return False
        return True

    def _pair_soft(self, p: tuple[int, ...]) -> int:
        # c_pair(p): pair links, same gender, trio turns.
        cost = 0
        P = self.P
        for a, b in combinations(p, 2):
            cost += P[a][b]
        if same_gender(*self._gender_counts(p)):
            cost += self.same_gender_cost
        if is_trio(len(p)):
            cost += sum(TRIO_TURN * self.trio_turns[a] for a in p)
        return cost

    def _gender_counts(self, members: Sequence[int]) -> tuple[int, int, int]:
        """(girls, boys, unknown) among the members."""
        genders = Counter(self.gender[a] for a in members)
        girls, boys = genders.get("K", 0), genders.get("M", 0)
        return girls, boys, len(members) - girls - boys

    def _keep_ok(self, pairing: IdxPairing) -> bool:
        if not self.keep_partner:
            return True
        where = {a: k for k, p in enumerate(pairing) for a in p}
        for a, partners in self.keep_partner.items():
            if a in where and any(where.get(b) != where[a] for b in partners):
                return False
        return True

    def _set_cost(self, members: Sequence[int]) -> int:
        """Costs that depend only on who is in the group (not on the pairing)."""
        # c_set(g): group links, lone gender, big-group turns.
        G = self.G
        cost = 0
        for i, a in enumerate(members):
            row = G[a]
            for b in members[i + 1:]:
                cost += row[b]
        k, m, _ = self._gender_counts(members)
        if lone_gender(k, m):
            cost += self.lone_cost
        if is_big_group(len(members)):
            cost += sum(BIG_TURN * self.big_turns[a] for a in members)
        return cost

    def column(self, members: Sequence[int]) -> tuple[int, IdxPairing] | None:
        """(cost, best pairing) of a group given by indexes, or None if not allowed.

        Ties between pairings are broken by pattern order, so the result only
        depends on the members' order (callers pass them sorted).
        """
        if not self.hard_ok_idx(members):
            return None
        best: tuple[int, IdxPairing] | None = None
        for pattern in pairing_patterns(len(members)):
            pairing = tuple(tuple(members[i] for i in p) for p in pattern)
            if not self._keep_ok(pairing):
                continue
            c = sum(self._pair_soft(p) for p in pairing)
            if best is None or c < best[0]:
                best = (c, pairing)
        if best is None:
            return None
        return best[0] + self._set_cost(members), best[1]

    def fixed_cost(self, pairing: IdxPairing) -> int | None:
        """Cost of a group whose pairing is given (indexes), or None if not allowed."""
        members = sorted(a for p in pairing for a in p)
        if not self.hard_ok_idx(members) or not self._keep_ok(pairing):
            return None
        return sum(self._pair_soft(p) for p in pairing) + self._set_cost(members)

    # -- vectorised columns (numpy): the same numbers as column(), for many groups at once --
    def _arrays(self) -> dict:
        if getattr(self, "_np", None) is None:
            G = np.array(self.G, dtype=np.int64).reshape(self.n, self.n)
            P = np.array(self.P, dtype=np.int64).reshape(self.n, self.n)
            g = np.array([{"K": 1, "M": 2}.get(x or "", 0) for x in self.gender], dtype=np.int64)
            girls, boys = (g == 1).astype(np.int64), (g == 2).astype(np.int64)
            k2, m2 = girls[:, None] + girls[None, :], boys[:, None] + boys[None, :]
            same = same_gender(k2, m2, 2 - k2 - m2)
            self._np = dict(G=G, P=P, P2=P + self.same_gender_cost * same, g=g,
                            never=np.array(self.never, dtype=bool).reshape(self.n, self.n),
                            tt=np.array(self.trio_turns, dtype=np.int64), bt=np.array(self.big_turns, dtype=np.int64))
        return self._np

    def _part_cost(self, S: np.ndarray, part: tuple[int, ...]) -> np.ndarray:
        A = self._arrays()
        if len(part) == 2:
            return A["P2"][S[:, part[0]], S[:, part[1]]]
        x, y, z = (S[:, i] for i in part)
        g = A["g"]
        girls = (g[x] == 1).astype(np.int64) + (g[y] == 1) + (g[z] == 1)
        boys = (g[x] == 2).astype(np.int64) + (g[y] == 2) + (g[z] == 2)
        same = same_gender(girls, boys, 3 - girls - boys)
        P = A["P"]
        return P[x, y] + P[x, z] + P[y, z] + self.same_gender_cost * same + TRIO_TURN * (A["tt"][x] + A["tt"][y] + A["tt"][z])

    def columns_array(self, S: np.ndarray, patterns: list[IdxPairing] | None = None):
        """Costs and best pattern index for every row of ``S`` (m x k member indexes).

        Rows breaking a hard rule get cost -1. ``patterns`` defaults to every
        pairing of k members (:func:`pairing_patterns`); ties go to the first
        pattern, exactly as :meth:`column`.
        """
        A = self._arrays()
        m, k = S.shape
        patterns = patterns or pairing_patterns(k)
        bad = np.zeros(m, dtype=bool)
        base = np.zeros(m, dtype=np.int64)
        for i, j in combinations(range(k), 2):
            bad |= A["never"][S[:, i], S[:, j]]
            base += A["G"][S[:, i], S[:, j]]
        gk = (A["g"][S] == 1).sum(axis=1)
        gm = (A["g"][S] == 2).sum(axis=1)
        base += self.lone_cost * lone_gender(gk, gm)
        if is_big_group(k):
            base += BIG_TURN * A["bt"][S].sum(axis=1)
        costs = np.empty((len(patterns), m), dtype=np.int64)
        for t, pattern in enumerate(patterns):
            costs[t] = sum(self._part_cost(S, part) for part in pattern)
        self._mask_keep(S, patterns, bad, costs)
        best = costs.argmin(axis=0)
        total = costs[best, np.arange(m)] + base
        total[bad | (costs.min(axis=0) >= np.iinfo(np.int64).max // 4)] = -1
        return total, best

    def _mask_keep(self, S, patterns, bad, costs) -> None:
        """Keep-together: both or neither in the group, and then in one pair."""
        huge = np.iinfo(np.int64).max // 2
        done = set()
        for a, partners in self.keep_partner.items():
            for b in partners:
                if (b, a) in done:
                    continue
                done.add((a, b))
                in_a, in_b = (S == a), (S == b)
                has_a, has_b = in_a.any(axis=1), in_b.any(axis=1)
                bad |= has_a != has_b
                pos_a, pos_b = in_a.argmax(axis=1), in_b.argmax(axis=1)
                both = has_a & has_b
                for t, pattern in enumerate(patterns):
                    part_of = np.empty(S.shape[1], dtype=np.int64)
                    for pi, part in enumerate(pattern):
                        part_of[list(part)] = pi
                    split = both & (part_of[pos_a] != part_of[pos_b])
                    costs[t][split] = huge

    # -- id-based API (used by other modules and tests) ----------------------
    def _idx(self, ids: Iterable[str]) -> list[int]:
        return sorted(self.index[s] for s in ids)

    def _split(self, group) -> tuple[list[int], IdxPairing]:
        pairing = tuple(tuple(self.index[s] for s in p) for p in group)
        return sorted(a for p in pairing for a in p), pairing

    def total_cost(self, group) -> int:
        """Everything a group (tuple of pairs of ids) costs, history included."""
        members, pairing = self._split(group)
        return sum(self._pair_soft(p) for p in pairing) + self._set_cost(members)
