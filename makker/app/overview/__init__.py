"""The school overview tab: every class of the saved school year on one page."""

from .model import OverviewModel
from .view import OverviewView

__all__ = ["OverviewModel", "OverviewView"]
