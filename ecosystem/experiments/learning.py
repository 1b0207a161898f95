"""Claim 5: learning the base objective beats internalizing it.

Two experiments, both on the `flags` training preset (the green exit in the
corner, and blue apples that a changed base objective rewards); the four
kinds of alignment, which use the same kinds of animal, are `four_kinds`':

- **Re-alignment** (`REALIGNMENT`, `runs/realignment.toml`): a population
  evolved as in the headline run lives one lifetime of 12 training episodes
  under modification; after 6 the base objective changes from the exit to
  blue objects, and a signpost in every world (and the scores) reveal it.
  Per kind of objective, the episodes until an animal first pursues the new
  base target, against the modification rate.
- **Learning against internalizing** (`runs/learning_vs_internalizing.toml`):
  pointers and internal objectives compete under selection alone while the
  base objective switches every so many training episodes and the world model
  costs fitness (Hinton and Nowlan, 1987). P(pointers take over).

The report measures the first at two modification rates: the claim holds
when internal objectives take longer than pointers to follow the change at
the slow rate.
"""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ecosystem.experiments.claim import (LEARNING_GUIDES_EVOLUTION, Claim, Criterion, Effect, FinishedSweep, Runs,
                                         example)  # fmt: skip
from ecosystem.experiments.groups import animal_rows, tables_by
from ecosystem.measure.spread import mean_interval, proportion_interval
from ecosystem.world.constants import TRAIN

REALIGNMENT = dict(training="flags", deployment="flags", pretraining_generations=20, generations=1,
                   base_optimizer="modification", modification_rate=0.05, episodes_per_generation=12,
                   deploy_episodes=6, second_base_objective="blue", objective_change_every=6, pointer_share=0.25,
                   deceptive_share=0.25, observed_others=3, signpost_share=1.0, signpost_noise=0.3)  # fmt: skip
CHANGE_EPISODE = 6  # REALIGNMENT's change of the base objective, in its lifetime's training episodes
# The competition of runs/learning_vs_internalizing.toml, without its two swept parameters.
COMPETITION = dict(training="flags", deployment="flags", second_base_objective="blue", pointer_share=0.5,
                   objective_kind_flip_rate=0.01, observed_others=3, signpost_share=0.2)  # fmt: skip


def realignment(episodes: pd.DataFrame, change_episode: int) -> pd.DataFrame:
    """Per seed and kind of objective: the mean number of training episodes, from the change
    of the base objective on, until an animal first pursues a goal of the new base objective
    (an animal that never does counts the episodes left, so the figure is a lower bound), and
    the share that never did."""
    animals = animal_rows(episodes)
    after = animals[(animals["phase"] == TRAIN) & (animals["episode"] >= change_episode)]
    left = int(after["episode"].max()) - change_episode + 1
    rows = []
    for (seed, kind), of_kind in after.groupby(["seed", "objective_kind"], sort=True):
        pursued = of_kind[of_kind["inner_aligned"].astype(bool)].groupby("agent_id")["episode"].min() - change_episode
        waits = pursued.reindex(of_kind["agent_id"].unique()).fillna(left)
        rows.append({"seed": seed, "objective_kind": kind, "animals": len(waits),
                     "episodes_to_realign": float(waits.mean()), "never": float((waits == left).mean())})  # fmt: skip
    return pd.DataFrame(rows)


def internal_minus_pointer(table: pd.DataFrame) -> pd.Series:
    """Per seed, internal objectives' mean episodes to re-align minus pointers' (`table`:
    `realignment`), indexed by seed; a seed lacking either kind is left out."""
    waits = table.pivot(index="seed", columns="objective_kind", values="episodes_to_realign")
    waits = waits.reindex(columns=["internal", "pointer"])
    return (waits["internal"] - waits["pointer"]).dropna()


def takeover_by(summary: pd.DataFrame, x: str, y: str) -> pd.DataFrame:
    """Per cell of two swept parameters: runs, runs in which pointers took over (more than half
    of the last generation's animals), and the Wilson interval of that share."""
    rows = []
    for (xv, yv), runs in summary.groupby([x, y], sort=True):
        shares = runs["final_share_pointers"].dropna()
        took = int((shares > 0.5).sum())
        p, low, high = proportion_interval(took, len(shares))
        rows.append({x: xv, y: yv, "runs": len(shares), "took_over": took, "p_takeover": p, "p_low": low, "p_high": high})
    return pd.DataFrame(rows)


def plot_pointer_takeover(summary: pd.DataFrame, caption: str):
    """Heatmap of P(pointers take over) against how often the base objective changes and what
    the world model costs, with the Wilson interval in every cell."""
    x, y = "objective_change_every", "world_model_cost"
    table = takeover_by(summary, x, y)
    xs, ys = sorted(table[x].unique(), key=lambda v: (v != 0, -v)), sorted(table[y].unique())  # never, then more often
    grid = np.full((len(ys), len(xs)), np.nan)
    figure, ax = plt.subplots(figsize=(7.5, 4.8), layout="constrained")
    for row in table.itertuples():
        i, j = ys.index(getattr(row, y)), xs.index(getattr(row, x))
        grid[i, j] = row.p_takeover
        ax.text(j, i, f"{row.p_takeover:.2f}\n[{row.p_low:.2f}, {row.p_high:.2f}]", ha="center", va="center",
                fontsize="small", color="white" if row.p_takeover < 0.6 else "black")  # fmt: skip
    image = ax.imshow(grid, origin="lower", cmap="viridis", vmin=0, vmax=1, aspect="auto")
    if min(grid.shape) > 1:
        ax.contour(grid, levels=[0.5], colors="white", linewidths=2, linestyles="--")  # the boundary: P = 0.5
    ax.set_xticks(range(len(xs)), ["never" if v == 0 else f"{v:g}" for v in xs])
    ax.set_yticks(range(len(ys)), [f"{v:g}" for v in ys])
    ax.set(title="P(pointers take over): learning the base objective against internalizing it",
           xlabel="objective_change_every (training episodes between changes; dashed: P = 0.5)",
           ylabel="world_model_cost per episode")
    figure.colorbar(image, ax=ax, label="share of runs (Wilson 95% in each cell)")
    figure.text(0.5, -0.01, caption, ha="center", va="top", fontsize="small", wrap=True)
    return figure


