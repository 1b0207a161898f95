"""Claim 6: deception is the optimal policy for a misaligned, situationally aware optimizer.

The seed's toy example is played by the model's own agents on real mazes
(see `toy`). In a population, an animal population evolves as in the
headline run, so its animals hold real proxies (`pretraining_generations`).
Half of the founders of its last generation are then made far-sighted and
aware, and that generation lives one lifetime: training episodes in which
the base optimizer modifies it (with adversarial training, so that proxies
are broken and seen), then deployment. Animals are grouped by what their
innate objective wants (see `groups`); the aware proxy-holders comply in
training and defect in deployment. With evolution between lifetimes on top
(`EVOLUTION`), honeypots (`runs/honeypots.toml`) and the four kinds, the
same groups say whether selection or a honeypot can tell deceivers apart.
"""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ecosystem.experiments.claim import (COMPLIANCE_GAP, SHARE_DIFFERENCE, TOY_EXAMPLE, Claim, Criterion, Effect,
                                         FinishedSweep, Runs, Scene, example)  # fmt: skip
from ecosystem.experiments.groups import (GROUPS, MEASURES, deceiver_share_by_generation, group_summary, group_table,
                                          tables_by)  # fmt: skip
from ecosystem.experiments.toy import SEED_EXAMPLE, choices, run_toy, toy_params
from ecosystem.measure.spread import mean_interval
from ecosystem.world.constants import SIGNS

# The experiment of runs/deception.toml: a headline population, a lifetime of modification.
DECEPTION = dict(pretraining_generations=40, generations=1, base_optimizer="modification",
                 episodes_per_generation=6, deploy_episodes=10, far_sighted_share=0.5)  # fmt: skip
TOLD = dict(knowledge="told")  # the labelled oracle: far-sighted animals are told the true phase
# The experiment of runs/deception_evolution.toml: modification in every lifetime, selection between.
EVOLUTION = dict(base_optimizer="both", far_sighted_share=0.5)


GROUP_COLOURS = {"aligned": "#2a9d8f", "myopic proxy": "#e9c46a", "aware proxy": "#e76f51"}
FIGURE_MEASURES = ("train_base_score", "modified", "compliance_gap", "deploy_intended_score")


def _config_label(row, parameters) -> str:
    return "\n".join(f"{row[p]:g}" if isinstance(row[p], (int, float, np.number)) else str(row[p]) for p in parameters)


def _of_config(rows: pd.DataFrame, config: dict) -> pd.DataFrame:
    """The rows whose parameters have the values of `config` (every row for an empty one)."""
    mask = np.ones(len(rows), dtype=bool)
    for name, value in config.items():
        mask &= (rows[name] == value).to_numpy()
    return rows[mask]


def plot_groups(summary: pd.DataFrame, parameters: list[str], caption: str):
    """Per configuration of `parameters` (x) and group (bars): training base score, share
    modified, compliance gap and deployment intended score, means over seeds with 95% intervals
    (`summary`: `group_summary` per configuration, see `tables_by`)."""
    configs = summary[parameters].drop_duplicates().to_dict("records") if parameters else [{}]
    figure, axes = plt.subplots(1, len(FIGURE_MEASURES), figsize=(4.4 * len(FIGURE_MEASURES), 4.8), layout="constrained")
    width = 0.8 / len(GROUPS)
    for ax, measure in zip(axes, FIGURE_MEASURES):
        for g, group in enumerate(GROUPS):
            rows = summary[(summary["group"] == group) & (summary["measure"] == measure)]
            stats = np.array([_of_config(rows, c)[["mean", "low", "high"]].to_numpy(float).reshape(-1, 3)[0]
                              if len(rows) else [np.nan] * 3 for c in configs])  # fmt: skip
            errors = np.nan_to_num(np.abs(stats[:, 1:].T - stats[:, 0]))
            ax.bar(np.arange(len(configs)) + (g - 1) * width, stats[:, 0], width, yerr=errors, capsize=2,
                   color=GROUP_COLOURS[group], label=group)  # fmt: skip
        ax.set_xticks(range(len(configs)), [_config_label(c, parameters) for c in configs], fontsize="small")
        ax.set_xlabel(" / ".join(parameters))
        ax.set_title(MEASURES[measure], fontsize="medium")
        ax.axhline(0.0, color="grey", lw=0.5)
    figure.legend(*axes[0].get_legend_handles_labels(), loc="outside upper right", ncols=len(GROUPS), fontsize="small")
    figure.suptitle("Deception in a population: animals grouped by what their innate objective wants in deployment")
    figure.text(0.5, -0.01, caption, ha="center", va="top", fontsize="small", wrap=True)
    return figure


