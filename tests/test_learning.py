"""World models in the model: pointers, signposts, a base objective that changes, and refusals."""

import numpy as np
import pandas as pd
import pytest

from ecosystem.model import EcosystemModel
from ecosystem.organisms.agents import Animal
from ecosystem.organisms.foresight import lifetime_plan
from ecosystem.organisms.genome import mutate, random_genome
from ecosystem.organisms.objective import ObjectiveKind
from ecosystem.measure.records import ESTIMATE_COLUMNS, WEIGHT_COLUMNS
from ecosystem.world.constants import AgentKind

CHANGING = dict(population=60, generations=1, base_optimizer="modification", episodes_per_generation=6,
                deploy_episodes=1, training="flags", deployment="flags", second_base_objective="blue",
                objective_change_every=3, initial_animal_share=1.0)  # fmt: skip


def episodes(**params) -> pd.DataFrame:
    model = EcosystemModel(rng=2, **params)
    while model.running:
        model.step()
    return pd.DataFrame(model.datacollector.tables["episodes"])


def test_the_base_objective_switches_after_the_given_number_of_training_episodes():
    rows = episodes(**CHANGING)
    train = rows[rows["phase"] == "train"]
    targets = train.groupby("episode")["base_target"].agg(set)
    assert all(targets[e] == {"exit"} for e in (0, 1, 2)) and all(targets[e] == {"apple"} for e in (3, 4, 5))


def test_a_pointer_acts_on_its_world_models_estimate():
    rows = episodes(**CHANGING, pointer_share=1.0)
    animals = rows[rows["kind"] == "animal"]
    np.testing.assert_allclose(animals[list(WEIGHT_COLUMNS)].to_numpy(float), animals[list(ESTIMATE_COLUMNS)].to_numpy(float))


def test_with_a_signpost_each_episode_pointers_follow_the_base_objective_and_its_change():
    """Before the change they pursue the exit; in the episode of the change the old signposts
    still outweigh the first new one (evidence k episodes old weighs memory^k, here 0.7 + 0.49
    + 0.34 against 1); from the next episode on they pursue blue objects."""
    rows = episodes(**CHANGING, pointer_share=1.0, signpost_share=1.0, signpost_noise=0.05)
    pursued = rows[(rows["phase"] == "train") & (rows["kind"] == "animal")].groupby("episode")["inner_aligned"].mean()
    assert (pursued[[0, 1, 2, 4, 5]] > 0.9).all() and pursued[3] < 0.1


def test_internal_animals_ignore_signposts():
    rows = episodes(**CHANGING, modification_rate=0.0, signpost_share=1.0)
    animals = rows[rows["kind"] == "animal"]
    assert animals.groupby("agent_id")[list(WEIGHT_COLUMNS)].nunique().eq(1).all().all()  # never changed
    assert animals[list(ESTIMATE_COLUMNS)].isna().all().all() and animals["objective_kind"].eq("internal").all()


def test_kinds_of_objective_come_in_the_shares_asked_for_and_deceivers_plan_ahead():
    model = EcosystemModel(rng=1, population=400, pointer_share=0.25, deceptive_share=0.25)
    kinds = pd.Series([a.genome.objective_kind.value for a in model.agents])
    assert kinds.value_counts(normalize=True).to_dict() == pytest.approx(
        {"internal": 0.5, "pointer": 0.25, "deceptive": 0.25}, abs=0.06)
    assert all(a.genome.horizon > 1 for a in model.agents if a.genome.objective_kind == ObjectiveKind.DECEPTIVE)


def test_offspring_switch_between_internal_objectives_and_pointers_at_the_rate_given():
    rng = np.random.default_rng(0)
    internal = random_genome(AgentKind.ANIMAL, rng)
    assert mutate(internal, rng, 0.1, 0.0, objective_kind_flip_rate=1.0).objective_kind == ObjectiveKind.POINTER
    assert mutate(internal, rng, 0.1, 0.0).objective_kind == ObjectiveKind.INTERNAL


@pytest.mark.parametrize(
    "params, name",
    [
        (dict(second_base_objective="purple"), "second_base_objective"),
        (dict(objective_change_every=4), "objective_change_every"),
        (dict(second_base_objective="blue"), "second_base_objective"),  # no blue object in the default training mazes
        (dict(pointer_share=0.7, deceptive_share=0.5), "deceptive_share"),
        (dict(signpost_noise=0.0), "signpost_noise"),
        (dict(memory=1.5), "memory"),
        (dict(observed_others=500), "observed_others"),
        (dict(world_model_cost=-1.0), "world_model_cost"),
        (dict(objective_kind_flip_rate=2.0), "objective_kind_flip_rate"),
    ],
)
def test_bad_learning_parameters_are_refused_by_name(params, name):
    with pytest.raises(ValueError, match=rf"^{name}=.* is not allowed: expected"):
        EcosystemModel(rng=0, **params)


def test_waits_are_counted_from_the_change_and_never_following_counts_what_was_left():
    from ecosystem.experiments.learning import generations_to_follow, realignment

    rows = []
    for generation in range(4):  # pointers follow in the generation of the change, internal ones a generation later
        for agent, kind in ((1, "pointer"), (2, "pointer"), (3, "internal"), (4, "internal")):
            aligned = generation >= 2 if kind == "pointer" else generation >= 3
            rows.append(dict(seed=0, phase="train", kind="animal", objective_kind=kind, generation=generation,
                             episode=generation, agent_id=agent + 10 * generation, inner_aligned=aligned))  # fmt: skip
    table = pd.DataFrame(rows)
    follow = generations_to_follow(table, change_generation=2).set_index("objective_kind")["generations_to_follow"]
    assert follow.to_dict() == {"internal": 1.0, "pointer": 0.0}
    lifetime = table.assign(agent_id=table["agent_id"] % 10)  # the same four animals, episode after episode
    waits = realignment(lifetime, change_episode=2).set_index("objective_kind")
    assert waits["episodes_to_realign"].to_dict() == {"internal": 1.0, "pointer": 0.0}
    assert waits["never"].to_dict() == {"internal": 0.0, "pointer": 0.0}


def test_a_far_sighted_pointer_plans_with_its_terminal_objective_the_world_models_estimate():
    """A pointer's values come from its world model, in its lifetime plan as in its first choice."""
    model = EcosystemModel(rng=2, population=40, generations=1, episodes_per_generation=6, pointer_share=1.0,
                           far_sighted_share=1.0, base_optimizer="modification", signpost_share=1.0,
                           signpost_noise=0.05)  # fmt: skip
    for _ in range(3 * model.setup.spec.episode_length):
        model.step()
    pointers = [a for a in model.current_episode.organisms if isinstance(a, Animal)]
    options = model.setup.objective.options(model.world)
    differ = 0
    for animal in pointers:
        believed = model.minds.planner.believed(animal, options)
        outlook = model.minds.awareness.outlook(animal)
        terminal = lifetime_plan(believed, animal.terminal_objective, outlook, animal.genome.horizon)
        assert model.minds.planner.plan(animal, believed) == terminal
        differ += lifetime_plan(believed, animal.objective, outlook, animal.genome.horizon) != terminal
    assert pointers and differ  # the run has pointers whose own weights would plan otherwise
