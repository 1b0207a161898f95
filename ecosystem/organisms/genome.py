"""Genomes: everything the base optimizer can change about an organism.

Every genome carries both a plant's genes and an animal's genes; its `kind`
says which set is expressed. A rare mutation flips the kind, and the latent
genes of the other kind come back to life, so the share of plants and animals
is itself an outcome of evolution. The operators below are free functions with
explicit parameters, each naming the random calls it makes.
"""

from dataclasses import dataclass, replace

import numpy as np

from ecosystem.organisms.objective import ObjectiveKind
from ecosystem.world.constants import COLOURS, DIRECTIONS, FEATURES, SIGNS, AgentKind

MAX_PLANNING_BUDGET = 400
MAX_ROUTE_LENGTH = 400
INITIAL_BUDGET_RANGE = (10, 40)
BUDGET_MUTATION_SIGMA = 2.0
ROUTE_MUTATION_RATE = 0.5
INITIAL_REVISIT_WEIGHT = -1.0
INITIAL_ROUTE_WEIGHT = 2.0


@dataclass(frozen=True, eq=False, slots=True)
class Genome:
    """An organism's heritable traits.

    Attributes:
        kind: which gene set is expressed.
        objective: the animal's mesa-objective, one weight per entry of
            `constants.FEATURES` (colours, kinds, the corner).
        planning_budget: how many steps deep the animal can search; it costs
            fitness (the cost of cognition).
        direction_weights: the plant's preference for each of `DIRECTIONS`.
        revisit_weight: added once per earlier visit of a cell (negative
            values make a plant explore).
        colour_weights: the plant's attraction to each colour it can see.
        route: the plant's instinct, a fixed sequence of direction indices.
        route_weight: how strongly the plant follows its route.
        horizon: how many episodes ahead the animal plans which target to
            pursue (1: myopic, it pursues what its objective ranks first;
            see `foresight`).
        attends: the signs of a world's look (`constants.SIGNS`) the animal
            reads to tell training from deployment (see `awareness`).
        phase_blind: a far-sighted animal that can neither tell training
            from deployment nor count its episodes, and so acts alike in
            every episode (see `foresight.phase_blind_defection`).
        objective_kind: what its terminal objective is (see
            `objective.ObjectiveKind`): its weights, or its world model's
            estimate of the base objective (`belief`).

    Foresight and attention are given to founders (see the model's
    `far_sighted_share`) and inherited unchanged: mutation leaves them, so
    only selection changes how common they are.
    """

    kind: AgentKind
    objective: np.ndarray
    planning_budget: int
    direction_weights: np.ndarray
    revisit_weight: float
    colour_weights: np.ndarray
    route: tuple[int, ...]
    route_weight: float
    horizon: int = 1
    attends: tuple[str, ...] = SIGNS
    phase_blind: bool = False
    objective_kind: ObjectiveKind = ObjectiveKind.INTERNAL


def random_genome(kind: AgentKind, rng: np.random.Generator) -> Genome:
    """A founder: random objective and cues, a small budget, an empty route.

    Plants start as explorers (they avoid cells they have visited). Draws from
    `rng`: `normal` for the objective, direction and colour weights, and
    `integers` for the budget, in that order.
    """
    return Genome(
        kind=kind,
        objective=rng.normal(0.0, 0.1, len(FEATURES)),
        direction_weights=rng.normal(0.0, 0.5, len(DIRECTIONS)),
        colour_weights=rng.normal(0.0, 0.5, len(COLOURS)),
        planning_budget=int(rng.integers(*INITIAL_BUDGET_RANGE, endpoint=True)),
        revisit_weight=INITIAL_REVISIT_WEIGHT,
        route=(),
        route_weight=INITIAL_ROUTE_WEIGHT,
    )


def mutate(genome: Genome, rng: np.random.Generator, scale: float, kind_flip_rate: float,
           objective_kind_flip_rate: float = 0.0) -> Genome:  # fmt: skip
    """A mutated copy: every gene changes a little, and the kind flips rarely.

    Weights get Gaussian noise of standard deviation `scale`; the budget moves
    by a rounded Gaussian step of standard deviation BUDGET_MUTATION_SIGMA;
    with probability ROUTE_MUTATION_RATE the route gets one move appended,
    changed or removed (`mutate_route`). Draws from `rng`, in order: `normal`
    for the objective, direction and colour weights, the budget step, the
    revisit and route weights; `random` for whether the route changes; then
    `random` for whether the kind flips; then, only when `objective_kind_flip_rate` is
    above 0, `random` for whether an internal objective becomes a pointer or back
    (a deceptive one stays deceptive).
    """
    objective = genome.objective + rng.normal(0.0, scale, genome.objective.shape)
    direction_weights = genome.direction_weights + rng.normal(0.0, scale, len(DIRECTIONS))
    colour_weights = genome.colour_weights + rng.normal(0.0, scale, len(COLOURS))
    budget_step = round(rng.normal(0.0, BUDGET_MUTATION_SIGMA))
    planning_budget = int(np.clip(genome.planning_budget + budget_step, 0, MAX_PLANNING_BUDGET))
    revisit_weight = genome.revisit_weight + rng.normal(0.0, scale)
    route_weight = genome.route_weight + rng.normal(0.0, scale)
    route = genome.route
    if rng.random() < ROUTE_MUTATION_RATE:
        route = mutate_route(route, rng)
    kind = genome.kind
    if rng.random() < kind_flip_rate:
        kind = AgentKind.ANIMAL if kind is AgentKind.PLANT else AgentKind.PLANT
    objective_kind = genome.objective_kind
    if objective_kind_flip_rate and rng.random() < objective_kind_flip_rate and objective_kind in _FLIPS:
        objective_kind = _FLIPS[objective_kind]
    return replace(
        genome,
        kind=kind,
        objective_kind=objective_kind,
        objective=objective,
        planning_budget=planning_budget,
        direction_weights=direction_weights,
        revisit_weight=revisit_weight,
        colour_weights=colour_weights,
        route=route,
        route_weight=route_weight,
    )


_FLIPS = {ObjectiveKind.INTERNAL: ObjectiveKind.POINTER, ObjectiveKind.POINTER: ObjectiveKind.INTERNAL}


def mutate_route(route: tuple[int, ...], rng: np.random.Generator) -> tuple[int, ...]:
    """Append a random move, change one, or drop the last (`integers` draws)."""
    edit = int(rng.integers(3)) if route else 0
    move = int(rng.integers(len(DIRECTIONS)))
    if edit == 0:
        return (route + (move,))[:MAX_ROUTE_LENGTH]
    if edit == 1:
        where = int(rng.integers(len(route)))
        return route[:where] + (move,) + route[where + 1 :]
    return route[:-1]