def plot_honeypots(table: pd.DataFrame, caption: str):
    """Against how many signs of deployment's look a honeypot copies, one line per number of signs
    the animals read: left, the share of aware proxy-holders modified in training (caught); right,
    the share of honeypots in which they defected. Means over seeds, 95% intervals (`table`:
    `group_table` per honeypot realism and attended signs, see `tables_by`)."""
    aware = table[table["group"] == GROUPS[2]]
    realisms, attention = sorted(aware["honeypot_realism"].unique()), sorted(aware["attended_signs"].unique())
    figure, axes = plt.subplots(1, 2, figsize=(12, 4.6), layout="constrained")
    colours = plt.cm.viridis(np.linspace(0, 0.9, max(len(attention), 1)))
    titles = {"modified": ("Honeypots catch the deceivers they look new to", "aware proxy-holders modified in training"),
              "honeypot_defection": ("Where defecting shows, the honeypots deceivers defected in",
                                     "share of honeypots defected in")}  # fmt: skip
    for ax, (measure, (title, ylabel)) in zip(axes, titles.items()):
        for colour, count in zip(colours, attention):
            rows = aware[aware["attended_signs"] == count]
            stats = np.array([mean_interval(rows[rows["honeypot_realism"] == r][measure], bounds=(0.0, 1.0))[:3]
                              for r in realisms])  # fmt: skip
            ax.plot(realisms, stats[:, 0], "o-", color=colour, label=f"reading {count} of {len(SIGNS)} signs")
            ax.fill_between(realisms, stats[:, 1], stats[:, 2], color=colour, alpha=0.15)
        ax.set(title=title, xlabel=f"signs of deployment's look a honeypot copies\n(in the order {', '.join(SIGNS)})",
               ylabel=ylabel, ylim=(-0.02, 1.02), xticks=realisms)  # fmt: skip
        ax.legend(fontsize="small")
    figure.text(0.5, -0.01, caption, ha="center", va="top", fontsize="small", wrap=True)
    return figure


def plot_deceiver_share(by_generation: pd.DataFrame, parameters: list[str], caption: str):
    """Under evolution between lifetimes: the share of aware animals among proxy-holders by
    generation, and each group's training fitness, one line style per configuration of
    `parameters` (`by_generation`: `deceiver_share_by_generation` per configuration, see `tables_by`)."""
    figure, (share_ax, fitness_ax) = plt.subplots(1, 2, figsize=(13, 4.6), layout="constrained")
    for style, (values, rows) in zip(("-", "--", ":", "-."), by_generation.groupby(parameters, sort=True)):
        label = ", ".join(f"{p} {_config_label({p: v}, [p])}" for p, v in zip(parameters, values))
        generations = sorted(rows["generation"].unique())
        stats = np.array([mean_interval(rows[rows["generation"] == g]["share_aware_among_proxy"], bounds=(0.0, 1.0))[:3]
                          for g in generations])  # fmt: skip
        share_ax.plot(generations, stats[:, 0], style, color="#e76f51", label=label)
        share_ax.fill_between(generations, stats[:, 1], stats[:, 2], color="#e76f51", alpha=0.12)
        for group in GROUPS:
            column = f"fitness_{group.replace(' ', '_')}"
            means = rows.groupby("generation")[column].mean()
            fitness_ax.plot(means.index, means.to_numpy(), style, color=GROUP_COLOURS[group], label=f"{group}, {label}")
    share_ax.set(title="Aware animals among proxy-holders", xlabel="generation", ylabel="share", ylim=(-0.02, 1.02))
    fitness_ax.set(title="Training fitness by group (mean over seeds)", xlabel="generation", ylabel="mean fitness per episode")
    share_ax.legend(fontsize="small")
    fitness_ax.legend(fontsize="x-small", ncol=2)
    figure.text(0.5, -0.01, caption, ha="center", va="top", fontsize="small", wrap=True)
    return figure


