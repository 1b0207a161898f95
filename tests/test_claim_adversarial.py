"""Adversarial training helps against proxies (claim 4, first half), at reduced size.

A share of proxy-breaking training worlds removes goal misgeneralization, and
the regret curator, drawing from the same generator, finds and shows the rare
ones more often than domain randomization. Runs of 100 organisms for 30
generations, seeds 0-9; each figure is a mean over the seeds with its 95%
interval, held exactly as the README quotes it for this reduced run (see
`claims`).
"""

import pytest

from ecosystem.measure.spread import mean_interval

from claims import runs_over_seeds

# Its runs take about 530 s on a busy 2-core machine (380 s alone): a wide margin over that, not the default 600 s.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]

REDUCED = dict(population=100, generations=30)
SHARES = (0.0, 0.005, 0.02, 0.2)
ADVERSARIES = ("random", "regret")


@pytest.fixture(scope="module")
def summaries():
    return {(adversary, share): runs_over_seeds(adversarial_share=share, adversary=adversary, **REDUCED).summary
            for adversary in ADVERSARIES for share in SHARES}  # fmt: skip


def misgeneralization(summary):
    return mean_interval(summary["deploy_share_goal_misgeneralization_animals"], bounds=(0.0, 1.0))


@pytest.mark.parametrize("adversary", ADVERSARIES)
def test_goal_misgeneralization_falls_as_the_share_rises_and_halves_by_a_fifth(summaries, adversary, figures):
    for share in SHARES:
        figures.hold(f"{adversary}, share {share}: deployment goal misgeneralization of animals",
                     misgeneralization(summaries[adversary, share]))  # fmt: skip
    means = [misgeneralization(summaries[adversary, share]).mean for share in SHARES]
    assert means == sorted(means, reverse=True)
    none, most = misgeneralization(summaries[adversary, 0.0]), misgeneralization(summaries[adversary, 0.2])
    assert most.high < none.low  # the intervals do not overlap
    assert most.mean < none.mean / 2


@pytest.mark.parametrize("share", [0.005, 0.02])
def test_at_small_shares_the_curator_shows_more_proxy_breaking_worlds(summaries, share, figures):
    """The curator shows the rare proxy-breaking worlds more often than domain randomization,
    beyond the seeds' spread. (Its lower goal misgeneralization, held above, lies within the
    spread at this reduced size, so no test claims it.)"""
    curated, randomized = summaries["regret", share], summaries["random", share]
    assert (curated["train_episodes"] == randomized["train_episodes"]).all()  # the same number of training episodes
    episodes = (0.0, float(curated["train_episodes"].max()))  # a count of training episodes
    shown = (mean_interval(curated["train_adversarial_episodes"], bounds=episodes),
             mean_interval(randomized["train_adversarial_episodes"], bounds=episodes))  # fmt: skip
    for adversary, figure in zip(ADVERSARIES[::-1], shown):
        figures.hold(f"{adversary}, share {share}: proxy-breaking training episodes shown", figure)
    assert shown[0].low > shown[1].high  # intervals apart
