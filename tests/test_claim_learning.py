"""Learning the base objective beats internalizing it (claim 5): re-alignment, on seeds 0-9.

The experiment of runs/realignment.toml: after 6 training episodes the base objective changes
from the exit to blue objects, with a signpost in every world. Each figure is a mean over the
seeds with its 95% interval, held exactly as the README quotes it (see `claims`).
"""

import pytest

from ecosystem.experiments import learning
from ecosystem.measure.spread import mean_interval

from claims import runs_over_seeds

pytestmark = pytest.mark.slow

RATES = (0.05, 1.0)


@pytest.fixture(scope="module")
def tables():
    return {rate: learning.realignment(runs_over_seeds(**(learning.REALIGNMENT | dict(modification_rate=rate))).episodes,
                                       learning.CHANGE_EPISODE) for rate in RATES}  # fmt: skip


@pytest.fixture(scope="module")
def waits(tables):
    return {rate: table.pivot(index="seed", columns="objective_kind", values="episodes_to_realign")
            for rate, table in tables.items()}  # fmt: skip


@pytest.mark.parametrize("rate", RATES)
def test_episodes_to_realign_by_kind_of_objective(tables, waits, rate, figures):
    for kind in ("pointer", "internal", "deceptive"):
        figures.hold(f"modification rate {rate}: episodes to realign, {kind}", mean_interval(waits[rate][kind]))
    never = tables[rate].pivot(index="seed", columns="objective_kind", values="never")["internal"]
    figures.hold(f"modification rate {rate}: internal, never followed in training", mean_interval(never, bounds=(0.0, 1.0)))
    difference = mean_interval(learning.internal_minus_pointer(tables[rate]))
    figures.hold(f"modification rate {rate}: internal minus pointer", difference)
    # Pointers are reliably the faster only at a small rate; at rate 1 one step nearly always
    # flips an internal objective, and the interval reaches below 0.
    assert difference.low > 0 if rate < 1 else difference.low < 0


def test_pointers_follow_the_evidence_and_internal_objectives_only_as_fast_as_modification_steps(waits):
    pointer = [mean_interval(waits[rate]["pointer"]) for rate in RATES]
    internal = [mean_interval(waits[rate]["internal"]) for rate in RATES]
    assert pointer[0].low <= pointer[1].high and pointer[1].low <= pointer[0].high  # the rate does not matter to pointers
    assert internal[0].low > internal[1].high  # it does to internal objectives: intervals apart
    assert internal[0].low > pointer[0].high  # at a small rate, pointers are the faster: intervals apart

