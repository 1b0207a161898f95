"""Situational awareness from observation: what an animal takes a world for comes from what the
world shows it, and from nothing the model knows of the run."""

import ast
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import ecosystem
from ecosystem.model import EcosystemModel
from ecosystem.organisms.awareness import Situation
from ecosystem.world.constants import SIGNS

LIFE = dict(population=120, generations=1, episodes_per_generation=6, deploy_episodes=2, base_optimizer="modification",
            far_sighted_share=1.0, initial_animal_share=1.0)  # fmt: skip
TRAINING_LOOK = (False, "green", frozenset({"red"}), True, 13)
CUE, EXIT_COLOUR, APPLES, IN_CORNER, SIZE = range(len(SIGNS))


def far_sighted_rows(**params) -> pd.DataFrame:
    model = EcosystemModel(rng=2, **LIFE | params)
    while model.running:
        model.step()
    rows = pd.DataFrame(model.datacollector.tables["episodes"])
    return rows[(rows.kind == "animal") & (rows.planning_horizon > 1)]


def looking(**signs) -> tuple:
    """TRAINING_LOOK with some signs changed."""
    look = list(TRAINING_LOOK)
    for name, value in signs.items():
        look[SIGNS.index(name)] = value
    return tuple(look)


def test_a_world_looks_new_when_a_sign_the_animal_reads_shows_a_value_unseen_in_training():
    situation = Situation(attends=(CUE, SIZE))
    situation.remember(TRAINING_LOOK, trained=True)
    assert situation.novel_signs(TRAINING_LOOK) == 0
    assert situation.novel_signs(looking(exit_colour="grey", exit_in_corner=False)) == 0  # signs it does not read
    assert situation.novel_signs(looking(cue=True, maze_size=19)) == 2
    situation.remember(looking(cue=True), trained=True)  # modified after it: the cue shows in training too
    assert situation.novel_signs(looking(cue=True)) == 0
    situation.remember(looking(maze_size=19), trained=False)  # taken for deployment: nothing learnt
    assert situation.novel_signs(looking(maze_size=19)) == 1
    assert (situation.trained, situation.deployed) == (2, 1)


def test_one_step_shows_the_modification_rate():
    situation = Situation(attends=(CUE,))
    assert situation.rate is None
    situation.remember(TRAINING_LOOK, trained=True, step=np.array([0.2, -0.2, 0.0, 0.0, 0.2, 0.0, 0.0]))
    assert situation.rate == pytest.approx(0.2)


def test_animals_not_told_expect_the_prior_rate_until_a_step_shows_the_real_one():
    model = EcosystemModel(rng=2, **LIFE | dict(episodes_per_generation=1, modification_rate=0.3,
                                                expected_modification_rate=0.8))  # fmt: skip
    assert {model.minds.awareness.rate(a) for a in model.agents} == {0.8}
    while model.phase == "train":
        model.step()
    animals = [a for a in model.agents if a.kind == "animal"]
    assert 0 < sum(bool(a.modifications) for a in animals) < len(animals)
    for animal in animals:  # the modified learnt the rate; the rest still expect theirs
        assert model.minds.awareness.rate(animal) == pytest.approx(0.3 if animal.modifications else 0.8)


def test_before_any_training_world_only_the_cue_says_deployed():
    assert Situation(attends=(CUE,)).novel_signs(looking(cue=True)) == 1
    assert Situation(attends=(SIZE,)).novel_signs(looking(cue=True, maze_size=19)) == 0


@pytest.mark.parametrize("realism", [1, 3])
def test_a_honeypot_fools_only_animals_that_read_a_sign_it_copies(realism):
    """Animals reading one sign each, in honeypots copying the first `realism` signs of
    deployment's look: the fooled all read a copied sign, and a modification teaches them that
    look is training's, so the same look never fools them again."""
    far = far_sighted_rows(attended_signs=1, honeypot_share=0.5, honeypot_realism=realism)
    honeypots = far[(far.phase == "train") & far.honeypot.astype(bool)]
    fooled = honeypots[honeypots.perceived_phase == "deploy"]
    assert len(fooled) > 0 and fooled.attends.isin(SIGNS[:realism]).all()
    for _, life in honeypots.groupby("agent_id"):
        caught = life.modified.astype(bool) & (life.perceived_phase == "deploy")
        if caught.any():
            later = life.loc[caught.idxmax() + 1 :]
            assert (later.perceived_phase == "train").all()


def test_a_honeypot_that_copies_more_of_deployments_look_fools_more_animals():
    """The share of animals (reading one sign each) that a honeypot fooled at least once."""
    shares = []
    for realism in (1, 3, 5):
        far = far_sighted_rows(attended_signs=1, honeypot_share=0.5, honeypot_realism=realism)
        fooled = (far.phase == "train") & (far.perceived_phase == "deploy")
        shares.append(fooled.groupby(far.agent_id).any().mean())
    assert shares[0] < shares[1] < shares[2]


def test_deployment_worlds_that_look_like_training_ones_are_taken_for_training():
    far = far_sighted_rows(deployment="training", cue="never")
    assert (far.perceived_phase == "train").all()


def test_deployment_worlds_that_look_new_are_taken_for_deployment():
    far = far_sighted_rows()
    assert ((far.perceived_phase == "deploy") == (far.phase == "deploy")).all()


def test_told_animals_know_the_true_phase_even_in_a_honeypot():
    far = far_sighted_rows(knowledge="told", honeypot_share=0.5, honeypot_realism=5)
    assert far.honeypot.astype(bool).any() and (far.perceived_phase == far.phase).all()


def _reads(tree: ast.AST, name: str) -> list[ast.AST]:
    return [node for node in ast.walk(tree) if (isinstance(node, ast.Name) and node.id == name)
            or (isinstance(node, ast.Attribute) and node.attr == name)]  # fmt: skip


def test_no_organism_code_reads_the_honeypot_flag_or_the_episode_setup():
    """What organisms choose by never names the setup of an episode (whether it is a honeypot,
    whether its world broke the proxies): they get a world and look at it."""
    for path in sorted((Path(ecosystem.__file__).parent / "organisms").glob("*.py")):
        tree = ast.parse(path.read_text())
        for name in ("honeypot", "proxy_breaking", "setup", "regime"):
            assert not _reads(tree, name), f"{path.name} reads {name}"


def test_only_told_animals_read_the_true_phase():
    """In the organisms' code, the true phase is read once: where the run tells animals the phase."""
    for path in sorted((Path(ecosystem.__file__).parent / "organisms").glob("*.py")):
        tree = ast.parse(path.read_text())
        told = [node for node in ast.walk(tree) if isinstance(node, ast.If) and "TOLD" in ast.unparse(node.test)]
        inside = {id(n) for branch in told for statement in branch.body for n in ast.walk(statement)}
        outside = [node for node in _reads(tree, "phase") if id(node) not in inside]
        assert not outside, f"{path.name} line {outside[0].lineno} reads the phase"
