"""The two-page A4 evaluation report (PDF) for the school's leadership.

Page one: what the figures are, the whole school beside the national figures
(table and chart). Page two: per level and class, the implementation log
beside the class figures (table and chart), and the method note. Only the figures of
:func:`makker.evaluation.figures` are used, so small groups are already
merged or hidden.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Image, KeepInFrame, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .evaluation import MIN_GROUP, Fidelity, Figure, Survey
from .i18n import percent, t


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


def _picture(fig, max_width: float, max_height: float) -> Image:
    """A chart of :mod:`makker.evaluation_charts` as a 200 dpi picture, as large as fits."""
    from .charts import figure_bytes

    w_in, h_in = fig.get_size_inches()
    data = figure_bytes(fig, "png", dpi=200)
    fig.clf()
    scale = min(max_width / w_in, max_height / h_in)
    return Image(io.BytesIO(data), width=w_in * scale, height=h_in * scale)


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


def fidelity_table(fid: list[Fidelity], statements: list[str], lang: str) -> list[list[str]]:
    """The fidelity table as text rows (header first): class, rotations, on time, contracts, then shares."""
    head = [t(f"evaluation.col.{c}", lang) for c in ("class", "rotations", "changes", "contracts")]
    rows = [head + [t(f"evaluation.short.{s}", lang) for s in statements]]
    for r in fid:
        rows.append([r.klass, t("evaluation.logged_of", lang, logged=r.logged, due=r.rotations),
                     _pct(r.changes_on_time, lang), _pct(r.contracts_written, lang)]
                    + [_pct(r.shares.get(s), lang) for s in statements])
    return rows


def report_pdf(survey: Survey, figs: list[Figure], fid: list[Fidelity] | None, lang: str) -> bytes:
    from .evaluation_charts import fidelity_chart, school_chart

    st = getSampleStyleSheet()
    body, h1, h2 = st["BodyText"], st["Title"], st["Heading2"]
    body.fontSize, body.leading = 9, 12
    has_prev = any(f.previous is not None for f in figs)
    width, height = A4[0] - 4 * cm - 12, A4[1] - 3.6 * cm - 12  # the frame inside the margins and padding

    def head(*extra):
        cols = ["statement", "group", "answers", "share", "national"] + (["previous"] if has_prev else [])
        return [t(f"evaluation.col.{c}", lang) for c in cols] + list(extra)

    def row(f: Figure):
        r = [Paragraph(escape(t(f"evaluation.statement.{f.statement}", lang)), body), group_name(f, lang),
             str(f.answers), _pct(f.share, lang), _pct(f.national, lang)]
        return r + ([_pct(f.previous, lang)] if has_prev else [])

    widths = [7.2 * cm, 3.2 * cm, 1.5 * cm, 1.6 * cm, 1.8 * cm] + ([1.6 * cm] if has_prev else [])
    first = [Paragraph(escape(t("evaluation.report.title", lang)), h1),
             Paragraph(escape(t("evaluation.report.intro", lang)), body),
             Paragraph(escape(t("evaluation.report.respondents", lang, count=survey.respondents, file=survey.name)), body),
             Paragraph(escape(t("evaluation.report.school_heading", lang)), h2),
             _table([head()] + [row(f) for f in figs if f.kind == "school"], widths),
             Spacer(1, 0.3 * cm), _picture(school_chart(figs, lang), width, 9 * cm)]
    if survey.unknown_answers:
        first.append(Paragraph(escape(t("evaluation.unknown_answers", lang, count=survey.unknown_answers,
                                        examples=", ".join(survey.unknown_examples) or "–")), body))
    second = [Paragraph(escape(t("evaluation.report.groups_heading", lang)), h2),
              Paragraph(escape(t("evaluation.report.groups_note", lang)), body), _group_matrix(figs, lang),
              Paragraph(escape(t("evaluation.report.fidelity_heading", lang)), h2)]
    if fid:
        statements = list(dict.fromkeys(f.statement for f in figs))
        rows: list[list] = list(fidelity_table(fid, statements, lang))
        small = ParagraphStyle("head", parent=body, fontName="Helvetica-Bold", fontSize=7, leading=8, alignment=2)
        rows[0] = [Paragraph(escape(c), small) for c in rows[0]]
        lead = [2.2 * cm, 2.2 * cm, 2.3 * cm, 2.3 * cm]
        rest = (17 * cm - sum(lead)) / max(1, len(statements))
        tbl = _table(rows, lead + [rest] * len(statements))
        tbl.setStyle(TableStyle([("ALIGN", (1, 0), (-1, -1), "RIGHT")]))
        second += [tbl, Spacer(1, 0.2 * cm), _picture(fidelity_chart(fid, lang), width, 7.5 * cm),
                   Paragraph(escape(t("evaluation.report.fidelity_note", lang)), body)]
    else:
        second.append(Paragraph(escape(t("evaluation.report.no_log", lang)), body))
    second += [Paragraph(escape(t("evaluation.report.method_heading", lang)), h2),
               Paragraph(escape(t("evaluation.report.method", lang, min=MIN_GROUP)), body)]
    # each page's content shrinks to fit its page: the report is always two pages
    story = [KeepInFrame(width, height, first, mode="shrink"), PageBreak(),
             KeepInFrame(width, height, second, mode="shrink")]
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm, topMargin=1.8 * cm,
                            bottomMargin=1.8 * cm, title=t("evaluation.report.title", lang), invariant=1)
    doc.build(story)
    return buf.getvalue()
