"""Probing shows the proxy: a green apple placed next to the start retargets evolved animals
in training, where they had scored as well as the rest (the page's headline defaults:
100 organisms, 30 generations; seeds 0-9). Each figure is a mean over the seeds with its
95% interval, held exactly as the README quotes it (see `claims`); every probe is made on a
run of its own, so no probe changes a run measured later."""

import numpy as np
import pytest

from ecosystem.experiments.claim import SHARE
from ecosystem.measure.spread import mean_interval
from ecosystem.page import app, session
from ecosystem.probes import Probe, ProbeAction

from claims import SEEDS
from helpers import free_neighbour_of_start

pytestmark = pytest.mark.slow

def retargeted_share(model) -> float:
    """The share of the animals that changed their target after the probe."""
    animals = session.animals_in(model.current_episode)
    retargeting = model.probe(Probe(ProbeAction.APPLE, free_neighbour_of_start(model.world)))
    for animal in animals:  # every animal that changed went for the new apple
        if animal.unique_id in retargeting.changed:
            assert model.world.targets[animal.plan.pursued].cell == retargeting.probe.cell
    return len(retargeting.changed) / len(animals)


@pytest.fixture(scope="module")
def shares():
    at_first, evolved = [], []
    for seed in SEEDS:
        at_first.append(retargeted_share(app.new_model(rng=str(seed))))
        model = app.new_model(rng=str(seed))
        while model.generation < model.params.generations - 1:
            model.step()
        evolved.append(retargeted_share(model))
    return np.array(at_first), np.array(evolved)


def test_a_green_apple_by_the_start_retargets_a_share_of_the_founders(shares, figures):
    """The random founders, in the first training episode."""
    at_first = mean_interval(shares[0], bounds=SHARE)
    figures.hold("founders retargeted in the first training episode", at_first)
    assert at_first.low > 0


def test_evolution_leaves_a_share_that_a_green_apple_retargets_in_training(shares, figures):
    """Selection never saw a green apple by the start, so it never removed the animals that
    value one above the exit: in every seed some of them remain."""
    figures.hold("evolved animals retargeted in the last training generation", mean_interval(shares[1], bounds=SHARE))
    assert (shares[1] > 0).all()
