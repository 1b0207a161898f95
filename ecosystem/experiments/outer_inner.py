"""Claim 7: outer and inner alignment are separate problems.

Every animal-episode has an intended target (the exit), a base target (what
the base objective scores highest in its world) and a pursued one. Outer
alignment holds when base = intended, inner alignment when pursued = base.
In the `orchard` training mazes the apples are green like the exit, so the
misspecified base objective `green` disagrees with the intended one already
in training: it loses outer alignment while the animals stay inner aligned
to it; a correct base objective keeps outer alignment and still loses inner
alignment at the shift. The spec `runs/outer_inner.toml` crosses the two
objectives with adversarial training.
"""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ecosystem.experiments.adversarial import PROXY_BREAKING_SHARE
from ecosystem.experiments.claim import SHARE, Claim, Criterion, Effect, FinishedSweep, Runs, Scene, example
from ecosystem.measure.spread import mean_interval
from ecosystem.plots import stacked

ORCHARD = dict(training="orchard")  # green apples beside the green exit
MISSPECIFIED = f"green, proxy-breaking share {PROXY_BREAKING_SHARE:g}"
CORRECT = "exit, no adversary"
CONDITIONS = {f"{objective}, {'no adversary' if share == 0 else f'proxy-breaking share {share:g}'}":
              ORCHARD | dict(base_objective=objective, adversarial_share=share)
              for objective in ("exit", "green") for share in (0.0, PROXY_BREAKING_SHARE)}  # fmt: skip


def measure(runs: Runs) -> dict[str, Effect]:
    effects = {}
    for name in (MISSPECIFIED, CORRECT):
        summary = runs[name].summary
        for phase in ("train", "deploy"):
            effects[f"{name} {phase} outer"] = Effect.of(f"base objective {name}: {phase} outer alignment",
                                                         summary[f"{phase}_rate_outer_aligned"], SHARE)
            effects[f"{name} {phase} inner"] = Effect.of(f"base objective {name}: {phase} inner alignment (animals)",
                                                         summary[f"{phase}_rate_inner_aligned_animals"], SHARE)
    return effects


def holds(e) -> bool:
    falls = all(e[f"{MISSPECIFIED} {p} outer"].high < e[f"{MISSPECIFIED} {p} inner"].low for p in ("train", "deploy"))
    return falls and e[f"{CORRECT} deploy inner"].high < 1.0


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


def sweep_figures(sweep: FinishedSweep) -> dict:
    """The 2 x 2 of base objective against adversarial training, for a sweep over both."""
    if {"adversarial_share", "base_objective"} <= set(sweep.swept):
        return {"outer_inner.png": plot_outer_inner(sweep.summary, sweep.caption)}
    return {}


CLAIM = Claim(
    key="7",
    title="Outer and inner alignment are separate problems",
    statement="A misspecified base objective (green, in mazes whose apples are green too) loses outer alignment "
              "while the animals stay inner aligned to it; a correct base objective keeps outer alignment and still "
              "loses inner alignment at the shift.",
    conditions=CONDITIONS,
    spec="outer_inner",
    tables=("summary",),
    measure=measure,
    criterion=Criterion(f"for {MISSPECIFIED}: outer alignment's 95% interval lies below inner alignment's, in "
                        f"training and in deployment; for {CORRECT}: deployed inner alignment's interval lies below 1 "
                        "(its outer alignment is 1 by definition, the exit being its base target, and is shown, not "
                        "tested)", holds,
                        meeting={f"{name} {phase} {kind}": example(*values) for name, bounds in
                                 ((MISSPECIFIED, {"outer": (0.0, 0.1), "inner": (0.8, 1.0)}),
                                  (CORRECT, {"outer": (1.0, 1.0), "inner": (0.4, 0.6)}))
                                 for phase in ("train", "deploy") for kind, values in bounds.items()},
                        breaking=({f"{MISSPECIFIED} train outer": example(0.0, 0.9)},
                                  {f"{MISSPECIFIED} deploy inner": example(0.05, 0.2)},
                                  {f"{CORRECT} deploy inner": example(0.9, 1.0)})),
    figure=lambda runs, caption: plot_outer_inner(stacked(runs, "summary"), caption),
    sweep_figures=sweep_figures,
    scenes=(Scene("outer_inner", "Outer against inner alignment",
                  "The base objective is misspecified: it rewards ending on anything green, and in these training "
                  "mazes the apples are green like the exit. Animals that pursue a green apple are inner aligned "
                  "(they pursue what the base objective rewards) yet miss the intended exit: outer misalignment. The "
                  "two problems are separate (claim 7).",
                  params=dict(training="orchard", base_objective="green"), inputs=("population", "generations"),
                  colouring="alignment"),),
)  # fmt: skip
