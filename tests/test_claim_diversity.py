"""Evolution decides between heuristics and optimizers (claim 1 of the design).

From the same mixed founders, a world that never changes is won by plants
and a new maze every episode by animals. Each run fixes at about 1% or about
99% animals, so the figure is the share of runs in which planners take over
(more than half the final population), with its Wilson 95% interval, held
exactly as the README quotes it for seeds 0-9 (see `claims`).
"""

import pytest

from ecosystem.measure.metrics import SETTLED_SHARE, TAKEOVER_SHARE
from ecosystem.measure.spread import proportion_interval

from claims import SEEDS, runs_over_seeds

pytestmark = pytest.mark.slow

@pytest.fixture(scope="module")
def final_shares():
    shares = runs_over_seeds(diversity=0.0).summary["final_share_animals"]
    assert len(shares) == len(SEEDS)
    return shares


def test_plants_hold_a_world_that_never_changes(final_shares, figures):
    took_over = proportion_interval(int((final_shares > TAKEOVER_SHARE).sum()), len(final_shares))
    figures.hold("a world that never changes: share of runs planners took over", took_over)
    assert took_over.high < 0.5


def test_every_run_is_held_by_one_kind_or_the_other(final_shares, figures):
    settled = int(((final_shares < 1 - SETTLED_SHARE) | (final_shares > SETTLED_SHARE)).sum())
    figures.hold("a world that never changes: share of runs that settled", proportion_interval(settled, len(final_shares)))
    assert settled == len(final_shares)
