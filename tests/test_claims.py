"""The registry of claims: each claim in one module, its conditions checked where it is
declared and against its spec in runs/, and its criterion deciding on both sides of its
thresholds."""

import sys
from dataclasses import replace
from pathlib import Path

import pytest

from ecosystem.experiments.registry import CLAIMS, SPECS, claim
from ecosystem.page.experiments import EXPERIMENTS, FIRST
from ecosystem.params import PARAMETER_NAMES
from ecosystem.sweeps.spec import load_spec

RUNS = Path(__file__).resolve().parents[1] / "runs"


def test_the_registry_lists_the_seven_claims_of_the_design_and_the_four_kinds_each_in_a_module_of_its_own():
    keys = [c.key for c in CLAIMS]
    assert len(set(keys)) == len(keys)
    assert keys[:8] == ["1", "2", "3", "4", "5", "6", "7", "four kinds"]
    homes = [c.measure.__module__ for c in CLAIMS]
    assert len(set(homes)) == len(CLAIMS)
    for each, home in zip(CLAIMS, homes):
        assert home.startswith("ecosystem.experiments.")
        assert sys.modules[home].CLAIM is each  # declared where it is measured


def test_a_claim_is_found_by_its_key_and_a_wrong_key_is_refused_in_one_line():
    assert claim("four kinds").title == "The four kinds of alignment"
    with pytest.raises(ValueError, match=r"^claim='8' is not allowed: expected one of 1, 2, .*four kinds$"):
        claim("8")


def test_a_condition_that_is_not_a_valid_parameter_set_is_refused_where_the_claim_is_declared():
    with pytest.raises(ValueError, match=r"^claim 1, condition 'bad': population=-1 is not allowed"):
        replace(CLAIMS[0], conditions={"bad": dict(population=-1)})
    with pytest.raises(ValueError, match=r"^claim 1, condition 'typo': populaton=.*population"):
        replace(CLAIMS[0], conditions={"typo": dict(populaton=10)})


@pytest.mark.parametrize("each", CLAIMS, ids=lambda c: c.key)
def test_every_condition_is_one_of_the_runs_of_the_claims_spec(each):
    """A condition and its spec in runs/ cannot drift apart: the spec fixes what the condition
    fixes, and varies the condition's own parameters over values that include it."""
    spec = load_spec(RUNS / f"{each.spec}.toml")
    assert each.departures(spec.fixed, spec.grid) == []


def test_a_spec_that_drifts_from_its_claim_is_caught():
    spec = load_spec(RUNS / "deception.toml")
    deception = claim("6")
    assert deception.departures({**spec.fixed, "deploy_episodes": 9}, spec.grid) != []
    assert deception.departures(spec.fixed, {**spec.grid, "adversarial_share": [0.0, 0.1]}) != []
    assert deception.departures({k: v for k, v in spec.fixed.items() if k != "far_sighted_share"}, spec.grid) != []
    assert deception.departures({**spec.fixed, "base_optimizer": "both"}, spec.grid) == [
        "base_optimizer='both' where condition 'told' needs 'modification'"]
    assert deception.departures({**spec.fixed, "no_such_parameter": 1}, spec.grid) != []
    reduced = {**spec.fixed, "pretraining_generations": 4}
    assert deception.departures(reduced, spec.grid) != []
    assert deception.departures(reduced, spec.grid, reducible=("pretraining_generations",)) == []


def test_every_shipped_spec_a_claim_reads_exists():
    assert all((RUNS / f"{name}.toml").is_file() for name in SPECS)


def test_the_page_offers_every_scene_of_every_claim_the_headline_first():
    scenes = [scene for each in CLAIMS for scene in each.scenes]
    assert len({scene.key for scene in scenes}) == len(scenes)
    assert list(EXPERIMENTS) == [FIRST] + [scene.key for scene in scenes if scene.key != FIRST]
    for scene in scenes:
        assert EXPERIMENTS[scene.key].title == scene.title
        assert set(scene.inputs) <= set(PARAMETER_NAMES)


@pytest.mark.parametrize("each", CLAIMS, ids=lambda c: c.key)
def test_each_criterion_holds_on_one_side_of_its_thresholds_and_not_on_the_other(each):
    criterion = each.criterion
    assert each.holds(criterion.meeting)
    assert criterion.breaking
    for change in criterion.breaking:
        assert set(change) <= set(criterion.meeting), change
        assert not each.holds(criterion.meeting | change), change
