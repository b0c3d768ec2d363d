"""Time to build the class papers of a 12-class school (sizes 12-34, 4 dated rotations) with makker.papers.

Run: .venv/bin/python benchmarks/papers_timing.py [--all-rotations]
"""
import random, statistics, sys, tempfile, time
from dataclasses import replace
from datetime import date
from pathlib import Path
from makker import papers
from makker.baseline import random_plan
from makker.fictional import fictional_roster
from makker.school import SchoolSettings
from makker.store import Workspace

all_rot = "--all-rotations" in sys.argv
rng = random.Random(1)
ws = Workspace(Path(tempfile.mkdtemp()) / "y.sqlite")
dates = SchoolSettings(date(2026, 8, 19), "", 3, 4).dates()
for i in range(12):
    r = fictional_roster(rng.randint(12, 34), seed=i, klass=f"{1 + i // 4}ST{'ABCD'[i % 4]}")
    rev = ws.save_roster(r)
    p = random_plan(r.students, 4, seed=i)
    ws.save_plan(r.klass, p.with_rotations([replace(x, start=a, end=b) for x, (a, b) in zip(p.rotations, dates)]), rev)
times = []
for _ in range(3):
    t0 = time.perf_counter()
    res = papers.from_workspace(ws, "nb", all_rotations=all_rot)
    times.append(time.perf_counter() - t0)
print(f"12 classes, all_rotations={all_rot}: median {statistics.median(times):.2f} s, worst {max(times):.2f} s, zip {len(res.data) / 1e6:.2f} MB")
