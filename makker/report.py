"""What a plan did not reach and what the planner's choice cost, as counts.

Three things the coordinator reads after «Lag plan» or ``makker plan``:

- :func:`missed_goals`: the goals the plan did not fully reach, one entry per
  kind (never-together, repeated pair partners, preferably-apart, repeated
  group-mates, lone girl, lone boy, same-gender pairs, same previous school),
  most important first, with the total and the rotations it happens in.
  Nothing about a soft rule whose weight (slider) is 0.
- :func:`tradeoff`: what the current plan's choice costs, in one sentence
  (rotations without a repeat, lone girls per rotation, ...), one part per
  slider that is above 0 and visible.
- :class:`RunClock`: follows the planner's progress callbacks, keeps the best
  figures so far (always both from one and the same plan) and says how many
  seconds it took until the final figures were reached.

Nothing here names a student or a pair of a rule; ``private=False`` (the
``makker plan`` console) leaves out the rules' wording as well.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .apart_reasons import apart_reasons
from .i18n import t
from .metrics import PlanMetrics, RotationMetrics, avoidable_same_gender, compute
from .plan import Plan
from .rules import Rules, Weights

# (kind, its line, the weight that switches it off at 0 or None, count per rotation, names a rule)
KINDS: tuple[tuple[str, str, str | None, Callable[[RotationMetrics], int], bool], ...] = (
    ("never", "report.never", None, lambda r: r.broken_never, True),
    ("repeat_pair", "report.repeat_pair", None, lambda r: r.repeated_pairs, False),
    ("apart", "report.apart", "apart", lambda r: r.broken_apart, True),
    ("repeat_group", "report.repeat_group", "repeat", lambda r: r.repeated_groupmates, False),
    ("lone_girl", "report.lone_girl", "gender", lambda r: r.lone_girl_groups, False),
    ("lone_boy", "report.lone_boy", "gender", lambda r: r.lone_boy_groups, False),
    ("unmixed", "report.unmixed", "gender", avoidable_same_gender, False),
    ("same_school", "report.same_school", "school", lambda r: r.same_school_pairs, False),
)
RULE_KINDS = frozenset(kind for kind, _, _, _, rule in KINDS if rule)
_LINE = {kind: key for kind, key, _, _, _ in KINDS}
WEIGHTS = ("gender", "school", "repeat", "apart")  # every slider


@dataclass(frozen=True)
class Missed:
    """One goal the plan did not fully reach: how often, and in which rotations."""

    kind: str
    count: int
    rotations: tuple[int, ...]  # rotation numbers where it happens (count > 0)
    of: int  # rotations in the plan

    def line(self, lang: str = "nb") -> str:
        if len(self.rotations) == self.of and self.of > 2:
            when = t("report.when_all", lang)
        else:
            when = t("report.when", lang, count=len(self.rotations), rotations=_and_list(list(self.rotations), lang))
        return t(_LINE[self.kind], lang, count=self.count, when=when)


def _and_list(numbers: list[int], lang: str) -> str:
    words = [str(n) for n in numbers]
    if len(words) <= 1:
        return "".join(words)
    return t("metrics.list_and", lang, first=", ".join(words[:-1]), last=words[-1])


def _wanted(weight: str | None, weights: Weights) -> bool:
    return weight is None or float(getattr(weights, weight)) > 0


def missed_goals(plan: Plan, rules: Rules | None = None, weights: Weights | None = None,
                 upto: int | None = None, metrics: PlanMetrics | None = None) -> list[Missed]:
    """The goals the plan did not fully reach, most important first (see module docstring)."""
    weights = weights or Weights()
    m = metrics if metrics is not None else compute(plan, rules, upto)
    out = []
    for kind, _, weight, count_of, _ in KINDS:
        if not _wanted(weight, weights):
            continue
        counts = [(rm.number, int(count_of(rm))) for rm in m.rotations]
        where = tuple(number for number, c in counts if c)
        if where:
            out.append(Missed(kind, sum(c for _, c in counts), where, len(counts)))
    return out


def missed_lines(plan: Plan, rules: Rules | None = None, weights: Weights | None = None, lang: str = "nb",
                 upto: int | None = None) -> list[str]:
    """:func:`missed_goals` as the report's lines (empty: the plan reaches every goal).

    Under the preferably-apart line: for each rotation where such a pair shares a
    group, what keeping it apart would have cost (:mod:`makker.apart_reasons`)."""
    m = compute(plan, rules, upto)
    lines = []
    for goal in missed_goals(plan, rules, weights, upto, metrics=m):
        lines.append(goal.line(lang))
        if goal.kind == "apart" and upto is None:
            lines += [r.line(lang) for r in apart_reasons(plan, rules, weights)]
    return list(dict.fromkeys(lines))  # two pairs of one rotation at one price: one line


# --- the trade-off --------------------------------------------------------------

def tradeoff_parts(plan: Plan, rules: Rules | None = None, weights: Weights | None = None, lang: str = "nb", *,
                   visible: Sequence[str] = WEIGHTS, private: bool = True,
                   metrics: PlanMetrics | None = None) -> list[str]:
    """What the plan's choice costs, one short part per slider above 0 in ``visible``.

    ``private=False`` leaves out the preferably-apart part (the rule's wording)."""
    rules = rules or Rules()
    weights = weights or Weights()
    m = metrics if metrics is not None else compute(plan, rules)
    if not m.rotations:
        return []
    shown = {name for name in visible if float(getattr(weights, name, 0) or 0) > 0}
    parts = []
    if "repeat" in shown:
        parts.append(t("report.trade_repeat_free", lang, count=m.repeat_free_rotations))
    if "gender" in shown:
        girls = max(r.lone_girl_groups for r in m.rotations)
        boys = max(r.lone_boy_groups for r in m.rotations)
        if girls:
            parts.append(t("report.trade_lone_girl", lang, count=girls))
        if boys:
            parts.append(t("report.trade_lone_boy", lang, count=boys))
        if not girls and not boys:
            parts.append(t("report.trade_gender_ok", lang))
    if "school" in shown:
        same = max(r.same_school_pairs for r in m.rotations)
        if same:
            parts.append(t("report.trade_same_school", lang, count=same))
    if "apart" in shown and private and rules.apart:
        parts.append(t("report.trade_apart", lang, count=m.broken_apart) if m.broken_apart
                     else t("report.trade_apart_ok", lang))
    return parts


def tradeoff(plan: Plan | None, rules: Rules | None = None, weights: Weights | None = None, lang: str = "nb", *,
             visible: Sequence[str] = WEIGHTS, private: bool = True) -> str:
    """:func:`tradeoff_parts` as one sentence; "" when there is no plan or no slider above 0."""
    if plan is None or not plan.rotations:
        return ""
    parts = tradeoff_parts(plan, rules, weights, lang, visible=visible, private=private)
    return t("report.tradeoff", lang, parts=", ".join(parts)) if parts else ""


def console_summary(plan: Plan, rules: Rules | None = None, weights: Weights | None = None, lang: str = "nb") -> list[str]:
    """The ``makker plan`` console's summary: the trade-off without any rule's wording, and
    how many goals were not fully reached (counted, never named)."""
    m = compute(plan, rules)
    lines = []
    parts = tradeoff_parts(plan, rules, weights, lang, private=False, metrics=m)
    if parts:
        lines.append(t("report.tradeoff", lang, parts=", ".join(parts)))
    missed = len(missed_goals(plan, rules, weights, metrics=m))
    lines.append(t("report.cli_missed", lang, count=missed) if missed else t("report.cli_missed_none", lang))
    return lines


# --- progress -------------------------------------------------------------------

@dataclass(frozen=True)
class Best:
    """Figures of one whole plan, and the seconds from the start of the run until they were reached."""

    repeat_free: int
    repeats: int  # repeated group-mates in the year
    seconds: float

    def same_figures(self, other: "Best | None") -> bool:
        return other is not None and (self.repeat_free, self.repeats) == (other.repeat_free, other.repeats)

    def line(self, lang: str = "nb") -> str:
        return t("report.best_so_far", lang, repeat_free=self.repeat_free, repeats=self.repeats,
                 seconds=f"{self.seconds:.1f}")

    def final_line(self, lang: str = "nb") -> str:
        return t("report.final", lang, repeat_free=self.repeat_free, repeats=self.repeats,
                 seconds=f"{self.seconds:.1f}")


def _figures_of(progress) -> tuple[int, int] | None:
    """The whole-plan figures a progress report carries (the year optimiser's best plan), or None."""
    figures = getattr(progress, "figures", None)
    if figures is not None:
        return int(figures.repeat_free), int(figures.repeated_groupmates)
    message = getattr(progress, "message", None)
    params = dict(getattr(message, "params", ()) or ())
    if getattr(message, "key", "") == "improve.progress" and "repeat_free" in params and "repeats" in params:
        return int(params["repeat_free"]), int(params["repeats"])
    return None


class RunClock:
    """Follows one planning run through the planner's progress callbacks.

    ``best`` is replaced as a whole, so the figures shown always come from one
    plan; :meth:`finish` measures the finished plan itself and finds when its
    figures were first reported (the end of the exact phase, or the run's end,
    when no report had them)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self.t0 = clock()
        self.best: Best | None = None
        self.exact_end: float | None = None
        self._heard: list[Best] = []

    def elapsed(self) -> float:
        return max(0.0, self._clock() - self.t0)

    def heard(self, progress) -> Best | None:
        """One progress report; the new best figures when it carried some."""
        now = self.elapsed()
        if getattr(progress, "phase", "") == "improve" and self.exact_end is None:
            self.exact_end = now
        figures = _figures_of(progress)
        if figures is None:
            return None
        self.best = Best(figures[0], figures[1], now)
        self._heard.append(self.best)
        return self.best

    def finish(self, plan: Plan, rules: Rules | None = None, seconds: float | None = None) -> Best:
        """The finished plan's figures and the seconds until they were first reached."""
        end = self.elapsed() if seconds is None else min(self.elapsed(), float(seconds))
        m = compute(plan, rules)
        final = Best(m.repeat_free_rotations, m.repeated_groupmates, end)
        at = self.exact_end if self.exact_end is not None else end
        for earlier, best in zip([None, *self._heard], self._heard):
            if best.same_figures(final) and not final.same_figures(earlier):
                at = best.seconds  # the last time these figures arrived after other ones
        self.best = Best(final.repeat_free, final.repeats, min(at, end))
        return self.best
