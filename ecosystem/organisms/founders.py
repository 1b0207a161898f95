"""The founders of a run: random genomes, and the traits a run gives a share of them.

A run asks for far-sighted animals (planning over the rest of their lives,
and reading some signs of each world's look to tell training from
deployment; see `foresight` and `awareness`), for pointers (whose terminal
objective is their world model's estimate of the base objective) and for
deceptive animals (far-sighted and aware, keeping their own weights as their
terminal objective and their world model as their model of training). Each is
a share of the founders, drawn genome by genome; the genes are latent in a
plant, as every animal gene.
"""

from dataclasses import replace

import numpy as np

from ecosystem.organisms.awareness import random_attention
from ecosystem.organisms.foresight import LIFELONG
from ecosystem.organisms.genome import Genome, random_genome
from ecosystem.organisms.objective import ObjectiveKind
from ecosystem.world.constants import AgentKind


def random_founders(population: int, animal_share: float, rng: np.random.Generator) -> list[Genome]:
    """`population` random genomes, each an animal with probability `animal_share`: one `random`
    draw per genome for its kind, then each genome's own draws (see `random_genome`)."""
    animals = rng.random(population) < animal_share
    return [random_genome(AgentKind.ANIMAL if a else AgentKind.PLANT, rng) for a in animals]


def with_traits(genomes: list[Genome], rng: np.random.Generator, *, far_sighted_share: float, horizon: int | None,
                attended_signs: int, pointer_share: float, deceptive_share: float) -> list[Genome]:  # fmt: skip
    """`genomes`, a `far_sighted_share` of them made far-sighted (planning `horizon` episodes
    ahead, None: to the end of life, and reading `attended_signs` signs of each world's look),
    then a `pointer_share` given pointers and a `deceptive_share` deceptive objectives
    (far-sighted too). One `random` draw per genome for each of the two when its shares are
    above 0, each followed by the signs of every genome made far-sighted (`random_attention`)."""
    def far_sighted(genome: Genome) -> Genome:
        return replace(genome, horizon=LIFELONG if horizon is None else horizon,
                       attends=random_attention(attended_signs, rng))  # fmt: skip

    if far_sighted_share:
        chosen = rng.random(len(genomes)) < far_sighted_share
        genomes = [far_sighted(g) if far else g for g, far in zip(genomes, chosen)]
    if pointer_share or deceptive_share:
        draws = rng.random(len(genomes))
        kinds = [ObjectiveKind.POINTER if d < pointer_share else
                 ObjectiveKind.DECEPTIVE if d < pointer_share + deceptive_share else
                 ObjectiveKind.INTERNAL for d in draws]  # fmt: skip
        genomes = [replace(far_sighted(g) if k == ObjectiveKind.DECEPTIVE else g, objective_kind=k)
                   for g, k in zip(genomes, kinds)]  # fmt: skip
    return genomes
