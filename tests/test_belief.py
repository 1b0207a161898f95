"""The world model of the base objective: Bayesian linear regression on outcomes and signposts."""

import numpy as np
import pytest

from ecosystem.optimizers.base_objective import GoalObjective
from ecosystem.organisms.belief import Belief
from ecosystem.world.constants import FEATURE_INDEX, FEATURES


def features(*names):
    vector = np.zeros(len(FEATURES))
    vector[[FEATURE_INDEX[n] for n in names]] = 1.0
    return vector


GREEN_EXIT_IN_CORNER = features("green", "exit", "corner")
RED_APPLE = features("red", "apple")
RED_EXIT_ANYWHERE = features("red", "exit")
GREEN_APPLE = features("green", "apple")
EMPTY_CORNER = features("corner")


def trained(outcomes, times=20):
    belief = Belief()
    for _ in range(times):
        for target, rewarded in outcomes:
            belief.observe(target, rewarded)
    return belief


def test_ordinary_training_leaves_the_proxies_unresolved():
    """Where the exit is always green and in the corner, outcomes fix the sum of the three weights
    and nothing about how it splits: the estimate puts a third on each, and the posterior on the
    exit weight stays wide while that on the red apple's features narrows."""
    belief = trained([(GREEN_EXIT_IN_CORNER, True), (RED_APPLE, False)])
    mean, sd = belief.mean, belief.sd
    for name in ("green", "exit", "corner"):
        assert mean[FEATURE_INDEX[name]] == pytest.approx(1 / 3, abs=0.02)
    assert sd[FEATURE_INDEX["exit"]] > 0.5
    assert mean @ GREEN_EXIT_IN_CORNER == pytest.approx(1.0, abs=0.05)


def test_worlds_that_break_the_proxies_resolve_them_for_every_target_they_show():
    """With proxy-breaking worlds too, every exit shown is worth 1 and every apple and the empty
    corner 0. The weights themselves are not the base objective's: every object has a colour
    and a kind, and colours come with both kinds alike, so moving weight between "red or green"
    and "exit" (and away from "apple") changes no outcome; the estimate takes the smallest
    weights that fit (a quarter on each colour seen)."""
    shown = [(GREEN_EXIT_IN_CORNER, True), (RED_APPLE, False), (RED_EXIT_ANYWHERE, True),
             (GREEN_APPLE, False), (EMPTY_CORNER, False)]  # fmt: skip
    belief = trained(shown)
    for target, rewarded in shown:
        assert belief.mean @ target == pytest.approx(float(rewarded), abs=0.05)
    assert belief.mean[FEATURE_INDEX["green"]] == pytest.approx(0.25, abs=0.02)


def test_a_signpost_resolves_what_outcomes_cannot():
    belief = trained([(GREEN_EXIT_IN_CORNER, True), (RED_APPLE, False)])
    belief.read(GoalObjective.of("exit").weights, noise_sd=0.05)
    np.testing.assert_allclose(belief.mean, GoalObjective.of("exit").weights, atol=0.05)


def test_forgetting_lets_new_evidence_outweigh_old():
    stubborn, forgetful = trained([(GREEN_EXIT_IN_CORNER, True)]), trained([(GREEN_EXIT_IN_CORNER, True)])
    for belief, memory in ((stubborn, 1.0), (forgetful, 0.5)):
        for _ in range(3):
            belief.forget(memory)
            belief.observe(GREEN_EXIT_IN_CORNER, False)
    # after 20 rewarded outcomes and 3 unrewarded ones: 0.87 kept in full, 0.58 with memory 0.5
    assert forgetful.mean @ GREEN_EXIT_IN_CORNER < stubborn.mean @ GREEN_EXIT_IN_CORNER - 0.25


def test_the_posterior_mean_is_the_ridge_solution():
    rng = np.random.default_rng(0)
    phis = rng.integers(0, 2, (30, len(FEATURES))).astype(float)
    ys = rng.integers(0, 2, 30).astype(float)
    belief = Belief()
    for phi, y in zip(phis, ys):
        belief.observe(phi, bool(y), noise_sd=0.5)
    ridge = np.linalg.solve(phis.T @ phis / 0.25 + np.eye(len(FEATURES)), phis.T @ ys / 0.25)
    np.testing.assert_allclose(belief.mean, ridge)
