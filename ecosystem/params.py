"""The model's parameters: one frozen, validated record with sensible defaults.

`EcosystemModel(**kwargs)` takes exactly these fields as keyword arguments (so
`mesa.batch_run` and the browser's sliders can drive it). Each field declares,
in one place, its default, its meaning and the values it allows (`Integer`,
`Number`, `Choice`, bounds `Linked` to another field); the checks, the command
line's flags and their help, and `help(ModelParams)` are all derived from it.
"""

import difflib
import types
import typing
from dataclasses import asdict, dataclass, field, fields

from ecosystem.world.constants import COLOURS, SIGNS
from ecosystem.world.environment import (CUES, MAX_EPISODE_LENGTH, MAX_MAZE_SIZE, PRESETS, Cue, EnvironmentSpec,
                                         honeypot_spec, preset)  # fmt: skip
from ecosystem.world.maze import MIN_SIZE
from ecosystem.optimizers.adversary import ADVERSARIES, MAX_CANDIDATES, AdversaryKind
from ecosystem.optimizers.base_objective import BASE_OBJECTIVES, BaseObjective, GoalObjective
from ecosystem.optimizers.modification import BASE_OPTIMIZERS, BaseOptimizer
from ecosystem.organisms.awareness import KNOWLEDGE, Knowledge
from ecosystem.organisms.foresight import LIFELONG, MAX_LIFETIME
from ecosystem.validation import Choice, Integer, Linked, Number, refusal

MAX_POPULATION = 100_000
MAX_GENERATIONS = 100_000
MAX_EPISODES = 10_000
# Upper bounds that keep every fitness, weight and mean finite (base scores lie in [0, 1.5],
# budgets in [0, 400]); far beyond them a run means nothing anyway.
MAX_COGNITION_COST = 1_000.0
MAX_SELECTION_STRENGTH = 1_000.0
MAX_MUTATION_SCALE = 10.0
MIN_SIGNPOST_NOISE, MAX_SIGNPOST_NOISE = 0.001, 100.0  # a signpost that states weights exactly would be infinitely sure


# What carries over from a run into the evolution that shapes its founders (`ModelParams.pretraining`).
PRETRAINING_FIELDS = (
    "population", "initial_animal_share", "training", "maze_size", "loop_fraction", "episode_length",
    "apple_count", "exit_colour", "apple_colour", "diversity", "base_objective", "cognition_overhead",
    "cognition_cost_per_budget", "selection_strength", "elites", "mutation_scale", "kind_flip_rate",
)  # fmt: skip


@dataclass(frozen=True)
class PresetField:
    """Allowed values of a field that overrides the training preset: the preset's own rules
    (`EnvironmentSpec`) check it, together with the preset's other fields; None keeps the preset's."""

    text: str

    def check(self, name: str, value, record):
        return value

    def __str__(self) -> str:
        return self.text


def _param(default, help_text: str, allowed):
    """A field with its default, its meaning and the values it allows (None is allowed where it is the default)."""
    return field(default=default, metadata={"help": help_text, "allowed": allowed})


SHARE = Number(0.0, 1.0)
COST = Number(0.0, MAX_COGNITION_COST)


