"""The year optimiser: tabu search over the whole year at once.

Planning rotation after rotation exactly runs out of fresh group-mates early
(design.md section 3): the first rotations use up the easy meetings. This
module starts from any valid year (normally the rotation-by-rotation plan)
and swaps two students of one rotation at a time, scored against *all*
rotations, as in the social golfer literature (Dotú & Van Hentenryck 2005;
Triska & Musliu 2012).

Why a swap: exchanging the places of two students keeps every group shape
(pairs nested in groups, the trio, the big group), so only the hard rules
need checking. Every swap of every unlocked rotation is scored in one go with
numpy (a few matrix products on ``n x n`` arrays), so the search makes
thousands of moves a second on a class of 30.

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

The best plan is kept only when it is not worse than the input on any of the
benchmark figures (broken hard rules, repeated pairs, repeat-free rotations,
repeated group-mates i.e. mean distinct classmates, min distinct classmates,
lone girl/boy groups): the input is the first incumbent, so the optimiser
never returns anything worse than it got.

Anytime and deterministic: with a seed and an iteration budget
(``max_iters``) the result is always the same; with only a time limit the
result depends on how many iterations fit in the time (on a loaded machine,
fewer), but the path is the same, so a longer time never gives a worse plan.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..i18n import MakkerError
from ..metrics import compute, is_big_group, is_trio, lone_gender, meetings_again, repeat_free_limit, same_gender
from ..plan import Plan, Rotation
from ..rules import Rules, Weights
from ..students import Student
from .costs import BIG_TURN, REPEAT_GROUP, REPEAT_PAIR, TRIO_TURN, CostModel

NEVER = 1e11  # a never-together pair in one group: worse than everything else together
PREFIX = 4  # the prefix term weighs this many times a plain repeat
LONE_BOOST = 8  # a lone girl/boy weighs this many times CostModel's price in the search: the
# benchmark never accepts more of them than the input had, and the year's moves rarely remove one
TENURE = (2, 10)  # a moved student stays put for this many moves (random in the range)
BREAKOUT = 1  # while chasing, weigh the prefix conflicts up after BREAKOUT * n idle moves (0: never)
PERTURB = 4  # a restart makes n / PERTURB random swaps
STALL = 40  # moves without a better plan (times n) before a restart
IDLE = (5.0, 0.25)  # polishing stops after max(seconds, share of the time limit) without a better plan
CHASE_SHARE = 0.5  # of the budget spent chasing repeat-free rotations before polishing
EXACT_SHARE = 0.0  # of the time left after the chase, for re-planning the later rotations exactly
# (0 = off: on realistic n = 28 it beat the input on repeats but not on lone girl/boy groups)
POLISH_SLICE = 0.15  # share of the budget a polish gets before keeping one repeat-free rotation fewer
RETREAT_MOVES = 300  # ... and at least this many moves (times n), so short budgets do not give up early
POLISH_PREFIX = 20  # prefix weight while polishing: keep the repeat-free rotations clean
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

    def not_worse_than(self, other: "Figures") -> bool:
        return (
            self.broken_never <= other.broken_never
            and self.repeated_pairs <= other.repeated_pairs
            and self.repeat_free >= other.repeat_free
            and self.repeated_groupmates <= other.repeated_groupmates
            and self.min_classmates >= other.min_classmates
            and self.lone_groups <= other.lone_groups
        )

    def key(self) -> tuple:
        """Lexicographic order of what matters most (smaller is better)."""
        return (self.broken_never, self.repeated_pairs, -self.repeat_free,
                self.repeated_groupmates, self.lone_groups, -self.min_classmates)


@dataclass
class ImproveProgress:
    """Best figures so far, for a progress bar or a log line."""

    seconds: float
    iterations: int
    figures: Figures


@dataclass
class ImproveStats:
    iterations: int = 0
    seconds: float = 0.0
    stopped: str = ""  # "iterations" | "time" | "cancel" | "optimal" | "idle" | "nothing" | "worse" (the metrics rejected the result)
    start: Figures | None = None
    best: Figures | None = None
    improvements: list[tuple[float, int, int, int]] = field(default_factory=list)  # (s, iter, rf, repeats)
    restarts: int = 0
    seeded: bool = False  # started from a known perfect schedule
    chase_repeat_free: int | None = None  # best repeat-free rotations found while chasing
    final: Figures | None = None  # figures of the last search state (diagnostics)
    completed: Figures | None = None  # after re-planning the later rotations exactly

    @property
    def seconds_to_best(self) -> float:
        """Seconds from the start to the final figures (the last better plan)."""
        return self.improvements[-1][0] if self.improvements else 0.0


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
        self.never = np.array(cm.never, dtype=float)
        self.G0 = np.array(cm.G, dtype=float) + NEVER * self.never
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

        Invalid swaps (same pair, keep-together) are +inf. ``us`` defaults to
        every unlocked rotation.
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
        broken = 0.0
        for r in range(self.R):
            broken += float((S[r] * self.never).sum()) / 2
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
        if not pair_again.any() and (group_again is None or not group_again.any()):
            return None
        out = np.zeros((len(self.mutable), self.n), dtype=bool)
        pair_out = np.zeros_like(out)
        for u, r in enumerate(self.mutable):
            if pair_again.any():
                partners = self.PM[u] @ self.PM[u].T
                pair_out[u] = (partners * pair_again).sum(axis=1) > 0
            if group_again is not None and r < self.K:
                out[u] = (self.S[r] * group_again).sum(axis=1) > 0
        return out | pair_out, pair_out

    def set_prefix(self, K: int) -> None:
        if K != self.K:
            self.K = K
            self.rebuild()

    def load(self, u: int, rotation: Rotation) -> bool:
        """Put another rotation with the same group shapes into slot u (labels only; call rebuild)."""
        slots: dict[tuple, list[tuple[int, list[int]]]] = {}
        k = 0
        for g, group in enumerate(self.rotations[self.mutable[u]].groups):
            sizes = [len(p) for p in group]
            order = sorted(range(len(group)), key=lambda i: sizes[i])
            slots.setdefault(tuple(sorted(sizes)), []).append((g, [k + i for i in order]))
            k += len(group)
        grp, prn = self.grp[u].copy(), self.prn[u].copy()
        for group in rotation.groups:
            pairs = sorted(group, key=len)
            free = slots.get(tuple(len(p) for p in pairs))
            if not free:
                return False
            g, pair_slots = free.pop(0)
            for pair, k in zip(pairs, pair_slots):
                for sid in pair:
                    if sid not in self.index:
                        return False
                    grp[self.index[sid]], prn[self.index[sid]] = g, k
        self.grp[u], self.prn[u] = grp, prn
        return True

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


# -- the search ---------------------------------------------------------------

def improve_year(
    plan: Plan,
    students: Sequence[Student] | None = None,
    rules: Rules | None = None,
    weights: Weights | None = None,
    *,
    locked: int = 0,
    time_limit: float | None = 30.0,
    max_iters: int | None = None,
    seed: int = 0,
    progress: Callable[[ImproveProgress], None] | None = None,
    cancel: threading.Event | None = None,
    construct: bool = True,
) -> tuple[Plan, ImproveStats]:
    """Improve a whole year by tabu search; return the best plan and what happened.

    Rotations ``1..locked`` never change (nor rotations whose students differ
    from ``students``). The result is never worse than ``plan`` on any
    benchmark figure (see :class:`Figures`). With ``construct`` the search
    starts from a known design where one fits (:func:`seed_rotations`).
    """
    t0 = time.monotonic()
    students = list(students if students is not None else plan.students)
    search = YearSearch(students, rules, weights, plan.rotations, locked, seed)
    stats = ImproveStats()
    if not search.mutable or search.n < 4 or len(plan.rotations) < 2:
        stats.stopped = "nothing"
        stats.start = stats.best = search.figures()
        return plan, stats
    baseline = search.figures()
    seeded = seed_rotations(search, plan.rotations, locked, baseline, time_limit=time_limit, seed=seed,
                            cancel=cancel) if construct else None
    if seeded is not None:
        search = YearSearch(students, rules, weights, seeded, locked, seed)
        stats.seeded = True
    runner = _Tabu(search, t0, time_limit, max_iters, progress, cancel, stats, baseline, seeded is not None, seed)
    best = runner.run()
    stats.seconds = time.monotonic() - t0
    if best is None:
        return plan, stats
    out = plan.with_rotations(search.to_rotations(best))
    if not graded(out, search.rules).not_worse_than(graded(plan, search.rules)):
        stats.stopped = "worse"
        return plan, stats
    return out, stats


def graded(plan: Plan, rules: Rules | None = None) -> Figures:
    """The benchmark figures of ``plan`` as :mod:`makker.metrics` counts them (the "never worse" gate)."""
    m = compute(plan, rules)
    return Figures(
        broken_never=m.broken_never,
        repeated_pairs=m.repeated_pairs,
        repeat_free=m.repeat_free_rotations,
        repeated_groupmates=m.repeated_groupmates,
        min_classmates=m.min_classmates,
        lone_groups=m.lone_gender_groups,
    )


SEED_SHARE = 0.5  # of the optimiser's budget, at most, for completing the seed candidates exactly
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
    """The known designs that fit the class: a balanced one first when the gender rules need it."""
    from .construct import balanced_classes, perfect_classes

    n, out = search.n, []
    girls, boys = int((search.gen == GEN_K).sum()), int((search.gen == GEN_M).sum())
    if search.has_gender and n % 4 == 0 and girls == boys == n // 2:
        classes = balanced_classes(n // 4)
        if classes is not None:
            out.append(Design(classes, girls))
    classes = perfect_classes(n)
    if classes is not None:
        out.append(Design(classes))
    return out


def seed_rotations(search: YearSearch, rotations: Sequence[Rotation], locked: int, baseline: Figures | None = None,
                   *, time_limit: float | None = None, seed: int = 0,
                   cancel: threading.Event | None = None) -> list[Rotation] | None:
    """The best year that starts with a known design, if one fits and does not add lone girls or boys.

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
        if search.lone_groups(clean) > base.lone_groups:
            continue  # the gender rules forbid this design
        for keep in sorted({len(clean), len(clean) - 1}, reverse=True):
            if keep >= 2:
                starts.append(clean[:keep])
    if not starts:
        return None
    todo = sum(len(rotations) - len(s) for s in starts)
    per = (min(SEED_SOLVE[1], SEED_SHARE * time_limit / max(1, todo)) if time_limit else 0.0)
    best = None
    for start in starts:
        rots = _complete(search, rotations, start, per, seed, cancel)
        if rots is None:  # cancelled
            break
        fig = YearSearch(search.students, search.rules, search.model.weights, rots).figures()
        rank = (not fig.not_worse_than(base), fig.key())
        if fig.lone_groups <= base.lone_groups and fig.broken_never <= base.broken_never and (
                best is None or rank < best[0]):
            best = (rank, rots)
    return best[1] if best else None


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


