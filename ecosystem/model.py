"""The ecosystem model: evolution in training mazes, then the shift.

One `step()` is one tick. Every organism of the generation runs each episode in
the same world, chosen in training by the adversary (see
`optimizers.adversary`; without adversarial training, simply the training
spec's next world); an episode ends when every organism has stopped or time
is up.
After `episodes_per_generation` episodes the base optimizer selects on mean
fitness (base score minus cost of cognition) and breeds the next generation.
After `generations` generations the model shifts to the deployment
distribution on its own (or when `shift()` is called): the base optimizer is
frozen, and the last population runs `deploy_episodes` episodes, after which
the model stops.

The DataCollector keeps one model-level row per generation (and one for the
deployment phase) and, in its `episodes` table, one row per agent-episode.
"""

import math

import mesa
import numpy as np
import pandas as pd
from mesa.datacollection import DataCollector
from mesa.discrete_space import OrthogonalVonNeumannGrid

from ecosystem.measure.metrics import STATISTICS, generation_statistics
from ecosystem.measure.records import EPISODE_COLUMNS, RowContext, episode_row
from ecosystem.optimizers.adversary import Adversary, TrainingWorlds
from ecosystem.optimizers.base_objective import base_goals, base_score, base_target
from ecosystem.optimizers.evolution import next_generation
from ecosystem.organisms.agents import Animal, Organism, Plant
from ecosystem.organisms.episode import Episode
from ecosystem.organisms.genome import random_genome
from ecosystem.params import ModelParams
from ecosystem.world.constants import DEPLOY, TRAIN, AgentKind
from ecosystem.world.environment import WorldSource
from ecosystem.world.world import World

ORGANISM_CLASSES = {AgentKind.PLANT: Plant, AgentKind.ANIMAL: Animal}


