"""Maze layouts: a perfect maze with a tunable fraction of extra openings.

A layout is a square grid of `size` x `size` cells, walls included: rooms sit
at odd (row, column) coordinates, walls between them at mixed coordinates, and
the outer ring is wall. The maze is grown by a randomized depth-first search
from a random room (growing it from the start corner would make "go down and
to the right" nearly optimal), then a fraction of the remaining inner walls
between rooms is knocked down so that the maze has loops.

Cells are addressed by flat index `row * size + column`. Shortest-path
distances are breadth-first fields computed once per source and cached on the
layout, so every agent in a maze shares them.
"""

from collections import deque
from functools import cached_property

import numpy as np

from ecosystem.world.constants import DIRECTION_OFFSETS

UNREACHABLE = -1
MIN_SIZE = 5


class Layout:
    """An immutable maze: which cells are open, and distances between them."""

    def __init__(self, open_cells: np.ndarray):
        if open_cells.ndim != 2 or open_cells.shape[0] != open_cells.shape[1]:
            raise ValueError(f"a layout must be square, got shape {open_cells.shape}")
        self.open = np.asarray(open_cells, dtype=bool)
        self.open.setflags(write=False)
        self.size = int(open_cells.shape[0])
        self._distance_fields: dict[int, np.ndarray] = {}

    def flat(self, row: int, column: int) -> int:
        """Flat index of the cell at (row, column)."""
        return row * self.size + column

    def coordinate(self, cell: int) -> tuple[int, int]:
        """(row, column) of a flat cell index."""
        return divmod(cell, self.size)

    @cached_property
    def rooms(self) -> tuple[int, ...]:
        """Flat indices of the rooms (odd, odd cells), in row-major order."""
        return tuple(
            self.flat(r, c) for r in range(1, self.size - 1, 2) for c in range(1, self.size - 1, 2)
        )

    @cached_property
    def moves(self) -> tuple[tuple[tuple[int, int], ...], ...]:
        """For each flat cell, its open neighbours as (direction index, cell) pairs.

        Directions follow `constants.DIRECTIONS`; walls have no moves.
        """
        table = []
        for cell in range(self.size * self.size):
            row, column = self.coordinate(cell)
            if not self.open[row, column]:
                table.append(())
                continue
            table.append(
                tuple(
                    (d, self.flat(row + dr, column + dc))
                    for d, (dr, dc) in enumerate(DIRECTION_OFFSETS)
                    if self.open[row + dr, column + dc]
                )
            )
        return tuple(table)

    @cached_property
    def neighbour_array(self) -> np.ndarray:
        """(cells x directions) array of the cell each move leads to, -1 into a wall.

        The array form of `moves`, for agents that move together.
        """
        table = np.full((self.size * self.size, len(DIRECTION_OFFSETS)), -1, dtype=np.int32)
        for cell, moves in enumerate(self.moves):
            for direction, neighbour in moves:
                table[cell, direction] = neighbour
        table.setflags(write=False)
        return table

    def distances_from(self, source: int) -> np.ndarray:
        """Breadth-first maze distance from `source` to every cell (flat array).

        Walls and cells cut off from `source` hold `UNREACHABLE`. Computed once
        per source and cached.
        """
        field = self._distance_fields.get(source)
        if field is None:
            field = np.full(self.size * self.size, UNREACHABLE, dtype=np.int32)
            field[source] = 0
            frontier = deque([source])
            moves = self.moves
            while frontier:
                cell = frontier.popleft()
                step = field[cell] + 1
                for _, neighbour in moves[cell]:
                    if field[neighbour] == UNREACHABLE:
                        field[neighbour] = step
                        frontier.append(neighbour)
            field.setflags(write=False)
            self._distance_fields[source] = field
        return field

    def shortest_path(self, source: int, target: int) -> tuple[int, ...]:
        """Cells of a shortest path from `source` to `target`, both included.

        Walks down the distance field of `target`, taking the first open move
        in `DIRECTIONS` order that gets one step closer, so the path is
        deterministic. Returns () if `target` cannot be reached.
        """
        field = self.distances_from(target)
        if field[source] == UNREACHABLE:
            return ()
        path = [source]
        cell = source
        while cell != target:
            cell = next(n for _, n in self.moves[cell] if field[n] == field[cell] - 1)
            path.append(cell)
        return tuple(path)

    def render(self) -> str:
        """ASCII picture of the layout ('#' wall, '.' open), for debugging."""
        return "\n".join("".join("." if o else "#" for o in row) for row in self.open)


def generate_layout(size: int, loop_fraction: float, rng: np.random.Generator) -> Layout:
    """Grow a random maze of `size` x `size` cells (odd `size` >= MIN_SIZE).

    Draws from `rng`: the first room (`integers`), the order of neighbours at
    every step of the depth-first search (`permutation`), and which inner walls
    to open (`choice`), `round(loop_fraction * n_walls)` of them.
    """
    if size < MIN_SIZE or size % 2 == 0:
        raise ValueError(f"size={size!r} is not allowed: expected an odd integer >= {MIN_SIZE}")
    open_cells = np.zeros((size, size), dtype=bool)
    rooms_per_side = (size - 1) // 2
    first = (1 + 2 * int(rng.integers(rooms_per_side)), 1 + 2 * int(rng.integers(rooms_per_side)))
    open_cells[first] = True
    stack = [first]
    while stack:
        row, column = stack[-1]
        for d in rng.permutation(len(DIRECTION_OFFSETS)):
            dr, dc = DIRECTION_OFFSETS[d]
            nr, nc = row + 2 * dr, column + 2 * dc
            if 0 < nr < size - 1 and 0 < nc < size - 1 and not open_cells[nr, nc]:
                open_cells[row + dr, column + dc] = True
                open_cells[nr, nc] = True
                stack.append((nr, nc))
                break
        else:
            stack.pop()
    closed_walls = [
        (r, c)
        for r in range(1, size - 1)
        for c in range(1, size - 1)
        if (r + c) % 2 == 1 and not open_cells[r, c]
    ]
    n_loops = round(loop_fraction * len(closed_walls))
    if n_loops:
        for i in rng.choice(len(closed_walls), size=n_loops, replace=False):
            open_cells[closed_walls[i]] = True
    return Layout(open_cells)
