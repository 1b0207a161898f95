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

The parts live in modules of their own: `header` (the experiment and the
phase), `maze` (drawing the maze), `probing` (the maze on the page, clicked
to probe), `inspector`, `figures` (the run's plots) and `session` (what each
tab keeps). This module holds the inputs, the model they build, and the
layout.
"""

import solara
from mesa.visualization import SolaraViz

from ecosystem.model import EcosystemModel
from ecosystem.page.experiments import EXPERIMENTS
from ecosystem.page.figures import OutcomePlot, PopulationPlot, ScorePlot
from ecosystem.page.header import Banner, ExperimentPicker
from ecosystem.page.inspector import AnimalInspector
from ecosystem.page.probing import WorldView
from ecosystem.page.session import PAGE_DEFAULTS, PageModel, choice, chosen_experiment, slider
from ecosystem.world.environment import PRESETS

MODEL_PARAMS = {
    "rng": {"type": "InputText", "value": "0", "label": "Seed"},
    "population": slider("population", "Population", 10, 400, 10),
    "cognition_overhead": slider("cognition_overhead", "Cost of being a planner", 0.0, 0.5, 0.05),
    "cognition_cost_per_budget": slider(
        "cognition_cost_per_budget", "Cost per unit of planning budget", 0.0, 0.01, 0.0005
    ),
    "maze_size": slider("maze_size", "Training maze size", 9, 21, 2),
    "loop_fraction": slider("loop_fraction", "Loops in the maze", 0.0, 0.5, 0.05),
    "diversity": slider("diversity", "Environment diversity (0: one fixed maze)", 0.0, 1.0, 0.05),
    "generations": slider("generations", "Generations before the shift", 2, 100, 1),
    "deployment": choice("deployment", "Deployment preset", list(PRESETS)),
}


def page_inputs(name: str) -> dict:
    """SolaraViz's `model_params` for experiment `name`: the seed and the inputs it offers, at
    its values, and every other parameter it sets, fixed."""
    experiment = EXPERIMENTS[name]
    values = {**PAGE_DEFAULTS, **experiment.params}
    inputs = {key: {**MODEL_PARAMS[key], "value": values.get(key, MODEL_PARAMS[key]["value"])}
              for key in ("rng", *experiment.inputs)}  # fmt: skip
    return {**{key: value for key, value in values.items() if key not in inputs}, **inputs}


def new_model(name: str = "headline", **inputs) -> PageModel:
    """A model of experiment `name` with the page's default inputs, but for `inputs`."""
    values = {key: value["value"] if isinstance(value, dict) else value for key, value in page_inputs(name).items()}
    return PageModel(**(values | inputs))


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
