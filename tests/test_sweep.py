"""Sweeps: specs, backends, crash safety, resume, refusals, figures."""

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ecosystem.sweeps.runner import Backend, run_sweep
from ecosystem.sweeps.record import RECORD
from ecosystem.sweeps.spec import load_spec, parse_spec
from ecosystem.version import __version__, git_commit

from cli_helpers import TINY, interruptible, result_bytes, stored_jobs, sweep_command
from sweep_helpers import SENTINEL, die_once

ROOT = Path(__file__).resolve().parents[1]


def write_spec(folder: Path, text: str = TINY, name: str = "tiny") -> Path:
    path = folder / f"{name}.toml"
    path.write_text(text)
    return path


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The tiny sweep run with one worker: the files every other run must match."""
    root = tmp_path_factory.mktemp("one-worker")
    spec = load_spec(write_spec(root))
    report = run_sweep(spec, root / "results", Backend(workers=1), progress=False)
    assert report.status == "complete" and report.completed == 8
    return result_bytes(root / "results" / "tiny")


def test_spec_expands_into_a_grid_of_jobs_with_replicate_seeds(tmp_path):
    spec = load_spec(write_spec(tmp_path))
    jobs = list(spec.jobs())
    assert len(jobs) == spec.job_count == 2 * 2 * 2
    assert [j.job_id for j in jobs] == list(range(8))
    assert {j.seed for j in jobs if j.replicate == 0} == {spec.seed(0)}
    assert spec.seed(0) != spec.seed(1)
    spawned = np.random.SeedSequence(spec.root_seed).spawn(2)
    assert [spec.seed(r) for r in range(2)] == [int(c.generate_state(1)[0]) for c in spawned]
    assert spec.swept == ("diversity", "cognition_overhead")
    assert all(j.params["population"] == 8 for j in jobs)


def test_latin_hypercube_samples_cover_each_range_once_per_stratum():
    raw = {"latin_hypercube": {"samples": 10, "ranges": {"cognition_cost_per_budget": [0.0, 0.01], "maze_size": [8.6, 9.4]}}}
    spec = parse_spec(raw, "lhs")
    points = spec.lhs_points()
    strata = sorted(int(p["cognition_cost_per_budget"] / 0.001) for p in points)
    assert strata == list(range(10))
    assert all(p["maze_size"] == 9 for p in points)
    assert parse_spec(raw, "lhs").lhs_points() == points


def test_results_have_one_row_per_job_sorted_and_tidy(tmp_path, reference):
    summary = pd.read_csv(io.BytesIO(reference["summary.csv"]))
    assert list(summary["job_id"]) == list(range(8))
    generations = pd.read_csv(io.BytesIO(reference["generations.csv"]))
    assert list(generations.columns[:4]) == ["job_id", "replicate", "diversity", "cognition_overhead"]
    assert len(generations) == 8 * 3  # two generations and the deployment row per job
    assert generations["job_id"].is_monotonic_increasing


def test_two_workers_give_byte_identical_files(tmp_path, reference):
    spec = load_spec(write_spec(tmp_path))
    run_sweep(spec, tmp_path / "results", Backend(workers=2), progress=False)
    assert result_bytes(tmp_path / "results" / "tiny") == reference


@pytest.mark.slow
def test_dask_local_cluster_gives_byte_identical_files(tmp_path, reference):
    spec = load_spec(write_spec(tmp_path))
    run_sweep(spec, tmp_path / "results", Backend(workers=2, local_cluster=True), progress=False)
    assert result_bytes(tmp_path / "results" / "tiny") == reference


@pytest.mark.parametrize("local_cluster", [False, pytest.param(True, marks=pytest.mark.slow)])
def test_a_worker_killed_mid_job_costs_no_row(tmp_path, monkeypatch, reference, local_cluster):
    sentinel = tmp_path / "kill-once"
    sentinel.touch()
    monkeypatch.setenv(SENTINEL, str(sentinel))
    spec = load_spec(write_spec(tmp_path))
    backend = Backend(workers=2, local_cluster=local_cluster)
    report = run_sweep(spec, tmp_path / "results", backend, job_function=die_once, progress=False)
    assert not sentinel.exists()  # a worker did die
    assert report.status == "complete" and not report.failed
    assert result_bytes(tmp_path / "results" / "tiny") == reference


def test_a_rerun_skips_complete_jobs(tmp_path, reference):
    spec = load_spec(write_spec(tmp_path))
    run_sweep(spec, tmp_path / "results", Backend(workers=1), progress=False)
    again = run_sweep(spec, tmp_path / "results", Backend(workers=1), progress=False)
    assert again.already_complete == 8 and again.completed == 0
    assert result_bytes(tmp_path / "results" / "tiny") == reference


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT])
def test_an_interrupted_sweep_resumes_to_the_same_files(tmp_path, reference, how):
    spec = write_spec(tmp_path, TINY.replace("population = 8", "population = 30"))
    out = tmp_path / "results"
    process = interruptible(sweep_command(spec, out, "--workers", "1"), cwd=ROOT)
    deadline = time.monotonic() + 120
    while stored_jobs(out / "tiny") < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(process.pid, how)  # the sweep and its workers: the session it leads
    process.wait(timeout=60)
    done = stored_jobs(out / "tiny")
    assert 3 <= done < 8, "the sweep must be stopped halfway"
    assert not (out / "tiny" / "summary.csv").exists()
    finished = subprocess.run(sweep_command(spec, out, "--workers", "2"), cwd=ROOT, capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr
    assert f"{done} already complete" in finished.stdout
    uninterrupted = tmp_path / "uninterrupted"
    subprocess.run(sweep_command(spec, uninterrupted, "--workers", "2"), cwd=ROOT, check=True)
    assert result_bytes(out / "tiny") == result_bytes(uninterrupted / "tiny")


def bad_specs():
    """Specs that must be refused, each with a word the one-line error must contain."""
    yield "unknown parameter", TINY.replace("[grid]", "[grid]\npopluation = [3]"), "popluation"
    yield "unknown key", TINY + "\nworkers = 3\n", "workers"
    yield "wrong type in grid", TINY.replace("[0.0, 1.0]", '["high", 1.0]'), "diversity"
    yield "wrong type fixed", TINY.replace("population = 8", "population = 8.5"), "population"
    yield "bool as int", TINY.replace("population = 8", "population = true"), "population"
    yield "empty grid list", TINY.replace("[0.0, 1.0]", "[]"), "diversity"
    yield "empty range", TINY + "\n[latin_hypercube]\nsamples = 3\nranges = { cognition_cost_per_budget = [0.5, 0.5] }\n", "cognition_cost_per_budget"
    yield "reversed range", TINY + "\n[latin_hypercube]\nsamples = 3\nranges = { cognition_cost_per_budget = [0.5, 0.1] }\n", "cognition_cost_per_budget"
    yield "zero replicates", TINY.replace("replicates = 2", "replicates = 0"), "replicates"
    yield "too many jobs", TINY.replace("replicates = 2", "replicates = 300000"), "1,200,000"
    yield "unknown output", TINY.replace('"agents"]', '"everything"]'), "outputs"
    yield "invalid value", TINY.replace("[0.0, 1.0]", "[0.0, 1.5]"), "diversity"
    yield "unreadable TOML", TINY.replace("[grid]", "[grid"), "TOML"
    yield "share above 1", TINY.replace("[fixed]", "[fixed]\nadversarial_share = 1.5"), "adversarial_share"
    yield "unknown adversary", TINY.replace("[fixed]", '[fixed]\nadversary = "clever"'), "adversary"
    yield "zero candidates", TINY.replace("[fixed]", "[fixed]\nadversary_candidates = 0"), "adversary_candidates"
    yield "inexpressible objective", TINY.replace("[fixed]", '[fixed]\nbase_objective = "green"\nexit_colour = "red"'), "base_objective"
    for name, wrong in (("episodes_per_generation", '"many"'), ("training", "3"), ("cognition_cost_per_budget", '"free"'), ("maze_size", "[13]")):
        yield f"generated: {name}={wrong}", TINY.replace("[fixed]", f"[fixed]\n{name} = {wrong}"), name


@pytest.mark.parametrize("label, text, word", list(bad_specs()), ids=[b[0] for b in bad_specs()])
def test_bad_specs_are_refused_before_any_job(tmp_path, label, text, word):
    spec = write_spec(tmp_path, text)
    with pytest.raises(ValueError, match=word):
        load_spec(spec)


@pytest.mark.parametrize(
    "args, word",
    [
        ([], "popluation"),
        (["--scheduler", "tcp://127.0.0.1:9"], "scheduler"),
        (["--workers", "0"], "workers"),
    ],
)
def test_the_command_refuses_with_one_line_status_2_and_writes_nothing(tmp_path, args, word):
    text = TINY.replace("[grid]", "[grid]\npopluation = [3]") if word == "popluation" else TINY
    spec = write_spec(tmp_path, text)
    out = tmp_path / "results"
    done = subprocess.run(sweep_command(spec, out, *args), cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and word in lines[0]
    assert not out.exists()


def test_a_missing_spec_file_is_refused(tmp_path):
    with pytest.raises(ValueError, match="readable TOML"):
        load_spec(tmp_path / "nothing.toml")


def test_a_folder_of_another_spec_is_not_mixed_into(tmp_path):
    spec = load_spec(write_spec(tmp_path))
    run_sweep(spec, tmp_path / "results", Backend(workers=1), progress=False)
    other = load_spec(write_spec(tmp_path, TINY.replace("root_seed = 7", "root_seed = 8")))
    with pytest.raises(ValueError, match="different spec"):
        run_sweep(other, tmp_path / "results", Backend(workers=1), progress=False)


def test_sweep_record_and_figures(tmp_path):
    spec = load_spec(write_spec(tmp_path))
    run_sweep(spec, tmp_path / "results", Backend(workers=2), progress=False)
    folder = tmp_path / "results" / "tiny"
    record = json.loads((folder / RECORD).read_text())
    assert record["status"] == "complete" and record["jobs"] == record["complete"] == 8
    assert record["root_seed"] == 7 and "mesa" in record["versions"]
    assert record["version"] == __version__ and record["commit"] == git_commit()
    done = subprocess.run([sys.executable, "-m", "ecosystem", "plot", str(folder)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    for name in ("heatmap_diversity_cognition_overhead.png", "outcomes_by_diversity.png", "outcomes_by_cognition_overhead.png"):
        assert (folder / name).stat().st_size > 10_000


@pytest.mark.parametrize("spec_file", sorted((ROOT / "runs").glob("*.toml")), ids=lambda p: p.name)
def test_shipped_specs_are_valid(spec_file):
    assert load_spec(spec_file).job_count > 0
