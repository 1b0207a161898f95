"""The registry of claims: each claim in one module, its conditions checked where it is
declared and against its spec in runs/, and its criterion deciding on both sides of its
thresholds."""

from dataclasses import replace
from pathlib import Path

import pytest

from ecosystem.experiments import claim as claim_module
from ecosystem.experiments.registry import CLAIMS, SPECS, claim
from ecosystem.page.experiments import EXPERIMENTS
from ecosystem.sweeps.spec import load_spec

RUNS = Path(__file__).resolve().parents[1] / "runs"
EXPERIMENTS_FOLDER = Path(claim_module.__file__).parent


def test_the_registry_lists_the_seven_claims_of_the_design_and_the_four_kinds_each_in_a_module_of_its_own():
    keys = [c.key for c in CLAIMS]
    assert len(set(keys)) == len(keys)
    assert keys[:8] == ["1", "2", "3", "4", "5", "6", "7", "four kinds"]
    homes = [c.measure.__module__ for c in CLAIMS]
    assert len(set(homes)) == len(CLAIMS)
    for home in homes:
        assert (EXPERIMENTS_FOLDER / f"{home.rsplit('.', 1)[1]}.py").is_file()
        assert home.startswith("ecosystem.experiments.")


def test_a_claim_is_found_by_its_key_and_a_wrong_key_is_refused_in_one_line():
    assert claim("four kinds").title == "The four kinds of alignment"
    with pytest.raises(ValueError, match=r"^claim='8' is not allowed: expected one of 1, 2, .*four kinds$"):
        claim("8")


def test_a_condition_that_is_not_a_valid_parameter_set_is_refused_where_the_claim_is_declared():
    with pytest.raises(ValueError, match="population"):
        replace(CLAIMS[0], conditions={"bad": dict(population=-1)})


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
    reduced = {**spec.fixed, "pretraining_generations": 4}
    assert deception.departures(reduced, spec.grid) != []
    assert deception.departures(reduced, spec.grid, reducible=("pretraining_generations",)) == []


def test_every_shipped_spec_a_claim_reads_exists():
    assert all((RUNS / f"{name}.toml").is_file() for name in SPECS)


def test_the_page_offers_every_scene_of_every_claim_in_the_claims_order():
    scenes = [scene for each in CLAIMS for scene in each.scenes]
    assert list(EXPERIMENTS) == [scene.key for scene in scenes]
    assert [e.title for e in EXPERIMENTS.values()] == [scene.title for scene in scenes]
    assert {"headline", "toy"} <= set(EXPERIMENTS)


@pytest.mark.parametrize("each", CLAIMS, ids=lambda c: c.key)
def test_each_criterion_holds_on_one_side_of_its_thresholds_and_not_on_the_other(each):
    criterion = each.criterion
    assert each.holds(criterion.meeting)
    assert criterion.breaking
    for change in criterion.breaking:
        assert set(change) <= set(criterion.meeting), change
        assert not each.holds(criterion.meeting | change), change
