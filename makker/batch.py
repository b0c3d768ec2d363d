"""Plan every class of a school in parallel processes (``makker plan --all-classes``).

Each class is planned in its own process with the whole time budget, so a
school with ten classes takes about ten budgets divided by the number of CPUs
instead of ten budgets. A class that cannot be planned (impossible rules, a
class too small) does not stop the others: its row in the summary says why.

Rules belong to students, not classes: the never-together and preferably-apart
pairs are read against the whole school and each class gets the pairs inside
it; a pair across two classes does not matter for per-class plans.
The summary holds figures only, never a rule pair.
"""

from __future__ import annotations

import csv
import io
import json
import signal
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass
from pathlib import Path

from .i18n import MakkerError, number, t
from .rules import Rules, Weights
from .students import Roster

FORMATS = ("json", "xlsx", "csv")
SUMMARY = "sammendrag"  # fixed file names, so scripts can find them in any language
COLUMNS = ("klass", "file", "students", "rotations", "repeat_free_rotations", "min_classmates",
           "mean_classmates", "repeated_pairs", "seconds", "status", "message")


@dataclass
class ClassJob:
    """Everything one process needs to plan one class (picklable, plain types)."""

    klass: str
    students: list
    rules: Rules
    weights: Weights
    rotations: int
    dates: list | None
    time_limit: float
    solver: str
    seed: int
    path: str
    lang: str


@dataclass
class ClassSummary:
    klass: str
    file: str  # file name inside the folder; empty when the class failed
    students: int
    rotations: int = 0
    repeat_free_rotations: int = 0
    min_classmates: int = 0
    mean_classmates: float = 0.0
    repeated_pairs: int = 0
    seconds: float = 0.0
    status: str = "ok"  # "ok" | "timeout" (plan written, budget ran out) | "failed"
    message: str = ""


def class_filenames(classes: Sequence[str], fmt: str) -> dict[str, str]:
    """``1STA.json`` per class; a class code that slugs like another gets ``-2``, ``-3``..."""
    from .export import export_filename

    out: dict[str, str] = {}
    used: set[str] = set()
    for klass in classes:
        stem = export_filename(klass, "", ext=fmt).rsplit(".", 1)[0]
        if stem in ("", "makker", SUMMARY):
            stem = f"{stem or 'klasse'}-klasse"
        name, k = f"{stem}.{fmt}", 2
        while name.casefold() in used:
            name, k = f"{stem}-{k}.{fmt}", k + 1
        used.add(name.casefold())
        out[klass] = name
    return out


_stopping = False  # set in a worker by Ctrl+C / SIGTERM: classes still queued there are skipped


def _worker_stop(signum, frame):
    global _stopping
    _stopping = True
    raise KeyboardInterrupt  # the running solve stops its CBC process and removes its files


def _worker_init() -> None:
    """A worker stops its solve cleanly on Ctrl+C or SIGTERM and then takes no new class."""
    signal.signal(signal.SIGINT, _worker_stop)
    signal.signal(signal.SIGTERM, _worker_stop)


def plan_one(job: ClassJob) -> ClassSummary:
    """Plan one class and write its file (runs in a worker process)."""
    from .export import write_plan
    from .metrics import compute
    from .planner import plan_year

    start = time.monotonic()
    row = ClassSummary(job.klass, "", len(job.students))
    if _stopping:
        row.status, row.message = "failed", t("cli.interrupted", job.lang)
        return row
    try:
        rules = job.rules.restricted_to(s.id for s in job.students)
        result = plan_year(job.students, rules, job.weights, job.rotations, klass=job.klass, dates=job.dates,
                           time_limit=job.time_limit, solver=job.solver, seed=job.seed)
        write_plan(result.plan, job.path, job.lang)
    except MakkerError as err:
        row.status, row.message = "failed", err.message(job.lang)
        row.seconds = round(time.monotonic() - start, 1)
        return row
    figures = compute(result.plan, rules)
    row.file = Path(job.path).name
    row.rotations = len(result.plan.rotations)
    row.repeat_free_rotations = figures.repeat_free_rotations
    row.min_classmates = figures.min_classmates
    row.mean_classmates = round(figures.mean_classmates, 2)
    row.repeated_pairs = figures.repeated_pairs
    row.seconds = round(result.seconds, 1)
    row.status = "timeout" if result.timed_out else "ok"
    row.message = " ".join(m.render(job.lang) for m in result.notes)
    return row


