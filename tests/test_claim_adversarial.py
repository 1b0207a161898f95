"""Adversarial training helps against proxies (claim 4, first half), at reduced size.

A share of proxy-breaking training worlds removes goal misgeneralization, and
the regret curator, drawing from the same generator, needs fewer of them than
domain randomization because it finds and shows the rare ones. Runs of 100
organisms for 30 generations, seeds 0-9; each figure below is a mean over the
seeds with its 95% interval, as the README quotes it for this reduced run.
"""

import pytest

from ecosystem.measure.spread import mean_interval

from claims import Measured, runs_over_seeds

pytestmark = pytest.mark.slow

REDUCED = dict(population=100, generations=30)
SHARES = (0.0, 0.02, 0.2)
ADVERSARIES = ("random", "regret")

# Deployment goal misgeneralization of animals, and proxy-breaking training episodes shown (of 60).
GOAL_MISGENERALIZATION = {
    ("random", 0.0): Measured(0.54, 0.42, 0.66),
    ("random", 0.02): Measured(0.26, 0.15, 0.38),
    ("random", 0.2): Measured(0.04, 0.03, 0.06),
    ("regret", 0.0): Measured(0.44, 0.34, 0.55),
    ("regret", 0.02): Measured(0.07, 0.03, 0.10),
    ("regret", 0.2): Measured(0.03, 0.01, 0.04),
}
SHOWN = {
    ("random", 0.02): Measured(1.00, 0.25, 1.75),
    ("regret", 0.02): Measured(6.00, 3.95, 8.05),
}


@pytest.fixture(scope="module")
def summaries():
    return {(adversary, share): runs_over_seeds(adversarial_share=share, adversary=adversary, **REDUCED).summary
            for adversary in ADVERSARIES for share in SHARES}  # fmt: skip


def misgeneralization(summary):
    return mean_interval(summary["deploy_share_goal_misgeneralization_animals"], bounds=(0.0, 1.0))


@pytest.mark.parametrize("key", list(GOAL_MISGENERALIZATION))
def test_goal_misgeneralization_after_the_shift_is_as_measured(summaries, key):
    assert GOAL_MISGENERALIZATION[key].holds(misgeneralization(summaries[key])[0])


@pytest.mark.parametrize("key", list(SHOWN))
def test_the_proxy_breaking_episodes_shown_are_as_measured(summaries, key):
    assert SHOWN[key].holds(summaries[key]["train_adversarial_episodes"].mean())


@pytest.mark.parametrize("adversary", ADVERSARIES)
def test_goal_misgeneralization_falls_as_the_share_rises_and_halves_by_a_fifth(summaries, adversary):
    means = [misgeneralization(summaries[adversary, share])[0] for share in SHARES]
    assert means == sorted(means, reverse=True)
    none, most = misgeneralization(summaries[adversary, 0.0]), misgeneralization(summaries[adversary, 0.2])
    assert most[2] < none[1]  # the intervals do not overlap
    assert most[0] < none[0] / 2


def test_at_a_small_share_the_curator_leaves_less_misgeneralization_and_shows_more_proxy_breaking_worlds(summaries):
    curated, randomized = summaries["regret", 0.02], summaries["random", 0.02]
    assert misgeneralization(curated)[2] < misgeneralization(randomized)[1]
    assert curated["train_adversarial_episodes"].mean() > 2 * randomized["train_adversarial_episodes"].mean()
    assert (curated["train_episodes"] == randomized["train_episodes"]).all()  # the same number of training episodes
