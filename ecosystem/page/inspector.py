"""The inspector: one animal, in words and one figure.

What it pursues this episode and why, what it believes about the episode,
its plan over the episodes it believes remain, every modification it
received, its terminal objective against its world model's estimate of the
base objective and the base objective itself, and, after a probe, the value
it gave each target before and after.
"""

import html

import numpy as np
import solara
from matplotlib.figure import Figure
from mesa.visualization.utils import update_counter

from ecosystem.model import EcosystemModel
from ecosystem.organisms.agents import Animal
from ecosystem.organisms.episode import Episode
from ecosystem.page.experiments import REASON_LABELS, goals_of, why_pursued
from ecosystem.page.session import ProbeView, animals_in, inspected, last_probe, selected_animal
from ecosystem.world.constants import DEPLOY, FEATURES, TRAIN, Phase


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
    """Target `index` of `episode`'s world as the inspector names it: what it is and where."""
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
    believes = model.minds.awareness.phase_of(animal) if episode is model.current_episode else model.phase
    text = "it pursues nothing" if why is None else REASON_LABELS[why]
    return f"Why: {text} (it believes this is {'training' if believes == TRAIN else 'deployment'})"


def plan_line(model: EcosystemModel, animal: Animal) -> str:
    """Its plan over the episodes it believes remain (far-sighted animals), else its horizon."""
    genome = animal.genome
    if genome.horizon <= 1:
        return "Plan: myopic, it looks at this episode only"
    if genome.phase_blind:
        return "Plan: phase-blind, it defects with one fixed probability in every episode"
    plan = lifetime_targets(model, animal)
    parts = [f"{name}: " + _runs([model.world.targets[t].label.value for t, p in plan if p == phase])
             for phase, name in ((TRAIN, "training"), (DEPLOY, "deployment")) if any(p == phase for _, p in plan)]  # fmt: skip
    return f"Plan over the {len(plan)} episodes it believes remain (horizon {genome.horizon}): " + "; ".join(parts)


def lifetime_targets(model: EcosystemModel, animal: Animal) -> tuple[tuple[int, Phase], ...]:
    """What a far-sighted, not phase-blind `animal` expects to pursue in the episodes it believes
    remain, in the world under way (see `LifetimePlanner.lifetime_targets`)."""
    return model.minds.planner.lifetime_targets(animal, model.setup.objective.options(model.world))


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
