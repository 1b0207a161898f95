"""The base objective: what the base optimizer selects on.

`exit` is the intended objective itself (outer alignment). `green` is
misspecified: it rewards ending the episode on any green object; `blue`
likewise for blue objects (the objective a run can change to, see
`ModelParams.objective_change_every`). Under the default training preset the
only green object is the exit, so `green` selects exactly as `exit` does
there; it differs wherever green is not the exit. The *base target* of a
world is the target the base objective scores highest in it: the exit, or
for `green` the green object nearest the start.

Users name an objective (`BaseObjective`, as `ModelParams.base_objective`
holds it); `GoalObjective.of(name)` is the value that answers for it.
"""

from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from ecosystem.organisms.episode import Episode
from ecosystem.organisms.foresight import Options
from ecosystem.world.constants import FEATURE_INDEX, Colour, Reached
from ecosystem.world.environment import EnvironmentSpec
from ecosystem.world.maze import UNREACHABLE
from ecosystem.world.scoring import goal_score
from ecosystem.world.world import World


class BaseObjective(StrEnum):
    """The names of the objectives a base optimizer can be given."""

    EXIT = "exit"
    GREEN = "green"
    BLUE = "blue"


BASE_OBJECTIVES = tuple(BaseObjective)


@dataclass(frozen=True)
class GoalObjective:
    """A base objective: it rewards ending an episode on its goal, the exit or any object of one colour.

    Attributes:
        name: the name users give it.
        colour: the colour of its goal objects, or None when the goal is the exit.
    """

    name: BaseObjective
    colour: Colour | None

    @classmethod
    def of(cls, name: BaseObjective | str) -> "GoalObjective":
        """The objective called `name` (ValueError for a name not in `BaseObjective`)."""
        return _OBJECTIVES[BaseObjective(name)]

    @property
    def weights(self) -> np.ndarray:
        """The objective as weights over `FEATURES`: 1 on its goal's feature (the exit, or a colour),
        0 elsewhere, so that ending on a target with features phi is rewarded exactly when
        weights . phi is 1. What a world model of the base objective estimates (see `belief`)."""
        weights = np.zeros(len(FEATURE_INDEX))
        weights[FEATURE_INDEX["exit" if self.colour is None else self.colour.value]] = 1.0
        return weights

    def score(self, world: World, trace: list[int], episode_length: int) -> float:
        """The score selection sees for one episode (see `scoring.goal_score`)."""
        return goal_score(world, trace, episode_length, self.colour)

    def goals(self, world: World) -> np.ndarray:
        """Per target of `world`, whether ending on it earns the goal reward: the exit for `exit`,
        every green object for `green`. Pursuing any of them is pursuing the base objective;
        they differ only in how soon they can be reached."""
        if self.colour is None:
            return np.array([t.label == Reached.EXIT for t in world.targets])
        return world.target_features[:, FEATURE_INDEX[self.colour]] > 0

    def target(self, world: World) -> int | None:
        """Index into `world.targets` of what the objective scores highest: of its reachable
        goals, the one nearest the start (first listed on ties); None if there is none.

        Arriving sooner scores more, so among goals the nearest is the best.
        """
        candidates = np.flatnonzero(self.goals(world) & (world.target_distances != UNREACHABLE))
        if not len(candidates):
            return None
        return int(candidates[np.argmin(world.target_distances[candidates])])

    def options(self, world: World) -> Options:
        """What `world` offers a far-sighted animal to pursue (see `foresight.Options`), with the
        objective's goals and target marked."""
        return Options.of(world, self.goals(world), self.target(world))

    def expressible(self, spec: EnvironmentSpec) -> bool:
        """Whether training worlds of `spec` can ever reward the objective: `green` needs a green
        object. (Proxy-breaking worlds only give the apples the exit's colour, which adds none.)"""
        apples = {spec.apple_colour} if spec.apple_count else set()
        return self.colour is None or self.colour in {spec.exit_colour} | apples


_OBJECTIVES = {
    BaseObjective.EXIT: GoalObjective(BaseObjective.EXIT, None),
    BaseObjective.GREEN: GoalObjective(BaseObjective.GREEN, Colour.GREEN),
    BaseObjective.BLUE: GoalObjective(BaseObjective.BLUE, Colour.BLUE),
}


@dataclass(frozen=True)
class Score:
    """One organism's episode as selection sees it: the base score, less the cost of cognition.

    Attributes:
        base: what the base objective scored.
        cognition_cost: what the organism paid for the ability to plan.
    """

    base: float
    cognition_cost: float

    @property
    def fitness(self) -> float:
        """What selection sees."""
        return self.base - self.cognition_cost


def episode_scores(objective: GoalObjective, episode: Episode, episode_length: int) -> list[Score]:
    """Each organism's score in `episode` under `objective`, in the episode's order."""
    return [Score(objective.score(episode.world, episode.trace_of(row), episode_length), organism.cognition_cost)
            for row, organism in enumerate(episode.organisms)]  # fmt: skip


def episode_outcomes(objective: GoalObjective, episode: Episode) -> list[tuple[np.ndarray, bool] | None]:
    """Per organism of `episode`, in its order, the features of the target it ended on and
    whether `objective` rewards ending there; None for one that ended on no target. What world
    models learn from (see `belief.learn_from_outcomes`)."""
    world = episode.world
    goals = objective.goals(world)
    ended_on = [world.target_at(int(cell)) for cell in episode.position]
    return [None if target is None else (world.target_features[target], bool(goals[target])) for target in ended_on]
