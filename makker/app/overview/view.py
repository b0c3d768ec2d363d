"""The school overview's view: a table of every class and the actions for the chosen one.

Takes only its own model (:class:`OverviewModel`) and mirrors it.
"""

from __future__ import annotations

from html import escape

import ipywidgets as w

from ...i18n import t
from ...overview import NOT_PLANNED, PUBLISHED
from ..widgets import labelled, tag
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
        self.chosen.description = t("overview.choose", lang)
        self.open_btn.description = t("overview.open", lang)
        self.plan_btn.description = t("overview.plan", lang)
        self.replan_btn.description = t("overview.replan", lang)
        self.open_btn.disabled = m.row() is None
        self.plan_btn.disabled = not m.can_plan()
        self.replan_btn.disabled = not m.can_replan()
        if m.error is not None:
            self.message.value = f"<p role=\"alert\" style=\"color:#a40000\">{escape(m.error.render(lang))}</p>"
        elif m.status is not None:
            self.message.value = f"<p role=\"status\">{escape(m.status.render(lang))}</p>"
        else:
            self.message.value = ""
