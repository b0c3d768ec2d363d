"""State of the tune panel: weights, rotations, dates, preview and the year plan.

The preview (two-stage matching, well under a second) is debounced so a slider
being dragged does not queue dozens of solves. The exact year plan runs in a
background thread so the kernel keeps answering widget messages; progress and
status are traits the view mirrors.
"""

from __future__ import annotations

import logging
import threading
from datetime import date

import traitlets as tl

from ..i18n import MakkerError, Message
from ..rules import Rules, Weights
from ..shapes import SHAPES, shape_options
from ..students import Student

log = logging.getLogger(__name__)

WEIGHT_NAMES = ("gender", "school", "repeat", "apart")


def rotation_windows(start: date | None, count: int, weeks: int = 3, county: str = "") -> list[tuple[date, date]] | None:
    """Rotation dates from the county's school calendar: holidays skipped, changes on the first school day of a week."""
    if start is None:
        return None
    from ..school import SchoolSettings

    return SchoolSettings(start, county, weeks, count).dates()


class TuneModel(tl.HasTraits):
    gender = tl.Float(Weights().gender)
    school = tl.Float(Weights().school)
    repeat = tl.Float(Weights().repeat)
    apart = tl.Float(Weights().apart)
    rotations = tl.Int(4)
    start = tl.Any(None)  # datetime.date | None
    county = tl.Unicode("")  # the school's calendar (school settings; "" = no county holidays)
    weeks = tl.Int(3)  # weeks per rotation (school settings)
    time_limit = tl.Float(60.0)
    seed = tl.Int(0)
    shape = tl.Unicode("standard")  # makker.shapes.SHAPES: how the groups are formed

    students: tl.List[Student] = tl.List()  # set by the app from the load panel
    rules = tl.Instance(Rules, args=())
    klass = tl.Unicode("")

    preview = tl.Any(None)  # Rotation | None
    preview_seconds = tl.Float(0.0)
    preview_count = tl.Int(0)  # bumps on every preview, even when the rotation is unchanged
    running = tl.Bool(False)
    done = tl.Int(0)
    total = tl.Int(0)
    status = tl.Any(None)  # Message | None
    result = tl.Any(None)  # YearResult | None
    plan = tl.Any(None)  # Plan | None (result.plan)
    plan_count = tl.Int(0)  # bumps on every plan made, even one equal to the last
    elapsed = tl.Float(0.0)  # seconds since «Lag plan» (ticks while running)
    finished = tl.Bool(False)  # the last run ended with a plan
    best = tl.Any(None)  # makker.report.Best | None: best figures so far (one plan), then the final ones
    error = tl.Any(None)  # Message | None
    # set by the school year: published rotations are kept exactly, and a class waiting for a decision is not planned
    history = tl.Any(None)  # Plan | None whose rotations 1..keep are published
    keep = tl.Int(0)
    blocked = tl.Any(None)  # Message | None: why «Lag plan» must wait

    preview_delay = 0.25  # seconds of quiet before a preview runs (0 = at once)
    tick = 0.25  # seconds between updates of ``elapsed`` while planning
    _batching = False
    _timer: threading.Timer | None = None
    _thread: threading.Thread | None
    _preview_error = None  # the Message the last failed preview showed
    _clock = None  # makker.report.RunClock of the running (or last) plan

    def __init__(self, **kw):
        super().__init__(**kw)
        self._timer = None
        self._thread = None
        self._cancel = threading.Event()
        self._lock = threading.Lock()
        self._batching = False
        self._preview_lock = threading.Lock()

    def shape_choices(self) -> list[dict]:
        """What each group shape gives this class (sizes, repeat-free bound), for the coordinator's choice."""
        return shape_options(len(self.students), max(1, int(self.rotations)))

    def weights(self) -> Weights:
        return Weights(self.gender, self.school, self.repeat, self.apart).clamp()

    def settings(self) -> dict:
        """The choices saved with the class, so that a reload brings them back."""
        return {"weights": {n: float(getattr(self, n)) for n in WEIGHT_NAMES}, "rotations": int(self.rotations),
                "start": self.start.isoformat() if self.start else None, "time_limit": float(self.time_limit),
                "shape": self.shape}

    def apply_settings(self, settings: dict, plan=None) -> None:
        """Put a saved class's choices back (missing ones keep today's values); one preview afterwards."""
        self._batching = True
        try:
            for name, value in (settings.get("weights") or {}).items():
                if name in WEIGHT_NAMES:
                    setattr(self, name, float(value))
            rotations = settings.get("rotations") or (len(plan.rotations) if plan is not None else None)
            if rotations:
                self.rotations = int(rotations)
            if settings.get("start"):
                try:
                    self.start = date.fromisoformat(str(settings["start"]))
                except ValueError:
                    log.warning("saved first school day %r is not a date", settings["start"])
            elif plan is not None and plan.rotations and plan.rotations[0].start:
                self.start = plan.rotations[0].start
            if settings.get("time_limit"):
                self.time_limit = float(settings["time_limit"])
            if settings.get("shape") in SHAPES:
                self.shape = settings["shape"]
        finally:
            self._batching = False

    # -- preview -------------------------------------------------------------
    @tl.observe("gender", "school", "repeat", "apart", "students", "rules", "seed")
    def _inputs_changed(self, change):
        if not self._batching:
            self.request_preview()

    def set_class(self, klass: str, students: list, rules: Rules) -> None:
        """New class or new rules from the load panel: one preview, not three."""
        self._batching = True
        try:
            self.klass, self.rules, self.students = klass, rules, list(students)
        finally:
            self._batching = False
        self.request_preview()

    def request_preview(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        if self.preview_delay <= 0:
            self.update_preview()
            return
        self._timer = threading.Timer(self.preview_delay, self.update_preview)
        self._timer.daemon = True
        self._timer.start()

    def show_preview(self, rotation) -> None:
        self.preview = rotation
        self.preview_count += 1

    def update_preview(self) -> None:
        """Rotation 1 with the current weights (fast two-stage matching); one at a time."""
        with self._preview_lock:
            self._update_preview()

    def _update_preview(self) -> None:
        if len(self.students) < 2:
            self.show_preview(None)
            return
        import time

        problem = None
        try:
            from ..planner import preview_rotation

            began = time.perf_counter()
            rotation = preview_rotation(self.students, self.rules, self.weights(), number=1, seed=self.seed)
            self.preview_seconds = time.perf_counter() - began
        except MakkerError as err:
            rotation, problem = None, err.as_message()
        except Exception:  # noqa: BLE001
            log.exception("preview failed")
            rotation, problem = None, Message.of("app.error.preview_failed")
        self.show_preview(rotation)
        if problem is not None:
            self._preview_error = problem
            self.error = problem
        elif self._preview_error is not None:  # the rules were fixed: clear what the preview said
            if self.error == self._preview_error:
                self.error = None
            self._preview_error = None

    # -- year plan -----------------------------------------------------------
    def start_plan(self) -> bool:
        """Run plan_year in a background thread; False if already running or nothing to plan."""
        with self._lock:
            if self.running:
                return False
            if self.blocked is not None:
                self.error = self.blocked
                return False
            if len(self.students) < 4:
                self.error = Message.of("app.error.too_few", n=len(self.students))
                return False
            self._cancel = threading.Event()
            self.error = None
            self.done, self.total = 0, max(int(self.rotations), int(self.keep))
            self.elapsed, self.best, self.finished = 0.0, None, False
            self.status = Message.of("app.status.running", done=0, total=self.total)
            self.running = True
        self._thread = threading.Thread(target=self._run_plan, name="makker-plan", daemon=True)
        self._thread.start()
        return True

    def cancel_plan(self) -> None:
        if self.running:
            self._cancel.set()
            self.status = Message.of("app.status.cancelling")

    def wait(self, timeout: float | None = None) -> None:
        """Block until the running plan is finished (tests, notebooks, benchmarks)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def progress_share(self) -> float:
        """How far the run is, by elapsed time against the time limit: below 1 until it is done."""
        if not self.running:
            return 1.0 if self.finished else 0.0
        return min(0.99, max(0.0, self.elapsed / max(1e-9, float(self.time_limit))))

    def _progress(self, p) -> None:
        self.total = int(getattr(p, "total", self.total) or self.total)
        self.done = min(int(getattr(p, "done", 0)), self.total)
        msg = getattr(p, "message", None)
        phase = getattr(p, "phase", "exact")
        clock = getattr(self, "_clock", None)
        best = clock.heard(p) if clock is not None else None
        if clock is not None:
            self.elapsed = clock.elapsed()
        if best is not None:  # the figures of one whole plan, replacing the last ones at once
            self.best, msg = best, None
        self.status = msg or Message.of(
            "app.status.improving" if phase == "improve" else "app.status.running", done=self.done, total=self.total
        )

    def _tick(self, stop: threading.Event) -> None:
        while not stop.wait(self.tick):
            clock = getattr(self, "_clock", None)
            if clock is not None and self.running:
                self.elapsed = clock.elapsed()

    def _run_plan(self) -> None:
        from ..report import RunClock

        clock = self._clock = RunClock()
        stop = threading.Event()
        threading.Thread(target=self._tick, args=(stop,), name="makker-plan-clock", daemon=True).start()
        try:
            from ..planner import plan_year

            rotations = max(int(self.rotations), int(self.keep))
            keep = int(self.keep) if self.history is not None else 0
            result = plan_year(
                self.students, self.rules, self.weights(), rotations,
                klass=self.klass, dates=rotation_windows(self.start, rotations, int(self.weeks), self.county),
                history=self.history if keep else None, keep=keep,
                time_limit=float(self.time_limit), seed=self.seed,
                progress=self._progress, cancel=self._cancel, shape=self.shape,
            )
            key = "app.status.cancelled" if self._cancel.is_set() else (
                "app.status.timed_out" if result.timed_out else "app.status.done")
            self.done = self.total
            self.best = self._final(clock, result)
            self.elapsed = clock.elapsed()
            self.result = result
            self.finished = True
            self.running = False  # the button is usable again when the status says done
            self.status = Message.of(key, n=len(result.plan.rotations), seconds=f"{result.seconds:.1f}")
            self.plan = result.plan  # the see panel draws its charts on this change
            self.plan_count += 1  # last: the report refreshes even when the plan equals the last one
        except MakkerError as err:
            self.error = err.as_message()
            self.status = Message.of("app.status.failed")
        except Exception:  # noqa: BLE001 - translated generic message, never a traceback
            log.exception("plan_year failed")
            self.error = Message.of("app.error.unexpected")
            self.status = Message.of("app.status.failed")
        finally:
            stop.set()
            self.running = False

    def _final(self, clock, result):
        """The finished plan's own figures and the seconds until they were reached."""
        try:
            return clock.finish(result.plan, self.rules, getattr(result, "seconds", None))
        except Exception:  # noqa: BLE001 - the plan stands without its timing line
            log.exception("final figures failed")
            return None
