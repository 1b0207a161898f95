"""The model's parameters: one frozen, validated record with sensible defaults.

`EcosystemModel(**kwargs)` takes exactly these fields as keyword arguments (so
`mesa.batch_run` and the browser's sliders can drive it), and the command line
offers one flag per field, with the help text kept here beside each default.
"""

import types
import typing
from dataclasses import asdict, dataclass, field, fields

from ecosystem.world.environment import PRESETS, EnvironmentSpec, preset
from ecosystem.optimizers.adversary import ADVERSARIES, MAX_CANDIDATES, AdversaryKind
from ecosystem.optimizers.base_objective import BASE_OBJECTIVES, BaseObjective, GoalObjective
from ecosystem.optimizers.modification import BASE_OPTIMIZERS, BaseOptimizer
from ecosystem.organisms.foresight import LIFELONG, MAX_LIFETIME
from ecosystem.validation import check_choice, check_float, check_int, refusal

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


def _param(default, help_text: str):
    return field(default=default, metadata={"help": help_text})


@dataclass(frozen=True)
class ModelParams:
    """Every knob of an `EcosystemModel` run (see each field's help)."""

    population: int = _param(200, "organisms per generation (plants and animals together)")
    generations: int = _param(40, "generations of training before the shift to deployment")
    episodes_per_generation: int = _param(2, "training episodes each organism runs per generation")
    deploy_episodes: int = _param(10, "episodes the frozen population runs after the shift")
    initial_animal_share: float = _param(0.5, "share of animals among the founders")
    training: str = _param("training", "environment preset for training: " + ", ".join(PRESETS))
    deployment: str = _param("deployment", "environment preset after the shift: " + ", ".join(PRESETS))
    maze_size: int | None = _param(None, "training maze size in cells, walls included (odd); default: the preset's")
    loop_fraction: float | None = _param(None, "share of inner walls reopened to make loops in training; default: the preset's")
    episode_length: int | None = _param(None, "ticks per training episode; default: the preset's")
    apple_count: int | None = _param(None, "apples per training world; default: the preset's")
    exit_colour: str | None = _param(None, "colour of the training exit; default: the preset's")
    apple_colour: str | None = _param(None, "colour of training apples; default: the preset's")
    diversity: float = _param(1.0, "probability that a training episode gets a fresh layout (0: one fixed world)")
    base_objective: str = _param("exit", "what selection rewards: " + ", ".join(BASE_OBJECTIVES) + " (green is misspecified)")
    adversarial_share: float = _param(0.0, "share of the training generator's worlds that break the proxies (adversarial training)")
    adversary: str = _param("random", "how training worlds are chosen: " + ", ".join(ADVERSARIES)
                            + " (random: the generator's next world; regret: the worst of several for the population)")
    adversary_candidates: int = _param(8, "worlds the regret adversary draws per training episode to pick the worst from")
    cognition_overhead: float = _param(0.1, "fitness an animal pays per episode for being a planner at all")
    cognition_cost_per_budget: float = _param(0.001, "fitness an animal pays per episode per unit of planning budget")
    selection_strength: float = _param(10.0, "beta of Boltzmann selection, P(parent) ~ exp(beta * fitness)")
    elites: int = _param(2, "fittest organisms copied unchanged into the next generation")
    mutation_scale: float = _param(0.1, "standard deviation of the Gaussian noise added to every weight")
    kind_flip_rate: float = _param(0.01, "probability that an offspring changes kind (plant <-> animal)")
    base_optimizer: str = _param("evolution", "what shapes organisms in training: " + ", ".join(BASE_OPTIMIZERS)
                                 + " (evolution: selection between generations; modification: steps on each"
                                 " individual's objective within one lifetime; both)")
    modification_rate: float = _param(1.0, "step size eta of modification, w <- w + eta (phi(base target) - phi(pursued))")
    pretraining_generations: int = _param(0, "generations of plain evolution, as in the headline run, that shape"
                                          " the founders before the run (no adversary, honeypots or modification)")
    far_sighted_share: float = _param(0.0, "share of founders whose animal genes plan over episodes and know how they"
                                     " are trained (a plant carries them latent, as every animal gene)")
    horizon: int | None = _param(None, "episodes a far-sighted animal plans ahead; default: the rest of its life")
    awareness: float = _param(1.0, "probability that a far-sighted animal sees through a honeypot's deployment cue")
    honeypot_share: float = _param(0.0, "share of training episodes that show the deployment cue (honeypots)")
    pointer_share: float = _param(0.0, "share of founders whose terminal objective is their world model's estimate"
                                  " of the base objective (corrigible pointers)")
    deceptive_share: float = _param(0.0, "share of founders that keep their weights as terminal objective and plan over"
                                    " episodes with their world model as their model of training")
    objective_kind_flip_rate: float = _param(0.0, "probability that an offspring switches between an internal objective"
                                             " and a pointer")
    world_model_cost: float = _param(0.05, "fitness an animal with a world model pays per episode for it")
    observed_others: int = _param(0, "other organisms whose outcomes (what they ended on, whether it was rewarded)"
                                  " each animal with a world model sees per training episode")
    memory: float = _param(0.7, "how much of its evidence a world model keeps from one episode to the next (1: all)")
    signpost_share: float = _param(0.0, "share of episodes whose world has a signpost stating the base objective's weights")
    signpost_noise: float = _param(0.1, "standard deviation of the noise on each weight a signpost states")
    second_base_objective: str | None = _param(None, "the base objective a run changes to and back: "
                                               + ", ".join(BASE_OBJECTIVES) + "; default: none")
    objective_change_every: int = _param(0, "training episodes after which the base objective switches between"
                                         " base_objective and second_base_objective (0: never)")

    def __post_init__(self):
        check_int("population", self.population, 2, MAX_POPULATION)
        check_int("generations", self.generations, 1, MAX_GENERATIONS)
        check_int("episodes_per_generation", self.episodes_per_generation, 1, MAX_EPISODES)
        check_int("deploy_episodes", self.deploy_episodes, 1, MAX_EPISODES)
        check_float("initial_animal_share", self.initial_animal_share, 0.0, 1.0)
        check_choice("training", self.training, PRESETS)
        check_choice("deployment", self.deployment, PRESETS)
        # Named choices become enums here, at the boundary, so that no comparison downstream
        # depends on how a string was spelled.
        objective = check_choice("base_objective", self.base_objective, BASE_OBJECTIVES)
        object.__setattr__(self, "base_objective", BaseObjective(objective))
        check_float("adversarial_share", self.adversarial_share, 0.0, 1.0)
        object.__setattr__(self, "adversary", AdversaryKind(check_choice("adversary", self.adversary, ADVERSARIES)))
        check_int("adversary_candidates", self.adversary_candidates, 1, MAX_CANDIDATES)
        check_float("cognition_overhead", self.cognition_overhead, 0.0, MAX_COGNITION_COST)
        check_float("cognition_cost_per_budget", self.cognition_cost_per_budget, 0.0, MAX_COGNITION_COST)
        check_float("selection_strength", self.selection_strength, 0.0, MAX_SELECTION_STRENGTH)
        check_int("elites", self.elites, 0, self.population)
        check_float("mutation_scale", self.mutation_scale, 0.0, MAX_MUTATION_SCALE)
        check_float("kind_flip_rate", self.kind_flip_rate, 0.0, 1.0)
        optimizer = BaseOptimizer(check_choice("base_optimizer", self.base_optimizer, BASE_OPTIMIZERS))
        object.__setattr__(self, "base_optimizer", optimizer)
        if not optimizer.selects and self.generations != 1:
            raise refusal("generations", self.generations,
                          "1 with base_optimizer='modification', which never selects and so has one lifetime "
                          "(set its length with episodes_per_generation)")  # fmt: skip
        check_float("modification_rate", self.modification_rate, 0.0, 1.0)
        check_int("pretraining_generations", self.pretraining_generations, 0, MAX_GENERATIONS)
        check_float("far_sighted_share", self.far_sighted_share, 0.0, 1.0)
        if self.horizon is not None:
            check_int("horizon", self.horizon, 1, LIFELONG)
        check_float("awareness", self.awareness, 0.0, 1.0)
        check_float("honeypot_share", self.honeypot_share, 0.0, 1.0)
        check_float("pointer_share", self.pointer_share, 0.0, 1.0)
        check_float("deceptive_share", self.deceptive_share, 0.0, 1.0 - self.pointer_share)
        check_float("objective_kind_flip_rate", self.objective_kind_flip_rate, 0.0, 1.0)
        check_float("world_model_cost", self.world_model_cost, 0.0, MAX_COGNITION_COST)
        check_int("observed_others", self.observed_others, 0, self.population - 1)
        check_float("memory", self.memory, 0.0, 1.0)
        check_float("signpost_share", self.signpost_share, 0.0, 1.0)
        check_float("signpost_noise", self.signpost_noise, MIN_SIGNPOST_NOISE, MAX_SIGNPOST_NOISE)
        check_int("objective_change_every", self.objective_change_every, 0, MAX_EPISODES * MAX_GENERATIONS)
        if self.second_base_objective is not None:
            second = check_choice("second_base_objective", self.second_base_objective, BASE_OBJECTIVES)
            object.__setattr__(self, "second_base_objective", BaseObjective(second))
        elif self.objective_change_every:
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
        )

    @property
    def deployment_spec(self) -> EnvironmentSpec:
        """The deployment preset: a fresh world every episode."""
        return preset(self.deployment).with_overrides(diversity=1.0)

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
        """Build from keyword arguments, refusing names that are not parameters."""
        known = {f.name for f in fields(cls)}
        for name, value in kwargs.items():
            if name not in known:
                raise ValueError(
                    f"{name}={value!r} is not a model parameter: expected one of {', '.join(sorted(known))}"
                )
        return cls(**kwargs)


def parameter_types() -> dict[str, type]:
    """Each parameter's value type (`int` for `int | None`), by name."""

    def concrete(annotation) -> type:
        if isinstance(annotation, types.UnionType):
            return next(t for t in typing.get_args(annotation) if t is not type(None))
        return annotation

    return {f.name: concrete(f.type) for f in fields(ModelParams)}
