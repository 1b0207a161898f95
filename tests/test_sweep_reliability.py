"""Sweeps: one spec per folder whatever its spelling, damaged results run again, one sweep
at a time, a record true after any kill, no orphaned workers, refusals before the first job,
figures of any sweep.

Each test sets up the case that once went wrong (named in its docstring) and
shows what happens now. Kills go to process ids or groups this test started;
every wait has a deadline.
"""

import concurrent.futures as cf
import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import time
from collections import Counter
from contextlib import closing, contextmanager
from pathlib import Path

import numpy as np
import psutil
import pytest

from ecosystem.sweeps.figures import draw_sweep_figures
from ecosystem.sweeps.runner import Backend, run_sweep
from ecosystem.sweeps.record import RECORD, read_record
from ecosystem.sweeps.spec import parse_spec
from ecosystem.sweeps.store import DATABASE, ResultStore

from cli_helpers import RESULT_FILES, TINY, assert_refused, call, result_bytes, stored_jobs, sweep_command

ROOT = Path(__file__).resolve().parents[1]
SPEC = TINY.replace("replicates = 2", "replicates = 1").partition("[grid]")[0] + """[grid]
deployment = ["deployment", "recoloured"]
base_objective = ["exit", "green"]
"""
CORRUPTED_BYTES = 8  # as many bytes as each corruption of the store overwrites
FUZZ_SEED, FUZZ_TRIALS = 27, 30

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
        "stored as a blob": f"UPDATE parts SET text = CAST(text AS BLOB) WHERE {where}",
        "moved from job 1": f"UPDATE parts SET (rows, sha256, text) = (SELECT rows, sha256, text FROM parts "
                            f"WHERE job_id = 1 AND output = 'generations') WHERE {where}",
    }
    connection.execute(statements[how])
    connection.commit()


@pytest.mark.parametrize("how", ["truncated to half", "emptied", "garbage row appended", "deleted",
                                 "stored as a blob", "moved from job 1"])  # fmt: skip
def test_a_damaged_job_is_run_again(tmp_path, finished, how):
    """Case 3: each of these was merged silently, leaving CSVs pandas could not read; a part stored
    as a blob failed every resume with a TypeError, and job 1's rows and hash copied over job 2's
    were merged as job 2's (job 1 twice, no job 2)."""
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


def test_results_stored_before_hashes_covered_their_job_are_set_aside(tmp_path, finished):
    """A database of an earlier version hashed each part's text alone, so a part copied to another
    job verified there. Its parts cannot be checked as parts are now: it is kept aside and every
    job runs again."""
    folder = copy_of(finished, tmp_path)
    with closing(sqlite3.connect(folder / DATABASE)) as connection, connection:
        connection.create_function("sha256", 1, lambda text: hashlib.sha256(text.encode()).hexdigest())
        connection.execute("UPDATE parts SET sha256 = sha256(text)")
        connection.execute("DELETE FROM meta WHERE key = 'format'")
    report = sweep(tmp_path)
    assert report.completed == 4
    assert report.notes == [f"{folder / DATABASE} was written before parts' hashes covered their job: "
                            "moved aside; every job runs again"]  # fmt: skip
    assert result_bytes(folder) == finished[1]
    assert list(folder.glob(f"{DATABASE}.outdated-*"))


@pytest.mark.parametrize("trial", range(4))
def test_a_part_that_does_not_decode_is_run_again(tmp_path, finished, trial):
    """Store damage: 8 bytes overwritten inside a stored part (at random offsets of a summary or
    generations part; the first byte 0xff, so they never decode as UTF-8) failed every later
    resume with `OperationalError: Could not decode to UTF-8`, and the job never ran again."""
    folder = copy_of(finished, tmp_path)
    rng = np.random.default_rng(trial)
    job_id, output = int(rng.integers(4)), str(rng.choice(["summary", "generations"]))
    with closing(sqlite3.connect(folder / DATABASE)) as connection:
        query = "SELECT text FROM parts WHERE job_id = ? AND output = ?"
        stored = connection.execute(query, (job_id, output)).fetchone()[0].encode()
    database = bytearray((folder / DATABASE).read_bytes())
    start = database.find(stored)  # a part this small lies whole on one page
    assert start >= 0
    offset = start + int(rng.integers(len(stored) - CORRUPTED_BYTES))
    database[offset : offset + CORRUPTED_BYTES] = b"\xff" + rng.bytes(CORRUPTED_BYTES - 1)
    (folder / DATABASE).write_bytes(database)
    report = sweep(tmp_path)
    assert report.completed == 1 and report.notes == [f"job {job_id}: rows unreadable; it runs again"]
    assert result_bytes(folder) == finished[1]


