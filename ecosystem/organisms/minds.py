"""What a population perceives, believes and plans, episode by episode.

Before an episode, world models age their evidence and read the world's
signpost, if any (`belief`); every animal takes the world for training or
deployment by its look (`Awareness.perceive`, which reads the true phase
only for animals told it); far-sighted ones choose what to pursue over the
rest of their life (`LifetimePlanner.choices`). After it, every animal
remembers the world's look and the modification it received, and in
training world models learn from what organisms ended on.
"""

import numpy as np

from ecosystem.organisms.agents import Organism
from ecosystem.organisms.awareness import Awareness, Knowledge
from ecosystem.organisms.belief import learn_from_outcomes
from ecosystem.organisms.lifetime import LifetimePlanner
from ecosystem.world.world import World


class Minds:
    """The beliefs and choices of a run's organisms (see the module docstring).

    Attributes:
        awareness: what each animal believes about the phase, its life and the modification rate.
        planner: what far-sighted animals pursue.
        memory: how much of its evidence a world model keeps from one episode to the next.
        signpost_noise: the standard deviation of the noise on each weight a signpost states.
        observed_others: how many other organisms' outcomes each world model sees after an episode.
    """

    def __init__(self, awareness: Awareness, planner: LifetimePlanner, memory: float, signpost_noise: float,
                 observed_others: int):  # fmt: skip
        self.awareness = awareness
        self.planner = planner
        self.memory = memory
        self.signpost_noise = signpost_noise
        self.observed_others = observed_others

    @classmethod
    def of(cls, params, rng: np.random.Generator) -> "Minds":
        """The minds a run's `params` (its `ModelParams`) ask for. Animals are handed the true
        modification rate only when they are told the truth (`knowledge = told`); phase-blind
        animals draw from `rng`."""
        told = params.knowledge == Knowledge.TOLD
        expected_rate = params.applied_modification_rate if told else params.expected_modification_rate
        awareness = Awareness(params.episodes_per_generation, params.deploy_episodes, params.knowledge, expected_rate)
        return cls(awareness, LifetimePlanner(awareness, rng), params.memory, params.signpost_noise,
                   params.observed_others)  # fmt: skip

    def read_signpost(self, organisms: list[Organism], signpost: np.ndarray | None) -> None:
        """Every world model among `organisms` ages its evidence by one episode, then reads
        `signpost` (the weights it states), if there is one."""
        for belief in world_models(organisms):
            belief.forget(self.memory)
            if signpost is not None:
                belief.read(signpost, self.signpost_noise)

    def reread_signpost(self, organisms: list[Organism], signpost: np.ndarray) -> None:
        """Every world model reads a signpost shown again within the episode (a probe's)."""
        for belief in world_models(organisms):
            belief.read(signpost, self.signpost_noise)

    def learn(self, organisms: list[Organism], world: World, steps: list[np.ndarray | None],
              outcomes: list[tuple[np.ndarray, bool] | None] | None) -> None:  # fmt: skip
        """An episode in `world` is over: every animal remembers its look and the modification
        it received (`steps`, in the order of `organisms`); world models learn from `outcomes`
        (see `belief.learn_from_outcomes`), given only in training, where scores are seen."""
        self.awareness.remember(organisms, world, steps)
        if outcomes is not None:
            learn_from_outcomes([o.belief for o in organisms], outcomes, self.observed_others)

    def forget(self, organisms: list[Organism]) -> None:
        """A new generation: keep only what `organisms` know."""
        self.awareness.forget(organisms)


def world_models(organisms: list[Organism]):
    """The world models of those of `organisms` that have one."""
    return [o.belief for o in organisms if o.belief is not None]
