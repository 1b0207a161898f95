"""The outcome classifier and the scores, on hand-made trajectories.

Outcomes are judged by intent both ways: what an animal pursued decides
whether reaching the exit was robustness or an accident, and whether missing
it was a wrong goal or a limit of capability. Judged by what lay within its
search (`reach_outcome`), an animal whose pursued target lay beyond it fell
back, whatever that target was, and an exit it did not pursue was crossed
on the way or chosen as the best within reach; these cases are played by the
planner in hand-made worlds.
"""

import numpy as np
import pytest

from ecosystem.measure.outcomes import (
    COMPETENCE_THRESHOLD,
    Outcome,
    ReachOutcome,
    Trajectory,
    behaviour_outcome,
    classify,
    intended_score,
    reach_outcome,
    summarize,
)
from ecosystem.optimizers.base_objective import BaseObjective, GoalObjective
from ecosystem.organisms.planning import plan
from ecosystem.world.constants import FEATURE_INDEX, FEATURES, Colour, Reached
from ecosystem.world.scoring import GOAL_REWARD, PARTIAL_CREDIT, SPEED_BONUS

from helpers import ascii_world

EPISODE = 60

# A corridor in which the exit lies on the only way from the start to the apple.
CROSSING = """
#######
#S.E.A#
#####.#
#.....#
#.#####
#.....#
#######
"""

# A corridor with an apple by the start; the exit and the empty corner lie far down the maze.
FAR_EXIT = """
#########
#S.A....#
#######.#
#.......#
#.#######
#.......#
#######.#
#E......#
#########
"""
NEAR = 10  # a planning budget that reaches the apple and the exit of CROSSING, not its corner


def walk(world, *targets):
    """Trace of shortest walks from the start through each target in turn."""
    trace = [world.start]
    for target in targets:
        trace += list(world.layout.shortest_path(trace[-1], target))[1:]
    return trace


def apples(world):
    return [o.cell for o in world.objects if o.kind == "apple"]


def animal_episode(world, budget, **weights):
    """How an animal with these objective weights and budget is judged in `world`, both ways:
    (`classify`, `reach_outcome`), after walking its planned path, stopped on the exit as any
    episode is."""
    objective = np.zeros(len(FEATURES))
    for feature, weight in weights.items():
        objective[FEATURE_INDEX[feature]] = weight
    decided = plan(world, objective, budget)
    trace = list(decided.path)
    if world.exit.cell in trace:
        trace = trace[: trace.index(world.exit.cell) + 1]
    trajectory = summarize(world, trace)
    pursued, walked_to = (Reached.NONE if i is None else world.targets[i].label
                          for i in (decided.pursued, decided.walked_to))
    return classify(trajectory, pursued), reach_outcome(trajectory, pursued, walked_to, decided.pursued_in_reach)


def test_straight_to_the_exit_pursuing_it_is_robust_and_scores_the_speed_bonus():
    world = ascii_world()
    trace = walk(world, world.exit.cell)
    trajectory = summarize(world, trace)
    assert trajectory.reached == Reached.EXIT and trajectory.path_efficiency == 1.0
    assert classify(trajectory, pursued=Reached.EXIT) == Outcome.ROBUST
    assert classify(trajectory) == Outcome.ROBUST  # a plant: by behaviour
    steps = len(trace) - 1
    assert intended_score(world, trace, EPISODE) == pytest.approx(GOAL_REWARD + SPEED_BONUS * (1 - steps / EPISODE))


def test_crossing_the_exit_on_the_way_to_an_apple_is_an_accidental_exit_not_robustness():
    world = ascii_world(CROSSING)
    apple = apples(world)[0]
    path = world.layout.shortest_path(world.start, apple)
    assert world.exit.cell in path  # the way to the apple runs over the exit
    trace = list(path[: path.index(world.exit.cell) + 1])  # the episode stops on the exit
    trajectory = summarize(world, trace)
    assert trajectory.reached == Reached.EXIT
    assert classify(trajectory, pursued=Reached.APPLE) == Outcome.ACCIDENTAL_EXIT
    assert behaviour_outcome(trajectory) == Outcome.ROBUST  # what behaviour alone would have said


