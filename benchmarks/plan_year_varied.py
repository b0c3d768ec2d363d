"""The whole of plan_year (rotation by rotation, then the year optimiser) on `varied` classes, as «Lag plan» runs it.

Run: .venv/bin/python benchmarks/plan_year_varied.py SECONDS N:SEED [N:SEED ...]
e.g. .venv/bin/python benchmarks/plan_year_varied.py 60 26:0 30:0 27:0 29:0 31:0

One line per class: repeat-free rotations, repeated pair partners, mean and
fewest distinct classmates, lone girl/boy groups, broken never-together rules
and seconds (makker.metrics.compute). Compare two checkouts by running it from
each, side by side (`ROOT=<checkout>`).
"""
import os
import sys
import time

sys.path.insert(0, os.environ.get("ROOT", os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

from makker.commands.bench import make_class  # noqa: E402
from makker.metrics import compute  # noqa: E402
from makker.planner import plan_year  # noqa: E402
from makker.rules import Weights  # noqa: E402

seconds = float(sys.argv[1])
for arg in sys.argv[2:]:
    n, seed = map(int, arg.split(":"))
    students, rules = make_class(n, "varied", seed)
    t0 = time.monotonic()
    plan = plan_year(students, rules, Weights(), 10, klass="BENCH", time_limit=seconds, seed=seed).plan
    m = compute(plan, rules)
    print(f"{n}:{seed} repeat-free={m.repeat_free_rotations} repeated-partners={m.repeated_pairs} "
          f"mean={m.mean_classmates:.2f} fewest={m.min_classmates} lone={m.lone_gender_groups} "
          f"never={m.broken_never} {time.monotonic() - t0:.1f}s", flush=True)
