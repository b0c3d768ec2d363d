"""The two-page A4 evaluation report (PDF) for the school's leadership.

Page one: what the figures are, the whole school beside the national figures
(table and chart). Page two: per level and class, the implementation log
beside the class figures, and the method note. Only the figures of
:func:`makker.evaluation.figures` are used, so small groups are already
merged or hidden.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .evaluation import MIN_GROUP, Fidelity, Figure, Survey
from .i18n import percent, t

BLUE, GREY = colors.HexColor("#1f5f8b"), colors.HexColor("#9aa5ae")


def group_name(f: Figure, lang: str) -> str:
    if f.kind == "school":
        return t("evaluation.group.school", lang)
    if f.group == "other":
        return t("evaluation.group.other", lang)
    return f.group


def _pct(v: float | None, lang: str) -> str:
    return "–" if v is None else percent(v, lang)


def _table(rows: list[list[str]], widths) -> Table:
    tbl = Table(rows, colWidths=widths, repeatRows=1)
    tbl.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"), ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (2, 1), (-1, -1), "RIGHT"), ("BOTTOMPADDING", (0, 0), (-1, -1), 2), ("TOPPADDING", (0, 0), (-1, -1), 2),
    ]))
    return tbl


def chart(figs: list[Figure], lang: str, width: float = 17 * cm, height: float = 7.5 * cm) -> Drawing:
    """Horizontal bars: the school's share agreeing and the national figure, per statement."""
    school = [f for f in figs if f.kind == "school"]
    d = Drawing(width, height)
    bc = HorizontalBarChart()
    bc.x, bc.y, bc.width, bc.height = 7.5 * cm, 0.9 * cm, width - 8.3 * cm, height - 1.4 * cm
    bc.data = [[f.national * 100 for f in school][::-1], [(f.share or 0.0) * 100 for f in school][::-1]]
    bc.categoryAxis.categoryNames = [t(f"evaluation.statement.{f.statement}", lang)[:48] for f in school][::-1]
    bc.categoryAxis.labels.fontSize = 7
    bc.categoryAxis.labels.boxAnchor = "e"
    bc.valueAxis.valueMin, bc.valueAxis.valueMax, bc.valueAxis.valueStep = 0, 100, 20
    bc.valueAxis.labels.fontSize = 7
    bc.valueAxis.labelTextFormat = "%d %%"
    bc.bars[0].fillColor, bc.bars[1].fillColor = GREY, BLUE
    d.add(bc)
    lg = Legend()
    lg.x, lg.y, lg.fontSize, lg.alignment = 7.5 * cm, 0.35 * cm, 7, "right"
    lg.columnMaximum, lg.deltax = 1, 80
    lg.colorNamePairs = [(BLUE, t("evaluation.chart.school", lang)), (GREY, t("evaluation.col.national", lang))]
    d.add(lg)
    return d


def _group_matrix(figs: list[Figure], lang: str) -> Table:
    """One row per level or class, one column per statement: share agreeing (answers)."""
    statements = list(dict.fromkeys(f.statement for f in figs))
    groups = list(dict.fromkeys((f.kind, f.group) for f in figs if f.kind != "school"))
    groups.sort(key=lambda g: (g[0] != "level", g[1] == "other", g[1]))
    cell = {(f.kind, f.group, f.statement): f for f in figs}
    rows = [[t("evaluation.col.group", lang)] + [t(f"evaluation.short.{s}", lang) for s in statements]]
    for kind, group in groups:
        name = t("evaluation.group.other", lang) if group == "other" else group
        r = [name]
        for s in statements:
            f = cell.get((kind, group, s))
            r.append(f"{_pct(f.share, lang)} ({f.answers})" if f else "–")
        rows.append(r)
    first = 4.2 * cm
    rest = (17 * cm - first) / max(1, len(statements))
    tbl = _table(rows, [first] + [rest] * len(statements))
    tbl.setStyle(TableStyle([("ALIGN", (1, 0), (-1, -1), "RIGHT")]))
    return tbl


def report_pdf(survey: Survey, figs: list[Figure], fid: list[Fidelity] | None, lang: str) -> bytes:
    st = getSampleStyleSheet()
    body, h1, h2 = st["BodyText"], st["Title"], st["Heading2"]
    body.fontSize, body.leading = 9, 12
    has_prev = any(f.previous is not None for f in figs)

    def head(*extra):
        cols = ["statement", "group", "answers", "share", "national"] + (["previous"] if has_prev else [])
        return [t(f"evaluation.col.{c}", lang) for c in cols] + list(extra)

    def row(f: Figure):
        r = [Paragraph(escape(t(f"evaluation.statement.{f.statement}", lang)), body), group_name(f, lang),
             str(f.answers), _pct(f.share, lang), _pct(f.national, lang)]
        return r + ([_pct(f.previous, lang)] if has_prev else [])

    widths = [7.2 * cm, 3.2 * cm, 1.5 * cm, 1.6 * cm, 1.8 * cm] + ([1.6 * cm] if has_prev else [])
    story = [Paragraph(escape(t("evaluation.report.title", lang)), h1),
             Paragraph(escape(t("evaluation.report.intro", lang)), body),
             Paragraph(escape(t("evaluation.report.respondents", lang, count=survey.respondents, file=survey.name)), body),
             Paragraph(escape(t("evaluation.report.school_heading", lang)), h2),
             _table([head()] + [row(f) for f in figs if f.kind == "school"], widths),
             Spacer(1, 0.4 * cm), chart(figs, lang)]
    if survey.unknown_answers:
        story.append(Paragraph(escape(t("evaluation.unknown_answers", lang, count=survey.unknown_answers,
                                        examples=", ".join(survey.unknown_examples) or "–")), body))
    story += [PageBreak(), Paragraph(escape(t("evaluation.report.groups_heading", lang)), h2),
              Paragraph(escape(t("evaluation.report.groups_note", lang)), body), _group_matrix(figs, lang)]
    story.append(Paragraph(escape(t("evaluation.report.fidelity_heading", lang)), h2))
    if fid:
        cols = ["class", "changes", "contracts", "statement", "share"]
        rows = [[t(f"evaluation.col.{c}", lang) for c in cols]]
        for r in fid:
            rows.append([r.klass, _pct(r.changes_done, lang), _pct(r.contracts_written, lang),
                         Paragraph(escape(t(f"evaluation.statement.{r.statement}", lang)), body) if r.statement else "–",
                         _pct(r.share, lang)])
        story += [_table(rows, [2.5 * cm, 2.5 * cm, 3 * cm, 7 * cm, 2 * cm]),
                  Paragraph(escape(t("evaluation.report.fidelity_note", lang)), body)]
    else:
        story.append(Paragraph(escape(t("evaluation.report.no_log", lang)), body))
    story += [Paragraph(escape(t("evaluation.report.method_heading", lang)), h2),
              Paragraph(escape(t("evaluation.report.method", lang, min=MIN_GROUP)), body)]
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=1.8 * cm,
                            bottomMargin=1.8 * cm, title=t("evaluation.report.title", lang), invariant=1)
    doc.build(story)
    return buf.getvalue()
