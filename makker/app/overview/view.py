"""The school overview's view: a table of every class and the actions for the chosen one.

Takes only its own model (:class:`OverviewModel`) and mirrors it.
"""

from __future__ import annotations

from html import escape

import ipywidgets as w

from ...i18n import t
from ...overview import NOT_PLANNED, PUBLISHED
from ..widgets import describe, labelled, message_html, tag
from .model import OverviewModel

COLUMNS = ("overview.col.class", "overview.col.students", "overview.col.girls_boys", "overview.col.rules",
           "overview.col.status", "overview.col.repeat_free", "overview.col.classmates")


def status_text(row, lang: str) -> str:
    if row.status == NOT_PLANNED:
        return t("overview.status.not_planned", lang)
    if row.status == PUBLISHED:
        return t("overview.status.published", lang, k=row.published_upto, n=row.rotations)
    return t("overview.status.planned", lang, n=row.rotations)


def table_html(rows, lang: str) -> str:
    head = "".join(f"<th>{escape(t(c, lang))}</th>" for c in COLUMNS)
    body = []
    for r in rows:
        planned = r.status != NOT_PLANNED
        cells = [r.klass, str(r.students), f"{r.girls}/{r.boys}", str(r.rules), status_text(r, lang),
                 f"{r.repeat_free} / {r.repeat_free_bound}" if planned else "–",
                 (f"{r.mean_classmates:.1f}".replace(".", "," if lang != "en" else ".") if planned else "–")]
        body.append(f"<tr class=\"makker-overview-row makker-overview-{r.status}\" data-class=\"{escape(r.klass)}\">"
                    + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>")
    if not rows:
        return f"<p class=\"makker-overview-empty\">{escape(t('overview.empty', lang))}</p>"
    return (f"<table class=\"makker-overview-table\" style=\"border-collapse:collapse\"><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


class OverviewView(w.VBox):
    def __init__(self, model: OverviewModel, **kw):
        super().__init__(**kw)
        self.model = model
        self.intro = w.HTML()
        self.table = tag(w.HTML(), "makker-overview-figures")
        self.chosen = labelled(w.Dropdown(options=[]), "makker-overview-class")
        self.open_btn = tag(w.Button(), "makker-overview-open")
        self.plan_btn = tag(w.Button(button_style="primary"), "makker-overview-plan")
        self.replan_btn = tag(w.Button(), "makker-overview-replan")
        self.message = tag(w.HTML(), "makker-overview-message")
        actions = w.HBox([self.open_btn, self.plan_btn, self.replan_btn], layout=w.Layout(flex_flow="row wrap"))
        self.children = [self.intro, self.table, self.chosen, actions, self.message]
        self.add_class("makker-school-overview")
        self.open_btn.on_click(lambda _: model.open())
        self.plan_btn.on_click(lambda _: model.plan())
        self.replan_btn.on_click(lambda _: model.replan())
        self.chosen.observe(self._chosen_changed, names="value")
        model.observe(self.render, names=["rows", "lang", "chosen", "status", "error"])
        self.render()

    def _chosen_changed(self, change):
        if change["new"]:
            self.model.chosen = change["new"]

    def render(self, change=None) -> None:
        m, lang = self.model, self.model.lang
        self.intro.value = f"<p>{escape(t('overview.intro', lang))}</p>"
        self.table.value = table_html(m.rows, lang)
        names = [r.klass for r in m.rows]
        if list(self.chosen.options) != names:
            self.chosen.options = names
        if m.chosen in names and self.chosen.value != m.chosen:
            self.chosen.value = m.chosen
        describe(lang, (self.chosen, "overview.choose"), (self.open_btn, "overview.open"), (self.plan_btn, "overview.plan"),
                 (self.replan_btn, "overview.replan"))
        self.open_btn.disabled = m.row() is None
        self.plan_btn.disabled = not m.can_plan()
        self.replan_btn.disabled = not m.can_replan()
        self.message.value = message_html(m.error, m.status, lang)


class SchoolPlanView(w.VBox):
    """School settings once, and «Planlegg alle klassene» with a line per class. Takes only its own model."""

    def __init__(self, model, **kw):
        from ...calendar import county_names

        super().__init__(**kw)
        self.model = model
        m = model
        self.heading = w.HTML()
        self.start = labelled(w.DatePicker(value=m.start), "makker-school-start")
        self._counties = county_names()
        self.county = labelled(w.Dropdown(options=[("", "")], value=""), "makker-school-county")
        self.weeks = labelled(w.BoundedIntText(value=m.weeks, min=1, max=20), "makker-school-weeks")
        self.rotations = labelled(w.BoundedIntText(value=m.rotations, min=0, max=60), "makker-school-rotations")
        self.time_limit = labelled(w.BoundedFloatText(value=m.time_limit, min=1, max=3600), "makker-school-time")
        self.replan = labelled(w.Checkbox(value=m.replan, indent=False), "makker-school-replan")
        self.save_btn = tag(w.Button(), "makker-school-save")
        self.dates = tag(w.HTML(), "makker-school-dates")
        self.plan_btn = tag(w.Button(button_style="primary"), "makker-plan-all")
        self.cancel_btn = tag(w.Button(button_style="warning"), "makker-plan-all-cancel")
        self.progress = tag(w.HTML(), "makker-plan-all-progress")
        self.message = tag(w.HTML(), "makker-plan-all-message")
        self.children = [self.heading, self.start, self.county, self.weeks, self.rotations, self.time_limit,
                         self.replan, self.save_btn, self.dates,
                         w.HBox([self.plan_btn, self.cancel_btn]), self.progress, self.message]
        self.add_class("makker-school-settings")
        for widget, name in ((self.start, "start"), (self.weeks, "weeks"), (self.rotations, "rotations"),
                             (self.time_limit, "time_limit"), (self.replan, "replan"), (self.county, "county")):
            widget.observe(lambda ch, name=name: self._edited(name, ch["new"]), names="value")
        self.save_btn.on_click(lambda _: m.save())
        self.plan_btn.on_click(lambda _: m.start_all())
        self.cancel_btn.on_click(lambda _: m.cancel())
        m.observe(self.render, names=["lang", "running", "progress", "status", "error", "start", "county",
                                      "weeks", "rotations", "time_limit"])
        self.render()

    def _edited(self, name, value):
        if name == "county":
            value = value or ""
        if getattr(self.model, name) != value:
            setattr(self.model, name, value)

    def render(self, change=None) -> None:
        from ...i18n import MakkerError, date_text

        m, lang = self.model, self.model.lang
        self.heading.value = f"<h3>{escape(t('overview.settings_title', lang))}</h3>"
        options = [(t("overview.no_county", lang), "")] + sorted(((v, k) for k, v in self._counties.items()))
        if list(self.county.options) != options:
            self.county.options = options
        for widget, value in ((self.start, m.start), (self.county, m.county or ""), (self.weeks, m.weeks),
                              (self.rotations, m.rotations), (self.time_limit, m.time_limit)):
            if widget.value != value:
                widget.value = value
        describe(lang, (self.start, "overview.start"), (self.county, "overview.county"), (self.weeks, "overview.weeks"),
                 (self.rotations, "overview.rotations"), (self.time_limit, "overview.time_limit"),
                 (self.replan, "overview.replan_too"), (self.save_btn, "overview.save_settings"),
                 (self.plan_btn, "overview.plan_all"), (self.cancel_btn, "overview.cancel_all"))
        self.plan_btn.disabled = m.running
        self.cancel_btn.disabled = not m.running
        try:
            dates = m.settings().dates() or []
        except MakkerError:
            dates = []
        self.dates.value = (f"<p>{escape(t('overview.dates_preview', lang, dates=', '.join(date_text(a, lang) for a, _ in dates)))}</p>"
                            if dates else "")
        self.progress.value = "".join(f"<div class=\"makker-plan-all-line\">{escape(msg.render(lang))}</div>"
                                      for msg in m.progress.values())
        self.message.value = message_html(m.error, m.status, lang)