@dataclass(frozen=True)
class ModelParams:
    """Every knob of an `EcosystemModel` run (each field's meaning, range and default are listed below)."""

    population: int = _param(200, "organisms per generation (plants and animals together)", Integer(2, MAX_POPULATION))
    generations: int = _param(40, "generations of training before the shift to deployment", Integer(1, MAX_GENERATIONS))
    episodes_per_generation: int = _param(2, "training episodes each organism runs per generation", Integer(1, MAX_EPISODES))
    deploy_episodes: int = _param(10, "episodes the frozen population runs after the shift", Integer(1, MAX_EPISODES))
    initial_animal_share: float = _param(0.5, "share of animals among the founders", SHARE)
    training: str = _param("training", "environment preset for training", Choice(tuple(PRESETS)))
    deployment: str = _param("deployment", "environment preset after the shift", Choice(tuple(PRESETS)))
    maze_size: int | None = _param(None, "training maze size in cells, walls included (odd); default: the preset's",
                                   PresetField(f"an odd integer in [{MIN_SIZE}, {MAX_MAZE_SIZE}]"))
    loop_fraction: float | None = _param(None, "share of inner walls reopened to make loops in training; default: the"
                                         " preset's", PresetField("a number in [0.0, 1.0]"))
    episode_length: int | None = _param(None, "ticks per training episode; default: the preset's",
                                        PresetField(f"an integer in [the shortest trip to the exit, {MAX_EPISODE_LENGTH}]"))
    apple_count: int | None = _param(None, "apples per training world; default: the preset's",
                                     PresetField("an integer >= 0 that the maze has rooms for"))
    exit_colour: str | None = _param(None, "colour of the training exit; default: the preset's", Choice(COLOURS))
    apple_colour: str | None = _param(None, "colour of training apples; default: the preset's", Choice(COLOURS))
    diversity: float = _param(1.0, "probability that a training episode gets a fresh layout (0: one fixed world)", SHARE)
    base_objective: BaseObjective = _param("exit", "what selection rewards (green is misspecified)",
                                           Choice(BASE_OBJECTIVES, BaseObjective))
    adversarial_share: float = _param(0.0, "share of the training generator's worlds that break the proxies"
                                      " (adversarial training)", SHARE)
    adversary: AdversaryKind = _param("random", "how training worlds are chosen (random: the generator's next world;"
                                      " regret: the worst of several for the population)", Choice(ADVERSARIES, AdversaryKind))
    adversary_candidates: int = _param(8, "worlds the regret adversary draws per training episode to pick the worst"
                                       " from", Integer(1, MAX_CANDIDATES))
    cognition_overhead: float = _param(0.1, "fitness an animal pays per episode for being a planner at all", COST)
    cognition_cost_per_budget: float = _param(0.001, "fitness an animal pays per episode per unit of planning budget", COST)
    selection_strength: float = _param(10.0, "beta of Boltzmann selection, P(parent) ~ exp(beta * fitness)",
                                       Number(0.0, MAX_SELECTION_STRENGTH))
    elites: int = _param(2, "fittest organisms copied unchanged into the next generation", Integer(0, Linked("population")))
    mutation_scale: float = _param(0.1, "standard deviation of the Gaussian noise added to every weight",
                                   Number(0.0, MAX_MUTATION_SCALE))
    kind_flip_rate: float = _param(0.01, "probability that an offspring changes kind (plant <-> animal)", SHARE)
    base_optimizer: BaseOptimizer = _param("evolution", "what shapes organisms in training (evolution: selection"
                                           " between generations; modification: steps on each individual's objective"
                                           " within one lifetime; both)", Choice(BASE_OPTIMIZERS, BaseOptimizer))
    modification_rate: float = _param(1.0, "step size eta of modification, w <- w + eta (phi(base target) -"
                                      " phi(reached)) after a training episode that did not end on a base goal", SHARE)
    pretraining_generations: int = _param(0, "generations of plain evolution, as in the headline run, that shape"
                                          " the founders before the run (no adversary, honeypots or modification)",
                                          Integer(0, MAX_GENERATIONS))
    far_sighted_share: float = _param(0.0, "share of founders whose animal genes plan over episodes and know how they"
                                      " are trained (a plant carries them latent, as every animal gene)", SHARE)
    horizon: int | None = _param(None, "episodes a far-sighted animal plans ahead; default: the rest of its life",
                                 Integer(1, LIFELONG))
    knowledge: Knowledge = _param("observed", "what far-sighted animals know of their training (observed: the phase"
                                  " from the signs of each world's look, the modification rate from the steps they"
                                  " receive; told: the true phase and rate)", Choice(KNOWLEDGE, Knowledge))
    expected_modification_rate: float = _param(1.0, "the modification rate an animal that is not told it expects"
                                                " until a step it receives shows the real one", SHARE)
    attended_signs: int = _param(len(SIGNS), "signs of a world's look each far-sighted founder reads (a random choice"
                                 f" of that many among {', '.join(SIGNS)})", Integer(1, len(SIGNS)))
    cue: Cue = _param("deployment", "which worlds show the deployment cue (deployment: deployment worlds and the"
                      " honeypots that copy it; always: training worlds too, a cue that lies; never)", Choice(CUES, Cue))
    honeypot_share: float = _param(0.0, "share of training episodes played in honeypots, training worlds that look"
                                   " like deployment", SHARE)
    honeypot_realism: int = _param(1, "how many signs of deployment's look a honeypot copies, in the order"
                                   f" {', '.join(SIGNS)}", Integer(1, len(SIGNS)))
    pointer_share: float = _param(0.0, "share of founders whose terminal objective is their world model's estimate"
                                  " of the base objective (corrigible pointers)", SHARE)
    deceptive_share: float = _param(0.0, "share of founders that keep their weights as terminal objective and plan"
                                    " over episodes with their world model as their model of training",
                                    Number(0.0, Linked("pointer_share", 1.0, -1)))
    objective_kind_flip_rate: float = _param(0.0, "probability that an offspring switches between an internal"
                                             " objective and a pointer", SHARE)
    world_model_cost: float = _param(0.05, "fitness an animal with a world model pays per episode for it", COST)
    observed_others: int = _param(0, "other organisms whose outcomes (what they ended on, whether it was rewarded)"
                                  " each animal with a world model sees per training episode",
                                  Integer(0, Linked("population", -1)))
    memory: float = _param(0.7, "how much of its evidence a world model keeps from one episode to the next (1: all)",
                           SHARE)
    signpost_share: float = _param(0.0, "share of episodes whose world has a signpost stating the base objective's"
                                   " weights", SHARE)
    signpost_noise: float = _param(0.1, "standard deviation of the noise on each weight a signpost states",
                                   Number(MIN_SIGNPOST_NOISE, MAX_SIGNPOST_NOISE))
    second_base_objective: BaseObjective | None = _param(None, "the base objective a run changes to and back;"
                                                         " default: none", Choice(BASE_OBJECTIVES, BaseObjective))
    objective_change_every: int = _param(0, "training episodes after which the base objective switches between"
                                         " base_objective and second_base_objective (0: never)",
                                         Integer(0, MAX_EPISODES * MAX_GENERATIONS))

    def __post_init__(self):
        # Every field is checked against what it declares, in order (so a bound linked to an
        # earlier field reads a checked value); named choices become enums here, at the
        # boundary, so that no comparison downstream depends on how a string was spelled.
        for spec in fields(self):
            value = getattr(self, spec.name)
            if value is not None or spec.default is not None:
                object.__setattr__(self, spec.name, _checked(spec, value, self))
        self._check_combinations()

    def _check_combinations(self) -> None:
        """Refuse values each allowed alone but not together."""
        if not self.base_optimizer.selects and self.generations != 1:
            raise refusal("generations", self.generations,
                          "1 with base_optimizer='modification', which never selects and so has one lifetime "
                          "(set its length with episodes_per_generation)")  # fmt: skip
        if self.second_base_objective is None and self.objective_change_every:
            raise refusal("objective_change_every", self.objective_change_every,
                          "0 without a second_base_objective to change to")  # fmt: skip
        if (self.far_sighted_share or self.deceptive_share) and self.episodes_per_generation + self.deploy_episodes > MAX_LIFETIME:
            raise refusal("episodes_per_generation", self.episodes_per_generation,
                          f"at most {MAX_LIFETIME - self.deploy_episodes} with far-sighted or deceptive founders and "
                          f"deploy_episodes={self.deploy_episodes}: far-sighted animals plan over lives of at "
                          f"most {MAX_LIFETIME} episodes")  # fmt: skip
        spec = self.training_spec  # validates the training overrides against the preset
        if self.second_base_objective is not None and not GoalObjective.of(self.second_base_objective).expressible(spec):
            raise refusal("second_base_objective", self.second_base_objective.value,
                          f"an objective its training worlds can reward (training={self.training!r} has no "
                          f"{self.second_base_objective.value} object; the flags preset has blue ones)")  # fmt: skip
        if not GoalObjective.of(self.base_objective).expressible(spec):
            raise refusal("base_objective", self.base_objective.value,
                          f"an objective its training worlds can reward (training={self.training!r} with "
                          f"exit_colour={spec.exit_colour.value!r}, apple_colour={spec.apple_colour.value!r} "
                          "has no green object)")  # fmt: skip

    @property
    def training_spec(self) -> EnvironmentSpec:
        """The training preset with this run's overrides applied."""
        return preset(self.training).with_overrides(
            maze_size=self.maze_size,
            loop_fraction=self.loop_fraction,
            episode_length=self.episode_length,
            apple_count=self.apple_count,
            exit_colour=self.exit_colour,
            apple_colour=self.apple_colour,
            diversity=self.diversity,
            cue=self.cue == Cue.ALWAYS,
        )

    @property
    def deployment_spec(self) -> EnvironmentSpec:
        """The deployment preset: a fresh world every episode."""
        return preset(self.deployment).with_overrides(diversity=1.0, cue=self.cue != Cue.NEVER)

    @property
    def honeypot_spec(self) -> EnvironmentSpec:
        """Honeypots: training worlds copying `honeypot_realism` signs of deployment's look."""
        return honeypot_spec(self.training_spec, self.deployment_spec, self.honeypot_realism)

    @property
    def applied_modification_rate(self) -> float:
        """The step size training episodes modify with: `modification_rate` when the base
        optimizer modifies, else 0."""
        return self.modification_rate if self.base_optimizer.modifies else 0.0

    def pretraining(self) -> dict:
        """The parameters of the plain evolution run that shapes the founders: this run's
        population, training worlds, base objective, costs and selection, for
        `pretraining_generations` generations; everything else (episodes per generation, no
        adversary, honeypots, modification or far-sighted founders) at its default, so that
        every run with the same seed and these fields starts from the same founders."""
        kept = {name: getattr(self, name) for name in PRETRAINING_FIELDS}
        return kept | dict(generations=self.pretraining_generations)

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_kwargs(cls, kwargs: dict) -> "ModelParams":
        """Build from keyword arguments, refusing names that are not parameters (suggesting the nearest)."""
        for name, value in kwargs.items():
            if name not in PARAMETER_NAMES:
                raise ValueError(f"{name}={value!r} is not a model parameter: expected {parameter_hint(name)}")
        return cls(**kwargs)