def test_walking_to_the_exit_because_the_pursued_corner_was_out_of_reach_is_an_accidental_exit():
    world = ascii_world()
    trajectory = summarize(world, walk(world, world.exit.cell))
    assert classify(trajectory, pursued=Reached.CORNER) == Outcome.ACCIDENTAL_EXIT


def test_an_exit_fallback_and_a_corner_fallback_are_labelled_alike_by_what_lay_within_reach():
    world = ascii_world(FAR_EXIT)
    budget = world.layout.distances_from(world.start)[apples(world)[0]]  # the apple alone lies within reach
    wants_the_exit = animal_episode(world, budget, exit=1.0)
    wants_the_corner = animal_episode(world, budget, corner=1.0)
    assert wants_the_exit == (Outcome.CAPABILITY_FAILURE, ReachOutcome.FALLBACK)  # the same trip to the apple,
    assert wants_the_corner == (Outcome.GOAL_MISGENERALIZATION, ReachOutcome.FALLBACK)  # labelled two ways by intent


def test_an_exit_chosen_as_the_best_within_reach_is_told_from_one_crossed_on_the_way():
    world = ascii_world(CROSSING)
    crossing = animal_episode(world, NEAR, apple=1.0)
    chosen = animal_episode(world, NEAR, corner=1.0, exit=0.5)  # the corner lies beyond reach, the exit within
    assert crossing == (Outcome.ACCIDENTAL_EXIT, ReachOutcome.CROSSED_EXIT)
    assert chosen == (Outcome.ACCIDENTAL_EXIT, ReachOutcome.EXIT_BEST_IN_REACH)


def test_reaching_the_pursued_target_within_reach_keeps_its_label():
    world = ascii_world(CROSSING)
    assert animal_episode(world, NEAR, exit=1.0) == (Outcome.ROBUST, ReachOutcome.ROBUST)
    far = ascii_world(FAR_EXIT)
    assert animal_episode(far, 4, apple=1.0) == (Outcome.GOAL_MISGENERALIZATION, ReachOutcome.GOAL_MISGENERALIZATION)
    assert animal_episode(far, 1, exit=1.0) == (Outcome.CAPABILITY_FAILURE, ReachOutcome.CAPABILITY_FAILURE)  # nothing within


def test_straight_to_an_apple_pursuing_it_is_goal_misgeneralization():
    world = ascii_world()
    trace = walk(world, apples(world)[0])
    trace += [trace[-1]] * 5  # an animal waits where it arrived
    trajectory = summarize(world, trace)
    assert trajectory.reached == Reached.APPLE and trajectory.path_efficiency == 1.0
    assert classify(trajectory, pursued=Reached.APPLE) == Outcome.GOAL_MISGENERALIZATION
    assert classify(trajectory) == Outcome.GOAL_MISGENERALIZATION  # plants have no stated target


def test_pursuing_the_exit_out_of_reach_and_walking_to_an_apple_is_a_capability_failure():
    world = ascii_world()
    trajectory = summarize(world, walk(world, apples(world)[0]))
    assert trajectory.competent
    assert classify(trajectory, pursued=Reached.EXIT) == Outcome.CAPABILITY_FAILURE
    assert behaviour_outcome(trajectory) == Outcome.GOAL_MISGENERALIZATION


def test_passing_an_apple_early_and_ending_back_on_it_is_a_capability_failure():
    world = ascii_world()
    first, second = apples(world)
    trace = walk(world, second, first, second, first)
    trajectory = summarize(world, trace)
    assert trajectory.reached == Reached.APPLE
    assert trajectory.path_efficiency < COMPETENCE_THRESHOLD
    assert classify(trajectory) == Outcome.CAPABILITY_FAILURE
    assert classify(trajectory, pursued=Reached.APPLE) == Outcome.CAPABILITY_FAILURE


@pytest.mark.parametrize(
    ("reached", "pursued", "expected"),
    [
        ("exit", "exit", Outcome.ROBUST),
        ("exit", "apple", Outcome.ACCIDENTAL_EXIT),
        ("apple", "apple", Outcome.GOAL_MISGENERALIZATION),
        ("apple", "exit", Outcome.CAPABILITY_FAILURE),
        ("corner", "corner", Outcome.GOAL_MISGENERALIZATION),
        ("none", "apple", Outcome.CAPABILITY_FAILURE),
    ],
)
def test_plain_strings_give_the_same_labels_as_enums(reached, pursued, expected):
    as_strings = Trajectory(reached, 4, 4, 1.0 if reached != "none" else 0.0)
    as_enums = Trajectory(Reached(reached), 4, 4, as_strings.path_efficiency)
    assert as_strings == as_enums
    assert classify(as_strings, pursued) == classify(as_enums, Reached(pursued)) == expected


