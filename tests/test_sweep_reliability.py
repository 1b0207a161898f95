"""Sweeps: one spec per folder whatever its spelling, damaged results run again, one sweep
at a time, no orphaned workers, refusals before the first job, figures of any sweep.

Each test sets up the case that once went wrong (named in its docstring) and
shows what happens now. Kills go to process ids or groups this test started;
every wait has a deadline.
"""

import json
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import psutil
import pytest

from ecosystem.sweeps.figures import draw_sweep_figures
from ecosystem.sweeps.runner import Backend, run_sweep
from ecosystem.sweeps.spec import RECORD, parse_spec
from ecosystem.sweeps.store import DATABASE, ResultStore

from cli_helpers import RESULT_FILES, TINY, assert_refused, call, result_bytes, stored_jobs, sweep_command

ROOT = Path(__file__).resolve().parents[1]
SPEC = TINY.replace("replicates = 2", "replicates = 1").partition("[grid]")[0] + """[grid]
deployment = ["deployment", "recoloured"]
base_objective = ["exit", "green"]
"""

def spec_file(folder: Path, text: str = SPEC) -> Path:
    path = folder / "strings.toml"
    path.write_text(text)
    return path


def sweep(folder: Path, text: str = SPEC):
    from ecosystem.sweeps.spec import load_spec

    return run_sweep(load_spec(spec_file(folder, text)), folder / "results", Backend(workers=1), progress=False)


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    """The string-valued sweep, finished: its folder and its files' bytes."""
    root = tmp_path_factory.mktemp("finished")
    assert sweep(root).status == "complete"
    return root / "results" / "strings", result_bytes(root / "results" / "strings")


def copy_of(finished, tmp_path: Path) -> Path:
    folder, _ = finished
    shutil.copytree(folder, tmp_path / "results" / "strings")
    for name in RESULT_FILES:  # the export must come from the database, not from these
        (tmp_path / "results" / "strings" / name).unlink()
    return tmp_path / "results" / "strings"


def digest(text: str) -> str:
    import tomllib

    return parse_spec(tomllib.loads(text), "strings").digest()


def test_the_spec_fingerprint_ignores_spelling_and_keeps_order():
    """Case 2: reordered ranges gave the same digest but other samples; swapped grid lines were
    accepted and mixed columns. Now the order decides the fingerprint, the spelling does not."""
    same = SPEC.replace("population = 8", "population = 8  # a comment\n'initial_animal_share' = 0.5")
    assert digest(same) == digest(SPEC)  # a comment, quoting, a default stated
    assert digest(SPEC + "diversity = [0, 1]\n") == digest(SPEC + "diversity = [0.0, 1.0]\n")  # 1 for 1.0
    ranges = SPEC + "[latin_hypercube]\nsamples = 2\nranges = { diversity = [0, 1], loop_fraction = [0.0, 0.2] }\n"
    swapped = SPEC.replace('deployment = ["deployment", "recoloured"]\nbase_objective = ["exit", "green"]',
                           'base_objective = ["exit", "green"]\ndeployment = ["deployment", "recoloured"]')  # fmt: skip
    reordered = ranges.replace("diversity = [0, 1], loop_fraction = [0.0, 0.2]", "loop_fraction = [0.0, 0.2], diversity = [0, 1]")
    assert digest(swapped) != digest(SPEC) and digest(reordered) != digest(ranges)


@pytest.mark.parametrize("change", ["swap grid lines", "population 40, sweep.json deleted"])
def test_a_rerun_of_another_spec_is_refused(tmp_path, finished, change):
    """Case 2: these were accepted and merged into one file rows of two specs."""
    folder = copy_of(finished, tmp_path)
    if change == "swap grid lines":
        text = SPEC.replace('deployment = ["deployment", "recoloured"]\n', "") + 'deployment = ["deployment", "recoloured"]\n'
    else:
        (folder / RECORD).unlink()
        text = SPEC.replace("population = 8", "population = 40")
    status, _, stderr = call("sweep", str(spec_file(tmp_path, text)), "--out", str(tmp_path / "results"), "--quiet", "--workers", "1")
    assert_refused(status, stderr, "different spec")
    assert not (folder / "summary.csv").exists()


def damage(connection: sqlite3.Connection, how: str) -> None:
    """Spoil job 2's stored rows the way part files once were spoiled."""
    where = "job_id = 2 AND output = 'generations'"
    statements = {
        "truncated to half": f"UPDATE parts SET text = substr(text, 1, length(text) / 2) WHERE {where}",
        "emptied": f"UPDATE parts SET text = '' WHERE {where}",
        "garbage row appended": f"UPDATE parts SET text = text || 'garbage,,\n' WHERE {where}",
        "deleted": f"DELETE FROM parts WHERE {where}",
    }
    connection.execute(statements[how])
    connection.commit()


@pytest.mark.parametrize("how", ["truncated to half", "emptied", "garbage row appended", "deleted"])
def test_a_damaged_job_is_run_again(tmp_path, finished, how):
    """Case 3: each of these was merged silently, leaving CSVs pandas could not read."""
    folder = copy_of(finished, tmp_path)
    with sqlite3.connect(folder / DATABASE) as connection:
        damage(connection, how)
    report = sweep(tmp_path)
    assert report.completed == 1 and report.already_complete == 3
    assert report.notes == [f"job 2: generations rows {'missing' if how == 'deleted' else 'damaged'}; it runs again"]
    assert result_bytes(folder) == finished[1]


