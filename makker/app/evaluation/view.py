"""The evaluation panel's widgets; it takes only its own model."""

from __future__ import annotations

import base64
from html import escape

import ipywidgets as w

from ...i18n import percent, t
from ..widgets import labelled, set_visible, tag
from .model import EvaluationModel


def _table(rows: list[list[str]], css: str) -> str:
    if not rows:
        return ""
    head = "".join(f"<th>{escape(c)}</th>" for c in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in rows[1:])
    return f'<table class="{css}"><tr>{head}</tr>{body}</table>'


def _links(downloads) -> str:
    return " ".join(d.link() for d in downloads)


class EvaluationView(w.VBox):
    def __init__(self, model: EvaluationModel, **kw):
        super().__init__(**kw)
        self.model = model
        self.upload = labelled(w.FileUpload(accept=".xlsx,.csv", multiple=False), "makker-eval-upload")
        self.previous = labelled(w.FileUpload(accept=".xlsx,.csv", multiple=False), "makker-eval-upload-previous")
        self.error = tag(w.HTML(), "makker-eval-error")
        self.matching_intro = tag(w.HTML(), "makker-eval-matching-intro")
        self.matching = tag(w.VBox(), "makker-eval-matching")
        self.unknown = tag(w.HTML(), "makker-eval-unknown")
        self.chart = tag(w.HTML(), "makker-eval-chart")
        self.chart_links = tag(w.HTML(), "makker-eval-chart-downloads")
        self.table = tag(w.HTML(), "makker-eval-table")
        self.fidelity = tag(w.HTML(), "makker-eval-fidelity")
        self.fidelity_chart = tag(w.HTML(), "makker-eval-fidelity-chart")
        self.fidelity_links = tag(w.HTML(), "makker-eval-fidelity-downloads")
        self.download = tag(w.HTML(), "makker-download-eval-pdf")
        self._dropdowns: dict[str, w.Dropdown] = {}
        self._setting = False
        self.children = [w.HBox([self.upload, self.previous]), self.error, self.matching_intro, self.matching,
                         self.unknown, self.chart, self.chart_links, self.table, self.fidelity, self.fidelity_chart,
                         self.fidelity_links, self.download]
        self.upload.observe(lambda c: self._uploaded(c, False), names="value")
        self.previous.observe(lambda c: self._uploaded(c, True), names="value")
        model.observe(self.refresh, names=["figures", "fidelity", "error", "lang"])
        model.observe(self._matching, names=["columns", "lang"])
        self._matching()
        self.refresh()

    def _uploaded(self, change, previous: bool):
        files = list(change["new"] or ())
        if files:
            item = files[-1]
            self.model.load(bytes(item.get("content") or b""), str(item.get("name") or ""), previous=previous)
            (self.previous if previous else self.upload).value = ()

    # -- the matching: one dropdown per column ------------------------------------
    def _matching(self, change=None):
        m, lang = self.model, self.model.lang
        columns = m.matched_columns()
        options = m.statement_options()
        self._setting = True
        try:
            if list(self._dropdowns) != columns or (change is not None and change["name"] == "lang"):
                self._dropdowns = {}
                for column in columns:
                    box = labelled(w.Dropdown(options=options, description=column), "makker-eval-match")
                    box.layout.width = "860px"
                    box.observe(lambda c, col=column: self._chosen(col, c["new"]), names="value")
                    self._dropdowns[column] = box
                self.matching.children = tuple(self._dropdowns.values())
            for column, box in self._dropdowns.items():
                box.value = m.columns.get(column)
        finally:
            self._setting = False
        self.matching_intro.value = f"<p>{escape(t('evaluation.match_intro', lang))}</p>" if columns else ""
        set_visible(self.matching, bool(columns))

    def _chosen(self, column: str, statement):
        if not self._setting and not self.model.correct(column, statement):
            self._setting = True
            try:
                self._dropdowns[column].value = self.model.columns.get(column)
            finally:
                self._setting = False

    # -- figures, charts, files -------------------------------------------------------
    def _chart_html(self, kind: str, caption: list[str]) -> str:
        data = self.model.chart_bytes(kind, "svg")
        if not data:
            return ""
        title = t(f"evaluation.chart.title_{kind}", self.model.lang)
        src = "data:image/svg+xml;base64," + base64.b64encode(data).decode("ascii")
        lines = "".join(f"<li>{escape(c)}</li>" for c in caption)
        return (f'<figure><img alt="{escape(title)}" src="{src}" style="max-width:100%">'
                f"<figcaption><ul>{lines}</ul></figcaption></figure>")

    def refresh(self, change=None):
        m, lang = self.model, self.model.lang
        self.upload.description = t("evaluation.help_file", lang)
        self.previous.description = t("evaluation.help_previous", lang)
        self.error.value = f'<p role="alert" style="color:#a40000">{escape(m.error)}</p>' if m.error else ""
        if not m.figures:
            for part in (self.unknown, self.table, self.chart, self.chart_links, self.fidelity, self.fidelity_chart,
                         self.fidelity_links, self.download):
                part.value = ""
            return
        pct = lambda v: "–" if v is None else percent(v, lang)  # noqa: E731
        self.unknown.value = ("<p>" + escape(t("evaluation.unknown_answers", lang, count=m.unknown_answers,
                                               examples=", ".join(m.unknown_examples) or "–")) + "</p>"
                              if m.unknown_answers else "")
        school = [t("evaluation.chart.caption_school", lang, statement=s, school=pct(a), national=pct(n))
                  for s, a, n in m.chart_data("school")]
        self.chart.value = self._chart_html("school", school)
        self.chart_links.value = _links(m.chart_downloads("school"))
        self.table.value = _table(m.table_rows(), "makker-eval-figures")
        rows = m.fidelity_rows()
        heading = f"<h3>{escape(t('evaluation.report.fidelity_heading', lang))}</h3>"
        if rows:
            note = escape(t("evaluation.report.fidelity_note", lang))
            self.fidelity.value = heading + _table(rows, "makker-eval-fidelity-table") + f"<p>{note}</p>"
            caption = [t("evaluation.chart.caption_fidelity", lang, klass=k, changes=pct(c), contracts=pct(k2),
                         share=pct(s)) for k, c, k2, s in m.chart_data("fidelity")]
            self.fidelity_chart.value = self._chart_html("fidelity", caption)
            self.fidelity_links.value = _links(m.chart_downloads("fidelity"))
        else:
            self.fidelity.value = heading + f"<p>{escape(t('evaluation.no_log', lang))}</p>"
            self.fidelity_chart.value = self.fidelity_links.value = ""
        report = m.report_download()
        self.download.value = report.link() if report else ""
