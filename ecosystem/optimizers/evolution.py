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
