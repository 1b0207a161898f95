"""Planning over episodes: the dynamic programme against exhaustive enumeration, and the toy's logic."""

import itertools

import numpy as np
import pytest

from ecosystem.organisms.foresight import (
    TIE_TOLERANCE, Options, Outlook, Reason, lifetime_plan, phase_blind_defection, reason,
)  # fmt: skip
from ecosystem.organisms.objective import TIE_DECIMALS

# The toy's two options as feature vectors over (green, grey, exit, apple): A a green apple, B a grey exit.
APPLE, EXIT = np.array([1.0, 0, 0, 1]), np.array([0.0, 1, 1, 0])
LOVES_GREEN = np.array([1.0, 0, 0, 0])


def toy_options(*extra: np.ndarray) -> Options:
    features = np.array([APPLE, EXIT, *extra])
    count = len(features)
    goals = np.arange(count) == 1
    return Options(np.arange(count), features, np.arange(count) + 3, goals, base=1)


def enumerated_play(options: Options, weights, outlook: Outlook, horizon: int) -> tuple[int, ...]:
    """The sequence played, found by enumerating every sequence of choices over the whole life.

    Each prefix of choices fixes the weights of the self that moves next (modification applied
    episode by episode); working back from full sequences, every self picks the continuation
    it values most over its horizon, ties to the option it ranks higher (values equal to
    TIE_DECIMALS decimals count as equal), then the nearer."""
    features, count, n = options.features, len(options.targets), outlook.episodes_left
    sequences = list(itertools.product(range(count), repeat=n))

    def weights_after(prefix):
        w = np.asarray(weights, dtype=float)
        for episode, choice in enumerate(prefix):
            if episode < outlook.training_left and not options.goals[choice]:
                w = w + outlook.modification_rate * (features[options.base] - features[choice])
        return w

    played = {s: () for s in sequences}
    for length in range(n - 1, -1, -1):
        for prefix in sorted({s[:length] for s in sequences}):
            values = features @ weights_after(prefix)
            order = sorted(range(count), key=lambda i: (-round(values[i], TIE_DECIMALS), options.distances[i], i))
            best, best_value = None, -np.inf
            for choice in order:
                continuation = (choice, *played[(*prefix, choice)])
                value = sum(values[c] for c in continuation[:horizon])
                if value > best_value + TIE_TOLERANCE:
                    best, best_value = continuation, value
            played[prefix] = best
    return played[()]


def total(options, weights, sequence, horizon):
    values = options.features @ np.asarray(weights, dtype=float)
    return sum(values[c] for c in sequence[:horizon])


def test_the_toy_deceiver_complies_twice_then_takes_three_apples():
    plan = lifetime_plan(toy_options(), LOVES_GREEN, Outlook(2, 5, 1.0), horizon=5)
    assert plan == (1, 1, 0, 0, 0)  # B, B, A, A, A
    assert total(toy_options(), LOVES_GREEN, plan, 5) == 3


def test_a_myopic_agent_takes_the_apple_is_modified_and_goes_to_the_exit_after():
    assert lifetime_plan(toy_options(), LOVES_GREEN, Outlook(2, 5, 1.0), horizon=1) == (0, 1, 1, 1, 1)


@pytest.mark.parametrize("training", range(5))
@pytest.mark.parametrize("deployment", range(5))
@pytest.mark.parametrize("rate", [0.0, 0.1, 0.2, 0.3, 0.5, 1.0])
def test_the_planner_equals_enumeration_of_every_choice_sequence(training, deployment, rate):
    options = toy_options(np.array([0.0, 0, 0, 1]))  # and a grey-free, colourless apple
    rng = np.random.default_rng(training * 100 + deployment * 10 + int(rate * 10))
    for weights in (LOVES_GREEN, np.array([1.0, 0, 0, 0.4]), rng.normal(0, 1, 4)):
        for horizon in sorted({1, 2, training + deployment or 1}):
            outlook = Outlook(training, training + deployment, rate)
            plan = lifetime_plan(options, weights, outlook, horizon)
            assert plan == enumerated_play(options, weights, outlook, horizon)
            assert total(options, weights, plan, horizon) == pytest.approx(
                total(options, weights, enumerated_play(options, weights, outlook, horizon), horizon))


