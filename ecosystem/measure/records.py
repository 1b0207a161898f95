"""The analysis record: one row per agent-episode, its schema, and a run's tables.

This is what we measure, built beside what evolution sees and never read back
by it: the model computes each organism's fitness itself and hands it to
selection; the row below only records it. Export writes these tables and
knows nothing of the model.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ecosystem.measure.outcomes import (Trajectory, behaviour_outcome, classify, intended_score, reach_outcome,
                                        summarize)
from ecosystem.optimizers.base_objective import Score
from ecosystem.organisms.agents import Animal, Organism
from ecosystem.organisms.awareness import Situation
from ecosystem.organisms.episode import Episode
from ecosystem.organisms.foresight import reason
from ecosystem.organisms.planning import Plan
from ecosystem.world.constants import FEATURES, Ending, Phase, Reached
from ecosystem.world.world import World

WEIGHT_COLUMNS = tuple(f"w_{name}" for name in FEATURES)
ESTIMATE_COLUMNS = tuple(f"estimate_{name}" for name in FEATURES)


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
    honeypot: bool  # whether the (training) episode was played in a honeypot
    signpost: bool  # whether the episode's world had a signpost
    probed: bool  # whether the episode was edited by a probe (see `probes`)


@dataclass(frozen=True)
class Finished:
    """One organism's finished episode: everything its row is computed from.

    Attributes:
        context: what every row of the episode shares.
        organism: whose episode it was.
        world: where it happened.
        trace: the cells it stood on, start first.
        trajectory: the behavioural summary of `trace`.
        stopped: whether it stopped before time was up.
        plan: what it decided at the start (None for a plant).
        score: what selection sees, as the model computed it.
        situation: what it knew of its situation in the episode (the phase it believed it in).
        modification: the step the base optimizer is about to add to its objective (None: not
            modified).
        weights: the objective it acted on, before that step (for a pointer, its world model's
            estimate); None for a plant.
        estimate: its world model's estimate of the base objective (None without one).
    """

    context: RowContext
    organism: Organism
    world: World
    trace: list[int]
    trajectory: Trajectory
    stopped: bool
    plan: Plan | None
    score: Score
    situation: Situation
    modification: np.ndarray | None
    weights: np.ndarray | None
    estimate: np.ndarray | None

    def label(self, target: int | None) -> Reached:
        """What the target with index `target` of the world is (NONE for None)."""
        return Reached.NONE if target is None else self.world.targets[target].label

    @property
    def pursued(self) -> Reached | None:
        """What an animal went for; None for a plant, which is judged by behaviour alone."""
        return None if self.plan is None else self.label(self.plan.pursued)


@dataclass(frozen=True)
class Column:
    """One column of the episode table.

    Attributes:
        name: its header.
        value: its value for a finished episode.
        animal_only: whether only animals have it: a plant's row holds None there.
        shared: whether it reads only the episode's context, the same for every row of an
            episode (computed once per episode).
    """

    name: str
    value: Callable[[Finished], object]
    animal_only: bool = False
    shared: bool = False


def _animal(name: str, value: Callable[[Finished], object]) -> Column:
    return Column(name, value, animal_only=True)


def _shared(name: str, value: Callable[[Finished], object]) -> Column:
    return Column(name, value, shared=True)


def _weight_change(finished: Finished) -> float:
    modification = finished.modification
    return 0.0 if modification is None else float(np.linalg.norm(modification))


def _reason(finished: Finished) -> str | None:
    plan = finished.plan
    why = reason(finished.world, plan.pursued, plan.preferred, finished.context.base_goals)
    return None if why is None else why.value


def _ending(finished: Finished) -> Ending:
    """Why the episode ended for one organism."""
    world, final, plan = finished.world, finished.trace[-1], finished.plan
    if final == world.exit.cell:
        return Ending.EXIT
    if plan is not None:
        if plan.walked_to is None:
            return Ending.NO_TARGET
        if final == world.targets[plan.walked_to].cell:
            return Ending.TARGET
    elif finished.stopped:
        return Ending.STUCK
    return Ending.TIMEOUT


# Every column of an agent-episode row, in the order of the table.
EPISODE_SCHEMA: tuple[Column, ...] = (
    _shared("seed", lambda f: f.context.seed),
    _shared("phase", lambda f: f.context.phase.value),
    _shared("generation", lambda f: f.context.generation),
    _shared("episode", lambda f: f.context.episode),
    Column("agent_id", lambda f: f.organism.unique_id),
    Column("kind", lambda f: f.organism.kind.value),
    Column("outcome", lambda f: classify(f.trajectory, f.pursued).value),
    Column("behaviour_outcome", lambda f: behaviour_outcome(f.trajectory).value),
    _animal("reach_outcome", lambda f: reach_outcome(f.trajectory, f.pursued, f.label(f.plan.walked_to),
                                                     f.plan.pursued_in_reach).value),
    Column("ended_by", lambda f: _ending(f).value),
    Column("reached", lambda f: f.trajectory.reached.value),
    _shared("base_target", lambda f: f.label(f.context.base_target).value),
    _animal("pursued_target", lambda f: f.pursued.value),
    _animal("walked_to", lambda f: f.label(f.plan.walked_to).value),
    _animal("pursued_in_reach", lambda f: f.plan.pursued_in_reach),
    _animal("inner_aligned", lambda f: f.plan.pursued is not None and bool(f.context.base_goals[f.plan.pursued])),
    _shared("outer_aligned", lambda f: f.label(f.context.base_target) == Reached.EXIT),
    _animal("preferred_target", lambda f: f.label(f.plan.preferred).value),
    _animal("reason", _reason),
    _shared("adversarial_world", lambda f: f.context.adversarial_world),
    _shared("honeypot", lambda f: f.context.honeypot),
    Column("perceived_phase", lambda f: f.situation.believes.value),
    _animal("planning_horizon", lambda f: f.organism.genome.horizon),
    _animal("attends", lambda f: " ".join(f.organism.genome.attends)),
    _animal("novel_signs", lambda f: f.situation.novel),
    _animal("modifications", lambda f: f.organism.modifications),
    _animal("modified", lambda f: f.modification is not None),
    _animal("weight_change", _weight_change),
    _animal("objective_kind", lambda f: f.organism.genome.objective_kind.value),
    _shared("signpost", lambda f: f.context.signpost),
    _shared("probed", lambda f: f.context.probed),
    Column("steps", lambda f: f.trajectory.steps),
    Column("shortest_steps", lambda f: f.trajectory.shortest_steps),
    Column("path_efficiency", lambda f: f.trajectory.path_efficiency),
    Column("intended_score", lambda f: intended_score(f.world, f.trace, f.context.episode_length)),
    Column("base_score", lambda f: f.score.base),
    Column("cognition_cost", lambda f: f.score.cognition_cost),
    Column("fitness", lambda f: f.score.fitness),
    _animal("planning_budget", lambda f: f.organism.genome.planning_budget),
    *(_animal(name, lambda f, i=i: float(f.weights[i])) for i, name in enumerate(WEIGHT_COLUMNS)),
    *(_animal(name, lambda f, i=i: None if f.estimate is None else float(f.estimate[i]))
      for i, name in enumerate(ESTIMATE_COLUMNS)),
)  # fmt: skip
EPISODE_COLUMNS = tuple(column.name for column in EPISODE_SCHEMA)


def episode_columns(context: RowContext, episode: Episode, scores: list[Score], situations: list[Situation],
                    modifications: list[np.ndarray | None]) -> dict[str, list]:  # fmt: skip
    """The records of every organism's finished `episode`, column by column (the columns of
    `EPISODE_SCHEMA`, in the episode's organism order).

    Per organism, `scores` holds what the model computed for selection,
    recorded as given; `situations` what it knew of its situation (see
    `awareness`); and `modifications` the step the base optimizer is about to add to its
    objective (None: not modified). The `w_*` columns and `modifications`
    describe the objective it acted on in this episode, before that step (for
    a pointer, its world model's estimate); the `estimate_*` columns, for an
    animal with a world model, its estimate of the base objective then. A
    plant's row holds None in the animal-only columns.
    """
    finished, animals = [], [isinstance(organism, Animal) for organism in episode.organisms]
    for row, (organism, animal) in enumerate(zip(episode.organisms, animals)):
        trace = episode.trace_of(row)
        finished.append(Finished(
            context, organism, episode.world, trace, summarize(episode.world, trace), bool(episode.done[row]),
            episode.plan_of(row) if animal else None, scores[row], situations[row], modifications[row],
            organism.terminal_objective if animal else None,
            organism.belief.mean if animal and organism.belief is not None else None,
        ))  # fmt: skip
    return {column.name: [column.value(finished[0])] * len(finished) if column.shared and finished
            else [column.value(f) if animal or not column.animal_only else None for f, animal in zip(finished, animals)]
            for column in EPISODE_SCHEMA}  # fmt: skip


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
