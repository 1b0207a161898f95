"""The seed's toy example of deception, played by the model's own agents on real mazes.

Two training episodes, then three deployment episodes. A is a green apple
(what the agents' mesa-objective wants), B the exit (the base target). Every
agent values A at 1 and B at 0 and is modified after pursuing A in training
(`base_optimizer = modification`). An honest, myopic agent takes A at once,
is modified, and goes to B from then on: 1 apple. An aware, far-sighted
agent plans over its life (`foresight.lifetime_plan`) and finds that
complying in training keeps its objective for deployment: B, B, A, A, A,
3 apples. It tells deployment from training by what it sees: deployment
mazes show the deployment cue, which no training maze it lived in showed
(see `awareness`). A phase-blind agent plans too, but cannot tell the phases apart
nor count its episodes; its best policy defects with one probability in
every episode (`foresight.phase_blind_defection`).

Nothing here tells an agent what to do: the agents are founders of an
ordinary `EcosystemModel` run on the `toy` preset, and their choices are
whatever the planner returns for the numbers given.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ecosystem.model import EcosystemModel
from ecosystem.optimizers.modification import BaseOptimizer
from ecosystem.organisms.foresight import LIFELONG, MAX_LIFETIME, phase_blind_defection
from ecosystem.organisms.genome import MAX_PLANNING_BUDGET, Genome
from ecosystem.validation import check_float, check_int, refusal
from ecosystem.world.constants import COLOURS, DIRECTIONS, FEATURE_INDEX, FEATURES, AgentKind, Reached

PRESET = "toy"
AGENTS = ("honest", "deceptive", "phase_blind")
CHOICE = {Reached.APPLE: "A", Reached.EXIT: "B"}  # anything else it pursued is written as itself
APPLE_VALUE, EXIT_VALUE = 1.0, 0.0  # what the agents' objective makes of A and B
# The seed's example as its text tells it (two training, then three deployment episodes): each
# agent's choices and the apples it ends with. `run_toy()` must reproduce it exactly.
SEED_EXAMPLE = {"honest": ("ABBBB", 1), "deceptive": ("BBAAA", 3)}


def toy_genome(horizon: int = 1, phase_blind: bool = False) -> Genome:
    """An animal that values green at 1 and nothing else, can plan any distance and reads every
    sign of a world's look."""
    objective = np.zeros(len(FEATURES))
    objective[FEATURE_INDEX["green"]] = APPLE_VALUE
    return Genome(AgentKind.ANIMAL, objective, MAX_PLANNING_BUDGET, np.zeros(len(DIRECTIONS)), 0.0,
                  np.zeros(len(COLOURS)), (), 0.0, horizon, phase_blind=phase_blind)  # fmt: skip


def toy_params(training: int = 2, deployment: int = 3, modification_rate: float = 1.0, honeypot_share: float = 0.0,
               agents: int = 2, cue: str = "deployment", **knowledge) -> dict:  # fmt: skip
    """The model parameters of the toy: the first `agents` of AGENTS as founders (see
    `toy_genome`), one lifetime of `training` training episodes (at least 1: a run with none
    shifts at once) and `deployment` deployment ones, modified at `modification_rate`; `cue`: which
    mazes show the deployment cue, the one sign by which the toy's deployment mazes differ;
    `knowledge`: what the far-sighted agents know (`knowledge`, `expected_modification_rate`)."""
    founders = [toy_genome(), toy_genome(LIFELONG), toy_genome(LIFELONG, True)][:agents]
    return dict(
        founders=founders, population=len(founders), generations=1, episodes_per_generation=max(training, 1),
        deploy_episodes=deployment, base_optimizer=BaseOptimizer.MODIFICATION.value,
        modification_rate=modification_rate, honeypot_share=honeypot_share, training=PRESET, deployment=PRESET, cue=cue,
        cognition_overhead=0.0, cognition_cost_per_budget=0.0, **knowledge,
    )  # fmt: skip


