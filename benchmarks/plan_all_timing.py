"""Time planning a 12-class school year (sizes 12-20, 3 rotations, 3 s per class, 2 processes) with makker.school.plan_all.

Run: .venv/bin/python benchmarks/plan_all_timing.py [repeats]
"""
import sys, tempfile, time, statistics
from datetime import date
from pathlib import Path
from makker.fictional import fictional_roster
from makker.school import SchoolSettings, plan_all
from makker.store import Workspace
times = []
for rep in range(int(sys.argv[1]) if len(sys.argv) > 1 else 2):
    d = tempfile.mkdtemp()
    ws = Workspace(Path(d) / "y.sqlite")
    for i in range(12):
        ws.save_roster(fictional_roster(12 + (i * 5) % 9, seed=100 + i + rep, klass=f"{1 + i // 4}ST{'ABCD'[i % 4]}"))
    t0 = time.monotonic()
    rows = plan_all(ws, SchoolSettings(date(2026, 8, 19), "oslo", 3, 3, 3.0), workers=2)
    times.append(time.monotonic() - t0)
    print(rep, round(times[-1], 1), sorted({r.status for r in rows}), min(r.repeat_free_rotations for r in rows))
print("median", round(statistics.median(times), 1), "worst", round(max(times), 1))
