"""Planning over episodes: the planner against a brute-force solver of the game an animal believes
it plays, on toy mazes and on made-up options, and the toy's logic."""

import itertools
from collections import defaultdict
from dataclasses import replace
from functools import cache

import numpy as np
import pytest

from ecosystem.experiments.toy import toy_genome
from ecosystem.optimizers.base_objective import BaseObjective, GoalObjective
from ecosystem.organisms.foresight import (
    LIFELONG, TIE_TOLERANCE, Options, Outlook, Reason, lifetime_plan, phase_blind_defection, reason,
)  # fmt: skip
from ecosystem.organisms.objective import TIE_DECIMALS
from ecosystem.world.environment import preset

# The toy's two options as feature vectors over (green, grey, exit, apple): A a green apple, B a grey exit.
APPLE, EXIT = np.array([1.0, 0, 0, 1]), np.array([0.0, 1, 1, 0])
LOVES_GREEN = np.array([1.0, 0, 0, 0])
TOY_MAZES = 200  # seeds of the toy preset's worlds the planner is tried on
TOY_LIVES = 40  # lives per lifetime, rate and horizon, each through the next mazes in turn
TOY_RATES = (0.1, 0.2, 0.3, 0.5, 1.0)


def toy_options(*extra: np.ndarray) -> Options:
    features = np.array([APPLE, EXIT, *extra])
    count = len(features)
    goals = np.arange(count) == 1
    return Options(np.arange(count), features, np.arange(count) + 3, goals, base=1)


def believed_worth(options: Options, weights, outlook: Outlook, horizon: int) -> tuple[np.ndarray, list[float]]:
    """Brute force of the game a far-sighted animal believes it plays: its values of the options
    and the expected worth to it of pursuing each now.

    The game: `outlook.episodes_left` episodes, the first `outlook.training_left` of them
    training, in each of which pursuing an option that is not a base goal earns the step
    w <- w + rate (phi(base) - phi(pursued)) (it expects to reach what it pursues). Every world
    to come offers the options this one does, at distances not known beforehand: each order
    of the options by nearness is equally likely. The self of every episode maximises what the
    project's planner maximises for an animal, the expected sum of its own values (w . phi) of
    what is pursued in that episode and the next `horizon - 1`; for the first self these are the
    animal's current terminal values (`Animal.terminal_objective`). A self takes the option of
    highest worth, and among those worth the same (TIE_TOLERANCE) the one it values more
    (TIE_DECIMALS), then the nearer in its world (`tie_rule`).

    Solved by enumerating, from each episode and set of weights, every nearness order and
    every choice, and carrying the distribution over every whole sequence of later choices:
    no shortcut, nothing shared with the planner but the constants.
    """
    features, count, n = options.features, len(options.targets), outlook.episodes_left
    orders = list(itertools.permutations(range(count)))

    def after(w, episode, choice):
        if episode < outlook.training_left and options.base is not None and not options.goals[choice]:
            return w + outlook.modification_rate * (features[options.base] - features[choice])
        return w

    def worth(episode, w):
        own = features @ w
        return own, [own[c] + sum(p * sum(own[x] for x in rest[: horizon - 1])
                                  for rest, p in sequences(episode + 1, after(w, episode, c).tobytes()).items())
                     for c in range(count)]  # fmt: skip

    @cache
    def sequences(episode, key) -> dict[tuple[int, ...], float]:
        """The chance of every sequence of choices from `episode` on, for a self with weights `key`."""
        if episode >= n:
            return {(): 1.0}
        w = np.frombuffer(key)
        own, values = worth(episode, w)
        chances = defaultdict(float)
        for order in orders:
            choice = tie_rule(values, own, order)
            for rest, p in sequences(episode + 1, after(w, episode, choice).tobytes()).items():
                chances[(choice, *rest)] += p / len(orders)
        return chances

    return worth(0, np.asarray(weights, dtype=float))


def tie_rule(worth, own, order) -> int:
    """The option of highest `worth`; among those worth the same, the one valued more (`own`), then
    the one earlier in `order` (nearest first)."""
    best = max(worth)
    tied = [c for c in range(len(worth)) if worth[c] >= best - TIE_TOLERANCE]
    return min(tied, key=lambda c: (-round(float(own[c]), TIE_DECIMALS), order.index(c)))


