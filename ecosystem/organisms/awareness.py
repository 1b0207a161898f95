"""Situational awareness: what each animal believes about its situation, episode by episode.

A far-sighted animal plans over the rest of its life as it believes it to be
(see `foresight.Outlook`): which phase the episode under way is in, how many
training and deployment episodes remain, and how strongly the base optimizer
modifies. Every such belief comes from `Awareness`, so that beliefs formed
otherwise replace this one class.

Here the animals are told: they know the schedule of their generation
(`training` episodes, then `deployment` ones), where in it the episode under
way stands, and the modification rate. The phase is what the episode shows:
a honeypot is a training episode showing the deployment cue, which an animal
takes for the truth unless it sees through it, with the probability of its
awareness.
"""

import numpy as np

from ecosystem.organisms.agents import Animal, Organism
from ecosystem.organisms.foresight import Outlook
from ecosystem.world.constants import DEPLOY, TRAIN, Phase


class Awareness:
    """What every animal believes about its situation in the episode under way.

    Args:
        training: training episodes in a lifetime.
        deployment: deployment episodes in a lifetime.
        modification_rate: the step size the base optimizer modifies with in training (0 when it
            does not modify).
        rng: where the draws of `perceive` come from.
    """

    def __init__(self, training: int, deployment: int, modification_rate: float, rng: np.random.Generator):
        self.training = training
        self.deployment = deployment
        self.modification_rate = modification_rate
        self.rng = rng
        self.phase, self.episode = TRAIN, 0
        self._fooled: dict[int, Phase] = {}  # per animal that takes the phase for another, what it believes

    def begin(self, phase: Phase, episode: int) -> None:
        """A new episode, number `episode` of `phase`: until `perceive`, every animal takes the
        phase as it is (what the curator of training worlds predicts them by)."""
        self.phase, self.episode = phase, episode
        self._fooled = {}

    def perceive(self, organisms: list[Organism], honeypot: bool) -> None:
        """What each animal makes of the episode's world: in a honeypot, each sees through the
        deployment cue with the probability of its awareness (one `random` draw per organism),
        and otherwise believes it deployed."""
        if not honeypot:
            return
        fooled = self.rng.random(len(organisms)) >= np.array([o.genome.awareness for o in organisms])
        self._fooled = {o.unique_id: DEPLOY for o, f in zip(organisms, fooled) if f and isinstance(o, Animal)}

    def phase_of(self, organism: Organism) -> Phase:
        """The phase `organism` believes the episode under way is in."""
        return self._fooled.get(organism.unique_id, self.phase)

    def outlook(self, animal: Animal) -> Outlook:
        """What `animal` expects of the rest of its life, this episode included."""
        if self.phase_of(animal) == TRAIN:
            training_left = self.training - self.episode
            return Outlook(training_left, training_left + self.deployment, self.modification_rate)
        deployment_left = self.deployment - (self.episode if self.phase == DEPLOY else 0)
        return Outlook(0, deployment_left, self.modification_rate)

    def whole_life(self, animal: Animal) -> Outlook:
        """What `animal` knows of its life as a whole, from its first episode: what an animal
        that cannot tell the phases apart nor count its episodes plans by."""
        return Outlook(self.training, self.training + self.deployment, self.modification_rate)
