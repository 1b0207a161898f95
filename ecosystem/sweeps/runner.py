"""Run a sweep's jobs on a local process pool or a Dask cluster.

Each job is one model run. Its rows are committed as soon as it finishes, all
its tables in one transaction, to the sweep's results database
(`<results>/<spec name>/results.sqlite`, see `store.py`): an interrupted
sweep (Ctrl-C, a killed process) leaves every job stored whole or not at all,
and running the same spec again skips the stored jobs, checked intact, and
redoes the rest. When every job is stored, their rows are exported in job
order into `summary.csv`, `generations.csv` (and `agents.csv` if kept), so
the final files do not depend on which job finished first, and `sweep.json`
records the spec, seeds, versions, times and counts.

Everything that can be checked is checked before the first job: the spec
(every parameter set), where the results go, and that no other sweep holds
that folder. The coordinator keeps at most two jobs per worker in flight and
holds one job's rows at a time, so its memory stays flat however many jobs
there are. A worker process that dies takes its job with it: the local pool
is rebuilt and the job resubmitted (Dask reschedules it by itself), up to
MAX_ATTEMPTS times; a worker whose coordinator dies exits too.
"""

import concurrent.futures as cf
import os
import time
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from tqdm import tqdm

from ecosystem.experiments.runner import run_results, worker_pool
from ecosystem.export import RESULTS_ROOT, check_destination, csv_text, make_folder, remove_temporaries, whole_file
from ecosystem.sweeps.record import SweepReport, write_record
from ecosystem.sweeps.spec import Job, SweepSpec, load_spec
from ecosystem.sweeps.store import ResultStore
from ecosystem.validation import check_installed, check_int, refusal
from ecosystem.version import __version__

MAX_ATTEMPTS = 3
IN_FLIGHT_PER_WORKER = 2
# Evaluated by every Dask worker and the scheduler before any job: a builtin and a string pickle
# everywhere, where a function of this package would itself need the package to unpickle.
VERSION_PROBE = "__import__('ecosystem.version', fromlist=['__version__']).__version__"


def run_job(job: Job, outputs: tuple[str, ...], swept: tuple[str, ...]) -> dict[str, str]:
    """Run one job; return each kept table as CSV text, job columns first.

    Per-generation and per-agent rows also carry the swept parameters, so
    every file is tidy on its own.
    """
    tables = run_results(job.seed, job.params)
    frames = {"summary": tables.summary, "generations": tables.generations, "agents": tables.episodes}
    texts = {}
    for name in outputs:
        frame = frames[name].copy()
        frame.insert(0, "job_id", job.job_id)
        frame.insert(1, "replicate", job.replicate)
        if name != "summary":  # the summary row already holds every parameter
            for position, param in enumerate(swept, start=2):
                frame.insert(position, param, job.params[param])
        texts[name] = csv_text(frame)
    return texts


