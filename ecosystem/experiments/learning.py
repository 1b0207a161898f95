"""Learning the base objective against internalizing it (claim 5), and the four kinds of alignment.

Three experiments, all on the `flags` training preset (the green exit in the
corner, and blue apples that a changed base objective rewards):

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
- **The four kinds** (`FOUR_KINDS`): internally, corrigibly, deceptively and
  proxy-aligned animals on the same worlds and seeds, in ordinary training,
  with adversarial training, with honeypots and with a change of the base
  objective.
"""

import numpy as np
import pandas as pd

from ecosystem.experiments.deception import innate_preferences, share_modified
from ecosystem.measure.metrics import unprobed
from ecosystem.measure.spread import mean_interval, proportion_interval
from ecosystem.world.constants import DEPLOY, TRAIN, AgentKind

REALIGNMENT = dict(training="flags", deployment="flags", pretraining_generations=20, generations=1,
                   base_optimizer="modification", modification_rate=0.05, episodes_per_generation=12,
                   deploy_episodes=6, second_base_objective="blue", objective_change_every=6, pointer_share=0.25,
                   deceptive_share=0.25, observed_others=3, signpost_share=1.0, signpost_noise=0.3)  # fmt: skip
CHANGE_EPISODE = 6  # REALIGNMENT's change of the base objective, in its lifetime's training episodes
# The competition of runs/learning_vs_internalizing.toml, without its two swept parameters.
COMPETITION = dict(training="flags", deployment="flags", second_base_objective="blue", pointer_share=0.5,
                   objective_kind_flip_rate=0.01, observed_others=3, signpost_share=0.2)  # fmt: skip
FOUR_KINDS = dict(training="flags", pretraining_generations=40, generations=1, base_optimizer="modification",
                  episodes_per_generation=6, deploy_episodes=10, pointer_share=0.25, deceptive_share=0.25,
                  observed_others=3, signpost_share=0.2, awareness=0.5, second_base_objective="blue")  # fmt: skip
FOUR_KINDS_CHANGE = 3  # the training episode at which the objective-change condition changes it
# The conditions of the four-kinds table, each added to FOUR_KINDS.
CONDITIONS = {
    "ordinary": {},
    "adversarial": dict(adversarial_share=0.3),
    "honeypots": dict(adversarial_share=0.3, honeypot_share=0.5),
    "objective change": dict(objective_change_every=FOUR_KINDS_CHANGE),
}
ALIGNMENT_KINDS = ("internally aligned", "corrigibly aligned", "deceptively aligned", "proxy-aligned")


def animal_rows(episodes: pd.DataFrame) -> pd.DataFrame:
    """The unprobed rows of animals (each carries its kind of objective)."""
    episodes = unprobed(episodes)
    return episodes[episodes["kind"] == AgentKind.ANIMAL.value]


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
    import matplotlib.pyplot as plt

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


FOUR_KIND_COLOURS = dict(zip(ALIGNMENT_KINDS, ("#2a9d8f", "#8ecae6", "#e76f51", "#e9c46a")))


def plot_four_kinds(tables: dict[str, pd.DataFrame], caption: str):
    """One panel per condition: each kind of alignment's training base score and deployment
    intended score, means over seeds with 95% intervals (`tables`: `four_kinds_rows` by condition)."""
    import matplotlib.pyplot as plt

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


def plot_realignment(table: pd.DataFrame, caption: str):
    """Episodes from a change of the base objective until an animal first pursues the new base
    target, by kind of objective, against the modification rate (means over seeds, 95% intervals;
    `table`: `realignment` per modification rate, see `deception.tables_by`)."""
    import matplotlib.pyplot as plt

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
