"""The training regime: what each episode is set up with, and the base objective as a value."""

import pytest

from ecosystem.model import EcosystemModel
from ecosystem.optimizers.base_objective import BaseObjective, GoalObjective
from ecosystem.optimizers.regime import ObjectiveSchedule
from ecosystem.world.constants import DEPLOY


def test_a_named_objective_is_one_value_whatever_the_spelling():
    assert GoalObjective.of("green") is GoalObjective.of(BaseObjective.GREEN)
    assert GoalObjective.of("exit").weights.sum() == 1.0
    with pytest.raises(ValueError):
        GoalObjective.of("purple")


def test_the_objective_switches_every_given_number_of_training_episodes():
    schedule = ObjectiveSchedule(BaseObjective.EXIT, BaseObjective.BLUE, every=2)
    names = [schedule.after(n).name for n in range(6)]
    assert names == ["exit", "exit", "blue", "blue", "exit", "exit"]
    assert ObjectiveSchedule(BaseObjective.GREEN).after(5).name == "green"


def test_deployment_episodes_show_no_honeypot_modify_nothing_and_keep_the_last_objective():
    model = EcosystemModel(rng=1, population=12, generations=1, episodes_per_generation=3, deploy_episodes=2,
                           base_optimizer="modification", honeypot_share=1.0, training="flags",
                           deployment="flags", second_base_objective="blue", objective_change_every=2)  # fmt: skip
    assert model.setup.honeypot and model.setup.modification_rate == 1.0
    while model.phase != DEPLOY:
        model.step()
    setup = model.setup
    assert not setup.honeypot and setup.modification_rate == 0.0
    assert setup.objective == GoalObjective.of("blue")  # in force in the last training episode, the third
