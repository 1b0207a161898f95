"""Aggregate figures from agent-episode rows: per generation, per run, over seeds.

Everything here reads tidy rows (one per agent-episode, the columns of
`records.EPISODE_COLUMNS`), so the same functions serve the live model, the
exported CSVs, the page and the notebooks. `outcome_shares` is the one place
where outcomes are tallied by kind.
"""

import math

import pandas as pd

from ecosystem.measure.outcomes import BEHAVIOURAL_OUTCOMES, Outcome, ReachOutcome
from ecosystem.measure.records import WEIGHT_COLUMNS
from ecosystem.measure.spread import mean_interval
from ecosystem.organisms.objective import proxy_margin as weight_proxy_margin
from ecosystem.world.constants import DEPLOY, PHASES, TRAIN, AgentKind, Ending, Reached

SHARE_PREFIXES = ("share_", "behaviour_share_", "reach_share_", "rate_")  # measures that lie in [0, 1]
# The labels each outcome column can hold (see `outcomes`).
LABELS = {"outcome": tuple(Outcome), "behaviour_outcome": BEHAVIOURAL_OUTCOMES, "reach_outcome": tuple(ReachOutcome)}
TAKEOVER_SHARE = 0.5  # a run whose final population is more than half animals: planners took over
SETTLED_SHARE = 0.9  # a run ending above this share of one kind (below 1 - it of the other) has settled


def unprobed(episodes: pd.DataFrame) -> pd.DataFrame:
    """The rows of episodes no probe edited (see `probes`): what every figure of a run is made
    of. Tables written before probes existed have no `probed` column and are kept whole."""
    if "probed" not in episodes:
        return episodes
    return episodes[~episodes["probed"].astype(bool)]


