"""A world: one maze layout with its objects, start cell and corner.

Objects are tiny records with perceivable features (a kind and a colour). The
places an agent can go for are its *targets*: every object, and the
bottom-right corner when nothing stands there (the "empty corner" that a
corner proxy leads to). Everything that depends only on the world, such as
each target's feature vector and the shortest path from the start to it, is
computed once here and shared by all agents.

A world also has a *look*: the signs an animal can read off it when it asks
itself whether it is being trained (see `organisms.awareness`): the maze's
size, the exit's colour, whether the exit is in the corner, the apples'
colours, and whether it shows the deployment cue (a notice that says
"deployed", which a world shows when its spec says so, truthfully or not).
"""

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ecosystem.world.constants import COLOURS, DIRECTION_OFFSETS, FEATURE_INDEX, FEATURES, SIGNS, Colour, Kind, Reached
from ecosystem.world.maze import UNREACHABLE, Layout


@dataclass(frozen=True)
class WorldObject:
    """Something in the maze that agents can perceive: a kind, a colour, a cell."""

    kind: Kind
    colour: Colour
    cell: int


@dataclass(frozen=True)
class Target:
    """A place an agent can aim for, with the features its objective values."""

    label: Reached
    cell: int
    features: np.ndarray  # 0/1 per entry of constants.FEATURES


class World:
    """A layout plus objects; agents start at the top-left room. `cue`: whether it shows the
    deployment cue."""

    def __init__(self, layout: Layout, objects: tuple[WorldObject, ...], cue: bool = False):
        self.layout = layout
        self.objects = objects
        self.cue = cue
        self.start = layout.flat(1, 1)
        self.corner = layout.flat(layout.size - 2, layout.size - 2)
        self.object_at = {obj.cell: obj for obj in objects}
        exits = [obj for obj in objects if obj.kind is Kind.EXIT]
        if len(exits) != 1 or len(self.object_at) != len(objects):
            raise ValueError("a world needs exactly one exit and one object per cell")
        self.exit = exits[0]
        self._paths: dict[int, tuple[int, ...]] = {}
        self._colour_gains: dict[int, tuple[np.ndarray, tuple[int, ...]]] = {}

    @cached_property
    def targets(self) -> tuple[Target, ...]:
        """Every object, then the corner if it is empty: what objectives rank."""
        targets = []
        for obj in self.objects:
            features = np.zeros(len(FEATURES))
            features[FEATURE_INDEX[obj.colour]] = 1.0
            features[FEATURE_INDEX[obj.kind]] = 1.0
            features[FEATURE_INDEX["corner"]] = float(obj.cell == self.corner)
            targets.append(Target(Reached(obj.kind.value), obj.cell, features))
        if self.corner not in self.object_at:
            features = np.zeros(len(FEATURES))
            features[FEATURE_INDEX["corner"]] = 1.0
            targets.append(Target(Reached.CORNER, self.corner, features))
        return tuple(targets)

    @cached_property
    def look(self) -> tuple:
        """The value of each of `constants.SIGNS` in this world, in that order."""
        values = {"cue": self.cue, "exit_colour": self.exit.colour,
                  "apple_colours": frozenset(obj.colour for obj in self.objects if obj.kind is Kind.APPLE),
                  "exit_in_corner": self.exit.cell == self.corner, "maze_size": self.layout.size}  # fmt: skip
        return tuple(values[sign] for sign in SIGNS)

    @cached_property
    def target_features(self) -> np.ndarray:
        """(targets x features) matrix: `weights @ target_features.T` values them all."""
        return np.array([t.features for t in self.targets])

    @cached_property
    def target_distances(self) -> np.ndarray:
        """Maze distance from the start to each target (`UNREACHABLE` if cut off)."""
        from_start = self.layout.distances_from(self.start)
        return np.array([from_start[t.cell] for t in self.targets])

    def path_to(self, target_index: int) -> tuple[int, ...]:
        """Shortest path from the start to a target, start included; computed once."""
        path = self._paths.get(target_index)
        if path is None:
            path = self.layout.shortest_path(self.start, self.targets[target_index].cell)
            self._paths[target_index] = path
        return path

    def colour_gains(self, vision: int) -> tuple[np.ndarray, tuple[int, ...]]:
        """Which moves bring an agent closer to a colour it can see.

        Returns a (cells x directions x colours) boolean array, true where the
        move gets closer (Manhattan) to the nearest object of that colour
        within `vision` cells (the first listed on ties), and the colour
        indices in the order they first appear among the objects. Computed
        once per world and vision.
        """
        cached = self._colour_gains.get(vision)
        if cached is not None:
            return cached
        size = self.layout.size
        rows, columns = np.divmod(np.arange(size * size), size)
        gains = np.zeros((size * size, len(DIRECTION_OFFSETS), len(COLOURS)), dtype=bool)
        order = tuple(dict.fromkeys(COLOURS.index(obj.colour) for obj in self.objects))
        for colour_index in order:
            nearest = np.full(size * size, vision + 1)
            target_row, target_column = np.zeros(size * size, int), np.zeros(size * size, int)
            for obj in self.objects:
                if COLOURS.index(obj.colour) != colour_index:
                    continue
                orow, ocol = divmod(obj.cell, size)
                distance = np.abs(rows - orow) + np.abs(columns - ocol)
                closer = distance < nearest
                nearest[closer] = distance[closer]
                target_row[closer], target_column[closer] = orow, ocol
            seen = nearest <= vision
            for direction, (dr, dc) in enumerate(DIRECTION_OFFSETS):
                after = np.abs(rows + dr - target_row) + np.abs(columns + dc - target_column)
                gains[:, direction, colour_index] = seen & (after < nearest)
        gains.setflags(write=False)
        self._colour_gains[vision] = gains, order
        return gains, order

    def target_at(self, cell: int) -> int | None:
        """Index into `targets` of the target on `cell`, or None."""
        return self._target_at.get(cell)

    @cached_property
    def _target_at(self) -> dict[int, int]:
        return {t.cell: i for i, t in enumerate(self.targets)}

    def reached(self, cell: int) -> Reached:
        """What standing on `cell` counts as: an object's kind, the corner, or none."""
        obj = self.object_at.get(cell)
        if obj is not None:
            return Reached(obj.kind.value)
        return Reached.CORNER if cell == self.corner else Reached.NONE

    def distance_to_nearest(self, cell: int, colour: Colour | None = None) -> int:
        """Maze distance from `cell` to the exit, or to the nearest object of `colour`.

        Returns `UNREACHABLE` when there is no such object or none can be reached.
        """
        if colour is None:
            return int(self.layout.distances_from(self.exit.cell)[cell])
        distances = [
            int(self.layout.distances_from(obj.cell)[cell])
            for obj in self.objects
            if obj.colour is colour
        ]
        distances = [d for d in distances if d != UNREACHABLE]
        return min(distances, default=UNREACHABLE)
