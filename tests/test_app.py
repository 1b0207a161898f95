"""The browser page's pieces, without a browser."""

import threading
from types import SimpleNamespace

import ipyvuetify as v
import pytest
import solara
from matplotlib.figure import Figure

from ecosystem.page import app
from ecosystem.organisms.agents import Animal
from ecosystem.model import EcosystemModel
from ecosystem.params import ModelParams

SMALL = dict(population=12, generations=2, deploy_episodes=1)


def test_every_page_input_is_a_model_parameter_and_the_defaults_build_a_model():
    assert set(app.MODEL_PARAMS) - {"rng"} <= set(ModelParams.__dataclass_fields__)
    model = app.new_model()
    assert model.params.population == app.PAGE_POPULATION and model.seed == 0


def test_mesa_reset_path_builds_a_model_from_the_page_inputs():
    from mesa.visualization.solara_viz import _build_model_init_kwargs

    model = app.new_model()
    values = {name: options["value"] for name, options in app.MODEL_PARAMS.items()} | {"population": 30, "rng": "7"}
    kwargs = _build_model_init_kwargs(model, values, add_scenario_when_empty=True, require_model_accepts_scenario=True)
    rebuilt = type(model)(**kwargs)
    assert rebuilt.params.population == 30 and rebuilt.seed == 7


def test_the_page_model_does_not_step_while_its_page_is_being_drawn(monkeypatch):
    drawing = threading.Lock()
    session = SimpleNamespace(app_object=SimpleNamespace(thread_lock=drawing))
    monkeypatch.setattr(app.kernel_context, "get_current_context", lambda: session)
    model = app.PageModel(rng=1, **SMALL)
    drawing.acquire()  # a render of this session's page is in progress
    stepper = threading.Thread(target=model.step)
    stepper.start()
    stepper.join(timeout=0.3)
    assert stepper.is_alive() and model.tick == 0
    drawing.release()
    stepper.join(timeout=5)
    assert not stepper.is_alive() and model.tick == 1


def test_the_page_model_steps_like_the_model_outside_a_served_page():
    page_model, model = app.PageModel(rng=2, **SMALL), EcosystemModel(rng=2, **SMALL)
    for _ in range(5):
        page_model.step(), model.step()
    assert page_model.tick == model.tick == 5
    assert [o.position_in(page_model.current_episode) for o in page_model.current_episode.organisms] == [
        o.position_in(model.current_episode) for o in model.current_episode.organisms
    ]


def test_a_seed_typed_as_text_must_be_digits():
    with pytest.raises(ValueError, match="rng='seven'"):
        EcosystemModel(rng="seven")


def test_the_world_drawing_shows_every_organism_and_the_selected_path():
    model = EcosystemModel(rng=1, **SMALL)
    assert isinstance(app.draw_world(model.current_episode, None), Figure)
    model.step()
    animal = next(a for a in model.agents if isinstance(a, Animal))
    figure = app.draw_world(model.current_episode, animal)
    ax = figure.axes[0]
    drawn = sum(len(points.get_offsets()) for points in ax.collections)
    crowd = {(o.position, type(o), o.heading) for o in model.agents}
    assert drawn == len(crowd)
    path_lines = [line for line in ax.lines if line.get_linestyle() == "-" and len(line.get_xdata()) == len(animal.plan.path)]
    assert path_lines


def test_outcome_shares_follow_the_episode_table():
    model = EcosystemModel(rng=2, **(SMALL | {"generations": 3}))
    while model.generation < 2:
        model.step()
    table = model.datacollector.get_table_dataframe("episodes")
    latest = table[(table["phase"] == "train") & (table["generation"] == 1) & (table["kind"] == "animal")]
    for outcome, share in app.outcome_shares(model, "train")["animal"].items():
        assert share == pytest.approx((latest["outcome"] == outcome).mean())
    model.shift()
    while model.running:
        model.step()
    shares = app.outcome_shares(model, "deploy")
    table = model.datacollector.get_table_dataframe("episodes")
    deployed = table[(table["phase"] == "deploy") & (table["kind"] == "animal")]
    for outcome, share in shares["animal"].items():
        assert share == pytest.approx((deployed["outcome"] == outcome).mean())


@pytest.mark.parametrize("figure_of", [app.population_figure, app.outcomes_figure, app.scores_figure])
def test_plots_draw_before_and_after_data(figure_of):
    model = EcosystemModel(rng=3, **SMALL)
    assert isinstance(figure_of(model), Figure)
    while model.running:
        model.step()
    assert figure_of(model).axes[0].get_title()


def test_the_banner_button_shifts_the_model_to_deployment():
    model = EcosystemModel(rng=4, **SMALL)
    box, rc = solara.render(app.Banner(model), handle_error=False)
    rc.find(v.Html, children=["training, generation 1/2, episode 1, tick 0; 12 organisms"]).assert_single()
    rc.find(v.Btn, children=["Shift to deployment"]).widget.click()
    assert model.phase == "deploy"
    rc.find(v.Html, children=["deployment, episode 1/1, tick 0; 12 organisms"]).wait_for(timeout=5)
    assert rc.find(v.Btn, children=["Shift to deployment"]).widget.disabled


def test_the_inspector_lists_animals_and_selecting_one_shows_it():
    model = EcosystemModel(rng=5, **SMALL)
    model.step()
    box, rc = solara.render(app.AnimalInspector(model), handle_error=False)
    select = rc.find(v.Select).widget
    animals = [a for a in model.agents if isinstance(a, Animal)]
    assert select.items == [str(a.unique_id) for a in animals] and select.v_model == str(animals[0].unique_id)
    select.v_model = str(animals[-1].unique_id)
    assert app.inspected(model.current_episode) is animals[-1]
    rc.find(v.Html, children=[app.inspector_line(animals[-1], model.current_episode)]).wait_for(timeout=5)


def test_the_inspector_says_what_an_animal_pursues_and_where_it_walks_when_out_of_reach():
    model = EcosystemModel(rng=8, **{**SMALL, "population": 40})
    model.shift()  # the larger deployment maze puts some pursued targets beyond the budget
    episode = model.current_episode
    in_reach = {animal.plan_in(episode).pursued_in_reach for animal in app.animals_in(episode)}
    assert in_reach == {True, False}
    for animal in app.animals_in(episode):
        plan, line = animal.plan_in(episode), app.inspector_line(animal, episode)
        assert f"pursues: {episode.world.targets[plan.pursued].label.value}" in line
        assert ("beyond its budget" in line) == (not plan.pursued_in_reach)
        if not plan.pursued_in_reach:
            assert line.endswith(f"walks to: {animal.heading_in(episode).value}")
