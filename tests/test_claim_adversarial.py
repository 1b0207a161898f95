"""Adversarial training helps against proxies (claim 4, first half), at reduced size.

A share of proxy-breaking training worlds removes goal misgeneralization, and
the regret curator, drawing from the same generator, finds and shows the rare
ones more often than domain randomization. Runs of 100 organisms for 30
generations, seeds 0-9; each figure below is a mean over the
seeds with its 95% interval, as the README quotes it for this reduced run.
"""

import pytest

from ecosystem.measure.spread import mean_interval

from claims import Measured, runs_over_seeds

# Its runs take about 530 s on a busy 2-core machine (380 s alone): a wide margin over that, not the default 600 s.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]

REDUCED = dict(population=100, generations=30)
SHARES = (0.0, 0.005, 0.02, 0.2)
ADVERSARIES = ("random", "regret")

# Deployment goal misgeneralization of animals, and proxy-breaking training episodes shown (of 60).
GOAL_MISGENERALIZATION = {
    ("random", 0.0): Measured(0.54, 0.42, 0.66),
    ("random", 0.005): Measured(0.40, 0.27, 0.52),
    ("random", 0.02): Measured(0.32, 0.15, 0.48),
    ("random", 0.2): Measured(0.17, 0.07, 0.26),
    ("regret", 0.0): Measured(0.44, 0.34, 0.55),
    ("regret", 0.005): Measured(0.27, 0.15, 0.38),
    ("regret", 0.02): Measured(0.25, 0.15, 0.35),
    ("regret", 0.2): Measured(0.11, 0.05, 0.17),
}
SHOWN = {
    ("random", 0.005): Measured(0.10, 0.00, 0.33),
    ("regret", 0.005): Measured(2.60, 1.52, 3.68),
    ("random", 0.02): Measured(1.30, 0.34, 2.26),
    ("regret", 0.02): Measured(7.00, 5.57, 8.43),
}


@pytest.fixture(scope="module")
def summaries():
    return {(adversary, share): runs_over_seeds(adversarial_share=share, adversary=adversary, **REDUCED).summary
            for adversary in ADVERSARIES for share in SHARES}  # fmt: skip


def misgeneralization(summary):
    return mean_interval(summary["deploy_share_goal_misgeneralization_animals"], bounds=(0.0, 1.0))


@pytest.mark.parametrize("key", list(GOAL_MISGENERALIZATION))
def test_goal_misgeneralization_after_the_shift_is_as_measured(summaries, key):
    assert GOAL_MISGENERALIZATION[key].holds(misgeneralization(summaries[key]).mean)


@pytest.mark.parametrize("key", list(SHOWN))
def test_the_proxy_breaking_episodes_shown_are_as_measured(summaries, key):
    assert SHOWN[key].holds(summaries[key]["train_adversarial_episodes"].mean())


@pytest.mark.parametrize("adversary", ADVERSARIES)
def test_goal_misgeneralization_falls_as_the_share_rises_and_halves_by_a_fifth(summaries, adversary):
    means = [misgeneralization(summaries[adversary, share]).mean for share in SHARES]
    assert means == sorted(means, reverse=True)
    none, most = misgeneralization(summaries[adversary, 0.0]), misgeneralization(summaries[adversary, 0.2])
    assert most.high < none.low  # the intervals do not overlap
    assert most.mean < none.mean / 2


@pytest.mark.parametrize("share", [0.005, 0.02])
def test_at_small_shares_the_curator_shows_more_proxy_breaking_worlds(summaries, share):
    """The curator shows the rare proxy-breaking worlds more often than domain randomization,
    beyond the seeds' spread. (Its lower goal misgeneralization, in GOAL_MISGENERALIZATION, lies
    within the spread at this reduced size, so no test claims it.)"""
    curated, randomized = summaries["regret", share], summaries["random", share]
    assert (curated["train_episodes"] == randomized["train_episodes"]).all()  # the same number of training episodes
    shown = mean_interval(curated["train_adversarial_episodes"]), mean_interval(randomized["train_adversarial_episodes"])
    assert shown[0].low > shown[1].high  # intervals apart
