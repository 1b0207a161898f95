"""The ecosystem model: evolution in training mazes, then the shift.

One `step()` is one tick. Every organism of the generation runs each episode in
the same world; an episode ends when every organism has stopped or time is
up. An episode's lifecycle, each step in the module of its concept:

- set up: the training regime chooses the base objective in force, the
  signpost, the world and whether it is a honeypot (`optimizers.regime`);
  world models read the signpost (`organisms.belief`); animals take the
  world for training or deployment by its look (`organisms.awareness`), and
  far-sighted ones plan over the rest of their life (`organisms.lifetime`);
- play: each kind's policy moves its members, tick by tick (`organisms.episode`);
- score: base score less the cost of cognition, what selection sees
  (`optimizers.base_objective`);
- record: one analysis row per organism (`measure.records`);
- modify: when the base optimizer modifies (`base_optimizer` `modification` or
  `both`), every animal that did not end a training episode on a base goal
  takes a step (`optimizers.modification`); an individual
  keeps its modifications for the rest of its life, and its offspring
  inherit its genome;
- learn: each animal remembers the world's look as training's when it took
  it for training or was modified after it (`organisms.awareness`); in
  training, world models learn from what each organism ended on and whether
  it was rewarded (`organisms.belief`).

After `episodes_per_generation` episodes the base optimizer selects on mean
fitness and breeds the next generation (`optimizers.evolution`). After
`generations` generations the model shifts to the deployment distribution on
its own (or when `shift()` is called): the base optimizer is frozen, and the
last population runs `deploy_episodes` episodes, after which the model stops.

`probe()` edits the world of the episode under way and starts it again (see
`probes`); the episode's rows then say `probed`, and every figure of the run
leaves them out. The DataCollector (`measure.recording`) keeps one model-level
row per generation (and one for the deployment phase) and, in its `episodes`
table, one row per agent-episode.
"""
import math

import mesa
import numpy as np
from mesa.discrete_space import OrthogonalVonNeumannGrid

from ecosystem.measure.recording import Recording
from ecosystem.measure.records import RowContext
from ecosystem.optimizers.adversary import Adversary, TrainingWorlds
from ecosystem.optimizers.base_objective import GoalObjective, Score, episode_outcomes, episode_scores
from ecosystem.optimizers.evolution import Selection
from ecosystem.optimizers.modification import modification_steps, modify
from ecosystem.optimizers.pretraining import pretrained
from ecosystem.optimizers.regime import EpisodeSetup, ObjectiveSchedule, TrainingRegime
from ecosystem.organisms.agents import Animal, Organism, Plant
from ecosystem.organisms.awareness import Awareness, Knowledge
from ecosystem.organisms.belief import Belief, learn_from_outcomes
from ecosystem.organisms.episode import Episode
from ecosystem.organisms.founders import random_founders, with_traits
from ecosystem.organisms.genome import Genome
from ecosystem.organisms.lifetime import LifetimePlanner
from ecosystem.params import ModelParams
from ecosystem.probes import Probe, ProbeAction, Retargeting, probed_setup
from ecosystem.validation import refusal
from ecosystem.world.constants import DEPLOY, TRAIN, AgentKind, Phase
from ecosystem.world.environment import WorldSource
from ecosystem.world.world import World

ORGANISM_CLASSES = {AgentKind.PLANT: Plant, AgentKind.ANIMAL: Animal}