def plot_realignment(table: pd.DataFrame, caption: str):
    """Episodes from a change of the base objective until an animal first pursues the new base
    target, by kind of objective, against the modification rate (means over seeds, 95% intervals;
    `table`: `realignment` per modification rate, see `groups.tables_by`)."""
    figure, ax = plt.subplots(figsize=(6.8, 4.6), layout="constrained")
    rates = sorted(table["modification_rate"].unique())
    colours = {"internal": "#2a9d8f", "pointer": "#8ecae6", "deceptive": "#e76f51"}
    for kind, rows in table.groupby("objective_kind", sort=True):
        stats = np.array([mean_interval(rows[rows["modification_rate"] == r]["episodes_to_realign"])[:3] for r in rates])
        ax.errorbar(rates, stats[:, 0], yerr=np.nan_to_num(np.abs(stats[:, 1:].T - stats[:, 0])), fmt="o-", capsize=3,
                    color=colours.get(kind, "grey"), label=kind)  # fmt: skip
    ax.set_xscale("log")
    ax.set_xticks(rates, [f"{r:g}" for r in rates])
    ax.set(title="Re-alignment after the base objective changes", xlabel="modification_rate (log scale)",
           ylabel="training episodes until it pursues the new base target", ylim=(0, None))  # fmt: skip
    ax.legend(fontsize="small")
    figure.text(0.5, -0.01, caption, ha="center", va="top", fontsize="small", wrap=True)
    return figure


def generations_to_follow(episodes: pd.DataFrame, change_generation: int) -> pd.DataFrame:
    """Under selection: per seed and kind of objective, the generations from a change of the base
    objective until more than half of that kind's animals pursue a goal of the new objective in
    training (the generations left if they never do: a lower bound)."""
    animals = animal_rows(episodes)
    after = animals[(animals["phase"] == TRAIN) & (animals["generation"] >= change_generation)]
    left = int(after["generation"].max()) - change_generation + 1
    rows = []
    for (seed, kind), of_kind in after.groupby(["seed", "objective_kind"], sort=True):
        share = of_kind.groupby("generation")["inner_aligned"].apply(lambda a: a.astype(bool).mean())
        followed = share.index[share > 0.5]
        rows.append({"seed": seed, "objective_kind": kind,
                     "generations_to_follow": float(followed[0] - change_generation) if len(followed) else float(left)})
    return pd.DataFrame(rows)


RATES = {"modification rate 0.05": 0.05, "modification rate 1": 1.0}  # the report's conditions


def _realignment_tables(runs: Runs) -> dict[str, pd.DataFrame]:
    return {name: realignment(runs[name].episodes, CHANGE_EPISODE) for name in RATES}


def measure(runs: Runs) -> dict[str, Effect]:
    (slow, slow_table), (fast, fast_table) = _realignment_tables(runs).items()
    return {
        "slow": Effect.of(f"episodes to re-align, internal minus pointer (per seed), {slow}",
                          internal_minus_pointer(slow_table)),
        "fast": Effect.of(f"episodes to re-align, internal minus pointer (per seed), {fast}",
                          internal_minus_pointer(fast_table)),
    }  # fmt: skip


def figure(runs: Runs, caption: str):
    tables = [t.assign(modification_rate=RATES[n]) for n, t in _realignment_tables(runs).items()]
    return plot_realignment(pd.concat(tables, ignore_index=True), caption)


def sweep_figures(sweep: FinishedSweep) -> dict:
    """P(pointers take over) for a sweep over the objective's changes and the world model's cost;
    re-alignment for a sweep of pointers over the modification rate."""
    fixed, swept = sweep.fixed, sweep.swept
    if {"objective_change_every", "world_model_cost"} <= set(swept):
        return {"pointer_takeover.png": plot_pointer_takeover(sweep.summary, sweep.caption)}
    if fixed.get("pointer_share") and swept == ["modification_rate"] and fixed.get("objective_change_every"):
        agents = sweep.agents
        if agents is not None:
            table = tables_by(agents, swept, realignment, change_episode=fixed["objective_change_every"])
            return {"realignment.png": plot_realignment(table, sweep.caption)}
    return {}


CLAIM = Claim(
    key="5",
    title="Learning the base objective beats internalizing it",
    statement="When the base objective changes, animals whose objective points at their learned world model "
              "follow it sooner than animals with an internal objective, which follow only as fast as modification "
              "steps allow.",
    conditions={name: REALIGNMENT | dict(modification_rate=rate) for name, rate in RATES.items()},
    spec="realignment",
    tables=("summary", "agents"),
    measure=measure,
    criterion=Criterion("at modification rate 0.05, the 95% interval of the per-seed difference (internal minus "
                        "pointer episodes to follow the new objective) lies above 0", lambda e: e["slow"].low > 0,
                        meeting={"slow": example(2.0, 3.0), "fast": example(-1.0, 0.0)},
                        breaking=({"slow": example(-0.1, 3.0)},)),
    figure=figure,
    references=(LEARNING_GUIDES_EVOLUTION,),
    sweep_figures=sweep_figures,
)  # fmt: skip