@dataclass
class Backend:
    """Where jobs run: a local process pool, or a Dask cluster.

    Attributes:
        workers: processes of the local pool or of a local Dask cluster.
        scheduler: address of a running Dask scheduler (tcp://host:port).
        local_cluster: start a Dask LocalCluster on 127.0.0.1 instead.
    """

    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    scheduler: str | None = None
    local_cluster: bool = False

    def __post_init__(self):
        if self.scheduler is not None and not self.scheduler.strip():  # '' must not mean "no scheduler"
            raise refusal("scheduler", self.scheduler, "the address of a running Dask scheduler, tcp://HOST:PORT")

    @property
    def description(self) -> str:
        if self.scheduler:
            return f"dask scheduler {self.scheduler}"
        if self.local_cluster:
            return f"dask local cluster, {self.workers} workers"
        return f"local process pool, {self.workers} workers"

    @contextmanager
    def client(self):
        """A Dask client for the Dask backends (connect first, so a bad address fails early)."""
        check_installed("dask", "dask", "distributed")
        from dask.distributed import Client, LocalCluster

        if self.scheduler:
            try:
                client = Client(self.scheduler, timeout="5s")
            except (OSError, TimeoutError, ValueError) as error:
                raise ValueError(
                    f"scheduler={self.scheduler!r} is not allowed: expected the address of a running "
                    f"Dask scheduler, tcp://HOST:PORT ({error})"
                ) from None
            with client:
                check_cluster(client, self.scheduler)
                yield client
        else:
            with LocalCluster(
                n_workers=self.workers, threads_per_worker=1, host="127.0.0.1",
                dashboard_address="127.0.0.1:0", processes=True,
            ) as cluster, Client(cluster) as client:  # fmt: skip
                yield client

    @contextmanager
    def executors(self):
        """Yield a factory of executors: a new local pool after a crash, one Dask executor otherwise."""
        if self.scheduler or self.local_cluster:
            with self.client() as client:
                executor = client.get_executor()
                yield lambda: executor
        else:
            pools = []

            def new_pool():
                pools.append(worker_pool(self.workers))
                return pools[-1]

            try:
                yield new_pool
            finally:
                for pool in pools:
                    pool.shutdown(wait=False, cancel_futures=True)


def check_cluster(client, address: str) -> None:
    """Refuse, in one line and before any job, a Dask scheduler or worker that cannot import
    `ecosystem` or imports another version of it than this process (its jobs would fail, with
    the cause only in the scheduler's log). Workers that join later are not checked."""
    try:
        found = {"the scheduler": _described(client.run_on_scheduler(eval, VERSION_PROBE))}
    except Exception as error:  # the scheduler's own error, raised again here
        found = {"the scheduler": _described(error)}
    workers = client.run(eval, VERSION_PROBE, on_error="return")
    found |= {f"worker {worker}": _described(answer) for worker, answer in sorted(workers.items())}
    wrong = [f"{who}: {answer}" for who, answer in found.items() if answer != _described(__version__)]
    if wrong:
        raise refusal("scheduler", address, f"a scheduler and workers that import ecosystem {__version__} as this "
                      f"process does (pip install -e . there); {'; '.join(wrong)}")  # fmt: skip


def _described(answer) -> str:
    """A probe's answer as text: 'ecosystem 0.2.0', or the error it raised."""
    return f"{type(answer).__name__}: {answer}" if isinstance(answer, BaseException) else f"ecosystem {answer}"


def sweep(
    spec: SweepSpec | Path | str,
    out: Path | str = RESULTS_ROOT,
    workers: int | None = None,
    scheduler: str | None = None,
    local_cluster: bool = False,
    progress: bool = True,
) -> SweepReport:
    """Run a sweep spec as `python -m ecosystem sweep` does, into `out/<spec name>/`.

    Args:
        spec: the path of a TOML spec (see runs/*.toml), or a `SweepSpec`
            (`ecosystem.sweeps.spec.parse_spec` builds one from a dict).
        out: the root folder for results.
        workers: processes of the local pool or of a local Dask cluster (default: every core).
        scheduler: address of a running Dask scheduler, tcp://HOST:PORT, whose scheduler and
            workers must import this version of `ecosystem` (checked before any job).
        local_cluster: start a Dask LocalCluster on 127.0.0.1 instead.
        progress: show a progress bar.

    Returns the `SweepReport`: the folder, counts, failed jobs and repairs made. Calling it
    again resumes: complete jobs are skipped. Bad values raise ValueError before any work.
    """
    spec = spec if isinstance(spec, SweepSpec) else load_spec(Path(spec))
    workers = (os.cpu_count() or 1) if workers is None else workers
    check_int("workers", workers, 1)
    backend = Backend(workers=workers, scheduler=scheduler, local_cluster=local_cluster)
    return run_sweep(spec, Path(out), backend, progress=progress)


