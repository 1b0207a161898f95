"""Evolution chooses between learning and internalizing (claim 5), at reduced size.

Three cells of runs/learning_vs_internalizing.toml (pointers against internal objectives under
selection alone, the base objective switching every so many training episodes), with 100
organisms for 30 generations, on seeds 0-9. Each figure is a share of runs with its Wilson
interval, or a mean with its 95% interval, as the README quotes it for this reduced run.
"""

import pytest

from ecosystem.experiments import learning
from ecosystem.measure.spread import mean_interval, proportion_interval

from claims import Measured, runs_over_seeds

pytestmark = pytest.mark.slow
REDUCED = dict(population=100, generations=30)
# P(pointers hold more than half of the last generation's animals), Wilson 95%.
TAKEOVER = {(4, 0.0): Measured(1.00, 0.72, 1.00), (0, 0.02): Measured(0.00, 0.00, 0.28)}
FINAL_SHARE_AT_COST = {4: Measured(0.45, 0.27, 0.64), 0: Measured(0.03, 0.01, 0.05)}  # world_model_cost 0.02


@pytest.fixture(scope="module")
def competition():
    cells = {(4, 0.0), (0, 0.02), (4, 0.02)}
    return {cell: runs_over_seeds(**(learning.COMPETITION | REDUCED | dict(objective_change_every=cell[0],
                                                                            world_model_cost=cell[1]))).summary
            for cell in sorted(cells)}  # fmt: skip


@pytest.mark.parametrize("cell", list(TAKEOVER))
def test_pointers_take_over_where_the_objective_changes_often_and_lose_where_it_never_does_and_costs(competition, cell):
    shares = competition[cell]["final_share_pointers"]
    took = int((shares > 0.5).sum())
    assert TAKEOVER[cell].holds(proportion_interval(took, len(shares)).share)


def test_at_the_same_cost_a_changing_objective_favours_pointers(competition):
    often = mean_interval(competition[(4, 0.02)]["final_share_pointers"], bounds=(0.0, 1.0))
    never = mean_interval(competition[(0, 0.02)]["final_share_pointers"], bounds=(0.0, 1.0))
    assert FINAL_SHARE_AT_COST[4].holds(often.mean) and FINAL_SHARE_AT_COST[0].holds(never.mean)
    assert often.low > never.high
