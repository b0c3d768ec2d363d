"""The year optimiser's search state: a whole year as labels, and what a swap changes.

:class:`YearSearch` holds every unlocked rotation as a group label and a pair
label per student, the meeting counts of the year (group-mates, pair
partners, trio and big-group turns, gender counts per group and pair), and
scores every swap of two students of one rotation at once with numpy (a few
matrix products on ``n x n`` arrays, :meth:`YearSearch.deltas`). The search
itself (:mod:`makker.planner.improve`) only picks moves.

Objective, in the integer units of :mod:`makker.planner.costs` (the source of
truth for soft rules; the year cost is the sum of what ``CostModel`` charges
rotation by rotation given the earlier ones):

* never-together in one group: ``NEVER`` (hard; such a move is never chosen),
* a pair partner met ``k`` times: ``REPEAT_PAIR * C(k, 2)``,
* a group-mate met ``k`` times: ``40 * w_repeat * C(k, 2)``,
* the soft rules of each group exactly as ``CostModel`` (gender, lone girl or
  boy, previous school, preferably-apart, trio and big-group turns),
* plus the *prefix* term ``PREFIX * 40 * w_repeat * C(k, 2)`` over the first
  ``K`` rotations only, where ``K`` is one more than the repeat-free rotations
  reached so far: it pushes the first repeated group-mate later, one rotation
  at a time (the "repeat-free rotations" figure of the benchmark).

:class:`Figures` are the benchmark figures the optimiser must never make worse;
:func:`graded` counts them as :mod:`makker.metrics` does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..metrics import compute, is_big_group, is_trio, lone_gender, meetings_again, repeat_free_limit, same_gender
from ..plan import Plan, Rotation
from ..rules import Rules, Weights
from ..students import Student
from .costs import APART_GROUP, BIG_TURN, REPEAT_GROUP, REPEAT_PAIR, TRIO_TURN, CostModel

NEVER = 1e11  # a never-together pair in one group: worse than everything else together
PREFIX = 4  # the prefix term weighs this many times a plain repeat
LONE_BOOST = 8  # a lone girl/boy weighs this many times CostModel's price in the search: the
# benchmark never accepts more of them than the input had, and the year's moves rarely remove one
POLISH_PREFIX = 20  # prefix weight while polishing: keep the repeat-free rotations clean
APART_BOOST = 40  # a preferably-apart pair in one group weighs this many times CostModel's price in the
# search: at default weights above the prefix term's price of a repeat, so the chase for repeat-free
# rotations does not buy them with such pairs; the sliders still move the balance
GEN_K, GEN_M, GEN_U = 0, 1, 2


@dataclass(frozen=True)
class Figures:
    """The benchmark figures the optimiser must never make worse."""

    broken_never: int
    repeated_pairs: int
    repeat_free: int
    repeated_groupmates: int  # extra meetings: fewer means more distinct classmates
    min_classmates: int
    lone_groups: int
    broken_apart: int = 0  # preferably-apart pairs in one group, over the year (0 when the slider is at 0)

    def not_worse_than(self, other: "Figures") -> bool:
        return (
            self.broken_never <= other.broken_never
            and self.repeated_pairs <= other.repeated_pairs
            and self.repeat_free >= other.repeat_free
            and self.repeated_groupmates <= other.repeated_groupmates
            and self.min_classmates >= other.min_classmates
            and self.lone_groups <= other.lone_groups
            and self.broken_apart <= other.broken_apart
        )

    def key(self) -> tuple:
        """Lexicographic order of what matters most (smaller is better)."""
        return (self.broken_never, self.repeated_pairs, self.broken_apart, -self.repeat_free,
                self.repeated_groupmates, self.lone_groups, -self.min_classmates)


def _comb2(x: np.ndarray) -> float:
    return float((x * (x - 1) / 2).sum())


class YearSearch:
    """The state of the search: every unlocked rotation as group/pair labels per student."""

    def __init__(self, students: Sequence[Student], rules: Rules | None, weights: Weights | None,
                 rotations: Sequence[Rotation], locked: int = 0, seed: int = 0):
        self.students = list(students)
        self.rules = (rules or Rules()).restricted_to(s.id for s in self.students)
        self.model = CostModel(self.students, self.rules, weights)
        cm = self.model
        self.n = cm.n
        self.index = cm.index
        self.rotations = list(rotations)
        self.R = len(self.rotations)
        self.rng = np.random.default_rng(seed)
        self.rep = float(cm._w(REPEAT_GROUP, cm.weights.repeat))
        self.prefix_w = PREFIX * self.rep
        self.full_w = 1.0  # 0 while chasing: only the prefix and the soft rules count
        self.W = np.ones((self.n, self.n)) - np.eye(self.n)  # breakout weights of prefix conflicts
        self.pair_w = 1.0
        self.lone_cost = float(cm.lone_cost) * LONE_BOOST
        self.gender_cost = float(cm.same_gender_cost)
        self.gen = np.array([GEN_K if g == "K" else GEN_M if g == "M" else GEN_U for g in cm.gender])
        self.has_gender = bool((self.gen != GEN_U).any())
        self.keep_gender = False  # only swaps of two students of one gender: every group keeps its gender counts
        self.lone_focus = False  # the chase also moves students of lone girl/boy groups in the first K rotations
        self.never = np.array(cm.never, dtype=float)
        self.apart = np.zeros((self.n, self.n))
        if cm.weights.apart > 0:
            for a, b in cm._pairs_idx(self.rules.apart):
                self.apart[a, b] = self.apart[b, a] = 1.0
        apart_extra = (APART_BOOST - 1) * cm._w(APART_GROUP, cm.weights.apart) * self.apart
        self.G0 = np.array(cm.G, dtype=float) + NEVER * self.never + apart_extra
        self.P0 = np.array(cm.P, dtype=float)
        ids = set(cm.ids)
        self.mutable = [r for r, rot in enumerate(self.rotations)
                        if r >= locked and sorted(rot.members()) == sorted(ids)]
        self.static = [r for r in range(self.R) if r not in self.mutable]
        self._init_labels()
        self._init_static()
        self.K = 0
        self.rebuild()

    # -- set-up ---------------------------------------------------------------
    def _init_labels(self) -> None:
        """Group and pair label of each student in each unlocked rotation."""
        n, U = self.n, len(self.mutable)
        self.G = max((len(self.rotations[r].groups) for r in self.mutable), default=1)
        self.Pn = max((sum(1 for _ in self.rotations[r].pairs()) for r in self.mutable), default=1)
        self.grp = np.zeros((U, n), dtype=np.int64)
        self.prn = np.zeros((U, n), dtype=np.int64)
        self.gsize = np.zeros((U, self.G))
        self.psize = np.zeros((U, self.Pn))
        self.frozen = np.zeros((U, n), dtype=bool)  # keep-together students stay put
        for u, r in enumerate(self.mutable):
            k = 0
            for g, group in enumerate(self.rotations[r].groups):
                self.gsize[u, g] = sum(len(p) for p in group)
                for pair in group:
                    self.psize[u, k] = len(pair)
                    for sid in pair:
                        i = self.index[sid]
                        self.grp[u, i], self.prn[u, i] = g, k
                    k += 1
            for a, b in self.model._pairs_idx(self.rules.keep.get(r + 1, ())):
                self.frozen[u, a] = self.frozen[u, b] = True
        self.start_grp, self.start_prn = self.grp.copy(), self.prn.copy()

    def _init_static(self) -> None:
        """Meetings in rotations the search does not touch (locked, or other students)."""
        n = self.n
        self.S_static = np.zeros((self.R, n, n))
        self.SP_static = np.zeros((n, n))
        self.T_static = np.zeros(n)
        self.B_static = np.zeros(n)
        self.static_cost = 0.0
        for r in self.static:
            for group in self.rotations[r].groups:
                members = [self.index[s] for p in group for s in p if s in self.index]
                for a in members:
                    for b in members:
                        if a != b:
                            self.S_static[r, a, b] = 1
                if is_big_group(sum(len(p) for p in group)):
                    self.B_static[members] += 1
                for p in group:
                    idx = [self.index[s] for s in p if s in self.index]
                    for a in idx:
                        for b in idx:
                            if a != b:
                                self.SP_static[a, b] += 1
                    if is_trio(len(p)):
                        self.T_static[idx] += 1
                self.static_cost += self._group_soft(members, group)

    def _group_soft(self, members: list[int], group) -> float:
        """Soft cost of one fixed group, history excluded (CostModel's own numbers)."""
        cm = self.model
        pairing = tuple(tuple(self.index[s] for s in p if s in self.index) for p in group)
        cost = sum(cm.G[a][b] + NEVER * cm.never[a][b] for i, a in enumerate(members) for b in members[i + 1:])
        for p in pairing:
            cost += sum(cm.P[a][b] for i, a in enumerate(p) for b in p[i + 1:])
        return float(cost + self._gender_cost_groups(members, pairing))

    def _gender_cost_groups(self, members, pairing) -> float:
        cnt = np.bincount(self.gen[list(members)], minlength=3) if members else np.zeros(3)
        cost = self.lone_cost * _lone(cnt)
        for p in pairing:
            if len(p) >= 2:
                cost += self.gender_cost * _same(np.bincount(self.gen[list(p)], minlength=3))
        return float(cost)

    # -- full recomputation ---------------------------------------------------
    def rebuild(self) -> None:
        """Recompute every count from the labels (start, restarts, new prefix target)."""
        U, n = len(self.mutable), self.n
        eye = np.eye(n)
        self.Memb = np.zeros((U, n, self.G))
        self.PM = np.zeros((U, n, self.Pn))
        rows = np.arange(n)
        for u in range(U):
            self.Memb[u, rows, self.grp[u]] = 1
            self.PM[u, rows, self.prn[u]] = 1
        S = self.S_static.copy()
        for u, r in enumerate(self.mutable):
            S[r] = self.Memb[u] @ self.Memb[u].T - eye
        self.S = S
        self.M = S.sum(axis=0)
        self.MK = S[: self.K].sum(axis=0)
        SP = np.einsum("uap,ubp->ab", self.PM, self.PM) - U * eye
        self.P = self.SP_static + SP
        self.trio = is_trio(self.psize[np.arange(U)[:, None], self.prn])  # (U, n)
        self.big = is_big_group(self.gsize[np.arange(U)[:, None], self.grp])
        self.T = self.T_static + self.trio.sum(axis=0)
        self.B = self.B_static + self.big.sum(axis=0)
        self.cnt_g = np.zeros((U, self.G, 3))
        self.cnt_p = np.zeros((U, self.Pn, 3))
        for u in range(U):
            np.add.at(self.cnt_g[u], (self.grp[u], self.gen), 1)
            np.add.at(self.cnt_p[u], (self.prn[u], self.gen), 1)
        self.tabu = np.zeros((U, n), dtype=np.int64)  # iteration until which a student stays put
        self.cost = self.objective()

    def objective(self) -> float:
        """The whole search objective, from scratch (also a check of the deltas)."""
        half = 0.5
        cost = self.full_w * self.rep * _comb2(self.M) * half + self.prefix_cost()
        cost += self.pair_w * REPEAT_PAIR * _comb2(self.P) * half
        cost += TRIO_TURN * _comb2(self.T) + BIG_TURN * _comb2(self.B) + self.static_cost
        for u in range(len(self.mutable)):
            same_g = self.Memb[u] @ self.Memb[u].T
            same_p = self.PM[u] @ self.PM[u].T
            cost += half * float((self.G0 * same_g).sum() + (self.P0 * same_p).sum())
            cost += self.lone_cost * float(_lone(self.cnt_g[u].T).sum())
            cost += self.gender_cost * float(_same(self.cnt_p[u].T, self.psize[u]).sum())
        return cost

    # -- moves ----------------------------------------------------------------
    def deltas(self, us: np.ndarray | None = None) -> np.ndarray:
        """Objective change of swapping students a and b in unlocked rotation us[i]: (len(us), n, n).

        Invalid swaps (same pair, keep-together, and with ``keep_gender`` two
        students of different genders) are +inf. ``us`` defaults to every
        unlocked rotation.
        """
        us = np.arange(len(self.mutable)) if us is None else np.asarray(us)
        U, n = len(us), self.n
        ur = np.arange(U)[:, None, None]
        pre = np.array([self.mutable[u] < self.K for u in us], dtype=float)[:, None, None]
        rep = self.full_w * self.rep
        base = rep * self.M + self.G0
        L = base[None] + pre * (self.prefix_w * self.W * self.MK)[None]  # (U, n, n)
        ADD = L @ self.Memb[us]  # (U, n, G)
        ga = self.grp[us]
        own = np.take_along_axis(ADD, ga[:, :, None], axis=2)[:, :, 0]
        gs = np.take_along_axis(self.gsize[us], ga, axis=1)
        rem = own - rep * (gs - 1)  # (U, n): what leaving the own group saves
        if self.K > 0:
            WG = self.W[None] @ self.Memb[us]  # breakout weights of the group-mates
            rem -= pre[:, :, 0] * self.prefix_w * np.take_along_axis(WG, ga[:, :, None], axis=2)[:, :, 0]
        cross = ADD[ur, np.arange(n)[None, :, None], ga[:, None, :]]  # [u, a, b] = ADD[u, a, grp b]
        tg = cross - L - rem[:, :, None]
        dg = tg + tg.transpose(0, 2, 1)
        same_group = ga[:, :, None] == ga[:, None, :]
        dg[same_group] = 0.0

        rp = self.pair_w * REPEAT_PAIR
        Lp = rp * self.P + self.P0
        ADDp = Lp[None] @ self.PM[us]
        pa = self.prn[us]
        ownp = np.take_along_axis(ADDp, pa[:, :, None], axis=2)[:, :, 0]
        ps = np.take_along_axis(self.psize[us], pa, axis=1)
        remp = ownp - rp * (ps - 1)
        crossp = ADDp[ur, np.arange(n)[None, :, None], pa[:, None, :]]
        tp = crossp - Lp[None] - remp[:, :, None]
        delta = dg + tp + tp.transpose(0, 2, 1)

        ge = self.gen
        if self.lone_cost and self.has_gender:
            tab = _swap_table(self.cnt_g[us], _lone)  # (U, G, 3, 3)
            side = tab[ur, ga[:, :, None], ge[None, :, None], ge[None, None, :]]
            dl = side + side.transpose(0, 2, 1)
            dl[same_group] = 0.0
            delta += self.lone_cost * dl
        if self.gender_cost and self.has_gender:
            tab = _swap_table(self.cnt_p[us], lambda c: _same(c, None))
            side = tab[ur, pa[:, :, None], ge[None, :, None], ge[None, None, :]]
            delta += self.gender_cost * (side + side.transpose(0, 2, 1))
        for flag, turns, unit in ((self.trio, self.T, TRIO_TURN), (self.big, self.B, BIG_TURN)):
            if not flag.any():
                continue
            f = flag[us].astype(float)
            diff = f[:, :, None] - f[:, None, :]  # one leaves the trio/big group, the other joins
            d = diff * (turns[None, None, :] - turns[None, :, None]) + np.abs(diff)
            delta += unit * d
        fr = self.frozen[us]
        invalid = (pa[:, :, None] == pa[:, None, :]) | fr[:, :, None] | fr[:, None, :]
        if self.keep_gender:
            invalid |= (ge[:, None] != ge[None, :])[None]
        delta[invalid] = np.inf
        return delta

    def swap(self, u: int, a: int, b: int) -> None:
        """Exchange the places of a and b in unlocked rotation u and update every count."""
        ga, gb, pa, pb = self.grp[u, a], self.grp[u, b], self.prn[u, a], self.prn[u, b]
        r = self.mutable[u]
        old_g = self.Memb[u] @ self.Memb[u, [a, b]].T  # (n, 2) who shares a group with a / b
        old_p = self.PM[u] @ self.PM[u, [a, b]].T
        self.grp[u, a], self.grp[u, b] = gb, ga
        self.prn[u, a], self.prn[u, b] = pb, pa
        for s in (a, b):
            self.Memb[u, s] = 0
            self.PM[u, s] = 0
            self.Memb[u, s, self.grp[u, s]] = 1
            self.PM[u, s, self.prn[u, s]] = 1
        new_g = self.Memb[u] @ self.Memb[u, [a, b]].T
        new_p = self.PM[u] @ self.PM[u, [a, b]].T
        for k, s in enumerate((a, b)):
            dg = new_g[:, k] - old_g[:, k]
            dg[s] = 0
            dp = new_p[:, k] - old_p[:, k]
            dp[s] = 0
            self._link(s, dg, r)
            self.P[s] += dp
            self.P[:, s] += dp
        # a-b counted twice above when they changed relation with each other: undo once
        for mat, d in ((None, new_g[b, 0] - old_g[b, 0]), ("P", new_p[b, 0] - old_p[b, 0])):
            if d and a != b:
                if mat is None:
                    self._link_pair(a, b, -d, r)
                else:
                    self.P[a, b] -= d
                    self.P[b, a] -= d
        if self.gen[a] != self.gen[b]:
            for cnt, la, lb in ((self.cnt_g, ga, gb), (self.cnt_p, pa, pb)):
                cnt[u, la, self.gen[a]] -= 1
                cnt[u, la, self.gen[b]] += 1
                cnt[u, lb, self.gen[b]] -= 1
                cnt[u, lb, self.gen[a]] += 1
        self.trio[u, a], self.trio[u, b] = self.trio[u, b], self.trio[u, a]
        self.big[u, a], self.big[u, b] = self.big[u, b], self.big[u, a]
        self.T = self.T_static + self.trio.sum(axis=0)
        self.B = self.B_static + self.big.sum(axis=0)

    def _link(self, s: int, d: np.ndarray, r: int) -> None:
        self.M[s] += d
        self.M[:, s] += d
        self.S[r, s] += d
        self.S[r, :, s] += d
        if r < self.K:
            self.MK[s] += d
            self.MK[:, s] += d

    def _link_pair(self, a: int, b: int, d: float, r: int) -> None:
        for x, y in ((a, b), (b, a)):
            self.M[x, y] += d
            self.S[r, x, y] += d
            if r < self.K:
                self.MK[x, y] += d

    # -- figures --------------------------------------------------------------
    def repeat_free_limit(self) -> int:
        """The most repeat-free rotations the unlocked rotations' group sizes allow
        (:func:`makker.metrics.repeat_free_limit`; the largest when the rotations differ)."""
        limits = [repeat_free_limit([int(x) for x in self.gsize[u]]) for u in range(len(self.mutable))]
        return max(limits, default=1)

    def figures(self) -> Figures:
        S, P = self.S, self.P
        iu = np.triu_indices(self.n, 1)
        before = np.zeros_like(self.M)
        repeat_free = self.R
        for r in range(self.R):
            if (before * S[r]).any():
                repeat_free = r
                break
            before += S[r]
        M = self.M
        broken = apart = 0.0
        for r in range(self.R):
            broken += float((S[r] * self.never).sum()) / 2
            apart += float((S[r] * self.apart).sum()) / 2
        lone = sum(int(_lone(self.cnt_g[u].T).sum()) for u in range(len(self.mutable)))
        lone += self._static_lone
        met = (M > 0).sum(axis=1)
        return Figures(
            broken_never=int(broken),
            repeated_pairs=int(meetings_again(P[iu]).sum()),
            repeat_free=repeat_free,
            repeated_groupmates=int(meetings_again(M[iu]).sum()),
            min_classmates=int(met.min()) if self.n else 0,
            lone_groups=lone,
            broken_apart=int(apart),
        )

    @property
    def _static_lone(self) -> int:
        if not hasattr(self, "_static_lone_cache"):
            self._static_lone_cache = self.lone_groups(self.rotations[r].groups for r in self.static)
        return self._static_lone_cache

    def lone_groups(self, rotations) -> int:
        """Groups with a lone girl or boy in ``rotations`` (each a tuple of groups of pairs of ids)."""
        total = 0
        for groups in rotations:
            for group in groups:
                members = [self.index[s] for p in group for s in p if s in self.index]
                if members:
                    total += int(_lone(np.bincount(self.gen[members], minlength=3)))
        return total

    def conflict_mask(self) -> tuple[np.ndarray, np.ndarray] | None:
        """(U, n) twice: students in any conflict, and students repeating a pair partner.

        A conflict is a pair partner met again anywhere, or a group-mate met
        again within the first K rotations. None when there is none: then
        every move of every rotation counts. Focusing the neighbourhood on
        conflicts (Dotú & Van Hentenryck) keeps the search from drifting on
        flat moves (later rotations, swaps inside a group).
        """
        pair_again = (self.P >= 2) & (self.pair_w > 0)
        group_again = self.MK >= 2 if self.K > 0 else None
        lone = self._lone_in_prefix()
        if not pair_again.any() and (group_again is None or not group_again.any()) and lone is None:
            return None
        out = np.zeros((len(self.mutable), self.n), dtype=bool)
        pair_out = np.zeros_like(out)
        for u, r in enumerate(self.mutable):
            if pair_again.any():
                partners = self.PM[u] @ self.PM[u].T
                pair_out[u] = (partners * pair_again).sum(axis=1) > 0
            if group_again is not None and r < self.K:
                out[u] = (self.S[r] * group_again).sum(axis=1) > 0
        if lone is not None:
            out |= lone
        return out | pair_out, pair_out

    def _lone_in_prefix(self) -> np.ndarray | None:
        """(U, n): students of a lone girl/boy group in the first K rotations (with ``lone_focus``), or None."""
        if not self.lone_focus or self.lone_cost <= 0 or self.K <= 0:
            return None
        out = np.zeros((len(self.mutable), self.n), dtype=bool)
        for u, r in enumerate(self.mutable):
            if r < self.K:
                out[u] = (_lone(self.cnt_g[u].T) > 0)[self.grp[u]]
        return out if out.any() else None

    def set_prefix(self, K: int) -> None:
        if K != self.K:
            self.K = K
            self.rebuild()

    def set_mode(self, chase: bool, K: int) -> None:
        """Chase: only the first K rotations' repeats (and soft rules) count; else everything."""
        self.full_w = self.pair_w = 0.0 if chase else 1.0
        self.prefix_w = (PREFIX if chase else POLISH_PREFIX) * self.rep
        self.W = np.ones((self.n, self.n)) - np.eye(self.n)
        self.K = K
        self.rebuild()

    def year_cost(self) -> float:
        """The objective without the prefix term, whatever the mode (for comparing plans)."""
        half = 0.5
        extra = (1 - self.full_w) * self.rep * _comb2(self.M) * half
        extra += (1 - self.pair_w) * REPEAT_PAIR * _comb2(self.P) * half
        return self.cost + extra - self.prefix_cost()

    def cost_floor(self) -> float | None:
        """A lower bound of year_cost when only repeats cost anything (no soft rule, no trio/big group)."""
        if self.static or self.G0.any() or self.P0.any() or self.has_gender or self.trio.any() or self.big.any():
            return None
        n, links = self.n, float(self.M.sum()) / 2
        pairs = n * (n - 1) // 2
        q, r = divmod(int(links), pairs)
        least = (pairs - r) * q * (q - 1) // 2 + r * (q + 1) * q // 2
        return self.rep * least

    def prefix_cost(self) -> float:
        return self.prefix_w * float((self.W * self.MK * (self.MK - 1)).sum()) / 4

    def breakout(self) -> None:
        """Weigh the group-mates repeated in the prefix more (a local minimum's conflicts).

        Breakout / constraint weighting: the search can then leave a plateau
        where the last conflicts hide. The figures do not depend on W.
        """
        again = self.MK >= 2
        if again.any():
            self.W = self.W + again
            self.cost = self.objective()

    def snapshot(self) -> tuple[np.ndarray, np.ndarray]:
        return self.grp.copy(), self.prn.copy()

    def restore(self, snap) -> None:
        self.grp, self.prn = snap[0].copy(), snap[1].copy()
        self.rebuild()

    def to_rotations(self, snap=None) -> list[Rotation]:
        """The plan's rotations for a snapshot; untouched rotations are the input objects."""
        grp, prn = snap if snap is not None else (self.grp, self.prn)
        out = list(self.rotations)
        for u, r in enumerate(self.mutable):
            if np.array_equal(grp[u], self.start_grp[u]) and np.array_equal(prn[u], self.start_prn[u]):
                continue
            old = self.rotations[r]
            order = {sid: i for i, sid in enumerate(old.members())}
            shape: list[list[list[str]]] = [[[] for _ in g] for g in old.groups]
            first_pair = np.cumsum([0] + [len(g) for g in old.groups])
            for sid in sorted(order, key=lambda sid: order[sid]):
                i = self.index[sid]
                g, p = int(grp[u, i]), int(prn[u, i])
                shape[g][p - first_pair[g]].append(sid)
            groups = tuple(tuple(tuple(p) for p in g) for g in shape)
            out[r] = Rotation(old.number, groups, old.start, old.end)
        return out


def _lone(cnt: np.ndarray) -> np.ndarray:
    """The lone girl/boy rule (``metrics.lone_gender``) on gender counts (girls, boys, unknown)."""
    return np.asarray(lone_gender(cnt[0], cnt[1])).astype(float)


def _same(cnt: np.ndarray, size=None) -> np.ndarray:
    """The same-gender pair rule (``metrics.same_gender``) on gender counts (girls, boys, unknown)."""
    return np.asarray(same_gender(cnt[0], cnt[1], cnt[2])).astype(float)


def _swap_table(cnt: np.ndarray, fn) -> np.ndarray:
    """[u, label, x, y]: change of fn when the label loses a gender-x student and gains a y one."""
    base = fn(np.moveaxis(cnt, -1, 0))  # (U, L)
    eye = np.eye(3)
    new = cnt[:, :, None, None, :] - eye[None, None, :, None, :] + eye[None, None, None, :, :]
    return fn(np.moveaxis(new, -1, 0)) - base[:, :, None, None]


def graded(plan: Plan, rules: Rules | None = None, weights: Weights | None = None) -> Figures:
    """The benchmark figures of ``plan`` as :mod:`makker.metrics` counts them (the "never worse" gate).

    Preferably-apart pairs count only while their slider is above 0, as in the search.
    """
    m = compute(plan, rules)
    apart = m.broken_apart if (weights or Weights()).apart > 0 else 0
    return Figures(
        broken_never=m.broken_never,
        repeated_pairs=m.repeated_pairs,
        repeat_free=m.repeat_free_rotations,
        repeated_groupmates=m.repeated_groupmates,
        min_classmates=m.min_classmates,
        lone_groups=m.lone_gender_groups,
        broken_apart=apart,
    )
