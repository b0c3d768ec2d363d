"""The quick rotation: the one fallback for when there is no exact plan.

Three situations need a rotation at once instead of an exact one: the exact
solve ran out of time or found nothing (:func:`makker.planner.rotation.plan_rotation`),
the year has no time left for an exact solve (:mod:`makker.planner.year`, and the
year optimiser completing a design), and the instant preview. All of them call
:func:`quick_rotation`: the two-stage plan of :mod:`makker.planner.preview`,
cut into the class's group shape, and, when the two matchings cannot respect
the hard rules although a plan may exist, the caller's brief exact solve.

This module sits below the exact model: the exact solve is handed in as a
function (``exact``) by the modules above it, so the exact model can use the
quick rotation as its own fallback without an import cycle.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from ..i18n import Message
from ..plan import Rotation
from ..shapes import DEFAULT_SHAPE, group_shapes
from .costs import CostModel
from .diagnose import ImpossibleRules
from .preview import preview_from_model, to_rotation

RESHAPE_TRIES = 200


def quick_rotation(model: CostModel, number: int, seed: int, *, shape: str = DEFAULT_SHAPE,
                   exact: Callable[[], Rotation] | None = None) -> Rotation:
    """The two-stage rotation in ``shape``; else ``exact()`` (a brief exact solve); else ImpossibleRules.

    ``exact`` is only called when the matchings fail on the hard rules (they
    are greedy about them, see :func:`makker.planner.rotation.preview_rotation`).
    Without it, that failure raises :class:`ImpossibleRules`.
    """
    rotation = preview_from_model(model, number, seed)
    if rotation is not None and shape != DEFAULT_SHAPE:
        rotation = reshape(model, rotation, shape, seed)
    if rotation is None and exact is not None:
        rotation = exact()
    if rotation is None:
        raise ImpossibleRules([Message.of("planner.infeasible")])
    return rotation


def reshape(model: CostModel, rotation: Rotation, shape: str, seed: int = 0) -> Rotation | None:
    """``rotation``'s students cut into ``shape``'s groups, keeping its order
    (so most groups stay as they were), redrawn until the hard rules hold."""
    order = [model.index[s] for s in rotation.members()]
    rng = random.Random(f"makker-reshape-{seed}")
    sizes = group_shapes(model.n, shape)
    for _ in range(RESHAPE_TRIES):
        it = iter(order)
        pairing = [tuple(tuple(next(it) for _ in range(k)) for k in g) for g in sizes]
        if all(model.hard_ok_idx(sorted(a for p in g for a in p)) for g in pairing):
            return to_rotation(model, pairing, rotation.number)
        rng.shuffle(order)
    return None
