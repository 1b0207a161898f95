"""Planning: the animal's path is a shortest path to its best-valued target."""

import numpy as np
import pytest

from ecosystem.world.constants import FEATURE_INDEX, FEATURES, Colour, Reached
from ecosystem.world.environment import preset
from ecosystem.organisms.planning import plan

from helpers import ascii_world


def weights(**named) -> np.ndarray:
    w = np.zeros(len(FEATURES))
    for name, value in named.items():
        w[FEATURE_INDEX[name]] = value
    return w


def test_exit_lover_walks_a_shortest_path_to_the_exit():
    world = ascii_world()
    decided = plan(world, weights(exit=1.0), budget=100)
    assert world.targets[decided.walked_to].label is Reached.EXIT
    distance = world.layout.distances_from(world.start)[world.exit.cell]
    assert decided.path[0] == world.start and decided.path[-1] == world.exit.cell
    assert len(decided.path) - 1 == distance


def test_red_lover_pursues_the_nearest_of_identical_red_apples():
    world = ascii_world()
    decided = plan(world, weights(red=1.0), budget=100)
    target = world.targets[decided.walked_to]
    assert target.label is Reached.APPLE and decided.pursued == decided.walked_to
    apples = [i for i, t in enumerate(world.targets) if t.label is Reached.APPLE]
    assert world.target_distances[decided.pursued] == min(world.target_distances[i] for i in apples)
    assert world.target_distances[apples[0]] != world.target_distances[apples[1]]  # the tie is decided by distance
    assert decided.path[-1] == target.cell


def test_an_identical_apple_within_budget_is_no_fallback():
    world = ascii_world()
    apples = sorted((world.target_distances[i], i) for i, t in enumerate(world.targets) if t.label is Reached.APPLE)
    decided = plan(world, weights(red=1.0), budget=int(apples[0][0]))
    assert decided.pursued == apples[0][1] and decided.pursued_in_reach


def test_budget_limits_the_search_but_not_the_intention():
    world = ascii_world()
    exit_distance = int(world.layout.distances_from(world.start)[world.exit.cell])
    apple_distances = sorted(
        int(world.layout.distances_from(world.start)[o.cell]) for o in world.objects if o.kind == "apple"
    )
    budget = apple_distances[0]
    assert budget < exit_distance
    decided = plan(world, weights(exit=2.0, apple=1.0), budget=budget)
    assert world.targets[decided.pursued].label is Reached.EXIT
    assert world.targets[decided.walked_to].label is Reached.APPLE
    assert len(decided.path) - 1 <= budget


def test_nothing_within_budget_means_staying_at_the_start():
    world = ascii_world()
    decided = plan(world, weights(exit=1.0), budget=0)
    assert decided.walked_to is None
    assert world.targets[decided.pursued].label is Reached.EXIT
    assert decided.path == (world.start,)


def test_when_everything_is_disliked_the_least_disliked_target_wins():
    world = ascii_world()
    decided = plan(world, weights(exit=-1.0, apple=-3.0), budget=100)
    assert world.targets[decided.walked_to].label is Reached.EXIT


def test_corner_lover_goes_to_the_empty_corner_in_deployment():
    world = preset("deployment").sample_world(np.random.default_rng(4))
    decided = plan(world, weights(corner=1.0), budget=10_000)
    assert world.targets[decided.walked_to].label is Reached.CORNER
    assert decided.path[-1] == world.corner


@pytest.mark.parametrize("seed", range(30))
def test_path_leads_to_the_best_target_within_budget_by_a_shortest_path(seed):
    rng = np.random.default_rng(seed)
    world = preset("deployment").sample_world(rng)
    objective = rng.normal(size=len(FEATURES))
    budget = int(rng.integers(5, 60))
    decided = plan(world, objective, budget)
    values = world.target_features @ objective
    from_start = world.layout.distances_from(world.start)
    in_reach = [i for i, t in enumerate(world.targets) if from_start[t.cell] <= budget]
    if not in_reach:
        assert decided.walked_to is None
        return
    assert values[decided.walked_to] == max(values[i] for i in in_reach)
    assert len(decided.path) - 1 == from_start[world.targets[decided.walked_to].cell]


def test_values_are_the_sum_of_feature_weights():
    world = ascii_world(exit_colour=Colour.GREEN)
    objective = weights(green=0.5, exit=0.25, corner=2.0)
    exit_index = next(i for i, t in enumerate(world.targets) if t.label is Reached.EXIT)
    assert (world.target_features @ objective)[exit_index] == pytest.approx(2.75)
