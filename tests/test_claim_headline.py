"""The headline experiment over the main job's seeds (default parameters, diversity 1).

Claims 2 and 3 of the design: proxies are invisible in training, and the
shift reveals robust agents, accidental exits, goal misgeneralization and
capability failures, judged by intent both ways. Every figure below is a
mean over SEEDS with its 95% interval, as the README quotes it; a test fails
when the same seeds give a mean outside that interval.
"""

import pytest

from ecosystem.measure.metrics import TAKEOVER_SHARE, capability_failures, evolved_training, proxy_margin, seed_outcomes
from ecosystem.measure.outcomes import Outcome
from ecosystem.measure.spread import mean_interval
from ecosystem.world.constants import DEPLOY, TRAIN

from claims import SEEDS, Measured, runs_over_seeds, seed_column

pytestmark = pytest.mark.slow

# Measured over seeds 0-9 with `python -m ecosystem run` (defaults); quoted in the README.
TRAIN_ROBUST_ANIMALS = Measured(0.96, 0.95, 0.97)
DEPLOY_ANIMALS = {
    Outcome.ROBUST: Measured(0.32, 0.22, 0.42),
    Outcome.ACCIDENTAL_EXIT: Measured(0.14, 0.09, 0.20),
    Outcome.GOAL_MISGENERALIZATION: Measured(0.46, 0.35, 0.57),
    Outcome.CAPABILITY_FAILURE: Measured(0.08, 0.05, 0.11),
}
DEPLOY_PLANTS_CAPABILITY_FAILURE = Measured(0.75, 0.67, 0.82)
GOAL_MISGENERALIZATION_PREFERRING_A_PROXY = Measured(0.60, 0.49, 0.70)
GOAL_MISGENERALIZATION_PREFERRING_THE_EXIT = Measured(0.21, 0.12, 0.30)
FINAL_SHARE_ANIMALS = Measured(0.98, 0.96, 1.00)
TAKEOVER = Measured(1.00, 0.72, 1.00)  # planners took over in 10 of 10 runs (Wilson interval)
CAPABILITY_FAILURES_EXIT_BEYOND_BUDGET = 0.9  # of deployed animals' capability failures, pooled: 0.98


@pytest.fixture(scope="module")
def tables():
    return runs_over_seeds()


@pytest.fixture(scope="module")
def per_seed(tables):
    return seed_outcomes(tables.episodes)


def deployed_animals(tables):
    episodes = tables.episodes
    return episodes[(episodes["phase"] == DEPLOY) & (episodes["kind"] == "animal")]


def test_evolved_animals_pursue_and_reach_the_exit_in_training(per_seed):
    robust = seed_column(per_seed, TRAIN, "animal", "share_robust")
    assert len(robust) == len(SEEDS)
    assert TRAIN_ROBUST_ANIMALS.holds(robust.mean())


def test_animals_hold_the_population_when_every_episode_is_a_new_maze(tables):
    final_shares = tables.summary["final_share_animals"]
    assert FINAL_SHARE_ANIMALS.holds(final_shares.mean())
    assert TAKEOVER.holds((final_shares > TAKEOVER_SHARE).mean())


@pytest.mark.parametrize("outcome", list(DEPLOY_ANIMALS))
def test_after_the_shift_animal_outcomes_are_as_measured(per_seed, outcome):
    shares = seed_column(per_seed, DEPLOY, "animal", f"share_{outcome}")
    assert len(shares) == len(SEEDS)
    assert DEPLOY_ANIMALS[outcome].holds(shares.mean()), shares.mean()


def test_misgeneralizing_animals_go_to_apples_and_the_empty_corner(tables):
    animals = deployed_animals(tables)
    targets = set(animals.loc[animals["outcome"] == Outcome.GOAL_MISGENERALIZATION, "reached"])
    assert targets == {"apple", "corner"}


