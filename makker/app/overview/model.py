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
    rows = tl.List()  # list[makker.overview.ClassRow]
    chosen = tl.Unicode("")  # the class the action buttons act on
    status = tl.Any(None)  # Message | None
    error = tl.Any(None)  # Message | None

    def __init__(self, year, **kw):
        super().__init__(**kw)
        self.year = year
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
        app = self.year.app
        if app is None or not self.open(klass):
            return False
        if not app.tune.start_plan():
            self.error = app.tune.error or Message.of("overview.busy")
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
