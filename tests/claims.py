"""Runs many seeds of the model for the experiment-level tests."""

import pandas as pd

from ecosystem.experiments.runner import results, run
from ecosystem.measure.metrics import TRAIN, evolved_training

SEEDS = range(10)


def episodes_over_seeds(**params) -> pd.DataFrame:
    """Agent-episode rows of one run per seed in SEEDS, stacked."""
    return pd.concat([results(run(seed, **params)).episodes for seed in SEEDS], ignore_index=True)


def evolved_by_seed(episodes: pd.DataFrame) -> pd.DataFrame:
    """Each seed's training rows of its evolved population (the last quarter)."""
    return pd.concat([evolved_training(rows) for _, rows in episodes.groupby("seed")])


def final_share(episodes: pd.DataFrame, kind: str) -> pd.Series:
    """Per seed, the share of `kind` in the last training generation."""
    train = episodes[episodes["phase"] == TRAIN]
    last = train[train["generation"] == train.groupby("seed")["generation"].transform("max")]
    organisms = last.drop_duplicates(["seed", "agent_id"])
    return (organisms["kind"] == kind).groupby(organisms["seed"]).mean()
