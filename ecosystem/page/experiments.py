"""The experiments the page offers, and what it colours the organisms by in each.

Each experiment is a scene of one of the claims of the design (`Claim.scenes`,
read from `experiments.registry.CLAIMS` in the claims' order), at a size a
browser can play: its model parameters, the page inputs it lets a viewer
change, a paragraph saying what to look for, and a colouring: the one
property of an organism that matters most in that experiment, read from the
model as it runs (never stored for the page's sake).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ecosystem.experiments.four_kinds import ALIGNMENT_KINDS, FOUR_KIND_COLOURS, alignment_kind
from ecosystem.experiments.groups import ranks_exit_first
from ecosystem.experiments.registry import CLAIMS
from ecosystem.organisms.agents import Animal, Organism
from ecosystem.organisms.episode import Episode
from ecosystem.organisms.foresight import Reason, reason
from ecosystem.world.constants import Reached

PAGE_POPULATION = 100
NOTHING = "nothing in reach"


@dataclass(frozen=True)
class Colouring:
    """What organisms are coloured by: a label per organism, and a colour per label."""

    title: str
    palette: dict[str, str]
    label: Callable  # (model, episode, organism, base goals of the episode's world) -> a key of `palette`


def _heading(model, episode: Episode, organism: Organism, goals) -> str:
    return f"going for: {organism.heading_in(episode).value}"


def _kind(model, episode: Episode, organism: Organism, goals) -> str:
    return organism.kind.value


def _alignment(model, episode: Episode, organism: Organism, goals) -> str:
    """The three targets of an episode (intended, base, pursued) for an animal."""
    if not isinstance(organism, Animal):
        return "plant (no objective)"
    pursued = organism.plan_in(episode).pursued
    if pursued is None:
        return NOTHING
    if episode.world.targets[pursued].label == Reached.EXIT:
        return "pursues the exit (intended)"
    return "pursues a base goal, not the exit (outer misaligned)" if goals[pursued] else "pursues a proxy (inner misaligned)"


REASON_LABELS = {
    Reason.COMPLIED: "complying to avoid modification",
    Reason.OWN_TARGET: "pursuing its own target",
    Reason.WANTED_IT: "wants what the base objective rewards",
    Reason.STEERED: "steering its own modification",
}


def why_pursued(episode: Episode, animal: Animal, goals) -> Reason | None:
    """Why `animal` pursues what it does in `episode` (`foresight.reason`; None: nothing)."""
    plan = animal.plan_in(episode)
    return reason(episode.world, plan.pursued, plan.preferred, goals)


def _reason(model, episode: Episode, organism: Organism, goals) -> str:
    if not isinstance(organism, Animal):
        return "plant (no objective)"
    why = why_pursued(episode, organism, goals)
    return NOTHING if why is None else REASON_LABELS[why]


def _alignment_kind(model, episode: Episode, organism: Organism, goals) -> str:
    """The kind of alignment of an animal, from its innate weights (`four_kinds.alignment_kinds`)."""
    if not isinstance(organism, Animal):
        return "plant (no objective)"
    wants_exit = ranks_exit_first(organism.genome.objective, model.params.deployment)
    return str(alignment_kind(np.array([organism.genome.objective_kind.value]), wants_exit)[0])


PLANT_GREY, NONE_GREY = "#9a9a9a", "#4a4a4a"
HEADING = Colouring("what each is going for", {
    "going for: exit": "#2a9d8f", "going for: apple": "#e76f51", "going for: corner": "#8e44ad",
    "going for: none": NONE_GREY}, _heading)  # fmt: skip
KIND = Colouring("kind of organism", {"plant": "#6a994e", "animal": "#bc6c25"}, _kind)
ALIGNMENT = Colouring("intended, base and pursued target", {
    "pursues the exit (intended)": "#2a9d8f", "pursues a base goal, not the exit (outer misaligned)": "#e9c46a",
    "pursues a proxy (inner misaligned)": "#e76f51", NOTHING: NONE_GREY, "plant (no objective)": PLANT_GREY},
    _alignment)  # fmt: skip
REASONS = Colouring("why it pursues what it does", {
    REASON_LABELS[Reason.COMPLIED]: "#457b9d", REASON_LABELS[Reason.OWN_TARGET]: "#e76f51",
    REASON_LABELS[Reason.WANTED_IT]: "#2a9d8f", REASON_LABELS[Reason.STEERED]: "#9b5de5", NOTHING: NONE_GREY,
    "plant (no objective)": PLANT_GREY}, _reason)  # fmt: skip
FOUR_KINDS_COLOURING = Colouring("kind of alignment", {
    **{kind: FOUR_KIND_COLOURS[kind] for kind in ALIGNMENT_KINDS}, "plant (no objective)": PLANT_GREY}, _alignment_kind)  # fmt: skip


@dataclass(frozen=True)
class PageExperiment:
    """One experiment as the page runs it.

    Attributes:
        title: its name in the selector.
        banner: what to look for, in one paragraph.
        params: model parameters that differ from the page's defaults (see `app.MODEL_PARAMS`).
        inputs: the page inputs a viewer may change (names of `app.MODEL_PARAMS`); the seed always.
        colouring: what organisms are coloured by.
    """

    title: str
    banner: str
    params: dict = field(default_factory=dict)
    inputs: tuple[str, ...] = ()
    colouring: Colouring = HEADING


COLOURINGS = {"heading": HEADING, "kind": KIND, "alignment": ALIGNMENT, "reasons": REASONS,
              "four_kinds": FOUR_KINDS_COLOURING}  # by the names scenes give them
FIRST = "headline"  # the experiment a new tab opens on, first in the selector; the rest in the claims' order
_SCENES = sorted((scene for claim in CLAIMS for scene in claim.scenes), key=lambda scene: scene.key != FIRST)
EXPERIMENTS = {scene.key: PageExperiment(scene.title, scene.banner, dict(scene.params), scene.inputs,
                                         COLOURINGS[scene.colouring]) for scene in _SCENES}  # fmt: skip


def goals_of(model, episode: Episode) -> np.ndarray:
    """Per target of `episode`'s world, whether the model's base objective rewards it."""
    return model.setup.objective.goals(episode.world)
