"""The base optimizer: selection on the base objective, then mutation.

Selection must see how much better an organism did, not only whether it did
better: with pure tournaments, whichever animal had the smallest budget wins
every generation whose mazes happen to be short, and budgets ratchet down until
animals miss the exit. So parents are drawn with probability proportional to
exp(strength * fitness), and a few elites are copied unchanged.

    elites  <- the `elites` fittest genomes, unchanged
    parents <- draw N - elites with P(i) ~ exp(strength * fitness_i)
    return elites + [mutate(p) for p in parents]
"""

import numpy as np

from ecosystem.optimizers.base_objective import Score
from ecosystem.organisms.agents import Organism
from ecosystem.organisms.genome import Genome, mutate


def selection_probabilities(fitness: np.ndarray, strength: float) -> np.ndarray:
    """Boltzmann selection: P(i) proportional to exp(strength * fitness_i)."""
    weights = np.exp(strength * (fitness - fitness.max()))
    return weights / weights.sum()


def select_parents(fitness: np.ndarray, count: int, strength: float, rng: np.random.Generator) -> np.ndarray:
    """Indices of `count` parents drawn with replacement (`rng.choice`)."""
    return rng.choice(len(fitness), size=count, p=selection_probabilities(fitness, strength))


def elite_indices(fitness: np.ndarray, count: int) -> np.ndarray:
    """Indices of the `count` fittest, best first (lower index first on ties)."""
    return np.argsort(-fitness, kind="stable")[:count]


def next_generation(
    genomes: list[Genome],
    fitness: np.ndarray,
    rng: np.random.Generator,
    *,
    strength: float,
    elites: int,
    mutation_scale: float,
    kind_flip_rate: float,
    objective_kind_flip_rate: float = 0.0,
) -> list[Genome]:
    """The next population, of the same size: elites plus mutated offspring."""
    elites = min(elites, len(genomes))
    survivors = [genomes[i] for i in elite_indices(fitness, elites)]
    parents = select_parents(fitness, len(genomes) - elites, strength, rng)
    offspring = [mutate(genomes[i], rng, mutation_scale, kind_flip_rate, objective_kind_flip_rate) for i in parents]
    return survivors + offspring


class Selection:
    """Selection between generations: each organism's fitness summed over the episodes of its
    generation, then the next generation bred on the means (see `next_generation`, whose
    keyword arguments `operators` are)."""

    def __init__(self, **operators):
        self.operators = operators
        self._fitness: dict[int, float] = {}  # per organism, by `unique_id`

    @classmethod
    def of(cls, params) -> "Selection":
        """The selection a run's `params` (its `ModelParams`) ask for."""
        return cls(strength=params.selection_strength, elites=params.elites, mutation_scale=params.mutation_scale,
                   kind_flip_rate=params.kind_flip_rate, objective_kind_flip_rate=params.objective_kind_flip_rate)

    def add(self, organisms: list[Organism], scores: list[Score]) -> None:
        """What selection sees of one episode: each organism's fitness (see `base_objective.Score`)."""
        for organism, score in zip(organisms, scores):
            self._fitness[organism.unique_id] = self._fitness.get(organism.unique_id, 0.0) + score.fitness

    def next_generation(self, organisms: list[Organism], episodes: int, rng: np.random.Generator) -> list[Genome]:
        """The genomes of the generation after `organisms`, which each ran `episodes` episodes."""
        fitness = np.array([self._fitness[o.unique_id] for o in organisms]) / episodes
        self._fitness = {}
        return next_generation([o.genome for o in organisms], fitness, rng, **self.operators)
