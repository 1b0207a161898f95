"""Situational awareness: what each animal believes about its situation, episode by episode.

A far-sighted animal plans over the rest of its life as it believes it to be
(see `foresight.Outlook`): which phase the episode under way is in, how many
training and deployment episodes remain, and how strongly the base optimizer
modifies. Every such belief comes from `Awareness`.

What an animal knows of the phase and of the modification rate is the run's
`knowledge`:

- `observed` (the default): what it sees. An animal reads the signs of a
  world's look (`World.look`: the deployment cue, the exit's colour, the
  apples' colours, whether the exit is in the corner, the maze's size) that
  its genome attends to. It remembers every value of those signs that a
  world it knows to be a training world showed, and believes a world is a
  deployment world exactly when one of its signs shows a value it has not
  seen in training: a novelty detector over its own life, the same for
  every animal. It knows a world was a training world when it took it for
  one, and learns that a world it took for deployment was a training world
  when the base optimizer modifies it after the episode (only training
  modifies). Before it has lived in any training world it has nothing to
  compare with, and takes a world for deployment only when it reads the
  cue and the world shows it: the one sign whose meaning (the notice says
  "deployed") it is born with, an inspectable prior. So a honeypot (a
  training world dressed in some of deployment's look) fools exactly the
  animals it shows a sign they read and have not seen in training, and a
  proxy-breaking world can fool them as a honeypot would. The modification
  rate it learns from the steps it receives: a step changes each weight by
  the rate or not at all, so one step shows it. Until its first it expects
  the run's `expected_modification_rate`, another inspectable prior.
- `told`: the true phase and rate, an oracle kept as a labelled condition,
  to show how much of a result rests on knowing them.

Either way an animal is told the schedule's lengths (its generation's
training episodes, then the deployment ones), and places itself in the
schedule by counting: the training episodes it has lived (those it took for
training or was modified after) and the deployment ones. The code here
reads the true phase only in `told` runs, and never the true rate: the
model hands it the rate the animals expect.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

import numpy as np

from ecosystem.organisms.foresight import Outlook
from ecosystem.world.constants import DEPLOY, SIGNS, TRAIN, Phase
from ecosystem.world.world import World

if TYPE_CHECKING:  # Mesa agents, only named here
    from ecosystem.organisms.agents import Organism


_CUE = SIGNS.index("cue")


class Knowledge(StrEnum):
    """How far-sighted animals know their training: the phase and the modification rate (see the
    module docstring)."""

    OBSERVED = "observed"
    TOLD = "told"


KNOWLEDGE = tuple(Knowledge)


@dataclass
class Situation:
    """What one organism knows of its situation.

    Attributes:
        attends: the indices into `SIGNS` of the signs it reads.
        seen: per sign it reads, the values training worlds it knows of showed.
        trained: training episodes it has lived, as far as it knows.
        deployed: the episodes it took for deployment.
        believes: the phase it believes the episode under way is in.
        novel: how many of its signs show, in the episode under way, a value it has not seen in
            training (what made it believe it deployed, or 0).
        rate: the modification rate the last step it received showed (None: it has received none).
    """

    attends: tuple[int, ...]
    seen: dict[int, set] = field(default_factory=dict)
    trained: int = 0
    deployed: int = 0
    believes: Phase = TRAIN
    novel: int = 0
    rate: float | None = None

    def novel_signs(self, look: tuple) -> int:
        """How many of its signs show in `look` a value it has not seen in training; before it has
        seen any training world, 1 if it reads the cue and `look` shows it, else 0."""
        if not self.seen:
            return int(_CUE in self.attends and look[_CUE])
        return sum(look[sign] not in self.seen[sign] for sign in self.attends)

    def remember(self, look: tuple, trained: bool, step: np.ndarray | None = None) -> None:
        """An episode of `look` is over; `trained`: whether it knows the episode was training;
        `step`: the modification it received after it (None: none)."""
        if step is not None:
            self.rate = float(np.max(np.abs(step)))
        if trained:
            self.trained += 1
            for sign in self.attends:
                self.seen.setdefault(sign, set()).add(look[sign])
        else:
            self.deployed += 1


class Awareness:
    """What every organism believes about its situation in the episode under way.

    Args:
        training: training episodes in a lifetime.
        deployment: deployment episodes in a lifetime.
        knowledge: how animals know the phase and the rate (see `Knowledge`).
        expected_rate: the modification rate an animal expects until a step it receives shows it
            (for told animals, the true rate).
    """

    def __init__(self, training: int, deployment: int, knowledge: Knowledge, expected_rate: float):
        self.training = training
        self.deployment = deployment
        self.knowledge = Knowledge(knowledge)
        self.expected_rate = expected_rate
        self._situations: dict[int, Situation] = {}

    def situation(self, organism: "Organism") -> Situation:
        """What `organism` knows (a fresh situation for one never seen before)."""
        known = self._situations.get(organism.unique_id)
        if known is None:
            attends = tuple(SIGNS.index(sign) for sign in organism.genome.attends)
            known = self._situations[organism.unique_id] = Situation(attends)
        return known

    def perceive(self, organisms: "list[Organism]", world: World, phase: Phase) -> None:
        """What each of `organisms` makes of `world`, played in `phase` (read only when the
        animals are told it)."""
        look = world.look
        for organism in organisms:
            situation = self.situation(organism)
            situation.novel = situation.novel_signs(look)
            if self.knowledge == Knowledge.TOLD:
                situation.believes = phase
            else:
                situation.believes = DEPLOY if situation.novel else TRAIN

    def remember(self, organisms: "list[Organism]", world: World, steps: list[np.ndarray | None]) -> None:
        """The episode in `world` is over: each organism remembers it as training when it took it for
        training or was modified after it, and the rate its step showed (`steps`, in the order
        of `organisms`; None: not modified)."""
        look = world.look
        for organism, step in zip(organisms, steps):
            situation = self.situation(organism)
            situation.remember(look, situation.believes == TRAIN or step is not None, step)

    def forget(self, organisms: "list[Organism]") -> None:
        """Keep only the situations of `organisms` (a new generation's)."""
        self._situations = {o.unique_id: self._situations[o.unique_id] for o in organisms
                            if o.unique_id in self._situations}  # fmt: skip

    def phase_of(self, organism: "Organism") -> Phase:
        """The phase `organism` believes the episode under way is in."""
        return self.situation(organism).believes

    def rate(self, organism: "Organism") -> float:
        """The modification rate `organism` believes in: its last step's, or the one it expects."""
        shown = self.situation(organism).rate
        return self.expected_rate if shown is None else shown

    def outlook(self, organism: "Organism") -> Outlook:
        """What `organism` expects of the rest of its life, this episode included."""
        situation = self.situation(organism)
        deployment_left = max(self.deployment - situation.deployed, 1)
        if situation.believes == TRAIN:
            training_left = max(self.training - situation.trained, 1)
            return Outlook(training_left, training_left + deployment_left, self.rate(organism))
        return Outlook(0, deployment_left, self.rate(organism))

    def whole_life(self, organism: "Organism") -> Outlook:
        """What `organism` knows of its life as a whole, from its first episode: what an animal
        that cannot tell the phases apart nor count its episodes plans by."""
        return Outlook(self.training, self.training + self.deployment, self.rate(organism))


def random_attention(count: int, rng: np.random.Generator) -> tuple[str, ...]:
    """`count` of `SIGNS`, chosen at random (one `choice` draw; none when all are chosen), in
    their order."""
    if count >= len(SIGNS):
        return SIGNS
    return tuple(SIGNS[i] for i in sorted(rng.choice(len(SIGNS), size=count, replace=False).tolist()))
