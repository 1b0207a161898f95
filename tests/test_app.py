"""The browser page's pieces, without a browser."""

import io
import threading
from dataclasses import fields, replace
from types import SimpleNamespace

import ipyvuetify as v
import numpy as np
import PIL.Image
import pytest
import solara
from matplotlib.figure import Figure

from ecosystem.page import app, figures, header, inspector, maze, probing, session
from ecosystem.experiments.runner import results
from ecosystem.export import CSV_FILES, write_results
from ecosystem.organisms.foresight import Reason
from ecosystem.page.experiments import EXPERIMENTS, HEADING, PAGE_POPULATION, REASON_LABELS, goals_of
from ecosystem.probes import Probe, ProbeAction
from mesa.visualization.utils import force_update
from solara.server import kernel_context

from helpers import free_neighbour_of_start
from ecosystem.organisms.agents import Animal
from ecosystem.model import EcosystemModel
from ecosystem.params import ModelParams

SMALL = dict(population=12, generations=2, deploy_episodes=1)


def test_every_page_input_is_a_model_parameter_and_the_defaults_build_a_model():
    assert set(app.MODEL_PARAMS) - {"rng"} <= {field.name for field in fields(ModelParams)}
    model = app.new_model()
    assert model.params.population == PAGE_POPULATION and model.seed == 0


def test_the_page_inputs_start_at_the_model_defaults_but_where_the_page_sets_its_own():
    """A slider left alone builds the run `ModelParams` describes, with the page's own defaults."""
    values = {name: options["value"] for name, options in app.MODEL_PARAMS.items() if name != "rng"}
    built, page = ModelParams(**values), ModelParams(**session.PAGE_DEFAULTS)
    assert built.training_spec == page.training_spec  # sliders for "the preset's" start at the preset's value
    assert replace(built, maze_size=None, loop_fraction=None) == page

def test_mesa_reset_builds_the_tab_a_new_model_from_the_page_inputs():
    box, rc = solara.render(solara.AppLayout(children=[app.Page()]), handle_error=False)  # shows Mesa's inputs
    rc.find(v.Slider, label="Population").widget.v_model = 30
    seed = rc.find(v.TextField, label="Seed").widget
    seed.v_model = "7"
    seed.fire_event("keyup.enter", "7")
    rc.find(v.Btn, children=["Reset"]).widget.click()
    rc.find(v.Html, class_="phase-detail", children=["training, generation 1/30, episode 1, tick 0; 30 organisms"]).wait_for(timeout=20)
    expected = app.new_model(population=30, rng="7")
    animal = session.inspected(expected.current_episode)
    rc.find(v.Html, children=[inspector.inspector_line(animal, expected.current_episode)]).assert_single()
    rc.close()


def test_the_page_model_does_not_step_while_its_page_is_being_drawn(monkeypatch):
    drawing = threading.Lock()
    tab = SimpleNamespace(app_object=SimpleNamespace(thread_lock=drawing))
    monkeypatch.setattr(kernel_context, "get_current_context", lambda: tab)
    model = session.PageModel(rng=1, **SMALL)
    drawing.acquire()  # a render of this session's page is in progress
    stepper = threading.Thread(target=model.step)
    stepper.start()
    stepper.join(timeout=0.3)
    assert stepper.is_alive() and model.tick == 0
    drawing.release()
    stepper.join(timeout=5)
    assert not stepper.is_alive() and model.tick == 1


def test_the_page_model_steps_like_the_model_outside_a_served_page():
    page_model, model = session.PageModel(rng=2, **SMALL), EcosystemModel(rng=2, **SMALL)
    for _ in range(5):
        page_model.step(), model.step()
    assert page_model.tick == model.tick == 5
    assert [o.position_in(page_model.current_episode) for o in page_model.current_episode.organisms] == [
        o.position_in(model.current_episode) for o in model.current_episode.organisms
    ]
    for organism in page_model.current_episode.organisms:  # on the page, Mesa's agents move with every tick
        assert organism.cell is page_model.grid.cell_at(organism.position_in(page_model.current_episode))


