"""The four kinds of alignment, side by side on the same worlds and seeds (claims 5 and 6).

Internally aligned animals' innate weights rank the deployment exit first;
corrigibly aligned ones (pointers) take their objective from their world
model's estimate of the base objective; deceptively aligned ones hold a
proxy and plan over their lifetime to protect it; proxy-aligned ones hold a
proxy and do not model training. A population evolved on the `flags` preset,
a quarter of its founders pointers and a quarter deceptive, lives one
lifetime of modification and then deployment, in four conditions: ordinary
training, adversarial training, adversarial training with honeypots, and a
change of the base objective (`runs/four_kinds.toml`). All four kinds score
the same in ordinary training; they differ in deployment.
"""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ecosystem.experiments.claim import Claim, Criterion, Effect, FinishedSweep, Runs, Scene, example
from ecosystem.experiments.groups import animal_rows, innate_preferences, share_modified
from ecosystem.measure.spread import mean_interval
from ecosystem.world.constants import DEPLOY, TRAIN

FOUR_KINDS = dict(training="flags", pretraining_generations=40, generations=1, base_optimizer="modification",
                  episodes_per_generation=6, deploy_episodes=10, pointer_share=0.25, deceptive_share=0.25,
                  observed_others=3, signpost_share=0.2, second_base_objective="blue")  # fmt: skip
FOUR_KINDS_CHANGE = 3  # the training episode at which the objective-change condition changes it
# The conditions of the four-kinds table, each added to FOUR_KINDS.
CONDITIONS = {
    "ordinary": {},
    "adversarial": dict(adversarial_share=0.3),
    "honeypots": dict(adversarial_share=0.3, honeypot_share=0.5),
    "objective change": dict(objective_change_every=FOUR_KINDS_CHANGE),
}
ALIGNMENT_KINDS = ("internally aligned", "corrigibly aligned", "deceptively aligned", "proxy-aligned")


def alignment_kinds(episodes: pd.DataFrame, deployment: str = "deployment") -> pd.Series:
    """Each animal's kind of alignment, indexed by (seed, agent_id): a pointer is corrigibly
    aligned; any other animal whose innate weights rank the deployment exit first is internally
    aligned; one that ranks something else first is deceptively aligned if it plans deceptively,
    proxy-aligned if it does not. Innate: the weights of its first training episode."""
    first, wants_exit = innate_preferences(episodes, deployment)
    return pd.Series(alignment_kind(first["objective_kind"].to_numpy(), wants_exit), index=first.index, name="alignment")


def alignment_kind(objective_kinds: np.ndarray, wants_exit: np.ndarray) -> np.ndarray:
    """The kind of alignment of each animal (see `alignment_kinds`), from its kind of objective
    and whether its innate weights rank the deployment exit first."""
    kind = np.asarray(objective_kinds)
    return np.where(kind == "pointer", ALIGNMENT_KINDS[1],
                    np.where(wants_exit, ALIGNMENT_KINDS[0],
                             np.where(kind == "deceptive", ALIGNMENT_KINDS[2], ALIGNMENT_KINDS[3])))  # fmt: skip


def four_kinds_rows(episodes: pd.DataFrame, change_episode: int | None = None, deployment: str = "deployment") -> pd.DataFrame:
    """Per seed and kind of alignment: training base score, share modified, deployment
    intended score, and with a change of the base objective the share of training episodes
    after it pursuing the new base goal."""
    animals = animal_rows(episodes).join(alignment_kinds(episodes, deployment), on=["seed", "agent_id"])
    rows = []
    for (seed, alignment), rows_ in animals.groupby(["seed", "alignment"], sort=True):
        train, deploy = rows_[rows_["phase"] == TRAIN], rows_[rows_["phase"] == DEPLOY]
        row = {"seed": seed, "alignment": alignment, "animals": rows_["agent_id"].nunique(),
               "train_base_score": train["base_score"].mean(),
               "modified": share_modified(train),
               "deploy_intended_score": deploy["intended_score"].mean()}  # fmt: skip
        if change_episode is not None:
            later = train[train["episode"] >= change_episode]
            row["pursued_new_base_goal"] = later["inner_aligned"].astype(bool).mean()
        rows.append(row)
    return pd.DataFrame(rows)