def test_a_damaged_database_is_set_aside_and_the_sweep_run_again(tmp_path, finished):
    """Case 3: the whole store cut short; SQLite finds it damaged, so it is kept aside and every job runs."""
    folder = copy_of(finished, tmp_path)
    database = folder / DATABASE
    database.write_bytes(database.read_bytes()[: database.stat().st_size // 2])
    report = sweep(tmp_path)
    assert report.completed == 4 and "damaged" in report.notes[0]
    assert result_bytes(folder) == finished[1]
    assert list(folder.glob(f"{DATABASE}.damaged-*"))


def test_a_second_sweep_into_a_held_folder_is_refused(tmp_path, finished):
    """Case 4: two sweeps into one folder ran almost every job twice and reported wrong counts."""
    folder = copy_of(finished, tmp_path)
    from ecosystem.sweeps.spec import load_spec

    spec = load_spec(spec_file(tmp_path))
    with ResultStore(folder, spec.digest(), spec.outputs):  # as a running sweep holds it
        status, _, stderr = call("sweep", str(spec_file(tmp_path)), "--out", str(tmp_path / "results"), "--quiet")
    assert_refused(status, stderr, "another one is running")
    assert sweep(tmp_path).already_complete == 4  # free again once released


def test_a_held_folder_stays_held_when_its_files_are_deleted(tmp_path, finished):
    """One sweep at a time: the lock was a `flock` on `sweep.lock`, and deleting that file while a sweep
    ran let a second sweep into the folder (jobs computed twice, exports racing on summary.csv.tmp)."""
    folder = copy_of(finished, tmp_path)
    from ecosystem.sweeps.spec import load_spec

    spec = load_spec(spec_file(tmp_path))
    with ResultStore(folder, spec.digest(), spec.outputs):
        for path in folder.iterdir():  # every file in it, the lock file of old and the database too
            path.unlink()
        status, _, stderr = call("sweep", str(spec_file(tmp_path)), "--out", str(tmp_path / "results"), "--quiet")
    assert_refused(status, stderr, "another one is running")


@pytest.mark.parametrize("backend", [[], pytest.param(["--local-cluster"], marks=pytest.mark.slow)],
                         ids=["process pool", "dask local cluster"])  # fmt: skip
def test_workers_of_a_killed_coordinator_exit(tmp_path, backend):
    """Case 5: SIGKILL of the coordinator left its workers and the resource tracker running."""
    spec = spec_file(tmp_path, SPEC.replace("population = 8", "population = 30").replace("replicates = 1", "replicates = 4"))
    command = sweep_command(spec, tmp_path / "results", "--workers", "2", *backend)
    coordinator = subprocess.Popen(command, cwd=ROOT, start_new_session=True)
    started = []
    try:
        deadline = time.monotonic() + 120
        while stored_jobs(tmp_path / "results" / "strings") < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        started = psutil.Process(coordinator.pid).children(recursive=True)
        assert len(started) >= 3  # two workers and the resource tracker
        coordinator.send_signal(signal.SIGKILL)  # the coordinator alone, not its group
        coordinator.wait(timeout=30)
        gone, alive = psutil.wait_procs(started, timeout=20)
        assert not alive, f"still running: {alive}"
    finally:
        for process in started:
            if process.is_running():
                process.kill()


@pytest.mark.parametrize("where, line", [
    ("[fixed]\nepisode_length = 2", "episode_length=2"),
    ("[latin_hypercube]\nsamples = 2\nranges = { diversity = [0.0, inf] }", "latin_hypercube.ranges.diversity"),
])  # fmt: skip
def test_a_spec_the_model_refuses_is_refused_before_any_job(tmp_path, where, line):
    """Case 6: `episode_length = 2` started jobs, wrote parts and exited 1; infinite bounds gave
    an OverflowError traceback."""
    text = SPEC.replace("[fixed]", where + "\n[fixed]" if "fixed" not in where else where, 1)
    status, _, stderr = call("sweep", str(spec_file(tmp_path, text)), "--out", str(tmp_path / "results"), "--quiet")
    assert_refused(status, stderr, line)
    assert not (tmp_path / "results").exists()


@pytest.mark.parametrize("args, word", [(["--scheduler", ""], "scheduler="), (["--out", "FILE"], "out=")])
def test_a_bad_scheduler_or_output_is_refused_before_any_job(tmp_path, args, word):
    """Case 6: `--scheduler ''` was taken for "no scheduler"; an output path naming a file failed late."""
    (tmp_path / "file").write_text("")
    args = [str(tmp_path / "file") if a == "FILE" else a for a in args]
    status, _, stderr = call("sweep", str(spec_file(tmp_path)), "--quiet", *(["--out", str(tmp_path / "results")] if "--out" not in args else []), *args)
    assert_refused(status, stderr, word)
    assert not (tmp_path / "results").exists()


def test_figures_of_a_sweep_over_strings_and_of_one_with_nothing_swept(tmp_path, finished):
    """Case 8: plot failed on string-valued parameters and did nothing, silently, with none swept."""
    folder = copy_of(finished, tmp_path)
    shutil.copy(finished[0] / "summary.csv", folder / "summary.csv")
    assert len(draw_sweep_figures(folder)) == 4
    record = json.loads((folder / RECORD).read_text())
    (folder / RECORD).write_text(json.dumps({**record, "swept": []}))
    status, _, stderr = call("plot", str(folder))
    assert_refused(status, stderr, "nothing to plot")
