"""The evaluation panel's widgets; it takes only its own model."""

from __future__ import annotations

import base64
from html import escape

import ipywidgets as w

from ...export import data_link
from ...i18n import percent, t
from ..widgets import labelled, tag
from .model import EvaluationModel


class EvaluationView(w.VBox):
    def __init__(self, model: EvaluationModel, **kw):
        super().__init__(**kw)
        self.model = model
        self.upload = labelled(w.FileUpload(accept=".xlsx,.csv", multiple=False), "makker-eval-upload")
        self.previous = labelled(w.FileUpload(accept=".xlsx,.csv", multiple=False), "makker-eval-upload-previous")
        self.error = tag(w.HTML(), "makker-eval-error")
        self.table = tag(w.HTML(), "makker-eval-table")
        self.chart = tag(w.HTML(), "makker-eval-chart")
        self.download = tag(w.HTML(), "makker-download-eval-pdf")
        self.children = [w.HBox([self.upload, self.previous]), self.error, self.chart, self.table, self.download]
        self.upload.observe(lambda c: self._uploaded(c, False), names="value")
        self.previous.observe(lambda c: self._uploaded(c, True), names="value")
        model.observe(self.refresh, names=["figures", "error", "lang"])
        self.refresh()

    def _uploaded(self, change, previous: bool):
        files = list(change["new"] or ())
        if files:
            item = files[-1]
            self.model.load(bytes(item.get("content") or b""), str(item.get("name") or ""), previous=previous)
            (self.previous if previous else self.upload).value = ()

    def refresh(self, change=None):
        m, lang = self.model, self.model.lang
        self.upload.description = t("evaluation.help_file", lang)
        self.previous.description = t("evaluation.help_previous", lang)
        self.error.value = f'<p role="alert">{escape(m.error)}</p>' if m.error else ""
        if not m.figures:
            self.table.value = self.chart.value = self.download.value = ""
            return
        head = "".join(f"<th>{escape(t(f'evaluation.col.{c}', lang))}</th>"
                       for c in ("statement", "group", "answers", "share", "national", "previous"))
        rows = []
        for f in m.figures:
            group = (t("evaluation.group.school", lang) if f["level_of_detail"] == "school" else
                     t("evaluation.group.other", lang) if f["group"] == "other" else f["group"])
            prev = "–" if f["previous"] is None else percent(f["previous"], lang)
            rows.append(f"<tr><td>{escape(t('evaluation.statement.' + f['statement'], lang))}</td><td>{escape(group)}</td>"
                        f"<td>{f['answers']}</td><td>{percent(f['share_agreeing'], lang)}</td>"
                        f"<td>{percent(f['national'], lang)}</td><td>{prev}</td></tr>")
        note = ""
        if m.unknown_answers:
            note = "<p>" + escape(t("evaluation.unknown_answers", lang, count=m.unknown_answers,
                                    examples=", ".join(m.unknown_examples) or "–")) + "</p>"
        self.table.value = f"<table><tr>{head}</tr>{''.join(rows)}</table>{note}"
        svg = base64.b64encode(m.chart_svg().encode("utf-8")).decode("ascii")
        self.chart.value = f'<img alt="{escape(t("evaluation.report.school_heading", lang))}" src="data:image/svg+xml;base64,{svg}">'
        self.download.value = data_link(m.pdf(), "evaluering.pdf", "application/pdf", t("evaluation.help_out", lang),
                                        "makker-download-eval-pdf-link")
