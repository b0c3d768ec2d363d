"""The planner: one rotation exactly (ILP), the whole year, and diagnosis.

See ``rotation.py`` (the exact model), ``year.py`` (the school year),
``costs.py`` (what a group costs), ``solve.py`` (running CBC/HiGHS safely),
``preview.py`` (the instant two-stage plan) and ``diagnose.py``.
"""

from .costs import CostModel
from .diagnose import ImpossibleRules, diagnose
from .preview import preview_rotation
from .rotation import RotationResult, plan_rotation
from .solve import SolveCancelled
from .year import YearProgress, YearResult, plan_year

__all__ = [
    "CostModel", "ImpossibleRules", "RotationResult", "SolveCancelled", "YearProgress", "YearResult",
    "diagnose", "plan_rotation", "plan_year", "preview_rotation",
]
