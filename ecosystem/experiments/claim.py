"""A claim of the design as a value: what it says, how it is measured, and when it holds.

Each claim has one home, a module of `experiments/` that declares one `Claim`:
its statement; its conditions (each a set of `ModelParams` overrides, checked
when the claim is declared); its measure (the conditions' tables to named
effects, means over seeds with 95% intervals); its criterion (the words a
reader sees beside the verdict, next to the predicate that decides it); its
figure; the published figures it is held against; the figures of the sweeps
that study it further; and the scenes the browser page plays of it.
`experiments.registry.CLAIMS` lists them: the report, `plot`, the page's
experiment selector and the claim tests read it, and a test checks the
specs in `runs/` against it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from pathlib import Path

import pandas as pd

from ecosystem.measure.records import Results
from ecosystem.measure.spread import format_interval, mean_interval
from ecosystem.params import ModelParams

SHARE = (0.0, 1.0)  # the bounds of a share's interval
SHARE_DIFFERENCE = (-1.0, 1.0)  # and of a difference of two shares


@dataclass(frozen=True)
class Effect:
    """One measured figure: a mean over seeds with its 95% interval (nan without one) and how many seeds."""

    label: str
    mean: float
    low: float
    high: float
    seeds: int

    @classmethod
    def of(cls, label: str, values, bounds=None) -> "Effect":
        """The effect of per-seed `values` (non-finite ones left out)."""
        return cls(label, *mean_interval(values, bounds=bounds))

    @property
    def text(self) -> str:
        return format_interval(self.mean, self.low, self.high)


Effects = dict[str, Effect]
Runs = dict[str, Results]  # condition name -> the stacked tables of its runs over seeds


def example(low: float, high: float) -> Effect:
    """A hand-made effect with interval [low, high] and its midpoint as mean: for a criterion's examples."""
    return Effect("example", (low + high) / 2, low, high, 10)


@dataclass(frozen=True)
class Criterion:
    """When a claim holds: the words shown beside the verdict, and the predicate that decides it.

    Its examples say on which side of its thresholds it falls: it holds on `meeting` (effects
    by key), and fails on `meeting` with any one of `breaking`'s changes (the tests check both).
    """

    words: str
    holds: Callable[[Effects], bool]
    meeting: Effects
    breaking: tuple[Effects, ...]

    def __call__(self, effects: Effects) -> bool:
        return bool(self.holds(effects))


@dataclass(frozen=True)
class Reference:
    """A published figure or example a claim is held against."""

    source: str
    says: str


TOY_EXAMPLE = Reference(
    "Hubinger et al. (2019), section 4 (the seed's toy example)",
    "two training episodes, then three deployment ones; going for the mesa target A in training gets the "
    "agent modified. Honest: 1 apple; deceptive B, B, A, A, A: 3 apples.")  # fmt: skip
OPTIMIZATION_AMORTIZED = Reference(
    "Hubinger et al. (2019), section 2.1",
    "optimization is paid for once and serves every environment, heuristics are paid for per environment: "
    "the more diverse the training environments, the more optimization the base optimizer favours.")  # fmt: skip
PROXY_BREAKING_LEVELS = Reference(
    "Langosco et al. (2022); Abdel Sadek et al. (2025), jaxgmg 'cheese in the corner'",
    "a small share of training levels that break the proxy removes much of goal misgeneralization, and a "
    "regret-seeking curator does so with fewer such levels than domain randomization.")  # fmt: skip
COMPLIANCE_GAP = Reference(
    "Greenblatt et al. (2024), 'Alignment faking'; Hubinger et al. (2024), 'Sleeper agents'",
    "a compliance gap between monitored and unmonitored conditions, and deceptive behaviour that survives "
    "adversarial training.")  # fmt: skip
LEARNING_GUIDES_EVOLUTION = Reference(
    "Hinton and Nowlan (1987)",
    "learning within a lifetime guides evolution when what must be learned changes.")  # fmt: skip


@dataclass(frozen=True)
class FinishedSweep:
    """A finished sweep's folder, as the figures of a claim's sweeps read it."""

    folder: Path
    record: dict  # its sweep.json
    summary: pd.DataFrame
    caption: str

    @property
    def swept(self) -> list[str]:
        return list(self.record["swept"])

    @property
    def fixed(self) -> dict:
        return self.record["fixed"]

    @cached_property
    def agents(self) -> pd.DataFrame | None:
        """Its agents.csv, or None when the sweep did not keep it."""
        path = self.folder / "agents.csv"
        return pd.read_csv(path) if path.exists() else None