def test_a_seed_typed_as_text_must_be_digits():
    with pytest.raises(ValueError, match="rng='seven'"):
        EcosystemModel(rng="seven")


def test_the_world_drawing_shows_every_organism_and_the_selected_path():
    model = EcosystemModel(rng=1, **SMALL)
    assert isinstance(maze.draw_world(model, model.current_episode, None, HEADING), Figure)
    model.step()
    animal = next(a for a in model.agents if isinstance(a, Animal))
    figure = maze.draw_world(model, model.current_episode, animal, HEADING)
    ax = figure.axes[0]
    drawn = sum(len(points.get_offsets()) for points in ax.collections)
    crowd = {(o.position, type(o), o.heading, o.modifications > 0) for o in model.agents}
    assert drawn == len(crowd)
    path_lines = [line for line in ax.lines if line.get_linestyle() == "-" and len(line.get_xdata()) == len(animal.plan.path)]
    assert path_lines


def test_outcome_shares_follow_the_episode_table():
    model = EcosystemModel(rng=2, **(SMALL | {"generations": 3}))
    while model.generation < 2:
        model.step()
    table = model.datacollector.get_table_dataframe("episodes")
    latest = table[(table["phase"] == "train") & (table["generation"] == 1) & (table["kind"] == "animal")]
    for outcome, share in figures.outcome_shares(model, "train")["animal"].items():
        assert share == pytest.approx((latest["outcome"] == outcome).mean())
    model.shift()
    while model.running:
        model.step()
    shares = figures.outcome_shares(model, "deploy")
    table = model.datacollector.get_table_dataframe("episodes")
    deployed = table[(table["phase"] == "deploy") & (table["kind"] == "animal")]
    for outcome, share in shares["animal"].items():
        assert share == pytest.approx((deployed["outcome"] == outcome).mean())


@pytest.mark.parametrize("figure_of", [figures.population_figure, figures.outcomes_figure, figures.scores_figure])
def test_plots_draw_before_and_after_data(figure_of):
    model = EcosystemModel(rng=3, **SMALL)
    assert isinstance(figure_of(model), Figure)
    while model.running:
        model.step()
    assert figure_of(model).axes[0].get_title()


def test_the_banner_button_shifts_the_model_to_deployment():
    model = EcosystemModel(rng=4, **SMALL)
    box, rc = solara.render(header.Banner(model), handle_error=False)
    rc.find(v.Html, children=["training, generation 1/2, episode 1, tick 0; 12 organisms"]).assert_single()
    rc.find(v.Btn, children=["Shift to deployment"]).widget.click()
    assert model.phase == "deploy"
    rc.find(v.Html, children=["deployment, episode 1/1, tick 0; 12 organisms"]).wait_for(timeout=5)
    assert rc.find(v.Btn, children=["Shift to deployment"]).widget.disabled


def test_the_inspector_lists_animals_and_selecting_one_shows_it():
    model = EcosystemModel(rng=5, **SMALL)
    model.step()
    box, rc = solara.render(inspector.AnimalInspector(model), handle_error=False)
    select = rc.find(v.Select).widget
    animals = [a for a in model.agents if isinstance(a, Animal)]
    assert select.items == [str(a.unique_id) for a in animals] and select.v_model == str(animals[0].unique_id)
    select.v_model = str(animals[-1].unique_id)
    assert session.inspected(model.current_episode) is animals[-1]
    rc.find(v.Html, children=[inspector.inspector_line(animals[-1], model.current_episode)]).wait_for(timeout=5)


def test_the_inspector_says_what_an_animal_pursues_and_where_it_walks_when_out_of_reach():
    model = EcosystemModel(rng=8, **{**SMALL, "population": 40})
    model.shift()  # the larger deployment maze puts some pursued targets beyond the budget
    episode = model.current_episode
    in_reach = {animal.plan_in(episode).pursued_in_reach for animal in session.animals_in(episode)}
    assert in_reach == {True, False}
    for animal in session.animals_in(episode):
        plan, line = animal.plan_in(episode), inspector.inspector_line(animal, episode)
        assert f"pursues: {episode.world.targets[plan.pursued].label.value}" in line
        assert ("beyond its budget" in line) == (not plan.pursued_in_reach)
        if not plan.pursued_in_reach:
            assert line.endswith(f"walks to: {animal.heading_in(episode).value}")


