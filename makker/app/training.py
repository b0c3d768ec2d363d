"""Building blocks for the training notebook (``dashboards/opplaering.ipynb``).

The trainer walks a room of teachers through a fictional class with the same
models and views as the dashboard; each notebook cell is one or two calls here.
"""

from __future__ import annotations

from collections.abc import Mapping

import ipywidgets as w

from ..i18n import percent, t
from .app_model import AppModel
from .environment import settings_from_environment
from .export_view import ExportView
from .load_view import LoadView
from .see_view import SeeView
from .tune_view import TuneView
from .widgets import tag


def model(environ: Mapping[str, str] | None = None) -> AppModel:
    """An app model on a fictional class (training mode is always on here)."""
    import os
    from dataclasses import replace

    env = os.environ if environ is None else environ
    settings = replace(settings_from_environment(env), training=True)
    if "MAKKER_ROTATIONS" not in env:
        settings = replace(settings, rotations=8)  # enough rotations to see the year fill in
    app = AppModel(settings)
    app.start()
    return app


def roster(app: AppModel) -> w.Widget:
    return LoadView(app)


def tune(app: AppModel) -> w.Widget:
    return TuneView(app)


def see(app: AppModel) -> w.Widget:
    return SeeView(app)


def export(app: AppModel) -> w.Widget:
    view = ExportView(app)
    view.active = True
    view.refresh()
    return view


def coverage_rows(app: AppModel, rotations: int = 12, seeds: int = 5) -> list[list[str]]:
    """Per rotation: % of classmate pairs met by a random draw (mean of seeds), by the plan, and the limit."""
    from ..baseline import random_plan
    from ..metrics import bounds, coverage_curve

    students = app.load.students()
    plan = app.tune.plan
    if plan is not None:
        rotations = len(plan.rotations)
    curves = [coverage_curve(random_plan(students, rotations, seed=s, klass=app.load.klass)) for s in range(seeds)]
    random = [sum(c[i] for c in curves) / len(curves) for i in range(rotations)]
    limit = bounds(len(students), rotations).coverage
    planned = coverage_curve(plan) if plan is not None else []
    pct = lambda v: percent(v, app.lang)  # noqa: E731
    rows = []
    for i in range(rotations):
        row = [str(i + 1), pct(random[i])]
        if planned:
            row.append(pct(planned[i]))
        rows.append(row + [pct(limit[i])])
    return rows


def coverage_table(app: AppModel, rotations: int = 12) -> w.Widget:
    """Year by year: how much of the class a random draw and the plan get to know."""
    from .tables import _table

    lang = app.lang
    headers = [t("app.training.rotation", lang), t("app.training.random", lang)]
    if app.tune.plan is not None:
        headers.append(t("app.training.plan", lang))
    headers.append(t("app.training.limit", lang))
    html = _table(headers, coverage_rows(app, rotations), t("app.training.caption", lang))
    return tag(w.HTML(html), "makker-training-coverage")


def make_plan(app: AppModel, rotations: int | None = None) -> w.Widget:
    """Run the year plan (waits for it) and return the status line."""
    if rotations is not None:
        app.tune.rotations = rotations
    app.tune.start_plan()
    app.tune.wait()
    status = app.tune.status.render(app.lang) if app.tune.status is not None else ""
    error = app.error.render(app.lang) if app.error is not None else ""
    return tag(w.HTML(f"<p>{_esc(status)} {_esc(error)}</p>"), "makker-training-status")


def _esc(text: str) -> str:
    from html import escape

    return escape(text)