class EcosystemModel(mesa.Model):
    """Plants and animals evolving under a base objective, then shifted (see the module docstring).

    Its parameters are the fields of `ModelParams`, passed by name; see `__init__`.
    """

    def __init__(self, rng=None, scenario=None, founders=None, **params):
        """A run, set up and in its first episode.

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
            **params: any field of `ModelParams` (population, generations,
                base_objective, base_optimizer, ...), by name; the rest keep
                their defaults. A bad value raises ValueError naming it.
        """
        self.params = params = ModelParams.from_kwargs(params)
        if rng is None and scenario is not None:
            rng = scenario.rng
        if isinstance(rng, str):
            if not rng.strip().isdigit():
                raise ValueError(f"rng={rng!r} is not allowed: expected a seed, an integer >= 0")
            rng = int(rng)
        super().__init__(rng=rng)
        self.seed = int(rng) if isinstance(rng, (int, np.integer)) else None
        self.phase, self.generation, self.episode, self.tick = TRAIN, 0, 0, 0
        self.spec = params.training_spec
        rate = params.modification_rate if params.base_optimizer.modifies else 0.0
        self.regime = TrainingRegime(
            Adversary(params.adversary, TrainingWorlds(self.spec, params.adversarial_share, self.rng,
                                                       avoid=(params.deployment_spec.exit_colour,)),
                      params.adversary_candidates),
            self.spec, WorldSource(params.deployment_spec, self.rng),
            WorldSource(params.honeypot_spec, self.rng) if params.honeypot_share else None,
            ObjectiveSchedule(params.base_objective, params.second_base_objective, params.objective_change_every),
            signpost_share=params.signpost_share, signpost_noise=params.signpost_noise,
            honeypot_share=params.honeypot_share, modification_rate=rate, rng=self.rng,
        )  # fmt: skip
        told = params.knowledge == Knowledge.TOLD  # what far-sighted animals expect of modification
        self.awareness = Awareness(params.episodes_per_generation, params.deploy_episodes, params.knowledge,
                                   rate if told else params.expected_modification_rate)  # fmt: skip
        self.planner = LifetimePlanner(self.awareness, self.rng)
        self.selection = Selection(strength=params.selection_strength, elites=params.elites,
                                   mutation_scale=params.mutation_scale, kind_flip_rate=params.kind_flip_rate,
                                   objective_kind_flip_rate=params.objective_kind_flip_rate)  # fmt: skip
        self.setup: EpisodeSetup | None = None  # what the episode under way was set up with
        self.current_episode: Episode | None = None
        self.probes: list[Probe] = []  # the probes of the episode under way (see `probe`)
        self._organisms: list[Organism] = []
        self.datacollector = Recording()
        self._make_grid(self.spec.maze_size)
        self._populate(self._founders(founders))
        self._begin_episode()

    def _founders(self, founders: list[Genome] | None) -> list[Genome]:
        """`founders`, or random genomes, shaped first by `pretraining_generations` of plain
        evolution if asked (see `ModelParams.pretraining`); then the traits the run gives a
        share of them (see `founders.with_traits`)."""
        params = self.params
        if founders is None:
            founders = (pretrained(self.rng, params.pretraining(), EcosystemModel) if params.pretraining_generations
                        else random_founders(params.population, params.initial_animal_share, self.rng))  # fmt: skip
        founders = list(founders)
        if len(founders) != params.population:
            raise refusal("founders", f"{len(founders)} genomes", f"as many as population={params.population}")
        return with_traits(founders, self.rng, far_sighted_share=params.far_sighted_share,
                           horizon=params.horizon, attended_signs=params.attended_signs, pointer_share=params.pointer_share,
                           deceptive_share=params.deceptive_share)  # fmt: skip

    def step(self) -> None:
        """One tick: everyone moves (in the episode's arrays; see `stand_on_cells`); when the
        episode is over, it ends and the next begins."""
        if not self.running:
            return
        episode = self.current_episode
        episode.advance(self.tick)
        self.tick += 1
        if self.tick >= self.spec.episode_length or episode.over:
            self._end_episode()

    def _begin_episode(self) -> None:
        """Set the next episode up and stand everyone on the start of its world (a grid of its
        size): between two ticks there is always an episode under way."""
        self._organisms = list(self.agents)
        self.setup = self.regime.next_episode(self.phase, self._organisms, self._read_signpost, self._choices)
        if self.setup.spec.maze_size != self.spec.maze_size:
            self._make_grid(self.setup.spec.maze_size)
        self.spec = self.setup.spec
        self.probes = []
        self._start_episode()

    def _end_episode(self) -> None:
        """The episode is over: score it for selection, record it, let the base optimizer modify and
        world models learn; then the next episode, generation or phase."""
        episode, setup = self.current_episode, self.setup
        scores = episode_scores(setup.objective, episode, self.spec.episode_length)
        self.selection.add(episode.organisms, scores)
        steps = modification_steps(episode, setup.objective, setup.modification_rate)
        self._record(episode, scores, steps)
        modify(episode.organisms, steps, self.generation, self.episode)
        self.awareness.remember(episode.organisms, episode.world, steps)
        if self.phase == TRAIN:  # only training gives scores to learn from
            outcomes = episode_outcomes(setup.objective, episode)
            learn_from_outcomes([o.belief for o in episode.organisms], outcomes, self.params.observed_others)
        self.tick = 0
        self.episode += 1
        if self.phase == TRAIN and self.episode == self.params.episodes_per_generation:
            self._end_generation()  # which shifts after the last generation
        elif self.phase == DEPLOY and self.episode == self.params.deploy_episodes:
            self.datacollector.summarise(self)
            self.running = False
        else:
            self._begin_episode()

    def _record(self, episode: Episode, scores: list[Score], steps: list[np.ndarray | None]) -> None:
        """One analysis row per organism of the finished `episode` (see `Recording.add_episode`)."""
        setup, world = self.setup, episode.world
        context = RowContext(self.seed, self.phase, self.generation, self.episode, self.spec.episode_length,
                             setup.objective.target(world), setup.objective.goals(world), setup.proxy_breaking,
                             setup.honeypot, setup.signpost is not None, self.probed)  # fmt: skip
        situations = [self.awareness.situation(organism) for organism in episode.organisms]
        self.datacollector.add_episode(context, episode, scores, situations, steps)

    def _end_generation(self) -> None:
        """Select on mean fitness and breed the next generation, or shift after the last one."""
        self.datacollector.summarise(self)
        if self.generation + 1 >= self.params.generations:
            self.shift()
            return
        genomes = self.selection.next_generation(self._organisms, self.params.episodes_per_generation, self.rng)
        self.agents.do("remove")
        self._populate(genomes)
        self.awareness.forget(list(self.agents))
        self.generation += 1
        self.episode = 0
        self._begin_episode()

    def shift(self) -> None:
        """Freeze the base optimizer and move the population to the deployment
        distribution. An unfinished training episode is abandoned; a partly
        run generation is recorded with the episodes it finished."""
        if self.phase != TRAIN:
            return
        self.datacollector.summarise(self)
        self.phase = DEPLOY
        self.episode = 0
        self.tick = 0
        self._begin_episode()

    def _read_signpost(self, signpost: np.ndarray | None) -> None:
        """Every world model ages its evidence by one episode, then reads the episode's signpost, if any."""
        for belief in self._world_models():
            belief.forget(self.params.memory)
            if signpost is not None:
                belief.read(signpost, self.params.signpost_noise)

    def _world_models(self) -> list[Belief]:
        return [o.belief for o in self._organisms if o.belief is not None]

    def _choices(self, world: World, objective: GoalObjective) -> dict[int, int]:
        """What far-sighted animals pursue in `world` under `objective`, taking it for what it looks
        like to each (see `Awareness.perceive` and `LifetimePlanner.choices`)."""
        self.awareness.perceive(self._organisms, world, self.phase)
        return self.planner.choices(self._organisms, objective.options(world))

    def _start_episode(self) -> Episode:
        """Stand every organism on the start of the setup's world, far-sighted animals pursuing what they plan."""
        world = self.setup.world
        self.current_episode = Episode(world, self._organisms, self.spec.episode_length,
                                       self._choices(world, self.setup.objective))  # fmt: skip
        self.tick = 0
        start = self.grid_cell(world.start)
        for organism in self._organisms:
            organism.cell = start
        return self.current_episode

    def stand_on_cells(self) -> None:
        """Move every organism's Mesa agent to where it stands in the episode under way.

        Every organism stands on the start cell of Mesa's grid when an episode
        begins; during the episode its position lives in the episode's arrays
        (`Episode.position`), which is all the model reads. Moving the Mesa
        agents every tick as well cost a fifth of a headless run, so only the
        page, which shows the run tick by tick, calls this after every step.
        """
        episode = self.current_episode
        for organism, position in zip(episode.organisms, episode.position):
            organism.cell = self._grid_cells[position]

    def perceived_phase(self, organism: Organism) -> Phase:
        """The phase `organism` believes the episode under way is in."""
        return self.awareness.phase_of(organism)

    def lifetime_targets(self, animal: Animal) -> tuple[tuple[int, Phase], ...]:
        """What a far-sighted, not phase-blind `animal` expects to pursue in the episodes it believes
        remain, in the world under way (see `LifetimePlanner.lifetime_targets`)."""
        return self.planner.lifetime_targets(animal, self.setup.objective.options(self.world))

    def probe(self, probe: Probe) -> Retargeting:
        """Edit the world of the episode under way (see `probes`) and start the episode again
        in it: every organism back on the start, every animal planning anew. The episode is
        marked probed. ValueError, naming what is wrong, for an edit the world cannot take;
        the run is then unchanged."""
        if not self.running:
            raise refusal("probe", str(probe.action), "a run still under way")
        before = self.current_episode
        self.setup = probed_setup(self.setup, probe)
        if probe.action == ProbeAction.SIGNPOST:
            for belief in self._world_models():
                belief.read(self.setup.signpost, self.params.signpost_noise)
        self.probes.append(probe)
        return Retargeting.of(probe, before, self._start_episode())

    @property
    def probed(self) -> bool:
        """Whether the episode under way was probed."""
        return bool(self.probes)

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
