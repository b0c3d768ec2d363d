"""Why a preferably-apart pair sits in one group: what keeping it apart would have cost.

A «helst ikke sammen» rule is soft: the planner weighs it against the other
sliders. When a plan still puts such a pair in one group, the coordinator
should see the price of the alternative, not guess. For each rotation where it
happens, every way of separating the pair by one swap (one of the two trades
places with a student of another group; the group shapes stay as they are) is
graded with :func:`makker.metrics.rotation_metrics` over the whole year, the one
meaning of every rule. Swaps that break a rule that must hold (never-together,
keep-together, a repeated pair partner) are not alternatives. The cheapest
alternative by the sliders is reported as "how many more" of each goal it
would miss; if there is none, the pair cannot be separated within the rules;
if one costs nothing, the planner simply did not find it (more time helps).

Nothing here names a student or a pair; the lines belong with the other
preferably-apart lines, which only the coordinator sees.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from .i18n import t
from .metrics import RotationMetrics, avoidable_same_gender, rotation_metrics
from .plan import Plan, Rotation
from .rules import Rules, Weights

# what separating the pair may cost: (kind, its slider, count per rotation)
COSTS: tuple[tuple[str, str, Callable[[RotationMetrics], int]], ...] = (
    ("repeat_group", "repeat", lambda r: r.repeated_groupmates),
    ("lone_girl", "gender", lambda r: r.lone_girl_groups),
    ("lone_boy", "gender", lambda r: r.lone_boy_groups),
    ("unmixed", "gender", avoidable_same_gender),
    ("same_school", "school", lambda r: r.same_school_pairs),
)
MOST = 6  # pairs explained at most (each costs one grading of the year per possible swap)


@dataclass(frozen=True)
class ApartReason:
    """What the cheapest way to separate one preferably-apart pair in one rotation would cost."""

    rotation: int
    costs: tuple[tuple[str, int], ...] = ()  # (kind, how many more), kinds whose slider is above 0
    blocked: bool = False  # no swap separates the pair within the rules that must hold

    def line(self, lang: str = "nb") -> str:
        if self.blocked:
            return t("report.why_apart_blocked", lang, rotation=self.rotation)
        if not self.costs:
            return t("report.why_apart_free", lang, rotation=self.rotation)
        parts = [t(f"report.why_{kind}", lang, count=count) for kind, count in self.costs]
        joined = parts[0] if len(parts) == 1 else t("metrics.list_and", lang, first=", ".join(parts[:-1]),
                                                    last=parts[-1])
        return t("report.why_apart", lang, rotation=self.rotation, costs=joined)


def _totals(per_rotation: list[RotationMetrics]) -> dict[str, int]:
    out = {kind: sum(int(count(r)) for r in per_rotation) for kind, _, count in COSTS}
    for name in ("broken_never", "repeated_pairs", "broken_apart"):
        out[name] = sum(getattr(r, name) for r in per_rotation)
    return out


def _swapped(rotation: Rotation, a: str, b: str) -> Rotation:
    swap = {a: b, b: a}
    groups = tuple(tuple(tuple(swap.get(s, s) for s in pair) for pair in group) for group in rotation.groups)
    return Rotation(rotation.number, groups, rotation.start, rotation.end)


def _keeps_hold(rotation: Rotation, original: Rotation, rules: Rules) -> bool:
    """The keep-together pairs the plan has in this rotation are still pairs (one whose student
    has left is not there to keep)."""
    pairs, before = rotation.pair_links(), original.pair_links()
    return all(p in pairs for p in rules.keep.get(rotation.number, ()) if p in before)


def _alternatives(plan: Plan, index: int, pair: frozenset[str]) -> Iterator[Plan]:
    rotation = plan.rotations[index]
    group_of = rotation.group_of()
    for mover in sorted(pair):
        for other in rotation.members():
            if group_of[other] != group_of[mover]:
                rotations = list(plan.rotations)
                rotations[index] = _swapped(rotation, mover, other)
                yield replace(plan, rotations=rotations, notes=[])


def _price(before: dict[str, int], after: dict[str, int], weights: Weights) -> float:
    return sum(float(getattr(weights, slider)) * (after[kind] - before[kind]) for kind, slider, _ in COSTS)


def reason(plan: Plan, rules: Rules, weights: Weights, index: int, pair: frozenset[str],
           before: dict[str, int] | None = None) -> ApartReason:
    """The cheapest separation of ``pair`` in ``plan.rotations[index]`` (see module docstring);
    ``before``: the plan's own totals, when the caller has them."""
    before = before if before is not None else _totals(rotation_metrics(plan, rules))
    best: tuple[float, dict[str, int]] | None = None
    for alternative in _alternatives(plan, index, pair):
        if not _keeps_hold(alternative.rotations[index], plan.rotations[index], rules):
            continue
        after = _totals(rotation_metrics(alternative, rules))
        if any(after[name] > before[name] for name in ("broken_never", "repeated_pairs")):
            continue
        if after["broken_apart"] >= before["broken_apart"]:  # separating it put another pair together
            continue
        price = _price(before, after, weights)
        if best is None or price < best[0]:
            best = (price, after)
    number = plan.rotations[index].number
    if best is None:
        return ApartReason(number, blocked=True)
    costs = tuple((kind, best[1][kind] - before[kind]) for kind, slider, _ in COSTS
                  if float(getattr(weights, slider)) > 0 and best[1][kind] > before[kind])
    return ApartReason(number, costs)


def apart_reasons(plan: Plan, rules: Rules | None = None, weights: Weights | None = None) -> list[ApartReason]:
    """One reason per rotation and preferably-apart pair sharing a group there (the first ``MOST``)."""
    rules = rules or Rules()
    weights = weights or Weights()
    if not rules.apart or float(weights.apart) <= 0:
        return []
    return list(_cached(_fingerprint(plan, rules, weights), plan, rules, weights))


def _fingerprint(plan: Plan, rules: Rules, weights: Weights) -> tuple:
    """Everything a reason depends on: the same plan is explained once, whatever the page language."""
    students = tuple((s.id, s.gender, s.school) for s in plan.students)
    rotations = tuple((r.number, r.groups) for r in plan.rotations)
    keep = tuple(sorted((n, tuple(sorted(map(tuple, map(sorted, ps))))) for n, ps in rules.keep.items()))
    frozen = lambda pairs: tuple(sorted(tuple(sorted(p)) for p in pairs))  # noqa: E731
    return (students, rotations, frozen(rules.never), frozen(rules.apart), keep,
            (weights.gender, weights.school, weights.repeat, weights.apart))


_CACHE: dict[tuple, tuple[ApartReason, ...]] = {}
_CACHE_LOCK = threading.Lock()  # a plan's thread and the page may ask at the same time


def _cached(key: tuple, plan: Plan, rules: Rules, weights: Weights) -> tuple[ApartReason, ...]:
    with _CACHE_LOCK:
        if key in _CACHE:
            return _CACHE[key]
    reasons = tuple(_explain(plan, rules, weights))
    with _CACHE_LOCK:
        while len(_CACHE) >= 16:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = reasons
    return reasons


def _explain(plan: Plan, rules: Rules, weights: Weights) -> list[ApartReason]:
    out: list[ApartReason] = []
    before = _totals(rotation_metrics(plan, rules))
    for index, rotation in enumerate(plan.rotations):
        together = rotation.group_links() & rules.apart  # what metrics counts as broken_apart
        for pair in sorted(together, key=sorted):
            if len(out) < MOST:
                out.append(reason(plan, rules, weights, index, pair, before))
    return out
