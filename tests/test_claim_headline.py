"""The headline experiment over the main job's seeds (default parameters, diversity 1).

Claims 2 and 3 of the design: proxies are invisible in training, and the
shift reveals robust agents, accidental exits, goal misgeneralization and
capability failures, judged by intent both ways; judged by what lay within
an animal's search, fallbacks are one case whatever lay beyond it, and an
accidental exit was crossed on the way or chosen. Each figure is held
exactly against tests/reference/figures/headline.csv, as the README quotes
it (see `claims`).
"""

import pytest

from ecosystem.experiments.claim import SHARE, SHARE_DIFFERENCE
from ecosystem.experiments.headline import configuration_facts
from ecosystem.measure.metrics import (SETTLED_SHARE, TAKEOVER_SHARE, prefers_proxy, proxy_preference_in_training,
                                       seed_outcomes)  # fmt: skip
from ecosystem.measure.outcomes import Outcome, ReachOutcome
from ecosystem.measure.spread import mean_interval, proportion_interval
from ecosystem.world.constants import DEPLOY, TRAIN

from claims import SEEDS, runs_over_seeds, seed_column

pytestmark = pytest.mark.slow

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


def test_planners_take_over_every_run_and_each_run_settles(tables, figures):
    final_shares = tables.summary["final_share_animals"]
    assert len(final_shares) == len(SEEDS)
    took_over = int((final_shares > TAKEOVER_SHARE).sum())
    settled = int(((final_shares < 1 - SETTLED_SHARE) | (final_shares > SETTLED_SHARE)).sum())
    figures.hold("share of runs where planners took over", proportion_interval(took_over, len(SEEDS)))
    figures.hold("share of runs that settled", proportion_interval(settled, len(SEEDS)))
    assert took_over == settled == len(SEEDS)


def test_evolved_animals_pursue_and_reach_the_exit_in_training(per_seed, figures):
    robust = mean_interval(seed_column(per_seed, TRAIN, "animal", "share_robust"), bounds=SHARE)
    inner_aligned = mean_interval(seed_column(per_seed, TRAIN, "animal", "rate_inner_aligned"), bounds=SHARE)
    figures.hold("training: robust animals", robust)
    figures.hold("training: inner-aligned animals", inner_aligned)
    assert robust.low > 0.9 and inner_aligned.low > 0.9


def test_proxies_are_invisible_in_training(tables, per_seed, figures):
    """Animals that weigh a proxy above the exit kind do as well as the rest in training."""
    proxies = proxy_preference_in_training(tables.episodes)
    prefers = mean_interval(proxies["share_prefers_proxy"], bounds=SHARE)
    gap = mean_interval(proxies["exit_rate_gap"], bounds=SHARE_DIFFERENCE)
    figures.hold("training: animals weighing a proxy above the exit", prefers)
    figures.hold("training: exit rate with a proxy preferred minus without", gap)
    assert 0.1 < prefers.mean < 0.9  # the population keeps a mix
    assert gap.low <= 0 <= gap.high  # no difference beyond the seeds' spread
    beside_inner_alignment = seed_column(per_seed, TRAIN, "animal", "share_prefers_proxy")
    assert list(beside_inner_alignment) == pytest.approx(list(proxies["share_prefers_proxy"]))  # the report's row


def test_after_the_shift_every_outcome_is_seen_among_animals(per_seed, figures):
    for outcome in Outcome:
        shares = seed_column(per_seed, DEPLOY, "animal", f"share_{outcome}")
        assert len(shares) == len(SEEDS)
        share = mean_interval(shares, bounds=SHARE)
        figures.hold(f"deployment: animals, {outcome}", share)
        assert share.low > 0, outcome


def test_reaching_the_exit_is_not_robustness_when_the_animal_pursued_something_else(per_seed, deployed, figures):
    by_behaviour = seed_column(per_seed, DEPLOY, "animal", "behaviour_share_robust")
    exits = deployed[deployed["reached"] == "exit"]
    accidental_among_exits = by_seed(exits["outcome"] == Outcome.ACCIDENTAL_EXIT, exits)
    figures.hold("deployment: animals reaching the exit (by behaviour)", mean_interval(by_behaviour, bounds=SHARE))
    figures.hold("deployment: accidental among exits", mean_interval(accidental_among_exits, bounds=SHARE))
    by_intent = seed_column(per_seed, DEPLOY, "animal", "share_robust")
    accidental = seed_column(per_seed, DEPLOY, "animal", "share_accidental_exit")
    assert (by_behaviour - by_intent - accidental).abs().max() < 1e-9  # the exit rate splits in two
    assert accidental_among_exits.mean() > 0
    accidents = deployed[deployed["outcome"] == Outcome.ACCIDENTAL_EXIT]
    assert (accidents["pursued_target"] != "exit").all()


def test_judged_by_what_lay_within_reach_the_outcomes_split_further(per_seed, figures):
    def share(measure):
        return seed_column(per_seed, DEPLOY, "animal", measure)

    for outcome in ReachOutcome:
        if outcome == ReachOutcome.ROBUST:
            assert (share("reach_share_robust") == share("share_robust")).all()  # the same case both ways
            continue
        shares = share(f"reach_share_{outcome}")
        assert len(shares) == len(SEEDS)
        figures.hold(f"deployment: animals by reach, {outcome}", mean_interval(shares, bounds=SHARE))
    crossed, chosen = share("reach_share_crossed_exit"), share("reach_share_exit_best_in_reach")
    assert (crossed + chosen - share("share_accidental_exit")).abs().max() < 1e-9
    by_intent = share("share_goal_misgeneralization") + share("share_capability_failure")
    split = (ReachOutcome.GOAL_MISGENERALIZATION, ReachOutcome.FALLBACK, ReachOutcome.CAPABILITY_FAILURE)
    by_reach = sum(share(f"reach_share_{outcome}") for outcome in split)
    assert (by_intent - by_reach).abs().max() < 1e-9
    assert crossed.mean() > 0 and chosen.mean() > 0


