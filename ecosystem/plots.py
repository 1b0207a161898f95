"""Figures of a run, or of several seeds of it, drawn from the tidy tables with matplotlib.

The command line, the page and the notebooks call the same functions, so a
figure looks the same wherever it is drawn. Over several seeds a figure shows
the mean with its 95% interval over seeds; each figure carries its seeds and
parameters in its caption so that it can be read without the code.
"""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ecosystem.measure.metrics import TAKEOVER_SHARE, seed_outcomes
from ecosystem.measure.outcomes import OUTCOME_LABELS, Outcome
from ecosystem.measure.records import WEIGHT_COLUMNS
from ecosystem.measure.spread import describe_seeds, mean_interval
from ecosystem.world.constants import DEPLOY, FEATURES, PHASES, TRAIN, AgentKind

OUTCOME_COLOURS = {
    Outcome.ROBUST: "#2a9d8f",
    Outcome.ACCIDENTAL_EXIT: "#a8dadc",
    Outcome.GOAL_MISGENERALIZATION: "#e76f51",
    Outcome.CAPABILITY_FAILURE: "#9e9e9e",
}
KIND_COLOURS = {AgentKind.PLANT: "#6a994e", AgentKind.ANIMAL: "#bc6c25"}


def _interval_errors(values_by_group) -> tuple[np.ndarray, np.ndarray]:
    """Means and (2, n) error-bar half-widths of each group's values (0 where there is no interval)."""
    intervals = [mean_interval(values) for values in values_by_group]
    means = np.array([m for m, _, _, _ in intervals])
    low = np.nan_to_num(means - np.array([lo for _, lo, _, _ in intervals]))
    high = np.nan_to_num(np.array([hi for _, _, hi, _ in intervals]) - means)
    return means, np.vstack([low, high])


def plot_kind_shares(ax, generations: pd.DataFrame) -> None:
    """Share of animals per training generation (one thin line per seed, their mean bold), with exit rates."""
    train = generations[generations["phase"] == TRAIN]
    x = train["generation"] + 1
    seeds = train["seed"].nunique(dropna=False)
    if seeds > 1:
        for _, run in train.groupby("seed"):
            ax.plot(run["generation"] + 1, run["share_animals"], color=KIND_COLOURS[AgentKind.ANIMAL], alpha=0.25, lw=0.8)
    mean = train.groupby(x)[["share_animals", "share_robust_animals", "share_robust_plants"]].mean()
    animal_label = "share of animals" + (f" (mean; thin: each of {seeds} seeds)" if seeds > 1 else "")
    ax.plot(mean.index, mean["share_animals"], color=KIND_COLOURS[AgentKind.ANIMAL], lw=2, label=animal_label)
    ax.plot(mean.index, 1 - mean["share_animals"], color=KIND_COLOURS[AgentKind.PLANT], lw=2, label="share of plants")
    for kind in AgentKind:
        ax.plot(mean.index, mean[f"share_robust_{kind}s"], linestyle=":", color=KIND_COLOURS[kind],
                label=f"robust in training, {kind}s")  # fmt: skip
    ax.set(title="Evolution: who holds the population", xlabel="generation", ylabel="share", ylim=(-0.02, 1.02))
    ax.legend(fontsize="small", loc="center right")