class OneThread(Backend):
    """The local backend on one thread of this process: the fuzz tests the store, not the pool,
    and starting a pool would take most of each trial's time."""

    @contextmanager
    def executors(self):
        with cf.ThreadPoolExecutor(1) as executor:
            yield lambda: executor


def resume_outcome(root: Path, expected: dict[str, bytes]) -> str:
    """Resume the sweep under `root` and say how it ended: 'identical' files, a 'one-line error',
    or how it broke (other files, an unfinished sweep, or the exception's type)."""
    from ecosystem.sweeps.spec import load_spec

    try:
        report = run_sweep(load_spec(spec_file(root)), root / "results", OneThread(workers=1), progress=False)
    except Exception as error:  # noqa: BLE001 (what broke is what this test counts)
        if type(error) is ValueError and len(str(error).splitlines()) == 1:  # a refusal, not a UnicodeDecodeError
            return "one-line error"
        return f"traceback: {type(error).__name__}"
    if report.status != "complete":
        return f"sweep {report.status}"
    return "identical" if result_bytes(root / "results" / "strings") == expected else "other files"


def test_random_damage_to_the_store_is_repaired_or_refused_in_one_line(tmp_path, finished):
    """Store damage: 16 of 24 random 8-byte corruptions of `results.sqlite` left every later resume
    failing with a traceback. Each trial here overwrites 8 random bytes at a random offset of the
    finished sweep's store (fixed seed) and resumes: it must end with the uninterrupted sweep's
    files, byte for byte, or with a one-line error."""
    rng = np.random.default_rng(FUZZ_SEED)
    outcomes = Counter()
    for trial in range(FUZZ_TRIALS):
        folder = copy_of(finished, tmp_path / str(trial))
        database = bytearray((folder / DATABASE).read_bytes())
        offset = int(rng.integers(len(database) - CORRUPTED_BYTES))
        database[offset : offset + CORRUPTED_BYTES] = rng.bytes(CORRUPTED_BYTES)
        (folder / DATABASE).write_bytes(database)
        outcomes[resume_outcome(tmp_path / str(trial), finished[1])] += 1
    assert set(outcomes) <= {"identical", "one-line error"}, dict(outcomes)


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


def test_a_sweep_interrupted_while_it_exports_says_so_and_leaves_no_temporary_file(tmp_path, finished, monkeypatch):
    """Run state: Ctrl-C while the tables were being exported left `sweep.json` saying "running"
    and `summary.csv.tmp` behind, for good."""
    folder = copy_of(finished, tmp_path)
    texts = ResultStore.texts

    def cut_short(store, output, keys):
        yield next(texts(store, output, keys))
        raise KeyboardInterrupt

    monkeypatch.setattr(ResultStore, "texts", cut_short)
    with pytest.raises(KeyboardInterrupt):
        sweep(tmp_path)
    assert json.loads((folder / RECORD).read_text())["status"] == "interrupted"
    assert not list(folder.glob("*.tmp"))


def test_a_killed_sweep_reads_as_interrupted_and_the_next_removes_its_leftovers(tmp_path):
    """Run state: after SIGKILL `sweep.json` said "running" for good, and the `*.tmp` files a
    kill during the export leaves stayed behind."""
    text = SPEC.replace("population = 8", "population = 30")
    folder = tmp_path / "results" / "strings"
    command = sweep_command(spec_file(tmp_path, text), tmp_path / "results", "--workers", "1")
    process = subprocess.Popen(command, cwd=ROOT, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while stored_jobs(folder) < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert read_record(folder)["status"] == "running"
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # the sweep and its workers: the session it leads
        process.wait(timeout=60)
    assert read_record(folder)["status"] == "interrupted"
    for name in ("summary.csv.tmp", f"{RECORD}.tmp"):  # what a kill during the export leaves
        (folder / name).write_text("cut short")
    assert sweep(tmp_path, text).status == "complete"
    assert not list(folder.glob("*.tmp"))


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