def _complete(search: YearSearch, rotations: Sequence[Rotation], start: list[tuple], per: float, seed: int,
              cancel) -> list[Rotation] | None:
    """The design's rotations first, then the rest planned one by one given them (None: cancelled)."""
    from .rotation import plan_rotation
    from .solve import SolveCancelled
    from .year import quick_rotation

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
                                         seed=seed, cancel=cancel).rotation
            except SolveCancelled:
                return None
            except MakkerError:
                rotation = None
        if rotation is None:
            rotation = quick_rotation(students, rules, weights, out, old.number, seed)
        out.append(Rotation(old.number, rotation.groups, old.start, old.end))
    return out


NEVER_INT = 10 ** 12
LONE_FIRST = 10 ** 6  # placing students on a design: a lone girl/boy weighs more than the rest


def _place_students(search: YearSearch, classes, girls: int | None = None) -> list[int]:
    """Point -> student index, by first-improvement swaps on the design's soft cost.

    With ``girls`` (a balanced design) girls go on points ``0..girls-1`` and
    only students of the same gender swap places.
    """
    cm = search.model
    n = search.n
    if girls is None:
        label = list(range(n))
    else:
        label = [i for i in range(n) if search.gen[i] == GEN_K] + [i for i in range(n) if search.gen[i] != GEN_K]
    blocks = [b for cls in classes for b in cls]
    of_point = [[i for i, b in enumerate(blocks) if p in b] for p in range(n)]
    cache: dict[tuple[int, ...], int] = {}

    def block_cost(i: int) -> int:
        key = tuple(sorted(label[p] for p in blocks[i]))
        if key not in cache:
            col = cm.column(list(key))
            lone = _lone(np.bincount(search.gen[list(key)], minlength=3)) if cm.lone_cost else 0
            cache[key] = NEVER_INT if col is None else col[0] + LONE_FIRST * int(lone)
        return cache[key]

    never_classes = lambda: sum(  # noqa: E731
        any(block_cost(i) >= NEVER_INT for i in range(k * len(classes[0]), (k + 1) * len(classes[0])))
        for k in range(len(classes)))
    for _ in range(20):  # passes
        improved = False
        for p in range(n):
            for q in range(p + 1, n):
                if girls is not None and (p < girls) != (q < girls):
                    continue
                touched = sorted(set(of_point[p]) | set(of_point[q]))
                before = (never_classes(), sum(block_cost(i) for i in touched))
                label[p], label[q] = label[q], label[p]
                after = (never_classes(), sum(block_cost(i) for i in touched))
                if after < before:
                    improved = True
                else:
                    label[p], label[q] = label[q], label[p]
        if not improved:
            break
    return label


