"""Building blocks for the training notebook (``dashboards/opplaering.ipynb``).

The trainer walks a room of teachers through a fictional class with the same
models and views as the dashboard. The notebook shows the whole course as one
box (:func:`course`): Voilà renders a notebook cell by cell, so one cell of
views is on the page sooner than ten cells of one view each.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

import ipywidgets as w

from ..i18n import percent, t
from .app_model import AppModel
from .environment import settings_from_environment
from .export_view import ExportView
from .load_view import LoadView
from .see_view import SeeView
from .tables import error_box, roster_table
from .tune_view import TuneView
from .widgets import presentation_switch, tag

log = logging.getLogger(__name__)


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


def coverage_rows(app: AppModel, rotations: int = 12, seeds: int = 5, with_plan: bool = True) -> list[list[str]]:
    """Per rotation: % of classmate pairs met by a random draw (mean of seeds), by the plan, and the limit."""
    from ..baseline import random_plan
    from ..metrics import bounds, coverage_curve

    students = app.load.students()
    plan = app.tune.plan if with_plan else None
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


def coverage_table(app: AppModel, rotations: int = 12, with_plan: bool = True) -> w.Widget:
    """Rotation by rotation: how much of the class a random draw and the plan get to know.

    The table follows the language and, with ``with_plan``, the plan: made while
    the trainer talks, the plan's column appears when the plan is ready.
    """
    from .tables import _table

    box = tag(w.HTML(), "makker-training-coverage")

    def render(change=None):
        lang, shown = app.lang, with_plan and app.tune.plan is not None
        headers = [t("app.training.rotation", lang), t("app.training.random", lang)]
        if shown:
            headers.append(t("app.training.plan", lang))
        headers.append(t("app.training.limit", lang))
        box.value = _table(headers, coverage_rows(app, rotations, with_plan=shown), t("app.training.caption", lang))

    render()
    app.observe(render, names="lang")
    if with_plan:
        app.tune.observe(render, names="plan")
    return box


def make_plan(app: AppModel, rotations: int | None = None, start: bool = True, wait: bool = False) -> w.Widget:
    """The year plan's status line and progress bar; ``start`` begins the plan (in the background).

    The training page shows at once: the plan runs while the trainer talks, and
    the views below fill in when it is ready. ``wait`` blocks until it is done.
    """
    if rotations is not None:
        app.tune.rotations = rotations
    status = tag(w.HTML(), "makker-training-status")
    progress = tag(w.IntProgress(value=0, min=0, max=1), "makker-training-progress")

    def render(change=None):
        tune, lang = app.tune, app.lang
        if tune.running:
            text = t("app.training.plan_running", lang)
        elif tune.status is not None:
            text = tune.status.render(lang)
        else:
            text = t("app.training.plan_coming", lang)
        error = app.error.render(lang) if app.error is not None else ""
        status.value = f"<p>{_esc(text)} {_esc(error)}</p>"
        progress.max = max(1, tune.total or tune.rotations)
        progress.value = min(tune.done, progress.max) if tune.running or tune.plan is None else progress.max

    render()
    app.tune.observe(render, names=["running", "status", "done", "total", "plan"])
    app.observe(render, names=["lang", "error"])
    if start:
        start_plan(app)
    if wait:
        app.tune.wait()
    return w.VBox([status, progress])


def start_plan(app: AppModel) -> None:
    """Begin the demonstration plan once (the last cell calls this, after the page is shown)."""
    if app.tune.plan is None and not app.tune.running:
        app.tune.start_plan()


def presentation(app: AppModel) -> w.Widget:
    """The presentation switch (as in the dashboard's header) and the class list as it shows it."""
    switch = presentation_switch(app)
    table = tag(w.HTML(), "makker-training-roster")

    def render(change=None):
        table.value = roster_table(app.load.roster, app.lang, presentation=app.presentation)

    render()
    app.observe(render, names=["lang", "presentation"])
    app.load.observe(render, names="roster")
    return w.VBox([switch, table])


def after_plan(build: Callable[[AppModel], w.Widget]) -> Callable[[AppModel], w.Widget]:
    """A section built when the demonstration plan has run, with a line saying so until then.

    The figures, the rules and the teachers' files show the plan; built at
    once they would be two thirds of the page's widgets, and the page shows
    sooner without them (they also stay out of the plan's way while it runs).
    """

    def section(app: AppModel) -> w.Widget:
        wait = tag(w.HTML(), "makker-course-waiting")
        slot = tag(w.VBox([wait]), "makker-course-later")

        def say(change=None):
            wait.value = f"<p><em>{_esc(t('app.training.after_plan', app.lang))}</em></p>"

        def fill():
            try:
                slot.children = [build(app)]
            except Exception:  # noqa: BLE001 - the rest of the course must still work
                log.exception("a section of the course could not be built")
                failed = tag(w.HTML(error_box(t("app.error.unexpected", app.lang))), "makker-course-failed")
                slot.children = [failed]

        def ended(change):
            if change["old"] and not change["new"]:  # the end of a run, whatever its result
                app.tune.unobserve(ended, names="running")
                app.unobserve(say, names="lang")
                fill()

        if app.tune.plan is not None and not app.tune.running:
            fill()
        else:
            say()
            app.tune.observe(ended, names="running")
            app.observe(say, names="lang")
        return slot

    return section


# The course in order: each section's text (a catalog key, Markdown) and what it shows below it.
SECTIONS: list[tuple[str, Callable[[AppModel], w.Widget] | None]] = [
    ("course.intro", None),
    ("course.class", roster),
    ("course.why", lambda app: coverage_table(app, rotations=12, with_plan=False)),
    ("course.plan", lambda app: make_plan(app, start=False)),  # the notebook's last cell starts it
    ("course.compare", coverage_table),
    ("course.figures", after_plan(see)),
    ("course.rules", after_plan(tune)),
    ("course.teachers", after_plan(export)),
    ("course.presentation", presentation),
    ("course.next", None),
]


def course(app: AppModel) -> w.Widget:
    """The whole course as one box: per section its text in the page's language, then its views."""
    parts: list[w.Widget] = []
    for key, build in SECTIONS:
        parts.append(text(app, key))
        if build is not None:
            parts.append(build(app))
    return tag(w.VBox(parts), "makker-course")


def text(app: AppModel, key: str) -> w.Widget:
    """A course text (Markdown in the catalogs) as HTML that follows the language."""
    box = tag(w.HTML(), "makker-course-text")

    def render(change=None):
        box.value = markdown(t(key, app.lang))

    render()
    app.observe(render, names="lang")
    return box


def markdown(source: str) -> str:
    """Catalog Markdown as HTML; any HTML in the source is shown as text, never run."""
    import mistune

    return str(mistune.create_markdown(escape=True)(source))


def _esc(text: str) -> str:
    from html import escape

    return escape(text)
