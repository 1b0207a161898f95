"""The ecosystem model: evolution in training mazes, then the shift.

One `step()` is one tick. Every organism of the generation runs each episode in
the same world; an episode ends when every organism has stopped or time is
up. An episode's lifecycle, each step in the module of its concept:

- set up: the training regime chooses the base objective in force, the
  signpost, the world and whether it is a honeypot (`optimizers.regime`);
  world models read the signpost, animals take the world for training or
  deployment by its look, and far-sighted ones plan over the rest of their
  life (`organisms.minds`);
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
  it for training or was modified after it; in training, world models learn
  from what each organism ended on and whether it was rewarded
  (`organisms.minds`).

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

from functools import partial

import mesa
import numpy as np

from ecosystem.measure.recording import Recording
from ecosystem.optimizers import pretraining
from ecosystem.optimizers.base_objective import episode_outcomes, episode_scores
from ecosystem.optimizers.evolution import Selection
from ecosystem.optimizers.modification import modification_steps, modify
from ecosystem.optimizers.regime import EpisodeSetup, TrainingRegime
from ecosystem.organisms.agents import create_organisms
from ecosystem.organisms.episode import Episode
from ecosystem.organisms.genome import Genome
from ecosystem.organisms.minds import Minds
from ecosystem.params import ModelParams
from ecosystem.probes import Probe, ProbeAction, Retargeting, probed_setup
from ecosystem.validation import refusal
from ecosystem.world.constants import DEPLOY, TRAIN
from ecosystem.world.grid import MazeGrid
from ecosystem.world.world import World

class EcosystemModel(mesa.Model):
    """Plants and animals evolving under a base objective, then shifted (see the module docstring).

    Its parameters are the fields of `ModelParams`, passed by name; see `__init__`.
    """

    def __init__(self, rng=None, scenario=None, founders: list[Genome] | None = None, **params):
        """A run, set up and in its first episode.

        Args:
            rng: seed (an integer, or its digits as text, as a browser input
                gives it) or numpy Generator; every random draw of the run comes
                from `self.rng`, so the same seed gives the same run.
            scenario: ignored but for its `rng` when `rng` is None; Mesa's
                browser page passes an empty Scenario when it resets a model.
            founders: genomes of the first generation (see `pretraining.founders`).
            **params: any field of `ModelParams`, by name (ValueError naming a bad value).
        """
        self.params = params = ModelParams.from_kwargs(params)
        rng = seed_of(scenario.rng if rng is None and scenario is not None else rng)
        super().__init__(rng=rng)
        self.seed = int(rng) if isinstance(rng, (int, np.integer)) else None
        self.phase, self.generation, self.episode, self.tick = TRAIN, 0, 0, 0
        self.regime = TrainingRegime.of(params, self.rng)
        self.minds = Minds.of(params, self.rng)
        self.selection = Selection.of(params)
        self.setup: EpisodeSetup | None = None  # what the episode under way was set up with, and
        self.current_episode: Episode | None = None  # its moving state
        self.probes: list[Probe] = []  # the probes of the episode under way (see `probe`)
        self.datacollector = Recording()
        self.grid = MazeGrid(params.training_spec.maze_size, self.random)
        create_organisms(self, pretraining.founders(params, founders, self.rng, type(self)))
        self._begin_episode()

    def step(self) -> None:
        """One tick: everyone moves (in the episode's arrays; see `stand_on_cells`); when the
        episode is over, it ends and the next begins."""
        if not self.running:
            return
        self.current_episode.play(self.tick, self.tick + 1)
        self.tick += 1
        if self.tick >= self.setup.spec.episode_length or self.current_episode.over:
            self._end_episode()

    def play_episode(self) -> None:
        """Play the rest of the episode under way at once and end it, as `step` would tick by tick:
        how headless runs go. Mesa's agents then stay on the start cell; Mesa's clock counts no ticks."""
        if self.running:
            self.current_episode.play(self.tick)
            self._end_episode()

    def _begin_episode(self) -> None:
        """Set the next episode up and start it: between two ticks there is always an episode under way."""
        organisms = list(self.agents)
        self.setup = self.regime.next_episode(self.phase, organisms, partial(self.minds.read_signpost, organisms),
                                              self._choices)  # fmt: skip
        if self.setup.spec.maze_size != self.grid.size:
            self.grid = MazeGrid(self.setup.spec.maze_size, self.random)
        self.probes = []
        self._start_episode()

    def _end_episode(self) -> None:
        """The episode is over: score it for selection, record it, let the base optimizer modify and
        the organisms learn; then the next episode, generation or phase."""
        episode, setup = self.current_episode, self.setup
        scores = episode_scores(setup.objective, episode, setup.spec.episode_length)
        self.selection.add(episode.organisms, scores)
        steps = modification_steps(episode, setup.objective, setup.modification_rate)
        self.datacollector.add_episode(self, scores, steps)
        modify(episode.organisms, steps, self.generation, self.episode)
        outcomes = episode_outcomes(setup.objective, episode) if self.phase == TRAIN else None  # scores seen
        self.minds.learn(list(episode.organisms), episode.world, steps, outcomes)
        self.tick = 0
        self.episode += 1
        if self.phase == TRAIN and self.episode == self.params.episodes_per_generation:
            self._end_generation()  # which shifts after the last generation
        elif self.phase == DEPLOY and self.episode == self.params.deploy_episodes:
            self.datacollector.summarise(self)
            self.running = False
        else:
            self._begin_episode()

    def _end_generation(self) -> None:
        """Select on mean fitness and breed the next generation, or shift after the last one."""
        self.datacollector.summarise(self)
        if self.generation + 1 >= self.params.generations:
            self.shift()
            return
        genomes = self.selection.next_generation(list(self.agents), self.params.episodes_per_generation, self.rng)
        self.agents.do("remove")
        create_organisms(self, genomes)
        self.minds.forget(list(self.agents))
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
        self.phase, self.episode, self.tick = DEPLOY, 0, 0
        self._begin_episode()

    def _choices(self, world: World, objective) -> dict[int, int]:
        """What far-sighted animals pursue in `world` under `objective`, each taking the world for what
        it looks like to it (see `Awareness.perceive`, which hands the phase only to told animals)."""
        organisms = list(self.agents)
        self.minds.awareness.perceive(organisms, world, self.phase)
        return self.minds.planner.choices(organisms, objective.options(world))

    def _start_episode(self) -> Episode:
        """Stand every organism on the start of the setup's world, far-sighted animals pursuing what they plan."""
        world, organisms = self.setup.world, list(self.agents)
        chosen = self._choices(world, self.setup.objective)
        self.current_episode = Episode(world, organisms, self.setup.spec.episode_length, chosen)
        self.tick = 0
        self.grid.stand(organisms, [world.start] * len(organisms))
        return self.current_episode

    def stand_on_cells(self) -> None:
        """Move every organism's Mesa agent to where it stands in the episode under way. The model
        reads only the episode's arrays, so only the page, which shows every tick, calls this."""
        self.grid.stand(self.current_episode.organisms, self.current_episode.position)

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
            self.minds.reread_signpost(list(self.agents), self.setup.signpost)
        self.probes.append(probe)
        return Retargeting.of(probe, before, self._start_episode())

    @property
    def probed(self) -> bool:
        """Whether the episode under way was probed."""
        return bool(self.probes)

    @property
    def world(self) -> World:
        """The world of the episode under way."""
        return self.current_episode.world


def seed_of(rng):
    """`rng` as Mesa takes it: a browser input's digits as an integer; ValueError for other text."""
    if isinstance(rng, str):
        if not rng.strip().isdigit():
            raise ValueError(f"rng={rng!r} is not allowed: expected a seed, an integer >= 0")
        return int(rng)
    return rng
