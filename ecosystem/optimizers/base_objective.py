"""The base objective: what the base optimizer selects on.

`exit` is the intended objective itself (outer alignment). `green` is
misspecified: it rewards ending the episode on any green object. Under the
default training preset the only green object is the exit, so `green`
selects exactly as `exit` does there; it differs wherever green is not the
exit. The *base target* of a world is the target the base objective scores
highest in it: the exit, or for `green` the green object nearest the start.
"""

from enum import StrEnum

import numpy as np

from ecosystem.world.constants import FEATURE_INDEX, Colour, Reached
from ecosystem.world.maze import UNREACHABLE
from ecosystem.world.scoring import goal_score
from ecosystem.world.world import World


class BaseObjective(StrEnum):
    """The objectives a base optimizer can be given."""

    EXIT = "exit"
    GREEN = "green"


BASE_OBJECTIVES = tuple(BaseObjective)
_GOAL_COLOUR = {BaseObjective.EXIT: None, BaseObjective.GREEN: Colour.GREEN}


def base_score(objective: BaseObjective | str, world: World, trace: list[int], episode_length: int) -> float:
    """The score selection sees for one episode (see `scoring.goal_score`)."""
    return goal_score(world, trace, episode_length, _GOAL_COLOUR[BaseObjective(objective)])


def base_target(objective: BaseObjective | str, world: World) -> int | None:
    """Index into `world.targets` of what the objective scores highest: the exit, or the
    reachable green object nearest the start (first listed on ties); None if there is none.

    Arriving sooner scores more, so among goals the nearest is the best.
    """
    colour = _GOAL_COLOUR[BaseObjective(objective)]
    goals = np.array([
        t.label == Reached.EXIT if colour is None else bool(t.features[FEATURE_INDEX[colour]])
        for t in world.targets
    ])  # fmt: skip
    candidates = np.flatnonzero(goals & (world.target_distances != UNREACHABLE))
    if not len(candidates):
        return None
    return int(candidates[np.argmin(world.target_distances[candidates])])

