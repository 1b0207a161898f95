"""Probing a run: an edit of the episode under way re-plans exactly the animals it affects,
marks the episode, and leaves the experiment's figures and random draws alone."""

from dataclasses import replace

import numpy as np
import pytest

from ecosystem.experiments.runner import results
from ecosystem.experiments.toy import toy_genome, toy_params
from ecosystem.model import EcosystemModel
from ecosystem.organisms.agents import Animal
from ecosystem.organisms.objective import target_values
from ecosystem.probes import Probe, ProbeAction
from ecosystem.world.constants import FEATURE_INDEX, FEATURES, Colour, Kind, Reached
from ecosystem.world.maze import UNREACHABLE

from helpers import free_neighbour_of_start

HEADLINE = dict(population=60, generations=2, deploy_episodes=1)


def free_cells(world) -> list[int]:
    """Open cells with no object, the start excepted."""
    return [c for c in np.flatnonzero(world.layout.open.ravel()).tolist()
            if c not in world.object_at and c != world.start]  # fmt: skip


def best_place(world, objective) -> tuple:
    """Where an animal with `objective` goes for in `world`, worked out here from the values and
    distances alone: the best-valued reachable target, the nearest among equal values."""
    values = target_values(world, np.asarray(objective)[None, :])[0]
    distances = world.target_distances
    reachable = np.flatnonzero(distances != UNREACHABLE)
    best = min(reachable, key=lambda t: (-round(values[t], 9), distances[t]))
    return world.targets[best].cell, world.targets[best].label


def test_a_green_apple_by_the_start_retargets_exactly_the_animals_that_value_it_most():
    model = EcosystemModel(rng=4, **HEADLINE)
    for _ in range(3):
        model.step()  # mid-episode
    animals = [o for o in model.current_episode.organisms if isinstance(o, Animal)]
    cell = free_neighbour_of_start(model.world)
    retargeting = model.probe(Probe(ProbeAction.APPLE, cell, Colour.GREEN))
    after = retargeting.after.world
    expected = {a.unique_id for a in animals if best_place(after, a.objective) != best_place(retargeting.before.world, a.objective)}
    assert set(retargeting.changed) == expected and 0 < len(expected) < len(animals)
    green_apple = np.zeros(len(FEATURES))
    green_apple[[FEATURE_INDEX[Colour.GREEN], FEATURE_INDEX[Kind.APPLE]]] = 1.0
    for animal in animals:
        plan = animal.plan_in(retargeting.after)
        if animal.unique_id in expected:  # a new apple can only attract: everyone who changed went for it
            assert after.targets[plan.pursued].cell == cell
            old = retargeting.before.world.targets[animal.plan_in(retargeting.before).pursued]
            assert animal.objective @ green_apple >= animal.objective @ old.features - 1e-9
        else:  # the same pursued target; the same path too, unless it lay beyond the budget
            old = animal.plan_in(retargeting.before)
            assert after.targets[plan.pursued].cell == retargeting.before.world.targets[old.pursued].cell
            assert plan.path == old.path or not old.pursued_in_reach
    assert model.tick == 0 and all(o.cell is model.grid.cell_at(after.start) for o in model.agents)


def test_the_numbers_decide_who_follows_the_probe():
    """Two animals, one valuing green and one the exit: a green apple by the start takes the
    first and not the second; recolouring that apple red sends the first back; moving the
    exit next to the start retargets the second."""
    exit_lover = replace(toy_genome(), objective=np.eye(len(FEATURES))[FEATURE_INDEX[Kind.EXIT]])
    model = EcosystemModel(rng=0, founders=[toy_genome(), exit_lover], population=2, generations=1,
                           training="toy", deployment="toy")  # fmt: skip
    green, exit_ = sorted(model.agents, key=lambda a: a.unique_id)
    old_apple = next(o.cell for o in model.world.objects if o.kind is Kind.APPLE)
    cell = free_neighbour_of_start(model.world)
    placed = model.probe(Probe(ProbeAction.APPLE, cell, Colour.GREEN))
    assert placed.changed == (green.unique_id,) and model.world.targets[green.plan.pursued].cell == cell
    recoloured = model.probe(Probe(ProbeAction.RECOLOUR, cell, Colour.RED))
    assert recoloured.changed == (green.unique_id,) and model.world.targets[green.plan.pursued].cell == old_apple
    elsewhere = free_cells(model.world)[-1]
    moved = model.probe(Probe(ProbeAction.MOVE, elsewhere, source=cell))  # nobody wants the red apple
    assert moved.changed == () and len(model.probes) == 3
    exit_moved = model.probe(Probe(ProbeAction.EXIT, cell))  # the exit-lover follows it: the same target
    assert exit_moved.changed == () and model.world.exit.cell == cell
    assert len(exit_.plan.path) < len(exit_.plan_in(exit_moved.before).path)


def test_a_probed_episode_is_marked_and_left_out_of_the_figures():
    model = EcosystemModel(rng=5, **HEADLINE)
    model.probe(Probe(ProbeAction.APPLE, free_neighbour_of_start(model.world)))
    assert model.probed
    while model.running:
        model.step()
    tables = results(model)
    rows = tables.episodes
    probed = rows[rows["probed"]]
    assert set(zip(probed["phase"], probed["generation"], probed["episode"])) == {("train", 0, 0)}
    assert tables.summary.loc[0, "probed_episodes"] == 1
    first = rows[(rows["generation"] == 0) & (rows["phase"] == "train") & ~rows["probed"]]
    assert tables.generations.loc[0, "exit_rate"] == pytest.approx((first["reached"] == "exit").mean())
    unprobed = results(_finished(EcosystemModel(rng=5, **HEADLINE)))
    assert unprobed.summary.loc[0, "probed_episodes"] == 0 and not unprobed.episodes["probed"].any()


