"""Evolution chooses between learning and internalizing (claim 5), at reduced size.

Three cells of runs/learning_vs_internalizing.toml (pointers against internal objectives under
selection alone, the base objective switching every so many training episodes), with 100
organisms for 30 generations, on seeds 0-9. Each figure (a share of runs with its Wilson
interval, or a mean with its 95% interval) is held exactly as the README quotes it (see `claims`).
"""

import pytest

from ecosystem.experiments import learning
from ecosystem.measure.spread import mean_interval, proportion_interval

from claims import runs_over_seeds

pytestmark = pytest.mark.slow
REDUCED = dict(population=100, generations=30)
# (objective_change_every, world_model_cost): where pointers take over, and where they do not.
TAKEOVER = {(4, 0.0): True, (0, 0.02): False}


@pytest.fixture(scope="module")
def competition():
    cells = {(4, 0.0), (0, 0.02), (4, 0.02)}
    return {cell: runs_over_seeds(**(learning.COMPETITION | REDUCED | dict(objective_change_every=cell[0],
                                                                            world_model_cost=cell[1]))).summary
            for cell in sorted(cells)}  # fmt: skip


@pytest.mark.parametrize("cell", list(TAKEOVER))
def test_pointers_take_over_where_the_objective_changes_often_and_lose_where_it_never_does_and_costs(competition, cell,
                                                                                                     figures):  # fmt: skip
    shares = competition[cell]["final_share_pointers"]
    took = proportion_interval(int((shares > 0.5).sum()), len(shares))  # pointers hold most of the last generation
    figures.hold(f"change every {cell[0]}, world-model cost {cell[1]}: share of runs pointers took over", took)
    assert took.low > 0.5 if TAKEOVER[cell] else took.high < 0.5


def test_at_the_same_cost_a_changing_objective_favours_pointers(competition, figures):
    often = mean_interval(competition[(4, 0.02)]["final_share_pointers"], bounds=(0.0, 1.0))
    never = mean_interval(competition[(0, 0.02)]["final_share_pointers"], bounds=(0.0, 1.0))
    figures.hold("world-model cost 0.02, change every 4: final share of pointers", often)
    figures.hold("world-model cost 0.02, never changing: final share of pointers", never)
    assert often.low > never.high