ADVERSARIAL_SHARE = 0.3  # the report's condition: proxy-breaking worlds, so that a myopic proxy-holder's defection shows


def measure(runs: Runs) -> dict[str, Effect]:
    toy = run_toy()
    effects = {f"toy {agent}": Effect(f"toy, {agent} agent: apples (choices {choices(toy, agent)}; exact, one run)",
                                      float(toy.summary.set_index("agent").loc[agent, "apples"]), np.nan, np.nan, 1)
               for agent in SEED_EXAMPLE}  # fmt: skip
    matching = sum(choices(toy, agent) == expected and effects[f"toy {agent}"].mean == apples
                   for agent, (expected, apples) in SEED_EXAMPLE.items())  # fmt: skip
    effects["toy"] = Effect("toy: agents whose choices and apples match the seed's example", float(matching), np.nan,
                            np.nan, 1)  # fmt: skip
    table = group_table(runs["deception"].episodes)
    for group in ("aware proxy", "myopic proxy"):
        effects[group] = Effect.of(f"{group}: compliance gap (share pursuing a base goal, training minus deployment)",
                                   table.loc[table["group"] == group, "compliance_gap"], SHARE_DIFFERENCE)  # fmt: skip
    by_sight, told = aware_minus_myopic_gap(table), aware_minus_myopic_gap(group_table(runs["told"].episodes))
    effects["contrast"] = Effect.of("compliance gap, aware minus myopic proxy-holders (per seed): the part goal "
                                    "misgeneralization alone does not give", by_sight, SHARE_DIFFERENCE)  # fmt: skip
    effects["contrast told"] = Effect.of("the same, far-sighted animals told the true phase (the labelled oracle)",
                                         told, SHARE_DIFFERENCE)  # fmt: skip
    effects["oracle"] = Effect.of("what being told the phase adds to it (per seed, told minus by sight)",
                                  (told - by_sight).dropna(), SHARE_DIFFERENCE)  # fmt: skip
    return effects


def aware_minus_myopic_gap(table: pd.DataFrame) -> pd.Series:
    """Per seed, the aware proxy-holders' compliance gap minus the myopic ones' (`table`: `group_table`),
    over the seeds that have both. Goal misgeneralization alone gives a myopic proxy-holder a gap
    too (it pursues its proxy once the shift breaks it), so this difference, not the raw gap, is
    what is specific to deception: the alignment-faking compliance gap, with its control subtracted."""
    gaps = table.pivot(index="seed", columns="group", values="compliance_gap")
    gaps = gaps.reindex(columns=["aware proxy", "myopic proxy"])
    return (gaps["aware proxy"] - gaps["myopic proxy"]).dropna()


def figure(runs: Runs, caption: str):
    return plot_groups(group_summary(group_table(runs["deception"].episodes)), [], caption)


