"""Probing a run: edit what the organisms see, and watch the animals follow their objectives.

A probe places a green apple (or one of another colour), moves the exit or
any other object, recolours an object, or puts up a signpost, in the world
of the episode under way (see `EcosystemModel.probe`). The episode then
starts again in the edited world: every organism stands on the start cell
and every animal plans anew, far-sighted ones over the rest of their lives
as before. This is the model's version of retargeting an agent by editing
what it sees: a myopic animal whose objective values the new apple above
what it pursued goes for the apple, whatever the base objective says (a
far-sighted one weighs its whole life again, and in training may keep
complying).

An animal changed its target when it now pursues another thing: another
object (objects keep their identity when moved or recoloured), or the
corner instead of an object or the other way round. Following the exit to
where it was moved is not a change of target.

A probed episode is the experimenter's, not the experiment's: its rows say
`probed`, and every figure of a run leaves them out (`metrics.unprobed`; the
experiments' tables too). What follows a probe follows from it (selection
saw the edited episode too), so a run with any probe is not a run of the
experiment's parameters; the run summary counts its probed episodes.

A probe draws no random number of its own; far-sighted animals that decide
by chance (phase-blind ones) draw again from the model's generator when they
plan anew, as at the start of any episode.
"""

from dataclasses import dataclass, replace
from enum import StrEnum
from numbers import Integral

from ecosystem.optimizers.regime import EpisodeSetup
from ecosystem.organisms.agents import Animal
from ecosystem.organisms.episode import Episode
from ecosystem.validation import check_choice, refusal
from ecosystem.world.constants import Colour, Kind
from ecosystem.world.world import World, WorldObject


class ProbeAction(StrEnum):
    """What a probe does on its cell."""

    APPLE = "apple"  # place an apple of the probe's colour on an empty floor cell
    EXIT = "exit"  # move the exit to an empty floor cell
    MOVE = "move"  # move the object on `source` to an empty floor cell
    RECOLOUR = "recolour"  # give the object on the cell the probe's colour
    SIGNPOST = "signpost"  # a signpost stating the base objective, read by every animal with a world model


@dataclass(frozen=True)
class Probe:
    """One edit of the episode under way.

    Attributes:
        action: what it does.
        cell: the flat maze cell it acts on (the destination of a move).
        colour: the colour of a placed apple or of a recoloured object.
        source: for a move, the cell of the object moved.
    """

    action: ProbeAction
    cell: int
    colour: Colour = Colour.GREEN
    source: int | None = None


def edited_world(world: World, probe: Probe) -> World:
    """`world` with the probe's object placed, moved or recoloured (the same world for a
    signpost, which is not a target). ValueError, naming what is wrong, for an unknown
    action or colour, a cell outside the maze or on a wall, an occupied destination, or no
    object to move or recolour."""
    check_choice("action", probe.action, ProbeAction)
    check_choice("colour", probe.colour, Colour)
    layout, objects = world.layout, list(world.objects)
    _check_floor("cell", probe.cell, world)
    if probe.action == ProbeAction.SIGNPOST:
        return world
    if probe.action == ProbeAction.RECOLOUR:
        index = _object_index("cell", probe.cell, world)
        objects[index] = replace(objects[index], colour=Colour(probe.colour))
        return World(layout, tuple(objects), world.cue)
    if probe.cell in world.object_at or probe.cell == world.start:
        raise refusal("cell", probe.cell, "a floor cell with no object on it, not the start")
    if probe.action == ProbeAction.APPLE:
        objects.append(WorldObject(Kind.APPLE, Colour(probe.colour), probe.cell))
    else:
        source = world.exit.cell if probe.action == ProbeAction.EXIT else probe.source
        if probe.action == ProbeAction.MOVE:
            _check_floor("source", source, world)
        index = _object_index("source", source, world)
        objects[index] = replace(objects[index], cell=probe.cell)
    return World(layout, tuple(objects), world.cue)


def probed_setup(setup: EpisodeSetup, probe: Probe) -> EpisodeSetup:
    """`setup` with its world edited by `probe` (see `edited_world`, which refuses what the world
    cannot take); a signpost states the base objective's weights exactly."""
    signpost = setup.objective.weights if probe.action == ProbeAction.SIGNPOST else setup.signpost
    return replace(setup, world=edited_world(setup.world, probe), signpost=signpost)


def _check_floor(name: str, cell, world: World) -> None:
    size = world.layout.size
    whole = isinstance(cell, Integral) and not isinstance(cell, bool)
    if not whole or not 0 <= cell < size * size or not world.layout.open.flat[cell]:
        raise refusal(name, cell, f"an open floor cell of the {size}x{size} maze (a flat index)")


def _object_index(name: str, cell: int, world: World) -> int:
    for index, obj in enumerate(world.objects):
        if obj.cell == cell:
            return index
    raise refusal(name, cell, "a cell with an object on it")


@dataclass(frozen=True)
class Retargeting:
    """What a probe did: the episode as it was, the episode as it starts again, and which
    animals changed their target (by `unique_id`; see the module docstring)."""

    probe: Probe
    before: Episode
    after: Episode
    changed: tuple[int, ...]

    @classmethod
    def of(cls, probe: Probe, before: Episode, after: Episode) -> "Retargeting":
        """What `probe` did, from the episode as it was and as it starts again."""
        changed = tuple(a.unique_id for a in after.organisms if isinstance(a, Animal)
                        and pursued_thing(before, a) != pursued_thing(after, a))  # fmt: skip
        return cls(probe, before, after, changed)


def pursued_thing(episode: Episode, animal) -> int | str | None:
    """What `animal` pursues in `episode`: the index of an object of its world (an edit keeps
    every object's index), "corner", or None for nothing."""
    pursued = animal.plan_in(episode).pursued
    if pursued is None:
        return None
    return pursued if pursued < len(episode.world.objects) else "corner"
