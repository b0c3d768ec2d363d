"""The school-year tab: saved work, calendar, publishing, changes, swaps, log, class pack.

``model.SchoolYearModel`` holds the saved school year (the page's one source
of truth) and ``view.SchoolYearView`` shows it; ``AppModel.open_year`` makes
the model and wires it to the other panels.
"""

from __future__ import annotations

from .model import KEEP, SchoolYearModel, Shown, backup_time, workspace_path

__all__ = ["KEEP", "SchoolYearModel", "Shown", "backup_time", "build_schoolyear_tab", "workspace_path"]


def build_schoolyear_tab(app):
    """The tab MakkerApp mounts (a ``SchoolYearView``) on the app's school year, opened here if need be."""
    from .view import SchoolYearView

    return SchoolYearView(app.open_year())
