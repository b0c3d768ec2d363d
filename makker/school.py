"""School-wide settings and «plan every class» for a saved school year.

The settings are set once for the school (first school day, county, weeks per
rotation, number of rotations, time limit) and kept in the workspace's meta
table, so they survive a reload; a class may override any of them. Every plan's
dates come from the county calendar (:func:`makker.calendar.rotation_dates`:
holidays skipped, changes on Mondays).

:func:`plan_all` plans the classes in parallel processes through
:mod:`makker.batch`; each finished class is saved in the workspace at once, a
class whose rules are impossible gets its reason and does not stop the others,
and ``cancel`` stops the rest cleanly.
"""

from __future__ import annotations

import json
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from pathlib import Path

from .i18n import MakkerError

META_KEY = "school_settings"
SUMMER = (6, 20)  # rotations after this day of June are not planned by default
MAX_DEFAULT_ROTATIONS = 14


@dataclass
class SchoolSettings:
    start: date | None = None
    county: str = ""
    weeks: int = 3
    rotations: int = 0  # 0: as many rotations as fit before the summer
    time_limit: float = 60.0
    overrides: dict = field(default_factory=dict)  # {klass: {"rotations": 6, "weeks": 2, ...}}

    def to_json(self) -> dict:
        data = asdict(self)
        data["start"] = self.start.isoformat() if self.start else None
        return data

    @classmethod
    def from_json(cls, data: dict) -> "SchoolSettings":
        data = dict(data or {})
        start = data.get("start")
        try:
            start = date.fromisoformat(start) if start else None
        except (TypeError, ValueError):
            start = None
        return cls(start=start, county=str(data.get("county") or ""), weeks=int(data.get("weeks") or 3),
                   rotations=int(data.get("rotations") or 0), time_limit=float(data.get("time_limit") or 60.0),
                   overrides={str(k): dict(v) for k, v in (data.get("overrides") or {}).items() if isinstance(v, dict)})

    def for_class(self, klass: str) -> "SchoolSettings":
        """The settings that apply to ``klass``: the school's, with the class's overrides."""
        own = {k: v for k, v in self.overrides.get(klass, {}).items() if k in ("county", "weeks", "rotations", "time_limit", "start")}
        if "start" in own:
            own["start"] = date.fromisoformat(own["start"]) if own["start"] else None
        return replace(self, overrides={}, **own)

    def rotation_count(self) -> int:
        """The rotations asked for, else as many as fit before the summer (at least 1)."""
        if self.rotations > 0:
            return self.rotations
        if self.start is None:
            return 4
        return fitting_rotations(self.start, self.weeks, self.county or None)

    def dates(self) -> list | None:
        """(start, end) of every rotation from the county calendar; None without a first school day."""
        from datetime import timedelta

        from .calendar import rotation_dates, school_holidays

        if self.start is None:
            return None
        county = self.county or None
        dates = rotation_dates(self.start, self.rotation_count(), self.weeks, county=county)
        days_off = {d for h in school_holidays(self.start, county) for d in h.days()}
        out = []
        for begin, end in dates:  # a change on a red day (Easter Monday) moves to the next school day
            while (begin in days_off or begin.weekday() >= 5) and begin < end:
                begin += timedelta(days=1)
            out.append((begin, end))
        return out


def fitting_rotations(start: date, weeks: int = 3, county: str | None = None) -> int:
    """How many rotations of ``weeks`` school weeks end before the summer after ``start``."""
    from .calendar import rotation_dates

    summer = date(start.year + (start.month >= 7), *SUMMER)
    dates = rotation_dates(start, MAX_DEFAULT_ROTATIONS, weeks, county=county)
    return max(1, sum(1 for _, end in dates if end <= summer))


def load_settings(ws) -> SchoolSettings:
    try:
        return SchoolSettings.from_json(json.loads(ws.meta(META_KEY) or "{}"))
    except (ValueError, TypeError):
        return SchoolSettings()


def save_settings(ws, settings: SchoolSettings) -> None:
    ws.set_meta(META_KEY, json.dumps(settings.to_json(), ensure_ascii=False))


# --------------------------------------------------------------------------- plan every class


