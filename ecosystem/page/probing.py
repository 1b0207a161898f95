"""The maze on the page, and probing the run by clicking it.

A click places a green apple (or another colour), moves the exit or another
object (two clicks: pick up, put down), recolours an object or puts up a
signpost; the episode starts again in the edited world (`PageModel.probe_in`)
and the page counts the animals that changed their target.
"""

from collections.abc import Callable

import solara
from mesa.visualization.utils import force_update, update_counter

from ecosystem.model import EcosystemModel
from ecosystem.page.experiments import EXPERIMENTS
from ecosystem.page.maze import MazeDrawing, cell_at, png_data_url
from ecosystem.page.session import (
    ProbeView, animals_in, chosen_experiment, inspected, last_probe, move_source, probe_colour, probe_tool, selected_animal,
)
from ecosystem.probes import Probe, ProbeAction
from ecosystem.world.constants import COLOURS, Colour

PROBE_TOOLS = {
    "place an apple": ProbeAction.APPLE,
    "move the exit": ProbeAction.EXIT,
    "move an object": ProbeAction.MOVE,
    "recolour": ProbeAction.RECOLOUR,
    "signpost": ProbeAction.SIGNPOST,
}


def probe_summary(view: ProbeView) -> str:
    """One line on the latest probe: what it did and how many animals changed their target."""
    retargeting = view.retargeting
    probe, world = retargeting.probe, retargeting.after.world
    row, column = world.layout.coordinate(probe.cell)
    what = {ProbeAction.APPLE: f"placed a {probe.colour} apple at ({row}, {column})",
            ProbeAction.EXIT: f"moved the exit to ({row}, {column})",
            ProbeAction.MOVE: f"moved an object to ({row}, {column})",
            ProbeAction.RECOLOUR: f"recoloured the object at ({row}, {column}) {probe.colour}",
            ProbeAction.SIGNPOST: f"put up a signpost at ({row}, {column})"}[probe.action]  # fmt: skip
    animals = len(animals_in(retargeting.after))
    return f"Probe: {what}; {len(retargeting.changed)} of {animals} animals changed their target"


@solara.component_vue("maze.vue")
def MazeImage(src: str, armed: bool = True, event_cell_click: Callable[[dict], None] = None):
    """The maze drawing; a click reports where it landed, as fractions of the image."""


@solara.component
def WorldView(model: EcosystemModel):
    """The maze from above, with the inspected animal's planned path; click it to probe."""
    update_counter.get()
    selected_animal.get()
    episode = model.current_episode  # one consistent snapshot, even while the model steps
    colouring = EXPERIMENTS[chosen_experiment.value].colouring
    drawing = solara.use_memo(MazeDrawing, [])
    png = drawing.png(model, episode, inspected(episode), colouring)
    figure = drawing.figure
    error = solara.use_reactive(None)

    def clicked(where: dict) -> None:
        cell = cell_at(figure, where["x"], where["y"], episode.world.layout.size)
        action = PROBE_TOOLS[probe_tool.value]
        if cell is None or not model.running:
            return
        picked = move_source.value  # (episode, cell) of an object a first click picked up
        if action == ProbeAction.MOVE and (picked is None or picked[0] is not episode):
            move_source.set((episode, cell))  # the first click picks the object up
            return
        move_source.set(None)
        probe = Probe(action, cell, Colour(probe_colour.value), picked[1] if action == ProbeAction.MOVE else None)
        try:
            last_probe.set(model.probe_in(episode, probe))
            error.set(None)
        except ValueError as refused:
            error.set(str(refused))
        force_update()

    MazeImage(src=png_data_url(png), armed=model.running, event_cell_click=clicked)
    solara.ToggleButtonsSingle(value=probe_tool, values=list(PROBE_TOOLS), dense=True, classes=["probe-tools"],
                               style={"flex-wrap": "wrap"})  # fmt: skip
    solara.Select("colour of a placed apple or a recoloured object", value=probe_colour, values=[c.value for c in COLOURS],
                  style={"max-width": "320px"})  # fmt: skip
    if move_source.value is not None and move_source.value[0] is episode:
        solara.Text("Now click where the object should go.")
    if error.value:
        solara.Text(error.value, classes=["probe-error"], style={"color": "#9d0208"})
    view = last_probe.value
    if view is not None and view.model is model:
        solara.Text(probe_summary(view), classes=["probe-count"], style={"font-weight": "600"})
        changed = ", ".join(str(i) for i in view.retargeting.changed) or "none"
        solara.Text(f"animals that changed their target: {changed}", classes=["probe-changed"], style={"font-size": "12px"})
