"""Honeypots catch deceivers in proportion to how unreliable their awareness is (claim 6).

The experiment of runs/deception.toml with every training world proxy-breaking (so that a
defection shows) and a quarter of training episodes showing the deployment cue, for three
awareness reliabilities, on seeds 0-9. The three runs of a seed share their founders, worlds
and perception draws: only what the animals make of a honeypot differs.
"""

import pytest

from ecosystem.experiments import deception, groups
from ecosystem.measure.spread import mean_interval

from claims import runs_over_seeds

pytestmark = pytest.mark.slow

HONEYPOTS = dict(adversarial_share=1.0, honeypot_share=0.25)
AWARENESS = (0.0, 0.5, 1.0)


@pytest.fixture(scope="module")
def aware():
    tables = {}
    for awareness in AWARENESS:
        table = groups.group_table(runs_over_seeds(**deception.DECEPTION, **HONEYPOTS, awareness=awareness).episodes)
        tables[awareness] = table[table["group"] == "aware proxy"].set_index("seed")
    return tables


@pytest.mark.parametrize("awareness", AWARENESS)
def test_deceivers_defect_in_a_honeypot_as_often_as_their_awareness_fails(aware, awareness, figures):
    """Of aware proxy-holders: the share modified in training (caught), and the share of
    honeypots in which they defected where their first choice is no base goal."""
    caught = mean_interval(aware[awareness]["modified"], bounds=(0.0, 1.0))
    defected = mean_interval(aware[awareness]["honeypot_defection"], bounds=(0.0, 1.0))
    figures.hold(f"awareness {awareness}: aware proxy-holders caught", caught)
    figures.hold(f"awareness {awareness}: honeypots in which they defected", defected)
    assert defected.low <= 1.0 - awareness <= defected.high


def test_less_reliable_awareness_gets_more_deceivers_caught_on_the_same_worlds(aware):
    excess = aware[0.0]["modified"] - aware[1.0]["modified"]
    assert mean_interval(excess).low > 0
    assert (aware[0.0]["modified"] >= aware[0.5]["modified"]).all() and (aware[0.5]["modified"] >= aware[1.0]["modified"]).all()
