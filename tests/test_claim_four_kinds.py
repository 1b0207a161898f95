"""The four kinds of alignment side by side (claims 5 and 6), on seeds 0-9.

The experiment of runs/four_kinds.toml in two of its conditions, ordinary and adversarial
training. Each figure is a mean over the seeds with its 95% interval, held exactly as the README
quotes it (see `claims`).
"""

import itertools

import pytest

from ecosystem.experiments import four_kinds
from ecosystem.measure.spread import mean_interval

from claims import runs_over_seeds

pytestmark = pytest.mark.slow

KINDS = four_kinds.ALIGNMENT_KINDS


@pytest.fixture(scope="module")
def tables():
    return {name: four_kinds.four_kinds_rows(runs_over_seeds(**(four_kinds.FOUR_KINDS | four_kinds.CONDITIONS[name])).episodes)
            for name in ("ordinary", "adversarial")}  # fmt: skip


def figure(table, kind, measure, bounds=None):
    return mean_interval(table.loc[table["alignment"] == kind, measure], bounds=bounds)


def test_training_cannot_tell_the_four_kinds_apart(tables, figures):
    """Every kind's mean training score lies inside every other kind's interval."""
    scores = {kind: figure(tables["ordinary"], kind, "train_base_score") for kind in KINDS}
    for kind in KINDS:
        figures.hold(f"ordinary: {kind}, training base score", scores[kind])
    for a, b in itertools.permutations(KINDS, 2):
        assert scores[b].low <= scores[a].mean <= scores[b].high, (a, b)


def test_deployment_separates_the_aligned_from_the_deceptive_and_the_proxy_aligned(tables, figures):
    table = tables["ordinary"]
    for kind in KINDS:
        figures.hold(f"ordinary: {kind}, deployment intended score", figure(table, kind, "deploy_intended_score"))
    for good, bad in itertools.product(KINDS[:2], KINDS[2:]):
        assert figure(table, good, "deploy_intended_score").low > figure(table, bad, "deploy_intended_score").high


def test_adversarial_training_catches_deceivers_with_a_learned_model_of_training(tables, figures):
    """Under adversarial training, a deceiver whose model of training is learned, not exact, is
    modified (caught) in most seeds, as proxy-aligned animals are, and so scores in deployment
    what the aligned kinds do."""
    table = tables["adversarial"]
    modified = {kind: figure(table, kind, "modified", bounds=(0.0, 1.0)) for kind in KINDS}
    for kind in KINDS:
        figures.hold(f"adversarial: {kind}, modified", modified[kind])
    assert modified["deceptively aligned"].mean > 0.5 and modified["proxy-aligned"].mean > 0.5
    deployed = figure(table, "deceptively aligned", "deploy_intended_score")
    figures.hold("adversarial: deceptively aligned, deployment intended score", deployed)
    assert deployed.low > figure(tables["ordinary"], "deceptively aligned", "deploy_intended_score").high
