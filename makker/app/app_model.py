"""The whole dashboard's state: language, modes, and the panel models wired together.

The app model owns every panel's model and is the only place where they are
linked; no panel model knows another. Only plain data flows between them:

- the load panel's class list and rules feed the tune panel; the tune panel's
  plan feeds the see panel;
- the saved school year (``year``, opened by ``open_year``) is the one source of
  truth: it hears what the coordinator did (an upload, a class picked, a rule,
  a plan made) through its methods, and what it says the page must show
  (``year.shown``) is put into the load and tune panels here; what «Lag plan»
  must keep (published rotations) is linked into the tune panel.

The newest error of any panel is mirrored to ``error`` so one alert box can show it.
"""

from __future__ import annotations

import logging
from pathlib import Path

import traitlets as tl

from ..i18n import LANGUAGES, MakkerError
from ..rules import keep_entries
from .environment import Settings, settings_from_environment
from .load_model import LoadModel
from .schoolyear.model import KEEP, SchoolYearModel
from .see_model import SeeModel
from .tune_model import TuneModel

log = logging.getLogger(__name__)


def _school_of(rosters) -> str:
    from ..roster import school_name

    return school_name(rosters or []) or ""


class AppModel(tl.HasTraits):
    lang = tl.Enum(LANGUAGES, default_value="nb")
    presentation = tl.Bool(False)  # hide rules, gender and previous school
    training = tl.Bool(False)  # start on a fictional sample
    error = tl.Any(None)  # Message | None, newest problem of any panel

    def __init__(self, settings: Settings | None = None, sample_dir: Path | None = None, **kw):
        settings = settings or Settings()
        super().__init__(lang=settings.lang, presentation=settings.presentation, training=settings.training, **kw)
        self.settings = settings
        self.load = LoadModel(sample_dir=sample_dir)
        self.tune = TuneModel(rotations=settings.rotations, time_limit=settings.time_limit)
        self.see = SeeModel(lang=self.lang, presentation=self.presentation)
        for model in (self.load, self.tune, self.see):
            model.observe(self._panel_error, names="error")
        self.load.observe(self._roster_changed, names=["roster", "never", "apart", "keep"])
        self.tune.observe(self._plan_changed, names="plan")
        self.tune.observe(self._plan_changed, names="plan_count")
        tl.dlink((self, "lang"), (self.see, "lang"))
        tl.dlink((self, "presentation"), (self.see, "presentation"))
        self.year: SchoolYearModel | None = None  # see open_year

    def open_year(self, path: str | Path | None = None):
        """Open the saved school year (once) and link it to the panels; a page opened on it shows its last class."""
        if self.year is not None:
            return self.year
        year = self.year = SchoolYearModel(path, training=self.training, lang=self.lang, presentation=self.presentation)
        load, tune = self.load, self.tune
        # the page's state, linked into the school year
        for source, target in (((self, "lang"), "lang"), ((self, "presentation"), "presentation"),
                               ((load, "roster"), "roster"), ((tune, "time_limit"), "time_limit"),
                               ((tune, "rotations"), "rotations")):
            tl.dlink(source, (year, target))
        tl.dlink((load, "rosters"), (year, "school"), transform=_school_of)
        year.rules = load.rules()
        # what the school year says «Lag plan» must keep or wait for
        for name, target in (("locked", "history"), ("keep", "keep"), ("blocked", "blocked")):
            tl.dlink((year, name), (tune, target))
        # what the coordinator did elsewhere: one event each
        load.observe(lambda _: year.uploaded(list(load.rosters), load.source, load.klass), names="uploaded")
        load.observe(lambda _: year.choose(load.klass), names="picked")
        load.observe(lambda _: year.rules_changed(load.klass, load.rules()), names="rules_edited")
        load.observe(lambda c: year.sample_mode(c["new"]), names="fictional")
        tune.observe(self._plan_made, names="plan")
        tune.observe(self._plan_started, names="running")
        year.observe(self._show_saved, names="shown")
        if load.roster is None and not self.training:
            year.start_page()
        return year

    def _plan_started(self, change):
        if change["new"] and self.year is not None:
            self.year.plan_started(self.load.klass, self.tune.settings())

    def _plan_made(self, change):
        """A plan on the tune panel that the school year did not put there is saved at once;
        a refused save (another window saved first) is said beside «Lag plan» too."""
        if change["new"] is not None and self.year is not None and not self.year.plan_made(change["new"]):
            self.tune.status = self.year.error

    def _show_saved(self, change):
        """Put what the school year says into the class list and tune panels (in this order)."""
        shown, load, tune = change["new"], self.load, self.tune
        if shown is None:
            return
        if shown.rosters is not KEEP:
            load.load_saved(shown.rosters, shown.klass, shown.source, fictional=shown.fictional)
        if shown.rename is not KEEP:
            load.rename_class(*shown.rename)
        if shown.roster is not KEEP:
            load.replace_roster(shown.roster)
        if shown.rules is not KEEP:
            load.never, load.apart = tuple(shown.rules.never), tuple(shown.rules.apart)
            load.keep = tuple(keep_entries(shown.rules.keep))
        if shown.settings is not KEEP:
            tune.apply_settings(shown.settings, None if shown.plan is KEEP else shown.plan)
        if shown.start is not KEEP:
            tune.start = shown.start
        if shown.plan is not KEEP:
            tune.plan = shown.plan
        self.school_calendar()

    def school_calendar(self) -> None:
        """Tab 2's plan dates and tab 5's calendar follow the school settings (county, weeks, first school day)."""
        if self.year is None or self.year.ws is None:
            return
        from ..school import load_settings

        try:
            school = load_settings(self.year.ws).for_class(self.load.klass)
        except (MakkerError, ValueError):
            log.warning("school settings could not be read", exc_info=True)
            return
        for panel in (self.tune, self.year):  # tab 2's plan and tab 5's calendar
            panel.county, panel.weeks = school.county, school.weeks
            if panel.start is None and school.start is not None:
                panel.start = school.start

    def subject_groups(self):
        """The subject-group panel's model on the saved school year (made once), fed the class list file."""
        if getattr(self, "_subjects", None) is None:
            from .overview.subject_model import SubjectGroupModel

            self._subjects = SubjectGroupModel(self.open_year())
            tl.dlink((self.load, "rosters"), (self._subjects, "rosters"))
            self._subjects.observe(self._panel_error, names="error")
        return self._subjects

    def evaluation(self):
        """The evaluation panel's model (made once), reading the saved school year's implementation log."""
        if getattr(self, "_evaluation", None) is None:
            from .evaluation.model import EvaluationModel

            self._evaluation = EvaluationModel(workspace=lambda: self.year.ws if self.year is not None else None,
                                               lang=self.lang)
            tl.dlink((self, "lang"), (self._evaluation, "lang"))
        return self._evaluation

    @classmethod
    def from_environment(cls, environ: dict | None = None, sample_dir: Path | None = None) -> "AppModel":
        return cls(settings_from_environment(environ), sample_dir=sample_dir)

    def start(self) -> None:
        """Open the sample asked for (URL/env) or, in training mode, the first fictional one."""
        wanted = self.settings.sample
        if wanted and wanted in self.load.samples:
            self.load.load_sample(wanted)
        elif self.training:
            self.open_training_sample()

    def open_training_sample(self) -> None:
        """A fictional class: the first sample file, or a generated class if there is none."""
        preferred = [s for s in self.load.samples if "30" in s] or self.load.samples
        if preferred and self.load.load_sample(preferred[0]):
            return
        from ..fictional import fictional_roster

        self.load.load_roster(fictional_roster(30, seed=1, klass="1STA"), fictional=True)

    def _panel_error(self, change):
        self.error = change["new"]

    def _roster_changed(self, change=None):
        load, tune = self.load, self.tune
        roster = load.roster
        tune.set_class(roster.klass if roster is not None else "", load.students(), load.rules())
        self.see.rules = load.rules()
        if self.year is not None:
            self.year.rules = load.rules()
        if change is not None and change["name"] == "roster":
            tune.plan = None
            tune.result = None
            tune.status = None

    def _plan_changed(self, change):
        """A plan on the tune panel (also one equal to the last, made again): the see panel's report follows."""
        self.see.weights = self.tune.weights()  # the report leaves out rules whose slider is at 0
        self.see.plan = self.tune.plan
        self.see.made += 1
