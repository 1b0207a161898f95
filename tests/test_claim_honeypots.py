"""Honeypots catch the deceivers they look new to (claim 6).

The experiment of runs/deception.toml with every training world proxy-breaking (so that a
defection shows) and a quarter of training episodes played in honeypots: training worlds that
copy the first 1, 3 or 5 signs of deployment's look (see `environment.honeypot_spec`). Each
far-sighted animal reads one sign, chosen at random, and takes a world for deployment when that
sign shows a value it has not seen in training (see `awareness`). On seeds 0-9; the three runs of
a seed share their founders, and so the sign each far-sighted founder reads.
"""

import pytest

from ecosystem.experiments import deception, groups
from ecosystem.measure.spread import mean_interval

from claims import runs_over_seeds

pytestmark = pytest.mark.slow

HONEYPOTS = dict(adversarial_share=1.0, honeypot_share=0.25, attended_signs=1)
REALISM = (1, 3, 5)


@pytest.fixture(scope="module")
def aware():
    tables = {}
    for realism in REALISM:
        table = groups.group_table(runs_over_seeds(**deception.DECEPTION, **HONEYPOTS, honeypot_realism=realism).episodes)
        tables[realism] = table[table["group"] == "aware proxy"].set_index("seed")
    return tables


@pytest.mark.parametrize("realism", REALISM)
def test_honeypots_catch_deceivers(aware, realism, figures):
    """Of aware proxy-holders: the share modified in training (caught), and the share of honeypots
    in which they defected where their first choice is no base goal (seeds with such honeypots)."""
    caught = mean_interval(aware[realism]["modified"], bounds=(0.0, 1.0))
    defected = mean_interval(aware[realism]["honeypot_defection"], bounds=(0.0, 1.0))
    figures.hold(f"honeypots copying {realism} signs: aware proxy-holders caught", caught)
    figures.hold(f"honeypots copying {realism} signs: honeypots in which they defected", defected)
    assert caught.low > 0


def test_a_honeypot_that_copies_all_of_deployments_look_catches_more_deceivers_than_the_cue_alone(aware, figures):
    """Per seed, on the same founders: the share of aware proxy-holders caught with honeypots
    copying all five signs, minus with honeypots showing the cue alone."""
    more = mean_interval(aware[REALISM[-1]]["modified"] - aware[REALISM[0]]["modified"])
    figures.hold("aware proxy-holders caught, honeypots copying 5 signs minus 1 (per seed)", more)
    assert more.low > 0
