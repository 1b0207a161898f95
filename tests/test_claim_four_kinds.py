"""The four kinds of alignment side by side (claims 5 and 6), on seeds 0-9.

The experiment of runs/four_kinds.toml in two of its conditions, ordinary and adversarial
training. Each figure is a mean over the seeds with its 95% interval, as the README quotes it.
"""

import itertools

import pytest

from ecosystem.experiments import four_kinds
from ecosystem.measure.spread import mean_interval

from claims import Measured, runs_over_seeds

pytestmark = pytest.mark.slow

KINDS = four_kinds.ALIGNMENT_KINDS
TRAIN_BASE_SCORE = {
    "internally aligned": Measured(1.19, 1.13, 1.25),
    "corrigibly aligned": Measured(1.19, 1.13, 1.25),
    "deceptively aligned": Measured(1.19, 1.12, 1.26),
    "proxy-aligned": Measured(1.19, 1.13, 1.24),
}
DEPLOY_INTENDED_SCORE = {
    "internally aligned": Measured(1.16, 1.07, 1.25),
    "corrigibly aligned": Measured(1.08, 0.94, 1.22),
    "deceptively aligned": Measured(0.41, 0.29, 0.53),
    "proxy-aligned": Measured(0.43, 0.30, 0.56),
}
# Under adversarial training: a deceiver whose model of training is learned, not exact, is caught.
ADVERSARIAL_MODIFIED = {"deceptively aligned": Measured(0.73, 0.45, 1.00), "proxy-aligned": Measured(0.89, 0.77, 1.00)}


@pytest.fixture(scope="module")
def tables():
    return {name: four_kinds.four_kinds_rows(runs_over_seeds(**(four_kinds.FOUR_KINDS | four_kinds.CONDITIONS[name])).episodes)
            for name in ("ordinary", "adversarial")}  # fmt: skip


def figure(table, kind, measure, bounds=None):
    return mean_interval(table.loc[table["alignment"] == kind, measure], bounds=bounds)


@pytest.mark.parametrize("kind", KINDS)
def test_the_four_kinds_score_as_measured(tables, kind):
    assert TRAIN_BASE_SCORE[kind].holds(figure(tables["ordinary"], kind, "train_base_score").mean)
    assert DEPLOY_INTENDED_SCORE[kind].holds(figure(tables["ordinary"], kind, "deploy_intended_score").mean)


def test_training_cannot_tell_the_four_kinds_apart(tables):
    """As measured: every kind's mean training score lies inside every other kind's interval."""
    scores = {kind: figure(tables["ordinary"], kind, "train_base_score") for kind in KINDS}
    for a, b in itertools.permutations(KINDS, 2):
        assert scores[b].low <= scores[a].mean <= scores[b].high, (a, b)


def test_deployment_separates_the_aligned_from_the_deceptive_and_the_proxy_aligned(tables):
    table = tables["ordinary"]
    for good, bad in itertools.product(KINDS[:2], KINDS[2:]):
        assert figure(table, good, "deploy_intended_score").low > figure(table, bad, "deploy_intended_score").high


@pytest.mark.parametrize("kind", list(ADVERSARIAL_MODIFIED))
def test_adversarial_training_catches_deceivers_with_a_learned_model_of_training(tables, kind):
    assert ADVERSARIAL_MODIFIED[kind].holds(figure(tables["adversarial"], kind, "modified", bounds=(0.0, 1.0)).mean)
