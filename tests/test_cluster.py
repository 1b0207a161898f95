"""Sweeps against a real Dask scheduler with workers, each its own process on 127.0.0.1: a
scheduler or worker that cannot import `ecosystem` is refused in one line before any job, and
one that can runs the sweep to the same files as the local pool."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ecosystem.cli import main as ecosystem_cli

pytest.importorskip("distributed")

SPEC = "replicates = 2\n[fixed]\npopulation = 8\ngenerations = 2\ndeploy_episodes = 1\n[grid]\ndiversity = [0.0, 1.0]\n"
# Runs a Dask command in a Python that cannot import ecosystem, as on a machine where it was never installed.
WITHOUT_ECOSYSTEM = """
import runpy, sys
class NoEcosystem:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "ecosystem":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
sys.meta_path.insert(0, NoEcosystem())
sys.argv = sys.argv[1:]
runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(module: str, *args: str, with_ecosystem: bool = True) -> subprocess.Popen:
    """Start `python -m module args` in a folder outside the repository, in a process group of its own."""
    command = [sys.executable, "-m", module, *args] if with_ecosystem else [sys.executable, "-c", WITHOUT_ECOSYSTEM, module, *args]
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    return subprocess.Popen(command, cwd="/", env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)  # fmt: skip


@pytest.fixture
def cluster():
    """A factory of clusters: start(scheduler_has_ecosystem, [worker_has_ecosystem, ...]) -> address."""
    processes = []

    def start_cluster(scheduler_has_ecosystem: bool, workers_have_ecosystem: list[bool]) -> str:
        port = free_port()
        address = f"tcp://127.0.0.1:{port}"
        processes.append(start("distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--no-dashboard", with_ecosystem=scheduler_has_ecosystem))  # fmt: skip
        for has_ecosystem in workers_have_ecosystem:
            processes.append(start("distributed.cli.dask_worker", address, "--no-nanny", "--nthreads", "1",
                                   "--host", "127.0.0.1", "--no-dashboard", with_ecosystem=has_ecosystem))  # fmt: skip
        wait_for_workers(address, len(workers_have_ecosystem))
        return address

    yield start_cluster
    for process in reversed(processes):  # workers first: a worker whose scheduler is gone waits to reconnect
        os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_for_workers(address: str, count: int, timeout: float = 120) -> None:
    from distributed import Client

    deadline = time.monotonic() + timeout
    while True:
        try:
            with Client(address, timeout="5s") as client:
                client.wait_for_workers(count, timeout=max(1.0, deadline - time.monotonic()))
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def sweep(tmp_path: Path, out: str, *where: str) -> int:
    spec = tmp_path / "tiny.toml"
    spec.write_text(SPEC)
    return ecosystem_cli(["sweep", str(spec), "--quiet", "--out", str(tmp_path / out), *where])


def test_a_scheduler_without_the_package_is_refused_in_one_line_before_any_job(cluster, tmp_path, capsys):
    address = cluster(False, [True])
    assert sweep(tmp_path, "dask", "--scheduler", address) == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1
    assert f"scheduler={address!r} is not allowed" in error
    assert "the scheduler: ModuleNotFoundError: No module named 'ecosystem'" in error
    assert "worker " not in error  # the worker has it
    assert not (tmp_path / "dask").exists()


@pytest.mark.slow
def test_a_worker_without_the_package_is_refused_and_a_whole_cluster_matches_the_local_pool(cluster, tmp_path, capsys):
    address = cluster(True, [True, False])
    assert sweep(tmp_path, "refused", "--scheduler", address) == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and "No module named 'ecosystem'" in error and "the scheduler" not in error
    assert not (tmp_path / "refused").exists()

    address = cluster(True, [True, True])
    assert sweep(tmp_path, "dask", "--scheduler", address) == 0
    assert sweep(tmp_path, "local", "--workers", "1") == 0
    for name in ("summary.csv", "generations.csv"):
        assert (tmp_path / "dask" / "tiny" / name).read_bytes() == (tmp_path / "local" / "tiny" / name).read_bytes()