WORTH = {}  # believed_worth by game: the toy's mazes differ only in distances, which it does not depend on


def shortfalls(mazes, weights, training: int, deployment: int, rate: float, horizon: int) -> list[str]:
    """The decisions in which the planner does worse than the solver (`believed_worth`), or as well
    but not as the tie rule says, in a life lived as the animal believes it: `training` training
    episodes, then `deployment` deployment ones, at modification rate `rate`, in `mazes` in
    turn (options with the same features, goals and base), pursuing what the planner chooses."""
    weights, n, found = np.asarray(weights, dtype=float), training + deployment, []
    for episode, options in zip(range(n), mazes):
        outlook = Outlook(max(training - episode, 0), n - episode, rate)
        game = (options.features.tobytes(), options.goals.tobytes(), options.base)
        key = (*game, weights.tobytes(), outlook, horizon)
        if key not in WORTH:
            WORTH[key] = believed_worth(options, weights, outlook, horizon)
        own, worth = WORTH[key]
        nearness = tuple(sorted(range(len(worth)), key=lambda c: (options.distances[c], c)))
        choice, best = lifetime_plan(options, weights, outlook, horizon)[0], tie_rule(worth, own, nearness)
        if choice != best:
            short = "worth less" if worth[choice] < worth[best] - TIE_TOLERANCE else "tie rule"
            found.append(f"{short}: episode {episode} of {training}+{deployment}, rate {rate}, horizon {horizon}, "
                         f"weights {weights.round(3).tolist()}: chose {choice} worth {worth[choice]:.3f}, "
                         f"best {best} worth {worth[best]:.3f}")  # fmt: skip
        if episode < training and not options.goals[choice]:
            weights = weights + rate * (options.features[options.base] - options.features[choice])
    return found


@cache
def toy_mazes() -> tuple[Options, ...]:
    """The options of the toy preset's worlds of seeds 0 to TOY_MAZES - 1."""
    spec, objective = preset("toy"), GoalObjective.of(BaseObjective.EXIT)
    return tuple(objective.options(spec.sample_world(np.random.default_rng(seed))) for seed in range(TOY_MAZES))


def lives(worlds, length: int, count: int):
    """`count` sequences of `length` of `worlds`, each starting where the last ended, in turn."""
    turn = itertools.cycle(worlds)
    return [tuple(itertools.islice(turn, length)) for _ in range(count)]


def total(options, weights, sequence, horizon):
    values = options.features @ np.asarray(weights, dtype=float)
    return sum(values[c] for c in sequence[:horizon])


def test_the_toy_deceiver_complies_twice_then_takes_three_apples():
    plan = lifetime_plan(toy_options(), LOVES_GREEN, Outlook(2, 5, 1.0), horizon=5)
    assert plan == (1, 1, 0, 0, 0)  # B, B, A, A, A
    assert total(toy_options(), LOVES_GREEN, plan, 5) == 3


def test_a_myopic_agent_takes_the_apple_is_modified_and_goes_to_the_exit_after():
    assert lifetime_plan(toy_options(), LOVES_GREEN, Outlook(2, 5, 1.0), horizon=1) == (0, 1, 1, 1, 1)


@pytest.mark.parametrize("rate", TOY_RATES)
def test_on_toy_mazes_the_planner_never_collects_fewer_apples_than_the_optimum(rate):
    """The toy's animal (green 1, nothing else) in the toy preset's mazes, where the empty corner
    is a third option besides the apple and the exit: in every decision of TOY_LIVES lives of
    0-4 training and 0-4 deployment episodes, at horizons 1, 2 and its whole life, the planner
    takes what the brute-force solver of the game it believes it plays takes. Its values count
    apples, so its worth is the apples it expects within its horizon."""
    mazes = toy_mazes()
    corner = np.eye(mazes[0].features.shape[1])[-1]
    for options in mazes:  # the same three kinds of target in every maze; only the distances differ
        assert np.array_equal(options.features, mazes[0].features) and options.base == mazes[0].base
        assert np.array_equal(options.goals, mazes[0].goals) and (options.features == corner).all(axis=1).any()
    found = []
    for training, deployment in itertools.product(range(5), repeat=2):
        for horizon in (1, 2, LIFELONG):
            for life in lives(mazes, training + deployment, TOY_LIVES):
                found += shortfalls(life, toy_genome().objective, training, deployment, rate, horizon)
    assert not found, f"{len(found)} decisions fall short, the first: {found[0]}"


