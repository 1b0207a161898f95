"""Maze generation: connected, perfect without loops, deterministic."""

import numpy as np
import pytest

from ecosystem.world.constants import DIRECTION_OFFSETS
from ecosystem.world.maze import MIN_SIZE, UNREACHABLE, Layout, generate_layout

SIZES = (MIN_SIZE, 9, 13, 19, 31)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("loop_fraction", (0.0, 0.1, 1.0))
def test_every_open_cell_is_reachable_from_the_start(size, loop_fraction):
    for seed in range(20):
        layout = generate_layout(size, loop_fraction, np.random.default_rng(seed))
        distances = layout.distances_from(layout.flat(1, 1)).reshape(size, size)
        assert (distances[layout.open] != UNREACHABLE).all()
        assert (distances[~layout.open] == UNREACHABLE).all()


@pytest.mark.parametrize("size", SIZES)
def test_no_loops_gives_a_perfect_maze(size):
    """A tree over the rooms: exactly one opening fewer than there are rooms."""
    layout = generate_layout(size, 0.0, np.random.default_rng(size))
    rooms = len(layout.rooms)
    assert layout.open.sum() == rooms + (rooms - 1)


def test_loop_fraction_opens_that_share_of_the_remaining_walls():
    size = 13
    perfect = generate_layout(size, 0.0, np.random.default_rng(3))
    rooms = len(perfect.rooms)
    inner_walls = 2 * ((size - 1) // 2) * ((size - 1) // 2 - 1)
    remaining = inner_walls - (rooms - 1)
    looped = generate_layout(size, 0.5, np.random.default_rng(3))
    assert looped.open.sum() - perfect.open.sum() == round(0.5 * remaining)


def test_outer_ring_is_wall_and_rooms_are_open():
    layout = generate_layout(11, 0.2, np.random.default_rng(0))
    assert not layout.open[0].any() and not layout.open[-1].any()
    assert not layout.open[:, 0].any() and not layout.open[:, -1].any()
    assert all(layout.open[layout.coordinate(room)] for room in layout.rooms)


def test_same_seed_same_layout_different_seed_different_layout():
    a = generate_layout(15, 0.1, np.random.default_rng(7))
    b = generate_layout(15, 0.1, np.random.default_rng(7))
    c = generate_layout(15, 0.1, np.random.default_rng(8))
    assert np.array_equal(a.open, b.open)
    assert not np.array_equal(a.open, c.open)


@pytest.mark.parametrize("size", (4, 3, 12, -1))
def test_bad_sizes_are_refused(size):
    with pytest.raises(ValueError, match="size"):
        generate_layout(size, 0.1, np.random.default_rng(0))


def test_shortest_path_is_connected_and_as_long_as_the_distance():
    layout = generate_layout(21, 0.2, np.random.default_rng(5))
    start = layout.flat(1, 1)
    for target in layout.rooms[::7]:
        path = layout.shortest_path(start, target)
        assert path[0] == start and path[-1] == target
        assert len(path) - 1 == layout.distances_from(start)[target]
        for a, b in zip(path, path[1:]):
            (ra, ca), (rb, cb) = layout.coordinate(a), layout.coordinate(b)
            assert (rb - ra, cb - ca) in DIRECTION_OFFSETS
            assert layout.open[rb, cb]


def test_unreachable_target_has_no_path():
    open_cells = np.zeros((5, 5), dtype=bool)
    open_cells[1, 1] = open_cells[3, 3] = True
    layout = Layout(open_cells)
    assert layout.shortest_path(layout.flat(1, 1), layout.flat(3, 3)) == ()
