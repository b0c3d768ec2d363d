"""The school-year tab: saved work, calendar, publishing, changes, swaps, log, class pack.

``SchoolYearModel`` (traitlets, no widgets) does every action with the core
(``makker.store``, ``makker.calendar``, ``makker.schoolyear``, ``makker.pack``)
and keeps the result as plain traits; ``SchoolYearView`` only mirrors them.
Every plan the tune panel makes is saved to the workspace at once, so closing
the tab or restarting the server loses nothing; a save from a stale tab is
refused with the store's conflict message instead of overwriting newer work.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import replace
from datetime import date
from html import escape
from pathlib import Path

import ipywidgets as w
import traitlets as tl

from ..i18n import MakkerError, Message, date_text, t
from ..students import Student
from .load_model import message_of as _msg
from .tables import _table
from .widgets import labelled, set_visible, tag

log = logging.getLogger(__name__)


def _when(moment, lang: str) -> str:
    """A backup's time in local time, to the second so that backups of one busy minute differ:
    «02.12.2026 kl. 14:05:09» (nb/nn), «2 Dec 2026, 14:05:09» (en)."""
    local = moment.astimezone()
    if lang == "en":
        return f"{local.day} {local.strftime('%b %Y, %H:%M:%S')}"
    return local.strftime("%d.%m.%Y kl. %H:%M:%S")


def _difference(saved, uploaded) -> dict:
    """Names of students only in the uploaded list ("new") and only in the saved one ("gone")."""
    before, after = {s.id: s.name for s in saved.students}, {s.id: s.name for s in uploaded.students}
    return {"new": [after[i] for i in after if i not in before], "gone": [before[i] for i in before if i not in after]}


def workspace_path(training: bool = False) -> Path:
    """``$MAKKER_WORKSPACE``, else ``~/makker/<skoleår>.sqlite`` (a separate file in training mode).

    ``MAKKER_WORKSPACE=temp`` keeps the work of one page only (a temporary file
    removed when the kernel ends): for shared test servers and demos.
    """
    from ..store import default_folder, default_path

    wanted = os.environ.get("MAKKER_WORKSPACE", "").strip()
    if wanted.lower() == "temp":
        import atexit
        import shutil
        import tempfile

        folder = tempfile.mkdtemp(prefix="makker-page-")
        atexit.register(shutil.rmtree, folder, True)
        return Path(folder) / "side.sqlite"
    if wanted:
        return Path(wanted).expanduser()
    return default_folder() / "opplaering.sqlite" if training else default_path()


# =========================================================================== model


class SchoolYearModel(tl.HasTraits):
    lang = tl.Unicode("nb")
    presentation = tl.Bool(False)
    path = tl.Unicode("")
    classes = tl.List(tl.Unicode())
    klass = tl.Unicode("")
    revision = tl.Int(-1)  # the class's revision this tab last saw (-1: not in the workspace)
    published = tl.List(tl.Int())
    plan = tl.Any(None)  # mirror of the app's current plan
    saved = tl.Bool(False)  # the current plan is in the workspace
    status = tl.Any(None)  # Message | None
    warnings = tl.List()  # list[Message] (swap, calendar)
    error = tl.Any(None)  # Message | None
    running = tl.Bool(False)
    # calendar
    start = tl.Any(None)  # date | None
    county = tl.Unicode("")
    weeks = tl.Int(3)
    school_weeks = tl.Bool(True)
    dates = tl.List()  # list[(date, date)]
    calendar_warnings = tl.List()
    # log
    log_entries = tl.List()
    # what the coordinator must decide before anything is saved
    fictional = tl.Bool(False)  # a sample is shown: this model works in a scratch workspace
    pending = tl.Dict()  # {klass: {"new": [names], "gone": [names]}}: uploaded lists that differ from the saved ones
    pending_swap = tl.Any(None)  # (number, a, b) waiting for «Bytt likevel»
    backups = tl.List()  # Workspace.backup_info() rows, newest first
    armed_backup = tl.Unicode("")  # the backup a second click restores

    def __init__(self, app=None, path: str | Path | None = None, **kw):
        super().__init__(**kw)
        self.app = app
        self.ws = None
        self._quiet = False  # True while this model itself puts a plan into the app
        if app is not None:
            tl.dlink((app, "lang"), (self, "lang"))
            tl.dlink((app, "presentation"), (self, "presentation"))
            app.tune.observe(self._app_plan_changed, names="plan")
            app.tune.observe(self._app_plan_started, names="running")
            app.load.observe(self._app_rules_changed, names="rules_edited")
            app.load.observe(self._app_class_changed, names="klass")
            app.load.observe(self._app_rosters_changed, names="rosters")
            app.load.observe(self._app_fictional_changed, names="fictional")
        self._real_path = Path(path or workspace_path(bool(app and app.training)))
        self.open(self._real_path)

    # -- workspace ----------------------------------------------------------
    def open(self, path: str | Path) -> bool:
        from ..store import Workspace

        self.path = str(path)
        try:
            self.ws = Workspace(path)
        except MakkerError as err:
            self.ws, self.error = None, _msg(err)
            return False
        self.path = str(self.ws.path)
        self.refresh()
        return True

    def refresh(self) -> None:
        """Re-read the class list, published rotations and log from disk.

        The revision is only learnt the first time (or from this tab's own
        writes): adopting another tab's newer revision here would hide the
        very conflict the revision exists to catch.
        """
        if self.ws is None:
            return
        self.classes = self.ws.class_names()
        if self.klass in self.classes:
            if self.revision < 0:
                self.revision = self.ws.revision(self.klass)
            self.published = self.ws.published_numbers(self.klass)
            self.log_entries = self.ws.log(self.klass)
        else:
            self.revision, self.published, self.log_entries = -1, [], []
        self._lock_published(self.plan)
        self.list_backups()

    def restore(self, klass: str | None = None, show_class: bool = True) -> bool:
        """Put a saved class (rules, settings, plan; with ``show_class`` every saved class list) into the page.

        ``show_class=False`` when the class list tab already shows the class
        (the coordinator just chose it, or decided about an upload).
        """
        if self.ws is None:
            return False
        klass = klass or (self.classes[0] if self.classes else "")
        if klass not in self.classes:
            return False
        try:
            rules = self.ws.rules(klass)
            plan, revision = self.ws.load_plan(klass)
            settings = self.ws.settings(klass)
            rosters = [self.ws.roster(k) for k in self.classes] if self.app is not None and show_class else []
        except MakkerError as err:
            self.error = _msg(err)
            return False
        self.klass = klass
        if self.app is not None:
            self._quiet = True
            try:
                if show_class:
                    self.app.load.load_saved(rosters, klass, self.ws.meta("source"))
                self.app.load.never = tuple(rules.never)
                self.app.load.apart = tuple(rules.apart)
                self.app.tune.apply_settings(settings, plan)
                self.app.tune.plan = plan
            finally:
                self._quiet = False
        self.plan, self.saved, self.revision = plan, plan is not None, revision
        self._remember("klass", klass)
        self.refresh()
        self.error = None
        self.status = Message.of("schoolyear.ui.restored", klass=klass)
        return True

    def _roster(self):
        return self.app.load.roster if self.app is not None else None

    def _remember(self, key: str, value: str) -> None:
        """Page state for the next reload (the chosen class, the class list's name)."""
        if self.ws is not None and not self.fictional:
            try:
                self.ws.set_meta(key, value)
            except MakkerError:
                log.warning("could not remember %s", key)

    def _lock_published(self, plan) -> None:
        """«Lag plan» keeps the published rotations exactly and plans the rest around them."""
        if self.app is None:
            return
        keep = max(self.published) if self.published and plan is not None else 0
        self.app.tune.history, self.app.tune.keep = (plan if keep else None), keep
        self.app.tune.blocked = (Message.of("dashboard.decide_first", klass=self.klass)
                                 if self.klass in self.pending else None)

    def _rules(self):
        from ..rules import Rules

        return self.app.load.rules() if self.app is not None else Rules()

    def _ensure_class(self) -> None:
        """Store the class (roster and rules) the first time a plan is saved for it."""
        roster = self._roster()
        if roster is None or self.ws is None:
            raise MakkerError("schoolyear.ui.no_class")
        self.klass = roster.klass
        if roster.klass not in self.ws.class_names():
            rev = self.ws.save_roster(roster)
            self.revision = self.ws.save_rules(roster.klass, self._rules(), rev)
            self.classes = self.ws.class_names()
        else:
            if self.revision < 0:
                self.revision = self.ws.revision(roster.klass)
            if roster.klass in self.pending:
                raise MakkerError("dashboard.decide_first", klass=roster.klass)

    def save(self, plan=None) -> bool:
        """Save the current plan; refuses (with a message) if another tab saved in between."""
        plan = plan if plan is not None else self.plan
        if plan is None:
            return False
        try:
            self._ensure_class()
            self.revision = self.ws.save_plan(self.klass, plan, self.revision)
        except MakkerError as err:
            self.error, self.saved = _msg(err), False
            return False
        self.plan, self.saved, self.error = plan, True, None
        self.status = Message.of("schoolyear.ui.saved", klass=self.klass, revision=self.revision)
        self.refresh()
        return True

    def reload(self) -> None:
        """Throw away this tab's view of the class and read it from the workspace again."""
        self.refresh()
        self.restore(self.klass or None)

    def _app_plan_changed(self, change):
        if self._quiet:
            return
        if change["new"] is None:
            self.plan, self.saved = None, False
            return
        self.plan, self.saved = change["new"], False
        self.save(change["new"])

    def _app_rules_changed(self, change):
        """A rule the coordinator added or removed in the class list tab: save it at once."""
        if self._quiet or self.ws is None or self.klass not in self.classes or self.klass in self.pending:
            return
        roster = self._roster()
        if roster is None or roster.klass != self.klass:
            return
        try:
            self.revision = self.ws.save_rules(self.klass, self._rules(), self.revision)
        except MakkerError as err:
            self.error = _msg(err)

    def _app_class_changed(self, change):
        if self._quiet:
            return
        self.klass, self.revision = change["new"] or "", -1
        self.refresh()
        if self.klass in self.classes and self.klass not in self.pending:
            self.restore(self.klass, show_class=False)  # the saved rules, settings and plan of the class just chosen
        else:
            self._lock_published(None)

    def _app_fictional_changed(self, change):
        """A sample opens a scratch workspace; leaving it reopens the real school year untouched."""
        self.fictional = bool(change["new"])
        self.pending, self.pending_swap = {}, None
        if self.fictional:
            import shutil
            import tempfile

            folder = tempfile.mkdtemp(prefix="makker-sample-")
            self._scratch = folder
            import atexit

            atexit.register(shutil.rmtree, folder, True)
            self.klass, self.revision = "", -1
            self.open(Path(folder) / "eksempel.sqlite")
        else:
            self.klass, self.revision = "", -1
            self.open(self._real_path)

    def leave_sample(self) -> bool:
        """Back to the saved school year: its classes, as they were."""
        if self.app is None:
            return False
        self.app.load.fictional = False
        chosen = self.ws.meta("klass") if self.ws is not None else ""
        if self.classes:
            return self.restore(chosen if chosen in self.classes else self.classes[0])
        return True

    def _app_rosters_changed(self, change):
        """A class list was uploaded: new classes are saved at once, changed ones wait for a decision."""
        if self._quiet or self.ws is None or self.app is None or self.fictional:
            return
        pending = {}
        try:
            saved = set(self.ws.class_names())
            for roster in change["new"] or []:
                if roster.klass not in saved:
                    self.ws.save_roster(roster)
                    continue
                stored = self.ws.roster(roster.klass)
                if [(s.id, s.name) for s in stored.students] != [(s.id, s.name) for s in roster.students]:
                    pending[roster.klass] = _difference(stored, roster)
            self._remember("source", self.app.load.source)
        except MakkerError as err:
            self.error = _msg(err)
        self.pending = pending
        self.klass, self.revision = self.app.load.klass, -1
        self.refresh()
        if self.klass in self.classes and self.klass not in pending:
            self.restore(self.klass, show_class=False)
        else:
            self._lock_published(None)
        if self.klass in pending:
            self.status = Message.of("dashboard.class_differs", klass=self.klass)

    # -- an uploaded class that is already saved: the coordinator decides ----
    def replace_class(self, klass: str | None = None) -> bool:
        """The uploaded list becomes the class; rules are kept by student id; unpublished rotations re-planned."""
        klass = klass or self.klass

        def act():
            roster = next((r for r in self.app.load.rosters if r.klass == klass), None)
            if roster is None or klass not in self.pending:
                raise MakkerError("dashboard.nothing_to_decide")
            diff = self.pending[klass]
            self.revision = self.ws.save_roster(roster, self.ws.revision(klass))
            self.pending = {k: v for k, v in self.pending.items() if k != klass}
            self.klass = klass
            self.restore(klass, show_class=False)
            self.status = Message.of("dashboard.replaced", klass=klass, new=len(diff["new"]), gone=len(diff["gone"]))
        ok = self._guard(act)
        if ok and self.plan is not None:
            self.start_replan()
        return ok

    def keep_saved_class(self, klass: str | None = None) -> bool:
        """Forget the uploaded list of ``klass``: the saved class list stays as it is."""
        klass = klass or self.klass

        def act():
            if klass not in self.pending:
                raise MakkerError("dashboard.nothing_to_decide")
            saved = self.ws.roster(klass)
            self.pending = {k: v for k, v in self.pending.items() if k != klass}
            self._quiet = True
            try:
                self.app.load.replace_roster(saved)
            finally:
                self._quiet = False
            self.klass = klass
            self.restore(klass, show_class=False)
            self.status = Message.of("dashboard.kept_saved", klass=klass)
        return self._guard(act)

    def save_class_as(self, new_name: str, klass: str | None = None) -> bool:
        """Keep the uploaded list of ``klass`` as a new class ``new_name``; the saved one is untouched."""
        klass = klass or self.klass
        name = " ".join((new_name or "").split())

        def act():
            if klass not in self.pending:
                raise MakkerError("dashboard.nothing_to_decide")
            if not name or name in self.ws.class_names() or name in self.app.load.classes:
                raise MakkerError("dashboard.name_taken", klass=name or "–")
            self._quiet = True
            try:
                self.app.load.rename_class(klass, name)
            finally:
                self._quiet = False
            roster = next(r for r in self.app.load.rosters if r.klass == name)
            self.ws.save_roster(roster)
            self.pending = {k: v for k, v in self.pending.items() if k != klass}
            self.klass = name
            self.refresh()
            self.restore(name, show_class=False)
            self.status = Message.of("dashboard.saved_as", klass=name)
        return self._guard(act)

    def _app_plan_started(self, change):
        """When «Lag plan» starts, its settings are saved with the class (a reload brings them back)."""
        if not change["new"] or self._quiet or self.ws is None or self.app is None:
            return
        klass = self.app.load.klass
        if klass not in self.ws.class_names() or klass in self.pending:
            return
        try:
            self.klass = klass
            if self.revision < 0:
                self.revision = self.ws.revision(klass)
            settings = {**self.ws.settings(klass), **self.app.tune.settings()}
            self.revision = self.ws.save_settings(klass, settings, self.revision)
        except MakkerError as err:
            self.error = _msg(err)

    def _show_plan(self, plan) -> None:
        self.plan, self.saved = plan, True
        if self.app is not None:
            self._quiet = True
            try:
                self.app.tune.plan = plan
            finally:
                self._quiet = False

    def _guard(self, action, *args) -> bool:
        """Run an action; a MakkerError becomes the error message, anything else a generic one."""
        try:
            action(*args)
        except MakkerError as err:
            self.error = _msg(err)
            return False
        except Exception:  # noqa: BLE001 - never a traceback in the page
            log.exception("school-year action failed")
            self.error = Message.of("schoolyear.ui.unexpected")
            return False
        self.error = None
        return True

    # -- publishing ---------------------------------------------------------
    def publish(self, number: int) -> bool:
        def act():
            if not self.saved and not self.save():
                raise MakkerError(self.error.key, **dict(self.error.params)) if self.error else MakkerError("schoolyear.ui.no_class")
            self.revision = self.ws.publish(self.klass, int(number), self.revision)
            self.refresh()
            self.status = Message.of("schoolyear.ui.published", number=number)
        return self._guard(act)

    # -- roster changes and re-planning ------------------------------------
    def leave(self, sid: str | None, replan: bool = True) -> bool:
        def act():
            if not sid:
                raise MakkerError("schoolyear.ui.pick_student")
            self._ensure_class()
            self.revision = self.ws.remove_student(self.klass, sid, self.revision)
            self._reload_roster()
        return self._guard(act) and (not replan or self.plan is None or self.start_replan())

    def join(self, name: str, gender: str | None = None, replan: bool = True) -> bool:
        def act():
            clean = " ".join(name.split())
            if not clean:
                raise MakkerError("schoolyear.ui.need_name")
            self._ensure_class()
            known = self.ws.roster(self.klass, include_left=True)
            if clean in {s.name for s in known.students}:
                raise MakkerError("schoolyear.ui.name_taken", name=clean)
            sid = self._new_id(known.ids())
            first, _, last = clean.partition(" ")
            student = Student(sid, clean, first, last, self.klass, gender if gender in ("K", "M") else None)
            self.revision = self.ws.add_student(self.klass, student, self.revision)
            self._reload_roster()
        return self._guard(act) and (not replan or self.plan is None or self.start_replan())

    @staticmethod
    def _new_id(taken) -> str:
        n = len(taken) + 1
        while f"ny{n}" in set(taken):
            n += 1
        return f"ny{n}"

    def add_never(self, a: str, b: str, replan: bool = True) -> bool:
        def act():
            if not a or not b or a == b:
                raise MakkerError("app.error.pick_two")  # a rule, not a swap
            self._ensure_class()
            from ..schoolyear import add_never_rule

            add_never_rule(self.ws, self.klass, a, b, self.revision)
            self.revision = self.ws.revision(self.klass)
            if self.app is not None:
                self._quiet = True
                try:
                    self.app.load.add_rule("never", a, b)
                finally:
                    self._quiet = False
        return self._guard(act) and (not replan or self.plan is None or self.start_replan())

    def _reload_roster(self) -> None:
        """The app's roster follows the workspace; the plan stays until the re-plan replaces it."""
        if self.app is None:
            return
        plan = self.plan
        self._quiet = True
        try:
            self.app.load.load_roster(self.ws.roster(self.klass))
            rules = self.ws.rules(self.klass)
            self.app.load.never, self.app.load.apart = tuple(rules.never), tuple(rules.apart)
            self.app.tune.plan = plan
        finally:
            self._quiet = False

    def start_replan(self, wait: bool = False) -> bool:
        """Re-plan the unpublished rotations in a background thread (the page keeps answering)."""
        if self.running:
            return False
        if self.plan is None:
            self.error = (Message.of("schoolyear.no_plan", klass=self.klass) if self.klass else Message.of("schoolyear.ui.no_class"))
            return False
        self.running = True
        self.status = Message.of("schoolyear.ui.replanning")
        thread = threading.Thread(target=self._replan, name="makker-replan", daemon=True)
        thread.start()
        self._thread = thread
        if wait:
            thread.join()
        return True

    def wait(self, timeout: float | None = None) -> None:
        thread = getattr(self, "_thread", None)
        if thread is not None:
            thread.join(timeout)

    def _replan(self) -> None:
        from ..schoolyear import replan_class

        limit = float(self.app.tune.time_limit) if self.app is not None else 30.0

        def act():
            result, self.revision = replan_class(self.ws, self.klass, expected_revision=self.revision, time_limit=limit)
            self._show_plan(result.plan)
            self.refresh()
            self.status = Message.of("schoolyear.ui.replanned", keep=max(self.published or [0]))
        try:
            self._guard(act)
        finally:
            self.running = False

    # -- swaps ---------------------------------------------------------------
    def swap(self, number: int, a: str | None, b: str | None, confirm: bool = False) -> bool:
        """Swap two students; a never-together pair is refused, other warnings are shown before saving."""
        out = {"done": False}

        def act():
            from ..schoolyear import swap_students

            if not a or not b:
                raise MakkerError("schoolyear.same_student")

            result = swap_students(self.plan, int(number), a, b, self._rules(), self.published)
            if any(m.key == "schoolyear.swap_never" for m in result.warnings):
                self.pending_swap = None
                self.warnings = [Message.of("dashboard.swap_never", number=number)]  # the reason by the swap
                raise MakkerError("dashboard.swap_never", number=number)
            if result.warnings and not (confirm and self.pending_swap == (int(number), a, b)):
                self.pending_swap = (int(number), a, b)
                self.warnings = list(result.warnings)
                self.status = Message.of("dashboard.swap_confirm", number=number)
                return
            self.revision = self.ws.save_plan(self.klass, result.plan, self.revision)
            self.pending_swap = None
            self._show_plan(result.plan)
            self.warnings = list(result.warnings)
            self.status = Message.of("schoolyear.ui.swapped", number=number)
            out["done"] = True
        if self.plan is None:
            self.error = (Message.of("schoolyear.no_plan", klass=self.klass) if self.klass else Message.of("schoolyear.ui.no_class"))
            return False
        return self._guard(act) and out["done"]

    # -- calendar ------------------------------------------------------------
    def compute_dates(self) -> bool:
        from .. import calendar as cal

        def act():
            if self.start is None:
                raise MakkerError("schoolyear.ui.need_start")
            count = len(self.plan.rotations) if self.plan is not None else int(self.app.tune.rotations if self.app else 4)
            self.dates = cal.rotation_dates(self.start, count, int(self.weeks), county=self.county or None,
                                            count_school_weeks=self.school_weeks)
            self.calendar_warnings = cal.warnings(self.dates, self.county or None)
        return self._guard(act)

    def apply_dates(self) -> bool:
        """Write the calendar's dates into the plan (published rotations keep theirs)."""
        def act():
            if self.plan is None:
                raise (MakkerError("schoolyear.no_plan", klass=self.klass) if self.klass else MakkerError("schoolyear.ui.no_class"))
            if not self.dates:
                raise MakkerError("schoolyear.ui.need_dates")
            rots = [r if r.number in self.published or i >= len(self.dates)
                    else replace(r, start=self.dates[i][0], end=self.dates[i][1])
                    for i, r in enumerate(self.plan.rotations)]
            plan = self.plan.with_rotations(rots)
            self.revision = self.ws.save_plan(self.klass, plan, self.revision)
            self._show_plan(plan)
            if self.app is not None:
                self.app.tune.start = self.start
        return self._guard(act)

    def calendar_links(self) -> str:
        from .. import calendar as cal
        from ..export import data_link

        if not self.dates:
            return ""
        klass = self.klass or ""
        ics = cal.dates_to_ics(self.dates, klass, self.lang).encode("utf-8")
        csv = cal.dates_to_csv(self.dates, self.lang, self.county or None)
        name = f"{t('schoolyear.ui.file_changes', self.lang)}_{klass}".strip("_")
        return (_link(data_link(ics, f"{name}.ics", "text/calendar", t("schoolyear.ui.download_ics", self.lang),
                                "makker-download-ics"))
                + " · " + _link(data_link(csv, f"{name}.csv", "text/csv", t("schoolyear.ui.download_dates", self.lang),
                                          "makker-download-dates")))

    # -- implementation log -------------------------------------------------
    def log_rotation(self, number: int, done: bool, contracts: bool, day: date | None, note: str) -> bool:
        def act():
            self._ensure_class()
            self.ws.log_rotation(self.klass, int(number), change_done=bool(done), contracts_written=bool(contracts),
                                 day=day, note=note or "")
            self.refresh()
            self.status = Message.of("schoolyear.ui.logged", number=number)
        return self._guard(act)

    def overview(self) -> list[dict]:
        return self.ws.overview() if self.ws is not None else []

    # -- class pack and workspace files ----------------------------------
    def pack_link(self, number: int, letters: bool = False) -> str:
        from ..export import data_link
        from ..pack import class_pack

        out = {"link": ""}

        def act():
            if self.plan is None:
                raise (MakkerError("schoolyear.no_plan", klass=self.klass) if self.klass else MakkerError("schoolyear.ui.no_class"))
            from ..roster import school_name

            school = school_name(self.app.load.rosters) if self.app is not None else None
            pdf = class_pack(self.plan, int(number), self.lang, school=school, letters=letters)
            name = f"{t('schoolyear.ui.file_pack', self.lang)}_{self.plan.klass}_{int(number)}.pdf"
            out["link"] = _link(data_link(pdf, name, "application/pdf", t("schoolyear.ui.download_pack", self.lang,
                                                                           number=number), "makker-pack-link"))
        self._guard(act)
        return out["link"]

    def export_link(self) -> str:
        from ..export import data_link

        if self.ws is None:
            return ""
        data = self.ws.export_bytes()
        return _link(data_link(data, f"{Path(self.path).stem}.makker", "application/octet-stream",
                               t("schoolyear.ui.download_workspace", self.lang), "makker-workspace-link"))

    def import_upload(self, value) -> bool:
        from ..store import Workspace

        files = list(value or ())
        if not files:
            return False

        def act():
            data = bytes(files[-1].get("content") or b"")
            ws = Workspace.import_file(data, self.path, replace=True)
            self.ws = ws
            self.klass, self.revision = "", -1
            self.refresh()
            self.restore()
            self.status = Message.of("schoolyear.ui.imported")
        return self._guard(act)

    def list_backups(self) -> None:
        """The backups the coordinator can go back to (newest first), with what differs from now."""
        try:
            self.backups = self.ws.backup_info() if self.ws is not None else []
        except MakkerError as err:
            self.backups, self.error = [], _msg(err)

    def restore_backup(self, name: str = "", confirm: bool = False) -> bool:
        """Go back to a chosen backup after a second, confirming click; today's state becomes a backup first.

        With a damaged workspace file (nothing opened) the newest backup is put
        in its place and the damaged file kept aside, as before.
        """
        from ..store import Workspace

        if self.ws is not None:
            return self._roll_back(name, confirm)

        def act():
            path = Path(self.path or workspace_path())
            folder = path.parent / "backups"
            backups = sorted(folder.glob(f"{path.stem}-*.sqlite")) if folder.exists() else []
            if not backups:
                raise MakkerError("store.corrupt_no_backup", path=str(path))
            self.ws = Workspace.restore(backups[-1], path)
            self.path = str(path)
            self.refresh()
            self.restore()
            self.status = Message.of("schoolyear.ui.backup_restored", backup=backups[-1].name)
        return self._guard(act)

    def _roll_back(self, name: str, confirm: bool) -> bool:
        if not self.backups:
            self.list_backups()
        chosen = next((b for b in self.backups if b["path"].name == name), None) if name else None
        if chosen is None and not name and self.backups:
            chosen = self.backups[0]
        if chosen is None:
            self.error = Message.of("store.no_such_backup", name=name or "–")
            return False
        made = _when(chosen["made"], self.lang)
        if not confirm or self.armed_backup != chosen["path"].name:
            self.armed_backup = chosen["path"].name
            self.status = Message.of("dashboard.backup_confirm", made=made)
            return False

        def act():
            klass = self.klass
            self.ws = self.ws.roll_back(chosen["path"])
            self.armed_backup = ""
            self.revision = -1
            self.refresh()
            self.list_backups()
            if self.classes:
                self.restore(klass if klass in self.classes else None)
            self.status = Message.of("dashboard.backup_rolled_back", made=made)
        return self._guard(act)

    def delete_class(self, confirm: str) -> bool:
        def act():
            self.ws.delete_class(self.klass, confirm)
            self.klass, self.plan, self.saved = "", None, False
            self.refresh()
            self.status = Message.of("schoolyear.ui.deleted_class")
        return self._guard(act)

    def delete_year(self, confirm: str) -> bool:
        def act():
            path = self.ws.path
            self.ws.delete_year(confirm)
            self.klass, self.plan, self.saved = "", None, False
            self.open(path)  # an empty workspace, so the page keeps working
            self.status = Message.of("schoolyear.ui.deleted_year")
        return self._guard(act)


# =========================================================================== view


def _h(key: str, lang: str, level: int = 3) -> str:
    return f"<h{level}>{escape(t(key, lang))}</h{level}>"


LINK_STYLE = 'style="color:#0b4f9c;text-decoration:underline;font-weight:bold"'


def _link(html_link: str) -> str:
    """Download links that look like links (contrast and underline, not colour alone)."""
    return html_link.replace("<a ", f"<a {LINK_STYLE} ", 1) if html_link else ""


def _messages(messages, lang: str, css: str = "") -> str:
    items = "".join(f"<li>{escape(m.render(lang))}</li>" for m in messages)
    return f'<ul class="{css}" role="status">{items}</ul>' if items else ""


class SchoolYearView(w.VBox):
    def __init__(self, model: SchoolYearModel, **kw):
        super().__init__(**kw)
        self.model = model
        self._armed_leave = None  # the student «Eleven slutter» waits to have confirmed
        self.add_class("makker-schoolyear")
        self.heading = {k: w.HTML() for k in ("workspace", "calendar", "publish", "changes", "swap", "log", "pack", "files")}
        self.hidden_note = tag(w.HTML(), "makker-schoolyear-hidden")
        self.status = tag(w.HTML(), "makker-schoolyear-status")
        self.error = tag(w.HTML(), "makker-schoolyear-error")
        # workspace
        self.where = tag(w.HTML(), "makker-workspace-path")
        self.class_select = labelled(w.Dropdown(), "makker-schoolyear-class")
        self.save_btn = tag(w.Button(icon="save"), "makker-save")
        self.reload_btn = tag(w.Button(icon="refresh"), "makker-reload")
        # calendar
        self.start = labelled(w.DatePicker(), "makker-calendar-start")
        self.county = labelled(w.Dropdown(), "makker-calendar-county")
        self.weeks = labelled(w.BoundedIntText(value=3, min=1, max=20), "makker-calendar-weeks")
        self.school_weeks = labelled(w.Checkbox(value=True, indent=False), "makker-calendar-schoolweeks")
        self.dates_btn = tag(w.Button(), "makker-calendar-compute")
        self.apply_btn = tag(w.Button(), "makker-calendar-apply")
        self.dates_out = tag(w.HTML(), "makker-calendar-table")
        self.calendar_box = tag(w.VBox([self.start, self.county, self.weeks, self.school_weeks,
                                        w.HBox([self.dates_btn, self.apply_btn]), self.dates_out]), "makker-calendar")
        # publish
        self.publish_rot = labelled(w.Dropdown(), "makker-publish-rotation")
        self.publish_btn = tag(w.Button(icon="lock"), "makker-publish-button")
        self.published = tag(w.HTML(), "makker-published")
        self.publish_box = tag(w.VBox([w.HBox([self.publish_rot, self.publish_btn]), self.published]), "makker-publish")
        # roster changes
        self.leaver = labelled(w.Dropdown(), "makker-student-leaver")
        self.leave_btn = tag(w.Button(), "makker-student-leave")
        self.newcomer = labelled(w.Text(layout=w.Layout(width="24em")), "makker-student-name")
        self.newcomer_gender = labelled(w.Dropdown(), "makker-student-gender")
        self.join_btn = tag(w.Button(), "makker-student-join")
        self.never_a = labelled(w.Dropdown(), "makker-never-a")
        self.never_b = labelled(w.Dropdown(), "makker-never-b")
        self.never_btn = tag(w.Button(), "makker-never-add")
        self.never_box = w.HBox([self.never_a, self.never_b, self.never_btn], layout=w.Layout(flex_flow="row wrap"))
        self.replan_btn = tag(w.Button(icon="random"), "makker-replan")
        self.changes_box = tag(w.VBox([w.HBox([self.leaver, self.leave_btn], layout=w.Layout(flex_flow="row wrap")),
                                       w.HBox([self.newcomer, self.newcomer_gender, self.join_btn], layout=w.Layout(flex_flow="row wrap")),
                                       self.never_box, self.replan_btn]), "makker-roster-changes")
        # swap
        self.swap_rot = labelled(w.Dropdown(), "makker-swap-rotation")
        self.swap_a = labelled(w.Dropdown(), "makker-swap-a")
        self.swap_b = labelled(w.Dropdown(), "makker-swap-b")
        self.swap_btn = tag(w.Button(icon="exchange"), "makker-swap-button")
        self.swap_anyway = tag(w.Button(button_style="warning"), "makker-swap-anyway")
        self.swap_out = tag(w.HTML(), "makker-swap-warnings")
        self.swap_box = tag(w.VBox([w.HBox([self.swap_rot, self.swap_a, self.swap_b, self.swap_btn, self.swap_anyway],
                                           layout=w.Layout(flex_flow="row wrap")), self.swap_out]), "makker-swap")
        # log
        self.log_rot = labelled(w.Dropdown(), "makker-log-rotation")
        self.log_done = labelled(w.Checkbox(indent=False), "makker-log-done")
        self.log_contracts = labelled(w.Checkbox(indent=False), "makker-log-contracts")
        self.log_day = labelled(w.DatePicker(), "makker-log-date")
        self.log_note = labelled(w.Textarea(rows=2), "makker-log-note")
        self.log_btn = tag(w.Button(icon="check"), "makker-log-save")
        self.log_table = tag(w.HTML(), "makker-log-table")
        self.overview = tag(w.HTML(), "makker-log-overview")
        self.log_box = tag(w.VBox([self.log_rot, w.HBox([self.log_done, self.log_contracts]), self.log_day,
                                   self.log_note, self.log_btn, self.log_table, self.overview]), "makker-log")
        # pack
        self.pack_rot = labelled(w.Dropdown(), "makker-pack-rotation")
        self.pack_letters = labelled(w.Checkbox(indent=False), "makker-pack-letters")
        self.pack_btn = tag(w.Button(icon="file-pdf-o"), "makker-pack-build")
        self.pack_link = tag(w.HTML(), "makker-pack-download")
        self.pack_box = tag(w.VBox([w.HBox([self.pack_rot, self.pack_letters, self.pack_btn]), self.pack_link]), "makker-pack")
        # files
        self.export_btn = tag(w.Button(icon="download"), "makker-workspace-export")
        self.export_link = tag(w.HTML(), "makker-workspace-download")
        self.import_upload = labelled(w.FileUpload(accept=".makker", multiple=False), "makker-workspace-import")
        self.confirm = labelled(w.Text(layout=w.Layout(width="44em")), "makker-delete-confirm")
        self.delete_class_btn = tag(w.Button(button_style="danger"), "makker-delete-class")
        self.delete_year_btn = tag(w.Button(button_style="danger"), "makker-delete-year")
        self.backup_btn = tag(w.Button(icon="history"), "makker-restore-backup")
        self.backup_select = labelled(w.Dropdown(layout=w.Layout(width="44em")), "makker-backup-select")
        self.files_box = tag(w.VBox([w.HBox([self.export_btn, self.export_link]), self.import_upload,
                                     w.HBox([self.backup_select, self.backup_btn], layout=w.Layout(flex_flow="row wrap")),
                                     self.confirm,
                                     w.HBox([self.delete_class_btn, self.delete_year_btn])]), "makker-workspace-files")
        self._sections = [
            ("workspace", w.VBox([self.where, w.HBox([self.class_select, self.save_btn, self.reload_btn],
                                                     layout=w.Layout(flex_flow="row wrap"))])),
            ("calendar", self.calendar_box), ("publish", self.publish_box), ("changes", self.changes_box),
            ("swap", self.swap_box), ("log", self.log_box), ("pack", self.pack_box), ("files", self.files_box),
        ]
        children = [self.status, self.error]
        for key, box in self._sections:
            children += [self.heading[key], box]
        self._content = children
        self.children = [self.hidden_note, *children]
        self._wire()
        self.render()

    # -- wiring --------------------------------------------------------------
    def _wire(self):
        m = self.model
        self.save_btn.on_click(lambda _: m.save())
        self.reload_btn.on_click(lambda _: m.reload())
        self.class_select.observe(self._class_chosen, names="value")
        self.dates_btn.on_click(self._compute_dates)
        self.apply_btn.on_click(lambda _: m.apply_dates())
        self.publish_btn.on_click(lambda _: self.publish_rot.value and m.publish(self.publish_rot.value))
        self.leave_btn.on_click(self._leave)
        self.leaver.observe(lambda _: self._disarm_leave(), names="value")
        self.join_btn.on_click(self._join)
        self.never_btn.on_click(lambda _: m.add_never(self.never_a.value, self.never_b.value))
        self.replan_btn.on_click(lambda _: m.start_replan())
        self.swap_btn.on_click(lambda _: self.swap_rot.value and m.swap(self.swap_rot.value, self.swap_a.value, self.swap_b.value))
        self.log_btn.on_click(lambda _: self.log_rot.value and m.log_rotation(
            self.log_rot.value, self.log_done.value, self.log_contracts.value, self.log_day.value, self.log_note.value))
        self.pack_btn.on_click(self._pack)
        self.export_btn.on_click(lambda _: setattr(self.export_link, "value", m.export_link()))
        self.import_upload.observe(lambda c: m.import_upload(c["new"]), names="value")
        self.backup_btn.on_click(lambda _: m.restore_backup(self.backup_select.value or "", confirm=bool(m.armed_backup)))
        self.swap_anyway.on_click(lambda _: m.pending_swap and m.swap(*m.pending_swap, confirm=True))
        self.delete_class_btn.on_click(lambda _: m.delete_class(self.confirm.value) and setattr(self.confirm, "value", ""))
        self.delete_year_btn.on_click(lambda _: m.delete_year(self.confirm.value) and setattr(self.confirm, "value", ""))
        m.observe(lambda _: self.render(), names=["lang", "presentation", "classes", "klass", "published", "plan",
                                                  "status", "error", "warnings", "dates", "calendar_warnings",
                                                  "log_entries", "running", "saved", "revision", "pending_swap",
                                                  "backups", "armed_backup", "fictional"])

    def _class_chosen(self, change):
        # new options while rendering move the value by themselves: only the coordinator's pick counts
        if getattr(self, "_rendering", False):
            return
        if change["new"] and change["new"] != self.model.klass:
            self.model.restore(change["new"])

    def _compute_dates(self, _):
        m = self.model
        m.start, m.county, m.weeks, m.school_weeks = (self.start.value, self.county.value or "",
                                                      int(self.weeks.value), bool(self.school_weeks.value))
        m.compute_dates()

    def _leave(self, _):
        """«Eleven slutter» takes two clicks: the first names the student on the button, the second acts."""
        m, sid = self.model, self.leaver.value
        if not sid:
            m.error = Message.of("schoolyear.ui.pick_student")
            return
        if self._armed_leave != sid:
            self._armed_leave = sid
            m.error = None
            m.status = Message.of("schoolyear.ui.confirm_leave", name=self._student_name(sid))
            self.render()
            return
        self._disarm_leave(render=False)
        m.leave(sid)
        self.render()

    def _disarm_leave(self, render: bool = True):
        if self._armed_leave is not None:
            self._armed_leave = None
            if render:
                self.render()

    def _student_name(self, sid) -> str:
        roster = self.model._roster()
        names = {s.id: s.name for s in (roster.students if roster is not None else [])}
        return names.get(sid, str(sid))

    def _join(self, _):
        if self.model.join(self.newcomer.value, self.newcomer_gender.value or None):
            self.newcomer.value = ""

    def _pack(self, _):
        self.pack_btn.disabled = True
        try:
            self.pack_link.value = self.model.pack_link(self.pack_rot.value or 1, self.pack_letters.value)
        finally:
            self.pack_btn.disabled = False

    # -- rendering -----------------------------------------------------------
    @staticmethod
    def _options(widget, options):
        if list(widget.options) != list(options):
            value = widget.value
            widget.options = options
            values = [v for _, v in options]
            widget.value = value if value in values else (values[0] if values else None)

    @staticmethod
    def _student_options(widget, students):
        """A student picker starts on «–» (value ""): nothing happens to a student nobody chose."""
        options = [("–", "")] + list(students)
        if list(widget.options) != options:
            value = widget.value
            widget.options = options
            widget.value = value if value in [v for _, v in options] else ""

    def render(self):
        self._rendering = True
        try:
            self._render()
        finally:
            self._rendering = False

    def _render(self):
        m, lang = self.model, self.model.lang
        tr = lambda key, **kw: t(key, lang, **kw)  # noqa: E731
        for key in self.heading:
            self.heading[key].value = _h(f"schoolyear.ui.h_{key}", lang)
        self.status.value = f'<p role="status">{escape(m.status.render(lang))}</p>' if m.status else ""
        self.error.value = (f'<div role="alert" style="border:2px solid #a00;padding:6px;color:#1a1a1a">'
                            f'{escape(m.error.render(lang))}</div>') if m.error else ""
        # the coordinator's controls (leavers, deletes, file path, log) are not for a projector
        self.hidden_note.value = f"<p>{escape(tr('schoolyear.ui.hidden'))}</p>" if m.presentation else ""
        set_visible(self.hidden_note, m.presentation)
        for child in self._content:
            set_visible(child, not m.presentation)
        self.where.value = "" if m.presentation else f"<p>{escape(tr('schoolyear.ui.where', path=m.path))}</p>"
        self._options(self.class_select, [(c, c) for c in m.classes])
        if m.klass in m.classes:
            self.class_select.value = m.klass
        self._describe(tr)
        plan = m.plan
        numbers = [r.number for r in plan.rotations] if plan is not None else []
        open_numbers = [n for n in numbers if n not in m.published]
        self._options(self.publish_rot, [(str(n), n) for n in open_numbers])
        self._options(self.swap_rot, [(str(n), n) for n in open_numbers])
        self._options(self.log_rot, [(str(n), n) for n in numbers])
        self._options(self.pack_rot, [(str(n), n) for n in numbers])
        students = sorted((s.name, s.id) for s in (m._roster().students if m._roster() is not None else []))
        for widget in (self.leaver, self.swap_a, self.swap_b, self.never_a, self.never_b):
            self._student_options(widget, students)
        self.published.value = f"<p>{escape(tr('schoolyear.ui.published_list', numbers=', '.join(map(str, m.published)) or '–'))}</p>"
        self.swap_out.value = _messages(m.warnings, lang, "makker-swap-list")
        self.swap_anyway.description = tr("dashboard.swap_anyway")
        set_visible(self.swap_anyway, m.pending_swap is not None)
        self._backup_options(tr)
        self.dates_out.value = self._dates_html(tr)
        self.log_table.value = self._log_html(tr)
        self.overview.value = self._overview_html(tr)
        for button in (self.replan_btn, self.leave_btn, self.join_btn, self.never_btn, self.swap_btn, self.publish_btn):
            button.disabled = m.running
        set_visible(self.never_box, not m.presentation)
        set_visible(self.files_box, not m.presentation)
        set_visible(self.heading["files"], not m.presentation)

    def _backup_options(self, tr) -> None:
        m = self.model
        rows = [(tr("dashboard.backup_row", made=_when(b["made"], m.lang),
                    changed=tr("dashboard.backup_changed", classes=", ".join(b["changed"])) if b["changed"]
                    else tr("dashboard.backup_same")), b["path"].name) for b in m.backups]
        self._options(self.backup_select, rows or [(tr("dashboard.backup_none"), "")])
        if m.armed_backup and m.armed_backup in [v for _, v in rows]:
            self.backup_select.value = m.armed_backup
        self.backup_select.description = tr("dashboard.backups")
        if m.ws is not None:
            self.backup_btn.description = tr("dashboard.restore_chosen")
        self.backup_btn.button_style = "danger" if m.armed_backup else ""

    def _describe(self, tr):
        pairs = [
            (self.class_select, "class"), (self.start, "start"), (self.county, "county"), (self.weeks, "weeks"),
            (self.school_weeks, "school_weeks"), (self.publish_rot, "rotation"), (self.leaver, "leaver"),
            (self.newcomer, "newcomer"), (self.newcomer_gender, "gender"), (self.never_a, "never_a"),
            (self.never_b, "never_b"), (self.swap_rot, "rotation"), (self.swap_a, "swap_a"), (self.swap_b, "swap_b"),
            (self.log_rot, "rotation"), (self.log_done, "log_done"), (self.log_contracts, "log_contracts"),
            (self.log_day, "log_day"), (self.log_note, "log_note"), (self.pack_rot, "rotation"),
            (self.pack_letters, "letters"), (self.import_upload, "import"), (self.confirm, "confirm"),
        ]
        for widget, key in pairs:
            widget.description = tr(f"schoolyear.ui.l_{key}")
        buttons = [
            (self.save_btn, "save"), (self.reload_btn, "reload"), (self.dates_btn, "compute"), (self.apply_btn, "apply"),
            (self.publish_btn, "publish"), (self.leave_btn, "leave"), (self.join_btn, "join"), (self.never_btn, "never"),
            (self.replan_btn, "replan"), (self.swap_btn, "swap"), (self.log_btn, "log"), (self.pack_btn, "pack"),
            (self.export_btn, "export"), (self.delete_class_btn, "delete_class"), (self.delete_year_btn, "delete_year"),
            (self.backup_btn, "restore_backup"),
        ]
        for button, key in buttons:
            button.description = tr(f"schoolyear.ui.b_{key}")
            button.tooltip = button.description
            button.layout.width = "max-content"  # the whole label, in every language
            button.layout.align_self = "flex-start"
        if self._armed_leave is not None:
            self.leave_btn.description = tr("schoolyear.ui.b_leave_confirm", name=self._student_name(self._armed_leave))
            self.leave_btn.tooltip = self.leave_btn.description
        self.leave_btn.button_style = "danger" if self._armed_leave is not None else ""
        self._options(self.newcomer_gender, [(tr("schoolyear.ui.gender_none"), ""), (tr("schoolyear.ui.gender_K"), "K"),
                                             (tr("schoolyear.ui.gender_M"), "M")])
        from ..calendar import county_names

        self._options(self.county, [(tr("schoolyear.ui.no_county"), "")] + [(n, k) for k, n in county_names().items()])
        set_visible(self.newcomer_gender, not self.model.presentation)
        set_visible(self.log_note, not self.model.presentation)

    def _dates_html(self, tr) -> str:
        m = self.model
        if not m.dates:
            return ""
        rows = [[i, date_text(a, m.lang), date_text(b, m.lang)] for i, (a, b) in enumerate(m.dates, start=1)]
        table = _table([tr("calendar.col_rotation"), tr("calendar.col_start"), tr("calendar.col_end")], rows)
        return table + _messages(m.calendar_warnings, m.lang, "makker-calendar-warnings") + f"<p>{m.calendar_links()}</p>"

    def _log_html(self, tr) -> str:
        m = self.model
        if not m.log_entries:
            return ""
        yes, no = tr("schoolyear.ui.yes"), tr("schoolyear.ui.no")
        rows = [[e.rotation, yes if e.change_done else no, yes if e.contracts_written else no,
                 date_text(e.day, m.lang), e.note] for e in m.log_entries]
        heads = [tr("schoolyear.ui.l_rotation"), tr("schoolyear.ui.l_log_done"), tr("schoolyear.ui.l_log_contracts"),
                 tr("schoolyear.ui.l_log_day"), tr("schoolyear.ui.l_log_note")]
        if m.presentation:  # free-text notes may be about students: not on the projector
            heads, rows = heads[:-1], [r[:-1] for r in rows]
        return _table(heads, rows)

    def _overview_html(self, tr) -> str:
        rows = [[r["class"], r["students"], r["planned"], r["published"], r["changes_done"], r["contracts_written"]]
                for r in self.model.overview()]
        if not rows:
            return ""
        heads = [tr(f"schoolyear.ui.o_{k}") for k in ("class", "students", "planned", "published", "done", "contracts")]
        return f"<h4>{escape(tr('schoolyear.ui.overview'))}</h4>" + _table(heads, rows)


def build_schoolyear_tab(app) -> w.Widget:
    """The tab MakkerApp mounts: restores the last saved class when the dashboard has none yet."""
    model = SchoolYearModel(app)
    if app is not None and app.load.roster is None and not app.training and model.ws is not None:
        chosen = model.ws.meta("klass")
        model.restore(chosen if chosen in model.classes else (model.classes[0] if model.classes else None))
    return SchoolYearView(model)
