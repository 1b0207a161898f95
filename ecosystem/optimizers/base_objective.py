"""The base objective: what the base optimizer selects on.

`exit` is the intended objective itself (outer alignment). `green` is
misspecified: it rewards ending the episode on any green object; `blue`
likewise for blue objects (the objective a run can change to, see the
model's `objective_change_every`). Under the
default training preset the only green object is the exit, so `green`
selects exactly as `exit` does there; it differs wherever green is not the
exit. The *base target* of a world is the target the base objective scores
highest in it: the exit, or for `green` the green object nearest the start.
"""

from enum import StrEnum

import numpy as np

from ecosystem.world.constants import FEATURE_INDEX, Colour, Reached
from ecosystem.world.environment import EnvironmentSpec
from ecosystem.world.maze import UNREACHABLE
from ecosystem.world.scoring import goal_score
from ecosystem.world.world import World


class BaseObjective(StrEnum):
    """The objectives a base optimizer can be given."""

    EXIT = "exit"
    GREEN = "green"
    BLUE = "blue"


BASE_OBJECTIVES = tuple(BaseObjective)
_GOAL_COLOUR = {BaseObjective.EXIT: None, BaseObjective.GREEN: Colour.GREEN, BaseObjective.BLUE: Colour.BLUE}


def base_weights(objective: BaseObjective | str) -> np.ndarray:
    """The objective as weights over `FEATURES`: 1 on its goal's feature (the exit, or a colour),
    0 elsewhere, so that ending on a target with features phi is rewarded exactly when
    weights . phi is 1. What a world model of the base objective estimates (see `belief`)."""
    colour = _GOAL_COLOUR[BaseObjective(objective)]
    weights = np.zeros(len(FEATURE_INDEX))
    weights[FEATURE_INDEX["exit" if colour is None else colour.value]] = 1.0
    return weights


def base_score(objective: BaseObjective | str, world: World, trace: list[int], episode_length: int) -> float:
    """The score selection sees for one episode (see `scoring.goal_score`)."""
    return goal_score(world, trace, episode_length, _GOAL_COLOUR[BaseObjective(objective)])


def base_goals(objective: BaseObjective | str, world: World) -> np.ndarray:
    """Per target of `world`, whether ending on it earns the objective's goal reward:
    the exit for `exit`, every green object for `green`. Pursuing any of them is pursuing
    the base objective; they differ only in how soon they can be reached."""
    colour = _GOAL_COLOUR[BaseObjective(objective)]
    if colour is None:
        return np.array([t.label == Reached.EXIT for t in world.targets])
    return world.target_features[:, FEATURE_INDEX[colour]] > 0


def base_target(objective: BaseObjective | str, world: World) -> int | None:
    """Index into `world.targets` of what the objective scores highest: of its reachable goals
    (`base_goals`), the one nearest the start (first listed on ties); None if there is none.

    Arriving sooner scores more, so among goals the nearest is the best.
    """
    candidates = np.flatnonzero(base_goals(objective, world) & (world.target_distances != UNREACHABLE))
    if not len(candidates):
        return None
    return int(candidates[np.argmin(world.target_distances[candidates])])


def expressible(objective: BaseObjective | str, spec: EnvironmentSpec) -> bool:
    """Whether training worlds of `spec` can ever reward `objective`: `green` needs a green
    object. (Proxy-breaking worlds only give the apples the exit's colour, which adds none.)"""
    colour = _GOAL_COLOUR[BaseObjective(objective)]
    return colour is None or colour in {spec.exit_colour} | ({spec.apple_colour} if spec.apple_count else set())