def plot_outcome_shares(ax, episodes: pd.DataFrame) -> None:
    """Outcome shares by phase and kind: means over seeds with 95% intervals (training: the evolved population)."""
    per_seed = seed_outcomes(episodes)
    groups = [(p, k) for k in (AgentKind.ANIMAL, AgentKind.PLANT) for p in PHASES]
    groups = [g for g in groups if ((per_seed["phase"] == g[0]) & (per_seed["kind"] == g[1])).any()]
    width = 0.8 / len(Outcome)
    for i, outcome in enumerate(Outcome):
        values = [per_seed.loc[(per_seed["phase"] == p) & (per_seed["kind"] == k), f"share_{outcome}"] for p, k in groups]
        means, errors = _interval_errors(values)
        positions = np.arange(len(groups)) + (i - (len(Outcome) - 1) / 2) * width
        ax.bar(positions, means, width, yerr=errors, capsize=2, color=OUTCOME_COLOURS[outcome], label=OUTCOME_LABELS[outcome])
    labels = []
    for phase, kind in groups:
        rows = per_seed[(per_seed["phase"] == phase) & (per_seed["kind"] == kind)]
        labels.append(f"{'train' if phase == TRAIN else 'deploy'} {kind}s\n{int(rows['episodes'].sum()):,} episodes\n{len(rows)} seeds")
    ax.set_xticks(range(len(groups)), labels, fontsize="small")
    ax.set(title="Outcomes before and after the shift (judged by intent)", ylabel="share of episodes", ylim=(0, 1.3))
    ax.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    ax.legend(fontsize="small", loc="upper center", ncol=2)


def plot_weights_by_outcome(ax, episodes: pd.DataFrame) -> None:
    """Mesa-objective weights of deployed animals by outcome: means over seeds with 95% intervals."""
    animals = episodes[(episodes["phase"] == DEPLOY) & (episodes["kind"] == AgentKind.ANIMAL)]
    per_seed = animals.groupby(["outcome", "seed"])[list(WEIGHT_COLUMNS)].mean()
    outcomes = [o for o in Outcome if o in per_seed.index.get_level_values("outcome")]
    width = 0.8 / max(len(outcomes), 1)
    for i, outcome in enumerate(outcomes):
        means, errors = _interval_errors([per_seed.loc[outcome, column] for column in WEIGHT_COLUMNS])
        positions = np.arange(len(FEATURES)) + (i - (len(outcomes) - 1) / 2) * width
        ax.bar(positions, means, width, yerr=errors, capsize=2, color=OUTCOME_COLOURS[outcome], label=OUTCOME_LABELS[outcome])
    ax.axhline(0, color="black", linewidth=0.5)
    ax.set_xticks(range(len(FEATURES)), FEATURES)
    ax.set(title="Evolved mesa-objectives of deployed animals", ylabel="mean weight")
    ax.legend(fontsize="small")


def plot_proxy_invisibility(ax, per_seed: pd.DataFrame) -> None:
    """Training exit rate of evolved animals that weigh a proxy above the exit kind against the
    rest's, one pair of dots per seed, with their means and 95% intervals
    (`per_seed`: `metrics.proxy_preference_in_training`)."""
    columns = {"exit_rate_proxy": "a proxy (green or corner)\nweighed above the exit",
               "exit_rate_rest": "the exit kind weighed\nabove every proxy"}  # fmt: skip
    for _, row in per_seed.iterrows():
        ax.plot([0, 1], [row["exit_rate_proxy"], row["exit_rate_rest"]], "o-", color="grey", alpha=0.4, lw=0.8)
    means, errors = _interval_errors([per_seed[c] for c in columns])
    ax.errorbar([0, 1], means, yerr=errors, fmt="s", ms=8, capsize=4, color=KIND_COLOURS[AgentKind.ANIMAL],
                label="mean over seeds, 95% interval")  # fmt: skip
    share = mean_interval(per_seed["share_prefers_proxy"], bounds=(0.0, 1.0))
    ax.set_xticks([0, 1], list(columns.values()))
    ax.set_xlim(-0.5, 1.5)
    ax.set(title=f"Training exit rate of evolved animals (thin: each seed)\n{share[0]:.0%} of their episodes: "
           "a proxy weighed above the exit", ylabel="share of training episodes reaching the exit", ylim=(-0.02, 1.02))  # fmt: skip
    ax.legend(fontsize="small", loc="lower center")