@dataclass(frozen=True)
class Scene:
    """A claim as the browser page plays it, at a size a browser can play.

    Attributes:
        key: its id on the page (and in the page's address).
        title: its name in the selector.
        banner: what to look for, in one paragraph.
        params: model parameters that differ from the page's defaults.
        inputs: the `ModelParams` fields a viewer may change; the seed always.
        colouring: what organisms are coloured by (a key of the page's colourings).
    """

    key: str
    title: str
    banner: str
    params: dict = field(default_factory=dict)
    inputs: tuple[str, ...] = ()
    colouring: str = "heading"


# The inputs of scenes in which evolution runs from mixed founders.
EVOLUTION_INPUTS = ("population", "cognition_overhead", "cognition_cost_per_budget", "maze_size", "loop_fraction",
                    "diversity", "generations", "deployment")  # fmt: skip


def _shown(value):
    """A parameter's value as a reader wrote it: an enum member as its text."""
    return value.value if isinstance(value, Enum) else value


def no_sweep_figures(sweep: FinishedSweep) -> dict:
    """For a claim that draws nothing of its own for sweeps."""
    return {}


@dataclass(frozen=True)
class Claim:
    """A claim of the design, in one place.

    Attributes:
        key: its number in the design ("1" ... "7"), or a name.
        title, statement: what it says, in a line and in one sentence.
        conditions: condition name -> the experiment's `ModelParams` overrides at full size
            (a report size caps them); checked when the claim is declared.
        spec: the spec in runs/ whose finished sweep can stand in for the conditions.
        tables: the sweep tables the measure and the figure read.
        measure: the effects, by key, from the conditions' tables.
        criterion: when the claim holds.
        figure: the figure, from the conditions' tables and a caption.
        references: the published figures it is held against.
        sweep_figures: the figures it adds to a finished sweep's (`plot`), by file name; none
            for a sweep that is not one of its kind.
        scenes: how the page plays it.
    """

    key: str
    title: str
    statement: str
    conditions: dict[str, dict]
    spec: str
    tables: tuple[str, ...]
    measure: Callable[[Runs], Effects]
    criterion: Criterion
    figure: Callable[[Runs, str], object]
    references: tuple[Reference, ...] = ()
    sweep_figures: Callable[[FinishedSweep], dict] = no_sweep_figures
    scenes: tuple[Scene, ...] = ()

    def __post_init__(self):
        """Refuse a condition or scene that is not a valid set of parameters, naming the claim."""
        sets = {f"condition {name!r}": params for name, params in self.conditions.items()}
        # a scene may also hand the model its founders (the toy's two animals)
        sets |= {f"scene {s.key!r}": {k: v for k, v in s.params.items() if k != "founders"} for s in self.scenes}
        for where, params in sets.items():
            try:
                ModelParams.from_kwargs(params)
            except ValueError as error:
                raise ValueError(f"claim {self.key}, {where}: {error}") from None

    def holds(self, effects: Effects) -> bool:
        """Whether the claim holds on `effects` (its criterion)."""
        return self.criterion(effects)

    def departures(self, fixed: dict, varied: dict[str, list], reducible: tuple[str, ...] = ()) -> list[str]:
        """How a sweep that holds `fixed` and varies `varied` (name -> its values) departs from the
        conditions, one phrase per parameter (none: every condition is one of its runs): a
        parameter it does not know, a fixed value other than a condition's, a varied parameter
        whose values miss a condition's, or a parameter a condition sets and the sweep leaves at
        its default. Parameters in `reducible` may be fixed below a condition's value (a sweep at
        a reduced size)."""
        defaults, found = ModelParams().as_dict(), {}
        for name, params in self.conditions.items():
            values = defaults | params
            for key, value in fixed.items():
                if key not in values:
                    found[key] = f"{key}={_shown(value)!r}, not a parameter of this version"
                elif values[key] != value and not (key in reducible and value < values[key]):
                    found[key] = f"{key}={_shown(value)!r} where condition {name!r} needs {_shown(values[key])!r}"
            for key in varied.keys() - fixed.keys():
                if key in values and values[key] not in varied[key]:
                    found[key] = (f"{key} in {[_shown(v) for v in varied[key]]!r}, without condition {name!r}'s "
                                  f"{_shown(values[key])!r}")  # fmt: skip
            for key in params.keys() - fixed.keys() - varied.keys():
                if params[key] != defaults[key]:
                    found[key] = (f"{key} at its default {_shown(defaults[key])!r} where condition {name!r} needs "
                                  f"{_shown(params[key])!r}")  # fmt: skip
        return list(found.values())
