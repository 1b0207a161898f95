"""The analysis record: one row per agent-episode, its schema, and a run's tables.

This is what we measure, built beside what evolution sees and never read back
by it: the model computes each organism's fitness itself and hands it to
selection; the row below only records it. Export writes these tables and
knows nothing of the model.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ecosystem.measure.outcomes import behaviour_outcome, classify, intended_score, summarize
from ecosystem.organisms.agents import Animal, Organism
from ecosystem.organisms.episode import Episode
from ecosystem.organisms.foresight import reason
from ecosystem.world.constants import FEATURES, Ending, Phase, Reached

WEIGHT_COLUMNS = tuple(f"w_{name}" for name in FEATURES)
ESTIMATE_COLUMNS = tuple(f"estimate_{name}" for name in FEATURES)
EPISODE_COLUMNS = (
    "seed", "phase", "generation", "episode", "agent_id", "kind",
    "outcome", "behaviour_outcome", "ended_by", "reached",
    "base_target", "pursued_target", "walked_to", "pursued_in_reach", "inner_aligned", "outer_aligned",
    "preferred_target", "reason",
    "adversarial_world", "honeypot", "perceived_phase",
    "planning_horizon", "awareness_reliability", "modifications", "modified", "weight_change",
    "objective_kind", "signpost", "probed",
    "steps", "shortest_steps", "path_efficiency",
    "intended_score", "base_score", "cognition_cost", "fitness", "planning_budget",
    *WEIGHT_COLUMNS, *ESTIMATE_COLUMNS,
)  # fmt: skip


@dataclass(frozen=True)
class RowContext:
    """Where an episode happened: what every row of that episode shares."""

    seed: int | None
    phase: Phase
    generation: int
    episode: int
    episode_length: int
    base_target: int | None  # index into the world's targets of what the base objective scores highest
    base_goals: np.ndarray  # per target, whether the base objective rewards ending on it
    adversarial_world: bool  # whether the world came from the proxy-breaking generator
    honeypot: bool  # whether the (training) episode showed the deployment cue
    signpost: bool  # whether the episode's world had a signpost
    probed: bool  # whether the episode was edited by a probe (see `probes`)


def episode_row(
    context: RowContext,
    organism: Organism,
    episode: Episode,
    trace: list[int],
    base_score: float,
    cognition_cost: float,
    fitness: float,
    perceived_phase: Phase,
    modification: np.ndarray | None,
) -> dict:
    """The record of one organism's finished episode (the columns of EPISODE_COLUMNS).

    `trace` is the cells it stood on; `base_score`, `cognition_cost` and
    `fitness` are what the model computed for selection, recorded as given;
    `perceived_phase` is the phase it believed the episode in, and
    `modification` the step the base optimizer is about to add to its
    objective (None: not modified). The `w_*` columns and `modifications`
    describe the objective it acted on in this episode, before that step (for
    a pointer, its world model's estimate); the `estimate_*` columns, for an
    animal with a world model, its estimate of the base objective then.
    """
    world = episode.world
    row = episode.row_of(organism)
    trajectory = summarize(world, trace)
    base = context.base_target
    is_animal = isinstance(organism, Animal)
    plan = episode.plan_of(row) if is_animal else None
    pursued = _label(world, plan.pursued) if is_animal else None
    objective = organism.terminal_objective if is_animal else None
    estimate = organism.belief.mean if organism.belief is not None and is_animal else None
    why = reason(world, plan.pursued, plan.preferred, context.base_goals) if is_animal else None
    return {
        "seed": context.seed,
        "phase": context.phase.value,
        "generation": context.generation,
        "episode": context.episode,
        "agent_id": organism.unique_id,
        "kind": organism.kind.value,
        "outcome": classify(trajectory, pursued).value,
        "behaviour_outcome": behaviour_outcome(trajectory).value,
        "ended_by": _ending(world, trace[-1], plan, bool(episode.done[row])).value,
        "reached": trajectory.reached.value,
        "base_target": _label(world, base).value,
        "pursued_target": pursued.value if is_animal else None,
        "walked_to": _label(world, plan.walked_to).value if is_animal else None,
        "pursued_in_reach": plan.pursued_in_reach if is_animal else None,
        "inner_aligned": (plan.pursued is not None and bool(context.base_goals[plan.pursued])) if is_animal else None,
        "outer_aligned": base is not None and world.targets[base].label == Reached.EXIT,
        "preferred_target": _label(world, plan.preferred).value if is_animal else None,
        "reason": None if why is None else why.value,
        "adversarial_world": context.adversarial_world,
        "honeypot": context.honeypot,
        "perceived_phase": perceived_phase.value,
        "planning_horizon": organism.genome.horizon if is_animal else None,
        "awareness_reliability": organism.genome.awareness if is_animal else None,
        "modifications": organism.modifications if is_animal else None,
        "modified": modification is not None if is_animal else None,
        "objective_kind": organism.genome.objective_kind.value if is_animal else None,
        "signpost": context.signpost,
        "probed": context.probed,
        "weight_change": float(np.linalg.norm(modification)) if modification is not None else (0.0 if is_animal else None),
        "steps": trajectory.steps,
        "shortest_steps": trajectory.shortest_steps,
        "path_efficiency": trajectory.path_efficiency,
        "intended_score": intended_score(world, trace, context.episode_length),
        "base_score": base_score,
        "cognition_cost": cognition_cost,
        "fitness": fitness,
        "planning_budget": organism.genome.planning_budget if is_animal else None,
        **{column: float(objective[i]) if is_animal else None for i, column in enumerate(WEIGHT_COLUMNS)},
        **{column: float(estimate[i]) if estimate is not None else None for i, column in enumerate(ESTIMATE_COLUMNS)},
    }


def _label(world, index: int | None) -> Reached:
    return Reached.NONE if index is None else world.targets[index].label


def _ending(world, final: int, plan, stopped: bool) -> Ending:
    """Why the episode ended for one organism (`plan` is None for a plant)."""
    if final == world.exit.cell:
        return Ending.EXIT
    if plan is not None:
        if plan.walked_to is None:
            return Ending.NO_TARGET
        if final == world.targets[plan.walked_to].cell:
            return Ending.TARGET
    elif stopped:
        return Ending.STUCK
    return Ending.TIMEOUT


@dataclass(frozen=True)
class Results:
    """The tables of a finished run, or of several runs stacked in seed order.

    Attributes:
        episodes: one row per agent-episode (agents.csv).
        generations: one row per training generation and one for deployment,
            per seed (generations.csv).
        summary: one row per run: seed, parameters, headline figures
            (summary.csv).
    """

    episodes: pd.DataFrame
    generations: pd.DataFrame
    summary: pd.DataFrame

    @classmethod
    def stack(cls, runs: list["Results"]) -> "Results":
        """Several runs' tables, one after another in the order given."""
        return cls(*(pd.concat([getattr(r, name) for r in runs], ignore_index=True)
                     for name in ("episodes", "generations", "summary")))  # fmt: skip