class _Tabu:
    """Tabu search with a moving prefix target and perturbation on stagnation."""

    def __init__(self, search: YearSearch, t0, time_limit, max_iters, progress, cancel, stats,
                 baseline: Figures | None = None, seeded: bool = False, seed: int = 0):
        self.s = search
        self.seed = seed
        self.baseline, self.seeded = baseline, seeded
        self.t0, self.time_limit, self.max_iters = t0, time_limit, max_iters
        self.progress, self.cancel, self.stats = progress, cancel, stats
        n = search.n
        self.tenure = TENURE
        self.stall_limit = STALL * n
        self.target_cap = min(search.R, search.repeat_free_limit())
        self.locked = min(search.mutable)

    def _stop(self, it: int) -> str:
        if self.max_iters is not None and it >= self.max_iters:
            return "iterations"
        if self.cancel is not None and self.cancel.is_set():
            return "cancel"
        now = time.monotonic()
        if self.time_limit is not None and now - self.t0 >= self.time_limit:
            return "time"
        if (self.time_limit is not None and self.polishing
                and now - self.last_better >= max(IDLE[0], IDLE[1] * self.time_limit)):
            return "idle"
        return ""

    def _target(self, rf: int) -> int:
        if rf < self.locked:  # the repeat is in a locked rotation: nothing to chase
            return 0
        return min(rf + 1, self.target_cap) if rf < self.target_cap else rf

    def run(self):
        """Chase the prefix (more repeat-free rotations), then polish the whole year.

        Chase: the prefix target K moves up whenever the current plan's first
        K rotations are clean, whatever the other figures. Polish (after
        ``CHASE_SHARE`` of the budget, or when K reached the bound): back to
        the plan with the most repeat-free rotations, whose prefix is now
        weighed heavily, and every rotation is tuned for the year's repeats and
        soft rules until it beats the input on every figure.
        """
        s, stats = self.s, self.stats
        start = s.figures()
        base = self.baseline or start
        stats.start = stats.best = base
        self.start_fig = base
        self.best_key, self.best_snap = base.key() + (np.inf if self.seeded else s.cost,), None
        self.chase_key, self.chase_snap = (start.broken_never, -start.repeat_free, np.inf), s.snapshot()
        self.polishing = self.done = False
        self.last_better = time.monotonic()
        self.it, self.polish_started, self.polish_it = 0, 0.0, 0
        s.set_mode(True, self._target(start.repeat_free))
        if self.seeded or start.repeat_free >= self.target_cap:
            self._start_polish()
            self._consider(0)
        phase_best = s.cost
        it = stall = 0
        self._report(it, start)
        while True:
            stop = self._stop(it)
            if stop:
                stats.stopped = stop
                break
            if self.done:
                stats.stopped = "optimal"
                break
            self.it = it
            if not self.polishing and self._chase_over(it):
                self._start_polish()
                phase_best, stall = s.cost, 0
            elif self.polishing and self._retreat(it):
                phase_best, stall = s.cost, 0
            it += 1
            u, a, b, d = self._choose(it, phase_best)
            if u < 0:
                stats.stopped = "optimal"
                break
            s.swap(u, a, b)
            s.cost += d
            lo, hi = self.tenure
            t = it + int(s.rng.integers(lo, hi + 1))
            s.tabu[u, a] = s.tabu[u, b] = t
            if s.cost < phase_best - 1e-6:
                phase_best, stall = s.cost, 0
                if self._consider(it):
                    phase_best = s.cost
            else:
                stall += 1
                if BREAKOUT and not self.polishing and stall % (BREAKOUT * s.n) == 0:
                    s.breakout()
                    phase_best = s.cost
                if stall >= self.stall_limit:
                    self._perturb(self.chase_snap)
                    phase_best, stall = s.cost, 0
        stats.iterations = it
        stats.final = s.figures()
        return self.best_snap

    def _consider(self, it: int) -> bool:
        """Record a better plan; True when the prefix target moved (costs changed)."""
        s, stats = self.s, self.stats
        fig = s.figures()
        year_cost = s.year_cost()
        key = fig.key() + (year_cost,)
        if fig.not_worse_than(self.start_fig) and key < self.best_key:
            self.best_key, self.best_snap, stats.best = key, s.snapshot(), fig
            self.last_better = time.monotonic()
            floor = s.cost_floor()
            self.done = floor is not None and year_cost <= floor and fig.repeat_free >= self.target_cap
            stats.improvements.append((round(time.monotonic() - self.t0, 2), it,
                                       fig.repeat_free, fig.repeated_groupmates))
            self._report(it, fig)
        if self.polishing:
            ckey = key
        else:
            ckey = (fig.broken_never, -fig.repeat_free, s.cost)
        if ckey < self.chase_key:
            self.chase_key, self.chase_snap = ckey, s.snapshot()
        if not self.polishing:
            new_k = self._target(fig.repeat_free)
            if new_k > s.K:
                s.set_prefix(new_k)
                return True
            if fig.repeat_free >= self.target_cap:
                self._start_polish()
                return True
        return False

    def _spent(self, it: int) -> float:
        """Share of the budget used (0 when there is no budget: only cancel stops)."""
        if self.max_iters is not None:
            return it / max(1, self.max_iters)
        if self.time_limit is not None:
            return (time.monotonic() - self.t0) / max(1e-9, self.time_limit)
        return 0.0

    def _chase_over(self, it: int) -> bool:
        return self._spent(it) >= CHASE_SHARE

    def _retreat(self, it: int) -> bool:
        """Polishing in vain: keep one repeat-free rotation fewer, which leaves more freedom.

        True when the prefix target was lowered. The best plan can only pass
        the figures of the input, so a smaller gain that passes beats none.
        """
        s = self.s
        if self._spent(it) - self.polish_started < POLISH_SLICE or it - self.polish_it < RETREAT_MOVES * s.n:
            return False
        self.polish_started, self.polish_it = self._spent(it), it
        if self.stats.best.repeat_free >= s.K or s.K <= max(self.start_fig.repeat_free, self.locked):
            return False
        s.set_mode(False, s.K - 1)
        fig = s.figures()
        self.chase_key = fig.key() + (s.year_cost(),)
        self.chase_snap = s.snapshot()
        return True

    def _start_polish(self) -> None:
        s = self.s
        self.polishing = True
        self.last_better = time.monotonic()
        s.restore(self.chase_snap)
        rf = s.figures().repeat_free
        self.stats.chase_repeat_free = rf
        s.set_mode(False, rf if rf >= self.locked else 0)
        self._complete_exactly(s.K)
        self.polish_started, self.polish_it = self._spent(self.it), self.it
        fig = s.figures()
        self.chase_key = fig.key() + (s.year_cost(),)
        self.chase_snap = s.snapshot()

    def _complete_exactly(self, K: int) -> None:
        """Re-plan the rotations after the chased prefix with the exact rotation model.

        The exact model is what rotation-by-rotation planning does best, and
        the polish alone rarely matches it on the later rotations. Only with a
        time budget (an iteration budget stays deterministic and solver-free).
        """
        s = self.s
        later = [u for u, r in enumerate(s.mutable) if r >= K]
        if not later or self.time_limit is None or self.max_iters is not None or K <= 0:
            return
        share = (self.time_limit - (time.monotonic() - self.t0)) * EXACT_SHARE / len(later)
        if share < 1.0:
            return
        from .rotation import plan_rotation
        from .solve import SolveCancelled

        rots = s.to_rotations(s.snapshot())
        weights = s.model.weights
        try:
            for u in later:
                r = s.mutable[u]
                res = plan_rotation(s.students, s.rules, weights, history=rots[:r], number=r + 1,
                                    time_limit=share, seed=self.seed, cancel=self.cancel)
                if not s.load(u, res.rotation):
                    break
                rots[r] = res.rotation
        except (SolveCancelled, MakkerError):
            pass
        s.rebuild()
        self.stats.completed = s.figures()
        self._consider(self.it)

    def _choose(self, it: int, phase_best: float):
        s = self.s
        masks = s.conflict_mask()
        us = np.arange(len(s.mutable))
        if masks is not None:  # only moves of students in conflict (repeats to remove)
            us = np.flatnonzero(masks[0].any(axis=1))
            if not len(us):  # the conflicts are all in locked rotations
                masks, us = None, np.arange(len(s.mutable))
        delta = s.deltas(us)
        if masks is not None:
            focus, pair_focus = masks[0][us], masks[1][us]
            grp = s.grp[us]
            inside = grp[:, :, None] == grp[:, None, :]
            ok = (focus[:, :, None] | focus[:, None, :]) & (
                ~inside | pair_focus[:, :, None] | pair_focus[:, None, :])
            delta = np.where(ok, delta, np.inf)
        free = s.tabu[us] <= it
        allowed = (free[:, :, None] & free[:, None, :]) | (s.cost + delta < phase_best - 1e-6)
        masked = np.where(allowed, delta, np.inf)
        m = masked.min()
        if not np.isfinite(m) or m >= NEVER / 2:  # everything tabu: the move whose tabu ends first
            ends = np.maximum(s.tabu[us][:, :, None], s.tabu[us][:, None, :])
            ends = np.where(np.isfinite(delta) & (delta < NEVER / 2), ends, np.iinfo(np.int64).max)
            masked = np.where(ends == ends.min(), delta, np.inf)
            m = masked.min()
            if not np.isfinite(m) or m >= NEVER / 2:
                return -1, 0, 0, 0.0
        delta = masked
        ties = np.flatnonzero(delta == m)
        pick = int(ties[s.rng.integers(len(ties))]) if len(ties) > 1 else int(ties[0])
        i, rest = divmod(pick, s.n * s.n)
        a, b = divmod(rest, s.n)
        return int(us[i]), a, b, float(m)

    def _perturb(self, snap) -> None:
        """Back to the best plan (or stay), then a few random valid swaps."""
        s = self.s
        self.stats.restarts += 1
        if snap is not None:
            s.restore(snap)
        count = max(2, s.n // PERTURB)
        us = np.arange(len(s.mutable))
        if not self.polishing and s.K > 0:  # chasing: shake the prefix only
            us = np.array([u for u, r in enumerate(s.mutable) if r < s.K] or list(us))
        for _ in range(count):
            delta = s.deltas(us)
            ok = np.flatnonzero(np.isfinite(delta) & (delta < NEVER / 2))
            if not len(ok):
                break
            pick = int(ok[s.rng.integers(len(ok))])
            i, rest = divmod(pick, s.n * s.n)
            u = int(us[i])
            a, b = divmod(rest, s.n)
            s.swap(u, a, b)
            s.cost += float(delta.flat[pick])

    def _report(self, it: int, fig: Figures) -> None:
        if self.progress is not None:
            self.progress(ImproveProgress(time.monotonic() - self.t0, it, fig))
