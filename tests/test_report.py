"""`python -m ecosystem report`: every claim on one page with its verdict, intervals and
parameters; the page opens offline in a real browser with every figure loaded; a finished
sweep stands in for the claim it covers; bad input is refused with nothing written."""

import html
import json
import re

import pandas as pd
import pytest

from browser import CHROMIUM, CHROMIUM_ARGS, require_chromium
from ecosystem.cli import main
from ecosystem.experiments.registry import CLAIMS
from ecosystem.report import EFFECTS_FILE
from ecosystem.report_page import PAGE_FILE, VERDICTS
from ecosystem.sweeps.runner import Backend, run_sweep
from ecosystem.sweeps.record import RECORD
from ecosystem.sweeps.spec import load_spec
from ecosystem.version import provenance

SMALLEST = ["report", "--size", "smallest", "--workers", "1", "--quiet"]
INTERVAL = re.compile(r"-?\d+\.\d\d \[-?\d+\.\d\d, -?\d+\.\d\d\]")
# A sweep of the spec that claim 7 reads, shrunk to the smallest size (its conditions' cells).
OUTER_INNER_SWEEP = """
root_seed = 7
replicates = 2
outputs = ["summary"]
[fixed]
training = "orchard"
population = 24
generations = 4
[grid]
base_objective = ["exit", "green"]
adversarial_share = [0.0, 0.2]
"""
FROM_SWEEP = next(claim for claim in CLAIMS if claim.spec == "outer_inner")


def exit_status(argv) -> int:
    try:
        return main(argv)
    except SystemExit as stop:  # argparse refuses by exiting
        return stop.code


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    root = tmp_path_factory.mktemp("sweep")
    (root / "outer_inner.toml").write_text(OUTER_INNER_SWEEP)
    return run_sweep(load_spec(root / "outer_inner.toml"), root / "results", Backend(workers=1), progress=False).folder


@pytest.fixture(scope="module")
def report(tmp_path_factory, sweep):
    out = tmp_path_factory.mktemp("report")
    assert main([*SMALLEST, "--out", str(out), "--from", str(sweep)]) == 0
    return out / "report"


def sections(page: str) -> dict[str, str]:
    found = re.findall(r'<section class="claim" id="claim-([^"]+)">(.*?)</section>', page, flags=re.S)
    return dict(found)


@pytest.mark.slow
def test_every_claim_has_a_section_with_its_criterion_verdict_interval_and_parameters(report, sweep):
    page = (report / PAGE_FILE).read_text()
    by_claim = sections(page)
    assert list(by_claim) == [claim.key.replace(" ", "-") for claim in CLAIMS]
    for claim in CLAIMS:
        section = by_claim[claim.key.replace(" ", "-")]
        assert html.escape(claim.statement) in section
        assert f"<b>Holds when</b> {html.escape(claim.criterion.words)}." in section
        for reference in claim.references:
            assert f"<b>Held against</b> {html.escape(reference.source)}" in section
        assert re.search(r"Verdict: <span class=\"verdict \w+\">(" + "|".join(VERDICTS.values()) + ")</span>", section)
        assert INTERVAL.search(section), claim.key
        assert section.count("<img") == 1
        for name in claim.conditions:
            assert html.escape(name) in section
        if claim is FROM_SWEEP:
            assert f"read from the finished sweep <code>{sweep}</code>" in section
        else:
            assert "population=24" in section  # the smallest size's cap, among the parameters
    opening = page.split("<table", 1)[0]
    for package in ("ecosystem", "mesa", "numpy", "pandas", "python"):
        assert package in opening  # versions, in the page's opening lines
    assert (provenance()["commit"] or "unknown (not a git checkout)") in " ".join(opening.split())


@pytest.mark.slow
def test_effects_csv_has_every_claims_effects_and_verdict(report):
    effects = pd.read_csv(report / EFFECTS_FILE, dtype={"claim": str})
    assert list(effects.columns) == ["claim", "effect", "mean", "ci_low", "ci_high", "seeds", "holds"]
    assert list(effects["claim"].unique()) == [claim.key for claim in CLAIMS]


@pytest.mark.slow
def test_the_page_opens_offline_in_a_browser_with_every_figure_loaded(report):
    require_chromium()
    from playwright.sync_api import sync_playwright

    blocked = []

    def local_only(route):
        if route.request.url.startswith(("file://", "data:")):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.route("**/*", local_only)
            page.goto((report / PAGE_FILE).as_uri(), wait_until="load")
            widths = page.eval_on_selector_all("img", "images => images.map(i => i.complete ? i.naturalWidth : 0)")
        finally:
            browser.close()
    assert len(widths) == len(CLAIMS)
    assert all(width > 0 for width in widths), widths
    assert blocked == []


def not_a_sweep(tmp_path):
    (tmp_path / "notes.txt").write_text("no sweep here")
    return tmp_path


def sweep_of_another_spec(tmp_path):
    (tmp_path / RECORD).write_text(json.dumps({"spec": "elsewhere", "swept": [], "status": "complete"}))
    (tmp_path / "summary.csv").write_text("job_id\n0\n")
    return tmp_path


def sweep_departing_from_its_claim(tmp_path):
    """A finished outer_inner sweep whose fixed training preset is not claim 7's."""
    record = {"spec": "outer_inner", "swept": ["base_objective", "adversarial_share"], "status": "complete",
              "fixed": {"training": "flags"}}  # fmt: skip
    (tmp_path / RECORD).write_text(json.dumps(record))
    (tmp_path / "summary.csv").write_text("job_id,seed,base_objective,adversarial_share\n0,0,exit,0.0\n1,0,green,0.2\n")
    return tmp_path


@pytest.mark.parametrize(("arguments", "named"), [
    (["--size", "huge"], "--size"),
    (["--workers", "0"], "workers"),
    (["--name", "a/b"], "name"),
    (["--from", not_a_sweep], "from"),
    (["--from", sweep_of_another_spec], "from"),
    (["--from", sweep_departing_from_its_claim], "training='flags' where condition"),
])  # fmt: skip
def test_bad_input_is_refused_in_one_line_and_nothing_is_written(tmp_path, capsys, arguments, named):
    source = tmp_path / "source"
    source.mkdir()
    arguments = [str(a(source)) if callable(a) else a for a in arguments]
    before = sorted(source.rglob("*"))
    out = tmp_path / "out"
    assert exit_status([*SMALLEST, "--out", str(out), *arguments]) == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and named in error
    assert not out.exists()
    assert sorted(source.rglob("*")) == before


@pytest.mark.slow
def test_at_the_smallest_size_every_effect_that_has_seeds_has_a_finite_mean(report):
    effects = pd.read_csv(report / EFFECTS_FILE, dtype={"claim": str})
    assert effects.loc[effects["seeds"] > 0, "mean"].notna().all()
