"""The school overview's model (traitlets, no widgets).

Reads every class from the saved school year (``SchoolYearModel.ws``) through
:func:`makker.overview.school_rows` and re-reads it whenever the school year
saves, publishes or changes class. Its actions go through the school-year
model, so there is one copy of «the class»: ``open`` restores the saved class
into the page, ``plan`` opens it and starts «Lag plan», ``replan`` opens it and
re-plans the unpublished rotations.
"""

from __future__ import annotations

import logging

import traitlets as tl

from ...i18n import MakkerError, Message
from ...overview import NOT_PLANNED, PUBLISHED, safe_school_rows

log = logging.getLogger(__name__)


class OverviewModel(tl.HasTraits):
    lang = tl.Unicode("nb")
    rows: tl.List = tl.List()  # list[makker.overview.ClassRow]
    chosen = tl.Unicode("")  # the class the action buttons act on
    status = tl.Any(None)  # Message | None
    error = tl.Any(None)  # Message | None

    def __init__(self, year, tune=None, **kw):
        super().__init__(**kw)
        self.year = year
        self.tune = tune  # the tune panel's model: «plan» starts its «Lag plan»
        tl.dlink((year, "lang"), (self, "lang"))
        year.observe(self.refresh, names=["classes", "revision", "published", "saved", "path"])
        self.refresh()

    def refresh(self, change=None) -> None:
        ws = self.year.ws
        if ws is None:
            self.rows = []
            return
        rows, err = safe_school_rows(ws)
        if err is not None:
            self.error = Message.of(err.key, **err.params)
        self.rows = rows
        names = [r.klass for r in rows]
        if self.chosen not in names:
            self.chosen = self.year.klass if self.year.klass in names else (names[0] if names else "")

    def row(self, klass: str | None = None):
        klass = klass or self.chosen
        return next((r for r in self.rows if r.klass == klass), None)

    def can_plan(self, klass: str | None = None) -> bool:
        row = self.row(klass)
        return row is not None and row.status != PUBLISHED

    def can_replan(self, klass: str | None = None) -> bool:
        row = self.row(klass)
        return row is not None and row.status != NOT_PLANNED

    # -- actions ------------------------------------------------------------
    def open(self, klass: str | None = None) -> bool:
        """Put the saved class into the page (class list, rules, settings, plan)."""
        klass = klass or self.chosen
        if self.row(klass) is None:
            self.error = Message.of("overview.no_class", klass=klass or "–")
            return False
        ok = self.year.restore(klass)
        self.error = None if ok else (self.year.error or Message.of("overview.no_class", klass=klass))
        if ok:
            self.chosen = klass
            self.status = Message.of("overview.opened", klass=klass)
        return ok

    def plan(self, klass: str | None = None) -> bool:
        """Open the class and start «Lag plan» for it (a class with published rotations is re-planned instead)."""
        klass = klass or self.chosen
        if not self.can_plan(klass):
            self.error = Message.of("overview.published_replan", klass=klass or "–")
            return False
        if self.tune is None or not self.open(klass):
            return False
        if not self.tune.start_plan():
            self.error = self.tune.error or Message.of("overview.busy")
            return False
        self.status = Message.of("overview.planning", klass=klass)
        return True

    def replan(self, klass: str | None = None) -> bool:
        """Open the class and re-plan its unpublished rotations (the published ones stay as they are)."""
        klass = klass or self.chosen
        if not self.can_replan(klass):
            self.error = Message.of("overview.nothing_to_replan", klass=klass or "–")
            return False
        if not self.open(klass):
            return False
        try:
            ok = self.year.start_replan()
        except MakkerError as err:  # pragma: no cover - start_replan reports through its own error
            self.error = Message.of(err.key, **err.params)
            return False
        if not ok:
            self.error = self.year.error or Message.of("overview.busy")
            return False
        self.status = Message.of("overview.replanning", klass=klass)
        return True


