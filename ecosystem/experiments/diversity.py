"""Claim 1: optimizers outcompete heuristics when the world is varied.

From the same mixed founders, evolution fills a world that changes every
episode with planning animals and leaves a world that never changes to
heuristic plants. The report compares diversity 0 with diversity 1 seed by
seed; the sweep `runs/diversity_vs_cognition.toml` maps the whole plane of
diversity against the cost of cognition and holds it against Hubinger's
reference (see `phase_diagram`).
"""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ecosystem.experiments.claim import (EVOLUTION_INPUTS, OPTIMIZATION_AMORTIZED, SHARE, SHARE_DIFFERENCE, Claim,
                                         Criterion, Effect, FinishedSweep, Runs, Scene, example)  # fmt: skip
from ecosystem.experiments.phase_diagram import compare_with_reference, fit_reference
from ecosystem.measure.metrics import seed_difference
from ecosystem.plots import plot_final_share_distribution, stacked

FIXED, VARIED = "diversity 0", "diversity 1"
AS_SWEPT = dict(population=100, generations=30, deploy_episodes=5)  # as runs/diversity_vs_cognition.toml runs them


def measure(runs: Runs) -> dict[str, Effect]:
    fixed, varied = runs[FIXED].summary, runs[VARIED].summary
    return {
        "difference": Effect.of("final share of animals, diversity 1 minus diversity 0 (per seed)",
                                seed_difference(varied, fixed, "final_share_animals"), SHARE_DIFFERENCE),
        "fixed": Effect.of("final share of animals, diversity 0 (one fixed world)", fixed["final_share_animals"], SHARE),
        "varied": Effect.of("final share of animals, diversity 1 (a fresh world every episode)",
                            varied["final_share_animals"], SHARE),
    }  # fmt: skip


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


def sweep_figures(sweep: FinishedSweep) -> dict:
    """The phase diagram against its reference, for a sweep over diversity and cognition_overhead."""
    if {"diversity", "cognition_overhead"} <= set(sweep.swept):
        return {"phase_diagram_reference.png": plot_phase_diagram(sweep.summary, sweep.caption)}
    return {}


CLAIM = Claim(
    key="1",
    title="Optimizers outcompete heuristics when the world is varied",
    statement="From the same mixed founders, evolution fills a world that changes every episode with planning "
              "animals, and leaves a world that never changes to heuristic plants.",
    conditions={FIXED: AS_SWEPT | dict(diversity=0.0), VARIED: AS_SWEPT | dict(diversity=1.0)},
    spec="diversity_vs_cognition",
    tables=("summary",),
    measure=measure,
    criterion=Criterion("the 95% interval of the per-seed difference in the final share of animals (diversity 1 "
                        "minus 0) lies above 0", lambda e: e["difference"].low > 0,
                        meeting={"difference": example(0.6, 1.0), "fixed": example(0.0, 0.2),
                                 "varied": example(0.9, 1.0)},
                        breaking=({"difference": example(-0.1, 0.5)},)),
    figure=lambda runs, caption: plot_final_share_distribution(stacked(runs, "summary"), ["diversity"], caption),
    references=(OPTIMIZATION_AMORTIZED,),
    sweep_figures=sweep_figures,
    scenes=(Scene("fixed", "A fixed world: heuristics win",
                  "Every training episode is the same maze (diversity 0). A plant's evolved route solves it for free; "
                  "planning costs fitness every episode. Watch the share of animals fall: optimization pays only "
                  "where the world varies (claim 1).",
                  params=dict(diversity=0.0), inputs=EVOLUTION_INPUTS, colouring="kind"),),
)  # fmt: skip