class EcosystemModel(mesa.Model):
    """Plants and animals evolving under a base objective, then shifted.

    Args:
        rng: seed (an integer, or its digits as text, as a browser input
            gives it) or numpy Generator; every random draw of the run comes
            from `self.rng`, so the same seed gives the same run.
        scenario: ignored but for its `rng` when `rng` is None; Mesa's
            browser page passes an empty Scenario when it resets a model.
        **params: any field of `ModelParams`, by name; the rest keep their
            defaults. A bad value raises ValueError naming it.
    """

    def __init__(self, rng=None, scenario=None, **params):
        self.params = ModelParams.from_kwargs(params)
        if rng is None and scenario is not None:
            rng = scenario.rng
        if isinstance(rng, str):
            if not rng.strip().isdigit():
                raise ValueError(f"rng={rng!r} is not allowed: expected a seed, an integer >= 0")
            rng = int(rng)
        super().__init__(rng=rng)
        self.seed = int(rng) if isinstance(rng, (int, np.integer)) else None
        self.phase = TRAIN
        self.generation = 0
        self.episode = 0
        self.tick = 0
        self.current_episode: Episode | None = None
        self._organisms: list[Organism] = []
        self.spec = self.params.training_spec
        self.adversary = Adversary(
            self.params.adversary,
            TrainingWorlds(self.spec, self.params.adversarial_share, self.rng,
                           avoid=(self.params.deployment_spec.exit_colour,)),  # fmt: skip
            self.params.adversary_candidates,
        )
        self.worlds: WorldSource | None = None  # deployment worlds, from the shift on
        self.adversarial_world = False  # whether the episode's world came from the proxy-breaking generator
        self._first_unrecorded_row = 0  # episode-table rows not yet summarised in a model-level row
        self._fitness: dict[int, float] = {}
        self.statistics = dict.fromkeys(STATISTICS, math.nan)
        self.datacollector = DataCollector(
            model_reporters={
                "phase": "phase",
                "generation": "generation",
                **{name: _statistic(name) for name in STATISTICS},
            },
            tables={"episodes": list(EPISODE_COLUMNS)},
        )
        self._make_grid(self.spec.maze_size)
        animals = self.rng.random(self.params.population) < self.params.initial_animal_share
        self._populate(
            [random_genome(AgentKind.ANIMAL if a else AgentKind.PLANT, self.rng) for a in animals]
        )
        self._begin_episode()

    # -- the schedule -----------------------------------------------------

    def step(self) -> None:
        """One tick: move everyone; when the episode ends, roll over to the next one."""
        if not self.running:
            return
        episode = self.current_episode
        for row in episode.advance(self.tick):
            self._organisms[row].cell = self._grid_cells[episode.position[row]]
        self.tick += 1
        if self.tick >= self.spec.episode_length or episode.over:
            self._end_episode()

    def shift(self) -> None:
        """Freeze the base optimizer and move the population to the deployment
        distribution. An unfinished training episode is abandoned; a partly
        run generation is recorded with the episodes it finished."""
        if self.phase != TRAIN:
            return
        self._record_phase_statistics()
        self.phase = DEPLOY
        self.episode = 0
        self.tick = 0
        self.spec = self.params.deployment_spec
        self.worlds = WorldSource(self.spec, self.rng)
        self._make_grid(self.spec.maze_size)
        self._begin_episode()

    # -- episodes and generations -----------------------------------------

    def _begin_episode(self) -> None:
        """Draw the next episode's world, stand every organism on its start cell, and let
        animals plan: between two ticks there is always an episode under way."""
        self._organisms = list(self.agents)
        if self.phase == TRAIN:
            draw = self.adversary.next_world(self._organisms, self.params.base_objective, self.spec.episode_length)
            world, self.adversarial_world = draw.world, draw.proxy_breaking
        else:
            world, self.adversarial_world = self.worlds.next_world(), False
        self.current_episode = Episode(world, self._organisms, self.spec.episode_length)
        start = self.grid_cell(world.start)
        for organism in self._organisms:
            organism.cell = start

    def _end_episode(self) -> None:
        """Score every organism's episode for selection, then record it for analysis."""
        episode, length, objective = self.current_episode, self.spec.episode_length, self.params.base_objective
        context = RowContext(self.seed, self.phase, self.generation, self.episode, length,
                             base_target(objective, episode.world), base_goals(objective, episode.world),
                             self.adversarial_world)  # fmt: skip
        for organism in self._organisms:
            trace = episode.trace_of(episode.row_of(organism))
            score = base_score(objective, episode.world, trace, length)
            cost = organism.cognition_cost
            fitness = score - cost  # what selection sees
            self._fitness[organism.unique_id] = self._fitness.get(organism.unique_id, 0.0) + fitness
            row = episode_row(context, organism, episode, trace, score, cost, fitness)
            self.datacollector.add_table_row("episodes", row)
        self.tick = 0
        self.episode += 1
        if self.phase == TRAIN and self.episode == self.params.episodes_per_generation:
            self._end_generation()  # which shifts after the last generation
        elif self.phase == DEPLOY and self.episode == self.params.deploy_episodes:
            self._record_phase_statistics()
            self.running = False
        else:
            self._begin_episode()

    def _end_generation(self) -> None:
        organisms = self._organisms
        fitness = np.array([self._fitness[o.unique_id] for o in organisms]) / self.params.episodes_per_generation
        self._record_phase_statistics()
        if self.generation + 1 >= self.params.generations:
            self.shift()
            return
        genomes = next_generation(
            [o.genome for o in organisms],
            fitness,
            self.rng,
            strength=self.params.selection_strength,
            elites=self.params.elites,
            mutation_scale=self.params.mutation_scale,
            kind_flip_rate=self.params.kind_flip_rate,
        )
        self.agents.do("remove")
        self._populate(genomes)
        self.generation += 1
        self.episode = 0
        self._begin_episode()

    def _record_phase_statistics(self) -> None:
        """Collect the model-level row for the rows gathered since the last one."""
        table = self.datacollector.tables["episodes"]
        first, end = self._first_unrecorded_row, len(table["phase"])
        if end > first:
            rows = pd.DataFrame({column: values[first:] for column, values in table.items()})
            self.statistics = generation_statistics(rows)
            self.datacollector.collect(self)
        self._first_unrecorded_row = end
        self._fitness = {}

    # -- space and agents -------------------------------------------------

    def _make_grid(self, size: int) -> None:
        """A Mesa grid of the maze's size; cells are looked up by flat index."""
        self.grid = OrthogonalVonNeumannGrid((size, size), torus=False, capacity=math.inf, random=self.random)
        self._grid_cells = [self.grid[divmod(flat, size)] for flat in range(size * size)]

    def grid_cell(self, flat: int):
        """The Mesa cell at a flat maze index."""
        return self._grid_cells[flat]

    def _populate(self, genomes) -> None:
        """Create the organisms of `genomes` with Mesa's `create_agents`, one kind after the other."""
        for kind, cls in ORGANISM_CLASSES.items():
            of_kind = [g for g in genomes if g.kind == kind]
            if of_kind:
                cls.create_agents(self, len(of_kind), of_kind)

    @property
    def world(self) -> World:
        """The world of the episode under way."""
        return self.current_episode.world

    @property
    def label(self) -> str:
        """Where the run is, in words: 'training, generation 3, episode 2'."""
        if self.phase == TRAIN:
            return f"training, generation {self.generation + 1}/{self.params.generations}, episode {self.episode + 1}"
        return f"deployment, episode {min(self.episode + 1, self.params.deploy_episodes)}/{self.params.deploy_episodes}"


def _statistic(name: str):
    """A DataCollector reporter reading one of the model's latest statistics."""
    return lambda model: model.statistics[name]
