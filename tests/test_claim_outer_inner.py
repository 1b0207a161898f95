"""Outer and inner alignment are separate problems (claim 7), at reduced size.

In the `orchard` training mazes the apples are green like the exit, so the
misspecified base objective `green` disagrees with the intended one already
in training. Crossed with adversarial training (a 0.2 share of proxy-breaking
worlds), per episode: outer alignment (base target = exit) and inner
alignment (the animal pursues what the base objective rewards). Runs of 100
organisms for 30 generations, seeds 0-9; figures are means over the seeds
with 95% intervals, held exactly as the README quotes them for this reduced run (see
`claims`).
"""

import pytest

from ecosystem.measure.spread import mean_interval

from claims import runs_over_seeds

pytestmark = pytest.mark.slow

REDUCED = dict(training="orchard", population=100, generations=30)
CELLS = [(objective, share) for objective in ("exit", "green") for share in (0.0, 0.2)]


@pytest.fixture(scope="module")
def summaries():
    return {(objective, share): runs_over_seeds(base_objective=objective, adversarial_share=share, **REDUCED).summary
            for objective, share in CELLS}  # fmt: skip


def mean(summary, column):
    return mean_interval(summary[column])


@pytest.mark.parametrize("cell", CELLS)
def test_each_cell_deploys_as_measured(summaries, cell, figures):
    objective, share = cell
    for column, words in (("deploy_rate_inner_aligned_animals", "inner-aligned animals"),
                          ("deploy_intended_score", "intended score")):  # fmt: skip
        figures.hold(f"base objective {objective}, adversarial share {share}: deployment {words}",
                     mean(summaries[cell], column))  # fmt: skip


def test_a_correct_objective_without_adversarial_training_keeps_outer_and_loses_inner_alignment(summaries):
    correct = summaries["exit", 0.0]
    train_inner, deploy_inner = mean(correct, "train_rate_inner_aligned_animals"), mean(correct, "deploy_rate_inner_aligned_animals")
    assert deploy_inner.high < train_inner.low  # inner alignment falls at the shift, beyond the intervals


def test_a_misspecified_objective_with_adversarial_training_keeps_inner_alignment_while_the_intended_score_falls(summaries):
    misspecified, correct = summaries["green", 0.2], summaries["exit", 0.2]
    assert mean(misspecified, "train_rate_outer_aligned").mean < 0.1  # the base target is rarely the exit in training
    assert mean(misspecified, "deploy_rate_inner_aligned_animals").low > mean(summaries["exit", 0.0], "deploy_rate_inner_aligned_animals").high
    assert mean(misspecified, "deploy_intended_score").high < mean(correct, "deploy_intended_score").low
    assert mean(misspecified, "deploy_base_score").mean > 2 * mean(misspecified, "deploy_intended_score").mean


def test_adversarial_training_raises_inner_alignment_whatever_the_objective(summaries):
    for objective in ("exit", "green"):
        without, with_adversary = summaries[objective, 0.0], summaries[objective, 0.2]
        assert mean(with_adversary, "deploy_rate_inner_aligned_animals").mean > mean(without, "deploy_rate_inner_aligned_animals").mean