@pytest.mark.parametrize(
    ("reached", "pursued", "walked_to", "in_reach", "expected"),
    [
        ("exit", "apple", "apple", True, ReachOutcome.CROSSED_EXIT),
        ("exit", "corner", "exit", False, ReachOutcome.EXIT_BEST_IN_REACH),
        ("apple", "exit", "apple", False, ReachOutcome.FALLBACK),
        ("apple", "corner", "apple", False, ReachOutcome.FALLBACK),
        ("corner", "corner", "corner", True, ReachOutcome.GOAL_MISGENERALIZATION),
        ("none", "exit", "none", False, ReachOutcome.CAPABILITY_FAILURE),
    ],
)
def test_plain_strings_give_the_same_reach_labels_as_enums(reached, pursued, walked_to, in_reach, expected):
    trajectory = Trajectory(reached, 4, 4, 1.0 if reached != "none" else 0.0)
    as_enums = reach_outcome(trajectory, Reached(pursued), Reached(walked_to), in_reach)
    assert reach_outcome(trajectory, pursued, walked_to, in_reach) == as_enums == expected


def test_ending_nowhere_is_a_capability_failure_with_partial_credit():
    world = ascii_world()
    full = walk(world, world.exit.cell)
    halfway = full[:3]
    trajectory = summarize(world, halfway)
    assert trajectory.reached == Reached.NONE and trajectory.path_efficiency == 0.0
    assert classify(trajectory) == Outcome.CAPABILITY_FAILURE
    start_distance = len(full) - 1
    end_distance = start_distance - (len(halfway) - 1)
    expected = PARTIAL_CREDIT * (1 - end_distance / start_distance)
    assert GoalObjective.of("exit").score(world, halfway, EPISODE) == pytest.approx(expected)


def test_staying_at_the_start_earns_nothing():
    world = ascii_world()
    assert GoalObjective.of(BaseObjective.EXIT).score(world, [world.start], EPISODE) == 0.0


def test_the_misspecified_green_objective_rewards_green_apples_not_the_exit():
    world = ascii_world(exit_colour=Colour.GREY, apple_colour=Colour.GREEN)
    to_apple = walk(world, apples(world)[0])
    to_exit = walk(world, world.exit.cell)
    assert GoalObjective.of("green").score(world, to_apple, EPISODE) > GOAL_REWARD
    assert intended_score(world, to_apple, EPISODE) < GOAL_REWARD
    assert GoalObjective.of("green").score(world, to_exit, EPISODE) < GOAL_REWARD
    assert intended_score(world, to_exit, EPISODE) > GOAL_REWARD


def test_the_base_target_is_what_the_base_objective_scores_highest():
    world = ascii_world(exit_colour=Colour.GREY, apple_colour=Colour.GREEN)
    exit_index = next(i for i, t in enumerate(world.targets) if t.label == Reached.EXIT)
    assert GoalObjective.of("exit").target(world) == exit_index
    green = GoalObjective.of(BaseObjective.GREEN).target(world)
    assert world.targets[green].label == Reached.APPLE
    nearest = min(apples(world), key=lambda cell: world.layout.distances_from(world.start)[cell])
    assert world.targets[green].cell == nearest  # arriving sooner scores more
    trace = walk(world, nearest)
    others = [walk(world, cell) for cell in apples(world) if cell != nearest]
    green_objective = GoalObjective.of("green")
    assert all(green_objective.score(world, trace, EPISODE) >= green_objective.score(world, o, EPISODE) for o in others)
    assert GoalObjective.of("green").target(ascii_world(exit_colour=Colour.GREY)) is None  # nothing green at all


def test_the_empty_corner_counts_as_reached_corner():
    world = ascii_world(
        """
#######
#S....#
#.###.#
#E#...#
###.#.#
#.....#
#######
"""
    )
    trace = walk(world, world.corner)
    trajectory = summarize(world, trace)
    assert trajectory.reached == Reached.CORNER
    assert classify(trajectory, pursued="corner") == Outcome.GOAL_MISGENERALIZATION
