"""The evaluation panel's state (no widgets): the figures of this year's and last year's survey.

Only aggregated figures are kept (:mod:`makker.evaluation`); the uploaded bytes
are read once and dropped, free-text answers are never read.
"""

from __future__ import annotations

import traitlets as tl

from ... import evaluation as ev
from ...i18n import MakkerError


class EvaluationModel(tl.HasTraits):
    lang = tl.Unicode("nb")
    survey_name = tl.Unicode("")
    previous_name = tl.Unicode("")
    columns = tl.Dict()  # statement column heading -> statement key or None (the matching, correctable)
    figures: tl.List = tl.List()  # Figure.to_json() rows, small groups already merged or hidden
    unknown_answers = tl.Int(0)
    unknown_examples: tl.List = tl.List()
    error = tl.Unicode("")  # the message in the user's language, shown next to the upload

    def __init__(self, **kw):
        super().__init__(**kw)
        self._survey: ev.Survey | None = None
        self._previous: ev.Survey | None = None
        self._sources: dict[str, tuple[bytes, str]] = {}  # kept only until the matching is settled

    def load(self, data: bytes, filename: str, *, previous: bool = False) -> bool:
        try:
            survey = ev.read_survey(data, filename, mapping=self.columns or None)
        except MakkerError as err:
            self.error = err.message(self.lang)
            return False
        self.error = ""
        self._sources["previous" if previous else "current"] = (bytes(data), filename)
        if previous:
            self._previous, self.previous_name = survey, survey.name
        else:
            self._survey, self.survey_name = survey, survey.name
            self.columns = dict(survey.columns)
        self._compute()
        return True

    def correct(self, column: str, statement: str | None) -> bool:
        """The coordinator's correction of one column's statement (None: not a programme statement)."""
        if statement is not None and statement not in ev.STATEMENTS:
            self.error = MakkerError("evaluation.unknown_statement", statement=statement).message(self.lang)
            return False
        self.columns = {**self.columns, column: statement}
        for which, (data, name) in list(self._sources.items()):
            survey = ev.read_survey(data, name, mapping=self.columns)
            if which == "previous":
                self._previous = survey
            else:
                self._survey = survey
        self._compute()
        return True

    def _compute(self) -> None:
        if self._survey is None:
            self.figures = []
            return
        self.unknown_answers = self._survey.unknown_answers
        self.unknown_examples = list(self._survey.unknown_examples)
        self.figures = [f.to_json() for f in ev.figures(self._survey, self._previous)]

    def figure_objects(self) -> list[ev.Figure]:
        return ev.figures(self._survey, self._previous) if self._survey else []

    def pdf(self) -> bytes:
        from ...evaluation_report import report_pdf

        if self._survey is None:
            return b""
        return report_pdf(self._survey, self.figure_objects(), None, self.lang)

    def chart_svg(self) -> str:
        from reportlab.graphics import renderSVG

        from ...evaluation_report import chart

        if self._survey is None:
            return ""
        return renderSVG.drawToString(chart(self.figure_objects(), self.lang))
