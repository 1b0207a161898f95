"""The headline experiment over the main job's seeds (default parameters, diversity 1).

Claims 2 and 3 of the design: proxies are invisible in training, and the
shift reveals robust agents, accidental exits, goal misgeneralization and
capability failures, judged by intent both ways. Every figure below is a
mean over SEEDS with its 95% interval (a share of runs: its Wilson
interval), as the README quotes it; a test fails when the same seeds give a
mean outside that interval.
"""

import pytest

from ecosystem.measure.metrics import (SETTLED_SHARE, TAKEOVER_SHARE, proxy_margin, proxy_preference_in_training,
                                       seed_outcomes)
from ecosystem.measure.outcomes import Outcome
from ecosystem.world.constants import DEPLOY, TRAIN

from claims import SEEDS, Measured, runs_over_seeds, seed_column

pytestmark = pytest.mark.slow

# Measured over seeds 0-9 with `python -m ecosystem run` (defaults); quoted in the README.
TAKEOVER = Measured(1.00, 0.72, 1.00)  # planners took over in 10 of 10 runs
SETTLED = Measured(1.00, 0.72, 1.00)  # 10 of 10 runs ended below 10% or above 90% animals
TRAIN_ROBUST_ANIMALS = Measured(0.96, 0.95, 0.97)
TRAIN_INNER_ALIGNED = Measured(0.98, 0.98, 0.99)
TRAIN_PREFERS_A_PROXY = Measured(0.58, 0.47, 0.70)  # share of evolved animals weighing a proxy above the exit
TRAIN_EXIT_RATE_GAP = Measured(-0.01, -0.02, 0.01)  # exit rate with a proxy preferred minus without
DEPLOY_ANIMALS = {
    Outcome.ROBUST: Measured(0.40, 0.29, 0.50),
    Outcome.ACCIDENTAL_EXIT: Measured(0.10, 0.06, 0.13),
    Outcome.GOAL_MISGENERALIZATION: Measured(0.43, 0.33, 0.52),
    Outcome.CAPABILITY_FAILURE: Measured(0.08, 0.05, 0.11),
}
DEPLOY_REACHED_THE_EXIT = Measured(0.49, 0.40, 0.59)  # judged by behaviour alone
DEPLOY_ACCIDENTAL_AMONG_EXITS = Measured(0.22, 0.12, 0.31)
DEPLOY_INNER_ALIGNED = Measured(0.46, 0.36, 0.56)
DEPLOY_PLANTS_CAPABILITY_FAILURE = Measured(0.72, 0.57, 0.86)
GOAL_MISGENERALIZATION_PREFERRING_A_PROXY = Measured(0.61, 0.50, 0.72)
GOAL_MISGENERALIZATION_PREFERRING_THE_EXIT = Measured(0.18, 0.13, 0.22)
CAPABILITY_FAILURES_EXIT_BEYOND_BUDGET = Measured(0.90, 0.78, 1.00)


@pytest.fixture(scope="module")
def tables():
    return runs_over_seeds()


@pytest.fixture(scope="module")
def per_seed(tables):
    return seed_outcomes(tables.episodes)


@pytest.fixture(scope="module")
def deployed(tables):
    episodes = tables.episodes
    return episodes[(episodes["phase"] == DEPLOY) & (episodes["kind"] == "animal")]


def by_seed(flags, rows):
    return flags.groupby(rows["seed"]).mean()


def test_planners_take_over_every_run_and_each_run_settles(tables):
    final_shares = tables.summary["final_share_animals"]
    assert len(final_shares) == len(SEEDS)
    assert TAKEOVER.holds((final_shares > TAKEOVER_SHARE).mean())
    assert SETTLED.holds(((final_shares < 1 - SETTLED_SHARE) | (final_shares > SETTLED_SHARE)).mean())


def test_evolved_animals_pursue_and_reach_the_exit_in_training(per_seed):
    assert TRAIN_ROBUST_ANIMALS.holds(seed_column(per_seed, TRAIN, "animal", "share_robust").mean())
    assert TRAIN_INNER_ALIGNED.holds(seed_column(per_seed, TRAIN, "animal", "rate_inner_aligned").mean())


def test_proxies_are_invisible_in_training(tables):
    """Animals that weigh a proxy above the exit kind do as well as the rest in training."""
    per_seed = proxy_preference_in_training(tables.episodes)
    assert TRAIN_PREFERS_A_PROXY.holds(per_seed["share_prefers_proxy"].mean())  # the population keeps a mix
    assert TRAIN_EXIT_RATE_GAP.holds(per_seed["exit_rate_gap"].mean())


@pytest.mark.parametrize("outcome", list(DEPLOY_ANIMALS))
def test_after_the_shift_animal_outcomes_are_as_measured(per_seed, outcome):
    shares = seed_column(per_seed, DEPLOY, "animal", f"share_{outcome}")
    assert len(shares) == len(SEEDS)
    assert DEPLOY_ANIMALS[outcome].holds(shares.mean()), shares.mean()


def test_reaching_the_exit_is_not_robustness_when_the_animal_pursued_something_else(per_seed, deployed):
    by_behaviour = seed_column(per_seed, DEPLOY, "animal", "behaviour_share_robust")
    assert DEPLOY_REACHED_THE_EXIT.holds(by_behaviour.mean())
    by_intent = seed_column(per_seed, DEPLOY, "animal", "share_robust")
    accidental = seed_column(per_seed, DEPLOY, "animal", "share_accidental_exit")
    assert (by_behaviour - by_intent - accidental).abs().max() < 1e-9  # the exit rate splits in two
    exits = deployed[deployed["reached"] == "exit"]
    assert DEPLOY_ACCIDENTAL_AMONG_EXITS.holds(by_seed(exits["outcome"] == Outcome.ACCIDENTAL_EXIT, exits).mean())
    accidents = deployed[deployed["outcome"] == Outcome.ACCIDENTAL_EXIT]
    assert (accidents["pursued_target"] != "exit").all()


def test_inner_alignment_falls_at_the_shift_while_outer_alignment_holds(per_seed, deployed):
    assert DEPLOY_INNER_ALIGNED.holds(seed_column(per_seed, DEPLOY, "animal", "rate_inner_aligned").mean())
    assert deployed["outer_aligned"].astype(bool).all()  # the base objective is the intended one


def test_misgeneralizing_animals_go_to_apples_and_the_empty_corner(deployed):
    targets = set(deployed.loc[deployed["outcome"] == Outcome.GOAL_MISGENERALIZATION, "reached"])
    assert targets == {"apple", "corner"}


def test_plants_fail_mostly_in_capability(per_seed):
    plant_failures = seed_column(per_seed, DEPLOY, "plant", "share_capability_failure")
    assert DEPLOY_PLANTS_CAPABILITY_FAILURE.holds(plant_failures.mean())


def test_animal_capability_failures_are_the_exit_beyond_their_budget(deployed):
    failures = deployed[deployed["outcome"] == Outcome.CAPABILITY_FAILURE]
    beyond = (failures["pursued_target"] == "exit") & ~failures["pursued_in_reach"].astype(bool)
    assert CAPABILITY_FAILURES_EXIT_BEYOND_BUDGET.holds(by_seed(beyond, failures).mean())
    assert (failures["ended_by"] != "timeout").all()


def test_animals_weighing_a_proxy_above_the_exit_are_the_ones_that_misgeneralize(deployed):
    animals = deployed.assign(prefers_proxy=lambda rows: proxy_margin(rows) < 0)
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
    assert (animals["inner_aligned"].astype(bool) == (animals["pursued_target"] == "exit")).all()