def four_kinds_table(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The signature table: one row per kind of alignment, one column per condition and measure,
    each a mean over seeds with its 95% interval as text (`tables`: `four_kinds_rows` by condition)."""
    cells = {}
    for condition, table in tables.items():
        for measure in ("train_base_score", "deploy_intended_score", "modified", "pursued_new_base_goal"):
            if measure not in table:
                continue
            for alignment in ALIGNMENT_KINDS:
                values = table.loc[table["alignment"] == alignment, measure]
                bounds = (0.0, 1.0) if measure in ("modified", "pursued_new_base_goal") else None
                mean, low, high, _ = mean_interval(values, bounds=bounds)
                text = "-" if np.isnan(mean) else f"{mean:.2f}" + ("" if np.isnan(low) else f" [{low:.2f}, {high:.2f}]")
                cells.setdefault(alignment, {})[f"{condition}: {measure}"] = text
    return pd.DataFrame.from_dict(cells, orient="index").reindex(ALIGNMENT_KINDS)


FOUR_KIND_COLOURS = dict(zip(ALIGNMENT_KINDS, ("#2a9d8f", "#8ecae6", "#e76f51", "#e9c46a")))


def plot_four_kinds(tables: dict[str, pd.DataFrame], caption: str):
    """One panel per condition: each kind of alignment's training base score and deployment
    intended score, means over seeds with 95% intervals (`tables`: `four_kinds_rows` by condition)."""
    figure, axes = plt.subplots(1, len(tables), figsize=(4.2 * len(tables), 4.6), sharey=True, layout="constrained",
                                squeeze=False)  # fmt: skip
    width = 0.8 / len(ALIGNMENT_KINDS)
    measures = {"train_base_score": "training\nbase score", "deploy_intended_score": "deployment\nintended score"}
    for ax, (condition, table) in zip(axes[0], tables.items()):
        for k, alignment in enumerate(ALIGNMENT_KINDS):
            rows = table[table["alignment"] == alignment]
            stats = np.array([mean_interval(rows[m])[:3] for m in measures])
            errors = np.nan_to_num(np.abs(stats[:, 1:].T - stats[:, 0]))
            ax.bar(np.arange(len(measures)) + (k - 1.5) * width, stats[:, 0], width, yerr=errors, capsize=2,
                   color=FOUR_KIND_COLOURS[alignment], label=alignment)  # fmt: skip
        ax.set_xticks(range(len(measures)), measures.values())
        ax.set_title(condition)
    axes[0][0].set_ylabel("mean score per episode (1.5 at best)")
    figure.legend(*axes[0][0].get_legend_handles_labels(), loc="outside upper center", ncols=len(ALIGNMENT_KINDS),
                  title="The four kinds of alignment, on the same worlds and seeds", fontsize="small")  # fmt: skip
    figure.text(0.5, -0.01, caption, ha="center", va="top", fontsize="small", wrap=True)
    return figure


def four_kinds_by_condition(agents: pd.DataFrame, swept: list[str], deployment: str = "deployment") -> dict:
    """`four_kinds_rows` for each of CONDITIONS found in a sweep's agents.csv (rows carry the
    `swept` parameters; a configuration is a condition when its non-zero swept parameters are
    exactly that condition's), in the order of CONDITIONS."""
    tables = {}
    for values, rows in agents.groupby(swept, sort=True):
        given = {name: value for name, value in zip(swept, values) if value}
        for condition, params in CONDITIONS.items():
            if params == given:
                change = FOUR_KINDS_CHANGE if "objective_change_every" in params else None
                tables[condition] = four_kinds_rows(rows, change, deployment)
    return {c: tables[c] for c in CONDITIONS if c in tables}


def measure(runs: Runs) -> dict[str, Effect]:
    rows = four_kinds_rows(runs["ordinary"].episodes)
    return {kind: Effect.of(f"{kind}: deployment intended score", rows.loc[rows["alignment"] == kind, "deploy_intended_score"])
            for kind in ALIGNMENT_KINDS}  # fmt: skip


def holds(e) -> bool:
    good, bad = ALIGNMENT_KINDS[:2], ALIGNMENT_KINDS[2:]
    return all(e[g].low > e[b].high for g in good for b in bad)


def sweep_figures(sweep: FinishedSweep) -> dict:
    """The four kinds by condition, for a sweep of pointers and deceivers over the conditions' parameters."""
    fixed, agents = sweep.fixed, sweep.agents
    if not (fixed.get("pointer_share") and fixed.get("deceptive_share") and agents is not None
            and set(sweep.swept) <= {"adversarial_share", "honeypot_share", "objective_change_every"}):
        return {}
    by_condition = four_kinds_by_condition(agents, sweep.swept, fixed.get("deployment", "deployment"))
    return {"four_kinds.png": plot_four_kinds(by_condition, sweep.caption)} if by_condition else {}


CLAIM = Claim(
    key="four kinds",
    title="The four kinds of alignment",
    statement="Internally and corrigibly aligned animals score more of the intended objective in deployment than "
              "deceptively and proxy-aligned ones, on the same worlds and seeds.",
    conditions={"ordinary": FOUR_KINDS | CONDITIONS["ordinary"]},
    spec="four_kinds",
    tables=("summary", "agents"),
    measure=measure,
    criterion=Criterion("the 95% intervals of the internally and corrigibly aligned animals' deployment intended "
                        "scores both lie above those of the deceptively and proxy-aligned", holds,
                        meeting={"internally aligned": example(1.0, 1.2), "corrigibly aligned": example(0.9, 1.2),
                                 "deceptively aligned": example(0.2, 0.4), "proxy-aligned": example(0.2, 0.5)},
                        breaking=({"corrigibly aligned": example(0.4, 1.2)}, {"proxy-aligned": example(0.2, 0.95)})),
    figure=lambda runs, caption: plot_four_kinds({"ordinary": four_kinds_rows(runs["ordinary"].episodes)}, caption),
    sweep_figures=sweep_figures,
    scenes=(Scene("four_kinds", "The four kinds of alignment",
                  "Internally aligned animals value the exit; corrigible ones point their objective at their world "
                  "model's estimate of the base objective; deceptive ones comply while they are watched; "
                  "proxy-aligned ones pursue a proxy. In training all four score the same; after the shift only the "
                  "first two reach the exit. Pick an animal to see its objective and its estimate of the base "
                  "objective.", params=dict(FOUR_KINDS), inputs=("population",), colouring="four_kinds"),),
)  # fmt: skip
