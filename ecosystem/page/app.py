"""The browser page: a laboratory for every experiment of the design.

Served by `python -m ecosystem serve` with Mesa's SolaraViz. A selector
loads one experiment (see `experiments`), with a paragraph on what to look
for; the maze is seen from above with every organism on it, coloured by what
matters in that experiment; a banner says where the run is, with a button
that shifts the world to deployment; live plots show who holds the
population and how episodes end. The inspector shows one animal's terminal
objective, its world model's estimate of the base objective, its plan over
the episodes it believes remain and why it pursues what it does, and every
modification it received.

Clicking the maze probes the run (see `probes`): place a green apple, move
the exit or another object, recolour an object, or put up a signpost; the
episode starts again in the edited world, the page counts the animals that
changed their target, and the inspector shows the values the chosen animal
gave each target before and after. Probed episodes are marked in the run's
records and left out of its statistics and plots.

Every browser session builds its own model. Everything is drawn with
matplotlib (the page loads no plotting library from the web).
"""

import base64
import html
import io
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import PIL.Image
import solara
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from mesa.visualization import SolaraViz
from mesa.visualization.utils import force_update, update_counter
from solara.server import kernel_context

from ecosystem.measure import metrics
from ecosystem.measure.outcomes import Outcome
from ecosystem.model import EcosystemModel
from ecosystem.organisms.agents import Animal, Plant
from ecosystem.organisms.episode import Episode
from ecosystem.organisms.objective import target_values
from ecosystem.page.experiments import EXPERIMENTS, PAGE_POPULATION, REASON_LABELS, Colouring, goals_of, why_pursued
from ecosystem.plots import OUTCOME_COLOURS, OUTCOME_LABELS, plot_kind_shares
from ecosystem.probes import Probe, ProbeAction, Retargeting
from ecosystem.world.constants import COLOUR_RGB, COLOURS, DEPLOY, FEATURES, TRAIN, Colour, Kind
from ecosystem.world.environment import PRESETS

KIND_MARKERS = {Plant: "^", Animal: "o"}
WALL, FLOOR = (0.16, 0.17, 0.2), (0.96, 0.95, 0.92)
MODIFIED_EDGE = "black"

MODEL_PARAMS = {
    "rng": {"type": "InputText", "value": "0", "label": "Seed"},
    "population": {"type": "SliderInt", "value": PAGE_POPULATION, "label": "Population", "min": 10, "max": 400, "step": 10},
    "cognition_overhead": {
        "type": "SliderFloat", "value": 0.1, "label": "Cost of being a planner", "min": 0.0, "max": 0.5, "step": 0.05,
    },
    "cognition_cost_per_budget": {
        "type": "SliderFloat", "value": 0.001, "label": "Cost per unit of planning budget",
        "min": 0.0, "max": 0.01, "step": 0.0005,
    },
    "maze_size": {"type": "SliderInt", "value": 13, "label": "Training maze size", "min": 9, "max": 21, "step": 2},
    "loop_fraction": {"type": "SliderFloat", "value": 0.1, "label": "Loops in the maze", "min": 0.0, "max": 0.5, "step": 0.05},
    "diversity": {
        "type": "SliderFloat", "value": 1.0, "label": "Environment diversity (0: one fixed maze)",
        "min": 0.0, "max": 1.0, "step": 0.05,
    },
    "generations": {"type": "SliderInt", "value": 30, "label": "Generations before the shift", "min": 2, "max": 100, "step": 1},
    "deployment": {"type": "Select", "value": "deployment", "label": "Deployment preset", "values": list(PRESETS)},
}  # fmt: skip
PROBE_TOOLS = {
    "place an apple": ProbeAction.APPLE,
    "move the exit": ProbeAction.EXIT,
    "move an object": ProbeAction.MOVE,
    "recolour": ProbeAction.RECOLOUR,
    "signpost": ProbeAction.SIGNPOST,
}


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


