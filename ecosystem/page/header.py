"""The top of the page: which experiment runs and what to look for in it, and where the run
is (training or deployment), with the button that shifts the world."""

import solara
from mesa.visualization.utils import force_update, update_counter

from ecosystem.measure.outcomes import Outcome
from ecosystem.model import EcosystemModel
from ecosystem.experiments.runner import where
from ecosystem.page.experiments import EXPERIMENTS
from ecosystem.page.figures import outcome_shares
from ecosystem.page.session import choose, chosen_experiment
from ecosystem.plots import OUTCOME_LABELS
from ecosystem.world.constants import DEPLOY, TRAIN


@solara.component
def ExperimentPicker():
    """Choose an experiment; read what to look for in it."""
    experiment = EXPERIMENTS[chosen_experiment.value]
    solara.Select("Experiment", value=experiment.title, values=[e.title for e in EXPERIMENTS.values()],
                  on_value=lambda title: choose(next(n for n, e in EXPERIMENTS.items() if e.title == title)))  # fmt: skip
    solara.Text(experiment.banner, classes=["experiment-banner"], style={"font-size": "15px"})


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
        solara.Text(f"{where(model)}, tick {model.tick}; {len(model.agents)} organisms", classes=["phase-detail"],
                    style={"font-size": "18px"})  # fmt: skip
        solara.Text(model.setup.spec.describe(), style={"font-size": "14px"})
        if model.probed:
            solara.Text("This episode was probed: it is left out of the run's figures.", classes=["probed-notice"],
                        style={"font-size": "14px", "font-weight": "600"})  # fmt: skip
        solara.Button("Shift to deployment", on_click=shift, disabled=not training, color="warning")
        if not training:
            shares = outcome_shares(model, DEPLOY)["animal"]
            solara.Text("animals so far: " + ", ".join(f"{OUTCOME_LABELS[o]} {shares[o]:.0%}" for o in Outcome),
                        classes=["outcome-summary"], style={"font-size": "14px"})  # fmt: skip
