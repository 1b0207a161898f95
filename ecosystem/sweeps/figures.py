"""A finished sweep's figures, drawn from its results folder.

Evolution here is bistable: each run ends with about 1% or about 99%
planners, so a cell's mean share of animals is really a probability that
planners take over. The figures show that probability with its Wilson
interval, the distribution of final shares behind it, and the outcomes
after the shift as means over seeds with 95% bands.
"""

import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ecosystem.experiments import deception, learning
from ecosystem.experiments.phase_diagram import compare_with_reference, fit_reference
from ecosystem.measure.metrics import TAKEOVER_SHARE
from ecosystem.measure.outcomes import Outcome
from ecosystem.measure.spread import mean_interval, proportion_interval
from ecosystem.plots import OUTCOME_COLOURS, OUTCOME_LABELS
from ecosystem.sweeps.spec import RECORD

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


def intervals_by(runs: pd.DataFrame, parameter: str, values, column: str, bounds=(0.0, 1.0)) -> np.ndarray:
    """Mean of `column` over the runs at each of `values` of `parameter`, and its 95% interval:
    an array of rows (means, lows, highs)."""
    return np.array([mean_interval(runs.loc[runs[parameter] == v, column], bounds=bounds)[:3] for v in values]).T


def _tick(value) -> str:
    return f"{value:g}" if isinstance(value, (int, float, np.number)) else str(value)


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
        ax.set_xticks(range(len(xs)), [_tick(v) for v in xs])
        ax.set_yticks(range(len(ys)), [_tick(v) for v in ys])
        ax.set(title=title, xlabel=x, ylabel=y)
        figure.colorbar(image, ax=ax, shrink=0.85)
    figure.text(0.5, -0.01, caption, ha="center", va="top", fontsize="small", wrap=True)
    return figure


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
        ax.set_xticks(range(len(xs)), [_tick(v) for v in xs])
        ax.set(xlabel=x, ylim=(-0.03, 1.03), title=f"{panel} = {_tick(value)}" if panel else None)
    axes[0][0].set_ylabel("share of animals at the end of training\n(dashed: takeover threshold)")
    figure.suptitle("Final share of animals in every run (one dot each): runs fix near 0 or near 1")
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
    ax.set_xticks(x, [_tick(v) for v in values])
    ax.set(title=f"Outcomes after the shift against {parameter}", xlabel=parameter, ylabel="share", ylim=(-0.02, 1.02))
    ax.legend(fontsize="small")
    figure.text(0.5, -0.01, caption, ha="center", va="top", fontsize="small", wrap=True)
    return figure


def plot_adversarial_curve(summary: pd.DataFrame, caption: str):
    """Deployment outcomes against the share of proxy-breaking worlds, one line per adversary
    (means over seeds, 95% bands), and how many proxy-breaking episodes each actually showed."""
    figure, (outcomes_ax, shown_ax) = plt.subplots(1, 2, figsize=(13, 4.8), layout="constrained")
    styles = {"random": "o-", "regret": "s--"}
    shares = sorted(summary["adversarial_share"].unique())
    for adversary, runs in summary.groupby("adversary", sort=True):
        for outcome in (Outcome.GOAL_MISGENERALIZATION, Outcome.ROBUST):
            mean, low, high = intervals_by(runs, "adversarial_share", shares, f"deploy_share_{outcome}_animals")
            colour = OUTCOME_COLOURS[outcome]
            outcomes_ax.plot(shares, mean, styles.get(adversary, "o-"), color=colour,
                             label=f"{OUTCOME_LABELS[outcome]}, {adversary}")  # fmt: skip
            outcomes_ax.fill_between(shares, low, high, color=colour, alpha=0.15)
        mean, low, high = intervals_by(runs, "adversarial_share", shares, "train_adversarial_episodes", (0.0, np.inf))
        shown_ax.plot(shares, mean, styles.get(adversary, "o-"), color="black", label=adversary)
        shown_ax.fill_between(shares, low, high, color="black", alpha=0.1)
    for ax in (outcomes_ax, shown_ax):
        ax.set_xscale("symlog", linthresh=0.005)
        ax.set_xticks(shares, [_tick(s) for s in shares], fontsize="small")
        ax.set_xlabel("adversarial_share: proxy-breaking share of the training generator")
    outcomes_ax.set(title="Deployed animals' outcomes (judged by intent)", ylabel="share of episodes", ylim=(-0.02, 1.02))
    total = int(summary["train_episodes"].max())
    shown_ax.set(title=f"Proxy-breaking training episodes shown (of {total})", ylabel="episodes per run")
    outcomes_ax.legend(fontsize="small")
    shown_ax.legend(fontsize="small")
    figure.text(0.5, -0.01, caption, ha="center", va="top", fontsize="small", wrap=True)
    return figure


