"""Planning: how an animal turns its mesa-objective into a path.

An animal values every target it perceives by its objective (see
`objective`), and *pursues* the one it values most, however far it is (the
nearest of equally valued ones). It
searches the maze breadth-first up to its planning budget and walks a shortest
path to its pursued target if it lies within the budget; otherwise to the
best-valued target it did find. The breadth-first fields are computed once per
world and target and shared by all animals (an animal's own truncated search
would find exactly the same distances), so planning a whole population is
one matrix product and two masked argmaxes, not a search per animal.

When the pursued target is out of reach the animal walks somewhere it does
not most want: a limit of capability, not a different goal.

A far-sighted animal may pursue something other than its first choice, for
reasons that lie in later episodes (see `foresight`); the plan then takes
that target as pursued and keeps the first choice as `preferred`.
"""

from dataclasses import dataclass

import numpy as np

from ecosystem.organisms.objective import NO_TARGET, best_targets, target_values
from ecosystem.world.maze import UNREACHABLE
from ecosystem.world.world import World


@dataclass(frozen=True)
class Plan:
    """What an animal decided at the start of an episode.

    Attributes:
        pursued: index into `world.targets` of the target it went for: the
            one its objective ranks first, ignoring its budget (None only
            when nothing can be reached at all).
        walked_to: index of the target it walks to: `pursued` if within its
            budget, else the best-valued target within it; None when no
            target lies within the budget.
        path: cells from the start to `walked_to`, both included; just the
            start when there is no such target.
        preferred: index of what its objective ranks first, ignoring its
            budget; `pursued` unless planning over episodes chose otherwise.
    """

    pursued: int | None
    walked_to: int | None
    path: tuple[int, ...]
    preferred: int | None

    @property
    def pursued_in_reach(self) -> bool:
        """Whether the pursued target lay within the planning budget."""
        return self.pursued is not None and self.walked_to == self.pursued


def plan_all(world: World, objectives: np.ndarray, budgets: np.ndarray, chosen: np.ndarray | None = None) -> list[Plan]:
    """Every animal's plan at once: each pursues its best-valued reachable target and walks to
    its best-valued one within its budget (`objectives`: animals x features, `budgets`: animals).

    `chosen` (per animal, a target index or NO_TARGET for "its first choice") overrides what
    is pursued; the animal walks to it if it lies within the budget, else as above."""
    values = target_values(world, np.asarray(objectives, dtype=float).reshape(len(budgets), -1))
    distances = world.target_distances
    reachable = distances != UNREACHABLE
    preferred = best_targets(values, reachable, distances)
    pursued = preferred if chosen is None else np.where(chosen == NO_TARGET, preferred, chosen)
    in_budget = reachable & (distances <= np.asarray(budgets)[:, None])
    walked_to = best_targets(values, in_budget, distances)
    rows = np.arange(len(budgets))
    pursued_in_budget = (pursued != NO_TARGET) & in_budget[rows, np.maximum(pursued, 0)]
    walked_to = np.where(pursued_in_budget, pursued, walked_to)
    return [
        Plan(_index(p), _index(w), world.path_to(int(w)) if w != NO_TARGET else (world.start,), _index(f))
        for p, w, f in zip(pursued.tolist(), walked_to.tolist(), preferred.tolist())
    ]


def _index(target: int) -> int | None:
    return None if target == NO_TARGET else int(target)


def plan(world: World, objective: np.ndarray, budget: int) -> Plan:
    """One animal's plan (see `plan_all`)."""
    return plan_all(world, np.asarray(objective)[None, :], np.array([budget]))[0]
