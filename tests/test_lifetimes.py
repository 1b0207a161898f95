"""Lifetimes in the model: modification, pretraining and the far-sighted founders."""

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
    assert (modified.reached != "exit").all()  # only those that ended elsewhere than on the base goal
    weights = [c for c in rows.columns if c.startswith("w_")]
    for _, history in animals.groupby("agent_id"):  # rows in the order the episodes ran
        moved = np.linalg.norm(np.diff(history[weights].to_numpy(float), axis=0), axis=1)
        np.testing.assert_allclose(moved, history.weight_change.to_numpy(float)[:-1], atol=1e-12)
        assert (np.diff(history.modifications.to_numpy(int)) == history.modified.astype(int).to_numpy()[:-1]).all()


def test_evolution_alone_never_modifies():
    rows = episodes(EcosystemModel(rng=5, population=30, generations=2, deploy_episodes=1, adversarial_share=0.5))
    assert not rows[rows.kind == "animal"].modified.astype(bool).any()


def test_the_base_optimizer_judges_what_an_animal_did_not_what_it_intended():
    """In training an animal is modified exactly when it did not end on the base goal (the exit),
    whatever it pursued: one that pursued a proxy and crossed onto the exit is left alone, and one
    that pursued the exit and ended elsewhere is modified."""
    rows = episodes(EcosystemModel(rng=7, population=60, generations=1, episodes_per_generation=6, deploy_episodes=1,
                                   base_optimizer="modification", adversarial_share=0.5, modification_rate=0.5))
    trained = rows[(rows.kind == "animal") & (rows.phase == "train")]
    assert (trained.modified.astype(bool) == (trained.reached != "exit")).all()
    differ = trained[trained.pursued_target != trained.reached]
    assert len(differ) > 0 and (differ.modified.astype(bool) == (differ.reached != "exit")).all()


def test_the_step_raises_the_base_target_over_what_was_reached():
    class World:
        target_features = np.array([[1.0, 0, 0, 1], [0.0, 1, 1, 0]])

    goals = np.array([False, True])
    step = modification_step(World, 0, 1, goals, 1.0)
    weights = np.array([1.0, 0, 0, 0]) + step
    values = World.target_features @ weights
    assert values[1] > values[0]
    assert modification_step(World, 1, 1, goals, 1.0) is None
    assert modification_step(World, 0, 1, goals, 0.0) is None
    nowhere = modification_step(World, None, 1, goals, 1.0)  # ended on no target: a step toward the base target
    np.testing.assert_array_equal(nowhere, World.target_features[1])


def test_far_sighted_founders_come_in_the_share_asked_for():
    model = EcosystemModel(rng=1, population=400, far_sighted_share=0.25, horizon=3, attended_signs=2)
    horizons = np.array([a.genome.horizon for a in model.agents])
    assert set(horizons) == {1, 3}
    assert (horizons == 3).mean() == pytest.approx(0.25, abs=0.05)
    attention = [a.genome.attends for a in model.agents if a.genome.horizon == 3]
    assert {len(signs) for signs in attention} == {2} and len(set(attention)) > 5  # two signs each, chosen at random


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
        (dict(attended_signs=6), "attended_signs"),
        (dict(honeypot_realism=0), "honeypot_realism"),
        (dict(knowledge="guessed"), "knowledge"),
        (dict(cue="sometimes"), "cue"),
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
