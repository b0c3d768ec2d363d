"""The evaluation's two charts: the school beside the national figures, and implementation beside outcomes.

Built like the plan charts (:mod:`makker.charts`): matplotlib's object API,
DejaVu Sans, text kept as text in SVG and PDF, and bars told apart by hatching
and labels as well as colour. Both charts take only figures that may be shown
(:func:`makker.evaluation.figures`, :func:`makker.evaluation.fidelity`), so a
small group never reaches a chart.
"""

from __future__ import annotations

import textwrap

from matplotlib.figure import Figure

from .charts import _figure, _styled
from .evaluation import STATEMENTS, Fidelity
from .evaluation import Figure as SurveyFigure
from .i18n import percent, t

SCHOOL, NATIONAL, CONTRACTS = "#332288", "#BBBBBB", "#44AA99"


def school_chart_data(figs: list[SurveyFigure], lang: str) -> list[tuple[str, float | None, float]]:
    """(statement, the school's share agreeing, the national share) for every statement shown."""
    return [(t(f"evaluation.statement.{f.statement}", lang), f.share, f.national) for f in figs if f.kind == "school"]


def headline(fid: list[Fidelity]) -> str | None:
    """The statement the fidelity chart shows: the programme's first one that some class has a figure on."""
    for key in STATEMENTS:
        if any(r.shares.get(key) is not None for r in fid):
            return key
    return None


def fidelity_chart_data(fid: list[Fidelity]) -> list[tuple[str, float, float, float | None]]:
    """(class, changes on time, contracts written, share agreeing on :func:`headline`) per class."""
    key = headline(fid)
    return [(r.klass, r.changes_on_time, r.contracts_written, r.shares.get(key) if key else None) for r in fid]


def _bars(ax, y, values, height, colour, hatch, label, lang):
    shown = [0.0 if v is None else 100 * v for v in values]
    ax.barh(y, shown, height=height, color=colour, hatch=hatch, edgecolor="black", linewidth=0.5, label=label)
    for yy, v in zip(y, values):
        ax.text((0 if v is None else 100 * v) + 1, yy, "–" if v is None else percent(v, lang), va="center",
                fontsize=8, parse_math=False)


def _finish(ax, fig, title: str, labels: list[str], legend_cols: int, lang: str) -> None:
    ax.set_yticks(range(len(labels)))
    ax.set_yticklabels(labels, fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, 112)
    ax.set_xticks(range(0, 101, 20))
    ax.set_xticklabels([percent(v / 100, lang) for v in range(0, 101, 20)], fontsize=8)
    ax.grid(True, axis="x", color="#DDDDDD")
    ax.set_axisbelow(True)
    legend = ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=legend_cols, frameon=False, fontsize=9)
    for txt in legend.get_texts():
        txt.set_parse_math(False)
    fig.suptitle(title, fontsize=12, fontweight="bold", parse_math=False)


@_styled
def school_chart(figs: list[SurveyFigure], lang: str = "nb") -> Figure:
    """Horizontal bars: the school's share agreeing beside the national figure, per statement."""
    rows = school_chart_data(figs, lang)
    fig = _figure(8.5, 1.2 + 0.75 * max(1, len(rows)))
    ax = fig.add_axes((0.4, 0.18 if len(rows) > 2 else 0.3, 0.57, 0.7 if len(rows) > 2 else 0.45))
    y = range(len(rows))
    _bars(ax, [v - 0.19 for v in y], [r[1] for r in rows], 0.36, SCHOOL, "", t("evaluation.chart.school", lang), lang)
    _bars(ax, [v + 0.19 for v in y], [r[2] for r in rows], 0.36, NATIONAL, "//", t("evaluation.col.national", lang), lang)
    _finish(ax, fig, t("evaluation.report.school_heading", lang), [textwrap.fill(r[0], 34) for r in rows], 2, lang)
    return fig


@_styled
def fidelity_chart(fid: list[Fidelity], lang: str = "nb") -> Figure:
    """Per class: changes done on time, contracts written and the class's share agreeing, side by side."""
    rows = fidelity_chart_data(fid)
    key = headline(fid)
    fig = _figure(8.5, 1.4 + 0.8 * max(1, len(rows)))
    ax = fig.add_axes((0.16, 0.2 if len(rows) > 2 else 0.34, 0.8, 0.66 if len(rows) > 2 else 0.42))
    y = range(len(rows))
    _bars(ax, [v - 0.26 for v in y], [r[1] for r in rows], 0.25, NATIONAL, "//", t("evaluation.col.changes", lang), lang)
    _bars(ax, list(y), [r[2] for r in rows], 0.25, CONTRACTS, "..", t("evaluation.col.contracts", lang), lang)
    if key:
        label = t("evaluation.chart.agree_on", lang, statement=t(f"evaluation.short.{key}", lang))
        _bars(ax, [v + 0.26 for v in y], [r[3] for r in rows], 0.25, SCHOOL, "", label, lang)
    _finish(ax, fig, t("evaluation.report.fidelity_heading", lang), [r[0] for r in rows], 3, lang)
    return fig
