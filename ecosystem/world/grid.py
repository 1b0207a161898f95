"""Mesa's grid of a maze: where a model's organisms stand, cell by cell.

The model's own state is in flat maze indices (row * size + column); this
grid is what Mesa's tools and the browser page read, so it is kept only as
up to date as they need: every organism stands on the start when an episode
begins, and moves on the grid only when the page asks
(`EcosystemModel.stand_on_cells`); moving every agent every tick cost a fifth
of a headless run.
"""

import math
import random

from mesa.discrete_space import OrthogonalVonNeumannGrid


class MazeGrid(OrthogonalVonNeumannGrid):
    """An orthogonal grid of a `size` x `size` maze, of unbounded capacity (organisms never block
    each other), whose cells are looked up by flat maze index."""

    def __init__(self, size: int, random: random.Random):
        super().__init__((size, size), torus=False, capacity=math.inf, random=random)
        self.size = size
        self._by_index = [self[divmod(flat, size)] for flat in range(size * size)]

    def cell_at(self, flat: int):
        """The cell at a flat maze index."""
        return self._by_index[flat]

    def stand(self, organisms, positions) -> None:
        """Stand each of `organisms` on the cell at its flat index in `positions`."""
        for organism, position in zip(organisms, positions):
            organism.cell = self._by_index[position]