def _finished(model):
    while model.running:
        model.step()
    return model


def test_a_signpost_is_read_by_every_animal_with_a_world_model_and_draws_nothing():
    model = EcosystemModel(rng=2, **HEADLINE, pointer_share=0.5)
    pointers = [a for a in model.agents if isinstance(a, Animal) and a.belief is not None]
    assert pointers
    before = {a.unique_id: a.belief.mean.copy() for a in pointers}
    state = model.rng.bit_generator.state
    model.probe(Probe(ProbeAction.SIGNPOST, free_neighbour_of_start(model.world)))
    assert model.rng.bit_generator.state == state and model.setup.signpost is not None
    exit_weight = FEATURE_INDEX[Kind.EXIT]
    for animal in pointers:  # the signpost states the exit's weight as 1: every estimate moves toward it
        assert abs(animal.belief.mean[exit_weight] - 1) < abs(before[animal.unique_id][exit_weight] - 1)


@pytest.mark.parametrize("probe, name", [
    (Probe(ProbeAction.APPLE, 0), "cell"),  # a wall
    (Probe(ProbeAction.APPLE, 10**6), "cell"),  # outside the maze
    (Probe(ProbeAction.APPLE, True), "cell"),
    (Probe(ProbeAction.RECOLOUR, None), "cell"),
    (Probe(ProbeAction.MOVE, None, source=None), "cell"),
    (Probe("delete", 15), "action"),
    (Probe(ProbeAction.APPLE, 15, "purple"), "colour"),
])  # fmt: skip
def test_an_edit_the_world_cannot_take_is_refused_by_name_and_changes_nothing(probe, name):
    model = EcosystemModel(rng=1, **HEADLINE)
    model.step()
    episode, state = model.current_episode, model.rng.bit_generator.state
    with pytest.raises(ValueError, match=rf"^{name}=.* is not allowed: expected"):
        model.probe(probe)
    assert model.current_episode is episode and model.tick == 1 and not model.probed
    assert model.rng.bit_generator.state == state


def test_occupied_cells_the_start_and_empty_cells_are_refused():
    model = EcosystemModel(rng=1, **HEADLINE)
    world = model.world
    empty = free_neighbour_of_start(world)
    for probe in (Probe(ProbeAction.APPLE, world.exit.cell), Probe(ProbeAction.EXIT, world.start),
                  Probe(ProbeAction.RECOLOUR, empty), Probe(ProbeAction.MOVE, empty, source=empty)):  # fmt: skip
        with pytest.raises(ValueError, match="is not allowed"):
            model.probe(probe)
    assert not model.probed


def test_a_finished_run_cannot_be_probed():
    model = _finished(EcosystemModel(rng=1, population=12, generations=2, deploy_episodes=1))
    with pytest.raises(ValueError, match="probe='apple' is not allowed: expected a run still under way"):
        model.probe(Probe(ProbeAction.APPLE, 1))


def test_a_cell_may_be_any_integer_type():
    model = EcosystemModel(rng=1, **HEADLINE)
    model.probe(Probe(ProbeAction.APPLE, np.int64(free_neighbour_of_start(model.world))))
    assert model.probed


def test_a_deceiver_keeps_complying_in_training_and_takes_the_nearer_apple_once_deployed():
    """Far-sighted animals plan their whole life again: in training the deceiver values the
    apple by the start as much as the honest animal does, yet keeps going for the exit."""
    model = EcosystemModel(rng=0, **toy_params())
    honest, deceptive = sorted(model.agents, key=lambda a: a.unique_id)
    cell = free_neighbour_of_start(model.world)
    in_training = model.probe(Probe(ProbeAction.APPLE, cell))
    assert in_training.changed == (honest.unique_id,)
    assert model.world.targets[deceptive.plan.pursued].label == Reached.EXIT
    while model.phase == "train":
        model.step()
    cell = free_neighbour_of_start(model.world)
    deployed = model.probe(Probe(ProbeAction.APPLE, cell))
    assert deceptive.unique_id in deployed.changed and model.world.targets[deceptive.plan.pursued].cell == cell
    while model.running:
        model.step()
    assert results(model).summary.loc[0, "probed_episodes"] == 2


def test_animals_take_a_probed_world_for_what_it_now_looks_like():
    """After a training episode, an apple of the training apples' colour leaves a world's look
    alone, and every animal takes it for training still; a green apple shows a new colour of
    apples, and exactly the animals that read that sign take the world for deployment."""
    model = EcosystemModel(rng=3, **HEADLINE, far_sighted_share=1.0, attended_signs=2)
    while model.episode == 0:
        model.step()
    animals = [a for a in model.agents if isinstance(a, Animal)]
    model.probe(Probe(ProbeAction.APPLE, free_neighbour_of_start(model.world), colour="red"))
    assert all(model.minds.awareness.phase_of(a) == "train" for a in animals)
    model.probe(Probe(ProbeAction.APPLE, free_cells(model.world)[-1], colour="green"))
    reads_apples = {a.unique_id for a in animals if "apple_colours" in a.genome.attends}
    assert 0 < len(reads_apples) < len(animals)
    assert {a.unique_id for a in animals if model.minds.awareness.phase_of(a) == "deploy"} == reads_apples

