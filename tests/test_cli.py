"""The main job from the command line: files, determinism, refusals."""

import json
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pandas as pd
import pytest

from ecosystem.arguments import FIGURE_FILE, OUTCOMES_FILE
from ecosystem.export import CSV_FILES, PARAMS_FILE
from ecosystem.measure.outcomes import Outcome, ReachOutcome
from ecosystem.measure.records import EPISODE_COLUMNS, WEIGHT_COLUMNS
from ecosystem.params import ModelParams
from ecosystem.version import __version__, git_commit

ROOT = Path(__file__).resolve().parents[1]
SMALL = ["--population", "24", "--generations", "3", "--deploy-episodes", "2", "--quiet", "--seeds", "1"]


def run_cli(*args, cwd=ROOT):
    return subprocess.run(
        [sys.executable, "-m", "ecosystem", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("results")
    done = run_cli("run", *SMALL, "--seed", "3", "--out", str(out), "--name", "a")
    assert done.returncode == 0, done.stderr
    return out / "a", done.stdout


def test_main_job_writes_every_file(small_run):
    folder, _ = small_run
    for name in [*CSV_FILES.values(), PARAMS_FILE, OUTCOMES_FILE, FIGURE_FILE]:
        assert (folder / name).stat().st_size > 0, name


def test_agents_csv_has_the_documented_columns_and_values(small_run):
    folder, _ = small_run
    agents = pd.read_csv(folder / "agents.csv")
    assert list(agents.columns) == list(EPISODE_COLUMNS)
    assert set(agents["phase"]) == {"train", "deploy"}
    assert set(agents["kind"]) <= {"plant", "animal"}
    assert set(agents["outcome"]) <= set(Outcome)
    assert set(agents["ended_by"]) <= {"exit", "target", "no_target", "stuck", "timeout"}
    assert set(agents["reached"]) <= {"exit", "apple", "corner", "none"}
    plants = agents[agents["kind"] == "plant"]
    assert plants[list(WEIGHT_COLUMNS) + ["planning_budget", "reach_outcome"]].isna().all().all()
    animals = agents[agents["kind"] == "animal"]
    assert animals[list(WEIGHT_COLUMNS) + ["planning_budget", "reach_outcome"]].notna().all().all()
    assert set(animals["reach_outcome"]) <= set(ReachOutcome)
    assert (agents["seed"] == 3).all()


def test_generations_and_summary_tables(small_run):
    folder, _ = small_run
    generations = pd.read_csv(folder / "generations.csv")
    assert list(generations["phase"]) == ["train"] * 3 + ["deploy"]
    summary = pd.read_csv(folder / "summary.csv")
    assert len(summary) == 1 and summary["seed"].iloc[0] == 3
    assert summary["population"].iloc[0] == 24
    record = json.loads((folder / PARAMS_FILE).read_text())
    assert record["seeds"] == [3] and record["params"]["population"] == 24
    assert {"python", "mesa", "numpy", "pandas"} <= set(record["versions"])
    assert record["version"] == __version__ and record["commit"] == git_commit()


def test_the_table_shows_outcomes_scores_and_weights(small_run):
    _, stdout = small_run
    for words in ("deploy animals", "train plants", "goal misgeneralization", "reached the exit pursuing something else",
                  "fell back on the best target within reach", "inner aligned", "weighs green or the corner",
                  "intended score", "the base score equals the intended score", "proxy_margin", "no interval"):  # fmt: skip
        assert words in stdout


def test_several_seeds_give_intervals_and_the_same_files_on_one_or_two_workers(tmp_path):
    several = [arg for arg in SMALL if arg not in ("--seeds", "1")] + ["--seeds", "3", "--out", str(tmp_path)]
    one = run_cli("run", *several, "--workers", "1", "--name", "one")
    two = run_cli("run", *several, "--workers", "2", "--name", "two")
    assert one.returncode == two.returncode == 0, one.stderr + two.stderr
    for name in [*CSV_FILES.values(), OUTCOMES_FILE]:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
    assert "seeds 0-2" in one.stdout and "[" in one.stdout  # means with their intervals
    outcomes = pd.read_csv(tmp_path / "one" / OUTCOMES_FILE)
    assert (outcomes["seeds"] > 1).any() and outcomes["ci_low"].notna().any()
    assert sorted(pd.read_csv(tmp_path / "one" / "summary.csv")["seed"]) == [0, 1, 2]


def test_same_seed_gives_byte_identical_csvs_and_another_seed_does_not(small_run, tmp_path):
    folder, _ = small_run
    assert run_cli("run", *SMALL, "--seed", "3", "--out", str(tmp_path), "--name", "b").returncode == 0
    assert run_cli("run", *SMALL, "--seed", "4", "--out", str(tmp_path), "--name", "c").returncode == 0
    for name in CSV_FILES.values():
        assert (folder / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert (folder / "agents.csv").read_bytes() != (tmp_path / "c" / "agents.csv").read_bytes()


@pytest.mark.parametrize(
    "args, name",
    [
        (["--population", "-3"], "population"),
        (["--generations", "0"], "generations"),
        (["--maze-size", "5"], "maze_size"),
        (["--exit-colour", "purple"], "exit_colour"),
        (["--deployment", "mars"], "deployment"),
        (["--diversity", "nan"], "diversity"),
        (["--name", "../escape"], "name"),
        (["--name", ".staging-1-x"], "name"),  # hidden names are where runs are built, and removed
        (["--name", ".replaced-1-x"], "name"),
        (["--seeds", "0"], "seeds"),
        (["--seeds", "-1"], "seeds"),
        (["--seed", "-1"], "seed"),
        (["--adversarial-share", "1.5"], "adversarial_share"),
        (["--adversary", "clever"], "adversary"),
        (["--adversary-candidates", "0"], "adversary_candidates"),
        (["--base-objective", "green", "--exit-colour", "red"], "base_objective"),
        (["--workers", "0"], "workers"),
    ],
)
def test_bad_values_are_one_line_errors_with_status_2_and_write_nothing(tmp_path, args, name):
    done = run_cli("run", *SMALL, "--out", str(tmp_path / "out"), *args)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and name in lines[0] and "error" in lines[0]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("args", [["--population", "many"], ["--generations", "2.5"], ["--seeds", "two"]])
def test_unparseable_values_exit_2_and_write_nothing(tmp_path, args):
    done = run_cli("run", *SMALL, "--out", str(tmp_path / "out"), *args)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "error" in lines[0] and args[0] in lines[0]
    assert not (tmp_path / "out").exists()


def test_help_documents_every_parameter():
    done = run_cli("run", "--help")
    assert done.returncode == 0
    for field in fields(ModelParams):
        assert "--" + field.name.replace("_", "-") in done.stdout
    for flag in ("--seed", "--name"):
        assert flag in done.stdout
