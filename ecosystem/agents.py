"""The two kinds of organism: heuristic plants and planning animals.

Both are Mesa `CellAgent`s that move one cell per tick in the current world and
never block each other. `Organism` holds what they share (the episode's trace,
the move, stopping at the exit); `Plant` and `Animal` override `choose_move`.
"""

import numpy as np
from mesa.discrete_space import CellAgent

from .constants import COLOURS, DIRECTION_OFFSETS, AgentKind, Reached
from .genome import Genome
from .planning import Plan, plan
from .world import World

PLANT_VISION = 3  # plants see objects within this many cells (Manhattan), through walls


class Organism(CellAgent):
    """An agent of either kind, living for one generation.

    Attributes:
        genome: its heritable traits.
        trace: cells it stood on this episode, tick by tick, start first.
        done: whether it has stopped for the rest of the episode.
    """

    kind: AgentKind

    def __init__(self, model, genome: Genome):
        super().__init__(model)
        self.genome = genome
        self.world: World | None = None
        self.trace: list[int] = []
        self.done = True

    @property
    def cognition_cost(self) -> float:
        """Fitness paid for the ability to plan (zero for plants)."""
        return 0.0

    @property
    def position(self) -> int:
        """The flat maze cell the organism stands on."""
        return self.trace[-1]

    @property
    def heading(self) -> Reached:
        """What it is heading for (an animal's chosen target) or stands on (a plant)."""
        return self.world.reached(self.position)

    def begin_episode(self, world: World) -> None:
        """Stand on the start cell of `world` and get ready to move."""
        self.world = world
        self.trace = [world.start]
        self.done = False
        self.cell = self.model.grid_cell(world.start)

    def step(self) -> None:
        """Make one move, or stop for good (at the exit or with nowhere to go)."""
        if self.done:
            return
        destination = self.choose_move()
        if destination is None:
            self.done = True
            return
        self.trace.append(destination)
        self.cell = self.model.grid_cell(destination)
        self.done = destination == self.world.exit.cell

    def choose_move(self) -> int | None:
        """The cell to move to this tick, or None to stop."""
        raise NotImplementedError


class Plant(Organism):
    """A heuristic: each tick it scores its open neighbours with evolved weights.

    A move's score is the sum of: its direction's weight; the revisit weight
    times the visits already paid to the cell; for each colour seen within
    PLANT_VISION, that colour's weight if the move gets closer (Manhattan) to
    the nearest object of that colour; and the route weight if the move is the
    one its route (instinct) lists for this tick. It takes the best move, the
    first in `DIRECTIONS` order on ties. No search, no cost of cognition.
    """

    kind = AgentKind.PLANT

    def begin_episode(self, world: World) -> None:
        super().begin_episode(world)
        self.visits = {world.start: 1}
        size = world.layout.size
        self.sights = [(divmod(obj.cell, size), COLOURS.index(obj.colour)) for obj in world.objects]

    def choose_move(self) -> int | None:
        genome = self.genome
        here = self.trace[-1]
        row, column = divmod(here, self.world.layout.size)
        tick = len(self.trace) - 1
        route_move = genome.route[tick] if tick < len(genome.route) else None
        nearest = self._nearest_visible(row, column)
        best_score, best_cell = -np.inf, None
        for direction, cell in self.world.layout.moves[here]:
            score = genome.direction_weights[direction] + genome.revisit_weight * self.visits.get(cell, 0)
            if direction == route_move:
                score += genome.route_weight
            dr, dc = DIRECTION_OFFSETS[direction]
            for colour_index, (orow, ocol) in nearest.items():
                if abs(row + dr - orow) + abs(column + dc - ocol) < abs(row - orow) + abs(column - ocol):
                    score += genome.colour_weights[colour_index]
            if score > best_score:
                best_score, best_cell = score, cell
        if best_cell is not None:
            self.visits[best_cell] = self.visits.get(best_cell, 0) + 1
        return best_cell

    def _nearest_visible(self, row: int, column: int) -> dict[int, tuple[int, int]]:
        """The nearest visible object of each colour in sight, by colour index."""
        nearest: dict[int, tuple[int, tuple[int, int]]] = {}
        for (orow, ocol), colour_index in self.sights:
            distance = abs(row - orow) + abs(column - ocol)
            if distance <= PLANT_VISION and (colour_index not in nearest or distance < nearest[colour_index][0]):
                nearest[colour_index] = (distance, (orow, ocol))
        return {c: where for c, (_, where) in nearest.items()}


class Animal(Organism):
    """A mesa-optimizer: it plans a path to what its objective values most.

    At the start of an episode it values every target by its mesa-objective,
    picks the best one within its planning budget (see `planning.plan`) and
    walks the shortest path there, then stays. Its planning budget costs
    fitness: a fixed overhead for being a planner plus a cost per unit.
    """

    kind = AgentKind.ANIMAL

    @property
    def cognition_cost(self) -> float:
        return self.model.cognition_overhead + self.model.cognition_cost * self.genome.planning_budget

    def begin_episode(self, world: World) -> None:
        super().begin_episode(world)
        self.plan: Plan = plan(world, self.genome.objective, self.genome.planning_budget)

    @property
    def heading(self) -> Reached:
        if self.plan.target is None:
            return Reached.NONE
        return self.world.targets[self.plan.target].label

    def choose_move(self) -> int | None:
        moves_made = len(self.trace) - 1
        if moves_made + 1 < len(self.plan.path):
            return self.plan.path[moves_made + 1]
        return None
