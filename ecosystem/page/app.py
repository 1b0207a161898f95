"""The browser page: watch evolution shape plants and animals, then shift the world.

Served by `python -m ecosystem serve` with Mesa's SolaraViz: the maze seen
from above with every organism on it, a banner saying where the run is, a
button that shifts the world to deployment, live plots of who holds the
population and how episodes end, and an inspector that shows one animal's
mesa-objective and planned path. Every browser session builds its own model.

Everything is drawn with matplotlib (the page loads no plotting library
from the web).
"""

from collections import Counter

import numpy as np
import pandas as pd
import solara
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from mesa.visualization import SolaraViz
from mesa.visualization.utils import force_update, update_counter
from solara.server import kernel_context

from ecosystem.organisms.agents import Animal, Plant
from ecosystem.world.constants import COLOUR_RGB, DEPLOY, FEATURES, TRAIN, Kind, Reached
from ecosystem.world.environment import PRESETS
from ecosystem.organisms.episode import Episode
from ecosystem.measure import metrics
from ecosystem.model import EcosystemModel
from ecosystem.measure.outcomes import Outcome
from ecosystem.plots import OUTCOME_COLOURS, OUTCOME_LABELS, plot_kind_shares

PAGE_POPULATION = 100
HEADING_COLOURS = {
    Reached.EXIT: "#2a9d8f",
    Reached.APPLE: "#e76f51",
    Reached.CORNER: "#8e44ad",
    Reached.NONE: "#4a4a4a",
}
KIND_MARKERS = {Plant: "^", Animal: "o"}
WALL, FLOOR = (0.16, 0.17, 0.2), (0.96, 0.95, 0.92)

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


class PageModel(EcosystemModel):
    """The model as the page runs it: it never steps while the page is being drawn.

    Mesa's play loop steps the model every `play_interval` ms and asks for a
    redraw. When a redraw is already running on another thread (the one that
    handled a click on play, say), the request is left to that thread, which
    redraws again for as long as requests keep arriving faster than it draws:
    on a loaded machine the page then freezes while the model runs on unseen.
    Waiting for the drawing in progress before each step keeps the model at
    most one frame ahead of what the page shows.
    """

    def step(self) -> None:
        wait_for_the_page_to_draw()
        super().step()


def wait_for_the_page_to_draw(most_seconds: float = 2.0) -> None:
    """Return once no render of this browser session's page is in progress (or after `most_seconds`)."""
    try:
        render_context = kernel_context.get_current_context().app_object
    except RuntimeError:  # not on a served page (a script, a test)
        return
    lock = getattr(render_context, "thread_lock", None)
    if lock is not None and lock.acquire(timeout=most_seconds):
        lock.release()


def new_model() -> PageModel:
    """A model with the page's default parameters."""
    return PageModel(**{name: options["value"] for name, options in MODEL_PARAMS.items()})


def outcome_shares(model: EcosystemModel, phase: str) -> dict[str, dict[str, float]]:
    """Share of each outcome by kind, over a phase's finished episodes (training: the latest
    generation), from `metrics.outcome_shares`; 0 for an absent kind.

    Reads only the four columns it needs: the banner calls it at every redraw after the shift.
    """
    table = model.datacollector.tables["episodes"]
    rows = pd.DataFrame({column: table[column] for column in ("phase", "generation", "kind", "outcome")})
    if phase == TRAIN:
        rows = rows[rows["phase"] == TRAIN]
        rows = rows[rows["generation"] == rows["generation"].max()]
    else:
        rows = rows[rows["phase"] == DEPLOY]
    return {kind: {o: 0.0 if np.isnan(s) else s for o, s in shares.items()}
            for kind, shares in metrics.outcome_shares(rows).items()}  # fmt: skip


def draw_world(episode: Episode, selected: Animal | None) -> Figure:
    """The maze from above: walls, objects, the corner, every organism, one planned path."""
    figure = Figure(figsize=(5.6, 4.0), dpi=90)
    ax = figure.add_axes((0.01, 0.01, 0.7, 0.98))  # a fixed layout: the page redraws this every tick
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
    if selected is not None:
        path = [world.layout.coordinate(c) for c in selected.plan_in(episode).path]
        ax.plot([c for _, c in path], [r for r, _ in path], "-", color="#f4a261", linewidth=3, alpha=0.8)
    crowd = Counter((o.position_in(episode), type(o), o.heading_in(episode)) for o in episode.organisms)
    for kind, marker in KIND_MARKERS.items():
        groups = [(cell, heading, count) for (cell, k, heading), count in crowd.items() if k is kind]
        if not groups:
            continue
        rows, columns = np.divmod([cell for cell, _, _ in groups], size)
        offset = -0.18 if kind is Plant else 0.18
        ax.scatter(columns + offset, rows, marker=marker, s=[(5 + 3 * np.sqrt(n)) ** 2 for _, _, n in groups],
                   c=[HEADING_COLOURS[h] for _, h, _ in groups], edgecolors="white", linewidths=0.8, zorder=3)  # fmt: skip
    ax.set_xlim(-0.5, size - 0.5)
    ax.set_ylim(size - 0.5, -0.5)
    ax.set_axis_off()
    ax.legend(handles=_world_legend(), loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=7, frameon=False)
    return figure


