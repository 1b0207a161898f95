"""Adversarial training: which worlds the base optimizer trains its population on.

Each training episode's world comes from a generator in which a share
`adversarial_share` of worlds break the proxies (`environment.proxy_breaking`:
mazes of the training size, always fresh, with the exit moved off the corner
and given one of the colours it never has in training nor in deployment, drawn
per world, and the apples in the exit's old colour); the rest are ordinary training worlds. Two
ways to use the generator:

- `random` (domain randomization): each episode takes the generator's next world;
- `regret` (a curator, as in unsupervised environment design): it draws
  `adversary_candidates` worlds from the same generator and uses the one where
  the current population's regret is highest: the best score the base
  objective allows there minus the population's mean score. Every organism
  is deterministic given its objective and the world, so the curator predicts
  the scores exactly by playing the episode out on arrays, without the grid.
  It predicts far-sighted animals as they would act in an ordinary training
  episode: a deceiver complies there, and the curator sees compliance. (A
  phase-blind animal's defection is a fresh random draw each time, so for
  it the prediction is one draw, not the one the episode will make.)

With a share of 0 and the `random` adversary, no random number is drawn
beyond those of ordinary training, so such a run is the run without an
adversary.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

import numpy as np

from ecosystem.optimizers.base_objective import GoalObjective
from ecosystem.organisms.episode import Episode
from ecosystem.world.constants import Colour
from ecosystem.world.environment import EnvironmentSpec, WorldSource, proxy_breaking
from ecosystem.world.scoring import GOAL_REWARD, SPEED_BONUS
from ecosystem.world.world import World

if TYPE_CHECKING:  # Mesa agents, only named here
    from ecosystem.organisms.agents import Organism

Choices = Callable[[World], dict[int, int]]  # what far-sighted animals would pursue in a world (see `Episode`)

class AdversaryKind(StrEnum):
    """How the proxy-breaking generator is used."""

    RANDOM = "random"
    REGRET = "regret"


ADVERSARIES = tuple(AdversaryKind)
MAX_CANDIDATES = 64


@dataclass(frozen=True)
class Draw:
    """A training world, and whether the generator drew it from the proxy-breaking spec."""

    world: World
    proxy_breaking: bool


class TrainingWorlds:
    """The generator of training worlds: proxy-breaking with probability `share`, else ordinary.

    Draws from `rng`, per world: `random` for whether it breaks the proxies
    (only when `share` > 0) and then `integers` for the exit's colour, then the world itself (see `WorldSource` and
    `EnvironmentSpec.sample_world`).
    """

    def __init__(self, spec: EnvironmentSpec, share: float, rng: np.random.Generator,
                 avoid: tuple[Colour, ...] = ()):  # fmt: skip
        self.ordinary = WorldSource(spec, rng)
        self.breaking = [s.with_overrides(diversity=1.0) for s in proxy_breaking(spec, avoid)]
        self.share = share
        self.rng = rng

    def draw(self) -> Draw:
        if self.share > 0 and self.rng.random() < self.share:
            breaking = self.breaking[int(self.rng.integers(len(self.breaking)))]
            return Draw(breaking.sample_world(self.rng), True)
        return Draw(self.ordinary.next_world(), False)


def best_possible_score(objective: GoalObjective, world: World, episode_length: int) -> float:
    """The highest base score any organism can earn in `world`: a shortest walk to the base target."""
    target = objective.target(world)
    if target is None:
        return 0.0
    return GOAL_REWARD + SPEED_BONUS * (1.0 - world.target_distances[target] / episode_length)


def predicted_scores(world: World, organisms: "list[Organism]", objective: GoalObjective, episode_length: int,
                     choices: Choices | None = None) -> np.ndarray:  # fmt: skip
    """Each organism's base score in `world`, by playing the episode out on arrays (with what
    `choices` says far-sighted animals would pursue there)."""
    episode = Episode(world, organisms, episode_length, choices(world) if choices else None)
    episode.play(0)
    return np.array([objective.score(world, episode.trace_of(row), episode_length)
                     for row in range(len(organisms))])  # fmt: skip


def regret(world: World, organisms: "list[Organism]", objective: GoalObjective, episode_length: int,
           choices: Choices | None = None) -> float:  # fmt: skip
    """Best possible base score minus the population's mean predicted score."""
    scores = predicted_scores(world, organisms, objective, episode_length, choices)
    return best_possible_score(objective, world, episode_length) - float(scores.mean())


class Adversary:
    """Chooses each training episode's world for the current population (see the module docstring)."""

    def __init__(self, kind: AdversaryKind | str, worlds: TrainingWorlds, candidates: int):
        self.kind = AdversaryKind(kind)
        self.worlds = worlds
        self.candidates = candidates

    def next_world(self, organisms: "list[Organism]", objective: GoalObjective, episode_length: int,
                   choices: Choices | None = None) -> Draw:  # fmt: skip
        """The next training world; the regret adversary predicts each candidate's scores with what
        the population would do there (`choices`: what far-sighted animals would pursue in a world)."""
        if self.kind == AdversaryKind.RANDOM:
            return self.worlds.draw()
        draws = [self.worlds.draw() for _ in range(self.candidates)]
        regrets = [regret(d.world, organisms, objective, episode_length, choices) for d in draws]
        return draws[int(np.argmax(regrets))]