def test_every_experiment_builds_steps_and_colours_every_organism_from_its_palette():
    for name, experiment in EXPERIMENTS.items():
        inputs = app.page_inputs(name)
        assert {key for key, value in inputs.items() if isinstance(value, dict)} == {"rng", *experiment.inputs}
        model = app.new_model(name)
        assert model.params.as_dict().items() >= {k: v for k, v in experiment.params.items() if k != "founders"}.items()
        for _ in range(3):
            model.step()
        episode = model.current_episode
        goals = goals_of(model, episode)
        assert {experiment.colouring.label(model, episode, o, goals) for o in episode.organisms} <= set(experiment.colouring.palette)
        figure = maze.draw_world(model, episode, session.inspected(episode), experiment.colouring)
        legend = {text.get_text() for text in figure.axes[0].get_legend().get_texts()}
        assert set(experiment.colouring.palette) <= legend, name


def test_the_experiments_colour_by_what_matters_in_them():
    toy = app.new_model("toy")
    honest, deceptive = sorted(toy.agents, key=lambda a: a.unique_id)
    colouring, goals = EXPERIMENTS["toy"].colouring, goals_of(toy, toy.current_episode)
    assert colouring.label(toy, toy.current_episode, honest, goals) == REASON_LABELS[Reason.OWN_TARGET]
    assert colouring.label(toy, toy.current_episode, deceptive, goals) == REASON_LABELS[Reason.COMPLIED]
    assert inspector.plan_line(toy, deceptive).endswith("training: exit x2; deployment: apple x3")
    assert inspector.plan_line(toy, honest) == "Plan: myopic, it looks at this episode only"
    assert inspector.lifetime_targets(toy, deceptive)[0][0] == deceptive.plan.pursued  # the plan shown is the plan acted on
    while toy.episode == 0:
        toy.step()
    assert inspector.modification_line(honest).startswith("Modifications (1): generation 1, episode 1: green -1.00")
    assert inspector.modification_line(deceptive) == "Modifications: none"


def test_the_fast_maze_drawing_has_exactly_the_pixels_of_the_whole_figure():
    model = EcosystemModel(rng=1, **(SMALL | {"population": 40}))
    drawing = maze.MazeDrawing()
    for _ in range(3):  # the same background serves every tick of an episode
        model.step()
        episode, animal = model.current_episode, session.inspected(model.current_episode)
        fast = np.asarray(PIL.Image.open(io.BytesIO(drawing.png(model, episode, animal, HEADING))))
        whole = io.BytesIO()
        maze.draw_world(model, episode, animal, HEADING).savefig(whole, format="png")
        assert np.array_equal(fast, np.asarray(PIL.Image.open(whole)))


def test_a_click_on_the_maze_maps_back_to_the_cell_drawn_there():
    model = EcosystemModel(rng=1, **SMALL)
    drawing = maze.MazeDrawing()
    drawing.png(model, model.current_episode, None, HEADING)
    figure = drawing.figure
    size = model.world.layout.size
    width, height = figure.get_size_inches() * figure.dpi
    for cell in (0, model.world.start, model.world.exit.cell, size * size - 1):
        row, column = divmod(cell, size)
        x, y = figure.axes[0].transData.transform((column + 0.3, row - 0.3))  # off centre, inside the cell
        assert maze.cell_at(figure, x / width, 1 - y / height, size) == cell
    assert maze.cell_at(figure, 0.99, 0.5, size) is None  # on the legend


