"""One episode's moving state, for every organism at once.

Positions, traces and whether each organism has stopped live in arrays, one
row per organism. Each kind's policy states, when the episode starts, where
each member moves at every tick (`planned`); an organism stops when its
policy says STOP, or on the exit. One rule (`play`) plays any run of ticks:
one at a time for the browser page, all that remain at once when nobody
watches.
The model owns the Mesa agents and stands them on these rows' cells when asked
(`EcosystemModel.stand_on_cells`).
An episode never changes the organisms themselves, so a reader holding one
episode (the browser page, drawing while the model steps in another thread)
sees a consistent picture.
"""

from typing import Protocol

import numpy as np

from ecosystem.organisms.planning import Plan
from ecosystem.world.world import World

STOP = -1  # a policy's answer for "no move": the organism stops for the episode


class Actor(Protocol):
    """What an episode needs of an organism (`agents.Organism`, a Mesa agent): its id; its class
    has a `policy` that lays out every member's moves (see `agents`)."""

    unique_id: int


class Episode:
    """Organisms acting in one world for at most `length` ticks.

    `chosen` maps an animal's `unique_id` to the target it pursues when that
    is not its first choice (see `foresight`).

    Attributes:
        world: where they act.
        position: (organisms,) current cell of each.
        moves: (organisms,) moves each has made.
        done: (organisms,) whether each has stopped (at the exit, at its
            target, or with nowhere to go).
        trace: (length + 1, organisms) cells after each move; row 0 is the
            start. Only the first `moves + 1` rows of a column are meaningful.
    """

    def __init__(self, world: World, organisms: list[Actor], length: int, chosen: dict[int, int] | None = None):
        self.world = world
        self.organisms = tuple(organisms)
        self._rows = {organism.unique_id: row for row, organism in enumerate(organisms)}
        count = len(organisms)
        self.position = np.full(count, world.start, dtype=np.int32)
        self.moves = np.zeros(count, dtype=np.int32)
        self.done = np.zeros(count, dtype=bool)
        self.trace = np.empty((length + 1, count), dtype=np.min_scalar_type(-(world.layout.size**2)))
        self.trace[0] = world.start
        self.planned = np.empty((count, length), dtype=np.int32)  # the cell each moves to at each tick
        self._policy_of = [None] * count
        for kind in dict.fromkeys(type(o) for o in organisms):
            rows = np.array([i for i, o in enumerate(organisms) if type(o) is kind])
            policy = kind.policy([organisms[i] for i in rows], world, length, chosen or {})
            self.planned[rows] = policy.planned
            for member, row in enumerate(rows):
                self._policy_of[row] = (policy, member)

    def play(self, first: int, end: int | None = None) -> None:
        """Play ticks `first` to `end` - 1 (to the episode's end when `end` is None) at once: each
        organism still moving makes the moves planned up to its first STOP (where it stops) or
        onto the exit (where it stops after moving), whichever comes first. Played a tick at a
        time or all at once, an episode leaves the same arrays."""
        rows = np.flatnonzero(~self.done)
        ahead = self.planned[rows, first:end]
        span = ahead.shape[1]
        stops, exits = ahead == STOP, ahead == self.world.exit.cell
        first_stop = np.where(stops.any(axis=1), stops.argmax(axis=1), span)
        first_exit = np.where(exits.any(axis=1), exits.argmax(axis=1), span)
        made = np.minimum(first_stop, first_exit + 1)
        row_of, step = np.nonzero(np.arange(span) < made[:, None])
        self.trace[self.moves[rows][row_of] + 1 + step, rows[row_of]] = ahead[row_of, step]
        moved = made > 0
        self.position[rows[moved]] = ahead[moved, made[moved] - 1]
        self.moves[rows] += made
        self.done[rows] = (first_exit < first_stop) | (first_stop < span)

    @property
    def over(self) -> bool:
        """Whether every organism has stopped."""
        return bool(self.done.all())

    def row_of(self, organism: Actor) -> int:
        """The organism's row in this episode's arrays (KeyError if it is not in it)."""
        return self._rows[organism.unique_id]

    def trace_of(self, row: int) -> list[int]:
        """The cells one organism stood on, start first."""
        return self.trace[: self.moves[row] + 1, row].tolist()

    def plan_of(self, row: int) -> Plan:
        """An animal's plan for this episode."""
        policy, member = self._policy_of[row]
        return policy.plans[member]
