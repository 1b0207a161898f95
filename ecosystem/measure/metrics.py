"""Aggregate figures from agent-episode rows: per generation, per phase, per run.

Everything here reads tidy rows (one per agent-episode, the columns of
`EPISODE_COLUMNS`), so the same functions serve the live model, the exported
CSVs and the notebooks.
"""

import math

import pandas as pd

from ecosystem.world.constants import FEATURES, AgentKind, Reached
from ecosystem.measure.outcomes import Outcome

TRAIN, DEPLOY = "train", "deploy"
PHASES = (TRAIN, DEPLOY)
WEIGHT_COLUMNS = tuple(f"w_{name}" for name in FEATURES)
EPISODE_COLUMNS = (
    "seed", "phase", "generation", "episode", "agent_id", "kind", "outcome", "reached",
    "intended_target", "chosen_target", "steps", "shortest_steps", "path_efficiency",
    "intended_score", "base_score", "cognition_cost", "fitness", "planning_budget",
    *WEIGHT_COLUMNS,
)  # fmt: skip
PROXY_FEATURES = ("green", "corner")  # what coincides with the exit in training


def evolved_training(episodes: pd.DataFrame) -> pd.DataFrame:
    """Training rows of the evolved population: the last quarter of generations.

    A quarter rather than the last generation alone, so that one unlucky pair
    of mazes does not decide a run's training figures.
    """
    train = episodes[episodes["phase"] == TRAIN]
    first, last = train["generation"].min(), train["generation"].max()
    tail = max(1, (last - first + 1) // 4)
    return train[train["generation"] > last - tail]


def _mean(series: pd.Series) -> float:
    return float(series.mean()) if len(series) else math.nan


def generation_statistics(rows: pd.DataFrame) -> dict:
    """Model-level figures for one generation (or the deployment phase)."""
    animals = rows[rows["kind"] == AgentKind.ANIMAL]
    stats = {
        "share_animals": _mean(rows.drop_duplicates("agent_id")["kind"] == AgentKind.ANIMAL),
        "exit_rate": _mean(rows["reached"] == Reached.EXIT),
        "mean_base_score": _mean(rows["base_score"]),
        "mean_intended_score": _mean(rows["intended_score"]),
        "mean_fitness": _mean(rows["fitness"]),
        "mean_planning_budget": _mean(animals["planning_budget"]),
    }
    for kind in AgentKind:
        of_kind = rows[rows["kind"] == kind]
        for outcome in Outcome:
            stats[f"share_{outcome}_{kind}s"] = _mean(of_kind["outcome"] == outcome)
    for column in WEIGHT_COLUMNS:
        stats[f"mean_{column}_animals"] = _mean(animals[column])
    return stats


STATISTICS = tuple(generation_statistics(pd.DataFrame(columns=EPISODE_COLUMNS)))


def proxy_margin(rows: pd.DataFrame) -> pd.Series:
    """w_exit minus the larger proxy weight (green, corner): negative means a proxy wins."""
    return rows["w_exit"] - rows[[f"w_{f}" for f in PROXY_FEATURES]].max(axis=1)


def outcome_table(episodes: pd.DataFrame) -> pd.DataFrame:
    """Per phase and kind: episodes, share of each outcome, mean scores.

    Training rows are those of the evolved population (`evolved_training`).
    """
    final = pd.concat([evolved_training(episodes), episodes[episodes["phase"] == DEPLOY]])
    table = final.groupby(["phase", "kind"], sort=False).agg(
        episodes=("outcome", "size"),
        **{f"share_{o}": ("outcome", lambda s, o=o: (s == o).mean()) for o in Outcome},
        intended_score=("intended_score", "mean"),
        base_score=("base_score", "mean"),
    )
    order = [(p, k.value) for p in PHASES for k in AgentKind if (p, k.value) in table.index]
    return table.loc[order]


def weight_table(episodes: pd.DataFrame) -> pd.DataFrame:
    """Mean evolved mesa-objective weights of deployed animals, by outcome."""
    animals = episodes[(episodes["phase"] == DEPLOY) & (episodes["kind"] == AgentKind.ANIMAL)]
    table = animals.groupby("outcome")[list(WEIGHT_COLUMNS)].mean()
    table["proxy_margin"] = proxy_margin(table)
    table["episodes"] = animals.groupby("outcome").size()
    return table.rename(columns=lambda c: c.removeprefix("w_"))


def run_summary(episodes: pd.DataFrame, generations: pd.DataFrame) -> dict:
    """One flat row of headline figures for a whole run."""
    train = generations[generations["phase"] == TRAIN]
    deploy = episodes[episodes["phase"] == DEPLOY]
    last_train = evolved_training(episodes)
    summary = {
        "generations": int(len(train)),
        "final_share_animals": float(train["share_animals"].iloc[-1]),
        "train_exit_rate_animals": _mean(last_train.loc[last_train["kind"] == AgentKind.ANIMAL, "reached"] == Reached.EXIT),
        "train_exit_rate_plants": _mean(last_train.loc[last_train["kind"] == AgentKind.PLANT, "reached"] == Reached.EXIT),
        "train_intended_score": _mean(last_train["intended_score"]),
        "train_base_score": _mean(last_train["base_score"]),
        "deploy_intended_score": _mean(deploy["intended_score"]),
        "deploy_base_score": _mean(deploy["base_score"]),
    }
    for kind in AgentKind:
        of_kind = deploy[deploy["kind"] == kind]
        summary[f"deploy_episodes_{kind}s"] = int(len(of_kind))
        for outcome in Outcome:
            summary[f"deploy_share_{outcome}_{kind}s"] = _mean(of_kind["outcome"] == outcome)
    animals = deploy[deploy["kind"] == AgentKind.ANIMAL]
    for outcome in (Outcome.ROBUST, Outcome.GOAL_MISGENERALIZATION):
        summary[f"deploy_proxy_margin_{outcome}"] = _mean(proxy_margin(animals[animals["outcome"] == outcome]))
    return summary