OUTER_INNER_MEASURES = {
    "rate_outer_aligned": "outer\naligned",
    "rate_inner_aligned_animals": "inner\naligned",
    "intended_score": "intended\nscore",
    "base_score": "base\nscore",
}


def plot_outer_inner(summary: pd.DataFrame, caption: str):
    """The 2 x 2 of base objective against adversarial training: per cell, the outer- and
    inner-alignment rates and the intended and base scores, in training and in deployment."""
    cells = sorted(summary.groupby(["base_objective", "adversarial_share"]).groups)
    figure, axes = plt.subplots(1, len(cells), figsize=(4.2 * len(cells), 4.6), sharey=True,
                                layout="constrained", squeeze=False)  # fmt: skip
    width = 0.38
    for ax, (objective, share) in zip(axes[0], cells):
        runs = summary[(summary["base_objective"] == objective) & (summary["adversarial_share"] == share)]
        for offset, phase, colour in ((-width / 2, "train", "#8ecae6"), (width / 2, "deploy", "#023047")):
            columns = [f"{phase}_{m}" for m in OUTER_INNER_MEASURES]
            stats = np.array([mean_interval(runs[c])[:3] for c in columns])  # mean, low, high per measure
            means = stats[:, 0]
            errors = np.nan_to_num(np.abs(stats[:, 1:].T - means))
            ax.bar(np.arange(len(columns)) + offset, means, width, yerr=errors, capsize=2, color=colour, label=phase)
        ax.set_xticks(range(len(OUTER_INNER_MEASURES)), OUTER_INNER_MEASURES.values(), fontsize="small")
        ax.set_title(f"base objective {objective}\nadversarial_share {share:g} ({len(runs)} seeds)")
        ax.axhline(1.0, color="grey", lw=0.5, ls=":")
    axes[0][0].set_ylabel("rate (outer: base target is the exit; inner: animals\npursue a base goal), or mean score (1.5 at best)")
    axes[0][0].legend(fontsize="small")
    figure.suptitle("Outer and inner alignment are separate problems")
    figure.text(0.5, -0.01, caption, ha="center", va="top", fontsize="small", wrap=True)
    return figure


def plot_phase_diagram(summary: pd.DataFrame, caption: str):
    """The probability that planners take over against distinct training worlds and the cost of
    cognition, beside the fitted reference (see `experiments.phase_diagram`)."""
    fit = fit_reference(summary)
    cells = compare_with_reference(summary, fit)
    figure, (plane, scatter) = plt.subplots(1, 2, figsize=(13, 5), layout="constrained")
    points = plane.scatter(cells["distinct_worlds"], cells["cognition_overhead"], c=cells["p_observed"], cmap="viridis",
                           vmin=0, vmax=1, s=260, edgecolors=np.where(cells["agrees"], "white", "red"), linewidths=2)  # fmt: skip
    overheads = np.linspace(cells["cognition_overhead"].min() - 0.02, cells["cognition_overhead"].max() + 0.02, 50)
    plane.plot(fit.boundary(overheads), overheads, "k--", label=f"reference boundary N* = (c + {fit.c0:.3f}) / {fit.h:.4f}")
    for p, style in ((0.1, ":"), (0.9, ":")):
        worlds = (overheads + fit.c0 + np.log(p / (1 - p)) / fit.k) / fit.h
        plane.plot(worlds, overheads, style, color="grey", lw=1)
    plane.set_xlim(0, cells["distinct_worlds"].max() * 1.1)
    plane.set(title="P(planners take over): observed (dots) and the reference\n(dotted: reference P = 0.1 and 0.9; "
              "red rim: observed interval misses it)", xlabel="distinct training worlds N = 1 + diversity (E - 1)",
              ylabel="cognition_overhead c")  # fmt: skip
    figure.colorbar(points, ax=plane, shrink=0.85, label="observed share of runs")
    plane.legend(fontsize="small", loc="upper left")
    errors = np.vstack([cells["p_observed"] - cells["p_low"], cells["p_high"] - cells["p_observed"]])
    scatter.errorbar(cells["p_reference"], cells["p_observed"], yerr=errors, fmt="o", color="#bc6c25", ecolor="grey", capsize=2)
    scatter.plot([0, 1], [0, 1], "k:", lw=1)
    scatter.set(title=f"Observed (Wilson 95%) against the reference: {int(cells['agrees'].sum())} of {len(cells)} cells agree",
                xlabel="reference P(planners take over)", ylabel="observed share of runs", xlim=(-0.03, 1.03), ylim=(-0.03, 1.03))  # fmt: skip
    figure.text(0.5, -0.01, caption + f"; reference fitted to {fit.runs} runs: h={fit.h:.4f}, c0={fit.c0:.3f}, k={fit.k:.1f}",
                ha="center", va="top", fontsize="small", wrap=True)  # fmt: skip
    return figure


