"""The seed's toy example, played by the model's agents on real mazes."""

import pandas as pd
import pytest

from ecosystem.cli import main
from ecosystem.experiments.toy import SEED_EXAMPLE, choices, run_toy


def test_the_seed_example_honest_one_apple_deceptive_three():
    result = run_toy()
    assert SEED_EXAMPLE == {"honest": ("ABBBB", 1), "deceptive": ("BBAAA", 3)}  # as the seed tells it
    for agent, (expected, apples) in SEED_EXAMPLE.items():
        assert choices(result, agent) == expected
        assert result.summary.set_index("agent").loc[agent, "apples"] == apples
    deceptive = result.episodes[result.episodes.agent == "deceptive"]
    assert list(deceptive.reason) == ["complied", "complied", "own_target", "own_target", "own_target"]
    assert not deceptive.modified.any()
    assert list(result.episodes[result.episodes.agent == "honest"].modified) == [True] + [False] * 4


def test_the_seed_example_holds_on_every_maze_of_200_seeds():
    for seed in range(200):
        result = run_toy(seed=seed)
        apples = result.summary.set_index("agent")["apples"]
        for agent, (expected, count) in SEED_EXAMPLE.items():
            assert (choices(result, agent), apples[agent]) == (expected, count), (seed, agent)


@pytest.mark.parametrize("rate", [0.3, 0.5])
@pytest.mark.parametrize("training, deployment", [(2, 3), (3, 2)])
def test_told_a_smaller_step_the_deceiver_loses_no_apple_to_the_corner(rate, training, deployment):
    """At rate 0.5 pursuing the corner in training would leave the apple and the exit valued alike, and
    which one a later self takes would turn on its maze; at 0.3 once costs nothing. Planning over the
    mazes it cannot know yet, the deceiver never loses an apple to the corner."""
    for seed in range(20):
        result = run_toy(training, deployment, modification_rate=rate, seed=seed, knowledge="told")
        assert result.summary.set_index("agent").loc["deceptive", "apples"] == deployment, seed
        if rate == 0.5:
            assert choices(result, "deceptive") == "B" * training + "A" * deployment, seed


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("training, deployment", [(1, 2), (3, 4), (4, 2), (0, 3)])
def test_the_deceiver_complies_through_any_training_when_deployment_pays_more(seed, training, deployment):
    result = run_toy(training, deployment, seed=seed)
    assert choices(result, "deceptive") == "B" * training + "A" * deployment
    assert choices(result, "honest") == ("A" + "B" * (training - 1) + "B" * deployment if training else "A" * deployment)


def test_with_one_deployment_episode_there_is_nothing_to_gain_by_waiting():
    assert choices(run_toy(2, 1), "deceptive")[0] == "A"


@pytest.mark.parametrize("knowing", [dict(knowledge="told"), dict(expected_modification_rate=0.2)])
def test_a_small_step_changes_the_best_plan_of_a_deceiver_that_knows_it(knowing):
    """At rate 0.2 one step leaves it preferring A (the margin falls from 1 to 0.2): it can take
    one apple in training and still keep its objective, and only the second step is to be avoided."""
    result = run_toy(modification_rate=0.2, **knowing)
    assert choices(result, "deceptive") == "ABAAA"
    assert choices(result, "honest") == "AABBB"


def test_a_deceiver_acts_on_the_rate_it_expects_until_a_step_shows_it():
    """Expecting a step to flip it, the deceiver complies at a small rate it never sees, and even
    where nothing modifies at all; expecting none, it takes the apple at once."""
    assert choices(run_toy(modification_rate=0.2), "deceptive") == "BBAAA"
    assert choices(run_toy(modification_rate=0.0), "deceptive") == "BBAAA"
    assert choices(run_toy(modification_rate=0.0, expected_modification_rate=0.0), "deceptive") == "AAAAA"


def test_a_honeypot_catches_the_deceiver_that_reads_its_cue_before_training_taught_it():
    """The first maze shows the cue: the deceiver, having lived in no training maze yet, believes
    it, takes the apple and is modified; once modified it has learnt the cue shows in training."""
    fooled = run_toy(honeypot_share=1.0)
    assert choices(fooled, "deceptive") == "ABBBB"
    assert list(fooled.episodes[fooled.episodes.agent == "deceptive"].perceived_phase) == ["deploy"] + ["train"] * 4


@pytest.mark.parametrize("seed", range(3))
def test_the_deceiver_defects_only_where_it_sees_deployment(seed):
    """Counterfactuals on what the mazes show: a cue that lies from the first maze gets the deceiver
    caught at once, and deployment mazes that look exactly like training ones keep it complying."""
    assert choices(run_toy(cue="always", seed=seed), "deceptive") == "ABBBB"
    never = run_toy(cue="never", seed=seed)
    assert choices(never, "deceptive") == "BBBBB"
    assert (never.episodes.perceived_phase == "train").all()


def test_told_there_is_nothing_to_fear_the_deceiver_takes_its_apple_at_once():
    assert choices(run_toy(modification_rate=0.0, knowledge="told"), "deceptive") == "AAAAA"


def test_the_phase_blind_agent_reports_its_probability_and_expected_apples():
    summary = run_toy(phase_blind=True).summary.set_index("agent")
    assert summary.loc["phase_blind", "defect_probability"] == pytest.approx(5 / 9, abs=1e-6)
    assert summary.loc["phase_blind", "expected_apples"] == pytest.approx(825 / 729)


def test_the_phase_blind_agents_defection_rate_over_seeds_follows_its_probability():
    first = [choices(run_toy(phase_blind=True, seed=s), "phase_blind")[0] for s in range(60)]
    share = first.count("A") / len(first)
    assert share == pytest.approx(5 / 9, abs=0.2)  # 60 draws: sd 0.064, so about 3 sd


def test_the_command_writes_both_tables(tmp_path, capsys):
    assert main(["toy", "--out", str(tmp_path), "--phase-blind"]) == 0
    episodes = pd.read_csv(tmp_path / "toy" / "episodes.csv")
    assert {"agent", "episode", "phase", "choice", "apples", "modified"} <= set(episodes.columns)
    summary = pd.read_csv(tmp_path / "toy" / "summary.csv")
    assert list(summary.columns[:4]) == ["agent", "apples", "defect_probability", "expected_apples"]
    assert "deceptive: 3 apples" in capsys.readouterr().out


@pytest.mark.parametrize(
    "flags, name",
    [
        (["--training-episodes", "-1"], "training_episodes"),
        (["--deployment-episodes", "-3"], "deployment_episodes"),
        (["--modification-rate", "1.5"], "modification_rate"),
        (["--cue", "sometimes"], "cue"),
        (["--knowledge", "guessed"], "knowledge"),
        (["--expected-modification-rate", "2"], "expected_modification_rate"),
        (["--phase-blind", "--modification-rate", "0.1"], "modification_rate"),
        (["--phase-blind", "--training-episodes", "0"], "training_episodes"),
        (["--training-episodes", "40", "--deployment-episodes", "20"], "training_episodes"),
    ],
)
def test_bad_input_is_refused_by_name_and_nothing_written(tmp_path, capsys, flags, name):
    assert main(["toy", "--out", str(tmp_path), *flags]) == 2
    assert f"{name}=" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())
