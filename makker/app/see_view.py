"""The see panel: one rotation as table and seating chart; the class over the year."""

from __future__ import annotations

from html import escape

import ipywidgets as w

from ..i18n import t
from . import tables
from .app_model import AppModel
from .widgets import image, labelled, set_visible, show_image, tag

PRIVATE_CHARTS = ("heatmap", "coverage")  # presentation mode shows names, pairs, groups and the network only


class SeeView(w.VBox):
    def __init__(self, app: AppModel, **kw):
        super().__init__(**kw)
        self.app, self.model = app, app.see
        self.empty = tag(w.HTML(), "makker-see-empty")
        self.rotation = labelled(w.IntSlider(value=1, min=1, max=1), "makker-see-rotation")
        self.table = tag(w.HTML(), "makker-plan-table")
        self.seating = image("makker-seating")
        self.seating_caption = tag(w.HTML(), "makker-seating-caption")
        self.upto = labelled(w.IntSlider(value=1, min=1, max=1), "makker-network-step")
        self.network = image("makker-network")
        self.network_caption = tag(w.HTML(), "makker-network-caption")
        self.heatmap = image("makker-heatmap")
        self.heatmap_caption = tag(w.HTML(), "makker-heatmap-caption")
        self.coverage = image("makker-coverage")
        self.coverage_caption = tag(w.HTML(), "makker-coverage-caption")
        self.summary = tag(w.HTML(), "makker-summary")
        self.year_title = tag(w.HTML(), "makker-year-title")
        self.content = w.VBox([
            self.rotation,
            # wraps: the seating chart goes below the table when both do not fit side by side at full size
            w.HBox([self.table, w.VBox([self.seating, self.seating_caption])], layout=w.Layout(flex_flow="row wrap")),
            self.summary, self.year_title, self.upto,
            w.HBox([w.VBox([self.network, self.network_caption]), w.VBox([self.heatmap, self.heatmap_caption])]),
            self.coverage, self.coverage_caption,
        ])
        self.children = [self.empty, self.content]
        self.active = True  # the app sets this from the selected tab; hidden tabs render later
        self._dirty = False
        # built when its tab first opens, maybe after a plan: the sliders start where the model is
        n = max(1, self.model.count())
        for slider, name in ((self.rotation, "rotation"), (self.upto, "upto")):
            slider.max = n
            slider.value = min(max(1, getattr(self.model, name)), n)
        w.link((self.rotation, "value"), (self.model, "rotation"))
        w.link((self.upto, "value"), (self.model, "upto"))
        self.model.observe(self._plan_changed, names="plan")
        self.model.observe(lambda c: self._when_active(self._rotation_changed), names="rotation")
        self.model.observe(lambda c: self._when_active(self._upto_changed), names="upto")
        self.model.observe(lambda c: self._when_active(self.render_all), names=["lang", "presentation"])
        self.model.observe(lambda c: self._when_active(self._summary_changed), names=["made", "weights", "rules"])
        self.model.observe(self._hide_private_now, names="presentation")
        self.render_all()

    def _hide_private_now(self, change) -> None:
        """Presentation mode empties the broken-rule summary at once, even on a hidden
        tab: it names genders and rules and must not flash on the projector."""
        if change["new"]:
            self.summary.value = ""

    def set_active(self, active: bool) -> None:
        """Charts take a moment: draw them only when the tab is visible."""
        self.active = active
        if active and self._dirty:
            self.render_all()

    def _when_active(self, render) -> None:
        if self.active:
            render()
        else:
            self._dirty = True

    def _plan_changed(self, change=None):
        n = max(1, self.model.count())
        for slider in (self.rotation, self.upto):
            slider.max = n
        self.upto.value = n
        self._when_active(self.render_all)

    def render_all(self, change=None):
        self._dirty = False
        lang, has_plan = self.model.lang, self.model.current() is not None
        self.empty.value = "" if has_plan else f"<p>{escape(t('app.see.no_plan', lang))}</p>"
        set_visible(self.content, has_plan)
        self.rotation.description = t("app.see.rotation", lang)
        self.upto.description = t("app.see.upto", lang)
        self.year_title.value = f"<h3>{escape(t('app.see.year_title', lang))}</h3>"
        if not has_plan:
            for img in (self.seating, self.network, self.heatmap, self.coverage):
                show_image(img, b"", "")
            self.table.value = self.summary.value = ""
            return
        self._rotation_changed()
        self._upto_changed()
        self._show("coverage", self.coverage, self.coverage_caption)

    def _rotation_changed(self, change=None):
        if self.model.current() is None:
            return
        lang = self.model.lang
        self.table.value = tables.rotation_table(self.model.current(), self.model.names(), lang)
        self._show("seating", self.seating, self.seating_caption)
        self._summary_changed()

    def _summary_changed(self, change=None):
        """The goals the plan did not reach, drawn again for every plan made (equal ones too)."""
        if self.model.presentation or self.model.current() is None:
            self.summary.value = ""
            return
        body = tables.plain_lines(self.model.summary_lines(), self.model.lang, "app.see.summary", "app.see.summary_none")
        self.summary.value = f'<div data-plan-count="{self.model.made}">{body}</div>'

    def _upto_changed(self, change=None):
        if self.model.current() is None:
            return
        self._show("network", self.network, self.network_caption)
        self._show("heatmap", self.heatmap, self.heatmap_caption)

    def _show(self, kind: str, img: w.Image, caption: w.HTML) -> None:
        if self.model.presentation and kind in PRIVATE_CHARTS:
            show_image(img, b"", "")
            caption.value = ""
            return
        alt = self.model.alt_text(kind)
        show_image(img, self.model.chart_bytes(kind, "png"), alt)
        caption.value = f"<p><small>{escape(alt)}</small></p>"