class SchoolPlanModel(tl.HasTraits):
    """School settings set once (kept in the saved school year) and «Planlegg alle klassene».

    Each class's line in ``progress`` is a Message; ``running`` is true while the
    classes are planned in worker processes (:func:`makker.school.plan_all`).
    """

    lang = tl.Unicode("nb")
    start = tl.Any(None)  # date | None: the school's first day
    county = tl.Unicode("")
    weeks = tl.Int(3)
    rotations = tl.Int(0)  # 0: as many as fit before the summer
    time_limit = tl.Float(60.0)
    replan = tl.Bool(False)  # also re-plan the unpublished rotations of classes with published ones
    workers = tl.Int(2)
    running = tl.Bool(False)
    progress = tl.Dict()  # {klass: Message}
    results: tl.List = tl.List()  # list[makker.school.ClassResult]
    status = tl.Any(None)
    error = tl.Any(None)

    def __init__(self, overview: OverviewModel, **kw):
        super().__init__(**kw)
        import threading

        self.overview = overview
        self.year = overview.year
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        tl.dlink((self.year, "lang"), (self, "lang"))
        self.year.observe(self._workspace_changed, names="path")
        self.load()

    def _workspace_changed(self, change=None):
        if not self.running:
            self.load()

    def load(self) -> None:
        """The school settings saved in the school year (defaults for a new year)."""
        from ...school import load_settings

        if self.year.ws is None:
            return
        s = load_settings(self.year.ws)
        self.start, self.county, self.weeks = s.start, s.county, s.weeks
        self.rotations, self.time_limit = s.rotations, s.time_limit
        self._overrides = s.overrides

    def settings(self):
        from ...school import SchoolSettings

        return SchoolSettings(self.start, self.county, int(self.weeks), int(self.rotations), float(self.time_limit),
                              dict(getattr(self, "_overrides", {}) or {}))

    def save(self) -> bool:
        """Keep the settings in the saved school year; the dates are checked against the calendar first."""
        from ...school import save_settings

        try:
            s = self.settings()
            s.dates()  # a bad county or count is reported now, not in the middle of planning
            if self.year.ws is None:
                raise MakkerError("schoolyear.ui.no_class")
            save_settings(self.year.ws, s)
        except MakkerError as err:
            self.error = Message.of(err.key, **err.params)
            return False
        self.error = None
        self.status = Message.of("overview.settings_saved")
        return True

    def set_override(self, klass: str, **values) -> bool:
        """A class's own value for rotations, weeks, county, time limit or first day (None removes it)."""
        own = dict(self._overrides.get(klass, {}))
        for key, value in values.items():
            if value is None:
                own.pop(key, None)
            else:
                own[key] = value.isoformat() if hasattr(value, "isoformat") else value
        self._overrides = {**self._overrides, klass: own} if own else {k: v for k, v in self._overrides.items() if k != klass}
        return self.save()

    def overrides(self) -> dict:
        return dict(self._overrides)

    def start_all(self, wait: bool = False) -> bool:
        """Plan every class without a published rotation (and, with ``replan``, re-plan the others)."""
        import threading

        from ...school import classes_to_plan

        if self.running or self.year.ws is None:
            return False
        if self.year.pending:
            self.error = Message.of("dashboard.decide_first", klass=", ".join(sorted(self.year.pending)))
            return False
        if not self.save():
            return False
        names = classes_to_plan(self.year.ws, self.replan)
        if not names:
            self.error = Message.of("overview.nothing_to_plan")
            return False
        self._cancel = threading.Event()
        self.progress = {k: Message.of("overview.progress.waiting", klass=k) for k in names}
        self.results, self.error, self.running = [], None, True
        self.status = Message.of("overview.planning_all", n=len(names))
        self._thread = threading.Thread(target=self._run, args=(names,), name="makker-plan-all", daemon=True)
        self._thread.start()
        if wait:
            self._thread.join()
        return True

    def cancel(self) -> None:
        self._cancel.set()

    def wait(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _started(self, klass: str) -> None:
        self.progress = {**self.progress, klass: Message.of("overview.progress.running", klass=klass)}

    def _done(self, row) -> None:
        if row.status in ("ok", "timeout"):
            msg = Message.of("overview.progress.done", klass=row.klass, rotations=row.rotations,
                             repeat_free=row.repeat_free_rotations, classmates=row.mean_classmates)
        elif row.status == "cancelled":
            msg = Message.of("overview.progress.cancelled", klass=row.klass)
        else:
            msg = Message.of("overview.progress.failed", klass=row.klass, reason=row.message)
        self.progress = {**self.progress, row.klass: msg}
        self.results = [*self.results, row]
        self.overview.refresh()

    def _run(self, names) -> None:
        from ...school import plan_all

        try:
            rows = plan_all(self.year.ws, self.settings(), lang=self.lang, workers=self.workers, classes=names,
                            done=self._done, started=self._started, cancel=self._cancel)
            ok = sum(r.status in ("ok", "timeout") for r in rows)
            self.status = Message.of("overview.planned_all", ok=ok, n=len(names))
        except Exception:  # noqa: BLE001 - never a traceback on the page
            log.exception("planning every class failed")
            self.error = Message.of("overview.plan_all_failed")
        finally:
            self.running = False
            self.year.refresh()
            self.overview.refresh()
