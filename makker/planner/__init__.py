"""The planner: one rotation exactly (ILP), the whole year, and diagnosis.

See ``rotation.py`` (the exact model and the preview), ``year.py`` (the
school year), ``costs.py`` (what a group costs), ``solve.py`` (running
CBC/HiGHS safely), ``preview.py`` (the instant two-stage plan), ``quick.py``
(the one fallback built on it), ``improve.py`` (the year optimiser, with
``search_state.py`` and ``seeding.py``) and ``diagnose.py``. The modules form
layers (docs/architecture.md, "The planner's layers").
"""

from .costs import CostModel
from .diagnose import ImpossibleRules, diagnose
from .rotation import RotationResult, plan_rotation, preview_rotation
from .solve import SolveCancelled
from .year import YearProgress, YearResult, plan_year

__all__ = [
    "CostModel", "ImpossibleRules", "RotationResult", "SolveCancelled", "YearProgress", "YearResult",
    "diagnose", "plan_rotation", "plan_year", "preview_rotation",
]
