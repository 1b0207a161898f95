"""Environment distributions: presets, diversity, validation."""

import math

import numpy as np
import pytest

from ecosystem.world.constants import Colour, Kind
from ecosystem.world.environment import PRESETS, EnvironmentSpec, WorldSource, preset


def worlds(spec, n, seed=0):
    source = WorldSource(spec, np.random.default_rng(seed))
    return [source.next_world() for _ in range(n)]


def test_training_preset_makes_exit_green_corner_and_apples_red_proxies_coincide():
    for world in worlds(preset("training"), 20):
        assert world.exit.colour is Colour.GREEN
        assert world.exit.cell == world.corner
        apples = [o for o in world.objects if o.kind is Kind.APPLE]
        assert len(apples) == PRESETS["training"].apple_count
        assert all(a.colour is Colour.RED for a in apples)


def test_deployment_preset_shifts_colour_place_and_size():
    training, deployment = preset("training"), preset("deployment")
    assert deployment.maze_size > training.maze_size
    assert deployment.apple_count > training.apple_count
    for world in worlds(deployment, 20):
        assert world.exit.colour is Colour.GREY
        assert world.exit.cell not in (world.corner, world.start)
        assert {o.colour for o in world.objects if o.kind is Kind.APPLE} == {Colour.GREEN}
        assert world.corner not in world.object_at  # the empty corner a corner proxy leads to


def test_every_sampled_exit_is_reachable_within_the_episode():
    for name, spec in PRESETS.items():
        for world in worlds(spec, 30):
            distance = world.layout.distances_from(world.start)[world.exit.cell]
            assert 0 < distance <= spec.episode_length, name


def test_diversity_zero_is_one_world_forever():
    spec = preset("training").with_overrides(diversity=0.0)
    first, *rest = worlds(spec, 10)
    assert all(world is first for world in rest)


def test_diversity_one_is_a_fresh_layout_every_episode():
    spec = preset("training").with_overrides(diversity=1.0)
    layouts = [w.layout.open.tobytes() for w in worlds(spec, 10)]
    assert len(set(layouts)) == len(layouts)


def test_intermediate_diversity_refreshes_about_that_often():
    spec = preset("training").with_overrides(diversity=0.3)
    all_worlds = worlds(spec, 400)
    fresh = sum(w is not all_worlds[0] for w in all_worlds[1:]) / 399
    assert 0.22 < fresh < 0.38


@pytest.mark.parametrize(
    "overrides, name",
    [
        ({"maze_size": 5}, "maze_size"),
        ({"maze_size": 10}, "maze_size"),
        ({"maze_size": 13.0}, "maze_size"),
        ({"loop_fraction": math.nan}, "loop_fraction"),
        ({"loop_fraction": 1.5}, "loop_fraction"),
        ({"exit_colour": "purple"}, "exit_colour"),
        ({"apple_colour": "Green"}, "apple_colour"),
        ({"exit_placement": "middle"}, "exit_placement"),
        ({"apple_count": -1}, "apple_count"),
        ({"episode_length": 0}, "episode_length"),
        ({"diversity": -0.1}, "diversity"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_values_are_refused_naming_the_field(overrides, name):
    with pytest.raises(ValueError, match=name):
        preset("training").with_overrides(**overrides)


def test_unknown_preset_is_refused():
    with pytest.raises(ValueError, match="preset='mars'.*training"):
        preset("mars")


def test_an_episode_shorter_than_the_way_to_the_corner_is_refused_at_once():
    with pytest.raises(ValueError, match=r"episode_length=3 .*\[20, "):  # 2 x (13 - 3) steps to the corner
        preset("training").with_overrides(episode_length=3)
    assert preset("relocated").with_overrides(episode_length=3).episode_length == 3  # the exit may be near


def test_an_episode_too_short_for_any_exit_is_refused_when_sampling():
    spec = preset("training").with_overrides(maze_size=21, episode_length=36, loop_fraction=0.0)  # only a straight way
    with pytest.raises(ValueError, match="episode_length=36"):
        spec.sample_world(np.random.default_rng(0))


def test_specs_are_frozen():
    with pytest.raises(AttributeError):
        preset("training").maze_size = 7
    assert isinstance(preset("training"), EnvironmentSpec)


def test_a_spec_describes_itself_for_the_page():
    assert preset("training").describe() == (
        "Mazes of 13 x 13: the green exit is in the bottom-right corner; 3 apples are red."
    )
    assert "grey exit is anywhere" in preset("deployment").describe()
