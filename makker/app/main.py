"""MakkerApp: the header (language, presentation, training), the error box and the tabs.

The notebook only does ``MakkerApp.from_environment().show()``; everything the
page does lives here so that tests can drive it without a browser.
"""

from __future__ import annotations

import logging
import sys
import threading
from html import escape
from pathlib import Path

import ipywidgets as w

from ..i18n import LANGUAGES, t
from . import tables
from .app_model import AppModel
from .decision_view import ClassDecision, SampleBanner
from .evaluation.view import EvaluationView
from .export_view import ExportView
from .load_view import LoadView
from .schoolyear import build_schoolyear_tab
from .see_view import SeeView
from .tune_view import TuneView
from .widgets import PAGE_CSS, labelled, presentation_switch, set_visible, tag

log = logging.getLogger(__name__)


def _log_to_server() -> None:
    """Send makker's logged exceptions to the server's stderr, never into the page."""
    root = logging.getLogger("makker")
    if not any(h.get_name() == "makker-server-log" for h in root.handlers):
        handler = logging.StreamHandler(sys.__stderr__)
        handler.set_name("makker-server-log")
        handler.setFormatter(logging.Formatter("%(asctime)s makker %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
        root.propagate = False

LANG_OPTIONS = [("Bokmål", "nb"), ("Nynorsk", "nn"), ("English", "en")]
TAB_KEYS = {"load": "app.tab.load", "tune": "app.tab.tune", "see": "app.tab.see", "export": "app.tab.export",
            "schoolyear": "app.tab.schoolyear", "overview": "overview.tab", "evaluation": "evaluation.tab"}


def _open_year(model: AppModel):
    """The saved school year, opened at start (the class-list tab shows its last class); None if it fails."""
    try:
        return model.open_year()
    except Exception:  # noqa: BLE001 - the rest of the page must still work
        log.exception("school year could not be opened")
        return None


def _schoolyear_tab(model: AppModel):
    """The school-year tab (saved work, publishing, changes)."""
    return build_schoolyear_tab(model)


def _overview_tab(model: AppModel):
    """The school overview (every saved class)."""
    from .overview import OverviewModel, OverviewView, SchoolPlanModel, SchoolPlanView
    from .overview.papers_model import SchoolPapersModel
    from .overview.papers_view import SchoolPapersView
    from .overview.subject_view import SubjectGroupView

    year = model.open_year()
    overview = OverviewModel(year, tune=model.tune)
    school = SchoolPlanModel(overview)
    school.observe(lambda _: model.school_calendar(), names="status")  # saved settings reach tab 2's dates
    return tag(w.VBox([OverviewView(overview), SubjectGroupView(model.subject_groups()),
                       SchoolPlanView(school), SchoolPapersView(SchoolPapersModel(year))]), "makker-overview-tab")


HEAVY_MODULES = ("makker.roster", "makker.planner", "makker.charts", "makker.export", "makker.metrics",
                 "makker.app.schoolyear.view", "makker.app.overview")


def preload() -> None:
    """Import the heavy parts (matplotlib, PuLP, openpyxl) now: a preheated kernel calls this
    before it waits for its page, so the page needs none of it later."""
    import importlib

    for name in HEAVY_MODULES:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the panel that needs it reports the problem
            log.exception("import of %s failed", name)


def _warm_up() -> None:
    """Import what :func:`preload` did not yet, while the user looks at the page."""
    if all(name in sys.modules for name in HEAVY_MODULES):
        return
    threading.Thread(target=preload, name="makker-warm-up", daemon=True).start()


class MakkerApp(w.VBox):
    def __init__(self, model: AppModel | None = None, start: bool = True, **kw):
        super().__init__(**kw)
        _log_to_server()
        self.model = model or AppModel()
        m = self.model
        self.title = tag(w.HTML(), "makker-title")
        self.lang = labelled(w.Dropdown(options=LANG_OPTIONS, value=m.lang), "makker-lang")
        self.lang.layout.width = "240px"
        self.presentation = presentation_switch(m)
        self.training = labelled(w.Checkbox(value=m.training, indent=False), "makker-training")
        self.error = tag(w.HTML(), "makker-error")
        self.load_view = LoadView(m)
        self.tune_view = TuneView(m)
        # the other tabs are built when first opened: the page shows its first control sooner
        self._built: dict[str, w.Widget | None] = {}
        year = _open_year(m)
        self.tab_keys = ["load", "tune", "see", "export"]
        if year is not None:
            self.tab_keys += ["schoolyear", "overview"]
        self.tab_keys.append("evaluation")
        self._slots = {key: tag(w.VBox(), f"makker-tab-{key}") for key in self.tab_keys[2:]}
        notices = []
        if year is not None:
            notices = [SampleBanner(year)]
            self.load_view.children = [ClassDecision(year), *self.load_view.children]
        self.tabs = tag(w.Tab(children=[self.load_view, self.tune_view, *self._slots.values()]), "makker-tabs")
        header = tag(w.HBox([self.lang, self.presentation, self.training], layout=w.Layout(flex_flow="row wrap", justify_content="flex-start")), "makker-header")
        self.children = [self.title, header, *notices, self.error, self.tabs]
        w.link((self.lang, "value"), (m, "lang"))
        w.link((self.training, "value"), (m, "training"))
        m.observe(self.render_text, names=["lang", "presentation"])
        m.observe(self._error_changed, names="error")
        m.observe(self._training_changed, names="training")
        m.tune.observe(self._plan_ready, names="plan")
        self.tabs.observe(self._tab_changed, names="selected_index")
        self.add_class("makker-app")
        self.render_text()
        if start:
            m.start()
            _warm_up()

    @classmethod
    def from_environment(cls, environ: dict | None = None, sample_dir: Path | None = None) -> "MakkerApp":
        """Language and mode from ``?lang=``/``?mode=`` (QUERY_STRING) and ``MAKKER_*`` env vars."""
        return cls(AppModel.from_environment(environ, sample_dir=sample_dir))

    # -- tabs built when first opened ------------------------------------------
    def view(self, key: str) -> w.Widget | None:
        """The tab's view, built into its slot on first use; None if it could not be built."""
        if key in ("load", "tune"):
            return self.load_view if key == "load" else self.tune_view
        if key not in self._slots:
            return None
        if key not in self._built:
            self._built[key] = self._build(key)
        return self._built[key]

    def _build(self, key: str) -> w.Widget | None:
        slot, m = self._slots[key], self.model
        try:
            if key == "see":
                built: w.Widget = SeeView(m)
                built.set_active(self.tabs.selected_index == 2)
            elif key == "export":
                built = ExportView(m)
            elif key == "schoolyear":
                built = _schoolyear_tab(m)
            elif key == "overview":
                built = _overview_tab(m)
            else:
                built = EvaluationView(m.evaluation())
        except Exception:  # noqa: BLE001 - the rest of the page must still work
            log.exception("the %s tab could not be built", key)
            slot.children = [tag(w.HTML(tables.error_box(t("app.error.unexpected", m.lang))), "makker-tab-failed")]
            return None
        slot.children = [built]
        return built

    def build_all_tabs(self) -> None:
        """Build every tab now (tests walking the whole widget tree; a page that wants them all)."""
        for key in self._slots:
            self.view(key)

    @property
    def see_view(self):
        return self.view("see")

    @property
    def export_view(self):
        return self.view("export")

    @property
    def schoolyear_view(self):
        return self.view("schoolyear")

    @property
    def overview_view(self):
        return self.view("overview")

    @property
    def evaluation_view(self):
        return self.view("evaluation")

    def _page_lang(self, lang: str) -> None:
        """``makker-page-lang-XX`` on the app: the template copies it to ``<html lang>`` (screen readers).

        Set before the texts change, so the page's language is right when the
        new words arrive in the browser.
        """
        for code in LANGUAGES:
            if code != lang:
                self.remove_class(f"makker-page-lang-{code}")
        self.add_class(f"makker-page-lang-{lang}")

    def show(self) -> None:
        """Display the app in the notebook (returns nothing, so it is shown once)."""
        from IPython.display import display

        display(self)

    # -- events --------------------------------------------------------------
    def render_text(self, change=None):
        lang = self.model.lang
        self._page_lang(lang)
        mode = t("app.mode.presentation", lang) if self.model.presentation else ""
        self.title.value = PAGE_CSS + f"<h1 lang=\"{lang}\">{escape(t('app.title', lang))}</h1><p>{escape(t('app.subtitle', lang))} {escape(mode)}</p>"
        self.lang.description = t("app.lang", lang)
        self.training.description = t("app.training", lang)
        set_visible(self.training, not self.model.presentation)
        self.tabs.titles = tuple(t(TAB_KEYS[key], lang) for key in self.tab_keys)
        if self._built.get("export") is not None:
            self._built["export"].render_text()
        self._error_changed()

    def _error_changed(self, change=None):
        """Errors may name never-together pairs: on a projector only say that there is one."""
        err, lang = self.model.error, self.model.lang
        if err is None:
            text = ""
        elif self.model.presentation:
            text = t("app.error.hidden", lang)
        else:
            text = err.render(lang)
        self.error.value = tables.error_box(text)

    def _training_changed(self, change):
        if change["new"]:
            self.model.open_training_sample()

    def _plan_ready(self, change):
        # only a plan «Lag plan» just made jumps to "see", and only from tabs 1-2: a saved plan brought back
        # (a reload, «Behold den lagrede»), a swap or a re-plan leaves the coordinator where they are
        made = getattr(self.model.tune.result, "plan", None)
        if change["new"] is not None and change["new"] is made and self.tabs.selected_index in (0, 1):
            self.tabs.selected_index = 2

    def _tab_changed(self, change):
        key = self.tab_keys[change["new"]]
        shown = self.view(key)  # built on first open
        if key == "evaluation" and shown is not None:
            self.model.evaluation().refresh_log()  # a rotation may have been logged in the school-year tab
        see, export = self._built.get("see"), self._built.get("export")
        if see is not None:
            see.set_active(key == "see")
        if export is not None:
            export.active = key == "export"
            if export.active:
                export.refresh()
