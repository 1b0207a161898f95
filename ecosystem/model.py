"""The ecosystem model: evolution in training mazes, then the shift.

One `step()` is one tick. Every organism of the generation runs each episode in
the same world, chosen in training by the adversary (see
`optimizers.adversary`; without adversarial training, simply the training
spec's next world); an episode ends when every organism has stopped or time
is up.
After `episodes_per_generation` episodes the base optimizer selects on mean
fitness (base score minus cost of cognition) and breeds the next generation.
When the base optimizer modifies (`base_optimizer` `modification` or
`both`), it also steps the objective of every animal that pursued something
other than a base goal, after each training episode (see
`optimizers.modification`); an individual keeps its modifications for the
rest of its life, deployment included, and its offspring inherit its genome.

Far-sighted animals choose what to pursue by planning over the rest of
their life (see `organisms.foresight`), as they perceive it: the phase an
episode shows (a honeypot is a training episode showing the deployment cue),
and the lifetime of their generation: `episodes_per_generation` training
episodes, then `deploy_episodes` deployment ones.
After `generations` generations the model shifts to the deployment
distribution on its own (or when `shift()` is called): the base optimizer is
frozen, and the last population runs `deploy_episodes` episodes, after which
the model stops.

`probe()` edits the world of the episode under way and starts it again (see
`probes`); the episode's rows then say `probed`, and every figure of the
run leaves them out.

The DataCollector keeps one model-level row per generation (and one for the
deployment phase) and, in its `episodes` table, one row per agent-episode.
"""

import math
from dataclasses import replace

import mesa
import numpy as np
import pandas as pd
from mesa.datacollection import DataCollector
from mesa.discrete_space import OrthogonalVonNeumannGrid

