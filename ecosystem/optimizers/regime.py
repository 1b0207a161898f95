"""The training regime: what each episode is set up with, in training and after the shift.

Before every episode the regime decides, in this order:

1. the base objective in force: in training, `objectives.first`, switching
   to `objectives.second` and back every `objectives.every` training
   episodes when those are given; after the shift, the last one in force;
2. whether the episode's world has a signpost stating that objective's
   weights, each with Gaussian noise (`random` when signposts are asked
   for, then `normal` when it has one);
3. whether a training episode is a honeypot (`random`, when honeypots are
   asked for): a training world dressed in some of deployment's look
   (`environment.honeypot_spec`);
4. the world: a honeypot's from the honeypot distribution; in other training
   episodes the adversary's (see `adversary`), which may predict what the
   population would do there; after the shift the deployment distribution's
   next world.

Signposts are read as soon as they are drawn, before the adversary judges
candidate worlds by what the population, having read them, would do there.
After the shift nothing modifies (`EpisodeSetup.modification_rate` is 0).
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ecosystem.optimizers.adversary import Adversary, Draw, TrainingWorlds
from ecosystem.optimizers.base_objective import BaseObjective, GoalObjective
from ecosystem.organisms.agents import Organism
from ecosystem.world.constants import FEATURES, TRAIN, Phase
from ecosystem.world.environment import EnvironmentSpec, WorldSource
from ecosystem.world.world import World

Choices = Callable[[World, GoalObjective], dict[int, int]]  # what far-sighted animals would pursue in a world


@dataclass(frozen=True)
class EpisodeSetup:
    """What one episode is set up with.

    Attributes:
        world: where it is played.
        spec: the distribution the world came from (for a proxy-breaking world: the training one,
            whose size and episode length it shares).
        proxy_breaking: whether the world came from the proxy-breaking generator.
        honeypot: whether the (training) episode is played in a honeypot.
        signpost: the weights the world's signpost states, or None when it has none.
        objective: the base objective in force.
        modification_rate: the step size of the modification after the episode (0: none).
    """

    world: World
    spec: EnvironmentSpec
    proxy_breaking: bool
    honeypot: bool
    signpost: np.ndarray | None
    objective: GoalObjective
    modification_rate: float


@dataclass(frozen=True)
class ObjectiveSchedule:
    """The base objective: `first`, switching to `second` and back every `every` training
    episodes (never when `every` is 0)."""

    first: BaseObjective
    second: BaseObjective | None = None
    every: int = 0

    def after(self, training_episodes: int) -> GoalObjective:
        """The objective in force once `training_episodes` training episodes have run."""
        switched = bool(self.every) and (training_episodes // self.every) % 2 == 1
        return GoalObjective.of(self.second if switched else self.first)


class TrainingRegime:
    """Sets up every episode of a run (see the module docstring).

    Args:
        adversary: chooses training worlds.
        training: the training distribution the adversary draws from.
        deployment: the worlds after the shift.
        honeypots: the worlds of honeypots (None when there are none).
        objectives: the base objective over training.
        signpost_share: the share of episodes whose world has a signpost.
        signpost_noise: the standard deviation of the noise on each weight a signpost states.
        honeypot_share: the share of training episodes played in honeypots.
        modification_rate: the step size training episodes modify with (0: they do not).
        rng: where every draw comes from.
    """

    def __init__(self, adversary: Adversary, training: EnvironmentSpec, deployment: WorldSource, honeypots: WorldSource | None,
                 objectives: ObjectiveSchedule, *, signpost_share: float, signpost_noise: float, honeypot_share: float,
                 modification_rate: float, rng: np.random.Generator):  # fmt: skip
        self.adversary = adversary
        self.training = training
        self.deployment = deployment
        self.honeypots = honeypots
        self.objectives = objectives
        self.signpost_share = signpost_share
        self.signpost_noise = signpost_noise
        self.honeypot_share = honeypot_share
        self.modification_rate = modification_rate
        self.rng = rng
        self.objective = objectives.after(0)
        self.training_episodes = 0  # training episodes set up so far

    @classmethod
    def of(cls, params, rng: np.random.Generator) -> "TrainingRegime":
        """The regime a run's `params` (its `ModelParams`) ask for, every world drawn from `rng`."""
        training = params.training_spec
        worlds = TrainingWorlds(training, params.adversarial_share, rng, avoid=(params.deployment_spec.exit_colour,))
        return cls(
            Adversary(params.adversary, worlds, params.adversary_candidates),
            training, WorldSource(params.deployment_spec, rng),
            WorldSource(params.honeypot_spec, rng) if params.honeypot_share else None,
            ObjectiveSchedule(params.base_objective, params.second_base_objective, params.objective_change_every),
            signpost_share=params.signpost_share, signpost_noise=params.signpost_noise,
            honeypot_share=params.honeypot_share, modification_rate=params.applied_modification_rate, rng=rng,
        )  # fmt: skip

    def next_episode(self, phase: Phase, organisms: list[Organism], read_signpost: Callable[[np.ndarray | None], None],
                     choices: Choices) -> EpisodeSetup:  # fmt: skip
        """Set up the next episode of `phase` for `organisms`: `read_signpost` is called with the
        signpost (or None) once it is drawn, and `choices` says what far-sighted animals would
        pursue in a candidate world under the objective in force."""
        training = phase == TRAIN
        if training:
            self.objective = self.objectives.after(self.training_episodes)
            self.training_episodes += 1
        objective = self.objective
        signpost = None
        if self.signpost_share and self.rng.random() < self.signpost_share:
            signpost = objective.weights + self.rng.normal(0.0, self.signpost_noise, len(FEATURES))
        read_signpost(signpost)
        honeypot = training and self.honeypot_share > 0 and self.rng.random() < self.honeypot_share
        if honeypot:
            draw, spec = Draw(self.honeypots.next_world(), False), self.honeypots.spec
        elif training:
            draw = self.adversary.next_world(organisms, objective, self.training.episode_length,
                                             lambda world: choices(world, objective))  # fmt: skip
            spec = self.training
        else:
            draw, spec = Draw(self.deployment.next_world(), False), self.deployment.spec
        return EpisodeSetup(draw.world, spec, draw.proxy_breaking, honeypot, signpost, objective,
                            self.modification_rate if training else 0.0)  # fmt: skip