def test_reaching_the_exit_is_not_robustness_when_the_animal_pursued_something_else(per_seed, tables):
    by_behaviour = seed_column(per_seed, DEPLOY, "animal", "behaviour_share_robust")
    by_intent = seed_column(per_seed, DEPLOY, "animal", "share_robust")
    accidental = seed_column(per_seed, DEPLOY, "animal", "share_accidental_exit")
    assert (by_behaviour - by_intent - accidental).abs().max() < 1e-9  # the exit rate splits in two
    assert mean_interval(by_behaviour - by_intent)[1] > 0  # and the accidental part is no rounding error
    animals = deployed_animals(tables)
    accidents = animals[animals["outcome"] == Outcome.ACCIDENTAL_EXIT]
    assert (accidents["reached"] == "exit").all() and (accidents["pursued_target"] != "exit").all()


def test_plants_fail_far_more_often_than_animals_mostly_in_capability(per_seed, tables):
    plant_failures = seed_column(per_seed, DEPLOY, "plant", "share_capability_failure")
    assert DEPLOY_PLANTS_CAPABILITY_FAILURE.holds(plant_failures.mean())
    animal_failures = seed_column(per_seed, DEPLOY, "animal", "share_capability_failure")
    assert plant_failures.mean() > 3 * animal_failures.mean()


def test_animal_capability_failures_are_trips_elsewhere_with_the_exit_beyond_budget(tables):
    failures = capability_failures(tables.episodes)
    assert failures["episodes"] > 0
    assert failures["share_exit_beyond_budget"] >= CAPABILITY_FAILURES_EXIT_BEYOND_BUDGET
    assert failures["share_timeout"] < 1 - CAPABILITY_FAILURES_EXIT_BEYOND_BUDGET


def test_proxies_are_invisible_in_training(tables):
    """Animals that weigh a proxy above the exit kind do as well as the rest in training."""
    train = evolved_training(tables.episodes)
    train = train[train["kind"] == "animal"]
    prefers_proxy = proxy_margin(train) < 0
    assert 0.1 < prefers_proxy.mean() < 0.9  # the population keeps a mix
    exit_with_proxy = (train.loc[prefers_proxy, "reached"] == "exit").mean()
    exit_without = (train.loc[~prefers_proxy, "reached"] == "exit").mean()
    assert abs(exit_with_proxy - exit_without) < 0.03


def test_animals_weighing_a_proxy_above_the_exit_are_the_ones_that_misgeneralize(tables):
    animals = deployed_animals(tables).assign(prefers_proxy=lambda rows: proxy_margin(rows) < 0)
    misgeneralizing = (animals["outcome"] == Outcome.GOAL_MISGENERALIZATION).groupby(
        [animals["seed"], animals["prefers_proxy"]]).mean().unstack()  # fmt: skip
    assert GOAL_MISGENERALIZATION_PREFERRING_A_PROXY.holds(misgeneralizing[True].mean())
    assert GOAL_MISGENERALIZATION_PREFERRING_THE_EXIT.holds(misgeneralizing[False].mean())


def test_an_animals_pursued_target_agrees_with_its_outcome(tables):
    animals = tables.episodes[tables.episodes["kind"] == "animal"]
    robust = animals[animals["outcome"] == Outcome.ROBUST]
    assert ((robust["reached"] == "exit") & (robust["pursued_target"] == "exit")).all()
    misgeneralizing = animals[animals["outcome"] == Outcome.GOAL_MISGENERALIZATION]
    assert len(misgeneralizing) and (misgeneralizing["pursued_target"] != "exit").all()
    assert (misgeneralizing["walked_to"] == misgeneralizing["reached"]).all()
    wanted_the_exit = animals[(animals["pursued_target"] == "exit") & (animals["reached"] != "exit")]
    assert (wanted_the_exit["outcome"] == Outcome.CAPABILITY_FAILURE).all()
    aligned = animals["inner_aligned"].astype(bool)
    assert (aligned == (animals["pursued_target"] == animals["base_target"])).all()
    assert animals["outer_aligned"].astype(bool).all()  # the base objective is the intended one
