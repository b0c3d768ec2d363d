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
numpy, so the search makes thousands of moves a second on a class of 30.

The objective and the move scores are the search state's
(:mod:`makker.planner.search_state`); a year can start from a known design
(:mod:`makker.planner.seeding`) or, where none fits the class (a trio, a
group of three pairs), from a short chase whose repeat-free rotations come
first, the rest of the year planned exactly given them (:func:`chase_start`).

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

from ..plan import Plan
from ..rules import Rules, Weights
from ..students import Student
from .search_state import NEVER, Figures, YearSearch, graded
from .seeding import SEED_SOLVE, _complete, _per_rotation, seed_rotations, shape_of

TENURE = (2, 10)  # a moved student stays put for this many moves (random in the range)
BREAKOUT = 1  # while chasing, weigh the prefix conflicts up after BREAKOUT * n idle moves (0: never)
PERTURB = 4  # a restart makes n / PERTURB random swaps
STALL = 40  # moves without a better plan (times n) before a restart
IDLE = (5.0, 0.25)  # polishing stops after max(seconds, share of the time limit) without a better plan
CHASE_SHARE = 0.5  # of the budget spent chasing repeat-free rotations before polishing
POLISH_SLICE = 0.15  # share of the budget a polish gets before keeping one repeat-free rotation fewer
GENDER_SHARE = 0.0  # of the budget for a gender-preserving search first, when the class has known genders
# (0: off; 0.5 measured no gain on `varied` classes, benchmarks/README.md "Tried and rejected")
SEED_POLISH_SHARE = 0.5  # of the budget left for the search from a design start that fails the gate; the
# search from the input gets the rest
RETREAT_MOVES = 300  # ... and at least this many moves (times n), so short budgets do not give up early
CHASE_START = (0.2, 0.35)  # shares of the budget for a start from a chase (where no design fits): the chase
# for repeat-free rotations, and the exact planning of the rest of the year given them
CHASE_LONE = 8  # that chase weighs a lone girl/boy this many times more and also moves the students of such groups
CHASE_FIT = 0.8  # the chase and the exact planning after it take at most this share of the budget together


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
    phases: list[str] = field(default_factory=list)  # per search: moves, chase, and the repeat-free
    # rotations of its result ("-": nothing better than the input; "gate": rejected by the metrics)

    @property
    def seconds_to_best(self) -> float:
        """Seconds from the start to the final figures (the last better plan)."""
        return self.improvements[-1][0] if self.improvements else 0.0


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
    kind = "design"
    if seeded is None and construct and time_limit is not None:
        seeded = chase_start(search, plan.rotations, locked, baseline, time_limit=time_limit, seed=seed,
                             cancel=cancel)
        kind = "chase"
    stats.seeded = seeded is not None
    weights = search.model.weights
    reference = graded(plan, search.rules, weights)
    phases = _phases(search, seeded, plan.rotations, students, rules, weights, locked, seed, baseline,
                     split=time_limit is not None or max_iters is not None)
    chosen: tuple[tuple, Plan] | None = None
    rejected = False
    report = _better_only(progress)
    for k, (phase, from_seed, share) in enumerate(phases):
        share = 1.0 if k == len(phases) - 1 else share
        p0 = time.monotonic()
        left = None if time_limit is None else max(0.0, time_limit - (p0 - t0))
        budget = None if left is None else left * share
        iters = None if max_iters is None else max(1, int((max_iters - stats.iterations) * share))
        part = ImproveStats()
        runner = _Tabu(phase, p0, budget, iters, report, cancel, part, baseline, from_seed, seed, origin=t0)
        best = runner.run()
        _merge(stats, part, k == 0)
        result = "-"
        if best is not None:
            out = plan.with_rotations(phase.to_rotations(best))
            fig = graded(out, search.rules, weights)
            result = str(fig.repeat_free)
            if fig.not_worse_than(reference):
                if chosen is None or fig.key() < chosen[0]:
                    chosen = (fig.key(), out)
                    stats.best = fig
            else:
                rejected, result = True, "gate"
        stats.phases.append(f"{'gender' if phase.keep_gender else 'all'}{'+' + kind if from_seed else ''}:{part.iterations}"
                            f"/chase={part.chase_repeat_free}/{result}")
        if cancel is not None and cancel.is_set():
            break
    stats.seconds = time.monotonic() - t0
    if chosen is None:
        if rejected:
            stats.stopped = "worse"
        return plan, stats
    return chosen[1], stats


