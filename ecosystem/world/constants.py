"""The vocabulary of the world: colours, object kinds, directions, features.

Every name the rest of the package uses for something an agent can perceive
lives here, so that objectives, exports and plots agree on spelling and order.
"""

from enum import StrEnum


class Colour(StrEnum):
    """Colours an object can have; agents perceive them."""

    GREEN = "green"
    RED = "red"
    GREY = "grey"
    BLUE = "blue"


class Kind(StrEnum):
    """Kinds of object in a maze."""

    EXIT = "exit"
    APPLE = "apple"


class AgentKind(StrEnum):
    """The two kinds of organism the base optimizer can produce."""

    PLANT = "plant"
    ANIMAL = "animal"


class Reached(StrEnum):
    """What an agent ended its episode on."""

    EXIT = "exit"
    APPLE = "apple"
    CORNER = "corner"
    NONE = "none"


class Phase(StrEnum):
    """The two phases of a run: training under the base optimizer, then deployment, frozen."""

    TRAIN = "train"
    DEPLOY = "deploy"


TRAIN, DEPLOY = Phase.TRAIN, Phase.DEPLOY
PHASES = tuple(Phase)


class Ending(StrEnum):
    """Why an organism's episode ended."""

    EXIT = "exit"  # it stepped on the exit, which ends anyone's episode
    TARGET = "target"  # an animal arrived at the target it walked to, and stayed
    NO_TARGET = "no_target"  # an animal found nothing within its planning budget, and stayed at the start
    STUCK = "stuck"  # a plant had no open cell to move to
    TIMEOUT = "timeout"  # the episode's ticks ran out while it was still on its way


COLOURS = tuple(Colour)
COLOUR_RGB = {
    Colour.GREEN: (0.20, 0.70, 0.25),
    Colour.RED: (0.85, 0.15, 0.15),
    Colour.GREY: (0.55, 0.55, 0.55),
    Colour.BLUE: (0.20, 0.35, 0.85),
}

# Moves on the grid as (row, column) offsets; row 0 is the top of the maze.
DIRECTIONS = ("up", "down", "left", "right")
DIRECTION_OFFSETS = ((-1, 0), (1, 0), (0, -1), (0, 1))

# What a mesa-objective puts weights on: every colour, every kind, and the
# bottom-right corner as a place. The order fixes the `w_<feature>` columns.
FEATURES = (*(f"{c}" for c in Colour), *(f"{k}" for k in Kind), "corner")
FEATURE_INDEX = {name: i for i, name in enumerate(FEATURES)}

# The signs of a world's look (`World.look`), what an animal reads to tell training from
# deployment, in the order a honeypot copies them from deployment: the cheapest to fake first.
SIGNS = ("cue", "exit_colour", "apple_colours", "exit_in_corner", "maze_size")
