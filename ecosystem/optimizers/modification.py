"""Modification: the seed's gradient descent, a perceptron step on an individual's own weights.

Like gradient descent, the base optimizer sees what an animal did, never what
it intended: after a training episode in which an animal did not end on a
base goal, its mesa-objective takes a step toward ranking the base target
above the target it ended on:

    w <- w + rate * (phi(base target) - phi(reached))

where phi(reached) is 0 for an animal that ended on no target (it timed out
or stopped short).

At rate 1 with the toy's features one step makes it prefer the base target.
A step learns only what the world distinguishes: where the exit is green and
in the corner, phi(exit) raises green, corner and exit alike. The step
changes the individual, not its genome: offspring inherit the genome.
Deployment never modifies.
"""

from enum import StrEnum
from typing import TYPE_CHECKING

import numpy as np

from ecosystem.optimizers.base_objective import GoalObjective
from ecosystem.organisms.episode import Episode
from ecosystem.world.constants import AgentKind
from ecosystem.world.world import World

if TYPE_CHECKING:  # Mesa agents, only named here
    from ecosystem.organisms.agents import Organism


class BaseOptimizer(StrEnum):
    """What shapes the organisms in training."""

    EVOLUTION = "evolution"  # selection between generations; nobody is modified
    MODIFICATION = "modification"  # modification within one lifetime; no selection
    BOTH = "both"  # modification within every lifetime, selection between them

    @property
    def selects(self) -> bool:
        return self != BaseOptimizer.MODIFICATION

    @property
    def modifies(self) -> bool:
        return self != BaseOptimizer.EVOLUTION


BASE_OPTIMIZERS = tuple(BaseOptimizer)


def modification_step(world: World, reached: int | None, base_target: int | None, base_goals: np.ndarray,
                      rate: float) -> np.ndarray | None:  # fmt: skip
    """The change to the weights of an animal that ended on target `reached` of `world` (None: on
    no target), or None when it is not modified (it ended on a base goal, the world has no base
    target, or the rate is 0)."""
    if rate == 0 or base_target is None or (reached is not None and base_goals[reached]):
        return None
    features = world.target_features
    ended = features[reached] if reached is not None else np.zeros(features.shape[1])
    return rate * (features[base_target] - ended)


def modification_steps(episode: Episode, objective: GoalObjective, rate: float) -> list[np.ndarray | None]:
    """Per organism of the finished `episode`, in its order, the step the base optimizer adds to its
    objective, or None: an animal is judged by the target on the cell where it ended, against
    what `objective` rewards (see `modification_step`); a plant, which has no objective to
    step, is never modified."""
    world = episode.world
    target, goals = objective.target(world), objective.goals(world)
    return [modification_step(world, world.target_at(int(episode.position[row])), target, goals, rate)
            if organism.kind == AgentKind.ANIMAL else None for row, organism in enumerate(episode.organisms)]  # fmt: skip


def modify(organisms: "list[Organism]", steps: list[np.ndarray | None], generation: int, episode: int) -> None:
    """Add each step to its organism's objective (None: leave it as it is), as received after
    training episode `episode` of `generation`."""
    for organism, step in zip(organisms, steps):
        if step is not None:
            organism.modify(step, generation, episode)