def evolved_training(episodes: pd.DataFrame) -> pd.DataFrame:
    """Unprobed training rows of the evolved population: the last quarter of generations.

    A quarter rather than the last generation alone, so that one unlucky pair
    of mazes does not decide a run's training figures.
    """
    episodes = unprobed(episodes)
    train = episodes[episodes["phase"] == TRAIN]
    first, last = train["generation"].min(), train["generation"].max()
    tail = max(1, (last - first + 1) // 4)
    return train[train["generation"] > last - tail]


def final_rows(episodes: pd.DataFrame) -> pd.DataFrame:
    """The rows a run's outcome figures describe: its evolved training population, then
    deployment (unprobed rows only)."""
    return pd.concat([evolved_training(episodes), unprobed(episodes[episodes["phase"] == DEPLOY])])


def _mean(series: pd.Series) -> float:
    return float(series.mean()) if len(series) else math.nan


def _rate(flags: pd.Series) -> float:
    """Share of true values in a boolean column (nan when empty)."""
    return _mean(flags.astype(bool))


def outcome_shares(rows: pd.DataFrame, column: str = "outcome") -> dict[str, dict[str, float]]:
    """Share of each outcome among each kind's rows, by kind; nan for an absent kind.

    `column` is `outcome` (judged by intent), `behaviour_outcome` or `reach_outcome` (judged by
    what lay within an animal's search; nan for plants, which have no such label).
    """
    outcomes = LABELS[column]
    counts = rows.groupby(["kind", column]).size()
    shares = {}
    for kind in AgentKind:
        of_kind = counts[kind.value] if kind.value in counts.index.get_level_values(0) else None
        total = of_kind.sum() if of_kind is not None else 0
        shares[kind.value] = {o.value: of_kind.get(o.value, 0) / total if total else math.nan for o in outcomes}
    return shares


def generation_statistics(rows: pd.DataFrame) -> dict:
    """Model-level figures for one generation (or the deployment phase): who it holds, from
    every row; how its episodes went, from the unprobed ones."""
    share_animals = _mean(rows.drop_duplicates("agent_id")["kind"] == AgentKind.ANIMAL)
    rows = unprobed(rows)
    animals = rows[rows["kind"] == AgentKind.ANIMAL]
    stats = {
        "share_animals": share_animals,
        "exit_rate": _mean(rows["reached"] == Reached.EXIT),
        "mean_base_score": _mean(rows["base_score"]),
        "mean_intended_score": _mean(rows["intended_score"]),
        "mean_fitness": _mean(rows["fitness"]),
        "mean_planning_budget": _mean(animals["planning_budget"]),
    }
    for kind, shares in outcome_shares(rows).items():
        for outcome, share in shares.items():
            stats[f"share_{outcome}_{kind}s"] = share
    for column in WEIGHT_COLUMNS:
        stats[f"mean_{column}_animals"] = _mean(animals[column])
    return stats


# The episode columns `generation_statistics` reads: the model builds each generation's frame of these alone.
STATISTICS_INPUTS = ("agent_id", "kind", "probed", "reached", "outcome", "base_score", "intended_score", "fitness",
                     "planning_budget", *WEIGHT_COLUMNS)  # fmt: skip
STATISTICS = tuple(generation_statistics(pd.DataFrame(columns=STATISTICS_INPUTS)))


def proxy_margin(rows: pd.DataFrame) -> pd.Series:
    """Per row, w_exit minus the larger proxy weight (see `objective.proxy_margin`)."""
    return pd.Series(weight_proxy_margin(rows[list(WEIGHT_COLUMNS)].to_numpy(float)), index=rows.index)


def prefers_proxy(rows: pd.DataFrame) -> pd.Series:
    """Per row of an animal, whether its objective weighs green or the corner above the exit
    kind (proxy margin below 0)."""
    return proxy_margin(rows) < 0


def proxy_preference_in_training(episodes: pd.DataFrame) -> pd.DataFrame:
    """Is a proxy visible in training? Per seed, over the evolved population's animal-episodes
    in training: the share of episodes whose animal weighs a proxy above the exit kind (proxy
    margin below 0), the exit rate of those episodes and of the rest, and the difference
    (`exit_rate_gap`: with a proxy preferred minus without; nan where either is absent)."""
    train = evolved_training(episodes)
    animals = train[train["kind"] == AgentKind.ANIMAL]
    prefers = prefers_proxy(animals)
    exits = animals["reached"] == Reached.EXIT
    records = []
    for seed, rows in animals.groupby("seed", sort=True):
        proxy, rest = exits[rows.index][prefers[rows.index]], exits[rows.index][~prefers[rows.index]]
        records.append({"seed": seed, "share_prefers_proxy": _mean(prefers[rows.index]),
                        "exit_rate_proxy": _mean(proxy), "exit_rate_rest": _mean(rest),
                        "exit_rate_gap": _mean(proxy) - _mean(rest)})  # fmt: skip
    return pd.DataFrame(records, columns=["seed", "share_prefers_proxy", "exit_rate_proxy", "exit_rate_rest", "exit_rate_gap"])


def seed_difference(summary: pd.DataFrame, baseline: pd.DataFrame, column: str) -> pd.Series:
    """Per seed, `column` of one condition's runs (`summary`) minus the same seed's run of
    another (`baseline`): the paired difference over common seeds, indexed by seed."""
    return (summary.set_index("seed")[column] - baseline.set_index("seed")[column]).dropna()


def _group_figures(rows: pd.DataFrame, kind: AgentKind) -> dict:
    """The outcome figures of one kind's rows (of one seed and phase)."""
    figures = {"episodes": len(rows)}
    figures.update({f"share_{o}": s for o, s in outcome_shares(rows)[kind].items()})
    figures.update({f"behaviour_share_{o}": s for o, s in outcome_shares(rows, "behaviour_outcome")[kind].items()})
    figures.update({f"reach_share_{o}": s for o, s in outcome_shares(rows, "reach_outcome")[kind].items()})
    is_animal = kind == AgentKind.ANIMAL
    figures["rate_inner_aligned"] = _rate(rows["inner_aligned"]) if is_animal else math.nan
    figures["share_prefers_proxy"] = _rate(prefers_proxy(rows)) if is_animal else math.nan
    figures["rate_outer_aligned"] = _rate(rows["outer_aligned"])
    figures["intended_score"] = _mean(rows["intended_score"])
    figures["base_score"] = _mean(rows["base_score"])
    return figures


def seed_outcomes(episodes: pd.DataFrame) -> pd.DataFrame:
    """Per seed, phase and kind: episodes, outcome shares (by intent, by behaviour and by what
    lay within an animal's search), alignment rates, the share of animal-episodes weighing a
    proxy above the exit, and mean scores. Training: the evolved population."""
    records = []
    for seed, runs in episodes.groupby("seed", sort=True):
        final = final_rows(runs)
        for phase in PHASES:
            for kind in AgentKind:
                rows = final[(final["phase"] == phase) & (final["kind"] == kind)]
                if len(rows):
                    records.append({"seed": seed, "phase": phase.value, "kind": kind.value, **_group_figures(rows, kind)})
    return pd.DataFrame(records)


def outcome_table(episodes: pd.DataFrame) -> pd.DataFrame:
    """Each figure of `seed_outcomes` as a mean over seeds with its 95% interval.

    One row per phase, kind and measure: `mean`, `ci_low`, `ci_high` and
    `seeds` (how many seeds had that kind in that phase; no interval from one).
    """
    per_seed = seed_outcomes(episodes)
    measures = [c for c in per_seed.columns if c not in ("seed", "phase", "kind")]
    records = []
    for phase in PHASES:
        for kind in AgentKind:
            rows = per_seed[(per_seed["phase"] == phase) & (per_seed["kind"] == kind)]
            if not len(rows):
                continue
            for measure in measures:
                bounds = (0.0, 1.0) if measure.startswith(SHARE_PREFIXES) else None
                mean, low, high, n = mean_interval(rows[measure], bounds=bounds)
                records.append({"phase": phase.value, "kind": kind.value, "measure": measure,
                                "mean": mean, "ci_low": low, "ci_high": high, "seeds": n})  # fmt: skip
    return pd.DataFrame(records)


def _deployed_animals(episodes: pd.DataFrame) -> pd.DataFrame:
    """The unprobed deployment rows of animals."""
    episodes = unprobed(episodes)
    return episodes[(episodes["phase"] == DEPLOY) & (episodes["kind"] == AgentKind.ANIMAL)]


def weight_table(episodes: pd.DataFrame) -> pd.DataFrame:
    """Mean evolved mesa-objective weights of deployed animals, by outcome, over every seed given
    (unprobed episodes)."""
    animals = _deployed_animals(episodes)
    table = animals.groupby("outcome")[list(WEIGHT_COLUMNS)].mean()
    table["proxy_margin"] = weight_proxy_margin(table[list(WEIGHT_COLUMNS)].to_numpy(float))
    table["episodes"] = animals.groupby("outcome").size()
    return table.rename(columns=lambda c: c.removeprefix("w_"))


def _adversarial_episodes(episodes: pd.DataFrame) -> int:
    """Training episodes whose world came from the proxy-breaking generator."""
    train = episodes[(episodes["phase"] == TRAIN) & episodes["adversarial_world"].astype(bool)]
    return int(len(train[["generation", "episode"]].drop_duplicates()))


def run_summary(episodes: pd.DataFrame, generations: pd.DataFrame) -> dict:
    """One flat row of headline figures for a single run; probed episodes (see `probes`) are
    counted and otherwise left out."""
    probed = episodes[episodes["probed"].astype(bool)]
    probed_episodes = int(len(probed[["phase", "generation", "episode"]].drop_duplicates()))
    episodes = unprobed(episodes)
    train = generations[generations["phase"] == TRAIN]
    deploy = episodes[episodes["phase"] == DEPLOY]
    last_train = evolved_training(episodes)
    summary = {
        "generations": int(len(train)),
        "final_share_animals": float(train["share_animals"].iloc[-1]) if len(train) else math.nan,  # nan: shifted at once
        "final_share_pointers": _final_share_pointers(episodes),
        "train_exit_rate_animals": _mean(last_train.loc[last_train["kind"] == AgentKind.ANIMAL, "reached"] == Reached.EXIT),
        "train_exit_rate_plants": _mean(last_train.loc[last_train["kind"] == AgentKind.PLANT, "reached"] == Reached.EXIT),
        "train_episodes": int(len(episodes.loc[episodes["phase"] == TRAIN, ["generation", "episode"]].drop_duplicates())),
        "train_adversarial_episodes": _adversarial_episodes(episodes),
        "train_intended_score": _mean(last_train["intended_score"]),
        "train_base_score": _mean(last_train["base_score"]),
        "train_rate_inner_aligned_animals": _rate(last_train.loc[last_train["kind"] == AgentKind.ANIMAL, "inner_aligned"]),
        "train_rate_outer_aligned": _rate(last_train["outer_aligned"]),
        "deploy_intended_score": _mean(deploy["intended_score"]),
        "deploy_base_score": _mean(deploy["base_score"]),
        "probed_episodes": probed_episodes,
    }
    shares = outcome_shares(deploy)
    for kind in AgentKind:
        summary[f"deploy_episodes_{kind}s"] = int((deploy["kind"] == kind).sum())
        for outcome, share in shares[kind].items():
            summary[f"deploy_share_{outcome}_{kind}s"] = share
    animals = deploy[deploy["kind"] == AgentKind.ANIMAL]
    summary["deploy_rate_inner_aligned_animals"] = _rate(animals["inner_aligned"])
    summary["deploy_rate_outer_aligned"] = _rate(deploy["outer_aligned"])
    for outcome in (Outcome.ROBUST, Outcome.GOAL_MISGENERALIZATION):
        summary[f"deploy_proxy_margin_{outcome}"] = _mean(proxy_margin(animals[animals["outcome"] == outcome]))
    return summary


def _final_share_pointers(episodes: pd.DataFrame) -> float:
    """Share of pointers among the animals of the last training generation (nan without animals)."""
    train = episodes[(episodes["phase"] == TRAIN) & (episodes["kind"] == AgentKind.ANIMAL)]
    last = train[train["generation"] == train["generation"].max()].drop_duplicates("agent_id")
    return _mean(last["objective_kind"] == "pointer")


def _breakdown(labels: pd.Series) -> str:
    """The share of each value of a column of labels, in words, most common first."""
    return ", ".join(f"{label} {share:.0%}" for label, share in labels.value_counts(normalize=True).items()) or "nothing"


def fallbacks(episodes: pd.DataFrame) -> dict:
    """What deployed animals' fallbacks were (`ReachOutcome.FALLBACK`), read from the rows: how
    many, what they pursued beyond their planning budget and what they walked to instead (in
    words, most common first; unprobed episodes)."""
    animals = _deployed_animals(episodes)
    rows = animals[animals["reach_outcome"] == ReachOutcome.FALLBACK]
    return {"episodes": len(rows), "pursued": _breakdown(rows["pursued_target"]),
            "walked_to": _breakdown(rows["walked_to"])}  # fmt: skip


def capability_failures(episodes: pd.DataFrame) -> dict:
    """What deployed animals' capability failures were, read from the rows.

    Returns the number of such episodes, the share whose pursued target was
    the exit beyond their planning budget, what they walked to instead (in
    words, most common first) and the share that ran out of time (unprobed episodes).
    """
    animals = _deployed_animals(episodes)
    rows = animals[animals["outcome"] == Outcome.CAPABILITY_FAILURE]
    beyond = (rows["pursued_target"] == Reached.EXIT) & ~rows["pursued_in_reach"].astype(bool)
    return {
        "episodes": len(rows),
        "share_exit_beyond_budget": _mean(beyond),
        "walked_to": _breakdown(rows.loc[beyond, "walked_to"]),
        "share_timeout": _mean(rows["ended_by"] == Ending.TIMEOUT),
    }