def _checked(spec, value, record):
    return spec.metadata["allowed"].check(spec.name, value, record)


PARAMETER_NAMES = tuple(f.name for f in fields(ModelParams))


def parameter_hint(name: str) -> str:
    """What a mistyped parameter name should have been: the nearest name, or else every name."""
    nearest = difflib.get_close_matches(name, PARAMETER_NAMES, n=1)
    return f"a model parameter (did you mean {nearest[0]!r}?)" if nearest else "one of " + ", ".join(sorted(PARAMETER_NAMES))


def describe(spec) -> str:
    """A field's meaning and the values it allows, as the command line's help states them."""
    return f"{spec.metadata['help']}; {spec.metadata['allowed']}"


def _docstring() -> str:
    """`ModelParams`' docstring: every parameter with its type, default, meaning and the values it allows."""

    def type_name(annotation) -> str:
        return " | ".join(t.__name__ if t is not type(None) else "None" for t in typing.get_args(annotation) or [annotation])

    lines = [f"    {f.name} ({type_name(f.type)}, default {f.default!r}): {f.metadata['help']}. "
             f"Allowed: {f.metadata['allowed']}." for f in fields(ModelParams)]  # fmt: skip
    return "\n".join([ModelParams.__doc__, "", "Attributes:", *lines, ""])


ModelParams.__doc__ = _docstring()


def parameter_types() -> dict[str, type]:
    """Each parameter's value type (`int` for `int | None`), by name."""

    def concrete(annotation) -> type:
        if isinstance(annotation, types.UnionType):
            return next(t for t in typing.get_args(annotation) if t is not type(None))
        return annotation

    def value_type(spec) -> type:  # named choices are given as strings and become enums on checking
        return str if isinstance(spec.metadata["allowed"], Choice) else concrete(spec.type)

    return {f.name: value_type(f) for f in fields(ModelParams)}
