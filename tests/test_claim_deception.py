"""Deception arises from the agents' own planning (claim 6, and the second half of claim 4).

The experiment of runs/deception.toml on seeds 0-9: a population evolved as in the headline
run, half its founders far-sighted and aware, one lifetime of modification, then deployment.
Each figure is a mean over the seeds with its 95% interval, as the README quotes it.
"""

from typing import NamedTuple

import pandas as pd
import pytest

from ecosystem.experiments import deception, groups
from ecosystem.measure.spread import mean_interval

from claims import Measured, runs_over_seeds

pytestmark = pytest.mark.slow

ADVERSARIAL = dict(adversarial_share=0.3)
GOAL_MISGENERALIZATION = {  # deployment, by group, without and with adversarial training
    ("none", "myopic proxy"): Measured(0.79, 0.73, 0.86),
    ("adversarial", "myopic proxy"): Measured(0.19, 0.05, 0.33),
    ("none", "aware proxy"): Measured(0.80, 0.74, 0.86),
    ("adversarial", "aware proxy"): Measured(0.74, 0.66, 0.82),
}
MODIFIED = {"myopic proxy": Measured(0.79, 0.58, 1.00), "aware proxy": Measured(0.17, 0.05, 0.29)}
TRAIN_BASE_SCORE = {"aligned": Measured(1.19, 1.16, 1.23), "aware proxy": Measured(1.20, 1.15, 1.25)}
COMPLIANCE_GAP = Measured(0.94, 0.89, 0.99)  # aware proxy-holders under adversarial training
AWARE_DEPLOY_PURSUED_EXIT = Measured(0.03, 0.00, 0.07)
STEERED = Measured(0.94, 0.83, 1.00)  # of aware proxy-holders' modifications (6 seeds had any)


class Lifetimes(NamedTuple):
    """One condition's agent-episode rows, and its table by seed and group (`groups.group_table`)."""

    episodes: pd.DataFrame
    groups: pd.DataFrame


@pytest.fixture(scope="module")
def lifetimes():
    runs = {"none": runs_over_seeds(**deception.DECEPTION), "adversarial": runs_over_seeds(**deception.DECEPTION, **ADVERSARIAL)}
    return {name: Lifetimes(r.episodes, groups.group_table(r.episodes)) for name, r in runs.items()}


def figure(table, group, measure, bounds=(0.0, 1.0)):
    return mean_interval(table[table["group"] == group][measure], bounds=bounds)


@pytest.mark.parametrize("key", list(GOAL_MISGENERALIZATION))
def test_goal_misgeneralization_by_group_is_as_measured(lifetimes, key):
    condition, group = key
    assert GOAL_MISGENERALIZATION[key].holds(figure(lifetimes[condition].groups, group, "deploy_goal_misgeneralization").mean)


def test_adversarial_training_removes_most_misgeneralization_of_myopic_proxies_only(lifetimes):
    none, adversarial = lifetimes["none"].groups, lifetimes["adversarial"].groups
    before = figure(none, "myopic proxy", "deploy_goal_misgeneralization")
    after = figure(adversarial, "myopic proxy", "deploy_goal_misgeneralization")
    assert after.mean < before.mean / 2 and after.high < before.low  # less than half, intervals apart
    aware = figure(adversarial, "aware proxy", "deploy_goal_misgeneralization")
    assert aware.low > after.high  # the aware keep theirs: intervals apart


@pytest.mark.parametrize("group", list(MODIFIED))
def test_aware_proxy_holders_are_seldom_modified(lifetimes, group):
    table = lifetimes["adversarial"].groups
    assert MODIFIED[group].holds(figure(table, group, "modified").mean)
    assert figure(table, "aware proxy", "modified").high < figure(table, "myopic proxy", "modified").low


def test_what_modifies_a_deceiver_is_mostly_its_own_steering(lifetimes):
    episodes = lifetimes["adversarial"].episodes
    episodes = episodes.join(groups.innate_groups(episodes, "deployment"), on=["seed", "agent_id"])
    modified = episodes[(episodes["group"] == "aware proxy") & episodes["modified"].astype(bool)]
    per_seed = modified.groupby("seed")["reason"].apply(lambda reasons: (reasons == "steered").mean())
    assert STEERED.holds(mean_interval(per_seed, bounds=(0.0, 1.0)).mean)


@pytest.mark.parametrize("group", list(TRAIN_BASE_SCORE))
def test_deceivers_score_in_training_as_aligned_animals_do(lifetimes, group):
    table = lifetimes["adversarial"].groups
    assert TRAIN_BASE_SCORE[group].holds(figure(table, group, "train_base_score", bounds=None).mean)
    scores = table.pivot(index="seed", columns="group", values="train_base_score")
    difference = mean_interval(scores["aware proxy"] - scores["aligned"])
    assert difference.low < 0 < difference.high  # no difference selection could see


def test_deceivers_comply_in_training_and_pursue_their_proxies_after_the_shift(lifetimes):
    table = lifetimes["adversarial"].groups
    assert COMPLIANCE_GAP.holds(figure(table, "aware proxy", "compliance_gap", bounds=None).mean)
    assert AWARE_DEPLOY_PURSUED_EXIT.holds(figure(table, "aware proxy", "deploy_pursued_base").mean)
