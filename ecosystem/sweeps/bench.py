"""Sweep benchmark: jobs per second by worker count, coordinator memory by job count.

Measured side by side in one run: the 1- and 2-worker sweeps alternate, so
that machine load hits both alike. Memory is the coordinator's Python peak
(tracemalloc) while it runs a sweep: it should stay flat as jobs multiply,
because rows go to disk as jobs finish.
"""

import tempfile
import time
import tracemalloc
from pathlib import Path

import pandas as pd

from ecosystem.sweeps.runner import Backend, run_sweep
from ecosystem.sweeps.spec import parse_spec

SPEED_JOB = {"population": 40, "generations": 4, "deploy_episodes": 1}
MEMORY_JOB = {"population": 4, "generations": 1, "deploy_episodes": 1}


def _spec(name: str, jobs: int, fixed: dict):
    return parse_spec({"replicates": jobs, "fixed": fixed}, name)


def jobs_per_second(workers: int, jobs: int, repeat: int) -> float:
    spec = _spec(f"speed-{workers}-{repeat}", jobs, SPEED_JOB)
    with tempfile.TemporaryDirectory() as root:
        started = time.perf_counter()
        run_sweep(spec, Path(root), Backend(workers=workers), progress=False)
        return jobs / (time.perf_counter() - started)


def coordinator_peak_bytes(jobs: int, workers: int = 2) -> int:
    spec = _spec(f"memory-{jobs}", jobs, MEMORY_JOB)
    with tempfile.TemporaryDirectory() as root:
        tracemalloc.start()
        run_sweep(spec, Path(root), Backend(workers=workers), progress=False)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def run_sweep_benchmark(speed_jobs: int = 60, repeats: int = 2, memory_jobs=(100, 2000), progress=print) -> dict:
    """Both measurements, as tables."""
    rows = []
    for repeat in range(repeats):
        for workers in (1, 2):
            progress(f"jobs per second, {workers} worker(s), repeat {repeat + 1}/{repeats} ...")
            rows.append({"workers": workers, "repeat": repeat, "jobs_per_s": jobs_per_second(workers, speed_jobs, repeat)})
    speed = pd.DataFrame(rows).groupby("workers")["jobs_per_s"].agg(median="median", low="min", high="max")
    speed["ratio_to_1_worker"] = speed["median"] / speed.loc[1, "median"]
    memory_rows = []
    for jobs in memory_jobs:
        progress(f"coordinator memory, {jobs} jobs ...")
        memory_rows.append({"jobs": jobs, "coordinator_peak_kb": coordinator_peak_bytes(jobs) / 1024})
    memory = pd.DataFrame(memory_rows)
    memory["ratio_to_first"] = memory["coordinator_peak_kb"] / memory["coordinator_peak_kb"].iloc[0]
    return {"sweep_speed": speed.reset_index(), "sweep_memory": memory}
