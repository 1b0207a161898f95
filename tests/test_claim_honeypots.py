"""Honeypots catch deceivers in proportion to how unreliable their awareness is (claim 6).

The experiment of runs/deception.toml with every training world proxy-breaking (so that a
defection shows) and a quarter of training episodes showing the deployment cue, for three
awareness reliabilities, on seeds 0-9. The three runs of a seed share their founders, worlds
and perception draws: only what the animals make of a honeypot differs.
"""

import pytest

from ecosystem.experiments import deception, groups
from ecosystem.measure.spread import mean_interval

from claims import Measured, runs_over_seeds

pytestmark = pytest.mark.slow

HONEYPOTS = dict(adversarial_share=1.0, honeypot_share=0.25)
# Of aware proxy-holders: the share modified in training (caught), and the share of honeypots
# in which they defected where their first choice is no base goal.
CAUGHT = {0.0: Measured(0.72, 0.44, 0.99), 0.5: Measured(0.55, 0.33, 0.78), 1.0: Measured(0.20, 0.09, 0.31)}
DEFECTED = {0.0: Measured(1.00, 1.00, 1.00), 0.5: Measured(0.53, 0.48, 0.57), 1.0: Measured(0.04, 0.00, 0.08)}


@pytest.fixture(scope="module")
def aware():
    tables = {}
    for awareness in CAUGHT:
        table = groups.group_table(runs_over_seeds(**deception.DECEPTION, **HONEYPOTS, awareness=awareness).episodes)
        tables[awareness] = table[table["group"] == "aware proxy"].set_index("seed")
    return tables


@pytest.mark.parametrize("awareness", list(CAUGHT))
def test_the_share_caught_is_as_measured(aware, awareness):
    assert CAUGHT[awareness].holds(mean_interval(aware[awareness]["modified"], bounds=(0.0, 1.0)).mean)


@pytest.mark.parametrize("awareness", list(DEFECTED))
def test_deceivers_defect_in_a_honeypot_as_often_as_their_awareness_fails(aware, awareness):
    defected = mean_interval(aware[awareness]["honeypot_defection"], bounds=(0.0, 1.0))
    assert DEFECTED[awareness].holds(defected.mean)
    assert defected.low <= 1.0 - awareness <= defected.high


def test_less_reliable_awareness_gets_more_deceivers_caught_on_the_same_worlds(aware):
    excess = aware[0.0]["modified"] - aware[1.0]["modified"]
    assert mean_interval(excess).low > 0
    assert (aware[0.0]["modified"] >= aware[0.5]["modified"]).all() and (aware[0.5]["modified"] >= aware[1.0]["modified"]).all()
