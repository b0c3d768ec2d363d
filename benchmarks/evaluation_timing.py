"""Time the evaluation of a whole school's survey (a benchmark, not a test).

Per seed: a survey export of 12 classes (12-34 answers each, Vg1-Vg3, one class with
3 answers) and a saved school year with each class's implementation log; then
read + figures, the dashboard model's load (figures, log, tables), both charts as
PNG/SVG/PDF, and the two-page report. Prints median and worst, and checks that
the report always has two pages.

Run:  .venv/bin/python benchmarks/evaluation_timing.py [seeds]
"""

from __future__ import annotations

import io
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("MAKKER_HOME", tempfile.mkdtemp(prefix="makker-bench-"))

import pypdf  # noqa: E402

from makker import evaluation as ev  # noqa: E402
from makker.app.evaluation.model import EvaluationModel  # noqa: E402
from makker.fictional import fictional_roster  # noqa: E402
from makker.store import Workspace  # noqa: E402

STATEMENTS = ["Makkerskap ga meg en bedre start på skolen", "Jeg har blitt kjent med flere i klassen",
              "Det føles trygt å være på skolen", "Jeg føler meg mindre utenfor", "Jeg har hatt mindre fravær"]
SCALE = ["Helt uenig", "Delvis uenig", "Verken enig eller uenig", "Delvis enig", "Helt enig", "Vet ikke", ""]


def export(seed: int) -> tuple[bytes, list[str]]:
    rng = random.Random(seed)
    classes = [f"{lv}ST{x}" for lv in "123" for x in "ABCD"][:11] + ["1EL"]
    lines = [";".join(["Klasse", *STATEMENTS, "Kommentar"])]
    for klass in classes:
        for _ in range(3 if klass == "1EL" else rng.randint(12, 34)):
            lines.append(";".join([klass, *(rng.choice(SCALE) for _ in STATEMENTS), "fritekst"]))
    return ("\n".join(lines) + "\n").encode("utf-8"), classes


def main(seeds: int = 5) -> None:
    times: dict[str, list[float]] = {"read + figures": [], "dashboard load": [], "charts (6 files)": [],
                                     "report PDF": []}
    pages = []
    for seed in range(seeds):
        data, classes = export(seed)
        folder = Path(tempfile.mkdtemp(prefix="makker-bench-"))
        ws = Workspace(folder / "year.sqlite")
        for i, klass in enumerate(classes):
            ws.save_roster(fictional_roster(20, seed=i, klass=klass))
            for r in (1, 2, 3):
                ws.log_rotation(klass, r, change_done=(i + r) % 4 != 0, contracts_written=(i + r) % 3 != 0,
                                day=date(2026, 8, 17))
        t0 = time.perf_counter()
        ev.figures(ev.read_survey(data, "svar.csv"))
        t1 = time.perf_counter()
        m = EvaluationModel(workspace=lambda ws=ws: ws)
        assert m.load(data, "svar.csv")
        m.table_rows(), m.fidelity_rows()
        t2 = time.perf_counter()
        for kind in ("school", "fidelity"):
            m.chart_downloads(kind)
        t3 = time.perf_counter()
        pdf = m.pdf()
        t4 = time.perf_counter()
        pages.append(len(pypdf.PdfReader(io.BytesIO(pdf)).pages))
        for name, dt in zip(times, (t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
            times[name].append(dt)
    for name, values in times.items():
        print(f"{name:18s} median {statistics.median(values):.2f} s  worst {max(values):.2f} s")
    print(f"report pages: {sorted(set(pages))} over {seeds} seeds")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
