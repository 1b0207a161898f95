"""Runs many seeds of the model for the experiment-level tests, and the figures they protect."""

from dataclasses import dataclass

import pandas as pd

from ecosystem.experiments.headline import run_seeds
from ecosystem.measure.records import Results
from ecosystem.measure.spread import format_interval

SEEDS = list(range(10))  # the main job's default seeds, so the tests check what it prints


def runs_over_seeds(**params) -> Results:
    """The stacked tables of one run per seed in SEEDS."""
    return run_seeds(SEEDS, params)


@dataclass(frozen=True)
class Measured:
    """A figure as measured over SEEDS and quoted in the README: a mean with its 95% interval.

    A test holds the figure by requiring that the same seeds still give a mean
    inside that interval: a change that moves the result by more than its
    own uncertainty fails, and the README must then be measured again.
    """

    mean: float
    low: float
    high: float

    def holds(self, value: float) -> bool:
        return self.low <= value <= self.high

    @property
    def text(self) -> str:
        """How the README writes it."""
        return format_interval(self.mean, self.low, self.high)


def seed_column(per_seed: pd.DataFrame, phase: str, kind: str, measure: str) -> pd.Series:
    """One measure of `metrics.seed_outcomes`, per seed, for one phase and kind."""
    rows = per_seed[(per_seed["phase"] == phase) & (per_seed["kind"] == kind)]
    return rows.set_index("seed")[measure]