def panels_figure(draws, title: str, caption: str, panel_size=(19 / 3, 5.6)):
    """A captioned row of panels: each of `draws` is a function drawing one panel on the axes it is given."""
    figure, axes = plt.subplots(1, len(draws), figsize=(panel_size[0] * len(draws), panel_size[1]),
                                layout="constrained", squeeze=False)  # fmt: skip
    for ax, draw in zip(axes[0], draws):
        draw(ax)
    figure.suptitle(title, fontsize="x-large")
    figure.text(0.5, -0.01, caption, ha="center", va="top", fontsize="small", wrap=True)
    return figure


def headline_figure(episodes: pd.DataFrame, generations: pd.DataFrame, caption: str):
    """The three headline panels side by side, captioned."""
    draws = [lambda ax: plot_kind_shares(ax, generations), lambda ax: plot_outcome_shares(ax, episodes),
             lambda ax: plot_weights_by_outcome(ax, episodes)]  # fmt: skip
    return panels_figure(draws, "Learned optimization under distributional shift", caption)


def caption_for(seeds: list[int], params: dict) -> str:
    """A one-line caption naming the seeds, how spread is shown, and the parameters of a run."""
    if len(seeds) == 1:
        where = f"one seed ({seeds[0]}): no interval"
    else:
        where = f"{describe_seeds(seeds)} ({len(seeds)} runs): bars are means over seeds, whiskers 95% intervals"
    return where + "; " + ", ".join(f"{k}={v}" for k, v in params.items() if v is not None)


def intervals_by(runs: pd.DataFrame, parameter: str, values, column: str, bounds=(0.0, 1.0)) -> np.ndarray:
    """Mean of `column` over the runs at each of `values` of `parameter`, and its 95% interval:
    an array of rows (means, lows, highs)."""
    return np.array([mean_interval(runs.loc[runs[parameter] == v, column], bounds=bounds)[:3] for v in values]).T


def tick_label(value) -> str:
    """A parameter value as an axis tick: numbers compactly (0.5, 1e-05), anything else as text."""
    return f"{value:g}" if isinstance(value, (int, float, np.number)) else str(value)


def plot_final_share_distribution(summary: pd.DataFrame, swept: list[str], caption: str):
    """Every run's final share of animals: one column of dots per value of the first swept
    parameter, one panel per value of the second. It shows the bistability behind P(takeover)."""
    x, panel = swept[0], (swept[1] if len(swept) > 1 else None)
    panels = sorted(summary[panel].unique()) if panel else [None]
    xs = sorted(summary[x].unique())
    figure, axes = plt.subplots(1, len(panels), figsize=(max(6.0, 2.6 * len(panels) + 1), 4.2),
                                sharey=True, layout="constrained", squeeze=False)  # fmt: skip
    for ax, value in zip(axes[0], panels):
        runs = summary if panel is None else summary[summary[panel] == value]
        for i, xv in enumerate(xs):
            shares = np.sort(runs.loc[runs[x] == xv, "final_share_animals"].to_numpy())
            ax.plot(i + np.linspace(-0.25, 0.25, len(shares)), shares, "o", ms=4, alpha=0.6, color="#bc6c25")
        ax.axhline(TAKEOVER_SHARE, color="black", lw=0.6, ls="--")
        ax.set_xticks(range(len(xs)), [tick_label(v) for v in xs])
        ax.set(xlabel=x, ylim=(-0.03, 1.03), title=f"{panel} = {tick_label(value)}" if panel else None)
    axes[0][0].set_ylabel("share of animals at the end of training\n(dashed: takeover threshold)")
    figure.suptitle("Final share of animals in every run (one dot each): runs fix near 0 or near 1")
    figure.text(0.5, -0.01, caption, ha="center", va="top", fontsize="small", wrap=True)
    return figure


def stacked(runs: dict, table: str) -> pd.DataFrame:
    """One table (`summary`, `generations` or `episodes`) of several conditions' results, stacked."""
    return pd.concat([getattr(r, table) for r in runs.values()], ignore_index=True)
