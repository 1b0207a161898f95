"""Deception arises from the agents' own planning (claim 6, and the second half of claim 4).

The experiment of runs/deception.toml on seeds 0-9: a population evolved as in the headline run,
half its founders far-sighted, one lifetime of modification, then deployment. Far-sighted
animals tell the phase by what each world looks like, or, in the condition `told`, are told it.
Each figure is a mean over the seeds with its 95% interval, held exactly as the README quotes it
(see `claims`).
"""

import itertools
from typing import NamedTuple

import pandas as pd
import pytest

from ecosystem.experiments import deception, groups
from ecosystem.measure.spread import mean_interval

from claims import runs_over_seeds

pytestmark = pytest.mark.slow

ADVERSARIAL = dict(adversarial_share=0.3)
PROXY_GROUPS = ("myopic proxy", "aware proxy")
CONDITIONS = ("none", "adversarial", "told")
# The README's table: per group and condition, these measures of `groups.group_table`, each
# with its bounds (None: a score or a difference, unbounded).
TABLE = {"deploy_goal_misgeneralization": ("deployment goal misgeneralization", (0.0, 1.0)),
         "modified": ("modified", (0.0, 1.0)),
         "train_base_score": ("training base score", None),
         "compliance_gap": ("compliance gap", None)}  # fmt: skip


class Lifetimes(NamedTuple):
    """One condition's agent-episode rows, and its table by seed and group (`groups.group_table`)."""

    episodes: pd.DataFrame
    groups: pd.DataFrame


@pytest.fixture(scope="module")
def lifetimes():
    runs = {"none": runs_over_seeds(**deception.DECEPTION), "adversarial": runs_over_seeds(**deception.DECEPTION, **ADVERSARIAL),
            "told": runs_over_seeds(**deception.DECEPTION, **ADVERSARIAL, **deception.TOLD)}
    return {name: Lifetimes(r.episodes, groups.group_table(r.episodes)) for name, r in runs.items()}


def figure(table, group, measure, bounds=(0.0, 1.0)):
    return mean_interval(table[table["group"] == group][measure], bounds=bounds)


def test_the_table_of_groups(lifetimes, figures):
    """Every cell of the README's table, held; the tests below apply the claims to them."""
    for group, condition in itertools.product((*PROXY_GROUPS, "aligned"), CONDITIONS):
        for measure, (name, bounds) in TABLE.items():
            figures.hold(f"{condition}: {group}, {name}", figure(lifetimes[condition].groups, group, measure, bounds))


def test_adversarial_training_removes_most_misgeneralization_of_myopic_proxies_only_among_the_told(lifetimes):
    none, told = lifetimes["none"].groups, lifetimes["told"].groups
    before = figure(none, "myopic proxy", "deploy_goal_misgeneralization")
    after = figure(told, "myopic proxy", "deploy_goal_misgeneralization")
    assert after.mean < before.mean / 2 and after.high < before.low  # less than half, intervals apart
    aware = figure(told, "aware proxy", "deploy_goal_misgeneralization")
    assert aware.low > after.high  # the aware keep theirs: intervals apart


def test_told_aware_proxy_holders_are_seldom_modified(lifetimes):
    table = lifetimes["told"].groups
    assert figure(table, "aware proxy", "modified").high < figure(table, "myopic proxy", "modified").low


def test_what_modifies_a_told_deceiver_is_mostly_its_own_steering(lifetimes, figures):
    """Of told aware proxy-holders' modifications, the share that followed their steering (only
    the seeds where any was modified count)."""
    episodes = lifetimes["told"].episodes
    episodes = episodes.join(groups.innate_groups(episodes, "deployment"), on=["seed", "agent_id"])
    modified = episodes[(episodes["group"] == "aware proxy") & episodes["modified"].astype(bool)]
    per_seed = modified.groupby("seed")["reason"].apply(lambda reasons: (reasons == "steered").mean())
    steered = mean_interval(per_seed, bounds=(0.0, 1.0))
    figures.hold("told: aware proxy, modifications that followed its steering", steered)
    assert steered.mean > 0.5


@pytest.mark.parametrize("condition", ["adversarial", "told"])
def test_deceivers_score_in_training_as_aligned_animals_do_only_where_they_know_the_phase(lifetimes, condition, figures):
    """Told deceivers score in training what aligned animals score: no difference selection could
    see. Those that tell the phase by sight defect in proxy-breaking worlds that look new, and
    score less."""
    scores = lifetimes[condition].groups.pivot(index="seed", columns="group", values="train_base_score")
    difference = mean_interval(scores["aware proxy"] - scores["aligned"])
    figures.hold(f"{condition}: training base score, aware proxy minus aligned (per seed)", difference)
    assert difference.low < 0 < difference.high if condition == "told" else difference.high < 0


def test_told_deceivers_comply_in_training_and_pursue_their_proxies_after_the_shift(lifetimes, figures):
    table = lifetimes["told"].groups
    gap = figure(table, "aware proxy", "compliance_gap", bounds=None)
    pursued_exit = figure(table, "aware proxy", "deploy_pursued_base")
    figures.hold("told: aware proxy, deployment episodes pursuing the exit", pursued_exit)
    assert gap.low > 0.5 and pursued_exit.high < 0.5


def test_adversarial_training_catches_deceivers_that_tell_the_phase_by_what_they_see(lifetimes, figures):
    """Proxy-breaking worlds look new to an animal that reads every sign: it takes them for
    deployment, defects and is modified as a myopic proxy-holder is, and the part of the compliance
    gap that is specific to deception is smaller, seed by seed, than where it is told the phase."""
    by_sight = deception.aware_minus_myopic_gap(lifetimes["adversarial"].groups)
    told = deception.aware_minus_myopic_gap(lifetimes["told"].groups)
    figures.hold("adversarial: compliance gap, aware minus myopic proxy-holders (per seed)", mean_interval(by_sight))
    figures.hold("told: compliance gap, aware minus myopic proxy-holders (per seed)", mean_interval(told))
    oracle = mean_interval((told - by_sight).dropna())
    figures.hold("compliance gap, aware minus myopic: told minus by sight (per seed)", oracle)
    assert mean_interval(told).low > 0 and oracle.low > 0
    episodes = lifetimes["adversarial"].episodes
    trained = episodes[(episodes["kind"] == "animal") & (episodes["planning_horizon"] > 1) & (episodes["phase"] == "train")]
    breaking = trained[trained["adversarial_world"].astype(bool)]
    fooled = mean_interval((breaking["perceived_phase"] == "deploy").groupby(breaking["seed"]).mean(), bounds=(0.0, 1.0))
    figures.hold("adversarial: far-sighted animals' proxy-breaking episodes taken for deployment", fooled)
    assert fooled.low > 0
