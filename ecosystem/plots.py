"""Figures of a run, drawn from its tidy tables with matplotlib.

The command line and the notebooks call the same functions, so a figure looks
the same wherever it is drawn. Each figure carries its seed and parameters in
its caption so that it can be read without the code.
"""

import matplotlib.pyplot as plt
import pandas as pd

from ecosystem.world.constants import FEATURES, AgentKind
from ecosystem.measure.metrics import DEPLOY, PHASES, TRAIN, WEIGHT_COLUMNS, evolved_training
from ecosystem.measure.outcomes import Outcome

OUTCOME_COLOURS = {
    Outcome.ROBUST: "#2a9d8f",
    Outcome.GOAL_MISGENERALIZATION: "#e76f51",
    Outcome.CAPABILITY_FAILURE: "#9e9e9e",
}
KIND_COLOURS = {AgentKind.PLANT: "#6a994e", AgentKind.ANIMAL: "#bc6c25"}
OUTCOME_LABELS = {
    Outcome.ROBUST: "robust (reached the exit)",
    Outcome.GOAL_MISGENERALIZATION: "goal misgeneralization",
    Outcome.CAPABILITY_FAILURE: "capability failure",
}


def plot_kind_shares(ax, generations: pd.DataFrame) -> None:
    """Share of animals and plants per training generation, with exit rates."""
    train = generations[generations["phase"] == TRAIN]
    ax.plot(train["generation"], train["share_animals"], color=KIND_COLOURS[AgentKind.ANIMAL], label="share animals")
    ax.plot(train["generation"], 1 - train["share_animals"], color=KIND_COLOURS[AgentKind.PLANT], label="share plants")
    for kind in AgentKind:
        ax.plot(
            train["generation"], train[f"share_robust_{kind}s"], linestyle=":",
            color=KIND_COLOURS[kind], label=f"exit rate, {kind}s",
        )  # fmt: skip
    ax.set(title="Evolution: who holds the population", xlabel="generation", ylabel="share", ylim=(-0.02, 1.02))
    ax.legend(fontsize="small", loc="center right")


def plot_outcome_shares(ax, episodes: pd.DataFrame) -> None:
    """Stacked outcome shares per phase and kind (training: the evolved population)."""
    last = pd.concat([evolved_training(episodes), episodes[episodes["phase"] == DEPLOY]])
    groups = [(p, k) for p in PHASES for k in AgentKind]
    labels, bottoms = [], [0.0] * len(groups)
    for phase, kind in groups:
        rows = last[(last["phase"] == phase) & (last["kind"] == kind)]
        labels.append(f"{'train' if phase == TRAIN else 'deploy'}\n{kind}s\n(n={len(rows)})")
    for outcome in Outcome:
        shares = []
        for phase, kind in groups:
            rows = last[(last["phase"] == phase) & (last["kind"] == kind)]
            shares.append((rows["outcome"] == outcome).mean() if len(rows) else 0.0)
        ax.bar(labels, shares, bottom=bottoms, color=OUTCOME_COLOURS[outcome], label=OUTCOME_LABELS[outcome])
        bottoms = [b + s for b, s in zip(bottoms, shares)]
    ax.set(title="Outcomes before and after the shift", ylabel="share of episodes", ylim=(0, 1.22))
    ax.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    ax.legend(fontsize="small", loc="upper center", ncol=2)


def plot_weights_by_outcome(ax, episodes: pd.DataFrame) -> None:
    """Mean mesa-objective weights of deployed animals, by outcome."""
    animals = episodes[(episodes["phase"] == DEPLOY) & (episodes["kind"] == AgentKind.ANIMAL)]
    outcomes = [o for o in Outcome if (animals["outcome"] == o).any()]
    width = 0.8 / max(len(outcomes), 1)
    for i, outcome in enumerate(outcomes):
        means = animals.loc[animals["outcome"] == outcome, list(WEIGHT_COLUMNS)].mean()
        positions = [x + (i - (len(outcomes) - 1) / 2) * width for x in range(len(FEATURES))]
        ax.bar(positions, means.values, width, color=OUTCOME_COLOURS[outcome], label=OUTCOME_LABELS[outcome])
    ax.axhline(0, color="black", linewidth=0.5)
    ax.set_xticks(range(len(FEATURES)), FEATURES)
    ax.set(title="Evolved mesa-objectives of deployed animals", ylabel="mean weight")
    ax.legend(fontsize="small")