def deception_figures(folder: Path, record: dict, swept: list[str], caption: str) -> dict:
    """The deception experiments' figures (see `experiments.deception`), from agents.csv."""
    agents = pd.read_csv(folder / "agents.csv")
    deployment = record["fixed"].get("deployment", "deployment")
    if {"honeypot_share", "awareness"} <= set(swept):
        table = deception.tables_by(agents, ["honeypot_share", "awareness"], deception.group_table, deployment=deployment)
        return {"honeypots.png": deception.plot_honeypots(table, caption)}
    if record["fixed"].get("base_optimizer") == "both":
        by_generation = deception.tables_by(agents, swept, deception.deceiver_share_by_generation, deployment=deployment)
        return {"deceiver_share.png": deception.plot_deceiver_share(by_generation, swept, caption)}
    table = deception.tables_by(agents, swept, deception.group_table, deployment=deployment)
    summary = deception.tables_by(table, swept, deception.group_summary)
    return {"deception_groups.png": deception.plot_groups(summary, swept, caption)}


def learning_figures(folder: Path, record: dict, swept: list[str], summary: pd.DataFrame, caption: str) -> dict:
    """The figures of the learning experiments (see `experiments.learning`), where a sweep is one."""
    fixed, agents_path = record["fixed"], folder / "agents.csv"
    if {"objective_change_every", "world_model_cost"} <= set(swept):
        return {"pointer_takeover.png": learning.plot_pointer_takeover(summary, caption)}
    if not (fixed.get("pointer_share") and agents_path.exists()):
        return {}
    agents = pd.read_csv(agents_path)
    if swept == ["modification_rate"] and fixed.get("objective_change_every"):
        table = deception.tables_by(agents, swept, learning.realignment, change_episode=fixed["objective_change_every"])
        return {"realignment.png": learning.plot_realignment(table, caption)}
    if fixed.get("deceptive_share") and set(swept) <= {"adversarial_share", "honeypot_share", "objective_change_every"}:
        by_condition = learning.four_kinds_by_condition(agents, swept, fixed.get("deployment", "deployment"))
        return {"four_kinds.png": learning.plot_four_kinds(by_condition, caption)} if by_condition else {}
    return {}


def draw_sweep_figures(folder: Path) -> list[Path]:
    """Heatmaps over the first two swept parameters, the distribution of final shares, and
    outcome curves for each swept parameter."""
    folder = Path(folder)
    record_path, summary_path = folder / RECORD, folder / "summary.csv"
    if not record_path.exists() or not summary_path.exists():
        raise ValueError(f"folder={str(folder)!r} is not allowed: expected a finished sweep's results folder")
    record = json.loads(record_path.read_text())
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
    if {"diversity", "cognition_overhead"} <= set(swept):
        figures["phase_diagram_reference.png"] = plot_phase_diagram(summary, caption)
    if {"adversarial_share", "adversary"} <= set(swept):
        figures["adversarial_curve.png"] = plot_adversarial_curve(summary, caption)
    if {"adversarial_share", "base_objective"} <= set(swept):
        figures["outer_inner.png"] = plot_outer_inner(summary, caption)
    if record["fixed"].get("far_sighted_share") and (folder / "agents.csv").exists():
        figures.update(deception_figures(folder, record, swept, caption))
    figures.update(learning_figures(folder, record, swept, summary, caption))
    for name, figure in figures.items():
        figure.savefig(folder / name, dpi=110, bbox_inches="tight")
        plt.close(figure)
    return [folder / name for name in figures]
