"""Planning: how an animal turns its mesa-objective into a path.

An animal values every target it perceives by its objective (a weighted sum of
the target's features), searches the maze breadth-first up to its planning
budget, and walks a shortest path to the best-valued target it found. The
breadth-first fields are computed once per world and target and shared by all
animals (an animal's own truncated search would find exactly the same
distances), so planning costs each animal a dot product, not a search.

Besides the target within budget, the plan records the *intended* target: the
best-valued one ignoring the budget. When they differ, the animal wanted
something out of its reach, which is a capability limit, not a different goal.
"""

from dataclasses import dataclass

import numpy as np

from ecosystem.world.maze import UNREACHABLE
from ecosystem.world.world import World


@dataclass(frozen=True)
class Plan:
    """What an animal decided at the start of an episode.

    Attributes:
        target: index into `world.targets` of the chosen target, or None
            when no target lies within the budget.
        intended: index of the best-valued target ignoring the budget.
        path: cells from the start to the target, both included; just the
            start when there is no target.
    """

    target: int | None
    intended: int | None
    path: tuple[int, ...]


def best_target(values: np.ndarray, allowed: np.ndarray) -> int | None:
    """Index of the highest value among `allowed` entries (first on ties), or None."""
    if not allowed.any():
        return None
    return int(np.argmax(np.where(allowed, values, -np.inf)))


def plan(world: World, objective: np.ndarray, budget: int) -> Plan:
    """Choose the best-valued target within `budget` steps and the path to it."""
    values = world.target_features @ objective
    distances = world.target_distances
    reachable = distances != UNREACHABLE
    intended = best_target(values, reachable)
    target = best_target(values, reachable & (distances <= budget))
    path = world.path_to(target) if target is not None else (world.start,)
    return Plan(target, intended, path)
