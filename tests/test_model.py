"""The Mesa model: schedule, shift, data collection, determinism, validation."""

import math

import mesa
import numpy as np
import pytest

from ecosystem.organisms.agents import Animal, Plant
from ecosystem.experiments.runner import results, run
from ecosystem.experiments.toy import toy_params
from ecosystem.export import csv_text
from ecosystem.measure.metrics import STATISTICS
from ecosystem.measure.records import EPISODE_COLUMNS
from ecosystem.model import EcosystemModel
from ecosystem.params import ModelParams

SMALL = dict(population=20, generations=3, episodes_per_generation=2, deploy_episodes=2)


def test_every_parameter_has_a_default_and_the_model_runs_from_them():
    model = EcosystemModel(rng=0)
    assert model.params == ModelParams()
    model.step()
    assert model.steps == 1


def test_a_run_trains_then_deploys_then_stops_and_records_everything():
    model = run(seed=1, **SMALL)
    assert not model.running and model.phase == "deploy"
    episodes = model.datacollector.get_table_dataframe("episodes")
    assert list(episodes.columns) == list(EPISODE_COLUMNS)
    per_phase = episodes.groupby("phase").size()
    assert per_phase["train"] == SMALL["population"] * SMALL["generations"] * SMALL["episodes_per_generation"]
    assert per_phase["deploy"] == SMALL["population"] * SMALL["deploy_episodes"]
    generations = model.datacollector.get_model_vars_dataframe()
    assert list(generations["phase"]) == ["train"] * SMALL["generations"] + ["deploy"]
    assert set(STATISTICS) <= set(generations.columns)


def test_agents_are_mesa_cell_agents_standing_where_their_trace_says():
    model = EcosystemModel(rng=2, **SMALL)
    for _ in range(5):
        model.step()
    assert model.agents_by_type.keys() <= {Plant, Animal}
    start = model.grid.cell_at(model.world.start)
    assert all(organism.cell is start for organism in model.agents)  # headless, they move in the episode's arrays
    model.stand_on_cells()
    for organism in model.agents:
        row, column = divmod(organism.trace[-1], model.world.layout.size)
        assert organism.cell.coordinate == (row, column)
        assert organism in organism.cell.agents
        assert model.world.layout.open[row, column]


def test_agents_move_one_open_cell_per_tick_at_most():
    model = EcosystemModel(rng=3, **SMALL)
    model.step()
    for _ in range(10):
        model.step()
    for organism in model.agents:
        for a, b in zip(organism.trace, organism.trace[1:]):
            assert b in [n for _, n in model.world.layout.moves[a]]


def test_deployment_freezes_the_population():
    model = EcosystemModel(rng=4, **SMALL)
    model.shift()
    assert model.phase == "deploy" and model.setup.spec == model.params.deployment_spec
    before = {a.unique_id: a.genome for a in model.agents}
    while model.running:
        model.step()
    assert {a.unique_id: a.genome for a in model.agents} == before
    episodes = model.datacollector.get_table_dataframe("episodes")
    assert set(episodes["phase"]) == {"deploy"}


def test_shift_mid_generation_keeps_finished_episodes_and_moves_on():
    model = EcosystemModel(rng=5, **SMALL)
    while model.episode == 0:  # finish one training episode of the first generation
        model.step()
    model.step()  # and start the next
    model.shift()
    generations = model.datacollector.get_model_vars_dataframe()
    assert list(generations["phase"]) == ["train"]
    assert model.grid.width == model.params.deployment_spec.maze_size
    while model.running:
        model.step()
    assert model.datacollector.get_model_vars_dataframe()["phase"].iloc[-1] == "deploy"


def test_selection_happens_between_generations():
    model = EcosystemModel(rng=6, **SMALL)
    first = {a.unique_id for a in model.agents}
    while model.generation == 0:
        model.step()
    assert first.isdisjoint(a.unique_id for a in model.agents)
    assert len(model.agents) == SMALL["population"]


def test_same_seed_same_tables_different_seed_different_tables():
    a, b, c = (results(run(seed=s, **SMALL)) for s in (7, 7, 8))
    assert a.episodes.to_csv() == b.episodes.to_csv()
    assert a.generations.to_csv() == b.generations.to_csv()
    assert a.episodes.to_csv() != c.episodes.to_csv()


def test_a_generator_works_as_rng_too():
    model = EcosystemModel(rng=np.random.default_rng(3), **SMALL)
    assert model.seed is None
    model.step()


