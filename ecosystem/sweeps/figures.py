"""A finished sweep's figures, drawn from its results folder.

Evolution here is bistable: each run ends with about 1% or about 99%
planners, so a cell's mean share of animals is really a probability that
planners take over. The figures show that probability with its Wilson
interval, the distribution of final shares behind it, and the outcomes
after the shift as means over seeds with 95% bands.
"""

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ecosystem.experiments.claim import FinishedSweep
from ecosystem.experiments.registry import CLAIMS
from ecosystem.measure.metrics import TAKEOVER_SHARE
from ecosystem.measure.outcomes import Outcome
from ecosystem.measure.spread import mean_interval, proportion_interval
from ecosystem.plots import (OUTCOME_COLOURS, OUTCOME_LABELS, intervals_by, plot_final_share_distribution,
                             tick_label)  # fmt: skip
from ecosystem.sweeps.record import RECORD, read_record

TAKEOVER = "planners take over"


def sweep_caption(record: dict) -> str:
    """Spec name, replicates, root seed and the parameters held fixed."""
    held = ", ".join(f"{k}={v}" for k, v in record["fixed"].items()) or "defaults"
    return (f"sweep {record['spec']}: {record['replicates']} seeds per point from root seed "
            f"{record['root_seed']}; intervals are 95% over seeds; fixed: {held}")  # fmt: skip


def takeover_table(summary: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Per parameter point: runs, how many ended with planners holding the population, and
    that probability with its Wilson interval (`p_takeover`, `p_low`, `p_high`)."""
    records = []
    for point, runs in summary.groupby(by, sort=True):
        took_over = int((runs["final_share_animals"] > TAKEOVER_SHARE).sum())
        p, low, high = proportion_interval(took_over, len(runs))
        records.append({**dict(zip(by, np.atleast_1d(point))), "runs": len(runs), "took_over": took_over,
                        "p_takeover": p, "p_low": low, "p_high": high})  # fmt: skip
    return pd.DataFrame(records)


def plot_sweep_heatmaps(summary: pd.DataFrame, x: str, y: str, caption: str):
    """Over two swept axes: P(planners take over) with its interval, and mean goal misgeneralization."""
    figure, axes = plt.subplots(1, 2, figsize=(14, 5.5), layout="constrained")
    takeover = takeover_table(summary, [y, x])
    goal = summary.groupby([y, x])["deploy_share_goal_misgeneralization_animals"].apply(
        lambda shares: mean_interval(shares, bounds=(0.0, 1.0)))  # fmt: skip
    panels = [
        ("probability that planners take over\n(share of runs ending > 50% animals; Wilson 95% interval)",
         {k: (r.p_takeover, r.p_low, r.p_high) for k, r in zip(zip(takeover[y], takeover[x]), takeover.itertuples())}),
        ("goal misgeneralization after the shift\n(share of animal episodes; mean over seeds, 95% interval)",
         {k: v[:3] for k, v in goal.items()}),
    ]  # fmt: skip
    ys = sorted(summary[y].unique(), reverse=True)
    xs = sorted(summary[x].unique())
    for ax, (title, cells) in zip(axes, panels):
        values = np.array([[cells.get((yv, xv), (np.nan,))[0] for xv in xs] for yv in ys], dtype=float)
        image = ax.imshow(values, cmap="viridis", vmin=0, vmax=1, aspect="auto")
        for row, yv in enumerate(ys):
            for column, xv in enumerate(xs):
                mean, low, high = cells.get((yv, xv), (np.nan, np.nan, np.nan))
                if np.isnan(mean):
                    continue
                text = f"{mean:.2f}" + ("" if np.isnan(low) else f"\n[{low:.2f}, {high:.2f}]")
                ax.text(column, row, text, ha="center", va="center", fontsize=8,
                        color="white" if mean < 0.6 else "black")  # fmt: skip
        ax.set_xticks(range(len(xs)), [tick_label(v) for v in xs])
        ax.set_yticks(range(len(ys)), [tick_label(v) for v in ys])
        ax.set(title=title, xlabel=x, ylabel=y)
        figure.colorbar(image, ax=ax, shrink=0.85)
    figure.text(0.5, -0.01, caption, ha="center", va="top", fontsize="small", wrap=True)
    return figure


def plot_sweep_outcomes(summary: pd.DataFrame, parameter: str, caption: str):
    """Outcomes after the shift against one swept parameter (means, 95% bands), and P(takeover)."""
    figure, ax = plt.subplots(figsize=(7.5, 4.8), layout="constrained")
    values = sorted(summary[parameter].unique())
    x = np.arange(len(values)) if not all(isinstance(v, (int, float, np.number)) for v in values) else np.array(values)
    for outcome in Outcome:
        mean, low, high = intervals_by(summary, parameter, values, f"deploy_share_{outcome}_animals")
        colour = OUTCOME_COLOURS[outcome]
        ax.plot(x, mean, "o-", color=colour, label=f"animals: {OUTCOME_LABELS[outcome]}")
        ax.fill_between(x, low, high, color=colour, alpha=0.2)
    takeover = takeover_table(summary, [parameter])
    ax.plot(x, takeover["p_takeover"], "k--", label=f"P({TAKEOVER}), Wilson 95% band")
    ax.fill_between(x, takeover["p_low"], takeover["p_high"], color="black", alpha=0.08)
    ax.set_xticks(x, [tick_label(v) for v in values])
    ax.set(title=f"Outcomes after the shift against {parameter}", xlabel=parameter, ylabel="share", ylim=(-0.02, 1.02))
    ax.legend(fontsize="small")
    figure.text(0.5, -0.01, caption, ha="center", va="top", fontsize="small", wrap=True)
    return figure


def draw_sweep_figures(folder: Path) -> list[Path]:
    """Heatmaps over the first two swept parameters, the distribution of final shares, and
    outcome curves for each swept parameter; then each claim's own figures of a sweep of its
    kind (`Claim.sweep_figures`)."""
    folder = Path(folder)
    record_path, summary_path = folder / RECORD, folder / "summary.csv"
    if not record_path.exists() or not summary_path.exists():
        raise ValueError(f"folder={str(folder)!r} is not allowed: expected a finished sweep's results folder")
    record = read_record(folder)
    summary = pd.read_csv(summary_path)
    swept = record["swept"]
    if not swept:
        raise ValueError(f"folder={str(folder)!r} has nothing to plot: its sweep varies no parameter")
    caption = sweep_caption(record)
    figures = {}
    if len(swept) >= 2:
        figures[f"heatmap_{swept[0]}_{swept[1]}.png"] = plot_sweep_heatmaps(summary, swept[0], swept[1], caption)
    if swept:
        figures["final_share_distribution.png"] = plot_final_share_distribution(summary, swept, caption)
    for parameter in swept:
        figures[f"outcomes_by_{parameter}.png"] = plot_sweep_outcomes(summary, parameter, caption)
    sweep = FinishedSweep(folder, record, summary, caption)
    for claim in CLAIMS:
        figures.update(claim.sweep_figures(sweep))
    for name, figure in figures.items():
        figure.savefig(folder / name, dpi=110, bbox_inches="tight")
        plt.close(figure)
    return [folder / name for name in figures]
