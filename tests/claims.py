"""Runs many seeds of the model for the experiment-level tests, and holds the figures they
quote in the README exactly against the stored ones.

Each claim test module measures its figures on SEEDS, each a mean with its
95% interval (a share of runs: its Wilson interval), and holds them with the
module's `figures` fixture (see conftest.py) against
`tests/reference/figures/<module>.csv`. A change that moves any figure
fails the test. When a change is meant to alter them, one command measures
every figure afresh, rewrites those files and the README's quotes of them
(and the claims' effects; see reference_figures.py):

    python tests/reference_figures.py
"""

import csv
import fcntl
import math
import warnings
from pathlib import Path

import pandas as pd

from ecosystem.experiments.headline import run_seeds
from ecosystem.measure.records import Results
from ecosystem.measure.spread import format_interval

SEEDS = list(range(10))  # the main job's default seeds, so the tests check what it prints
TESTS = Path(__file__).resolve().parent
FIGURES = TESTS / "reference" / "figures"
README = TESTS.parent / "README.md"
REGENERATE = "python tests/reference_figures.py"
FIELDS = ("figure", "mean", "low", "high")


def runs_over_seeds(**params) -> Results:
    """The stacked tables of one run per seed in SEEDS."""
    return run_seeds(SEEDS, params)


def stored_figures(module: str) -> dict[str, tuple[float, float, float]]:
    """A claim test module's stored figures: name -> (mean, low, high)."""
    path = FIGURES / f"{module}.csv"
    if not path.exists():
        return {}
    with path.open(newline="") as file:
        return {row["figure"]: (float(row["mean"]), float(row["low"]), float(row["high"])) for row in csv.DictReader(file)}


def quoted(figure: tuple[float, float, float]) -> str:
    """How the README writes a figure: '0.39 [0.28, 0.50]'."""
    return format_interval(*figure)


class HeldFigures:
    """The figures one claim test module measures, held exactly against the stored ones, or,
    when `updating`, gathered to be stored and quoted in their place (`store`)."""

    def __init__(self, module: str, updating: bool):
        self.module, self.updating = module, updating
        self.stored = stored_figures(module)
        self.measured: dict[str, tuple[float, float, float]] = {}

    def hold(self, name: str, figure: tuple) -> None:
        """Hold `figure` (an `Interval` or a `Proportion`: its value, low and high) under `name`."""
        measured = tuple(float(value) for value in figure[:3])
        assert name not in self.measured, f"{self.module}: the figure {name!r} is held twice"
        self.measured[name] = measured
        if self.updating:
            return
        assert name in self.stored, f"{self.module}: no stored figure {name!r}; run {REGENERATE}"
        stored = self.stored[name]
        same = all(math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) or (math.isnan(a) and math.isnan(b))
                   for a, b in zip(measured, stored))  # fmt: skip
        assert same, (f"{self.module}: {name} is {quoted(measured)} ({measured}), stored {quoted(stored)} ({stored}); "
                      f"if the change is meant to alter it, run {REGENERATE} and say so in the commit")  # fmt: skip

    def store(self) -> None:
        """Write the measured figures (every one the module holds, so run it whole) and rewrite the
        README's quote of each figure whose text changed, where the old text occurs exactly once
        in the README; the others are left for a hand edit, with a warning (`test_readme` then
        names any figure the README does not quote)."""
        missing = sorted(set(self.stored) - set(self.measured))
        assert not missing, (f"{self.module}: {missing} were not measured (a test failed or was left out): run the "
                             f"whole module, or delete their rows from {FIGURES.name}/{self.module}.csv")  # fmt: skip
        FIGURES.mkdir(parents=True, exist_ok=True)
        with (FIGURES / f"{self.module}.csv").open("w", newline="") as file:
            writer = csv.writer(file, lineterminator="\n")
            writer.writerow(FIELDS)
            for name, figure in self.measured.items():
                writer.writerow([name, *(repr(value) for value in figure)])
        changed = {name: (quoted(self.stored[name]), quoted(figure)) for name, figure in self.measured.items()
                   if name in self.stored and quoted(self.stored[name]) != quoted(figure)}  # fmt: skip
        with README.open("r+") as file:  # modules stored side by side each rewrite their own quotes
            fcntl.flock(file, fcntl.LOCK_EX)
            text = file.read()
            for name, (old, new) in changed.items():
                if text.count(old) == 1:
                    text = text.replace(old, new)
                else:
                    warnings.warn(f"{self.module}: {name} is now {new}; the README quotes {old} "
                                  f"{text.count(old)} times, so edit the right one by hand")  # fmt: skip
            file.seek(0), file.truncate(), file.write(text)


def seed_column(per_seed: pd.DataFrame, phase: str, kind: str, measure: str) -> pd.Series:
    """One measure of `metrics.seed_outcomes`, per seed, for one phase and kind."""
    rows = per_seed[(per_seed["phase"] == phase) & (per_seed["kind"] == kind)]
    return rows.set_index("seed")[measure]