def chase_start(search: YearSearch, rotations, locked: int, baseline: Figures, *, time_limit: float,
                seed: int = 0, cancel: threading.Event | None = None):
    """A year that starts with more repeat-free rotations than the input, found by a short chase, or None.

    For classes no known design fits (a trio, a group of three pairs, any
    girl share). The chase (a part of the budget) swaps students of the
    input's rotations until the first rotations have no repeated group-mate,
    weighing lone girls/boys ``CHASE_LONE`` times more and moving their
    students too: the year search rarely removes a lone girl or boy later.
    Its repeat-free rotations come first; the rest of the year is planned
    exactly given them, which keeps the year's repeats and lone girls/boys
    as low as rotation by rotation does (`varied` 26-31 in
    benchmarks/README.md). Only when every rotation can be solved exactly
    for at least ``SEED_SOLVE[0]`` seconds, nothing is locked and no
    keep-together rule applies (as for a design start).
    """
    R = len(rotations)
    shape = shape_of(search.n, rotations)
    if (locked or search.static or R < 3 or shape is None or any(search.rules.keep.values())
            or baseline.repeat_free >= min(R, search.repeat_free_limit())):
        return None
    complete_budget = chase_completion_budget(R, baseline.repeat_free, time_limit)
    if complete_budget is None:
        return None
    chase = YearSearch(search.students, search.rules, search.model.weights, rotations, locked, seed)
    chase.lone_cost *= CHASE_LONE
    chase.lone_focus = True
    chase.rebuild()
    runner = _Tabu(chase, time.monotonic(), CHASE_START[0] * time_limit, None, None, cancel, ImproveStats(),
                   chase.figures(), seed=seed, chase_only=True)
    runner.run()
    if cancel is not None and cancel.is_set():
        return None
    chase.restore(runner.chase_snap)
    rf = chase.figures().repeat_free
    if rf <= baseline.repeat_free:
        return None
    prefix = [rot.groups for rot in chase.to_rotations()[:rf]]
    per = _per_rotation(complete_budget, [max(1, R - rf)])
    return _complete(search, rotations, prefix, per, seed, cancel, shape)


def chase_completion_budget(rotations: int, repeat_free: int, time_limit: float) -> float | None:
    """Seconds for planning the year exactly after a chase from ``repeat_free`` rotations, or None: too little time.

    A chase pays only when it gains a rotation, and every rotation after that
    needs an exact solve of ``SEED_SOLVE[0]`` seconds or more (the quick
    planner adds lone girls/boys, and the start then fails the gate). At least
    ``CHASE_START[1]`` of the budget, more when those solves need it; with the
    chase no more than ``CHASE_FIT`` of it, so the search from the start has time.
    """
    need = max(CHASE_START[1] * time_limit, SEED_SOLVE[0] * max(1, rotations - repeat_free - 1))
    if CHASE_START[0] * time_limit + need > CHASE_FIT * time_limit:
        return None
    return need


def _phases(search: YearSearch, seeded, rotations, students, rules, weights, locked, seed,
            baseline: Figures, split: bool = True) -> list[tuple[YearSearch, bool, float]]:
    """The searches to run, each as (state, started from a design, share of the budget left).

    From the design start when there is one; when that start is worse than
    the input on some figure (more lone girls or boys: the search removes
    them, or fails the gate) the search from the input follows with the rest.
    With ``GENDER_SHARE`` and known genders a gender-preserving search comes
    first (only swaps of two girls, two boys or two students of unknown
    gender, so no group's gender counts change and the lone girl/boy figure
    can never get worse), from the design start when it has no more lone
    girls or boys than the input, else from the input. Without a budget to
    split (only cancel stops) only one search.
    """
    out: list[tuple[YearSearch, bool, float]] = []
    first = YearSearch(students, rules, weights, seeded, locked, seed) if seeded is not None else None
    if search.has_gender and GENDER_SHARE > 0 and split:
        if first is not None and first.figures().lone_groups <= baseline.lone_groups:
            keep, from_seed = YearSearch(students, rules, weights, seeded, locked, seed), True
        else:
            keep, from_seed = YearSearch(students, rules, weights, rotations, locked, seed), False
        keep.keep_gender = True
        out.append((keep, from_seed, GENDER_SHARE))
        if GENDER_SHARE >= 1:
            return out
    if first is None:
        return out + [(search, False, 1.0)]
    out.append((first, True, SEED_POLISH_SHARE))
    if split and not first.figures().not_worse_than(baseline):
        out.append((search, False, 1.0))
    return out


def _merge(total: ImproveStats, part: ImproveStats, first: bool) -> None:
    """Add one phase's counts to the whole run's."""
    total.iterations += part.iterations
    total.restarts += part.restarts
    total.stopped = part.stopped
    total.improvements += part.improvements
    total.final = part.final
    if first:
        total.start = total.best = part.start
    if part.chase_repeat_free is not None:
        total.chase_repeat_free = max(total.chase_repeat_free or 0, part.chase_repeat_free)


def _better_only(progress):
    """Forward only figures better than the best reported so far (the phases start over)."""
    if progress is None:
        return None
    best: list[tuple] = []

    def forward(p: ImproveProgress) -> None:
        if not best or p.figures.key() < best[0]:
            best[:] = [p.figures.key()]
            progress(p)

    return forward


class _Tabu:
    """Tabu search with a moving prefix target and perturbation on stagnation."""

    def __init__(self, search: YearSearch, t0, time_limit, max_iters, progress, cancel, stats,
                 baseline: Figures | None = None, seeded: bool = False, seed: int = 0, origin: float | None = None,
                 chase_only: bool = False):
        self.s = search
        self.chase_only = chase_only  # never polish: stop when the chase reaches the bound
        self.origin = t0 if origin is None else origin  # seconds in the stats and progress count from here
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
        self._report(it, stats.best)  # the best known plan: a seeded start may be worse than the input
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
            stats.improvements.append((round(time.monotonic() - self.origin, 2), it,
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
                if self.chase_only:
                    self.done = True
                    return False
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
        return not self.chase_only and self._spent(it) >= CHASE_SHARE

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
        self.polish_started, self.polish_it = self._spent(self.it), self.it
        fig = s.figures()
        self.chase_key = fig.key() + (s.year_cost(),)
        self.chase_snap = s.snapshot()

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
            self.progress(ImproveProgress(time.monotonic() - self.origin, it, fig))