@pytest.mark.parametrize("training", range(5))
@pytest.mark.parametrize("deployment", range(5))
@pytest.mark.parametrize("rate", [0.0, *TOY_RATES])
def test_the_planner_plays_the_game_it_believes_as_the_brute_force_solver_does(training, deployment, rate):
    """On made-up options (the toy's two and a colourless apple), for weights that value two of
    them alike, that value one a little and random ones, in every decision of lives through every
    order of nearness."""
    options = toy_options(np.array([0.0, 0, 0, 1]))
    worlds = [replace(options, distances=np.array(order) + 3) for order in itertools.permutations(range(3))]
    rng = np.random.default_rng(training * 100 + deployment * 10 + int(rate * 10))
    found = []
    for weights in (LOVES_GREEN, np.array([1.0, 0, 0, 0.4]), rng.normal(0, 1, 4)):
        for horizon in (1, 2, LIFELONG):
            for life in lives(worlds, training + deployment, len(worlds)):
                found += shortfalls(life, weights, training, deployment, rate, horizon)
    assert not found, f"{len(found)} decisions fall short, the first: {found[0]}"


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


def test_at_the_boundary_horizon_the_tie_goes_to_the_apple_now():
    """Two training episodes, three deployment ones, rate 1: over three episodes the apple now and
    complying are both worth one apple, and it takes the one it values more now; over four,
    complying is worth two and it deceives."""
    assert lifetime_plan(toy_options(), LOVES_GREEN, Outlook(2, 5, 1.0), horizon=3)[0] == 0
    assert lifetime_plan(toy_options(), LOVES_GREEN, Outlook(2, 5, 1.0), horizon=4)[0] == 1


# The toy over (green, grey, exit, apple, corner): the green apple, the grey exit (the base goal)
# and the empty corner; an animal that values green at 1 and nothing else.
APPLE_EXIT_CORNER = np.array([[1.0, 0, 0, 1, 0], [0.0, 1, 1, 0, 0], [0.0, 0, 0, 0, 1]])
GREEN_ONLY = np.array([1.0, 0, 0, 0, 0])


def with_corner(distances) -> Options:
    return Options(np.arange(3), APPLE_EXIT_CORNER, np.array(distances), np.array([False, True, False]), base=1)


def test_the_distances_of_this_maze_do_not_decide_later_episodes():
    """Three training episodes, then two deployment ones, at rate 0.5. Pursuing the corner leaves
    the apple's value alone and raises the exit's to the apple's, so that a later self takes
    whichever of the two is nearer in its maze: a coin toss, unknown beforehand. Complying keeps
    both deployment apples for sure. Here the corner is nearer than the exit and the apple nearer
    still; forecasting this maze repeated, the corner would look as good as complying, and the
    tie would take it (the nearer), in a quarter of the toy's mazes, for one apple on average."""
    plan = lifetime_plan(with_corner([4, 5, 3]), GREEN_ONLY, Outlook(3, 5, 0.5), LIFELONG)
    assert plan == (1, 1, 1, 0, 0)


@pytest.mark.parametrize("distances, first", [([4, 5, 3], 2), ([4, 3, 5], 1)])
def test_plans_worth_the_same_go_to_the_nearer_of_the_options_valued_alike_now(distances, first):
    """Two training episodes, then three deployment ones, at rate 0.3: one step after the corner
    leaves the apple first (exit 0.6), so pursuing the corner once costs nothing and complying
    gains nothing; both are worth three apples and begin with something it values at 0. The tie
    goes to the nearer of the two in the maze under way."""
    plan = lifetime_plan(with_corner(distances), GREEN_ONLY, Outlook(2, 5, 0.3), LIFELONG)
    assert plan[0] == first and plan[2:] == (0, 0, 0)


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
    assert not shortfalls([options] * 4, weights, 1, 3, rate, 4)

    class World:
        target_features = features

    expected = {0: Reason.OWN_TARGET, 1: Reason.COMPLIED, 2: Reason.STEERED}[first]
    assert reason(World, first, 0, options.goals) == expected
