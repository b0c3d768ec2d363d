"""The evaluation panel's state (no widgets): the figures of this year's and last year's survey.

Only aggregated figures are kept (:mod:`makker.evaluation`); the uploaded bytes
are kept only so that a corrected matching can be counted again, and free-text
answers are never read. Beside the figures: the saved school year's
implementation log per class (``workspace`` gives the saved school year, or
None when there is none).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import traitlets as tl

from ... import evaluation as ev
from ...export import Download
from ...i18n import MakkerError, percent, t

log = logging.getLogger(__name__)

CHARTS = ("school", "fidelity")
FORMATS = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}


class EvaluationModel(tl.HasTraits):
    lang = tl.Unicode("nb")
    survey_name = tl.Unicode("")
    previous_name = tl.Unicode("")
    columns = tl.Dict()  # statement column heading -> statement key or None (the matching, correctable)
    figures: tl.List = tl.List()  # Figure.to_json() rows, small groups already merged or hidden
    fidelity: tl.List = tl.List()  # Fidelity.to_json() rows, one per class in the implementation log
    unknown_answers = tl.Int(0)
    unknown_examples: tl.List = tl.List()
    error = tl.Unicode("")  # the message in the user's language, shown next to the upload

    def __init__(self, workspace: Callable[[], object | None] | None = None, **kw):
        super().__init__(**kw)
        self._workspace = workspace or (lambda: None)
        self._survey: ev.Survey | None = None
        self._previous: ev.Survey | None = None
        self._fid: list[ev.Fidelity] = []
        self._sources: dict[str, tuple[bytes, str]] = {}  # kept only so a corrected matching can be counted again
        self._cache: dict[tuple, bytes] = {}
        self._pending: list[str] = []  # the columns of a file with no column matched yet

    # -- reading and matching ------------------------------------------------
    def load(self, data: bytes, filename: str, *, previous: bool = False) -> bool:
        which = "previous" if previous else "current"
        try:
            survey = ev.read_survey(data, filename, mapping=self.columns or None)
        except ev.NoStatements as err:  # the coordinator picks the statements in the dropdowns
            self._sources[which] = (bytes(data), filename)
            if not previous:
                self._survey, self.survey_name, self._pending = None, "", list(err.columns)
                self._compute()
            self.error = t("evaluation.no_statements_page", self.lang, file=err.params["file"])
            self.columns = {**err.columns, **self.columns}
            return False
        except MakkerError as err:
            self.error = err.message(self.lang)
            return False
        self.error = ""
        self._sources[which] = (bytes(data), filename)
        self._pending = []
        if previous:
            self._previous, self.previous_name = survey, survey.name
            self.columns = {**survey.columns, **self.columns}
        else:
            self._survey, self.survey_name = survey, survey.name
            self.columns = {**self.columns, **survey.columns}
        self._compute()
        return True

    def correct(self, column: str, statement: str | None) -> bool:
        """The coordinator's correction of one column's statement (None: not a programme statement)."""
        if statement is not None and statement not in ev.STATEMENTS:
            self.error = MakkerError("evaluation.unknown_statement", statement=statement).message(self.lang)
            return False
        mapping = {**self.columns, column: statement}
        try:
            read = {which: ev.read_survey(data, name, mapping=mapping)
                    for which, (data, name) in self._sources.items()}
        except ev.NoStatements as err:  # no column left on a statement: the matching stays as it was
            self.error = t("evaluation.no_statements_page", self.lang, file=err.params["file"])
            return False
        except MakkerError as err:
            self.error = err.message(self.lang)
            return False
        self.error = ""
        if "current" in read:
            self._survey, self.survey_name, self._pending = read["current"], read["current"].name, []
        self._previous = read.get("previous", self._previous)
        self.columns = mapping
        self._compute()
        return True

    def statement_options(self) -> list[tuple[str, str | None]]:
        """The choices for one column: none of the statements, or one of the programme's statements."""
        return [(t("evaluation.match_none", self.lang), None)] + [
            (t(f"evaluation.statement.{key}", self.lang), key) for key in ev.STATEMENTS]

    def matched_columns(self) -> list[str]:
        """The columns of this year's survey, in the file's order (matched or not)."""
        return list(self._survey.columns) if self._survey else self._pending

    # -- figures --------------------------------------------------------------
    def _compute(self) -> None:
        self._cache.clear()
        if self._survey is None:
            self.figures, self.fidelity = [], []
            return
        self.unknown_answers = self._survey.unknown_answers
        self.unknown_examples = list(self._survey.unknown_examples)
        figs = self.figure_objects()
        self._fid = self._read_log(figs)
        self.fidelity = [r.to_json() for r in self._fid]
        self.figures = [f.to_json() for f in figs]
        if not figs:  # read, but too few answers to show anything
            self.error = t("evaluation.too_few", self.lang, count=self._survey.respondents, min=ev.MIN_GROUP)

    def _read_log(self, figs: list[ev.Figure]) -> list[ev.Fidelity]:
        try:
            ws = self._workspace()
            return ev.workspace_fidelity(ws, figs) if ws is not None else []
        except Exception:  # noqa: BLE001 - the survey figures are still shown without the log
            log.exception("implementation log could not be read")
            return []

    def refresh_log(self) -> None:
        """Read the implementation log again (the school-year tab may have logged a rotation since)."""
        if self._survey is not None:
            fid = self._read_log(self.figure_objects())
            if [r.to_json() for r in fid] != self.fidelity:
                self._cache.clear()
                self._fid = fid
                self.fidelity = [r.to_json() for r in fid]

    def figure_objects(self) -> list[ev.Figure]:
        return ev.figures(self._survey, self._previous) if self._survey else []

    def table_rows(self) -> list[list[str]]:
        """The figures table as text (header first), as the tab shows it."""
        lang = self.lang
        rows = [[t(f"evaluation.col.{c}", lang) for c in ("statement", "group", "answers", "share", "national",
                                                             "previous")]]
        for f in self.figures:
            group = (t("evaluation.group.school", lang) if f["level_of_detail"] == "school" else
                     t("evaluation.group.other", lang) if f["group"] == "other" else f["group"])
            rows.append([t("evaluation.statement." + f["statement"], lang), group, str(f["answers"]),
                         _pct(f["share_agreeing"], lang), _pct(f["national"], lang), _pct(f["previous"], lang)])
        return rows

    def fidelity_rows(self) -> list[list[str]]:
        """The implementation log beside the class figures as text (header first); empty without a log."""
        from ...evaluation_report import fidelity_table

        if not self._fid:
            return []
        return fidelity_table(self._fid, list(dict.fromkeys(f["statement"] for f in self.figures)), self.lang)

    # -- charts and files -------------------------------------------------------
    def chart_data(self, kind: str) -> list[tuple]:
        """What a chart draws (only figures that may be shown)."""
        from ...evaluation_charts import fidelity_chart_data, school_chart_data

        if kind == "school":
            return school_chart_data(self.figure_objects(), self.lang) if self._survey else []
        return fidelity_chart_data(self._fid)

    def chart_bytes(self, kind: str, fmt: str = "png") -> bytes:
        """One chart as PNG, SVG or PDF; b"" when there is nothing to draw."""
        if not self.chart_data(kind):
            return b""
        key = (kind, fmt, self.lang)
        if key not in self._cache:
            from ...charts import figure_bytes
            from ...evaluation_charts import fidelity_chart, school_chart

            fig = school_chart(self.figure_objects(), self.lang) if kind == "school" else \
                fidelity_chart(self._fid, self.lang)
            self._cache[key] = figure_bytes(fig, fmt)
            fig.clf()
        return self._cache[key]

    def chart_downloads(self, kind: str) -> list[Download]:
        """The chart as PNG, SVG and PDF, like the plan charts."""
        out = []
        for fmt, mime in FORMATS.items():
            data = self.chart_bytes(kind, fmt)
            if data:
                name = f"{t(f'evaluation.file.{kind}', self.lang)}.{fmt}"
                label = t(f"app.export.{fmt}", self.lang, chart=t(f"evaluation.chart.title_{kind}", self.lang))
                out.append(Download(data, name, mime, label, f"makker-download-eval-{kind}-{fmt}"))
        return out

    def pdf(self) -> bytes:
        from ...evaluation_report import report_pdf

        if self._survey is None:
            return b""
        key = ("report", self.lang)
        if key not in self._cache:
            self._cache[key] = report_pdf(self._survey, self.figure_objects(), self._fid or None, self.lang)
        return self._cache[key]

    def report_download(self) -> Download | None:
        data = self.pdf()
        if not data:
            return None
        return Download(data, f"{t('evaluation.file.report', self.lang)}.pdf", "application/pdf",
                        t("evaluation.download_report", self.lang), "makker-download-eval-pdf-link")


def _pct(v: float | None, lang: str) -> str:
    return "–" if v is None else percent(v, lang)
