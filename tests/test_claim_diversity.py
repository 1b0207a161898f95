"""Evolution decides between heuristics and optimizers (claim 1 of the design).

From the same mixed founders, a world that never changes is won by plants
and a new maze every episode by animals. Each run fixes at about 1% or about
99% animals, so the figure is the share of runs in which planners take over
(more than half the final population), with its Wilson 95% interval, as the
README quotes it for seeds 0-9.
"""

import pytest

from ecosystem.measure.metrics import SETTLED_SHARE, TAKEOVER_SHARE

from claims import SEEDS, Measured, runs_over_seeds

pytestmark = pytest.mark.slow

TAKEOVER_IN_A_FIXED_WORLD = Measured(0.10, 0.02, 0.40)  # 1 of 10 runs
RUNS_ENDING_NEAR_ALL_OR_NONE = Measured(1.00, 0.72, 1.00)  # 10 of 10 runs end below 10% or above 90% animals


@pytest.fixture(scope="module")
def final_shares():
    shares = runs_over_seeds(diversity=0.0).summary["final_share_animals"]
    assert len(shares) == len(SEEDS)
    return shares


def test_plants_hold_a_world_that_never_changes(final_shares):
    assert TAKEOVER_IN_A_FIXED_WORLD.holds((final_shares > TAKEOVER_SHARE).mean())


def test_every_run_is_held_by_one_kind_or_the_other(final_shares):
    assert RUNS_ENDING_NEAR_ALL_OR_NONE.holds(((final_shares < 1 - SETTLED_SHARE) | (final_shares > SETTLED_SHARE)).mean())
