"""The saved school year as the page sees it: the one source of truth for classes, rules, plans and dates.

``SchoolYearModel`` (traitlets, no widgets, no reference to other panels) does
every action with the core (``makker.store``, ``makker.calendar``,
``makker.schoolyear``, ``makker.pack``) and keeps the result as plain traits.

How it talks to the rest of the page (``AppModel`` wires it):

- **in**: the app calls one method per thing the coordinator did elsewhere:
  ``uploaded`` (a class list file), ``choose`` (a class picked in the class
  list tab), ``rules_changed``, ``plan_made`` (a plan «Lag plan» made),
  ``plan_started`` and ``sample_mode``; and it links the page's current class
  list and rules into ``roster``/``rules``, the planner's time limit and
  number of rotations into ``time_limit``/``rotations``.
- **out**: ``shown`` is an event, a :class:`Shown` holding what the page must
  now show (the saved class lists, a rule set, settings, a plan); ``locked``,
  ``keep`` and ``blocked`` say what «Lag plan» must keep or wait for.

Every plan the tune panel makes is saved to the workspace at once, so closing
the tab or restarting the server loses nothing; a save from a stale window is
refused with the store's conflict message instead of overwriting newer work.
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import traitlets as tl

from ...export import Download
from ...i18n import MakkerError, Message, t
from ...rules import Rules
from ...students import Student

log = logging.getLogger(__name__)

KEEP: Any = object()  # a Shown field left as it is on the page

SECTIONS = ("workspace", "calendar", "publish", "changes", "swap", "log", "pack", "files")


@dataclass(frozen=True)
class Shown:
    """What the page must show after a school-year action (fields left at ``KEEP`` stay as they are)."""

    klass: str = ""
    rosters: Any = KEEP  # list[Roster]: every saved class list (tab 1), with ``klass`` chosen
    roster: Any = KEEP  # Roster: this class's list in place of the page's one
    rename: Any = KEEP  # (old, new): the page's class list ``old`` is now called ``new``
    rules: Any = KEEP  # Rules of the class
    settings: Any = KEEP  # tab 2's saved choices (dict)
    start: Any = KEEP  # date | None: the first school day for «Lag plan»
    plan: Any = KEEP  # Plan | None
    source: str = ""
    fictional: bool = False
    serial: int = 0  # a new number every time, so that showing the same again is still news


def backup_time(moment, lang: str) -> str:
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


def _same_students(a, b) -> bool:
    return [(s.id, s.name) for s in a.students] == [(s.id, s.name) for s in b.students]


def workspace_path(training: bool = False) -> Path:
    """``$MAKKER_WORKSPACE``, else ``~/makker/<skoleår>.sqlite`` (a separate file in training mode).

    ``MAKKER_WORKSPACE=temp`` keeps the work of one page only (a temporary file
    removed when the kernel ends): for shared test servers and demos.
    """
    from ...store import default_folder, default_path

    wanted = os.environ.get("MAKKER_WORKSPACE", "").strip()
    if wanted.lower() == "temp":
        return _scratch_folder("makker-page-") / "side.sqlite"
    if wanted:
        return Path(wanted).expanduser()
    return default_folder() / "opplaering.sqlite" if training else default_path()


def _scratch_folder(prefix: str) -> Path:
    """A temporary folder removed when the kernel ends."""
    folder = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, folder, True)
    return Path(folder)


class SchoolYearModel(tl.HasTraits):
    lang = tl.Unicode("nb")
    presentation = tl.Bool(False)
    path = tl.Unicode("")
    classes = tl.List(tl.Unicode())
    klass = tl.Unicode("")
    revision = tl.Int(-1)  # the class's revision this page last saw (-1: not in the workspace)
    published = tl.List(tl.Int())
    plan = tl.Any(None)  # the class's plan as saved (or as just made, when ``saved`` is False)
    saved = tl.Bool(False)  # the current plan is in the workspace
    status = tl.Any(None)  # Message | None
    warnings: tl.List = tl.List()  # list[Message] (swap, calendar)
    error = tl.Any(None)  # Message | None
    origin = tl.Enum(SECTIONS, default_value="workspace")  # the section whose control the last message is about
    # the page's current class, linked in by the app
    roster = tl.Any(None)  # Roster | None: the class list the page shows
    rules = tl.Instance(Rules, args=())  # its rules as the page holds them
    school = tl.Unicode("")  # the school's name typed on the page: heads the class pack and signs the letters
    time_limit = tl.Float(30.0)  # seconds per re-plan (tab 2's choice)
    rotations = tl.Int(4)  # tab 2's number of rotations (the calendar's count before a plan exists)
    # what the page must show or keep, read by the app
    shown = tl.Any(None)  # Shown: an event, a new object every time
    locked = tl.Any(None)  # Plan | None whose rotations 1..keep are published
    keep = tl.Int(0)
    blocked = tl.Any(None)  # Message | None: why «Lag plan» must wait
    # long work
    running = tl.Bool(False)
    done = tl.Int(0)
    total = tl.Int(0)
    # calendar
    start = tl.Any(None)  # date | None
    county = tl.Unicode("")
    weeks = tl.Int(3)
    school_weeks = tl.Bool(True)
    dates: tl.List = tl.List()  # list[(date, date)]
    calendar_warnings: tl.List = tl.List()
    # log
    log_entries: tl.List = tl.List()
    # what the coordinator must decide before anything is saved
    fictional = tl.Bool(False)  # a sample is shown: this model works in a scratch workspace
    pending = tl.Dict()  # {klass: {"new": [names], "gone": [names]}}: uploaded lists that differ from the saved ones
    pending_swap = tl.Any(None)  # (number, a, b) waiting for «Bytt likevel»
    backups: tl.List = tl.List()  # Workspace.backup_info() rows, newest first
    armed_backup = tl.Unicode("")  # the backup a second click restores

    def __init__(self, path: str | Path | None = None, training: bool = False, **kw):
        super().__init__(**kw)
        self.ws: Any = None
        self._uploaded: dict = {}  # klass -> Roster of the last real class list file
        self._thread: threading.Thread | None = None
        self._cancel = threading.Event()
        self._real_path = Path(path or workspace_path(training))
        self.open(self._real_path)

    def start_page(self) -> None:
        """A page opened on a saved school year shows its last chosen class (or the first)."""
        if self.ws is None or not self.classes:
            return
        chosen = self.ws.meta("klass")
        self.restore(chosen if chosen in self.classes else self.classes[0])

    def _show(self, **what) -> None:
        serial = self.shown.serial + 1 if self.shown is not None else 1
        self.shown = Shown(klass=self.klass, fictional=self.fictional, serial=serial, **what)

    def _forget_uploads(self) -> None:
        """A year put back from a backup or a file replaces what an upload was compared with.

        The questions about uploaded lists (replace, keep, save as) and a
        swap waiting for «Bytt likevel» no longer apply: the classes are shown
        as the restored year saved them.
        """
        self.pending, self.pending_swap = {}, None
        self._uploaded = {}

    def _say(self, origin: str, status: Message | None = None) -> None:
        self.origin = origin
        if status is not None:
            self.status = status

    # -- workspace ----------------------------------------------------------
    def open(self, path: str | Path) -> bool:
        from ...store import Workspace

        self.path = str(path)
        try:
            self.ws = Workspace(path)
        except MakkerError as err:
            self.ws, self.error = None, err.as_message()
            return False
        self.path = str(self.ws.path)
        self.refresh()
        return True

    def refresh(self) -> None:
        """Re-read the class list, published rotations and log from disk.

        The revision is only learnt the first time (or from this page's own
        writes): adopting another window's newer revision here would hide the
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
        self._lock_published()
        self.list_backups()

    def restore(self, klass: str | None = None, show_class: bool = True) -> bool:
        """Show a saved class (rules, settings, plan; with ``show_class`` every saved class list too).

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
            rosters = [self.ws.roster(k) for k in self.classes] if show_class else KEEP
            source = self.ws.meta("source") if show_class else ""
        except MakkerError as err:
            self.error = err.as_message()
            return False
        self.klass, self.plan, self.saved, self.revision = klass, plan, plan is not None, revision
        self._show(rosters=rosters, source=source or "", rules=rules, settings=settings, plan=plan)
        self._remember("klass", klass)
        self.refresh()
        self.error = None
        self._say("workspace", Message.of("schoolyear.ui.restored", klass=klass))
        return True

    def _remember(self, key: str, value: str) -> None:
        """Page state for the next reload (the chosen class, the class list's name)."""
        if self.ws is not None and not self.fictional:
            try:
                self.ws.set_meta(key, value)
            except MakkerError:
                log.warning("could not remember %s", key)

    def _lock_published(self) -> None:
        """«Lag plan» keeps the published rotations exactly and plans the rest around them."""
        keep = max(self.published) if self.published and self.plan is not None else 0
        self.locked, self.keep = (self.plan if keep else None), keep
        self.blocked = Message.of("dashboard.decide_first", klass=self.klass) if self.klass in self.pending else None

    def _ensure_class(self) -> None:
        """Store the class (roster and rules) the first time a plan is saved for it."""
        roster = self.roster
        if roster is None or self.ws is None:
            raise MakkerError("schoolyear.ui.no_class")
        self.klass = roster.klass
        if roster.klass not in self.ws.class_names():
            rev = self.ws.save_roster(roster)
            self.revision = self.ws.save_rules(roster.klass, self.rules, rev)
            self.classes = self.ws.class_names()
        else:
            if self.revision < 0:
                self.revision = self.ws.revision(roster.klass)
            if roster.klass in self.pending:
                raise MakkerError("dashboard.decide_first", klass=roster.klass)

    def save(self, plan=None) -> bool:
        """Save the current plan; refuses (with a message) if another window saved in between."""
        plan = plan if plan is not None else self.plan
        if plan is None:
            return False
        try:
            self._ensure_class()
            self.revision = self.ws.save_plan(self.klass, plan, self.revision)
        except MakkerError as err:
            self.error, self.saved = err.as_message(), False
            self._say("workspace")
            return False
        self.plan, self.saved, self.error = plan, True, None
        self._say("workspace", Message.of("schoolyear.ui.saved", klass=self.klass, revision=self.revision))
        self.refresh()
        return True

    def reload(self) -> None:
        """Throw away this page's view of the class and read it from the workspace again."""
        self.revision = -1
        self.refresh()
        self.restore(self.klass or None)

    # -- what the coordinator did elsewhere on the page --------------------
    def plan_made(self, plan) -> bool:
        """A plan «Lag plan» (or a test) put on the page: new work, saved at once. The year's own plans are not."""
        if plan is None or plan is self.plan:
            return True
        self.plan, self.saved = plan, False
        return self.save(plan)

    def plan_started(self, klass: str, settings: dict) -> None:
        """When «Lag plan» starts, its settings are saved with the class (a reload brings them back)."""
        if self.ws is None or self.fictional or klass not in self.ws.class_names() or klass in self.pending:
            return
        try:
            self.klass = klass
            if self.revision < 0:
                self.revision = self.ws.revision(klass)
            self.revision = self.ws.save_settings(klass, {**self.ws.settings(klass), **settings}, self.revision)
        except MakkerError as err:
            self.error = err.as_message()

    def rules_changed(self, klass: str, rules: Rules) -> None:
        """A rule the coordinator added or removed in the class list tab: saved at once."""
        if self.ws is None or klass != self.klass or klass not in self.classes or klass in self.pending:
            return
        try:
            self.revision = self.ws.save_rules(klass, rules, self.revision)
        except MakkerError as err:
            self.error = err.as_message()

    def choose(self, klass: str) -> None:
        """The coordinator picked another class of the file in the class list tab."""
        if klass == self.klass:
            return
        self.klass, self.revision = klass or "", -1
        self.plan, self.saved = None, False
        self.refresh()
        if self.klass in self.classes and self.klass not in self.pending:
            self.restore(self.klass, show_class=False)  # the saved rules, settings and plan of the class just chosen

    def sample_mode(self, on: bool) -> None:
        """A sample opens a scratch workspace; leaving it reopens the real school year untouched."""
        if bool(on) == self.fictional:
            return
        self.fictional = bool(on)
        self.pending, self.pending_swap = {}, None
        self.klass, self.revision, self.plan, self.saved = "", -1, None, False
        self.open(_scratch_folder("makker-sample-") / "eksempel.sqlite" if self.fictional else self._real_path)

    def leave_sample(self) -> bool:
        """Back to the saved school year: its classes, as they were."""
        self.sample_mode(False)
        chosen = self.ws.meta("klass") if self.ws is not None else ""
        if self.classes:
            return self.restore(chosen if chosen in self.classes else self.classes[0])
        self._show(rosters=[], rules=Rules(), plan=None)
        return True

    def uploaded(self, rosters: list, source: str, klass: str) -> None:
        """A class list was uploaded: new classes are saved at once, changed ones wait for a decision."""
        if self.ws is None or self.fictional:
            return
        self._uploaded = {r.klass: r for r in rosters}
        pending = {}
        try:
            saved = set(self.ws.class_names())
            for roster in rosters:
                if roster.klass not in saved:
                    self.ws.save_roster(roster)
                    continue
                stored = self.ws.roster(roster.klass)
                if not _same_students(stored, roster):
                    pending[roster.klass] = _difference(stored, roster)
            self._remember("source", source)
        except MakkerError as err:
            self.error = err.as_message()
        self.pending = pending
        self.klass, self.revision, self.plan, self.saved = klass, -1, None, False
        self.refresh()
        if self.klass in self.classes and self.klass not in pending:
            self.restore(self.klass, show_class=False)
        if self.klass in pending:
            self._say("workspace", Message.of("dashboard.class_differs", klass=self.klass))

    # -- an uploaded class that is already saved: the coordinator decides ----
    def replace_class(self, klass: str | None = None) -> bool:
        """The uploaded list becomes the class; rules are kept by student id; unpublished rotations re-planned."""
        klass = klass or self.klass

        def act():
            roster = self._uploaded.get(klass)
            if roster is None or klass not in self.pending:
                raise MakkerError("dashboard.nothing_to_decide")
            diff = self.pending[klass]
            self.revision = self.ws.save_roster(roster, self.ws.revision(klass))
            self.pending = {k: v for k, v in self.pending.items() if k != klass}
            self.klass = klass
            self.restore(klass, show_class=False)
            self._say("workspace", Message.of("dashboard.replaced", klass=klass, new=len(diff["new"]),
                                              gone=len(diff["gone"])))
        ok = self._guard("workspace", act)
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
            self._uploaded[klass] = saved
            self.klass = klass
            self._show(roster=saved)
            self.restore(klass, show_class=False)
            self._say("workspace", Message.of("dashboard.kept_saved", klass=klass))
        return self._guard("workspace", act)

    def save_class_as(self, new_name: str, klass: str | None = None) -> bool:
        """Keep the uploaded list of ``klass`` as a new class ``new_name``; the saved one is untouched."""
        klass = klass or self.klass
        name = " ".join((new_name or "").split())

        def act():
            roster = self._uploaded.get(klass)
            if roster is None or klass not in self.pending:
                raise MakkerError("dashboard.nothing_to_decide")
            if not name or name in self.ws.class_names() or name in self._uploaded:
                raise MakkerError("dashboard.name_taken", klass=name or "–")
            renamed = replace(roster, klass=name, students=[replace(s, klass=name) for s in roster.students])
            self.ws.save_roster(renamed)
            self._uploaded = {(name if k == klass else k): (renamed if k == klass else r)
                              for k, r in self._uploaded.items()}
            self.pending = {k: v for k, v in self.pending.items() if k != klass}
            self.klass, self.revision = name, -1
            self._show(rename=(klass, name))
            self.refresh()
            self.restore(name, show_class=False)
            self._say("workspace", Message.of("dashboard.saved_as", klass=name))
        return self._guard("workspace", act)

    def _guard(self, origin: str, action, *args) -> bool:
        """Run an action; a MakkerError becomes the error message beside its section, anything else a generic one."""
        self.origin = origin
        try:
            action(*args)
        except MakkerError as err:
            self.error = err.as_message()
            self.origin = origin
            return False
        except Exception:  # noqa: BLE001 - never a traceback in the page
            log.exception("school-year action failed")
            self.error = Message.of("schoolyear.ui.unexpected")
            self.origin = origin
            return False
        self.error = None
        return True

    def _no_plan(self) -> MakkerError:
        return MakkerError("schoolyear.no_plan", klass=self.klass) if self.klass else MakkerError("schoolyear.ui.no_class")

    # -- publishing ---------------------------------------------------------
    def publish(self, number: int) -> bool:
        def act():
            if not self.saved and not self.save():
                raise (MakkerError(self.error.key, **dict(self.error.params)) if self.error
                       else MakkerError("schoolyear.ui.no_class"))
            self.revision = self.ws.publish(self.klass, int(number), self.revision)
            self.refresh()
            self._say("publish", Message.of("schoolyear.ui.published", number=number))
        return self._guard("publish", act)

    # -- roster changes and re-planning ------------------------------------
    def leave(self, sid: str | None, replan: bool = True) -> bool:
        def act():
            if not sid:
                raise MakkerError("schoolyear.ui.pick_student")
            self._ensure_class()
            self.revision = self.ws.remove_student(self.klass, sid, self.revision)
            self._show_saved_roster()
        return self._guard("changes", act) and (not replan or self.plan is None or self.start_replan())

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
            self._show_saved_roster()
        return self._guard("changes", act) and (not replan or self.plan is None or self.start_replan())

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
            from ...schoolyear import add_never_rule

            add_never_rule(self.ws, self.klass, a, b, self.revision)
            self.revision = self.ws.revision(self.klass)
            self._show(rules=self.ws.rules(self.klass))
        return self._guard("changes", act) and (not replan or self.plan is None or self.start_replan())

    def _show_saved_roster(self) -> None:
        """The page's class list and rules follow the workspace; the plan stays until the re-plan replaces it."""
        roster = self.ws.roster(self.klass)
        self._uploaded[self.klass] = roster
        self._show(roster=roster, rules=self.ws.rules(self.klass), plan=self.plan)

    def start_replan(self, wait: bool = False) -> bool:
        """Re-plan the unpublished rotations in a background thread (the page keeps answering)."""
        if self.running:
            return False
        if self.plan is None:
            self.error, self.origin = self._no_plan().as_message(), "changes"
            return False
        self._cancel = threading.Event()
        self.done, self.total = 0, len(self.plan.rotations)
        self.running = True
        self._say("changes", Message.of("schoolyear.ui.replanning"))
        thread = threading.Thread(target=self._replan, name="makker-replan", daemon=True)
        thread.start()
        self._thread = thread
        if wait:
            thread.join()
        return True

    def cancel_replan(self) -> None:
        """Stop the re-plan: the best plan so far is kept, the published rotations as they were."""
        if self.running:
            self._cancel.set()
            self._say("changes", Message.of("app.status.cancelling"))

    def wait(self, timeout: float | None = None) -> None:
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _progress(self, p) -> None:
        self.total = int(getattr(p, "total", self.total) or self.total)
        self.done = min(int(getattr(p, "done", 0)), self.total)
        message = getattr(p, "message", None)
        self.status = message or Message.of("schoolyear.ui.replan_progress", done=self.done, total=self.total)

    def _replan(self) -> None:
        from ...schoolyear import replan_class

        def act():
            result, self.revision = replan_class(self.ws, self.klass, expected_revision=self.revision,
                                                 time_limit=float(self.time_limit), progress=self._progress,
                                                 cancel=self._cancel)
            self.plan, self.saved = result.plan, True
            self._show(plan=result.plan)
            self.refresh()
            self._say("changes", Message.of("schoolyear.ui.replanned", keep=max(self.published or [0])))
        try:
            self._guard("changes", act)
        finally:
            self.done = self.total
            self.running = False

    # -- swaps ---------------------------------------------------------------
    def swap(self, number: int, a: str | None, b: str | None, confirm: bool = False) -> bool:
        """Swap two students; a never-together pair is refused, other warnings are shown before saving."""
        out = {"done": False}

        def act():
            from ...schoolyear import swap_students

            if self.plan is None:
                raise self._no_plan()
            if not a or not b:
                raise MakkerError("schoolyear.same_student")
            result = swap_students(self.plan, int(number), a, b, self.rules, self.published)
            if any(m.key == "schoolyear.swap_never" for m in result.warnings):
                self.pending_swap = None
                self.warnings = [Message.of("dashboard.swap_never", number=number)]  # the reason by the swap
                raise MakkerError("dashboard.swap_never", number=number)
            if result.warnings and not (confirm and self.pending_swap == (int(number), a, b)):
                self.pending_swap = (int(number), a, b)
                self.warnings = list(result.warnings)
                self._say("swap", Message.of("dashboard.swap_confirm", number=number))
                return
            self.revision = self.ws.save_plan(self.klass, result.plan, self.revision)
            self.pending_swap = None
            self.plan, self.saved = result.plan, True
            self._show(plan=result.plan)
            self.warnings = list(result.warnings)
            self._say("swap", Message.of("schoolyear.ui.swapped", number=number))
            out["done"] = True
        return self._guard("swap", act) and out["done"]

    # -- calendar ------------------------------------------------------------
    def compute_dates(self) -> bool:
        from ... import calendar as cal

        def act():
            if self.start is None:
                raise MakkerError("schoolyear.ui.need_start")
            count = len(self.plan.rotations) if self.plan is not None else int(self.rotations)
            self.dates = cal.rotation_dates(self.start, count, int(self.weeks), county=self.county or None,
                                            count_school_weeks=self.school_weeks)
            self.calendar_warnings = cal.warnings(self.dates, self.county or None)
        return self._guard("calendar", act)

    def apply_dates(self) -> bool:
        """Write the calendar's dates into the plan (published rotations keep theirs)."""
        def act():
            if self.plan is None:
                raise self._no_plan()
            if not self.dates:
                raise MakkerError("schoolyear.ui.need_dates")
            rots = [r if r.number in self.published or i >= len(self.dates)
                    else replace(r, start=self.dates[i][0], end=self.dates[i][1])
                    for i, r in enumerate(self.plan.rotations)]
            plan = self.plan.with_rotations(rots)
            self.revision = self.ws.save_plan(self.klass, plan, self.revision)
            self.plan, self.saved = plan, True
            self._show(plan=plan, start=self.start)
        return self._guard("calendar", act)

    def calendar_files(self) -> list[Download]:
        """The change dates as a calendar (.ics) and a table (.csv)."""
        from ... import calendar as cal

        if not self.dates:
            return []
        klass = self.klass or ""
        name = f"{t('schoolyear.ui.file_changes', self.lang)}_{klass}".strip("_")
        ics = cal.dates_to_ics(self.dates, klass, self.lang).encode("utf-8")
        csv = cal.dates_to_csv(self.dates, self.lang, self.county or None)
        return [Download(ics, f"{name}.ics", "text/calendar", t("schoolyear.ui.download_ics", self.lang),
                         "makker-download-ics"),
                Download(csv, f"{name}.csv", "text/csv", t("schoolyear.ui.download_dates", self.lang),
                         "makker-download-dates")]

    # -- implementation log -------------------------------------------------
    def log_rotation(self, number: int, done: bool, contracts: bool, day: date | None, note: str) -> bool:
        def act():
            self._ensure_class()
            self.ws.log_rotation(self.klass, int(number), change_done=bool(done), contracts_written=bool(contracts),
                                 day=day, note=note or "")
            self.refresh()
            self._say("log", Message.of("schoolyear.ui.logged", number=number))
        return self._guard("log", act)

    def overview(self) -> list[dict]:
        return self.ws.overview() if self.ws is not None else []

    # -- class pack and workspace files ----------------------------------
    def pack_file(self, number: int, letters: bool = False) -> Download | None:
        """The class pack of one rotation as a PDF (None, with the reason in ``error``, when there is none)."""
        from ...pack import class_pack

        out: dict = {}

        def act():
            if self.plan is None:
                raise self._no_plan()
            pdf = class_pack(self.plan, int(number), self.lang, school=self.school or None, letters=letters)
            name = f"{t('schoolyear.ui.file_pack', self.lang)}_{self.plan.klass}_{int(number)}.pdf"
            out["file"] = Download(pdf, name, "application/pdf",
                                   t("schoolyear.ui.download_pack", self.lang, number=number), "makker-pack-link")
        self._guard("pack", act)
        return out.get("file")

    def workspace_file(self) -> Download | None:
        """The whole school year as one file, to keep or to move to another machine."""
        if self.ws is None:
            return None
        return Download(self.ws.export_bytes(), f"{Path(self.path).stem}.makker", "application/octet-stream",
                        t("schoolyear.ui.download_workspace", self.lang), "makker-workspace-link")

    def import_upload(self, value) -> bool:
        from ...store import Workspace

        files = list(value or ())
        if not files:
            return False

        def act():
            data = bytes(files[-1].get("content") or b"")
            self.ws = Workspace.import_file(data, self.path, replace=True)
            self._forget_uploads()
            self.klass, self.revision = "", -1
            self.refresh()
            self.restore()
            self._say("files", Message.of("schoolyear.ui.imported"))
        return self._guard("files", act)

    def list_backups(self) -> None:
        """The backups the coordinator can go back to (newest first), with what differs from now."""
        try:
            self.backups = self.ws.backup_info() if self.ws is not None else []
        except MakkerError as err:
            self.backups, self.error = [], err.as_message()

    def restore_backup(self, name: str = "", confirm: bool = False) -> bool:
        """Go back to a chosen backup after a second, confirming click; today's state becomes a backup first.

        With a damaged workspace file (nothing opened) the newest backup is put
        in its place and the damaged file kept aside, as before.
        """
        from ...store import Workspace

        if self.ws is not None:
            return self._roll_back(name, confirm)

        def act():
            path = Path(self.path or workspace_path())
            folder = path.parent / "backups"
            backups = sorted(folder.glob(f"{path.stem}-*.sqlite")) if folder.exists() else []
            if not backups:
                raise MakkerError("store.corrupt_no_backup", path=str(path))
            self.ws = Workspace.restore(backups[-1], path)
            self._forget_uploads()
            self.path = str(path)
            self.refresh()
            self.restore()
            self._say("files", Message.of("schoolyear.ui.backup_restored", backup=backups[-1].name))
        return self._guard("files", act)

    def _roll_back(self, name: str, confirm: bool) -> bool:
        if not self.backups:
            self.list_backups()
        chosen = next((b for b in self.backups if b["path"].name == name), None) if name else None
        if chosen is None and not name and self.backups:
            chosen = self.backups[0]
        if chosen is None:
            self.error, self.origin = Message.of("store.no_such_backup", name=name or "–"), "files"
            return False
        made = backup_time(chosen["made"], self.lang)
        if not confirm or self.armed_backup != chosen["path"].name:
            self.armed_backup = chosen["path"].name
            self._say("files", Message.of("dashboard.backup_confirm", made=made))
            return False

        def act():
            klass = self.klass
            self.ws = self.ws.roll_back(chosen["path"])
            self._forget_uploads()
            self.armed_backup = ""
            self.revision = -1
            self.refresh()
            self.list_backups()
            if self.classes:
                self.restore(klass if klass in self.classes else None)
            self._say("files", Message.of("dashboard.backup_rolled_back", made=made))
        return self._guard("files", act)

    def delete_class(self, confirm: str) -> bool:
        def act():
            self.ws.delete_class(self.klass, confirm)
            self.klass, self.plan, self.saved = "", None, False
            self.refresh()
            self._say("files", Message.of("schoolyear.ui.deleted_class"))
        return self._guard("files", act)

    def delete_year(self, confirm: str) -> bool:
        def act():
            path = self.ws.path
            self.ws.delete_year(confirm)
            self.klass, self.plan, self.saved = "", None, False
            self.open(path)  # an empty workspace, so the page keeps working
            self._say("files", Message.of("schoolyear.ui.deleted_year"))
        return self._guard("files", act)
