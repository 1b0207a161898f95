"""The page in a real browser: headless Chromium driven by Playwright.

Records the page's pace (ticks per second while playing) in
test-output/browser/pace.txt; it is a measurement, not an assertion.
One server serves every test of the module.
"""

import re
import shutil
import time
from pathlib import Path

import pytest

from ecosystem.page import app, maze, probing, session
from ecosystem.page.experiments import EXPERIMENTS
from ecosystem.probes import Probe, ProbeAction

from browser import CHROMIUM, CHROMIUM_ARGS, require_chromium, served_page
from helpers import free_neighbour_of_start

pytestmark = pytest.mark.slow
OUTPUT = Path(__file__).resolve().parents[1] / "test-output" / "browser"
PACE_SECONDS = 6
# How long the page may take to show one change: a new experiment's model (with its pretraining) took
# over 90 s on a 2-core machine loaded by a second test run, so a wide margin over that.
PAGE_WAIT_MS = 300_000


@pytest.fixture(scope="module")
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def url():
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with (OUTPUT / "server.log").open("w") as log, served_page(log=log) as (_, address):
        yield address


class Watched:
    """A page, with every console error and failed request it produced."""

    def __init__(self, browser, url):
        self.page = browser.new_context(viewport={"width": 1600, "height": 1100}).new_page()
        self.problems = []
        self.page.on("console", lambda m: self.problems.append(f"console: {m.text}") if m.type == "error" else None)
        self.page.on("requestfailed", lambda r: self.problems.append(f"failed: {r.url}"))
        self.page.on("response", lambda r: self.problems.append(f"{r.status}: {r.url}") if r.status >= 400 else None)
        self.page.goto(url)
        self.detail_contains("generation 1/")

    def detail(self) -> str:
        return self.page.locator(".phase-detail").inner_text()

    def detail_contains(self, text: str, timeout: float = PAGE_WAIT_MS) -> None:
        self.page.locator(".phase-detail", has_text=text).wait_for(timeout=timeout)

    def button(self, name: str):
        return self.page.get_by_role("button", name=name, exact=True)

    def step_until(self, pattern: str, most: int = 200, seconds_per_step: float = 120) -> None:
        """Click Step until the banner's detail matches `pattern` (a regular expression).

        Each click waits for the page to show its step before the next: clicks
        made while a step is still playing would queue on the server, and a
        click that follows (Shift, say) would wait behind all of them.
        """
        for _ in range(most):
            before = self.detail()
            if re.search(pattern, before):
                return
            self.button("Step").click()
            deadline = time.monotonic() + seconds_per_step
            while self.detail() == before:
                if time.monotonic() > deadline:
                    raise AssertionError(f"a Step click did not change the banner in {seconds_per_step} s: {before!r}")
                self.page.wait_for_timeout(100)
        raise AssertionError(f"after {most} steps the banner says {self.detail()!r}, not {pattern!r}")

    def wait_for_ticks_above(self, ticks: float, seconds: float = 60) -> None:
        """Wait until the model has played past `ticks` (the page's own clock)."""
        deadline = time.monotonic() + seconds
        while self.ticks() <= ticks:
            if time.monotonic() > deadline:
                raise AssertionError(f"playing did not advance the model; the page says {self.page.inner_text('body')!r}")
            time.sleep(0.2)

    def ticks(self) -> float:
        return float(re.search(r"Time: ([\d.]+)", self.page.locator("text=Time:").inner_text()).group(1))

    def choose(self, label: str, option: str) -> None:
        """Pick `option` in the drop-down list labelled `label`."""
        self.page.locator(".v-select", has_text=label).click()
        self.page.get_by_role("option", name=option, exact=True).click()

    def text_of(self, css_class: str) -> str:
        return self.page.locator(f".{css_class}").inner_text()

    def click_cell(self, fraction_x: float, fraction_y: float) -> None:
        """Click the maze drawing at fractions of its width and height from its top left."""
        maze = self.page.locator(".maze-view")
        box = maze.bounding_box()
        maze.click(position={"x": fraction_x * box["width"], "y": fraction_y * box["height"]})


