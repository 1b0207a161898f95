"""The page in a real browser: headless Chromium driven by Playwright.

Records the page's pace (ticks per second while playing) in
test-output/browser/pace.txt; it is a measurement, not an assertion.
"""

import re
import shutil
import time
from pathlib import Path

import pytest

from browser import CHROMIUM, CHROMIUM_ARGS, require_chromium, served_page

pytestmark = pytest.mark.slow
OUTPUT = Path(__file__).resolve().parents[1] / "test-output" / "browser"
PACE_SECONDS = 6


@pytest.fixture(scope="module")
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


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

    def detail_contains(self, text: str, timeout: float = 90_000) -> None:
        self.page.locator(".phase-detail", has_text=text).wait_for(timeout=timeout)

    def button(self, name: str):
        return self.page.get_by_role("button", name=name, exact=True)

    def step_until(self, pattern: str, most: int = 200) -> None:
        """Click Step until the banner's detail matches `pattern` (a regular expression)."""
        for _ in range(most):
            if re.search(pattern, self.detail()):
                return
            self.button("Step").click()
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


def test_the_page_tells_the_story_in_a_real_browser(browser, tmp_path):
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with (OUTPUT / "server.log").open("w") as log, served_page(log=log) as (_, url):
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
        page.locator(".phase-banner", has_text="DEPLOYMENT").wait_for()
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