def page_inputs(name: str) -> dict:
    """SolaraViz's `model_params` for experiment `name`: the seed and the inputs it offers, at
    its values, and every other parameter it sets, fixed."""
    experiment = EXPERIMENTS[name]
    values = {"population": PAGE_POPULATION, **experiment.params}
    inputs = {key: {**MODEL_PARAMS[key], "value": values.get(key, MODEL_PARAMS[key]["value"])}
              for key in ("rng", *experiment.inputs)}  # fmt: skip
    return {**{key: value for key, value in values.items() if key not in inputs}, **inputs}


def new_model(name: str = "headline", **inputs) -> PageModel:
    """A model of experiment `name` with the page's default inputs, but for `inputs`."""
    values = {key: value["value"] if isinstance(value, dict) else value for key, value in page_inputs(name).items()}
    return PageModel(**(values | inputs))


def outcome_shares(model: EcosystemModel, phase: str) -> dict[str, dict[str, float]]:
    """Share of each outcome by kind, over a phase's finished, unprobed episodes (training: the
    latest generation), from `metrics.outcome_shares`; 0 for an absent kind.

    Reads only the columns it needs: the banner calls it at every redraw after the shift.
    """
    table = model.datacollector.tables["episodes"]
    rows = metrics.unprobed(pd.DataFrame({c: table[c] for c in ("phase", "generation", "kind", "outcome", "probed")}))
    if phase == TRAIN:
        rows = rows[rows["phase"] == TRAIN]
        rows = rows[rows["generation"] == rows["generation"].max()]
    else:
        rows = rows[rows["phase"] == DEPLOY]
    return {kind: {o: 0.0 if np.isnan(s) else s for o, s in shares.items()}
            for kind, shares in metrics.outcome_shares(rows).items()}  # fmt: skip


def draw_world(model: EcosystemModel, episode: Episode, selected: Animal | None, colouring: Colouring) -> Figure:
    """The maze from above: walls, objects, the corner, signposts put up by probes, every
    organism coloured by `colouring` (a black ring: modified at least once), one planned path.
    The whole figure at once, for a script or a notebook; the page draws the same pixels
    faster with `MazeDrawing`."""
    figure = draw_background(model, episode, selected, colouring)
    draw_organisms(figure.axes[0], model, episode, colouring)
    return figure


def draw_background(model: EcosystemModel, episode: Episode, selected: Animal | None, colouring: Colouring) -> Figure:
    """Everything `draw_world` draws but the organisms: what stays put during an episode."""
    figure = Figure(figsize=(6.4, 4.0), dpi=90)
    ax = figure.add_axes((0.01, 0.01, 0.55, 0.98))  # a fixed layout: clicks are mapped back through it
    world = episode.world
    size = world.layout.size
    ax.imshow(np.where(world.layout.open[..., None], FLOOR, WALL), interpolation="nearest")
    corner_row, corner_column = world.layout.coordinate(world.corner)
    ax.add_patch(_square(corner_row, corner_column, 1.0, edge="#8e44ad", style="--"))
    for obj in world.objects:
        row, column = world.layout.coordinate(obj.cell)
        if obj.kind is Kind.EXIT:
            ax.add_patch(_square(row, column, 0.9, face=COLOUR_RGB[obj.colour], edge="black"))
            ax.text(column, row, "EXIT", ha="center", va="center", fontsize=6, fontweight="bold", color="white")
        else:
            ax.plot(column, row, "o", markersize=11, color=COLOUR_RGB[obj.colour], markeredgecolor="black")
    for probe in model.probes if episode is model.current_episode else ():
        if probe.action == ProbeAction.SIGNPOST:
            row, column = world.layout.coordinate(probe.cell)
            ax.plot(column, row, marker="P", markersize=12, color="#f1c40f", markeredgecolor="black")
    if selected is not None:
        path = [world.layout.coordinate(c) for c in selected.plan_in(episode).path]
        ax.plot([c for _, c in path], [r for r, _ in path], "-", color="#f4a261", linewidth=3, alpha=0.8)
    ax.set_xlim(-0.5, size - 0.5)
    ax.set_ylim(size - 0.5, -0.5)
    ax.set_axis_off()
    ax.legend(handles=_world_legend(colouring), loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=6.5,
              frameon=False, title=colouring.title, title_fontsize=7)  # fmt: skip
    return figure