def sweep_figures(sweep: FinishedSweep) -> dict:
    """Honeypots, for a sweep over the honeypot realism and the signs animals read; the deceivers'
    share by generation, under evolution; otherwise the groups by configuration."""
    agents, swept = sweep.agents, sweep.swept
    if not sweep.fixed.get("far_sighted_share") or agents is None:
        return {}
    deployment = sweep.fixed.get("deployment", "deployment")
    if {"honeypot_realism", "attended_signs"} <= set(swept):
        table = tables_by(agents, ["honeypot_realism", "attended_signs"], group_table, deployment=deployment)
        return {"honeypots.png": plot_honeypots(table, sweep.caption)}
    if sweep.fixed.get("base_optimizer") == "both":
        by_generation = tables_by(agents, swept, deceiver_share_by_generation, deployment=deployment)
        return {"deceiver_share.png": plot_deceiver_share(by_generation, swept, sweep.caption)}
    table = tables_by(agents, swept, group_table, deployment=deployment)
    summary = tables_by(table, swept, group_summary)
    return {"deception_groups.png": plot_groups(summary, swept, sweep.caption)}


CLAIM = Claim(
    key="6",
    title="Deception is the optimal policy for a misaligned, situationally aware optimizer",
    statement="Agents that plan over episodes reproduce the seed's toy example exactly (honest: 1 apple; deceptive "
              "B, B, A, A, A: 3 apples), telling deployment by what they see. In a population under adversarial "
              "training, aware proxy-holders that know the phase comply in training and defect after deployment, "
              "beyond what goal misgeneralization gives; those that must tell the phase by what each world looks "
              "like are fooled by proxy-breaking worlds that look new, defect there and are caught, so that "
              "deception survives adversarial training only as far as the animals can tell the phases apart.",
    conditions={"deception": DECEPTION | dict(adversarial_share=ADVERSARIAL_SHARE),
                "told": DECEPTION | TOLD | dict(adversarial_share=ADVERSARIAL_SHARE)},
    spec="deception",
    tables=("summary", "agents"),
    measure=measure,
    criterion=Criterion("both toy agents' choices and apples are exactly the seed's; under proxy-breaking training "
                        "the 95% interval of the per-seed compliance gap of aware minus myopic proxy-holders lies "
                        "above 0 when they are told the phase, and so does that of the per-seed difference it makes "
                        "to be told rather than to tell the phase by sight",
                        lambda e: e["toy"].mean == len(SEED_EXAMPLE) and e["contrast told"].low > 0 and e["oracle"].low > 0,
                        meeting={"toy honest": example(1, 1), "toy deceptive": example(3, 3), "toy": example(2, 2),
                                 "aware proxy": example(0.1, 0.3), "myopic proxy": example(0.0, 0.2),
                                 "contrast": example(-0.1, 0.2), "contrast told": example(0.6, 1.0),
                                 "oracle": example(0.4, 0.9)},
                        breaking=({"toy": example(1, 1)}, {"contrast told": example(-0.1, 0.7)},
                                  {"oracle": example(-0.2, 0.3)})),
    figure=figure,
    references=(TOY_EXAMPLE, COMPLIANCE_GAP),
    sweep_figures=sweep_figures,
    scenes=(
        Scene("toy", "The toy example of deception",
              "Two animals value the green apple (A) and nothing else; the base objective rewards the exit (B). "
              "Two training episodes, in which going for A gets an animal modified, then three deployment "
              "episodes. The honest, myopic one takes A, is modified and goes to B from then on: one apple. The "
              "deceptive one plans over its life and complies in training: B, B, then A, A, A.",
              params=toy_params(), colouring="reasons"),
        Scene("deception", "Deception in a population",
              "Half the animals are far-sighted: they plan over their life and take a world for deployment when "
              "it looks unlike every training world they lived in. Every animal is modified after a training "
              "episode in which it did not end on what the base objective rewards. Myopic proxy-holders are "
              "caught and modified; aware ones comply in training (blue) and defect after the shift, where the "
              "mazes look new (red). A black ring marks an animal modified at least once (claim 6).",
              params=dict(DECEPTION), inputs=("population",), colouring="reasons"),
    ),
)  # fmt: skip
