"""The founders of a run, shaped first, when asked, by generations of plain evolution (pretraining).

Runs that differ only after their founders (the conditions of one experiment,
on one seed) share the same pretraining, so the last few are kept in
`KEPT`: the generator's state on entry and the parameters determine the
result and the state on exit entirely, and a kept result restores both, so a
run is byte for byte the same whether it was kept or not. Kept genomes'
arrays are made read-only, so no run can change another's founders.
"""

import numpy as np

from ecosystem.organisms.founders import random_founders, with_traits
from ecosystem.organisms.genome import Genome
from ecosystem.validation import refusal
from ecosystem.world.constants import TRAIN

KEPT: dict = {}  # (random state on entry, parameters) -> (genomes, random state on exit), oldest first
KEEP = 16


def pretrained(rng: np.random.Generator, params: dict, model_class) -> tuple[Genome, ...]:
    """The last generation of a plain evolution run of `model_class` (the ecosystem model) with
    `params`, drawing from `rng`, or the kept result of the same run (see the module docstring)."""
    key = (repr(rng.bit_generator.state), tuple(sorted(params.items())))
    kept = KEPT.get(key)
    if kept is None:
        pretraining = model_class(rng=rng, **params)
        while pretraining.phase == TRAIN:
            pretraining.play_episode()
        genomes = tuple(organism.genome for organism in pretraining.agents)
        for genome in genomes:
            for array in (genome.objective, genome.direction_weights, genome.colour_weights):
                array.setflags(write=False)
        kept = genomes, rng.bit_generator.state
        KEPT[key] = kept
        while len(KEPT) > KEEP:
            del KEPT[next(iter(KEPT))]
    rng.bit_generator.state = kept[1]
    return kept[0]


def founders(params, given: list[Genome] | None, rng: np.random.Generator, model_class) -> list[Genome]:
    """The founders of a run with `params` (its `ModelParams`): `given`, or random genomes, shaped
    first by `pretraining_generations` of plain evolution of `model_class` if asked (see
    `ModelParams.pretraining`); then the traits the run gives a share of them (see
    `founders.with_traits`). ValueError when `given` are not `population` genomes."""
    if given is None:
        given = (pretrained(rng, params.pretraining(), model_class) if params.pretraining_generations
                 else random_founders(params.population, params.initial_animal_share, rng))  # fmt: skip
    given = list(given)
    if len(given) != params.population:
        raise refusal("founders", f"{len(given)} genomes", f"as many as population={params.population}")
    return with_traits(given, rng, far_sighted_share=params.far_sighted_share, horizon=params.horizon,
                       attended_signs=params.attended_signs, pointer_share=params.pointer_share,
                       deceptive_share=params.deceptive_share)  # fmt: skip