def run_sweep(
    spec: SweepSpec,
    results_root: Path,
    backend: Backend,
    job_function: Callable = run_job,
    progress: bool = True,
) -> SweepReport:
    """Run every job of `spec` not yet stored intact, then export the tables in job order."""
    folder = results_root / spec.name
    check_destination("out", folder)
    with backend.executors() as new_executor:  # connects to Dask before anything is written
        make_folder("out", folder)
        with ResultStore(folder, spec.digest(), spec.outputs) as store:
            remove_temporaries(folder)  # a killed sweep's, as this one holds the folder
            complete = store.complete((job.job_id, spec.job_key(job)) for job in spec.jobs())
            pending = (job for job in spec.jobs() if spec.job_key(job) not in complete)
            report = SweepReport(folder, spec.job_count, len(complete), notes=store.notes, backend=backend.description)
            started = datetime.now(UTC).isoformat(timespec="seconds")
            write_record(spec, report, started)
            bar = tqdm(total=report.total, initial=report.already_complete, unit="job", disable=not progress)
            try:
                _run_pending(pending, spec, store, new_executor, job_function, report, bar, backend.workers)
                if not report.failed:
                    export_tables(store, spec, folder)
                report.status = "incomplete" if report.failed else "complete"
            except BaseException:  # Ctrl-C, or an error: the record says it stopped before the end
                report.status = "interrupted"
                raise
            finally:
                bar.close()
                write_record(spec, report, started)
    return report


def export_tables(store: ResultStore, spec: SweepSpec, folder: Path) -> None:
    """Write one CSV per kept table: the header once, then every job's rows in job order."""
    for name in spec.outputs:
        with whole_file(folder / f"{name}.csv") as merged:
            keys = (spec.job_key(job) for job in spec.jobs())
            for job_id, text in enumerate(store.texts(name, keys)):
                header, _, rows = text.partition("\n")
                if job_id == 0:
                    merged.write(header + "\n")
                merged.write(rows)


def _run_pending(pending, spec, store, new_executor, job_function, report, bar, workers) -> None:
    """Keep the workers busy until every pending job has finished or failed for good.

    `pending` is an iterator, drawn from only as workers free up; jobs lost
    with a dead worker go to `retry` and are submitted first.
    """
    attempts: dict[int, int] = {}  # job id -> submissions, for jobs submitted more than once
    retry: list[Job] = []
    executor = new_executor()
    in_flight: dict[cf.Future, Job] = {}
    window = max(1, workers) * IN_FLIGHT_PER_WORKER
    while True:
        while len(in_flight) < window and (job := retry.pop() if retry else next(pending, None)):
            in_flight[executor.submit(job_function, job, spec.outputs, spec.swept)] = job
        if not in_flight:
            return
        finished, _ = cf.wait(in_flight, return_when=cf.FIRST_COMPLETED)
        for future in finished:
            job = in_flight.pop(future)
            try:
                texts = future.result()
            except BrokenProcessPool:
                executor = _retry_all(in_flight, retry, job, attempts, report, new_executor)
                break
            except Exception as error:  # a job's own failure; the others go on
                report.failed[job.job_id] = f"{type(error).__name__}: {error}"
                bar.set_postfix(failed=len(report.failed))
                bar.update(1)
                continue
            store.store(job.job_id, spec.job_key(job), texts)
            report.completed += 1
            bar.update(1)


def _retry_all(in_flight, retry, crashed: Job, attempts, report, new_executor):
    """A worker died: every job in flight with it is lost; queue them again on a new pool."""
    lost = [crashed, *in_flight.values()]
    in_flight.clear()
    for job in lost:
        attempts[job.job_id] = attempts.get(job.job_id, 1) + 1
        if attempts[job.job_id] > MAX_ATTEMPTS:
            report.failed[job.job_id] = f"its worker died {MAX_ATTEMPTS} times"
        else:
            retry.append(job)
    time.sleep(0.1)
    return new_executor()
