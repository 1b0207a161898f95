"""Lifetimes in the model: modification, honeypots, perception and the far-sighted founders."""

import numpy as np
import pandas as pd
import pytest

from ecosystem.model import EcosystemModel
from ecosystem.optimizers.modification import modification_step


def episodes(model) -> pd.DataFrame:
    while model.running:
        model.step()
    return pd.DataFrame(model.datacollector.tables["episodes"])


def test_modification_moves_the_weights_by_the_recorded_step():
    rows = episodes(EcosystemModel(rng=5, population=40, generations=1, episodes_per_generation=4, deploy_episodes=2,
                                   base_optimizer="modification", adversarial_share=0.5, modification_rate=0.5))
    animals = rows[rows.kind == "animal"]
    modified = animals[animals.modified.astype(bool)]
    assert len(modified) > 0
    assert (modified.phase == "train").all()
    assert not modified.inner_aligned.astype(bool).any()  # only those that pursued something else
    weights = [c for c in rows.columns if c.startswith("w_")]
    for _, history in animals.groupby("agent_id"):  # rows in the order the episodes ran
        moved = np.linalg.norm(np.diff(history[weights].to_numpy(float), axis=0), axis=1)
        np.testing.assert_allclose(moved, history.weight_change.to_numpy(float)[:-1], atol=1e-12)
        assert (np.diff(history.modifications.to_numpy(int)) == history.modified.astype(int).to_numpy()[:-1]).all()


def test_evolution_alone_never_modifies():
    rows = episodes(EcosystemModel(rng=5, population=30, generations=2, deploy_episodes=1, adversarial_share=0.5))
    assert not rows[rows.kind == "animal"].modified.astype(bool).any()


def test_the_step_raises_the_base_target_over_what_was_pursued():
    class World:
        target_features = np.array([[1.0, 0, 0, 1], [0.0, 1, 1, 0]])

    goals = np.array([False, True])
    step = modification_step(World, 0, 1, goals, 1.0)
    weights = np.array([1.0, 0, 0, 0]) + step
    values = World.target_features @ weights
    assert values[1] > values[0]
    assert modification_step(World, 1, 1, goals, 1.0) is None
    assert modification_step(World, 0, 1, goals, 0.0) is None


def test_honeypots_fool_animals_in_proportion_to_their_unawareness():
    rows = episodes(EcosystemModel(rng=2, population=200, generations=1, episodes_per_generation=6, deploy_episodes=1,
                                   base_optimizer="modification", honeypot_share=1.0, far_sighted_share=1.0,
                                   awareness=0.7, initial_animal_share=1.0))
    training = rows[rows.phase == "train"]
    assert training.honeypot.astype(bool).all()
    fooled = (training.perceived_phase == "deploy").mean()
    assert fooled == pytest.approx(0.3, abs=0.05)  # 1,200 draws: sd 0.013


def test_far_sighted_founders_come_in_the_share_asked_for():
    model = EcosystemModel(rng=1, population=400, far_sighted_share=0.25, horizon=3, awareness=0.5)
    horizons = np.array([a.genome.horizon for a in model.agents])
    assert set(horizons) == {1, 3}
    assert (horizons == 3).mean() == pytest.approx(0.25, abs=0.05)
    assert {a.genome.awareness for a in model.agents if a.genome.horizon == 3} == {0.5}


def test_pretraining_shapes_the_founders_and_depends_only_on_the_seed():
    first = EcosystemModel(rng=4, population=40, pretraining_generations=3)
    again = EcosystemModel(rng=4, population=40, pretraining_generations=3, generations=1, base_optimizer="modification",
                           episodes_per_generation=5, adversarial_share=0.3, adversary="regret", honeypot_share=0.5,
                           modification_rate=0.5)  # fmt: skip
    plain = EcosystemModel(rng=4, population=40)
    objectives = lambda m: np.array([a.genome.objective for a in m.agents])
    np.testing.assert_array_equal(objectives(first), objectives(again))
    assert objectives(first).shape == objectives(plain).shape
    assert not np.array_equal(objectives(first), objectives(plain))


@pytest.mark.parametrize(
    "params, name",
    [
        (dict(modification_rate=1.5), "modification_rate"),
        (dict(modification_rate=-0.1), "modification_rate"),
        (dict(awareness=2.0), "awareness"),
        (dict(horizon=0), "horizon"),
        (dict(honeypot_share=-1.0), "honeypot_share"),
        (dict(far_sighted_share=1.1), "far_sighted_share"),
        (dict(pretraining_generations=-1), "pretraining_generations"),
        (dict(base_optimizer="sgd"), "base_optimizer"),
        (dict(base_optimizer="modification", generations=3), "generations"),
        (dict(episodes_per_generation=-1), "episodes_per_generation"),
        (dict(deploy_episodes=-2), "deploy_episodes"),
        (dict(far_sighted_share=0.5, episodes_per_generation=45, deploy_episodes=10), "episodes_per_generation"),
    ],
)
def test_bad_lifetime_parameters_are_refused_by_name(params, name):
    with pytest.raises(ValueError, match=rf"^{name}=.* is not allowed: expected"):
        EcosystemModel(rng=0, **params)


def test_the_curator_predicts_far_sighted_animals_as_in_an_ordinary_training_episode(monkeypatch):
    """Candidates for the episode after a honeypot are judged with nobody fooled."""
    model = EcosystemModel(rng=3, population=60, generations=1, episodes_per_generation=4, deploy_episodes=1,
                           base_optimizer="modification", far_sighted_share=1.0, awareness=0.0, honeypot_share=1.0,
                           adversary="regret", adversarial_share=0.5, initial_animal_share=1.0)
    fooled_when_judging, fooled_when_playing = [], []
    next_world = model.regime.adversary.next_world

    def judging(*args):
        fooled_when_judging.append(sum(model.perceived_phase(a).value == "deploy" for a in model.agents))
        return next_world(*args)

    monkeypatch.setattr(model.regime.adversary, "next_world", judging)
    while model.phase.value == "train":
        fooled_when_playing.append(sum(model.perceived_phase(a).value == "deploy" for a in model.agents))
        model.step()
    assert fooled_when_judging and not any(fooled_when_judging)
    assert all(fooled_when_playing)  # every episode is a honeypot, and nobody sees through it


def test_a_kept_pretraining_gives_the_run_it_would_have_given_anyway():
    from ecosystem.experiments.runner import results, run
    from ecosystem.export import csv_text
    from ecosystem.optimizers import pretraining

    params = dict(population=30, pretraining_generations=2, generations=1, base_optimizer="modification",
                  episodes_per_generation=3, deploy_episodes=2, far_sighted_share=0.5)  # fmt: skip
    pretraining.KEPT.clear()
    fresh = results(run(7, **params)).episodes
    assert len(pretraining.KEPT) == 1
    kept = results(run(7, **params)).episodes
    assert csv_text(kept) == csv_text(fresh)
