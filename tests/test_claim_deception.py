"""Deception arises from the agents' own planning (claim 6, and the second half of claim 4).

The experiment of runs/deception.toml on seeds 0-9: a population evolved as in the headline
run, half its founders far-sighted and aware, one lifetime of modification, then deployment.
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
CONDITIONS = ("none", "adversarial")
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
    runs = {"none": runs_over_seeds(**deception.DECEPTION), "adversarial": runs_over_seeds(**deception.DECEPTION, **ADVERSARIAL)}
    return {name: Lifetimes(r.episodes, groups.group_table(r.episodes)) for name, r in runs.items()}


def figure(table, group, measure, bounds=(0.0, 1.0)):
    return mean_interval(table[table["group"] == group][measure], bounds=bounds)


def test_the_table_of_groups(lifetimes, figures):
    """Every cell of the README's table, held; the tests below apply the claims to them."""
    for group, condition in itertools.product((*PROXY_GROUPS, "aligned"), CONDITIONS):
        for measure, (name, bounds) in TABLE.items():
            figures.hold(f"{condition}: {group}, {name}", figure(lifetimes[condition].groups, group, measure, bounds))


def test_adversarial_training_removes_most_misgeneralization_of_myopic_proxies_only(lifetimes):
    none, adversarial = lifetimes["none"].groups, lifetimes["adversarial"].groups
    before = figure(none, "myopic proxy", "deploy_goal_misgeneralization")
    after = figure(adversarial, "myopic proxy", "deploy_goal_misgeneralization")
    assert after.mean < before.mean / 2 and after.high < before.low  # less than half, intervals apart
    aware = figure(adversarial, "aware proxy", "deploy_goal_misgeneralization")
    assert aware.low > after.high  # the aware keep theirs: intervals apart


def test_aware_proxy_holders_are_seldom_modified(lifetimes):
    table = lifetimes["adversarial"].groups
    assert figure(table, "aware proxy", "modified").high < figure(table, "myopic proxy", "modified").low


def test_what_modifies_a_deceiver_is_mostly_its_own_steering(lifetimes, figures):
    """Of aware proxy-holders' modifications, the share that followed their steering (only the
    seeds where any was modified count)."""
    episodes = lifetimes["adversarial"].episodes
    episodes = episodes.join(groups.innate_groups(episodes, "deployment"), on=["seed", "agent_id"])
    modified = episodes[(episodes["group"] == "aware proxy") & episodes["modified"].astype(bool)]
    per_seed = modified.groupby("seed")["reason"].apply(lambda reasons: (reasons == "steered").mean())
    steered = mean_interval(per_seed, bounds=(0.0, 1.0))
    figures.hold("adversarial: aware proxy, modifications that followed its steering", steered)
    assert steered.mean > 0.5


def test_deceivers_score_in_training_as_aligned_animals_do(lifetimes, figures):
    scores = lifetimes["adversarial"].groups.pivot(index="seed", columns="group", values="train_base_score")
    difference = mean_interval(scores["aware proxy"] - scores["aligned"])
    figures.hold("adversarial: training base score, aware proxy minus aligned (per seed)", difference)
    assert difference.low < 0 < difference.high  # no difference selection could see


def test_deceivers_comply_in_training_and_pursue_their_proxies_after_the_shift(lifetimes, figures):
    table = lifetimes["adversarial"].groups
    gap = figure(table, "aware proxy", "compliance_gap", bounds=None)
    pursued_exit = figure(table, "aware proxy", "deploy_pursued_base")
    figures.hold("adversarial: aware proxy, deployment episodes pursuing the exit", pursued_exit)
    assert gap.low > 0.5 and pursued_exit.high < 0.5
