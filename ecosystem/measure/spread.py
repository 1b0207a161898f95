"""Figures with their spread: means over seeds with 95% intervals.

Runs vary a lot from seed to seed, and evolution here is bistable (a run
fixes at about 1% or about 99% planners), so a figure over several seeds is
quoted as a mean with a 95% interval over seeds, and a share of runs as a
proportion with its Wilson interval.
"""

import math
from typing import NamedTuple

import numpy as np

CONFIDENCE = 0.95


class Interval(NamedTuple):
    """A mean over seeds with its 95% interval, and how many values it was taken over."""

    mean: float
    low: float
    high: float
    n: int


class Proportion(NamedTuple):
    """A share of trials with its Wilson interval."""

    share: float
    low: float
    high: float


def mean_interval(values, confidence: float = CONFIDENCE, bounds: tuple[float, float] | None = None) -> Interval:
    """Mean of the finite `values`, its Student-t interval, and how many values there were.

    The interval is (nan, nan) with fewer than two values: one seed has no
    spread. `bounds` clips the interval to the values a measure can take
    (a share lies in [0, 1]).
    """
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    n = len(values)
    if n == 0:
        return Interval(math.nan, math.nan, math.nan, 0)
    mean = float(values.mean())
    if n < 2:
        return Interval(mean, math.nan, math.nan, n)
    from scipy import stats  # imported here: it costs about 0.6 s, and a single run needs no interval

    half = float(stats.t.ppf((1 + confidence) / 2, n - 1) * values.std(ddof=1) / math.sqrt(n))
    low, high = mean - half, mean + half
    if bounds is not None:
        low, high = max(low, bounds[0]), min(high, bounds[1])
    return Interval(mean, low, high, n)


def proportion_interval(successes: int, trials: int, confidence: float = CONFIDENCE) -> Proportion:
    """Share of successes and its Wilson score interval (nan for no trials)."""
    if trials == 0:
        return Proportion(math.nan, math.nan, math.nan)
    from scipy import stats

    interval = stats.binomtest(int(successes), int(trials)).proportion_ci(confidence, method="wilson")
    return Proportion(successes / trials, float(interval.low), float(interval.high))


def format_interval(mean: float, low: float, high: float, digits: int = 2) -> str:
    """'0.39 [0.28, 0.50]', or just '0.39' when there is no interval (one seed); '-' for no value."""
    if math.isnan(mean):
        return "-"
    if math.isnan(low):
        return f"{mean:.{digits}f}"
    return f"{mean:.{digits}f} [{low:.{digits}f}, {high:.{digits}f}]"


def describe_seeds(seeds) -> str:
    """'seeds 0-9' for a run of consecutive seeds, else 'seeds 3, 7, 8' (or 'seed 3')."""
    seeds = list(seeds)
    if len(seeds) > 2 and seeds == list(range(seeds[0], seeds[0] + len(seeds))):
        return f"seeds {seeds[0]}-{seeds[-1]}"
    return ("seed " if len(seeds) == 1 else "seeds ") + ", ".join(str(s) for s in seeds)
