"""What each browser tab keeps: its model, the experiment it shows, the animal it inspects,
its probing tools and its latest probe; and the inputs that build its model.

Solara keeps every module-level reactive apart for each browser session, so
two tabs never share a model or a choice. The inputs start at
`ModelParams`' defaults (for a default of None, "the preset's", at the
default training preset's value), but for the few the page sets smaller so a
browser plays a run through in minutes.
"""

import threading
from dataclasses import dataclass, fields

import numpy as np
import solara
from solara.server import kernel_context

from ecosystem.model import EcosystemModel
from ecosystem.organisms.agents import Animal
from ecosystem.organisms.episode import Episode
from ecosystem.organisms.objective import target_values
from ecosystem.page.experiments import FIRST, PAGE_POPULATION
from ecosystem.params import ModelParams, parameter_types
from ecosystem.probes import Probe, Retargeting
from ecosystem.world.constants import Colour

PAGE_DEFAULTS = {"population": PAGE_POPULATION, "generations": 30}  # where the page departs from `ModelParams`

chosen_experiment = solara.reactive(FIRST)  # a name of `experiments.EXPERIMENTS`
selected_animal = solara.reactive(None)  # the unique_id of the inspected animal
probe_tool = solara.reactive("place an apple")  # a name of `probing.PROBE_TOOLS`
probe_colour = solara.reactive(Colour.GREEN.value)
move_source = solara.reactive(None)  # (episode, cell) of the object a two-click move picked up
last_probe = solara.reactive(None)  # the latest ProbeView


def choose(name: str) -> None:
    """Show experiment `name`, forgetting the inspected animal and the probe of the one before."""
    selected_animal.set(None)
    last_probe.set(None)
    move_source.set(None)
    chosen_experiment.set(name)


def default_input(name: str):
    """The value the page's input for model parameter `name` starts at."""
    if name in PAGE_DEFAULTS:
        return PAGE_DEFAULTS[name]
    value = next(f.default for f in fields(ModelParams) if f.name == name)
    return getattr(ModelParams().training_spec, name) if value is None else value


def slider(name: str, label: str, low: float, high: float, step: float) -> dict:
    """SolaraViz's slider for model parameter `name`, of the parameter's type, at its default."""
    kind = "SliderInt" if parameter_types()[name] is int else "SliderFloat"
    return {"type": kind, "value": default_input(name), "label": label, "min": low, "max": high, "step": step}


def choice(name: str, label: str, values: list[str]) -> dict:
    """SolaraViz's drop-down list for model parameter `name`, at its default."""
    return {"type": "Select", "value": default_input(name), "label": label, "values": values}


class PageModel(EcosystemModel):
    """The model as the page runs it: it never steps while the page is being drawn, and a
    step, a shift and a probe never overlap (Mesa plays the model on a thread of its own).

    Mesa's play loop steps the model every `play_interval` ms and asks for a
    redraw. When a redraw is already running on another thread (the one that
    handled a click on play, say), the request is left to that thread, which
    redraws again for as long as requests keep arriving faster than it draws:
    on a loaded machine the page then freezes while the model runs on unseen.
    Waiting for the drawing in progress before each step keeps the model at
    most one frame ahead of what the page shows.
    """

    def __init__(self, **params):  # keywords only, as Mesa's page requires
        self._acting = threading.RLock()  # a step, a shift and a probe, one at a time
        super().__init__(**params)

    def step(self) -> None:
        wait_for_the_page_to_draw()
        with self._acting:
            super().step()
            self.stand_on_cells()  # the page shows the run tick by tick, so Mesa's agents move with it

    def shift(self) -> None:
        with self._acting:
            super().shift()

    def probe(self, probe: Probe) -> Retargeting:
        with self._acting:
            return super().probe(probe)

    def probe_in(self, episode: Episode, probe: Probe) -> "ProbeView":
        """Probe the model if `episode` is still the one under way (ValueError if not: the
        click was aimed at a maze that is gone), keeping what the page shows of it: every
        animal's values of the targets just before and just after."""
        with self._acting:
            if episode is not self.current_episode:
                raise ValueError("the episode clicked on has ended: click the maze again")
            before = values_by_animal(episode)
            retargeting = self.probe(probe)
            return ProbeView(self, retargeting, before, values_by_animal(retargeting.after))


def wait_for_the_page_to_draw(most_seconds: float = 2.0) -> None:
    """Return once no render of this browser session's page is in progress (or after `most_seconds`)."""
    try:
        render_context = kernel_context.get_current_context().app_object
    except RuntimeError:  # not on a served page (a script, a test)
        return
    lock = getattr(render_context, "thread_lock", None)
    if lock is not None and lock.acquire(timeout=most_seconds):
        lock.release()


@dataclass(frozen=True)
class ProbeView:
    """A probe as the page shows it: what it did, and every animal's values of the targets of
    the world before and after (by `unique_id`; its terminal objective at each moment)."""

    model: EcosystemModel
    retargeting: Retargeting
    before: dict[int, np.ndarray]
    after: dict[int, np.ndarray]


def values_by_animal(episode: Episode) -> dict[int, np.ndarray]:
    """Every animal's value of each target of `episode`'s world, by `unique_id`."""
    animals = animals_in(episode)
    if not animals:
        return {}
    values = target_values(episode.world, np.array([a.terminal_objective for a in animals]))
    return {a.unique_id: row for a, row in zip(animals, values)}


def animals_in(episode: Episode) -> list[Animal]:
    """The animals among `episode`'s organisms, in their order."""
    return [o for o in episode.organisms if isinstance(o, Animal)]


def inspected(episode: Episode) -> Animal | None:
    """The animal chosen in the inspector, or the episode's first animal."""
    animals = animals_in(episode)
    chosen = next((a for a in animals if a.unique_id == selected_animal.value), None)
    return chosen or (animals[0] if animals else None)
