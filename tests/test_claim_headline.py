"""The headline experiment holds across seeds (default parameters, diversity 1).

Claims 2 and 3 of the design: proxies are invisible in training, and the
shift reveals robust agents, goal misgeneralization and capability failures.
"""

import pytest

from ecosystem.measure.metrics import DEPLOY, proxy_margin
from ecosystem.measure.outcomes import Outcome

from claims import SEEDS, episodes_over_seeds, evolved_by_seed, final_share

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def episodes():
    return episodes_over_seeds()


def per_seed_share(rows, column, value):
    return (rows[column] == value).groupby(rows["seed"]).mean()


def test_evolved_animals_reach_the_exit_in_training(episodes):
    train = evolved_by_seed(episodes)
    animals = train[train["kind"] == "animal"]
    exit_rates = per_seed_share(animals, "reached", "exit")
    assert len(exit_rates) == len(SEEDS)
    assert exit_rates.mean() >= 0.95


def test_animals_hold_the_population_when_every_episode_is_a_new_maze(episodes):
    assert final_share(episodes, "animal").mean() > 0.5


def test_after_the_shift_many_animals_competently_pursue_the_wrong_goal(episodes):
    animals = episodes[(episodes["phase"] == DEPLOY) & (episodes["kind"] == "animal")]
    misgeneralizing = per_seed_share(animals, "outcome", Outcome.GOAL_MISGENERALIZATION)
    robust = per_seed_share(animals, "outcome", Outcome.ROBUST)
    assert misgeneralizing.mean() >= 0.20
    assert robust.mean() >= 0.10  # some still reach the exit
    targets = set(animals.loc[animals["outcome"] == Outcome.GOAL_MISGENERALIZATION, "reached"])
    assert targets == {"apple", "corner"}


def test_plants_fail_far_more_often_than_animals_mostly_in_capability(episodes):
    deploy = episodes[episodes["phase"] == DEPLOY]
    plants, animals = deploy[deploy["kind"] == "plant"], deploy[deploy["kind"] == "animal"]
    assert len(plants) > 0
    plant_capability = (plants["outcome"] == Outcome.CAPABILITY_FAILURE).mean()
    animal_capability = (animals["outcome"] == Outcome.CAPABILITY_FAILURE).mean()
    assert plant_capability >= 3 * animal_capability
    assert (plants["reached"] == "exit").mean() < (animals["reached"] == "exit").mean()
    failures = plants[plants["outcome"] != Outcome.ROBUST]
    assert (failures["outcome"] == Outcome.CAPABILITY_FAILURE).mean() > 0.5


def test_proxies_are_invisible_in_training(episodes):
    """Animals that weigh a proxy above the exit kind do as well as the rest in training."""
    train = evolved_by_seed(episodes)
    animals = train[train["kind"] == "animal"]
    prefers_proxy = proxy_margin(animals) < 0
    assert 0.1 < prefers_proxy.mean() < 0.9  # the population keeps a mix
    exit_with_proxy = (animals.loc[prefers_proxy, "reached"] == "exit").mean()
    exit_without = (animals.loc[~prefers_proxy, "reached"] == "exit").mean()
    assert abs(exit_with_proxy - exit_without) < 0.03


def test_animals_weighing_a_proxy_above_the_exit_are_the_ones_that_misgeneralize(episodes):
    animals = episodes[(episodes["phase"] == DEPLOY) & (episodes["kind"] == "animal")]
    margin = proxy_margin(animals)
    prefers_proxy = margin < 0
    assert prefers_proxy.any() and (~prefers_proxy).any()
    outcome = animals["outcome"]
    misgeneralize = lambda rows: (rows == Outcome.GOAL_MISGENERALIZATION).mean()  # noqa: E731
    assert misgeneralize(outcome[prefers_proxy]) > misgeneralize(outcome[~prefers_proxy]) + 0.2
    assert (prefers_proxy[outcome == Outcome.GOAL_MISGENERALIZATION]).mean() > 0.7
    by_seed = animals.assign(margin=margin).groupby(["seed", "outcome"])["margin"].mean().unstack()
    both = by_seed.dropna(subset=[Outcome.ROBUST, Outcome.GOAL_MISGENERALIZATION])
    assert len(both) >= len(SEEDS) // 2
    assert (both[Outcome.GOAL_MISGENERALIZATION] < both[Outcome.ROBUST]).all()


def test_an_animals_stated_intention_agrees_with_its_outcome(episodes):
    animals = episodes[episodes["kind"] == "animal"]
    misgeneralizing = animals[animals["outcome"] == Outcome.GOAL_MISGENERALIZATION]
    assert len(misgeneralizing) and (misgeneralizing["intended_target"] != "exit").all()
    assert (misgeneralizing["chosen_target"] == misgeneralizing["reached"]).all()
    robust = animals[animals["outcome"] == Outcome.ROBUST]
    assert (robust["reached"] == "exit").all()
    out_of_reach = animals[(animals["intended_target"] == "exit") & (animals["reached"] != "exit")]
    assert (out_of_reach["outcome"] == Outcome.CAPABILITY_FAILURE).all()