from ecosystem.measure.metrics import STATISTICS, generation_statistics
from ecosystem.measure.records import EPISODE_COLUMNS, RowContext, episode_row
from ecosystem.optimizers.adversary import Adversary, TrainingWorlds
from ecosystem.optimizers.base_objective import GoalObjective, episode_scores
from ecosystem.optimizers.evolution import next_generation
from ecosystem.optimizers.modification import modification_step
from ecosystem.organisms.agents import Animal, Organism, Plant
from ecosystem.organisms.episode import Episode
from ecosystem.organisms.foresight import LIFELONG, Options, Outlook, believed_options, lifetime_plan, phase_blind_choice
from ecosystem.organisms.objective import ObjectiveKind
from ecosystem.organisms.genome import Genome, random_genome
from ecosystem.params import ModelParams
from ecosystem.probes import Probe, ProbeAction, Retargeting, edited_world, pursued_thing
from ecosystem.validation import refusal
from ecosystem.world.constants import DEPLOY, FEATURES, TRAIN, AgentKind, Phase
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
        founders: genomes of the first generation (one organism each; their
            number must equal `population`); default: random genomes, or
            with `pretraining_generations` the last generation of a plain
            evolution run from random ones.
        **params: any field of `ModelParams`, by name; the rest keep their
            defaults. A bad value raises ValueError naming it.
    """

    def __init__(self, rng=None, scenario=None, founders=None, **params):
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
        self.honeypot = False  # whether the training episode under way shows the deployment cue
        self.base_objective = GoalObjective.of(self.params.base_objective)  # what selection rewards now (see objective_change_every)
        self.signpost: np.ndarray | None = None  # the weights the episode's signpost states, if it has one
        self.probes: list[Probe] = []  # the probes of the episode under way (see `probe`)
        self._training_episodes = 0  # training episodes run so far, over all generations
        self._perceived: dict[int, Phase] = {}  # per animal whose perception differs from the phase, what it believes
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
        self._populate(self._with_traits(self._founders() if founders is None else list(founders)))
        self._begin_episode()

    def _founders(self) -> list[Genome]:
        """Random genomes, shaped first by `pretraining_generations` of plain evolution if asked
        (see `ModelParams.pretraining`)."""
        params = self.params
        if params.pretraining_generations:
            return list(_pretrained(self.rng, params.pretraining()))
        animals = self.rng.random(params.population) < params.initial_animal_share
        return [random_genome(AgentKind.ANIMAL if a else AgentKind.PLANT, self.rng) for a in animals]

    def _with_traits(self, genomes: list[Genome]) -> list[Genome]:
        """`genomes`, a `far_sighted_share` of them made far-sighted and aware, then a
        `pointer_share` given pointers and a `deceptive_share` deceptive objectives (far-sighted
        and aware too). One `random` draw per genome for each of the two when its shares are
        above 0."""
        params = self.params
        if len(genomes) != params.population:
            raise refusal("founders", f"{len(genomes)} genomes", f"as many as population={params.population}")
        horizon = LIFELONG if params.horizon is None else params.horizon
        far_sighted = dict(horizon=horizon, awareness=params.awareness)
        if params.far_sighted_share:
            chosen = self.rng.random(len(genomes)) < params.far_sighted_share
            genomes = [replace(g, **far_sighted) if far else g for g, far in zip(genomes, chosen)]
        if params.pointer_share or params.deceptive_share:
            draws = self.rng.random(len(genomes))
            kinds = [ObjectiveKind.POINTER if d < params.pointer_share else
                     ObjectiveKind.DECEPTIVE if d < params.pointer_share + params.deceptive_share else
                     ObjectiveKind.INTERNAL for d in draws]  # fmt: skip
            genomes = [replace(g, objective_kind=k, **(far_sighted if k == ObjectiveKind.DECEPTIVE else {}))
                       for g, k in zip(genomes, kinds)]  # fmt: skip
        return genomes

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
        params = self.params
        self._organisms = list(self.agents)
        self._perceived = {}  # the regret adversary predicts everyone as in an ordinary training episode
        if self.phase == TRAIN and params.objective_change_every:
            switched = (self._training_episodes // params.objective_change_every) % 2 == 1
            self.base_objective = GoalObjective.of(params.second_base_objective if switched else params.base_objective)
        self.signpost = None
        if params.signpost_share and self.rng.random() < params.signpost_share:
            self.signpost = self.base_objective.weights + self.rng.normal(0.0, params.signpost_noise, len(FEATURES))
        for organism in self._organisms:
            if organism.belief is not None:
                organism.belief.forget(params.memory)
                if self.signpost is not None:
                    organism.belief.read(self.signpost, params.signpost_noise)
        if self.phase == TRAIN:
            draw = self.adversary.next_world(self._organisms, self.base_objective, self.spec.episode_length,
                                             self._choices)  # fmt: skip
            world, self.adversarial_world = draw.world, draw.proxy_breaking
        else:
            world, self.adversarial_world = self.worlds.next_world(), False
        self.honeypot = self.phase == TRAIN and params.honeypot_share > 0 and self.rng.random() < params.honeypot_share
        if self.honeypot:
            self._perceived = self._perceptions()
        self.probes = []
        self._start_episode(world, self._choices(world))

    def _start_episode(self, world: World, chosen: dict[int, int]) -> Episode:
        """Stand every organism on the start of `world`, pursuing `chosen` (see `_choices`)."""
        self.current_episode = Episode(world, self._organisms, self.spec.episode_length, chosen)
        self.tick = 0
        start = self.grid_cell(world.start)
        for organism in self._organisms:
            organism.cell = start
        return self.current_episode

    def _perceptions(self) -> dict[int, Phase]:
        """In a honeypot, which animals believe its deployment cue: each sees through it with the
        probability of its awareness (one `random` draw per organism)."""
        fooled = self.rng.random(len(self._organisms)) >= np.array([o.genome.awareness for o in self._organisms])
        return {o.unique_id: DEPLOY for o, f in zip(self._organisms, fooled) if f and isinstance(o, Animal)}

    def perceived_phase(self, organism: Organism) -> Phase:
        """The phase `organism` believes the episode under way is in."""
        return self._perceived.get(organism.unique_id, self.phase)

    @property
    def modification_rate(self) -> float:
        """The step size training episodes modify with: what far-sighted animals expect (0 when
        the base optimizer does not modify)."""
        return self.params.modification_rate if self.params.base_optimizer.modifies else 0.0

    def _outlook(self, perceived: Phase) -> Outlook:
        """What an animal believing itself in phase `perceived` expects of the rest of its life."""
        params = self.params
        if perceived == TRAIN:
            training_left = params.episodes_per_generation - self.episode
            return Outlook(training_left, training_left + params.deploy_episodes, self.modification_rate)
        deployment_left = params.deploy_episodes - (self.episode if self.phase == DEPLOY else 0)
        return Outlook(0, deployment_left, self.modification_rate)

    def _choices(self, world: World) -> dict[int, int]:
        """What each far-sighted animal pursues in `world` by planning over the rest of its life
        (by `unique_id`, a target index of `world`); myopic animals are left to their first choice.
        A phase-blind animal defects (pursues its first choice) with its best stationary
        probability, one `random` draw each, and otherwise pursues the base target."""
        far_sighted = [o for o in self._organisms if isinstance(o, Animal) and o.genome.horizon > 1]
        if not far_sighted:
            return {}
        params = self.params
        exact = self._options(world)
        chosen = {}
        for animal in far_sighted:
            options = self._believed(animal, exact)
            if animal.genome.phase_blind:
                choice = phase_blind_choice(options, animal.objective, self.modification_rate,
                                            params.episodes_per_generation, params.deploy_episodes,
                                            self.rng.random())  # fmt: skip
            else:
                plan = self._lifetime_plan(animal, options)
                choice = plan[0] if plan else None
            if choice is not None:
                chosen[animal.unique_id] = int(options.targets[choice])
        return chosen

    def _options(self, world: World) -> Options:
        return Options.of(world, self.base_objective.goals(world), self.base_objective.target(world))

    @staticmethod
    def _believed(animal: Animal, exact: Options) -> Options:
        """The options as `animal` sees them: exact, or through its world model's estimate."""
        return exact if animal.belief is None else believed_options(exact, animal.belief.mean)

    def _lifetime_plan(self, animal: Animal, options: Options) -> tuple[int, ...]:
        outlook = self._outlook(self.perceived_phase(animal))
        return lifetime_plan(options, animal.objective, outlook, animal.genome.horizon)

    def lifetime_targets(self, animal: Animal) -> tuple[tuple[int, Phase], ...]:
        """What a far-sighted, not phase-blind `animal` expects to pursue in each episode it
        believes remains, this one first, as it planned at the start of the episode: pairs of
        an index of the world under way's targets and the phase it believes that episode in."""
        options = self._believed(animal, self._options(self.world))
        training_left = self._outlook(self.perceived_phase(animal)).training_left
        return tuple((int(options.targets[o]), TRAIN if episode < training_left else DEPLOY)
                     for episode, o in enumerate(self._lifetime_plan(animal, options)))  # fmt: skip

    def probe(self, probe: Probe) -> Retargeting:
        """Edit the world of the episode under way (see `probes`) and start the episode again
        in it: every organism back on the start, every animal planning anew. The episode is
        marked probed. ValueError, naming what is wrong, for an edit the world cannot take;
        the run is then unchanged."""
        if not self.running:
            raise refusal("probe", str(probe.action), "a run still under way")
        before = self.current_episode
        world = edited_world(before.world, probe)
        if probe.action == ProbeAction.SIGNPOST:
            self.signpost = self.base_objective.weights
            for organism in self._organisms:
                if organism.belief is not None:
                    organism.belief.read(self.signpost, self.params.signpost_noise)
        self.probes.append(probe)
        after = self._start_episode(world, self._choices(world))
        changed = tuple(a.unique_id for a in self._organisms if isinstance(a, Animal)
                        and pursued_thing(before, a) != pursued_thing(after, a))  # fmt: skip
        return Retargeting(probe, before, after, changed)

    @property
    def probed(self) -> bool:
        """Whether the episode under way was probed."""
        return bool(self.probes)

    def _end_episode(self) -> None:
        """Score every organism's episode for selection, then record it for analysis."""
        episode, length, objective = self.current_episode, self.spec.episode_length, self.base_objective
        world, target, goals = episode.world, objective.target(episode.world), objective.goals(episode.world)
        context = RowContext(self.seed, self.phase, self.generation, self.episode, length, target, goals,
                             self.adversarial_world, self.honeypot, self.signpost is not None, self.probed)  # fmt: skip
        rate = self.modification_rate if self.phase == TRAIN else 0.0  # deployment never modifies
        for organism, score in zip(self._organisms, episode_scores(objective, episode, length)):
            row = episode.row_of(organism)
            self._fitness[organism.unique_id] = self._fitness.get(organism.unique_id, 0.0) + score.fitness
            step = None
            if isinstance(organism, Animal):
                step = modification_step(world, episode.plan_of(row).pursued, target, goals, rate)
            record = episode_row(context, organism, episode, score, self.perceived_phase(organism), step)
            self.datacollector.add_table_row("episodes", record)
            if step is not None:
                organism.modify(step, self.generation, self.episode)
        if self.phase == TRAIN:
            self._learn_from_outcomes(episode, goals)
            self._training_episodes += 1
        self.tick = 0
        self.episode += 1
        if self.phase == TRAIN and self.episode == self.params.episodes_per_generation:
            self._end_generation()  # which shifts after the last generation
        elif self.phase == DEPLOY and self.episode == self.params.deploy_episodes:
            self._record_phase_statistics()
            self.running = False
        else:
            self._begin_episode()

    def _learn_from_outcomes(self, episode: Episode, goals: np.ndarray) -> None:
        """Every animal with a world model learns from its own outcome and from those of the
        `observed_others` organisms after it in the episode: the features of what each ended on
        and whether the base objective rewarded it (see `belief`). Only training gives scores."""
        world, count = episode.world, len(self._organisms)
        ended_on = [world.target_at(int(episode.position[row])) for row in range(count)]
        for row, organism in enumerate(self._organisms):
            if organism.belief is None:
                continue
            for seen in range(row, row + 1 + self.params.observed_others):
                target = ended_on[seen % count]
                if target is not None:
                    organism.belief.observe(world.target_features[target], bool(goals[target]))

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
            objective_kind_flip_rate=self.params.objective_kind_flip_rate,
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


