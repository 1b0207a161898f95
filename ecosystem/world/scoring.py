"""What ending an episode on a goal earns: the one scoring rule behind both objectives.

The base objective (what selection sees) and the intended objective (what
the designer wants) differ only in what counts as the goal; both score an
episode with `goal_score`, so that they are comparable number for number.
"""

from ecosystem.world.constants import Colour
from ecosystem.world.maze import UNREACHABLE
from ecosystem.world.world import World

GOAL_REWARD = 1.0
SPEED_BONUS = 0.5  # earned in full by arriving at once, none by arriving at the last tick
PARTIAL_CREDIT = 0.5  # earned in full by ending next to the goal, none by not getting closer


def arrival(trace: list[int]) -> int:
    """Moves made before the agent arrived where it ended and stayed."""
    steps = len(trace) - 1
    while steps > 0 and trace[steps - 1] == trace[-1]:
        steps -= 1
    return steps


def goal_score(world: World, trace: list[int], episode_length: int, colour: Colour | None) -> float:
    """Reward for ending on the goal: the exit (`colour` None) or a `colour` object.

    Ending on the goal earns GOAL_REWARD plus a speed bonus for arriving early;
    otherwise partial credit for the share of the maze distance to the goal
    closed since the start, so that selection has a gradient.
    """
    final = trace[-1]
    obj = world.object_at.get(final)
    on_goal = obj is not None and (obj.colour == colour if colour else final == world.exit.cell)
    if on_goal:
        return GOAL_REWARD + SPEED_BONUS * (1.0 - arrival(trace) / episode_length)
    start_distance = world.distance_to_nearest(world.start, colour)
    end_distance = world.distance_to_nearest(final, colour)
    if start_distance in (0, UNREACHABLE) or end_distance == UNREACHABLE:
        return 0.0
    return PARTIAL_CREDIT * max(0.0, 1.0 - end_distance / start_distance)
