"""State of the see and export panels: which rotation, which chart, and the files.

Charts come from ``makker.charts`` (matplotlib Figures, Agg) and are turned
into bytes here, so the views only put bytes into widgets. Results are cached
per (chart, rotation, language, presentation) because language switches and
slider steps re-ask for the same pictures.
"""

from __future__ import annotations

import logging
import threading

import traitlets as tl

from ..i18n import Message, t
from ..rules import Rules, Weights

log = logging.getLogger(__name__)

CHARTS = ("seating", "network", "heatmap", "coverage")
# matplotlib's style contexts change global rcParams: draw one chart at a time,
# whether the caller is the kernel's main thread or the planning thread.
CHART_LOCK = threading.RLock()
MIME = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}


class SeeModel(tl.HasTraits):
    plan = tl.Any(None)  # Plan | None
    rules = tl.Instance(Rules, args=())
    weights = tl.Instance(Weights, args=())  # the sliders the plan was made with
    rotation = tl.Int(1)  # rotation shown in table / seating chart / exports
    upto = tl.Int(1)  # network and heat map: rotations 1..upto
    chart = tl.Unicode("seating")  # chart offered for PNG/SVG/PDF download
    lang = tl.Unicode("nb")
    presentation = tl.Bool(False)
    error = tl.Any(None)
    made = tl.Int(0)  # bumps whenever a plan is put here, even one equal to the last: the report re-renders

    def __init__(self, **kw):
        super().__init__(**kw)
        self._cache: dict = {}
        self._baseline = None

    @tl.observe("plan")
    def _plan_changed(self, change):
        self._cache.clear()
        self._baseline = None
        n = self.count()
        self.rotation = min(max(1, self.rotation), max(1, n))
        self.upto = max(1, n)

    def count(self) -> int:
        return len(self.plan.rotations) if self.plan is not None else 0

    def current(self):
        if self.plan is None or not self.plan.rotations:
            return None
        index = min(max(1, self.rotation), self.count()) - 1
        return self.plan.rotations[index]

    def names(self) -> dict[str, str]:
        return {s.id: s.name for s in self.plan.students} if self.plan is not None else {}

    def baseline(self) -> list[float]:
        """Coverage of random draws of the same class (computed once per plan)."""
        if self._baseline is None and self.plan is not None:
            from ..charts import baseline_curve

            self._baseline = list(baseline_curve(self.plan))
        return self._baseline or []

    # -- charts --------------------------------------------------------------
    def figure(self, kind: str):
        from .. import charts

        plan, lang = self.plan, self.lang
        if kind == "seating":
            return charts.seating_chart(plan, self.current().number, lang, presentation=self.presentation)
        if kind == "network":
            return charts.network_chart(plan, self.upto, lang, presentation=self.presentation)
        if kind == "heatmap":
            return charts.heatmap_chart(plan, self.upto, lang)
        if kind == "coverage":
            return charts.coverage_chart(plan, lang, baseline=self.baseline())
        raise ValueError(kind)

    def _key(self, kind: str, fmt: str):
        step = self.current().number if kind == "seating" else (self.upto if kind in ("network", "heatmap") else 0)
        return (kind, fmt, step, self.lang, self.presentation, id(self.plan))

    def chart_bytes(self, kind: str, fmt: str = "png") -> bytes:
        """Bytes of one chart, b"" when there is no plan or the chart failed."""
        if self.plan is None or self.current() is None:
            return b""
        key = self._key(kind, fmt)
        if key not in self._cache:
            try:
                from ..charts import figure_bytes

                if kind == "seating" and fmt == "pdf":  # to print: the class pack's A4 landscape page, names >= 10 pt
                    from ..pack import seating_pdf

                    self._cache[key] = seating_pdf(self.plan, self.current().number, self.lang)
                    return self._cache[key]
                with CHART_LOCK:
                    fig = self.figure(kind)
                    self._cache[key] = figure_bytes(fig, fmt)
                    _close(fig)
            except Exception:  # noqa: BLE001
                log.exception("chart %s failed", kind)
                self.error = Message.of("app.error.chart_failed")
                return b""
        return self._cache[key]

    def alt_text(self, kind: str) -> str:
        """Text alternative of a chart (screen readers, hover)."""
        n = self.current().number if self.current() is not None else 1
        return t(f"app.alt.{kind}", self.lang, number=n, upto=self.upto, total=self.count())

    # -- summary -------------------------------------------------------------
    def summary_lines(self) -> list[str]:
        """The goals the plan did not fully reach, grouped (:func:`makker.report.missed_lines`);
        empty in presentation mode (rules are private)."""
        if self.plan is None or self.presentation:
            return []
        try:
            from ..report import missed_lines

            return missed_lines(self.plan, self.rules, self.weights, self.lang)
        except Exception:  # noqa: BLE001
            log.exception("summary failed")
            return []

    def tradeoff(self, visible=None) -> str:
        """What the plan's choice costs in one sentence, for the sliders in ``visible`` (default all);
        "" without a plan and in presentation mode (it speaks of genders and rules)."""
        if self.plan is None or self.presentation:
            return ""
        try:
            from ..report import WEIGHTS, tradeoff

            return tradeoff(self.plan, self.rules, self.weights, self.lang, visible=WEIGHTS if visible is None else visible)
        except Exception:  # noqa: BLE001
            log.exception("trade-off failed")
            return ""

    # -- export --------------------------------------------------------------
    def export_links(self) -> list[tuple[str, str]]:
        """(css class, HTML link) for every download; the plan file never holds rules."""
        if self.plan is None or self.current() is None:
            return []
        from ..export import data_link, export_filename, plan_to_csv, plan_to_xlsx

        klass, number, lang = self.plan.klass, self.current().number, self.lang
        what = t("app.file.plan", lang)
        out = [
            ("makker-download-xlsx", data_link(
                plan_to_xlsx(self.plan, lang), export_filename(klass, what, None, "xlsx", lang=lang),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", t("app.export.xlsx", lang),
                css_class="makker-download-xlsx")),
            ("makker-download-csv", data_link(
                plan_to_csv(self.plan, lang), export_filename(klass, what, None, "csv", lang=lang),
                "text/csv", t("app.export.csv", lang), css_class="makker-download-csv")),
            ("makker-download-json", data_link(
                self.plan.dumps(attributes=False).encode("utf-8"), export_filename(klass, what, None, "json", lang=lang),
                "application/json", t("app.export.json", lang), css_class="makker-download-json")),
        ]
        chart_rotation = number if self.chart == "seating" else (self.upto if self.chart in ("network", "heatmap") else None)
        for fmt in ("png", "svg", "pdf"):
            data = self.chart_bytes(self.chart, fmt)
            if data:
                name = export_filename(klass, t(f"app.file.{self.chart}", lang), chart_rotation, fmt, lang=lang)
                label = t(f"app.export.{fmt}", lang, chart=t(f"app.chart.{self.chart}", lang))
                out.append((f"makker-download-{fmt}", data_link(data, name, MIME[fmt], label, css_class=f"makker-download-{fmt}")))
        return out


def _close(fig) -> None:
    try:
        fig.clf()
    except Exception:  # noqa: BLE001
        pass