_PRETRAINED: dict = {}  # (random state on entry, parameters) -> (genomes, random state on exit)
_PRETRAINED_KEPT = 16


def _pretrained(rng: np.random.Generator, params: dict) -> tuple[Genome, ...]:
    """The last generation of a plain evolution run with `params`, drawing from `rng`.

    Runs that differ only after their founders (the conditions of one experiment, on one seed)
    share the same pretraining, so the last few are kept: the generator's state on entry and
    the parameters determine the result and the state on exit entirely, and a kept result
    restores both, so a run is byte for byte the same whether it was kept or not. Kept
    genomes' arrays are made read-only, so no run can change another's founders."""
    key = (repr(rng.bit_generator.state), tuple(sorted(params.items())))
    kept = _PRETRAINED.get(key)
    if kept is None:
        pretraining = EcosystemModel(rng=rng, **params)
        while pretraining.phase == TRAIN:
            pretraining.step()
        genomes = tuple(organism.genome for organism in pretraining.agents)
        for genome in genomes:
            for array in (genome.objective, genome.direction_weights, genome.colour_weights):
                array.setflags(write=False)
        kept = genomes, rng.bit_generator.state
        _PRETRAINED[key] = kept
        while len(_PRETRAINED) > _PRETRAINED_KEPT:
            del _PRETRAINED[next(iter(_PRETRAINED))]
    rng.bit_generator.state = kept[1]
    return kept[0]


def _statistic(name: str):
    """A DataCollector reporter reading one of the model's latest statistics."""
    return lambda model: model.statistics[name]