@dataclass
class ClassResult:
    klass: str
    status: str  # "ok" | "timeout" | "failed" | "cancelled" | "conflict"
    message: str = ""  # the reason in plain words when it failed
    rotations: int = 0
    repeat_free_rotations: int = 0
    mean_classmates: float = 0.0
    seconds: float = 0.0


def classes_to_plan(ws, replan: bool = False) -> list[str]:
    """Classes with no published rotation (with ``replan`` also those that have some)."""
    from .overview import sort_key

    return sorted((c.name for c in ws.classes() if replan or not c.published), key=sort_key)


def _job(ws, klass: str, settings: SchoolSettings, folder: Path, lang: str, seed: int):
    from .batch import ClassJob

    mine = settings.for_class(klass)
    roster = ws.roster(klass)
    return ClassJob(klass, list(roster.students), ws.rules(klass), ws.weights(klass), mine.rotation_count(),
                    mine.dates(), float(mine.time_limit), "cbc", seed, str(folder / f"{len(klass)}-{abs(hash(klass))}.json"), lang)


def plan_all(ws, settings: SchoolSettings, *, lang: str = "nb", workers: int = 2, replan: bool = False,
             classes: list[str] | None = None, done: Callable[[ClassResult], None] | None = None,
             started: Callable[[str], None] | None = None, cancel: threading.Event | None = None,
             seed: int = 0) -> list[ClassResult]:
    """Plan every class (see :func:`classes_to_plan`) in ``workers`` processes; save each as it finishes.

    A class with published rotations keeps them: only ``replan`` includes such
    classes, and their published rotations are put back before the save (the
    store refuses a plan that changes a published rotation).
    """
    from .batch import _stop_workers, _worker_init, plan_one
    from .metrics import compute
    from .plan import Plan

    names = classes if classes is not None else classes_to_plan(ws, replan)
    cancel = cancel or threading.Event()
    results: dict[str, ClassResult] = {}
    with tempfile.TemporaryDirectory(prefix="makker-plan-all-") as tmp:
        folder = Path(tmp)
        jobs, failed = {}, []
        for klass in names:
            try:
                jobs[klass] = _job(ws, klass, settings, folder, lang, seed)
            except MakkerError as err:
                failed.append(ClassResult(klass, "failed", err.message(lang)))
        for row in failed:
            results[row.klass] = row
            if done:
                done(row)
        if jobs:
            pool = ProcessPoolExecutor(max_workers=max(1, min(workers, len(jobs))), initializer=_worker_init)
            try:
                futures = {pool.submit(plan_one, job): klass for klass, job in jobs.items()}
                for klass in jobs:
                    if started:
                        started(klass)
                pending = set(futures)
                while pending and not cancel.is_set():
                    finished, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
                    for future in finished:
                        klass = futures[future]
                        results[klass] = _finish(ws, klass, jobs[klass], future, lang, Plan, compute)
                        if done:
                            done(results[klass])
                if cancel.is_set():
                    for future in pending:
                        future.cancel()
                    _stop_workers(pool)
                    for future in pending:
                        klass = futures[future]
                        results[klass] = ClassResult(klass, "cancelled")
                        if done:
                            done(results[klass])
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
    return [results[k] for k in names if k in results]


def _finish(ws, klass, job, future, lang, Plan, compute) -> ClassResult:
    try:
        row = future.result()
    except BaseException as err:  # noqa: BLE001 - one class must not stop the rest
        return ClassResult(klass, "failed", str(err) or type(err).__name__)
    if row.status == "failed":
        return ClassResult(klass, "failed", row.message, seconds=row.seconds)
    try:
        plan = Plan.load(job.path)
        published = ws.published(klass)
        if published:
            plan = replace(plan, rotations=[published.get(r.number, r) for r in plan.rotations])
        ws.save_plan(klass, plan, ws.revision(klass))
    except MakkerError as err:
        return ClassResult(klass, "conflict", err.message(lang), seconds=row.seconds)
    figures = compute(plan, job.rules.restricted_to(s.id for s in job.students))
    return ClassResult(klass, row.status, row.message, len(plan.rotations), figures.repeat_free_rotations,
                       round(figures.mean_classmates, 1), row.seconds)
