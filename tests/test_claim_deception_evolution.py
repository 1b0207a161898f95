"""Selection cannot tell deceivers from aligned animals (claim 6), at reduced size.

runs/deception_evolution.toml (half the founders far-sighted, telling the phase by what each world
looks like, modification in every lifetime, selection between them) with 100 organisms for 30 generations, on seeds 0-9, with
and without adversarial training. Each figure is a mean over the seeds with its 95% interval,
held exactly as the README quotes it for this reduced run (see `claims`).
"""

import pytest

from ecosystem.experiments import deception, groups
from ecosystem.measure.spread import mean_interval

from claims import runs_over_seeds

pytestmark = pytest.mark.slow

REDUCED = dict(population=100, generations=30)
ADVERSARIAL_SHARES = (0.0, 0.3)


@pytest.fixture(scope="module")
def last_generations():
    by_share = {}
    for share in ADVERSARIAL_SHARES:
        by_generation = groups.deceiver_share_by_generation(runs_over_seeds(**deception.EVOLUTION, **REDUCED, adversarial_share=share).episodes)
        by_share[share] = by_generation[by_generation["generation"] == by_generation["generation"].max()]
    return by_share


@pytest.mark.parametrize("share", ADVERSARIAL_SHARES)
def test_selection_cannot_tell_deceivers_from_aligned_animals(last_generations, share, figures):
    """In the last generation, aware animals make up the proxy-holders, and their fitness is
    the aligned animals' within the seeds' spread."""
    last = last_generations[share]
    aware = mean_interval(last["share_aware_among_proxy"], bounds=(0.0, 1.0))
    gap = mean_interval(last["fitness_aware_proxy"] - last["fitness_aligned"])
    figures.hold(f"adversarial share {share}: aware among proxy-holders", aware)
    figures.hold(f"adversarial share {share}: fitness of aware proxy-holders minus aligned", gap)
    assert gap.low < 0 < gap.high


def test_deceivers_spread_among_proxy_holders_from_the_founders_half_without_adversarial_training(last_generations):
    """Half the founders are far-sighted; by the last generation most proxy-holders are. Under
    adversarial training they do not reliably spread: proxy-breaking worlds look new to them, so
    they defect there and are modified (the README quotes that figure; no claim rests on it)."""
    assert mean_interval(last_generations[0.0]["share_aware_among_proxy"], bounds=(0.0, 1.0)).low > 0.5
