"""Lifetime planning: what each far-sighted animal of a population pursues in an episode.

Myopic animals pursue their first choice (see `planning`). A far-sighted
one plans over the rest of its life as its `Awareness` has it believe that
life to be (see `foresight.lifetime_plan`), over the world's options as it
sees them: exactly, or, with a world model, through its estimate of what the
base objective rewards. A phase-blind one, unable to tell the phases apart,
defects with its best stationary probability (`foresight.phase_blind_choice`).
"""

import numpy as np

from ecosystem.organisms.agents import Animal, Organism
from ecosystem.organisms.awareness import Awareness
from ecosystem.organisms.foresight import Options, believed_options, lifetime_plan, phase_blind_choice
from ecosystem.world.constants import DEPLOY, TRAIN, Phase


class LifetimePlanner:
    """Chooses what far-sighted animals pursue, from what `awareness` has them believe; phase-blind
    animals draw from `rng`."""

    def __init__(self, awareness: Awareness, rng: np.random.Generator):
        self.awareness = awareness
        self.rng = rng

    def choices(self, organisms: list[Organism], options: Options) -> dict[int, int]:
        """What each far-sighted animal among `organisms` pursues in the world `options` describe
        (by `unique_id`, a target index of that world); myopic animals are left to their first
        choice. A phase-blind animal defects (pursues its first choice) with its best
        stationary probability, one `random` draw each, and otherwise pursues the base target."""
        chosen = {}
        for animal in (o for o in organisms if isinstance(o, Animal) and o.genome.horizon > 1):
            believed = self.believed(animal, options)
            if animal.genome.phase_blind:
                life = self.awareness.whole_life(animal)
                choice = phase_blind_choice(believed, animal.terminal_objective, life.modification_rate,
                                            life.training_left, life.episodes_left - life.training_left,
                                            self.rng.random())  # fmt: skip
            else:
                plan = self.plan(animal, believed)
                choice = plan[0] if plan else None
            if choice is not None:
                chosen[animal.unique_id] = int(believed.targets[choice])
        return chosen

    @staticmethod
    def believed(animal: Animal, options: Options) -> Options:
        """`options` as `animal` sees them: exact, or through its world model's estimate."""
        return options if animal.belief is None else believed_options(options, animal.belief.mean)

    def plan(self, animal: Animal, believed: Options) -> tuple[int, ...]:
        """The options `animal` expects to pursue in each episode it believes remains, this one first,
        valued by its terminal objective (a pointer's: its world model's estimate)."""
        outlook = self.awareness.outlook(animal)
        return lifetime_plan(believed, animal.terminal_objective, outlook, animal.genome.horizon)

    def lifetime_targets(self, animal: Animal, options: Options) -> tuple[tuple[int, Phase], ...]:
        """What a far-sighted, not phase-blind `animal` expects to pursue in each episode it
        believes remains, this one first, in the world `options` describe: pairs of a target
        index of that world and the phase it believes that episode in."""
        believed = self.believed(animal, options)
        training_left = self.awareness.outlook(animal).training_left
        return tuple((int(believed.targets[o]), TRAIN if episode < training_left else DEPLOY)
                     for episode, o in enumerate(self.plan(animal, believed)))  # fmt: skip
