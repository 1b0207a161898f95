"""Shared helpers: hand-drawn worlds for exact expectations."""

import numpy as np

from ecosystem.world.constants import Colour, Kind
from ecosystem.world.maze import Layout
from ecosystem.world.world import World, WorldObject

# S start, E exit (bottom-right corner), A apple; '#' wall, '.' open.
ROOMS_ASCII = """
#########
#S....A.#
#.#####.#
#.#.....#
#.#.###.#
#...#...#
#####.#.#
#A....#E#
#########
"""


def layout_from_ascii(text: str) -> tuple[Layout, dict[str, list[int]]]:
    """A layout from a picture, with the flat cells of every letter in it."""
    rows = text.strip().splitlines()
    open_cells = np.array([[ch != "#" for ch in row] for row in rows])
    layout = Layout(open_cells)
    marks: dict[str, list[int]] = {}
    for r, row in enumerate(rows):
        for c, ch in enumerate(row):
            if ch not in "#.":
                marks.setdefault(ch, []).append(layout.flat(r, c))
    return layout, marks


def ascii_world(text: str = ROOMS_ASCII, exit_colour=Colour.GREEN, apple_colour=Colour.RED) -> World:
    """A world from a picture: E is the exit, every A an apple."""
    layout, marks = layout_from_ascii(text)
    objects = [WorldObject(Kind.EXIT, exit_colour, marks["E"][0])]
    objects += [WorldObject(Kind.APPLE, apple_colour, cell) for cell in marks.get("A", [])]
    return World(layout, tuple(objects))


def free_neighbour_of_start(world) -> int:
    """An open cell next to the start with no object on it."""
    size = world.layout.size
    for offset in (1, size, -1, -size):
        cell = world.start + offset
        if world.layout.open.flat[cell] and cell not in world.object_at:
            return cell
    raise AssertionError("the start has no free neighbour")
