"""``makker bench``: the planner against random draws and the theoretical bounds.

For each class size and rule set (none; realistic: about half girls, four
previous schools, two never-together pairs; varied: see :func:`varied_class`) and each seed, four ways to plan
the same fictional class are measured (design.md section 2, issues 3 and 5):

* ``random``: one random draw per rotation with the planner's group shapes;
* ``random_hard``: random draws redrawn until no never-together pair shares a
  group (what a teacher does by hand);
* ``exact``: makker rotation by rotation, each rotation exact given the earlier;
* ``year``: the exact plan improved by the year optimiser.

``--rules varied`` runs the sizes of :data:`VARIED_SIZES` unless ``--sizes``
says otherwise; "to final" is the seconds until the final figures (the exact
plan's seconds plus the optimiser's seconds to its last better plan).

Figures come from :func:`makker.metrics.compute`; seconds are wall-clock, and
because the machine may be shared they are also given as a ratio to a fixed
reference workload timed in the same process (``ref``), which is what should
be compared between machines or runs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from ..i18n import Translator

SIZES = (12, 15, 16, 20, 23, 24, 26, 28, 30, 31, 32)
QUICK_SIZES = (12, 16)
VARIED_SIZES = (14, 15, 16, 20, 24, 26, 27, 28, 29, 30, 31, 32)  # the sizes of real classes, with a trio or a group of three pairs
METHODS = ("random", "random_hard", "exact", "year")
RULE_SETS = ("none", "realistic", "varied")


@dataclass
class Row:
    n: int
    rules: str
    method: str
    seed: int
    repeat_free: int
    bound: int
    mean_classmates: float
    min_classmates: int
    repeated_pairs: int
    lone_groups: int
    broken_hard: int
    seconds: float
    to_final: float = 0.0  # seconds until the final figures (the last better plan), exact phase included


def reference_seconds() -> float:
    """Time of a fixed pure-Python workload: the unit for machine-independent speed."""
    t0 = time.perf_counter()
    total = 0
    for i in range(2_000_000):
        total += i * i % 7
    return time.perf_counter() - t0


def make_class(n: int, rules: str, seed: int):
    """A fictional class and its rules; 'none' has no gender, school or rule at all."""
    from ..fictional import fictional_students, realistic_rules
    from ..rules import Rules
    from ..students import Student

    if rules == "varied":
        return varied_class(n, seed)
    students = fictional_students(n, seed, klass="BENCH")
    if rules == "none":
        return [Student(s.id, s.name, s.first, s.last, s.klass) for s in students], Rules()
    return students, realistic_rules(students, seed, never=2)


def varied_class(n: int, seed: int):
    """A class as they come: a girl share drawn from 20-80 % (below 17 students
    sometimes a vocational skew under 15 % or over 85 %), 3-6 previous schools of
    which one dominant feeder school, and 1-3 never-together pairs of any gender mix."""
    import random
    from dataclasses import replace

    from ..fictional import fictional_students, realistic_rules

    rng = random.Random(f"varied-{n}-{seed}")
    girls = rng.uniform(0.2, 0.8)
    if n < 17 and rng.random() < 0.4:
        girls = rng.uniform(0.0, 0.15) if rng.random() < 0.5 else rng.uniform(0.85, 1.0)
    schools = rng.randint(3, 6)
    students = fictional_students(n, seed, klass="BENCH", girls=girls, schools=schools)
    feeder = students[0].school
    dominant = rng.uniform(0.4, 0.6)
    students = [replace(s, school=feeder) if rng.random() < dominant else s for s in students]
    return students, realistic_rules(students, seed, never=rng.randint(1, 3))


def _row(plan, rules, n, kind, method, seed, seconds) -> Row:
    from ..metrics import compute

    m = compute(plan, rules)
    return Row(n, kind, method, seed, m.repeat_free_rotations, m.bounds.repeat_free, m.mean_classmates,
               m.min_classmates, m.repeated_pairs, m.lone_gender_groups, m.broken_never, seconds, seconds)


def bench_one(n: int, kind: str, seed: int, rotations: int, time_limit: float, methods=METHODS,
              log=None) -> list[Row]:
    """Every method on one class; the year optimiser starts from the exact plan."""
    from ..baseline import random_plan
    from ..planner import plan_year
    from ..planner.improve import improve_year
    from ..rules import Weights

    students, rules = make_class(n, kind, seed)
    weights = Weights()
    rows = []
    for method, hard in (("random", False), ("random_hard", True)):
        if method in methods:
            t0 = time.perf_counter()
            plan = random_plan(students, rotations, seed=seed, rules=rules, reject_hard=hard, klass="BENCH")
            rows.append(_row(plan, rules, n, kind, method, seed, time.perf_counter() - t0))
    if "exact" in methods or "year" in methods:
        t0 = time.perf_counter()
        exact = plan_year(students, rules, weights, rotations, klass="BENCH", time_limit=time_limit,
                          seed=seed, improve=False).plan
        t_exact = time.perf_counter() - t0
        if "exact" in methods:
            rows.append(_row(exact, rules, n, kind, "exact", seed, t_exact))
        if "year" in methods:
            t0 = time.perf_counter()
            better, stats = improve_year(exact, students, rules, weights, time_limit=time_limit, seed=seed)
            t_year = time.perf_counter() - t0
            row = _row(better, rules, n, kind, "year", seed, t_exact + t_year)
            row.to_final = t_exact + (stats.seconds_to_best if better is not exact else 0.0)
            rows.append(row)
            if log:
                first: dict[int, float] = {}
                for sec, _it, rf, _rep in stats.improvements:
                    first.setdefault(rf, sec)
                log(f"n={n} {kind} seed={seed}: exact {t_exact:.1f} s; optimiser {stats.iterations} moves, "
                    f"stopped={stats.stopped} after {stats.seconds:.1f} s, final figures after {stats.seconds_to_best:.1f} s, seeded={stats.seeded}, chase={stats.chase_repeat_free}, phases={' '.join(stats.phases)}, "
                    f"repeat-free first reached after (s) {first}, start={stats.start}, best={stats.best}")
    return rows


def summarise(rows: list[Row]) -> list[dict]:
    """Median and worst over seeds, per (n, rules, method)."""
    groups: dict[tuple, list[Row]] = {}
    for r in rows:
        groups.setdefault((r.n, RULE_SETS.index(r.rules), METHODS.index(r.method)), []).append(r)
    out = []
    for (n, ki, mi), rs in sorted(groups.items()):
        med = lambda f, rs=rs: statistics.median(getattr(r, f) for r in rs)  # noqa: E731
        out.append({
            "n": n, "rules": RULE_SETS[ki], "method": METHODS[mi], "seeds": len(rs),
            "repeat_free": (med("repeat_free"), min(r.repeat_free for r in rs)), "bound": rs[0].bound,
            "mean_classmates": (med("mean_classmates"), min(r.mean_classmates for r in rs)),
            "min_classmates": (med("min_classmates"), min(r.min_classmates for r in rs)),
            "repeated_pairs": (med("repeated_pairs"), max(r.repeated_pairs for r in rs)),
            "lone_groups": (med("lone_groups"), max(r.lone_groups for r in rs)),
            "broken_hard": (med("broken_hard"), max(r.broken_hard for r in rs)),
            "seconds": (med("seconds"), max(r.seconds for r in rs)),
            "to_final": (med("to_final"), max(r.to_final for r in rs)),
        })
    return out


COLUMNS = ("n", "rules", "method", "repeat_free", "bound", "mean_classmates", "min_classmates",
           "repeated_pairs", "lone_groups", "broken_hard", "seconds", "to_final", "ref")


def _fmt(v, digits=1) -> str:
    if isinstance(v, float):
        return f"{v:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{v:.0f}"
    return str(v)


def table(summary: list[dict], tr: Translator, ref: float) -> str:
    """A Markdown table: 'median / worst' in each cell."""
    head = [tr(f"bench.col_{c}") for c in COLUMNS]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for s in summary:
        cells = []
        for c in COLUMNS:
            if c == "ref":
                cells.append(_fmt(s["seconds"][0] / ref, 1) if ref else "")
            elif c == "rules":
                cells.append(tr(f"bench.rules_{s['rules']}"))
            elif c == "method":
                cells.append(tr(f"bench.method_{s['method']}"))
            elif isinstance(s[c], tuple):
                med, worst = s[c]
                d = 2 if c in ("seconds", "to_final") else 1
                cells.append(f"{_fmt(float(med), d)} / {_fmt(float(worst), d)}")
            else:
                cells.append(_fmt(s[c]))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def run_bench(sizes, kinds, seeds: int, rotations: int, time_limit: float, methods=METHODS, log=None):
    """All rows, the reference time (mean of before and after) and the summary."""
    ref0 = reference_seconds()
    rows: list[Row] = []
    for kind in kinds:
        for n in sizes:
            for seed in range(seeds):
                rows += bench_one(n, kind, seed, rotations, time_limit, methods, log)
    ref = (ref0 + reference_seconds()) / 2
    return rows, ref, summarise(rows)


def default_sizes(rules: str, quick: bool = False) -> tuple[int, ...]:
    """The class sizes run without ``--sizes``."""
    if quick:
        return QUICK_SIZES
    return VARIED_SIZES if rules == "varied" else SIZES


def add_parser(subparsers, tr: Translator) -> argparse.ArgumentParser:
    p = subparsers.add_parser("bench", help=tr("bench.help"), description=tr("bench.description"))
    p.add_argument("--quick", action="store_true", help=tr("bench.quick_help"))
    p.add_argument("--sizes", type=int, nargs="+", metavar="N", help=tr("bench.sizes_help"))
    p.add_argument("--rules", choices=("none", "realistic", "varied", "both", "all"), default="both",
                   help=tr("bench.rules_help"))
    p.add_argument("--seeds", type=int, default=None, metavar="N", help=tr("bench.seeds_help"))
    p.add_argument("--rotations", type=int, default=10, metavar="R", help=tr("bench.rotations_help"))
    p.add_argument("--time-limit", type=float, default=None, metavar=tr("cli.metavar.seconds"), help=tr("bench.time_help"))
    p.add_argument("--out", metavar=tr("cli.metavar.file_md"), help=tr("bench.out_help"))
    return p


def run(args: argparse.Namespace, tr: Translator) -> int:
    from ..i18n import MakkerError

    sizes = tuple(args.sizes) if args.sizes else default_sizes(args.rules, args.quick)
    if any(n < 4 or n > 40 for n in sizes) or args.rotations < 1:
        raise MakkerError("bench.bad_size")
    seeds = args.seeds or (1 if args.quick else 5)
    limit = args.time_limit if args.time_limit is not None else (5.0 if args.quick else 60.0)
    kinds = {"both": RULE_SETS[:2], "all": RULE_SETS}.get(args.rules, (args.rules,))
    log = lambda line: print(line, file=sys.stderr, flush=True)  # noqa: E731
    rows, ref, summary = run_bench(sizes, kinds, seeds, args.rotations, limit, log=log)
    text = "\n".join([
        tr("bench.heading", seeds=seeds, rotations=args.rotations, limit=f"{limit:g}"),
        "",
        table(summary, tr, ref),
        "",
        tr("bench.footer", ref=f"{ref:.3f}"),
    ])
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    return 0
