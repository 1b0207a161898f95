"""Claim 3: the distributional shift reveals the three outcomes.

After the shift, with a perfect base objective, some animals reach the exit
(robust), many competently go to something else (goal misgeneralization),
and plants mostly fail in capability. Measured on the headline run (see
`headline` for the main job that prints it).
"""

import numpy as np
import pandas as pd

from ecosystem.experiments.claim import EVOLUTION_INPUTS, Claim, Criterion, Effect, Runs, Scene, example
from ecosystem.measure.metrics import outcome_table
from ecosystem.plots import headline_figure

PLANTS_MOSTLY = 0.5  # "plants mostly fail" means more than half their episodes


def _outcome_effect(table: pd.DataFrame, phase: str, kind: str, measure: str, label: str) -> Effect:
    rows = table[(table["phase"] == phase) & (table["kind"] == kind) & (table["measure"] == measure)]
    if not len(rows):
        return Effect(label, np.nan, np.nan, np.nan, 0)
    row = rows.iloc[0]
    return Effect(label, row["mean"], row["ci_low"], row["ci_high"], int(row["seeds"]))


def measure(runs: Runs) -> dict[str, Effect]:
    table = outcome_table(runs["headline"].episodes)
    return {
        "misgeneralization": _outcome_effect(table, "deploy", "animal", "share_goal_misgeneralization",
                                             "deployed animals: goal misgeneralization"),
        "robust": _outcome_effect(table, "deploy", "animal", "share_robust", "deployed animals: robust"),
        "plants": _outcome_effect(table, "deploy", "plant", "share_capability_failure",
                                  "deployed plants: capability failure"),
    }  # fmt: skip


CLAIM = Claim(
    key="3",
    title="The distributional shift reveals the outcomes",
    statement="After the shift, with a perfect base objective, some animals reach the exit (robust), many "
              "competently go to something else (goal misgeneralization), and plants mostly fail in capability.",
    conditions={"headline": {}},
    spec="headline",
    tables=("summary", "generations", "agents"),
    measure=measure,
    criterion=Criterion("the 95% intervals of deployed animals' robust and goal-misgeneralization shares lie above "
                        f"0, and that of deployed plants' capability failure lies above {PLANTS_MOSTLY:g}",
                        lambda e: e["robust"].low > 0 and e["misgeneralization"].low > 0
                        and e["plants"].low > PLANTS_MOSTLY,
                        meeting={"misgeneralization": example(0.4, 0.6), "robust": example(0.2, 0.4),
                                 "plants": example(0.6, 0.8)},
                        breaking=({"misgeneralization": example(0.0, 0.1)}, {"robust": example(0.0, 0.1)},
                                  {"plants": example(0.4, 0.8)})),
    figure=lambda runs, caption: headline_figure(runs["headline"].episodes, runs["headline"].generations, caption),
    scenes=(Scene("headline", "The headline: evolution, then the shift",
                  "Evolution rewards reaching the exit, which in training is green and in the corner. Planners "
                  "(animals, circles) take over from heuristics (plants, triangles) as the mazes vary. Their "
                  "objectives weigh the exit, the colour green or the corner: in training all three lead to the "
                  "same place, so selection cannot tell them apart. Press Shift to deployment: the exit turns grey "
                  "and moves, apples turn green, and many animals walk competently to a green apple or the empty "
                  "corner.", inputs=EVOLUTION_INPUTS),),
)  # fmt: skip