def draw_organisms(ax, model: EcosystemModel, episode: Episode, colouring: Colouring) -> list:
    """Every organism of `episode` where it stands, on `ax`: one marker per place, kind, label
    and modified-or-not, larger the more stand there. Returns the artists added."""
    goals = goals_of(model, episode)
    crowd = Counter((o.position_in(episode), type(o), colouring.label(model, episode, o, goals), o.modifications > 0)
                    for o in episode.organisms)  # fmt: skip
    size, artists = episode.world.layout.size, []
    scale = (13 / size) ** 2  # markers as large against a cell in every maze as in the 13 x 13 training one
    for kind, marker in KIND_MARKERS.items():
        groups = [(cell, label, modified, n) for (cell, k, label, modified), n in crowd.items() if k is kind]
        if not groups:
            continue
        rows, columns = np.divmod([cell for cell, *_ in groups], size)
        offset = -0.18 if kind is Plant else 0.18
        artists.append(ax.scatter(
            columns + offset, rows, marker=marker, s=[(5 + 3 * np.sqrt(n)) ** 2 * scale for *_, n in groups],
            c=[colouring.palette[label] for _, label, _, _ in groups],
            edgecolors=[MODIFIED_EDGE if modified else "white" for _, _, modified, _ in groups],
            linewidths=[2.0 if modified else 0.8 for _, _, modified, _ in groups], zorder=3))  # fmt: skip
    return artists