def _crashed(job: ClassJob, err: BaseException) -> ClassSummary:
    """A worker that died or hit an internal error: the class is reported, the rest go on."""
    text = t("planner.batch_internal", job.lang, error=type(err).__name__)
    return ClassSummary(job.klass, "", len(job.students), status="failed", message=text)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """SIGTERM to every worker still running; ``makker.cli`` turns it into a clean stop there."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        if process.is_alive():
            process.terminate()


def run_jobs(jobs: Sequence[ClassJob], workers: int,
             done: Callable[[ClassSummary], None] | None = None) -> list[ClassSummary]:
    """Plan all classes, at most ``workers`` at a time; summaries in the order of ``jobs``."""
    results: dict[int, ClassSummary] = {}
    with ProcessPoolExecutor(max_workers=max(1, min(workers, len(jobs))), initializer=_worker_init) as pool:
        futures = {pool.submit(plan_one, job): i for i, job in enumerate(jobs)}
        try:
            for future in as_completed(futures):
                i = futures[future]
                try:
                    results[i] = future.result()
                except (BrokenProcessPool, Exception) as err:  # noqa: BLE001 - one class must not stop the rest
                    results[i] = _crashed(jobs[i], err)
                if done is not None:
                    done(results[i])
        except BaseException:  # Ctrl+C or SIGTERM: stop the workers too (each stops its solver cleanly)
            pool.shutdown(wait=False, cancel_futures=True)
            _stop_workers(pool)
            raise
    return [results[i] for i in range(len(jobs))]


def make_jobs(rosters: Sequence[Roster], rules: Rules, weights: Weights, folder: Path, fmt: str, *,
              rotations: int, dates, time_limit: float, solver: str, seed: int, lang: str) -> list[ClassJob]:
    names = class_filenames([r.klass for r in rosters], fmt)
    return [ClassJob(r.klass, list(r.students), rules, weights, rotations, dates, time_limit, solver, seed,
                     str(folder / names[r.klass]), lang) for r in rosters]


def prepare_folder(out: str | Path) -> Path:
    """The output folder, created if missing; a file or an unwritable place is the user's to fix."""
    folder = Path(out)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".makker-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError:
        raise MakkerError("planner.batch_bad_folder", path=str(out)) from None
    return folder


def summary_csv(rows: Sequence[ClassSummary], lang: str) -> bytes:
    """One row per class, UTF-8 with BOM and ``;`` like the other CSV exports (opens in Excel)."""
    from .export import safe_text

    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow([t(f"planner.batch_col_{c}", lang) for c in COLUMNS])
    for row in rows:
        values = asdict(row)
        values["status"] = t(f"planner.batch_status_{row.status}", lang)
        values["mean_classmates"] = number(row.mean_classmates, lang, 2)
        values["seconds"] = number(row.seconds, lang, 1)
        writer.writerow([safe_text(values[c]) if isinstance(values[c], str) else values[c] for c in COLUMNS])
    return buf.getvalue().encode("utf-8-sig")


def write_summary(folder: Path, rows: Sequence[ClassSummary], lang: str) -> list[Path]:
    """``sammendrag.csv`` (for people) and ``sammendrag.json`` (for scripts, English keys)."""
    csv_path, json_path = folder / f"{SUMMARY}.csv", folder / f"{SUMMARY}.json"
    csv_path.write_bytes(summary_csv(rows, lang))
    data = {"format": "makker-batch-summary", "version": 1, "classes": [asdict(r) for r in rows]}
    json_path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return [csv_path, json_path]


def failed(rows: Sequence[ClassSummary]) -> list[ClassSummary]:
    return [r for r in rows if r.status == "failed"]


__all__ = ["ClassJob", "ClassSummary", "FORMATS", "class_filenames", "failed", "make_jobs", "plan_one",
           "prepare_folder", "run_jobs", "summary_csv", "write_summary"]
