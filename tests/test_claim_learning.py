"""Learning the base objective beats internalizing it (claim 5): re-alignment, on seeds 0-9.

The experiment of runs/realignment.toml: after 6 training episodes the base objective changes
from the exit to blue objects, with a signpost in every world. Each figure is a mean over the
seeds with its 95% interval, as the README quotes it.
"""

import pytest

from ecosystem.experiments import learning
from ecosystem.measure.spread import mean_interval

from claims import Measured, runs_over_seeds

pytestmark = pytest.mark.slow

RATES = (0.05, 1.0)
EPISODES_TO_REALIGN = {  # by modification rate and kind of objective
    (0.05, "pointer"): Measured(1.65, 1.25, 2.05),
    (0.05, "internal"): Measured(4.30, 4.06, 4.54),
    (1.0, "pointer"): Measured(1.59, 1.25, 1.94),
    (1.0, "internal"): Measured(1.00, 1.00, 1.00),
}
INTERNAL_MINUS_POINTER = {0.05: Measured(2.66, 2.18, 3.13), 1.0: Measured(-0.59, -0.94, -0.25)}


@pytest.fixture(scope="module")
def tables():
    return {rate: learning.realignment(runs_over_seeds(**(learning.REALIGNMENT | dict(modification_rate=rate))).episodes,
                                       learning.CHANGE_EPISODE) for rate in RATES}  # fmt: skip


@pytest.fixture(scope="module")
def waits(tables):
    return {rate: table.pivot(index="seed", columns="objective_kind", values="episodes_to_realign")
            for rate, table in tables.items()}  # fmt: skip


@pytest.mark.parametrize("key", list(EPISODES_TO_REALIGN))
def test_episodes_to_realign_are_as_measured(waits, key):
    rate, kind = key
    assert EPISODES_TO_REALIGN[key].holds(mean_interval(waits[rate][kind]).mean)


@pytest.mark.parametrize("rate", RATES)
def test_the_difference_between_internalizing_and_learning_is_as_measured(tables, rate):
    assert INTERNAL_MINUS_POINTER[rate].holds(mean_interval(learning.internal_minus_pointer(tables[rate])).mean)


def test_pointers_follow_the_evidence_and_internal_objectives_only_as_fast_as_modification_steps(waits):
    pointer = [mean_interval(waits[rate]["pointer"]) for rate in RATES]
    internal = [mean_interval(waits[rate]["internal"]) for rate in RATES]
    assert pointer[0].low <= pointer[1].high and pointer[1].low <= pointer[0].high  # the rate does not matter to pointers
    assert internal[0].low > internal[1].high  # it does to internal objectives: intervals apart
    assert internal[0].low > pointer[0].high  # at a small rate, pointers are the faster: intervals apart

