"""The phase diagram of heuristics against optimizers (claim 1), held against its reference.

The reference, after Hubinger et al. (2019, section 2.1): optimization is paid
for once and serves every environment, a heuristic is paid for per
environment. Here a plant's instinct (its evolved route and direction cues)
is fitted to the worlds its lineage has met, and a fresh world costs it; an
animal pays its cost of cognition c every episode, wherever it is. So with N
distinct training worlds the heuristics' total cost grows like h N and the
optimizer's stays c + c0 (c0: what its budget costs besides the overhead, and
any fixed advantage of plants), and planners should take over where

    h N > c + c0,   i.e. above the boundary   N*(c) = (c + c0) / h,

a line in the plane of distinct worlds against cost. Diversity d maps to the
expected number of distinct worlds among a run's E training episodes,
N = 1 + d (E - 1) (each episode draws a fresh world with probability d).
Because each run fixes at one kind or the other, the reference is compared
as a probability of takeover, P = 1 / (1 + exp(-k (h N - c - c0))): the two
free constants h and c0 place the boundary, and k (how sharp it is) is
fitted with them by maximum likelihood on every run's outcome.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import minimize

from ecosystem.measure.metrics import TAKEOVER_SHARE
from ecosystem.measure.spread import proportion_interval


def distinct_worlds(diversity, training_episodes) -> np.ndarray:
    """Expected number of distinct worlds among `training_episodes` episodes at `diversity`."""
    return 1.0 + np.asarray(diversity, dtype=float) * (np.asarray(training_episodes, dtype=float) - 1.0)


@dataclass(frozen=True)
class ReferenceFit:
    """The reference's constants, fitted to a sweep over diversity and cognition_overhead.

    Attributes:
        h: a heuristic's cost per distinct world, in fitness per episode.
        c0: the optimizer's cost besides the overhead, in the same units.
        k: sharpness of the boundary (per unit of fitness).
        runs: how many runs it was fitted to.
    """

    h: float
    c0: float
    k: float
    runs: int

    def probability(self, worlds, overhead) -> np.ndarray:
        """The reference's probability that planners take over."""
        margin = self.h * np.asarray(worlds, dtype=float) - np.asarray(overhead, dtype=float) - self.c0
        return 1.0 / (1.0 + np.exp(-self.k * margin))

    def boundary(self, overhead) -> np.ndarray:
        """N*(c): the number of distinct worlds above which planners are expected to win."""
        return (np.asarray(overhead, dtype=float) + self.c0) / self.h


def _worlds_of(summary: pd.DataFrame) -> np.ndarray:
    return distinct_worlds(summary["diversity"], summary["generations"] * summary["episodes_per_generation"])


def fit_reference(summary: pd.DataFrame) -> ReferenceFit:
    """Fit h, c0 and k to each run's takeover (final share of animals above one half)."""
    worlds, overhead = _worlds_of(summary), summary["cognition_overhead"].to_numpy(float)
    took_over = (summary["final_share_animals"] > TAKEOVER_SHARE).to_numpy(float)

    def negative_log_likelihood(theta):
        log_h, c0, log_k = theta
        margin = np.exp(log_k) * (np.exp(log_h) * worlds - overhead - c0)
        return float(np.sum(np.logaddexp(0.0, margin) - took_over * margin))

    start = np.array([np.log(0.005), 0.0, np.log(20.0)])
    best = minimize(negative_log_likelihood, start, method="Nelder-Mead", options={"xatol": 1e-6, "fatol": 1e-9, "maxiter": 4000})
    log_h, c0, log_k = best.x
    return ReferenceFit(float(np.exp(log_h)), float(c0), float(np.exp(log_k)), len(summary))


def compare_with_reference(summary: pd.DataFrame, fit: ReferenceFit) -> pd.DataFrame:
    """Per cell of diversity and cognition_overhead: the observed probability of takeover with its
    Wilson 95% interval, the reference's probability, and whether the interval holds it."""
    records = []
    for (diversity, overhead), runs in summary.groupby(["diversity", "cognition_overhead"], sort=True):
        took_over = int((runs["final_share_animals"] > TAKEOVER_SHARE).sum())
        p, low, high = proportion_interval(took_over, len(runs))
        reference = float(fit.probability(_worlds_of(runs).mean(), overhead))
        records.append({"diversity": diversity, "cognition_overhead": overhead, "distinct_worlds": _worlds_of(runs).mean(),
                        "runs": len(runs), "took_over": took_over, "p_observed": p, "p_low": low, "p_high": high,
                        "p_reference": reference, "agrees": low <= reference <= high})  # fmt: skip
    return pd.DataFrame(records)