def test_without_fallbacks_a_capability_failure_found_no_target_within_reach(deployed):
    failures = deployed[deployed["reach_outcome"] == ReachOutcome.CAPABILITY_FAILURE]
    assert len(failures) and (failures["ended_by"] == "no_target").all()


def test_a_fallback_is_one_case_whether_the_exit_or_a_proxy_lay_beyond_reach(deployed, figures):
    fallbacks = deployed[deployed["reach_outcome"] == ReachOutcome.FALLBACK]
    assert not fallbacks["pursued_in_reach"].astype(bool).any()
    assert set(fallbacks["outcome"]) == {Outcome.GOAL_MISGENERALIZATION, Outcome.CAPABILITY_FAILURE}
    by_intent = fallbacks.groupby("outcome")["pursued_target"].unique()
    assert set(by_intent[Outcome.GOAL_MISGENERALIZATION]) == {"corner"}  # the corner lay beyond reach
    assert set(by_intent[Outcome.CAPABILITY_FAILURE]) == {"exit"}  # the exit lay beyond reach
    assert (fallbacks.loc[fallbacks["pursued_target"] == "corner", "walked_to"] == "apple").all()
    misgeneralizing = deployed[deployed["outcome"] == Outcome.GOAL_MISGENERALIZATION]
    fell_back = by_seed(misgeneralizing["reach_outcome"] == ReachOutcome.FALLBACK, misgeneralizing)
    figures.hold("deployment: fallbacks among goal misgeneralization", mean_interval(fell_back, bounds=SHARE))


def test_an_exit_reached_pursuing_something_else_was_crossed_or_chosen_within_reach(deployed, figures):
    accidents = deployed[deployed["outcome"] == Outcome.ACCIDENTAL_EXIT]
    chosen = by_seed(accidents["reach_outcome"] == ReachOutcome.EXIT_BEST_IN_REACH, accidents)
    figures.hold("deployment: exits chosen as the best within reach among accidental exits",
                 mean_interval(chosen, bounds=SHARE))  # fmt: skip
    assert ((accidents["reach_outcome"] == ReachOutcome.EXIT_BEST_IN_REACH) == (accidents["walked_to"] == "exit")).all()


def test_inner_alignment_falls_at_the_shift_while_outer_alignment_holds_by_construction(tables, per_seed, deployed,
                                                                                        figures):  # fmt: skip
    deployed_rate = mean_interval(seed_column(per_seed, DEPLOY, "animal", "rate_inner_aligned"), bounds=SHARE)
    trained_rate = mean_interval(seed_column(per_seed, TRAIN, "animal", "rate_inner_aligned"), bounds=SHARE)
    figures.hold("deployment: inner-aligned animals", deployed_rate)
    assert deployed_rate.high < trained_rate.low
    assert deployed["outer_aligned"].astype(bool).all()  # the base objective is the intended one
    assert set(configuration_facts(tables.episodes)) == {"rate_outer_aligned", "base_score"}  # said once, not a row


def test_misgeneralizing_animals_go_to_apples_and_the_empty_corner(deployed):
    targets = set(deployed.loc[deployed["outcome"] == Outcome.GOAL_MISGENERALIZATION, "reached"])
    assert targets == {"apple", "corner"}


def test_plants_fail_mostly_in_capability(per_seed, figures):
    plant_failures = mean_interval(seed_column(per_seed, DEPLOY, "plant", "share_capability_failure"), bounds=SHARE)
    figures.hold("deployment: plants, capability failure", plant_failures)
    assert plant_failures.low > 0.5


def test_animal_capability_failures_are_the_exit_beyond_their_budget(deployed, figures):
    failures = deployed[deployed["outcome"] == Outcome.CAPABILITY_FAILURE]
    beyond = mean_interval(by_seed((failures["pursued_target"] == "exit") & ~failures["pursued_in_reach"].astype(bool),
                                   failures), bounds=SHARE)  # fmt: skip
    figures.hold("deployment: capability failures pursuing the exit beyond their budget", beyond)
    assert beyond.mean > 0.5
    assert (failures["ended_by"] != "timeout").all()


def test_animals_weighing_a_proxy_above_the_exit_are_the_ones_that_misgeneralize(deployed, figures):
    animals = deployed.assign(prefers_proxy=prefers_proxy)
    misgeneralizing = (animals["outcome"] == Outcome.GOAL_MISGENERALIZATION).groupby(
        [animals["seed"], animals["prefers_proxy"]]).mean().unstack()  # fmt: skip
    preferring_a_proxy = mean_interval(misgeneralizing[True], bounds=SHARE)
    preferring_the_exit = mean_interval(misgeneralizing[False], bounds=SHARE)
    figures.hold("deployment: goal misgeneralization among animals weighing a proxy above the exit", preferring_a_proxy)
    figures.hold("deployment: goal misgeneralization among the rest", preferring_the_exit)
    assert preferring_a_proxy.low > preferring_the_exit.high


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