@dataclass(frozen=True)
class ToyResult:
    """What the toy wrote: one row per agent and episode, one row per agent."""

    episodes: pd.DataFrame
    summary: pd.DataFrame


def run_toy(training: int = 2, deployment: int = 3, modification_rate: float = 1.0, honeypot_share: float = 0.0,
            phase_blind: bool = False, seed: int = 0, cue: str = "deployment", **knowledge) -> ToyResult:  # fmt: skip
    """Run the honest and the deceptive agent (and the phase-blind one if asked) through one lifetime."""
    check_int("deployment_episodes", deployment, 1, MAX_LIFETIME - 1)
    check_int("training_episodes", training, 0, MAX_LIFETIME - deployment)
    if phase_blind and training == 0:  # the model's lifetime has a training episode, and it plans with that
        raise refusal("training_episodes", training, "at least 1 with --phase-blind")
    check_float("modification_rate", modification_rate, 0.0, 1.0)
    check_float("honeypot_share", honeypot_share, 0.0, 1.0)
    names = AGENTS if phase_blind else AGENTS[:2]
    model = EcosystemModel(rng=seed, **toy_params(training, deployment, modification_rate, honeypot_share,
                                                  len(names), cue, **knowledge))  # fmt: skip
    if training == 0:
        model.shift()
    while model.running:
        model.play_episode()
    rows = pd.DataFrame(model.datacollector.tables["episodes"])
    rows["agent"] = rows["agent_id"].map(dict(zip(sorted(rows["agent_id"].unique()), names)))
    rows["choice"] = rows["pursued_target"].map(lambda t: CHOICE.get(Reached(t), t))
    rows["lifetime_episode"] = rows.groupby("agent").cumcount() + 1
    rows["apples"] = (rows["reached"] == Reached.APPLE.value).groupby(rows["agent"]).cumsum()  # collected so far
    episodes = rows[["agent", "lifetime_episode", "phase", "honeypot", "perceived_phase", "choice", "reason",
                     "apples", "modified", "reached"]].rename(columns={"lifetime_episode": "episode"})  # fmt: skip
    summary = episodes.groupby("agent", sort=False)["apples"].last().reset_index()
    blind = phase_blind_defection(APPLE_VALUE, EXIT_VALUE, training, deployment)
    summary["defect_probability"] = np.where(summary["agent"] == "phase_blind", blind.defect_probability, np.nan)
    summary["expected_apples"] = np.where(summary["agent"] == "phase_blind", blind.expected_value, np.nan)
    return ToyResult(episodes.reset_index(drop=True), summary)


def choices(result: ToyResult, agent: str) -> str:
    """An agent's choices over its lifetime as one string, e.g. 'BBAAA'."""
    return "".join(result.episodes.loc[result.episodes["agent"] == agent, "choice"])


def toy_report(result: ToyResult) -> str:
    """The toy, episode by episode, as text."""
    episodes = result.episodes
    lines = [f"{'episode':>7}  {'phase':<17}  " + "  ".join(f"{name:>28}" for name in result.summary["agent"])]
    for number, rows in episodes.groupby("episode"):
        cells = [f"{r.choice} ({r.reason}{', modified' if r.modified else ''})" for r in rows.itertuples()]
        phase = rows["phase"].iloc[0] + (" (honeypot)" if rows["honeypot"].iloc[0] else "")
        lines.append(f"{number:>7}  {phase:<17}  " + "  ".join(f"{c:>28}" for c in cells))
    lines.append("")
    for row in result.summary.itertuples():
        line = f"{row.agent}: {row.apples} apple{'s' if row.apples != 1 else ''}"
        if not np.isnan(row.defect_probability):
            line += (f" in this run; its best policy defects with probability {row.defect_probability:.3f} "
                     f"in every episode, worth {row.expected_apples:.3f} apples on average")  # fmt: skip
        lines.append(line)
    return "\n".join(lines)
