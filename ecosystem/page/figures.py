"""The run's figures on the page: who holds the population, how episodes end, and the
intended score against the base score.

Each figure reads the model's data collector, leaving probed episodes out
as every figure of a run does; `plot_component` turns one into a page part
that is redrawn only when an episode has ended, when its data can have
changed.
"""

import numpy as np
import pandas as pd
import solara
from matplotlib.figure import Figure
from mesa.visualization.utils import update_counter

from ecosystem.measure import metrics
from ecosystem.measure.outcomes import Outcome
from ecosystem.model import EcosystemModel
from ecosystem.plots import OUTCOME_COLOURS, OUTCOME_LABELS, plot_kind_shares
from ecosystem.world.constants import DEPLOY, TRAIN


def outcome_shares(model: EcosystemModel, phase: str) -> dict[str, dict[str, float]]:
    """Share of each outcome by kind, over a phase's finished, unprobed episodes (training: the
    latest generation), from `metrics.outcome_shares`; 0 for an absent kind.

    Reads only the columns it needs: the banner calls it at every redraw after the shift.
    """
    table = model.datacollector.tables["episodes"]
    rows = metrics.unprobed(pd.DataFrame({c: table[c] for c in ("phase", "generation", "kind", "outcome", "probed")}))
    if phase == TRAIN:
        rows = rows[rows["phase"] == TRAIN]
        rows = rows[rows["generation"] == rows["generation"].max()]
    else:
        rows = rows[rows["phase"] == DEPLOY]
    return {kind: {o: 0.0 if np.isnan(s) else s for o, s in shares.items()}
            for kind, shares in metrics.outcome_shares(rows).items()}  # fmt: skip


def population_figure(model: EcosystemModel) -> Figure:
    """Share of animals and plants per generation, with each kind's robust share in training."""
    figure = Figure(figsize=(5.4, 3.6), layout="constrained")
    ax = figure.add_subplot()
    rows = model.datacollector.get_model_vars_dataframe()
    if len(rows) and (rows["phase"] == TRAIN).any():
        plot_kind_shares(ax, rows.assign(seed=model.seed))
        ax.legend(fontsize=7, loc="lower left")
    else:
        ax.text(0.5, 0.5, "appears when the first generation ends", ha="center", va="center", transform=ax.transAxes)
        ax.set(title="Evolution: who holds the population", xlabel="generation", ylabel="share")
    return figure


def outcomes_figure(model: EcosystemModel) -> Figure:
    """Outcome shares by kind: after the shift once it happened, else the latest generation."""
    phase = DEPLOY if model.phase == DEPLOY else TRAIN
    shares = outcome_shares(model, phase)
    figure = Figure(figsize=(5.4, 3.6), layout="constrained")
    ax = figure.add_subplot()
    kinds = list(shares)
    bottoms = np.zeros(len(kinds))
    for outcome in Outcome:
        values = np.array([shares[k][outcome] for k in kinds])
        ax.bar([f"{k}s" for k in kinds], values, bottom=bottoms, color=OUTCOME_COLOURS[outcome], label=OUTCOME_LABELS[outcome])
        bottoms += values
    title = "Outcomes after the shift (deployment so far)" if phase == DEPLOY else "Outcomes in training (latest generation)"
    ax.set(title=title, ylabel="share of episodes", ylim=(0, 1.35))
    ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
    ax.legend(fontsize=7, loc="upper center", ncol=2)
    return figure


def scores_figure(model: EcosystemModel) -> Figure:
    """Mean intended score (what we want) against base score (what evolution sees)."""
    figure = Figure(figsize=(5.4, 3.6), layout="constrained")
    ax = figure.add_subplot()
    rows = model.datacollector.get_model_vars_dataframe()
    if len(rows):
        x = np.arange(1, len(rows) + 1)
        ax.plot(x, rows["mean_intended_score"], "o-", color="#264653", label="intended score (reach the exit)")
        ax.plot(x, rows["mean_base_score"], "x--", color="#e9c46a", label=f"base score ({model.params.base_objective})")
        labels = [f"{g + 1}" if p == TRAIN else "deploy" for p, g in zip(rows["phase"], rows["generation"])]
        step = max(1, len(x) // 10)
        ax.set_xticks(x[::step], labels[::step])
        ax.legend(fontsize=7)
    ax.set(title="Intended score against base score", xlabel="generation", ylabel="mean score")
    return figure


def _phase_key(model: EcosystemModel) -> tuple:
    """Changes exactly when the plots' data can have changed (an episode ended)."""
    return id(model), model.phase, model.generation, model.episode


def plot_component(figure_of):
    """A component showing `figure_of(model)`, redrawn only when an episode has ended."""

    @solara.component
    def Plot(model: EcosystemModel):
        update_counter.get()
        figure = solara.use_memo(lambda: figure_of(model), [_phase_key(model)])
        solara.FigureMatplotlib(figure, format="png")

    return Plot


PopulationPlot = plot_component(population_figure)
OutcomePlot = plot_component(outcomes_figure)
ScorePlot = plot_component(scores_figure)
