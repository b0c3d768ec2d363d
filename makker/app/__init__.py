"""The coordinator's dashboard (the only part of makker that imports ipywidgets).

Models (``*_model.py``) hold state as traitlets without widgets; views
(``*_view.py``) link widgets to them. ``dashboards/makkerskap.ipynb`` only runs::

    from makker.app import MakkerApp
    MakkerApp.from_environment().show()
"""

from .app_model import AppModel
from .environment import Settings, settings_from_environment
from .main import MakkerApp, preload

__all__ = ["AppModel", "MakkerApp", "Settings", "preload", "settings_from_environment"]