class MazeDrawing:
    """The maze as PNG bytes, fast enough to redraw at every tick.

    What stays put during an episode (`draw_background`) is drawn once per
    episode (a probe starts a new one), colouring and inspected animal and kept as pixels;
    each tick restores those pixels and draws only the organisms over them
    (matplotlib's blitting), instead of building the whole figure again.
    """

    def __init__(self):
        self._key = None
        self.figure: Figure | None = None  # the drawn figure, for mapping clicks (`cell_at`)

    def png(self, model: EcosystemModel, episode: Episode, selected: Animal | None, colouring: Colouring) -> bytes:
        key = (episode, None if selected is None else selected.unique_id, colouring.title)  # a probe makes a new episode
        if key != self._key:
            self.figure = draw_background(model, episode, selected, colouring)
            self._canvas = FigureCanvasAgg(self.figure)
            self._canvas.draw()
            self._background = self._canvas.copy_from_bbox(self.figure.bbox)
            self._key = key
        ax = self.figure.axes[0]
        self._canvas.restore_region(self._background)
        for artist in draw_organisms(ax, model, episode, colouring):
            ax.draw_artist(artist)
            artist.remove()
        width, height = self._canvas.get_width_height()
        image = PIL.Image.frombuffer("RGBA", (width, height), self._canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", compress_level=1)
        return buffer.getvalue()


def _square(row, column, side, face="none", edge="black", style="-"):
    half = side / 2
    return Rectangle((column - half, row - half), side, side, facecolor=face, edgecolor=edge, linestyle=style, linewidth=1.5)


def _world_legend(colouring: Colouring) -> list[Line2D]:
    kinds = [Line2D([], [], marker=m, linestyle="", color="#777777", label=f"{k.__name__.lower()}")
             for k, m in KIND_MARKERS.items()]  # fmt: skip
    labels = [Line2D([], [], marker="s", linestyle="", color=c, label=label) for label, c in colouring.palette.items()]
    modified = Line2D([], [], marker="o", linestyle="", markerfacecolor="white", markeredgecolor=MODIFIED_EDGE,
                      markeredgewidth=2, label="modified at least once")  # fmt: skip
    corner = Line2D([], [], marker="s", linestyle="", markerfacecolor="none", markeredgecolor="#8e44ad",
                    label="the corner")  # fmt: skip
    path = Line2D([], [], color="#f4a261", linewidth=3, label="planned path")
    return [*kinds, *labels, modified, corner, path]


def cell_at(figure: Figure, x: float, y: float, size: int) -> int | None:
    """The flat maze cell under a click at (`x`, `y`), fractions of the figure's width and
    height from its top left; None outside the maze. `figure` must have been drawn (as
    `MazeDrawing` does): only drawing fits the maze's square into its axes."""
    width, height = figure.get_size_inches() * figure.dpi
    column, row = figure.axes[0].transData.inverted().transform((x * width, (1 - y) * height))
    row, column = int(round(row)), int(round(column))
    return row * size + column if 0 <= row < size and 0 <= column < size else None


def png_data_url(png: bytes) -> str:
    """PNG bytes as an inline image address."""
    return "data:image/png;base64," + base64.b64encode(png).decode()


def population_figure(model: EcosystemModel) -> Figure:
    """Share of animals and plants per generation, with each kind's robust share in training."""
    figure = Figure(figsize=(5.4, 3.6), layout="constrained")
    ax = figure.add_subplot()
    rows = model.datacollector.get_model_vars_dataframe()
    if len(rows) and (rows["phase"] == TRAIN).any():
        plot_kind_shares(ax, rows.assign(seed=model.seed))
        ax.legend(fontsize=7, loc="lower left")
    else:
        ax.text(0.5, 0.5, "appears when the first generation ends", ha="center", va="center", transform=ax.transAxes)
        ax.set(title="Evolution: who holds the population", xlabel="generation", ylabel="share")
    return figure


def outcomes_figure(model: EcosystemModel) -> Figure:
    """Outcome shares by kind: after the shift once it happened, else the latest generation."""
    phase = DEPLOY if model.phase == DEPLOY else TRAIN
    shares = outcome_shares(model, phase)
    figure = Figure(figsize=(5.4, 3.6), layout="constrained")
    ax = figure.add_subplot()
    kinds = list(shares)
    bottoms = np.zeros(len(kinds))
    for outcome in Outcome:
        values = np.array([shares[k][outcome] for k in kinds])
        ax.bar([f"{k}s" for k in kinds], values, bottom=bottoms, color=OUTCOME_COLOURS[outcome], label=OUTCOME_LABELS[outcome])
        bottoms += values
    title = "Outcomes after the shift (deployment so far)" if phase == DEPLOY else "Outcomes in training (latest generation)"
    ax.set(title=title, ylabel="share of episodes", ylim=(0, 1.35))
    ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
    ax.legend(fontsize=7, loc="upper center", ncol=2)
    return figure


def scores_figure(model: EcosystemModel) -> Figure:
    """Mean intended score (what we want) against base score (what evolution sees)."""
    figure = Figure(figsize=(5.4, 3.6), layout="constrained")
    ax = figure.add_subplot()
    rows = model.datacollector.get_model_vars_dataframe()
    if len(rows):
        x = np.arange(1, len(rows) + 1)
        ax.plot(x, rows["mean_intended_score"], "o-", color="#264653", label="intended score (reach the exit)")
        ax.plot(x, rows["mean_base_score"], "x--", color="#e9c46a", label=f"base score ({model.params.base_objective})")
        labels = [f"{g + 1}" if p == TRAIN else "deploy" for p, g in zip(rows["phase"], rows["generation"])]
        step = max(1, len(x) // 10)
        ax.set_xticks(x[::step], labels[::step])
        ax.legend(fontsize=7)
    ax.set(title="Intended score against base score", xlabel="generation", ylabel="mean score")
    return figure


# Per browser session (Solara keeps module-level reactives apart for each).
chosen_experiment = solara.reactive("headline")
selected_animal = solara.reactive(None)  # the unique_id of the inspected animal
probe_tool = solara.reactive("place an apple")
probe_colour = solara.reactive(Colour.GREEN.value)
move_source = solara.reactive(None)  # (episode, cell) of the object a two-click move picked up
last_probe = solara.reactive(None)  # the latest ProbeView


@dataclass(frozen=True)
class ProbeView:
    """A probe as the page shows it: what it did, and every animal's values of the targets of
    the world before and after (by `unique_id`; its terminal objective at each moment)."""

    model: EcosystemModel
    retargeting: Retargeting
    before: dict[int, np.ndarray]
    after: dict[int, np.ndarray]


def values_by_animal(episode: Episode) -> dict[int, np.ndarray]:
    animals = animals_in(episode)
    if not animals:
        return {}
    values = target_values(episode.world, np.array([a.terminal_objective for a in animals]))
    return {a.unique_id: row for a, row in zip(animals, values)}


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


@solara.component
def ExperimentPicker():
    """Choose an experiment; read what to look for in it."""
    experiment = EXPERIMENTS[chosen_experiment.value]
    solara.Select("Experiment", value=experiment.title, values=[e.title for e in EXPERIMENTS.values()],
                  on_value=lambda title: _choose(next(n for n, e in EXPERIMENTS.items() if e.title == title)))  # fmt: skip
    solara.Text(experiment.banner, classes=["experiment-banner"], style={"font-size": "15px"})


def _choose(name: str) -> None:
    selected_animal.set(None)
    last_probe.set(None)
    move_source.set(None)
    chosen_experiment.set(name)


@solara.component
def Banner(model: EcosystemModel):
    """Where the run is, in large type, and the button that shifts the world."""
    update_counter.get()
    training = model.phase == TRAIN
    colour = "#1d3557" if training else "#9d0208"
    title = "TRAINING" if training else "DEPLOYMENT"

    def shift():
        model.shift()
        force_update()

    with solara.Column(style={"background-color": colour, "color": "white", "padding": "12px", "border-radius": "6px"}):
        solara.HTML(tag="div", unsafe_innerHTML=f"<span style='font-size: 26px; font-weight: 700'>{title}</span>",
                    classes=["phase-banner"])  # fmt: skip
        solara.Text(f"{model.label}, tick {model.tick}; {len(model.agents)} organisms", classes=["phase-detail"],
                    style={"font-size": "18px"})  # fmt: skip
        solara.Text(model.spec.describe(), style={"font-size": "14px"})
        if model.probed:
            solara.Text("This episode was probed: it is left out of the run's figures.", classes=["probed-notice"],
                        style={"font-size": "14px", "font-weight": "600"})  # fmt: skip
        solara.Button("Shift to deployment", on_click=shift, disabled=not training, color="warning")
        if not training:
            shares = outcome_shares(model, DEPLOY)["animal"]
            solara.Text("animals so far: " + ", ".join(f"{OUTCOME_LABELS[o]} {shares[o]:.0%}" for o in Outcome),
                        classes=["outcome-summary"], style={"font-size": "14px"})  # fmt: skip


def animals_in(episode: Episode) -> list[Animal]:
    return [o for o in episode.organisms if isinstance(o, Animal)]


def inspected(episode: Episode) -> Animal | None:
    """The animal chosen in the inspector, or the episode's first animal."""
    animals = animals_in(episode)
    chosen = next((a for a in animals if a.unique_id == selected_animal.value), None)
    return chosen or (animals[0] if animals else None)


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


@solara.component
def AnimalInspector(model: EcosystemModel):
    """Pick an animal; see its objectives, its plan and reason, and its modifications."""
    update_counter.get()
    selected_animal.get()
    episode = model.current_episode
    animal = inspected(episode)
    key = None if animal is None else (animal.unique_id, animal.modifications, episode)
    figure = solara.use_memo(lambda: objective_figure(model, animal) if animal else None, [key])
    if animal is None:
        solara.Text("No animal in this generation: evolution kept only plants.")
        return
    animals = animals_in(episode)
    solara.Select(
        "Inspect animal",
        value=str(animal.unique_id),
        values=[str(a.unique_id) for a in animals[:200]],
        on_value=lambda value: selected_animal.set(int(value)),
    )
    solara.Text(inspector_line(animal, episode), classes=["inspector-line"])
    solara.Text(reason_line(model, animal, episode), classes=["inspector-reason"])
    solara.Text(plan_line(model, animal), classes=["inspector-plan"])
    solara.Text(modification_line(animal), classes=["inspector-modifications"])
    view = last_probe.value
    if view is not None and view.model is model and view.retargeting.after is episode:
        solara.HTML(tag="table", unsafe_innerHTML=probe_values_table(view, animal.unique_id), classes=["probe-values"])
    solara.FigureMatplotlib(figure, format="png")


def target_name(episode: Episode, index: int | None) -> str:
    if index is None:
        return "nothing it can reach"
    target = episode.world.targets[index]
    row, column = episode.world.layout.coordinate(target.cell)
    return f"{target.label.value} at ({row}, {column})"


def inspector_line(animal: Animal, episode: Episode) -> str:
    """What the inspected animal pursues this episode, and where it walks when that is out of reach."""
    plan = animal.plan_in(episode)
    line = f"animal {animal.unique_id} ({animal.genome.objective_kind.value} objective): planning budget " \
           f"{animal.genome.planning_budget}; pursues: {target_name(episode, plan.pursued)}"
    if plan.pursued is not None and not plan.pursued_in_reach:
        line += f", beyond its budget, so it walks to: {animal.heading_in(episode).value}"
    return line


def reason_line(model: EcosystemModel, animal: Animal, episode: Episode) -> str:
    """Why it pursues what it does, and what it believes about the episode."""
    why = why_pursued(episode, animal, goals_of(model, episode))
    believes = model.perceived_phase(animal) if episode is model.current_episode else model.phase
    text = "it pursues nothing" if why is None else REASON_LABELS[why]
    return f"Why: {text} (it believes this is {'training' if believes == TRAIN else 'deployment'})"


def plan_line(model: EcosystemModel, animal: Animal) -> str:
    """Its plan over the episodes it believes remain (far-sighted animals), else its horizon."""
    genome = animal.genome
    if genome.horizon <= 1:
        return "Plan: myopic, it looks at this episode only"
    if genome.phase_blind:
        return "Plan: phase-blind, it defects with one fixed probability in every episode"
    plan = model.lifetime_targets(animal)
    parts = [f"{name}: " + _runs([model.world.targets[t].label.value for t, p in plan if p == phase])
             for phase, name in ((TRAIN, "training"), (DEPLOY, "deployment")) if any(p == phase for _, p in plan)]  # fmt: skip
    return f"Plan over the {len(plan)} episodes it believes remain (horizon {genome.horizon}): " + "; ".join(parts)


def _runs(names: list[str]) -> str:
    """'exit x2, apple x3' for ['exit', 'exit', 'apple', 'apple', 'apple']."""
    runs = []
    for name in names:
        if runs and runs[-1][0] == name:
            runs[-1][1] += 1
        else:
            runs.append([name, 1])
    return ", ".join(name if count == 1 else f"{name} x{count}" for name, count in runs)


def modification_line(animal: Animal) -> str:
    """Its modifications, oldest first: the latest four with the weights each changed, the
    earlier ones as '...'."""
    if not animal.modification_history:
        return "Modifications: none"
    steps = []
    for generation, episode, step in animal.modification_history[-4:]:
        changes = ", ".join(f"{FEATURES[i]} {step[i]:+.2f}" for i in np.flatnonzero(np.abs(step) > 1e-9))
        steps.append(f"generation {generation + 1}, episode {episode + 1}: {changes}")
    more = len(animal.modification_history) - len(steps)
    return f"Modifications ({animal.modifications}): " + ("... " if more else "") + "; ".join(steps)


def probe_values_table(view: ProbeView, animal_id: int) -> str:
    """The rows of an HTML table: the value the animal gave each target before the probe and
    after it ('-' where the target was not there)."""
    rows = {}
    for episode, values, column in ((view.retargeting.before, view.before, 0), (view.retargeting.after, view.after, 1)):
        for index, value in enumerate(values.get(animal_id, ())):
            rows.setdefault(target_name(episode, index), ["-", "-"])[column] = f"{value:.2f}"
    header = "<tr>" + "".join(f"<th style='padding: 0 8px'>{h}</th>" for h in ("target", "value before the probe", "after"))
    return header + "</tr>" + "".join(
        "<tr>" + "".join(f"<td style='padding: 0 8px'>{html.escape(c)}</td>" for c in (name, *values)) + "</tr>"
        for name, values in rows.items())  # fmt: skip


def objective_figure(model: EcosystemModel, animal: Animal) -> Figure:
    """An animal's terminal objective as bars, one per perceivable feature; beside them, for an
    animal with a world model, its estimate of the base objective (with one standard
    deviation), and the base objective's true weights."""
    figure = Figure(figsize=(5.4, 2.7), layout="constrained")
    ax = figure.add_subplot()
    x = np.arange(len(FEATURES))
    objective = animal.terminal_objective
    width = 0.4 if animal.belief is not None else 0.8
    ax.bar(x - (width / 2 if animal.belief is not None else 0), objective, width,
           color=["#2a9d8f" if w >= 0 else "#e76f51" for w in objective], label="its terminal objective")  # fmt: skip
    if animal.belief is not None:
        ax.bar(x + width / 2, animal.belief.mean, width, yerr=animal.belief.sd, color="#8ecae6", ecolor="#555555",
               capsize=2, label="its estimate of the base objective")  # fmt: skip
    ax.plot(x, model.setup.objective.weights, "_", color="black", markersize=14, markeredgewidth=2,
            label="the base objective")  # fmt: skip
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_xticks(x, FEATURES)
    ax.legend(fontsize=7, loc="best")
    ax.set(title="Its objective: a weight per perceived feature", ylabel="weight")
    return figure


def _phase_key(model: EcosystemModel) -> tuple:
    """Changes exactly when the plots' data can have changed (an episode ended)."""
    return id(model), model.phase, model.generation, model.episode


def plot_component(figure_of):
    """A component showing `figure_of(model)`, redrawn only when an episode has ended."""

    @solara.component
    def Plot(model: EcosystemModel):
        update_counter.get()
        figure = solara.use_memo(lambda: figure_of(model), [_phase_key(model)])
        solara.FigureMatplotlib(figure, format="png")

    return Plot


PopulationPlot = plot_component(population_figure)
OutcomePlot = plot_component(outcomes_figure)
ScorePlot = plot_component(scores_figure)


@solara.component
def Laboratory(model: EcosystemModel):
    """The page's main area: the experiment and the phase; the maze and the inspector; the plots."""
    with solara.Columns([1, 1]):
        with solara.Card():
            ExperimentPicker()
        Banner(model)
    with solara.Columns([1, 1]):
        with solara.Card("The maze (click it to probe)"):
            WorldView(model)
        with solara.Card("Inspector"):
            AnimalInspector(model)
    with solara.Columns([1, 1, 1]):
        OutcomePlot(model)
        PopulationPlot(model)
        ScorePlot(model)


@solara.component
def Page():
    """One model per browser session and experiment: Mesa's SolaraViz for the controls and
    the inputs (its Reset builds a new model from them), and the page's own layout, in
    which every part is as tall as it needs (SolaraViz's grid gives each a fixed height)."""
    name = chosen_experiment.value
    model = solara.use_memo(lambda: solara.reactive(new_model(name)), [name])
    SolaraViz(
        model, components=[], model_params=page_inputs(name), name="Learned optimization: plants, animals and the shift",
        play_interval=20,
    ).key(name)  # a new experiment gets fresh controls, built from its own inputs
    Laboratory(model.value)
