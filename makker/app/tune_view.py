"""The tune panel: weight sliders, rotations, first school day, preview, Lag plan."""

from __future__ import annotations

from html import escape

import ipywidgets as w

from ..i18n import t
from ..plan import Plan
from . import tables
from .app_model import AppModel
from .see_model import CHART_LOCK
from .tune_model import WEIGHT_NAMES
from .widgets import describe, image, labelled, set_visible, show_image, tag


class TuneView(w.VBox):
    def __init__(self, app: AppModel, **kw):
        super().__init__(**kw)
        self.app, self.model = app, app.tune
        m = self.model
        self.weights_title = tag(w.HTML(), "makker-weights-title")
        self.sliders = {
            name: labelled(w.IntSlider(value=int(round(getattr(m, name))), min=0, max=10, step=1), f"makker-weight-{name}")
            for name in WEIGHT_NAMES
        }
        self.tradeoff = tag(w.HTML(), "makker-tradeoff")  # what the plan made with these sliders gives
        self.weights_box = tag(w.VBox([self.weights_title, *self.sliders.values(), self.tradeoff]), "makker-weights")
        self.rotations = labelled(w.IntSlider(value=m.rotations, min=1, max=15, step=1), "makker-rotations")
        self.start = labelled(w.DatePicker(value=m.start), "makker-start-date")
        self.time_limit = labelled(w.IntSlider(value=int(m.time_limit), min=1, max=300, step=1), "makker-time-limit")
        self.shape = labelled(w.Dropdown(options=[("standard", "standard")], value="standard"), "makker-shape")
        self.shape_hint = tag(w.HTML(), "makker-shape-hint")
        self.solve = tag(w.Button(button_style="primary", icon="play"), "makker-solve")
        self.cancel = tag(w.Button(icon="stop", disabled=True), "makker-cancel")
        # the whole run by elapsed time against the time limit, in per cent (100 only when done)
        self.progress = labelled(w.IntProgress(value=0, min=0, max=100), "makker-progress")
        self.status = tag(w.HTML(), "makker-status")
        self.best = tag(w.HTML(), "makker-best")  # best figures so far, then when the final ones came
        self.notes = tag(w.HTML(), "makker-notes")
        self.preview_title = tag(w.HTML(), "makker-preview-title")
        self.preview_table = tag(w.HTML(), "makker-preview-table")
        self.preview_image = image("makker-preview-seating")
        self.children = [
            self.weights_box, self.rotations, self.start, self.time_limit, self.shape, self.shape_hint,
            w.HBox([self.solve, self.cancel]), self.progress, self.status, self.best, self.notes,
            # the image in its own VBox, as in the see panel: a flex item of its own that
            # shrinks with the page, so the chart scales instead of being cut off on the right
            self.preview_title, w.HBox([self.preview_table, tag(w.VBox([self.preview_image]), "makker-preview-seating-box")]),
        ]
        for name, slider in self.sliders.items():
            w.link((slider, "value"), (m, name))
        w.link((self.rotations, "value"), (m, "rotations"))
        w.link((self.start, "value"), (m, "start"))
        w.link((self.time_limit, "value"), (m, "time_limit"))
        self.shape.observe(self._shape_chosen, names="value")
        m.observe(self._shape_changed, names=["shape", "students", "rotations"])
        self.solve.on_click(lambda _: m.start_plan())
        self.cancel.on_click(lambda _: m.cancel_plan())
        m.observe(self._running_changed, names="running")
        m.observe(self._progress_changed, names=["elapsed", "running", "finished"])
        m.observe(self._best_changed, names=["best", "running"])
        app.see.observe(self._tradeoff_changed, names=["made", "plan", "weights", "rules"])
        m.observe(self._status_changed, names=["status", "result"])
        m.observe(self._preview_changed, names="preview_count")
        app.observe(self.render_text, names=["lang", "presentation"])
        self.render_text()

    def render_text(self, change=None):
        lang = self.app.lang
        self.weights_title.value = f"<strong>{escape(t('app.tune.weights', lang))}</strong> <small>{escape(t('app.tune.weights_hint', lang))}</small>"
        for name, slider in self.sliders.items():
            slider.description = t(f"app.tune.weight.{name}", lang)
            slider.tooltip = t(f"app.tune.help.{name}", lang)
        set_visible(self.weights_box, not self.app.presentation)
        describe(lang, (self.rotations, "app.tune.rotations"), (self.start, "app.tune.start"),
                 (self.time_limit, "app.tune.time_limit"), (self.solve, "app.tune.solve"), (self.cancel, "app.tune.cancel"),
                 (self.progress, "app.tune.progress"), (self.shape, "shapes.label"))
        self.solve.tooltip = t("app.tune.solve_help", lang)
        self._shape_changed()
        self.preview_title.value = f"<h3>{escape(t('app.tune.preview_title', lang))}</h3><p>{escape(t('app.tune.preview_hint', lang))}</p>"
        self._status_changed()
        self._best_changed()
        self._tradeoff_changed()
        self._preview_changed()

    def _running_changed(self, change=None):
        running = self.model.running
        self.solve.disabled = running
        self.cancel.disabled = not running
        for widget in (*self.sliders.values(), self.rotations, self.start, self.time_limit, self.shape):
            widget.disabled = running

    def _shape_chosen(self, change):
        if change["new"] and change["new"] != self.model.shape and not self._shape_rendering:
            self.model.shape = change["new"]

    _shape_rendering = False

    def _shape_changed(self, change=None):
        """One entry per shape that gives this class other groups, each saying what it allows."""
        lang, m = self.app.lang, self.model
        choices = m.shape_choices() if len(m.students) >= 2 else []
        options = [(t(f"shapes.name_{c['shape']}", lang), c["shape"]) for c in choices] or [
            (t("shapes.name_standard", lang), "standard")]
        value = m.shape if any(v == m.shape for _, v in options) else options[0][1]
        self._shape_rendering = True
        try:
            self.shape.options = options
            self.shape.value = value
        finally:
            self._shape_rendering = False
        set_visible(self.shape, len(options) > 1 and not self.app.presentation)
        gives = [t("shapes.gives", lang, name=t(f"shapes.short_{c['shape']}", lang),
                   sizes="-".join(str(s) for s in c["sizes"]), repeat_free=c["repeat_free"]) for c in choices]
        self.shape_hint.value = (
            "<ul>" + "".join(f"<li>{escape(g)}</li>" for g in gives) + "</ul>" if len(choices) > 1 and not self.app.presentation else "")

    def _progress_changed(self, change=None):
        self.progress.value = int(100 * self.model.progress_share())  # below 100 until the run is done

    def _best_changed(self, change=None):
        """While planning: the best figures so far (all from one plan); after: when the final ones came."""
        best, lang = self.model.best, self.app.lang
        if best is None or self.app.presentation:
            self.best.value = ""
            return
        text = best.line(lang) if self.model.running else best.final_line(lang)
        self.best.value = f"<p>{escape(text)}</p>"

    def _tradeoff_changed(self, change=None):
        """The plan's trade-off, for the sliders shown (none in presentation mode)."""
        text = "" if self.app.presentation else self.app.see.tradeoff(visible=list(self.sliders))
        self.tradeoff.value = f"<p><small>{escape(text)}</small></p>" if text else ""

    def _status_changed(self, change=None):
        lang, status = self.app.lang, self.model.status
        text = status.render(lang) if status is not None else t("app.status.idle", lang)
        self.status.value = f'<p role="status" aria-live="polite">{escape(text)}</p>'
        result = self.model.result
        notes = list(getattr(result, "notes", []) or []) if result is not None else []
        self.notes.value = "" if self.app.presentation else tables.message_list(notes, lang, "app.tune.notes")

    def _preview_changed(self, change=None):
        lang, rotation = self.app.lang, self.model.preview
        students = self.model.students
        names = {s.id: s.name for s in students}
        self.preview_table.value = (
            f'<div data-preview-count="{self.model.preview_count}">{tables.rotation_table(rotation, names, lang)}</div>'
            if rotation is not None else ""
        )
        data = b""
        if rotation is not None:
            try:
                from ..charts import figure_bytes, seating_chart

                plan = Plan(self.model.klass, list(students), [rotation])
                with CHART_LOCK:
                    fig = seating_chart(plan, rotation.number, lang, presentation=self.app.presentation)
                    data = figure_bytes(fig, "png")
            except Exception:  # noqa: BLE001 - the table still shows the preview
                data = b""
        show_image(self.preview_image, data, t("app.alt.seating", lang, number=1, upto=1, total=1))