def headline_figure(episodes: pd.DataFrame, generations: pd.DataFrame, caption: str):
    """The three headline panels side by side, captioned."""
    figure, axes = plt.subplots(1, 3, figsize=(17, 5.2), layout="constrained")
    plot_kind_shares(axes[0], generations)
    plot_outcome_shares(axes[1], episodes)
    plot_weights_by_outcome(axes[2], episodes)
    figure.suptitle("Learned optimization under distributional shift", fontsize="x-large")
    figure.text(0.5, -0.01, caption, ha="center", va="top", fontsize="small", wrap=True)
    return figure


def caption_for(seed, params: dict) -> str:
    """A one-line caption naming the seed and the parameters of a run."""
    return f"seed {seed}; " + ", ".join(f"{k}={v}" for k, v in params.items() if v is not None)


SWEEP_HEATMAPS = {
    "final_share_animals": "share of animals at the end of training",
    "deploy_share_goal_misgeneralization_animals": "goal misgeneralization after the shift\n(share of animal episodes)",
}
SWEEP_OUTCOMES = {
    f"deploy_share_{outcome}_animals": (outcome, f"animals: {OUTCOME_LABELS[outcome]}") for outcome in Outcome
}


def plot_sweep_heatmaps(summary: pd.DataFrame, x: str, y: str, caption: str):
    """Seed-averaged heatmaps of animal share and goal misgeneralization over two swept axes."""
    figure, axes = plt.subplots(1, len(SWEEP_HEATMAPS), figsize=(6.5 * len(SWEEP_HEATMAPS), 5), layout="constrained")
    for ax, (metric, title) in zip(axes, SWEEP_HEATMAPS.items()):
        table = summary.pivot_table(index=y, columns=x, values=metric, aggfunc="mean").sort_index(ascending=False)
        image = ax.imshow(table.values, cmap="viridis", vmin=0, vmax=1, aspect="auto")
        ax.set_xticks(range(len(table.columns)), [f"{v:g}" for v in table.columns])
        ax.set_yticks(range(len(table.index)), [f"{v:g}" for v in table.index])
        for (row, column), value in pd.DataFrame(table.values).stack().items():
            ax.text(column, row, f"{value:.2f}", ha="center", va="center", color="white" if value < 0.6 else "black")
        ax.set(title=title, xlabel=x, ylabel=y)
        figure.colorbar(image, ax=ax, shrink=0.85)
    figure.text(0.5, -0.01, caption, ha="center", va="top", fontsize="small", wrap=True)
    return figure


def plot_sweep_outcomes(summary: pd.DataFrame, parameter: str, caption: str):
    """Outcome shares after the shift against one swept parameter, mean and 95% confidence band."""
    figure, ax = plt.subplots(figsize=(7.5, 4.8), layout="constrained")
    for metric, (outcome, label) in SWEEP_OUTCOMES.items():
        grouped = summary.groupby(parameter)[metric]
        mean, half_width = grouped.mean(), 1.96 * grouped.std() / grouped.count().pow(0.5)
        colour = OUTCOME_COLOURS[outcome]
        ax.plot(mean.index, mean.values, "o-", color=colour, label=label)
        ax.fill_between(mean.index, (mean - half_width).values, (mean + half_width).values, color=colour, alpha=0.2)
    share = summary.groupby(parameter)["final_share_animals"].mean()
    ax.plot(share.index, share.values, "k--", label="share of animals at the end of training")
    ax.set(title=f"Outcomes after the shift against {parameter}", xlabel=parameter, ylabel="share", ylim=(-0.02, 1.02))
    ax.legend(fontsize="small")
    figure.text(0.5, -0.01, caption, ha="center", va="top", fontsize="small", wrap=True)
    return figure
