"""The two kinds of organism: heuristic plants and planning animals.

Both are Mesa `CellAgent`s on the model's grid, and never block each other,
nor see each other within an episode. Each kind's behaviour is a *policy*:
when an episode starts it lays out the cell every member moves to at every
tick (`planned`, one row per member): animals walk the path their plan
chose, plants play their whole episode in a compiled kernel. The episode
reads those rows tick by tick, or all at once when nobody watches (see
`episode`): no organism searches, and nothing is computed per organism per
tick.
"""

import numpy as np
from mesa.discrete_space import CellAgent

from ecosystem.world.constants import COLOURS, DIRECTIONS, AgentKind, Reached
from ecosystem.organisms.cognition import cognition_cost
from ecosystem.organisms.genome import Genome
from ecosystem.organisms.belief import Belief
from ecosystem.organisms.objective import NO_TARGET, ObjectiveKind
from ecosystem.organisms.episode import STOP
from ecosystem.organisms.planning import Plan, plan_all
from ecosystem.organisms.plant_kernel import play_plants
from ecosystem.world.world import World

PLANT_VISION = 3  # plants see objects within this many cells (Manhattan), through walls


class Organism(CellAgent):
    """An organism of either kind, living for one generation.

    Its state in the current episode (position, trace, whether it stopped,
    what it is going for) lives in that episode's arrays; the `*_in(episode)`
    methods read it from a given episode, the properties from the current one.

    Attributes:
        genome: its heritable traits.
        objective: its weights now: the genome's, plus every modification it
            received (see `optimizers.modification`).
        modifications: how many times it has been modified.
        modification_history: every modification, as (generation, episode, step), oldest first.
        belief: its world model of the base objective (`belief.Belief`), for
            the kinds of objective that hold one; else None.
    """

    kind: AgentKind

    def __init__(self, model, genome: Genome):
        super().__init__(model)
        self.genome = genome
        self.objective = genome.objective
        self.modifications = 0
        self.modification_history: list[tuple[int, int, np.ndarray]] = []
        has_world_model = genome.kind == AgentKind.ANIMAL and genome.objective_kind.has_world_model
        self.belief = Belief(innate=genome.objective) if has_world_model else None  # its genome's weights: an innate guess

    @property
    def terminal_objective(self) -> np.ndarray:
        """The weights its values come from: its own, or for a pointer its world model's estimate."""
        if self.genome.objective_kind == ObjectiveKind.POINTER:
            return self.belief.mean
        return self.objective

    def modify(self, step: np.ndarray, generation: int, episode: int) -> None:
        """Add a modification step, received after training episode `episode` of `generation`,
        to the objective it acts on (its genome stays as it was)."""
        self.objective = self.objective + step
        self.modifications += 1
        self.modification_history.append((generation, episode, step))

    @property
    def cognition_cost(self) -> float:
        """Fitness paid this episode for the ability to plan (zero for plants)."""
        return 0.0

    @property
    def trace(self) -> list[int]:
        """Cells it stood on this episode, move by move, start first."""
        episode = self.model.current_episode
        return episode.trace_of(episode.row_of(self))

    def position_in(self, episode) -> int:
        """The flat maze cell the organism stands on in `episode`."""
        return int(episode.position[episode.row_of(self)])

    @property
    def position(self) -> int:
        return self.position_in(self.model.current_episode)

    @property
    def done(self) -> bool:
        """Whether it has stopped for the rest of the episode."""
        episode = self.model.current_episode
        return bool(episode.done[episode.row_of(self)])

    def heading_in(self, episode) -> Reached:
        """Where it is heading: the target an animal walks to (see `Plan.walked_to`), or what a plant stands on."""
        return episode.world.reached(self.position_in(episode))

    @property
    def heading(self) -> Reached:
        return self.heading_in(self.model.current_episode)


