"""The export panel: data: links (the only downloads that work in Voilà).

Files are built when the panel is shown (``refresh``), not on every slider
step: an Excel workbook and three chart formats take a moment.
"""

from __future__ import annotations

from html import escape

import ipywidgets as w

from ..i18n import t
from .app_model import AppModel
from .see_model import CHARTS
from .widgets import labelled, set_visible, tag

KINDS = ("xlsx", "csv", "json", "png", "svg", "pdf")


class ExportView(w.VBox):
    def __init__(self, app: AppModel, **kw):
        super().__init__(**kw)
        self.app, self.model = app, app.see
        self.active = False
        self.intro = tag(w.HTML(), "makker-export-intro")
        self.chart = labelled(w.Dropdown(), "makker-export-chart")
        self.rotation = labelled(w.IntSlider(value=1, min=1, max=1), "makker-export-rotation")
        self.links = {kind: tag(w.HTML(), f"makker-download-{kind}") for kind in KINDS}
        self.children = [self.intro, *[self.links[k] for k in ("xlsx", "csv", "json")], self.chart, self.rotation,
                         *[self.links[k] for k in ("png", "svg", "pdf")]]
        self.render_text()
        w.link((self.model, "rotation"), (self.rotation, "value"))
        w.link((self.model, "chart"), (self.chart, "value"))
        self.model.observe(self._changed, names=["plan", "rotation", "upto", "chart", "lang", "presentation"])

    def render_text(self):
        lang = self.model.lang
        self.chart.description = t("app.export.chart", lang)
        options = [(t(f"app.chart.{c}", lang), c) for c in CHARTS]
        if list(self.chart.options) != options:
            current = self.model.chart
            self.chart.options = options
            self.chart.value = current
        self.rotation.description = t("app.see.rotation", lang)
        self.rotation.max = max(1, self.model.count())

    def _changed(self, change=None):
        self.render_text()
        if self.active:
            self.refresh()

    def refresh(self) -> None:
        """Build the files and their links for the current plan, rotation, chart and language."""
        lang = self.model.lang
        has_plan = self.model.current() is not None
        # the intro's sentence about who must not sit together is not for the projector
        intro = "app.export.intro_presentation" if self.model.presentation else "app.export.intro"
        self.intro.value = f"<p>{escape(t(intro if has_plan else 'app.see.no_plan', lang))}</p>"
        set_visible(self.chart, has_plan)
        set_visible(self.rotation, has_plan)
        found = dict(self.model.export_links()) if has_plan else {}
        for kind, widget in self.links.items():
            widget.value = found.get(f"makker-download-{kind}", "")
