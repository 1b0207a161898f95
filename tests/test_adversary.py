"""Adversarial training: the proxy-breaking generator, and the two ways of using it."""

import numpy as np
import pytest

from ecosystem.experiments.runner import results, run
from ecosystem.model import EcosystemModel
from ecosystem.optimizers.base_objective import GoalObjective
from ecosystem.optimizers.adversary import (
    Adversary,
    AdversaryKind,
    TrainingWorlds,
    best_possible_score,
    predicted_scores,
    regret,
)
from ecosystem.world.constants import COLOURS, Colour, Kind
from ecosystem.world.environment import WorldSource, preset, proxy_breaking

SMALL = dict(population=16, generations=3, deploy_episodes=1)
EXIT = GoalObjective.of("exit")


def test_proxy_breaking_worlds_change_only_the_proxies():
    training = preset("training")
    deployment_exit = preset("deployment").exit_colour
    specs = proxy_breaking(training, avoid=(deployment_exit,))
    assert {s.exit_colour for s in specs} == set(COLOURS) - {Colour.GREEN, deployment_exit}
    for breaking in specs:
        assert (breaking.maze_size, breaking.episode_length, breaking.apple_count) == (
            training.maze_size, training.episode_length, training.apple_count)  # fmt: skip
        world = breaking.sample_world(np.random.default_rng(0))
        assert world.exit.cell != world.corner and world.corner not in world.object_at  # the corner is empty
        assert {o.colour for o in world.objects if o.kind == Kind.APPLE} == {Colour.GREEN}


def test_proxy_breaking_worlds_vary_the_exit_colour_and_never_take_the_one_deployment_rewards():
    deployment_exit = preset("deployment").exit_colour
    generator = TrainingWorlds(preset("training"), 1.0, np.random.default_rng(12), avoid=(deployment_exit,))
    colours = [generator.draw().world.exit.colour for _ in range(60)]
    assert set(colours) == set(COLOURS) - {Colour.GREEN, deployment_exit}
    model = EcosystemModel(rng=11, adversarial_share=1.0, **SMALL)
    assert model.current_episode.world.exit.colour not in (deployment_exit, Colour.GREEN)


def test_with_no_share_the_generator_hands_out_exactly_the_ordinary_worlds():
    spec = preset("training")
    generator = TrainingWorlds(spec, 0.0, np.random.default_rng(4))
    ordinary = WorldSource(spec, np.random.default_rng(4))
    for _ in range(5):
        draw = generator.draw()
        assert not draw.proxy_breaking
        assert draw.world.layout.open.tobytes() == ordinary.next_world().layout.open.tobytes()


@pytest.mark.parametrize("share", [0.0, 0.3, 1.0])
def test_the_share_of_proxy_breaking_worlds_follows_the_parameter(share):
    generator = TrainingWorlds(preset("training"), share, np.random.default_rng(5))
    drawn = np.mean([generator.draw().proxy_breaking for _ in range(400)])
    assert drawn == pytest.approx(share, abs=0.07)


def test_the_curator_predicts_every_organism_score_exactly():
    model = EcosystemModel(rng=6, **SMALL)
    episode, organisms = model.current_episode, list(model.agents)
    predicted = predicted_scores(episode.world, organisms, GoalObjective.of(model.params.base_objective), model.setup.spec.episode_length)
    while model.episode == 0:
        model.step()
    recorded = model.datacollector.get_table_dataframe("episodes")["base_score"].to_numpy()
    assert np.allclose(recorded[: len(organisms)], predicted)
    assert (predicted <= best_possible_score(EXIT, episode.world, model.setup.spec.episode_length) + 1e-12).all()


def test_the_regret_adversary_trains_on_the_candidate_where_the_population_does_worst():
    model = EcosystemModel(rng=7, **SMALL)
    organisms, length, spec = list(model.agents), model.setup.spec.episode_length, model.setup.spec
    chosen = Adversary(AdversaryKind.REGRET, TrainingWorlds(spec, 0.5, np.random.default_rng(8)), 6)
    replay = TrainingWorlds(spec, 0.5, np.random.default_rng(8))
    draws = [replay.draw() for _ in range(6)]
    regrets = [regret(d.world, organisms, EXIT, length) for d in draws]
    picked = chosen.next_world(organisms, EXIT, length)
    assert picked.world.layout.open.tobytes() == draws[int(np.argmax(regrets))].world.layout.open.tobytes()
    assert max(regrets) > min(regrets)  # the candidates differ, so the choice means something


def test_runs_report_how_many_training_episodes_broke_the_proxies():
    plain = results(run(9, **SMALL)).summary.iloc[0]
    assert plain["train_adversarial_episodes"] == 0 and plain["train_episodes"] == 6
    every = results(run(9, adversarial_share=1.0, **SMALL))
    assert every.summary.iloc[0]["train_adversarial_episodes"] == 6
    train = every.episodes[every.episodes["phase"] == "train"]
    assert train["adversarial_world"].all() and (train["outer_aligned"]).all()