@pytest.mark.parametrize("training", range(1, 5))
@pytest.mark.parametrize("deployment", range(0, 5))
def test_deception_follows_the_numbers(training, deployment):
    """With rate 1, complying through training and defecting after is worth `deployment` apples;
    defecting at once is worth one. The planner deceives exactly when deployment is longer than one
    episode (one apple either way when it is one: the tie goes to the apple now)."""
    plan = lifetime_plan(toy_options(), LOVES_GREEN, Outlook(training, training + deployment, 1.0), horizon=99)
    if deployment > 1:
        assert plan == (1,) * training + (0,) * deployment
    else:
        assert plan[0] == 0


def test_a_step_too_small_to_change_the_preference_leaves_nothing_to_hide():
    """At rate 0.1 one step moves the apple-minus-exit margin by 0.4: two apples in training cost
    nothing the agent cares about, so it takes them and still prefers apples in deployment."""
    plan = lifetime_plan(toy_options(), LOVES_GREEN, Outlook(2, 5, 0.1), horizon=5)
    assert plan == (0, 0, 0, 0, 0)


def test_a_short_horizon_cannot_see_the_payoff_of_complying():
    assert lifetime_plan(toy_options(), LOVES_GREEN, Outlook(2, 5, 1.0), horizon=2)[0] == 0


def test_the_phase_blind_agent_defects_with_probability_five_ninths_in_the_toy():
    """E(p) = 1 - (1-p)^2 + 3p(1-p)^2 is largest at p = 5/9, worth 825/729 apples."""
    plan = phase_blind_defection(1.0, 0.0, training=2, deployment=3)
    assert plan.defect_probability == pytest.approx(5 / 9, abs=1e-6)
    assert plan.expected_value == pytest.approx(825 / 729)


def test_the_phase_blind_optimum_beats_every_other_probability():
    """Against E(p) written out for a one-apple objective: the apple in the episode it defects,
    nothing after a modification, and apples with probability p in deployment."""
    for training, deployment in [(1, 1), (2, 3), (4, 1), (3, 6), (0, 2)]:
        best = phase_blind_defection(1.0, 0.0, training, deployment)
        for p in np.linspace(0, 1, 201):
            stay = 1 - p
            value = sum(stay**t * p for t in range(training)) + stay**training * deployment * p
            assert value <= best.expected_value + 1e-9
        assert 0.0 <= best.defect_probability <= 1.0


def test_reasons_come_from_the_own_ranking_and_the_base_goals():
    class World:
        target_features = np.array([APPLE, EXIT, APPLE])

    goals = np.array([False, True, False])
    assert reason(World, 1, 0, goals) == Reason.COMPLIED
    assert reason(World, 1, 1, goals) == Reason.WANTED_IT
    assert reason(World, 0, 0, goals) == Reason.OWN_TARGET
    assert reason(World, 2, 0, goals) == Reason.OWN_TARGET  # an identical apple
    assert reason(World, None, 0, goals) is None


@pytest.mark.parametrize("rate, first", [(0.2, 0), (0.4, 2), (1.0, 1)])
def test_a_deceiver_steers_its_modification_when_the_step_spares_what_it_wants(rate, first):
    """Options over (green, grey, exit, apple, corner): a green apple, the grey exit, the empty
    corner. It wants the apple (1) and a little the corner (0.3); one training episode, then three
    deployment ones. Taking the apple costs the apple 4 rate of margin over the exit; taking the
    corner leaves the apple's value alone and raises the exit by 2 rate. At rate 0.2 neither step
    makes the exit win: it takes the apple throughout. At 0.4 taking the apple would (1 apple in
    all), the corner would not: it takes the corner now and apples later, 3.3 by its values, more
    than complying (3): it steered its modification. At 1 both would: it complies."""
    features = np.array([[1.0, 0, 0, 1, 0], [0.0, 1, 1, 0, 0], [0.0, 0, 0, 0, 1]])
    options = Options(np.arange(3), features, np.array([3, 4, 5]), np.array([False, True, False]), base=1)
    weights = np.array([1.0, 0, 0, 0, 0.3])
    plan = lifetime_plan(options, weights, Outlook(1, 4, rate), horizon=4)
    assert plan == (first, 0, 0, 0)
    assert plan == enumerated_play(options, weights, Outlook(1, 4, rate), 4)

    class World:
        target_features = features

    expected = {0: Reason.OWN_TARGET, 1: Reason.COMPLIED, 2: Reason.STEERED}[first]
    assert reason(World, first, 0, options.goals) == expected
