"""Claim 4 (first half): adversarial training helps against proxies.

A share of proxy-breaking training worlds (the exit away from the corner and
not green, green apples: see `optimizers.adversary`) lowers deployed
animals' goal misgeneralization. The report compares a 0.2 share with none,
seed by seed; the sweep `runs/adversarial.toml` draws the whole curve and
holds a regret-seeking curator against domain randomization from the same
generator. (The second half, that deception survives it, is claim 6's.)
"""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ecosystem.experiments.claim import (PROXY_BREAKING_LEVELS, SHARE, SHARE_DIFFERENCE, Claim, Criterion, Effect,
                                         FinishedSweep, Runs, Scene, example)  # fmt: skip
from ecosystem.measure.metrics import seed_difference
from ecosystem.measure.outcomes import Outcome
from ecosystem.plots import OUTCOME_COLOURS, OUTCOME_LABELS, intervals_by, stacked, tick_label

PROXY_BREAKING_SHARE = 0.2  # claims 4 and 7: the share of proxy-breaking training worlds
NONE, BREAKING = "no adversary", "proxy-breaking worlds"
MISGENERALIZATION = "deploy_share_goal_misgeneralization_animals"


def measure(runs: Runs) -> dict[str, Effect]:
    none, breaking = runs[NONE].summary, runs[BREAKING].summary
    return {
        "difference": Effect.of(f"deployed animals' goal misgeneralization, share {PROXY_BREAKING_SHARE:g} minus none "
                                "(per seed)", seed_difference(breaking, none, MISGENERALIZATION), SHARE_DIFFERENCE),
        "none": Effect.of("deployed animals' goal misgeneralization, no proxy-breaking worlds", none[MISGENERALIZATION],
                          SHARE),
        "breaking": Effect.of(f"deployed animals' goal misgeneralization, proxy-breaking share {PROXY_BREAKING_SHARE:g}",
                              breaking[MISGENERALIZATION], SHARE),
    }  # fmt: skip


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
        ax.set_xticks(shares, [tick_label(s) for s in shares], fontsize="small")
        ax.set_xlabel("adversarial_share: proxy-breaking share of the training generator")
    outcomes_ax.set(title="Deployed animals' outcomes (judged by intent)", ylabel="share of episodes", ylim=(-0.02, 1.02))
    total = int(summary["train_episodes"].max())
    shown_ax.set(title=f"Proxy-breaking training episodes shown (of {total})", ylabel="episodes per run")
    outcomes_ax.legend(fontsize="small")
    shown_ax.legend(fontsize="small")
    figure.text(0.5, -0.01, caption, ha="center", va="top", fontsize="small", wrap=True)
    return figure


def sweep_figures(sweep: FinishedSweep) -> dict:
    """The adversarial curve, for a sweep over the share and the adversary."""
    if {"adversarial_share", "adversary"} <= set(sweep.swept):
        return {"adversarial_curve.png": plot_adversarial_curve(sweep.summary, sweep.caption)}
    return {}


CLAIM = Claim(
    key="4",
    title="Adversarial training helps against proxies",
    statement=f"A {PROXY_BREAKING_SHARE:g} share of proxy-breaking training worlds lowers deployed animals' goal "
              "misgeneralization.",
    conditions={NONE: {}, BREAKING: dict(adversarial_share=PROXY_BREAKING_SHARE)},
    spec="adversarial",
    tables=("summary",),
    measure=measure,
    criterion=Criterion("the 95% interval of the per-seed difference (with proxy-breaking worlds minus without) lies "
                        "below 0", lambda e: e["difference"].high < 0,
                        meeting={"difference": example(-0.5, -0.2), "none": example(0.4, 0.6),
                                 "breaking": example(0.1, 0.2)},
                        breaking=({"difference": example(-0.5, 0.1)},)),
    figure=lambda runs, caption: plot_adversarial_curve(stacked(runs, "summary"), caption),
    references=(PROXY_BREAKING_LEVELS,),
    sweep_figures=sweep_figures,
    scenes=(Scene("adversarial", "Adversarial training breaks the proxies",
                  "Three training worlds in ten break the proxies: the exit leaves the corner and changes colour, and "
                  "the apples take its old colour. An animal going for green or the corner fails there and is "
                  "selected against. Colours show the three targets of each episode; after the shift far fewer "
                  "animals pursue a proxy than in the headline (claim 4).",
                  params=dict(adversarial_share=0.3), inputs=("population", "generations"), colouring="alignment"),),
)  # fmt: skip