def test_the_page_tells_the_story_in_a_real_browser(browser, url, tmp_path):
    first = Watched(browser, url)
    page = first.page
    assert page.locator(".phase-banner").inner_text() == "TRAINING"
    first.button("Step").click()
    first.detail_contains("tick 1;")
    images = page.locator("img")
    assert images.count() >= 5  # maze, objective, three plots
    assert all(images.nth(i).is_visible() for i in range(images.count()))

    first.button("▶").click()
    first.wait_for_ticks_above(first.ticks())
    before, started = first.ticks(), time.monotonic()
    time.sleep(PACE_SECONDS)
    pace = (first.ticks() - before) / (time.monotonic() - started)
    first.button("❚❚").click()
    (OUTPUT / "pace.txt").write_text(f"{pace:.1f} ticks per second while playing, default settings\n")
    print(f"pace: {pace:.1f} ticks/s")
    assert pace > 0

    ticks_per_step = page.locator(".v-input", has_text="Render Interval").get_by_role("slider")
    ticks_per_step.focus()
    ticks_per_step.press("End")  # each Step now plays 100 ticks, so the test needs few clicks
    first.step_until(r"generation [2-9]/")  # stepping advances the generation counter

    first.button("Shift to deployment").click()
    page.locator(".phase-banner", has_text="DEPLOYMENT").wait_for(timeout=PAGE_WAIT_MS)
    first.detail_contains("deployment, episode 1/")
    first.step_until(r"deployment, episode ([2-9]|10)/")  # at least one episode after the shift
    summary = page.locator(".outcome-summary").inner_text()
    for outcome in ("robust", "goal misgeneralization", "capability failure"):
        assert outcome in summary

    second = Watched(browser, url)  # a second tab has a model of its own
    assert second.page.locator(".phase-banner").inner_text() == "TRAINING"
    second.button("Step").click()
    second.detail_contains("tick 1;")
    assert "deployment" in first.detail()

    population = second.page.locator(".v-input", has_text="Population").get_by_role("slider")
    population.focus()
    population.press("ArrowRight")
    second.button("Reset").click()
    second.detail_contains("110 organisms")
    assert "100 organisms" in first.detail() or "deployment" in first.detail()

    for name, watched in (("first", first), ("second", second)):
        watched.page.screenshot(path=tmp_path / f"{name}.png", full_page=True)
        shutil.copy(tmp_path / f"{name}.png", OUTPUT / f"{name}.png")
    assert first.problems == [] and second.problems == []


@pytest.mark.timeout(1800)  # one model per experiment: about 120 s on a loaded machine, each allowed PAGE_WAIT_MS
def test_every_experiment_loads_and_steps_with_no_console_error_or_failed_request(browser, url):
    watched, other = Watched(browser, url), Watched(browser, url)
    for name, experiment in EXPERIMENTS.items():
        watched.choose("Experiment", experiment.title)
        watched.page.get_by_text(experiment.banner[:60]).wait_for(timeout=PAGE_WAIT_MS)
        organisms = len(app.new_model(name).agents)
        watched.detail_contains(f"tick 0; {organisms} organisms")
        watched.button("Step").click()
        watched.detail_contains(f"tick 1; {organisms} organisms")
    watched.page.screenshot(path=OUTPUT / "experiments.png", full_page=True)
    assert "headline" in other.page.locator(".v-select", has_text="Experiment").inner_text().lower()
    assert other.detail().startswith("training, generation 1/30, episode 1, tick 0; 100 organisms")  # tabs stay apart
    assert watched.problems == [] and other.problems == []


def first_animal_that_follows_a_green_apple() -> tuple:
    """A seed whose first animal, the one the inspector shows, pursues a green apple placed next
    to the start; the cell, and the probe's outcome, worked out here on the same model."""
    for seed in range(50):
        model = app.new_model(rng=str(seed))
        first = session.inspected(model.current_episode)
        cell = free_neighbour_of_start(model.world)
        view = model.probe_in(model.current_episode, Probe(ProbeAction.APPLE, cell))
        if first.unique_id in view.retargeting.changed:
            return seed, cell, model, view
    raise AssertionError("no seed below 50 has a first animal that prefers a green apple by the start")


def test_a_green_apple_by_the_start_retargets_the_inspected_animal_and_the_page_counts_it(browser, url):
    seed, cell, model, expected = first_animal_that_follows_a_green_apple()
    watched = Watched(browser, url)
    seed_input = watched.page.locator(".v-input", has_text="Seed").locator("input")
    seed_input.fill(str(seed))
    seed_input.press("Enter")
    watched.button("Reset").click()
    animal = session.inspected(expected.retargeting.before)
    watched.page.locator(".inspector-line", has_text=f"animal {animal.unique_id} ").wait_for()
    before = watched.text_of("inspector-line")
    drawing = maze.MazeDrawing()  # the page's drawing of any maze of this size has the same layout
    drawing.png(model, expected.retargeting.before, animal, EXPERIMENTS["headline"].colouring)
    figure = drawing.figure
    size = expected.retargeting.after.world.layout.size
    row, column = divmod(cell, size)
    x, y = figure.axes[0].transData.transform((column, row))
    width, height = figure.get_size_inches() * figure.dpi
    watched.click_cell(x / width, 1 - y / height)
    watched.page.locator(".probe-count", has_text=probing.probe_summary(expected)).wait_for()
    after = watched.text_of("inspector-line")
    assert f"pursues: apple at ({row}, {column})" in after and f"apple at ({row}, {column})" not in before
    assert "This episode was probed" in watched.text_of("probed-notice")
    assert watched.problems == []