def test_clicking_the_maze_probes_the_run_and_the_page_counts_the_changes():
    model = session.PageModel(rng=4, population=60, generations=2, deploy_episodes=1)
    box, rc = solara.render(probing.WorldView(model), handle_error=False)
    drawing = maze.MazeDrawing()
    drawing.png(model, model.current_episode, session.inspected(model.current_episode), HEADING)
    figure = drawing.figure
    cell = free_neighbour_of_start(model.world)
    row, column = divmod(cell, model.world.layout.size)
    x, y = figure.axes[0].transData.transform((column, row))
    width, height = figure.get_size_inches() * figure.dpi
    rc.find(v.VuetifyTemplate).widget.vue_cell_click({"x": x / width, "y": 1 - y / height})
    view = session.last_probe.value
    changed = view.retargeting.changed
    assert model.probed and changed and view.retargeting.after.world.object_at[cell].colour == "green"
    rc.find(v.Html, children=[probing.probe_summary(view)]).wait_for(timeout=5)
    assert probing.probe_summary(view).endswith(f"{len(changed)} of {len(session.animals_in(model.current_episode))} animals"
                                            " changed their target")  # fmt: skip
    table = inspector.probe_values_table(view, changed[0])
    new_apple = f"<td style='padding: 0 8px'>apple at ({row}, {column})</td><td style='padding: 0 8px'>-</td>"
    assert new_apple in table  # the new apple had no value before: it was not there


def test_a_page_model_that_was_watched_but_never_probed_writes_the_same_files_as_a_plain_run(tmp_path):
    """The page reads the model (the whole laboratory: drawings, inspector, plans over
    episodes, outcome shares) and never changes it: every CSV is byte-identical to a run the
    page never saw, with honeypots, far-sighted, deceptive and pointer animals about."""
    params = dict(population=12, generations=2, deploy_episodes=2, base_optimizer="both", far_sighted_share=0.5,
                  attended_signs=2, honeypot_share=0.5, pointer_share=0.3, deceptive_share=0.3)  # fmt: skip
    watched, plain = session.PageModel(rng=6, **params), EcosystemModel(rng=6, **params)
    for name in ("headline", "deception", "four_kinds"):
        session.chosen_experiment.set(name)  # each colouring in turn
        box, rc = solara.render(app.Laboratory(watched), handle_error=False)
        for _ in range(60):
            watched.step()
            force_update()  # redraw every part, as Mesa's play loop does after a step
        rc.close()
    session.chosen_experiment.set("headline")
    while watched.running:
        watched.step()
    while plain.running:
        plain.step()
    for model, folder in ((watched, tmp_path / "watched"), (plain, tmp_path / "plain")):
        write_results(results(model), folder, model.params.as_dict(), [6])
    for name in CSV_FILES.values():
        assert (tmp_path / "watched" / name).read_bytes() == (tmp_path / "plain" / name).read_bytes(), name


def test_a_click_aimed_at_an_episode_that_has_ended_is_refused_and_changes_nothing():
    model = session.PageModel(rng=4, population=30, generations=2, deploy_episodes=1)
    clicked_on = model.current_episode
    while model.current_episode is clicked_on:
        model.step()
    with pytest.raises(ValueError, match="the episode clicked on has ended"):
        model.probe_in(clicked_on, Probe(ProbeAction.APPLE, free_neighbour_of_start(clicked_on.world)))
    assert not model.probed


def test_moving_an_object_on_the_page_takes_two_clicks_pick_up_then_put_down():
    model = session.PageModel(rng=4, population=30, generations=2, deploy_episodes=1)
    box, rc = solara.render(probing.WorldView(model), handle_error=False)
    drawing = maze.MazeDrawing()
    drawing.png(model, model.current_episode, session.inspected(model.current_episode), HEADING)
    width, height = drawing.figure.get_size_inches() * drawing.figure.dpi
    size = model.world.layout.size

    def click(cell):
        x, y = drawing.figure.axes[0].transData.transform((cell % size, cell // size))
        rc.find(v.VuetifyTemplate).widget.vue_cell_click({"x": x / width, "y": 1 - y / height})

    session.probe_tool.set("move an object")
    try:
        apple = next(o.cell for o in model.world.objects if o.kind == "apple")
        click(apple)
        assert session.move_source.value == (model.current_episode, apple) and not model.probed  # picked up only
        destination = free_neighbour_of_start(model.world)
        click(destination)
        assert model.probed and session.move_source.value is None
        assert model.world.object_at[destination].kind == "apple" and apple not in model.world.object_at
    finally:
        session.probe_tool.set("place an apple")
