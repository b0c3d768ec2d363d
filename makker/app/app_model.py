"""The whole dashboard's state: language, modes, and the panel models wired together.

Only plain data flows between panels: the load panel's roster and rules feed
the tune panel; the tune panel's plan feeds the see panel. The newest error of
any panel is mirrored to ``error`` so one alert box can show it.
"""

from __future__ import annotations

from pathlib import Path

import traitlets as tl

from ..i18n import LANGUAGES
from .environment import Settings, settings_from_environment
from .load_model import LoadModel
from .see_model import SeeModel
from .tune_model import TuneModel


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
        self.load.observe(self._roster_changed, names=["roster", "never", "apart"])
        self.tune.observe(self._plan_changed, names="plan")
        tl.dlink((self, "lang"), (self.see, "lang"))
        tl.dlink((self, "presentation"), (self.see, "presentation"))

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
        if change is not None and change["name"] == "roster":
            tune.plan = None
            tune.result = None
            tune.status = None

    def _plan_changed(self, change):
        self.see.weights = self.tune.weights()  # the report leaves out rules whose slider is at 0
        self.see.plan = change["new"]
