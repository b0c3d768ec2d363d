"""The school overview tab: every class of the saved school year on one page."""

from .model import OverviewModel, SchoolPlanModel
from .view import OverviewView, SchoolPlanView

__all__ = ["OverviewModel", "OverviewView", "SchoolPlanModel", "SchoolPlanView"]