class PlantPolicy:
    """How plants move: each scores its open neighbours and takes the best.

    A move's score is the sum of, in this order: its direction's weight; the
    revisit weight times the visits the plant already paid to the cell; the
    route weight if the move is the one its route (instinct) lists for this
    tick; and, for each colour seen within PLANT_VISION, that colour's weight
    if the move gets closer (Manhattan) to the nearest object of that colour.
    The best move wins, the first in `DIRECTIONS` order on ties. No search, no
    cost of cognition. A plant sees nothing of other organisms, so its whole
    episode is played when the episode starts (`plant_kernel.play_plants`).
    """

    def __init__(self, plants: list["Plant"], world: World, episode_length: int):
        genomes = [p.genome for p in plants]
        count = len(genomes)
        routes = np.full((count, max((len(g.route) for g in genomes), default=0)), STOP, dtype=np.int8)
        for i, genome in enumerate(genomes):
            routes[i, : len(genome.route)] = genome.route
        gains, colour_order = world.colour_gains(PLANT_VISION)
        self.planned = play_plants(
            np.array([g.direction_weights for g in genomes]).reshape(count, len(DIRECTIONS)),
            np.array([g.revisit_weight for g in genomes], dtype=float),
            np.array([g.route_weight for g in genomes], dtype=float),
            routes,
            np.array([g.colour_weights for g in genomes]).reshape(count, len(COLOURS)),
            np.array(colour_order, dtype=np.int64),
            world.layout.neighbour_array, gains, world.start, world.exit.cell, episode_length,
        )  # fmt: skip



class AnimalPolicy:
    """How animals move: along the path their plan chose, then they stay.

    At the start of an episode every animal plans at once (see
    `planning.plan_all`), pursuing its first choice unless `chosen` names
    another target for it (by `unique_id`: what planning over episodes
    decided); `planned` lays their paths out tick by tick.
    """

    def __init__(self, animals: list["Animal"], world: World, episode_length: int, chosen: dict[int, int]):
        objectives = np.array([a.terminal_objective for a in animals])
        budgets = np.array([a.genome.planning_budget for a in animals])
        overrides = np.array([chosen.get(a.unique_id, NO_TARGET) for a in animals], dtype=int) if chosen else None
        self.plans = plan_all(world, objectives, budgets, overrides)
        self.planned = np.full((len(animals), episode_length), STOP, dtype=np.int32)
        for i, plan in enumerate(self.plans):
            steps = plan.path[1 : episode_length + 1]
            self.planned[i, : len(steps)] = steps


class Plant(Organism):
    """A heuristic: it follows evolved local cues (see `PlantPolicy`)."""

    kind = AgentKind.PLANT

    @staticmethod
    def policy(plants: list["Plant"], world: World, episode_length: int, chosen: dict[int, int]) -> PlantPolicy:
        return PlantPolicy(plants, world, episode_length)


class Animal(Organism):
    """A mesa-optimizer: it plans a path to what its objective values most.

    Its planning budget costs fitness (see `cognition.cognition_cost`).
    """

    kind = AgentKind.ANIMAL

    @staticmethod
    def policy(animals: list["Animal"], world: World, episode_length: int, chosen: dict[int, int]) -> AnimalPolicy:
        return AnimalPolicy(animals, world, episode_length, chosen)

    @property
    def cognition_cost(self) -> float:
        params = self.model.params
        world_model = params.world_model_cost if self.genome.objective_kind.has_world_model else 0.0
        return cognition_cost(self.genome.planning_budget, params.cognition_overhead, params.cognition_cost_per_budget,
                              world_model)  # fmt: skip

    def plan_in(self, episode) -> Plan:
        """What it decided at the start of `episode`."""
        return episode.plan_of(episode.row_of(self))

    @property
    def plan(self) -> Plan:
        return self.plan_in(self.model.current_episode)

    def heading_in(self, episode) -> Reached:
        target = self.plan_in(episode).walked_to
        return Reached.NONE if target is None else episode.world.targets[target].label


ORGANISM_CLASSES = {AgentKind.PLANT: Plant, AgentKind.ANIMAL: Animal}


def create_organisms(model, genomes: list[Genome]) -> None:
    """Create an organism of `model` for each of `genomes` with Mesa's `create_agents`, one kind
    after the other (plants first)."""
    for kind, cls in ORGANISM_CLASSES.items():
        of_kind = [g for g in genomes if g.kind == kind]
        if of_kind:
            cls.create_agents(model, len(of_kind), of_kind)