@pytest.mark.parametrize(
    "params, name",
    [
        ({"population": -5}, "population"),
        ({"population": 0}, "population"),
        ({"generations": 2.5}, "generations"),
        ({"generations": "10"}, "generations"),
        ({"deploy_episodes": 0}, "deploy_episodes"),
        ({"initial_animal_share": math.nan}, "initial_animal_share"),
        ({"cognition_cost_per_budget": -0.1}, "cognition_cost_per_budget"),
        ({"cognition_overhead": math.inf}, "cognition_overhead"),
        ({"diversity": 2.0}, "diversity"),
        ({"deployment": "mars"}, "deployment"),
        ({"training": "Training"}, "training"),
        ({"base_objective": "apples"}, "base_objective"),
        ({"exit_colour": "purple"}, "exit_colour"),
        ({"maze_size": 5}, "maze_size"),
        ({"maze_size": 12}, "maze_size"),
        ({"elites": 500}, "elites"),
        ({"kind_flip_rate": 1.5}, "kind_flip_rate"),
        ({"popluation": 10}, "popluation"),
        ({"adversarial_share": 1.5}, "adversarial_share"),
        ({"adversarial_share": -0.1}, "adversarial_share"),
        ({"adversary": "clever"}, "adversary"),
        ({"adversary_candidates": 0}, "adversary_candidates"),
        ({"base_objective": "green", "exit_colour": "red"}, "base_objective"),
    ],
)
def test_bad_values_raise_naming_parameter_value_and_what_is_allowed(params, name):
    with pytest.raises(ValueError, match=name) as error:
        EcosystemModel(rng=0, **params)
    message = str(error.value)
    assert repr(next(iter(params.values()))) in message or "nan" in message or "inf" in message
    assert "expected" in message


def test_batch_run_drives_the_model():
    rows = mesa.batch_run(
        EcosystemModel,
        parameters={"population": 10, "generations": 2, "deploy_episodes": 1, "diversity": [0.0, 1.0]},
        rng=[11],
        number_processes=1,
        data_collection_period=-1,
        max_steps=10_000,
        display_progress=False,
    )
    assert len(rows) == 2
    assert {row["diversity"] for row in rows} == {0.0, 1.0}
    assert all(row["phase"] == "deploy" and 0.0 <= row["share_animals"] <= 1.0 for row in rows)


def test_organisms_say_where_they_are_and_what_they_head_for():
    model = EcosystemModel(rng=9, **SMALL)
    model.step()
    for organism in model.agents:
        assert organism.position == organism.trace[-1]
        if isinstance(organism, Animal) and organism.plan.walked_to is not None:
            assert organism.heading is model.world.targets[organism.plan.walked_to].label
        if isinstance(organism, Plant):
            assert organism.heading is model.world.reached(organism.position)


def test_a_misspecified_base_objective_scores_what_evolution_sees_not_what_we_want():
    tables = results(run(seed=10, **SMALL, base_objective="green", exit_colour="grey", apple_colour="green"))
    episodes = tables.episodes
    on_green_apple = episodes[episodes["reached"] == "apple"]
    assert len(on_green_apple)
    assert (on_green_apple["base_score"] > on_green_apple["intended_score"]).all()
    assert ((episodes["fitness"] - (episodes["base_score"] - episodes["cognition_cost"])).abs() < 1e-12).all()


def test_with_the_correct_base_objective_base_and_intended_scores_agree():
    episodes = results(run(seed=10, **SMALL)).episodes
    assert (episodes["base_score"] == episodes["intended_score"]).all()


def test_a_run_shifted_before_its_first_episode_ended_still_summarises():
    model = EcosystemModel(rng=0, **toy_params())
    model.shift()
    while model.running:
        model.step()
    summary = results(model).summary
    assert np.isnan(summary.loc[0, "final_share_animals"]) and summary.loc[0, "deploy_episodes_animals"] == 6


PLAYED_CONFIGURATIONS = {  # every preset, both adversaries, lifetimes, learning, honeypots, the toy
    **{f"training {name}": dict(training=name) for name in ("training", "recoloured", "relocated", "orchard", "flags")},
    "regret curator": dict(adversary="regret", adversarial_share=0.2),
    "random adversary": dict(adversarial_share=0.3, base_optimizer="both"),
    "far-sighted, honeypots": dict(far_sighted_share=0.5, honeypot_share=0.3, base_optimizer="both"),
    "pointers, signposts": dict(training="flags", deployment="flags", second_base_objective="blue", pointer_share=0.5,
                                signpost_share=0.5, objective_change_every=2, base_optimizer="both"),
}


@pytest.mark.parametrize("overrides", PLAYED_CONFIGURATIONS.values(), ids=PLAYED_CONFIGURATIONS.keys())
def test_episodes_played_out_at_once_leave_the_same_tables_as_played_tick_by_tick(overrides):
    """Headless runs play each episode at once (`play_episode`); the page ticks (`step`). The two
    must give the same run, byte for byte."""
    params = SMALL | dict(population=30) | overrides
    ticked, played = EcosystemModel(rng=4, **params), EcosystemModel(rng=4, **params)
    while ticked.running:
        ticked.step()
    while played.running:
        played.play_episode()
    for name in ("episodes", "generations", "summary"):
        assert csv_text(getattr(results(ticked), name)) == csv_text(getattr(results(played), name)), name


def test_the_toy_played_out_at_once_is_the_toy_played_tick_by_tick():
    params = toy_params(2, 3, 1.0, honeypot_share=0.5, agents=3)
    ticked, played = EcosystemModel(rng=5, **params), EcosystemModel(rng=5, **params)
    while ticked.running:
        ticked.step()
    while played.running:
        played.play_episode()
    assert csv_text(results(ticked).episodes) == csv_text(results(played).episodes)