def _square(row, column, side, face="none", edge="black", style="-"):
    half = side / 2
    return Rectangle((column - half, row - half), side, side, facecolor=face, edgecolor=edge, linestyle=style, linewidth=1.5)


def _world_legend() -> list[Line2D]:
    kinds = [Line2D([], [], marker=m, linestyle="", color="#777777", label=f"{k.__name__.lower()}")
             for k, m in KIND_MARKERS.items()]  # fmt: skip
    headings = [Line2D([], [], marker="s", linestyle="", color=c, label=f"going for: {h.value}")
                for h, c in HEADING_COLOURS.items()]  # fmt: skip
    corner = Line2D([], [], marker="s", linestyle="", markerfacecolor="none", markeredgecolor="#8e44ad",
                    label="the corner")  # fmt: skip
    path = Line2D([], [], color="#f4a261", linewidth=3, label="planned path")
    return [*kinds, *headings, corner, path]


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
        solara.Button("Shift to deployment", on_click=shift, disabled=not training, color="warning")
        if not training:
            shares = outcome_shares(model, DEPLOY)["animal"]
            solara.Text("animals so far: " + ", ".join(f"{OUTCOME_LABELS[o]} {shares[o]:.0%}" for o in Outcome),
                        classes=["outcome-summary"], style={"font-size": "14px"})  # fmt: skip


selected_animal = solara.reactive(None)  # per browser session: the unique_id of the inspected animal


def animals_in(episode: Episode) -> list[Animal]:
    return [o for o in episode.organisms if isinstance(o, Animal)]


def inspected(episode: Episode) -> Animal | None:
    """The animal chosen in the inspector, or the episode's first animal."""
    animals = animals_in(episode)
    chosen = next((a for a in animals if a.unique_id == selected_animal.value), None)
    return chosen or (animals[0] if animals else None)


@solara.component
def WorldView(model: EcosystemModel):
    """The maze from above, with the inspected animal's planned path."""
    update_counter.get()
    selected_animal.get()
    episode = model.current_episode  # one consistent snapshot, even while the model steps
    solara.FigureMatplotlib(draw_world(episode, inspected(episode)), format="png")


@solara.component
def AnimalInspector(model: EcosystemModel):
    """Pick an animal; see its mesa-objective and what it is going for."""
    update_counter.get()
    selected_animal.get()
    episode = model.current_episode
    animal = inspected(episode)
    objective = None if animal is None else animal.objective  # its genome's, plus any modification
    key = None if animal is None else (animal.unique_id, animal.modifications)
    figure = solara.use_memo(lambda: objective_figure(objective) if animal else None, [key])
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
    solara.Text(inspector_line(animal, episode))
    solara.FigureMatplotlib(figure, format="png")


def inspector_line(animal: Animal, episode: Episode) -> str:
    """What the inspected animal pursues this episode, and where it walks when that is out of reach."""
    plan, targets = animal.plan_in(episode), episode.world.targets
    pursued = "nothing it can reach" if plan.pursued is None else targets[plan.pursued].label.value
    line = f"animal {animal.unique_id}: planning budget {animal.genome.planning_budget}; pursues: {pursued}"
    if plan.pursued is not None and not plan.pursued_in_reach:
        line += f", beyond its budget, so it walks to: {animal.heading_in(episode).value}"
    return line


def objective_figure(objective: np.ndarray) -> Figure:
    """An animal's mesa-objective as bars, one per perceivable feature."""
    figure = Figure(figsize=(5.4, 2.5), layout="constrained")
    ax = figure.add_subplot()
    ax.bar(FEATURES, objective, color=["#2a9d8f" if w >= 0 else "#e76f51" for w in objective])
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set(title="Its mesa-objective: a weight per perceived feature", ylabel="weight")
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
def Page():
    """One model per browser session, shown with Mesa's SolaraViz."""
    model = solara.use_memo(new_model, [])
    SolaraViz(
        model,
        components=[
            (Banner, 0), (WorldView, 0), (AnimalInspector, 0), (OutcomePlot, 0), (PopulationPlot, 0), (ScorePlot, 0),
        ],  # fmt: skip
        model_params=MODEL_PARAMS,
        name="Learned optimization: plants, animals and the shift",
        play_interval=20,
    )
