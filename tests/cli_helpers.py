"""Helpers for tests that drive the command line: run it in this process, check a refusal, and
the tiny sweep several tests run and interrupt."""

import contextlib
import io
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from ecosystem.cli import main
from ecosystem.sweeps.store import DATABASE

TINY = """
root_seed = 7
replicates = 2
outputs = ["summary", "generations", "agents"]

[fixed]
population = 8
generations = 2
deploy_episodes = 1

[grid]
diversity = [0.0, 1.0]
cognition_overhead = [0.0, 0.3]
"""
RESULT_FILES = ("summary.csv", "generations.csv", "agents.csv")


def call(*argv) -> tuple[int, str, str]:
    """Run the command line in this process: exit status, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(list(argv))
        except SystemExit as exit_:  # argparse's refusals
            status = exit_.code
    return status, out.getvalue(), err.getvalue()


def assert_refused(status: int, stderr: str, word: str) -> None:
    lines = stderr.strip().splitlines()
    assert status == 2 and len(lines) == 1 and word in lines[0], stderr


def result_bytes(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in RESULT_FILES}


def stored_jobs(folder: Path) -> int:
    """Jobs whose rows the sweep's database holds, read alongside a running sweep (0 before it exists)."""
    if not (folder / DATABASE).exists():
        return 0
    with sqlite3.connect(f"file:{folder / DATABASE}?mode=ro", uri=True, timeout=10) as connection:
        try:
            return connection.execute("SELECT COUNT(DISTINCT job_key) FROM parts").fetchone()[0]
        except sqlite3.OperationalError:  # created, but its tables not yet
            return 0


def sweep_command(spec: Path, out: Path, *args) -> list[str]:
    return [sys.executable, "-m", "ecosystem", "sweep", str(spec), "--out", str(out), "--quiet", *args]


def interruptible(command: list[str], **options) -> subprocess.Popen:
    """Start `command` in a session of its own, taking Ctrl-C as a user's terminal would. A child
    inherits an ignored SIGINT (a process that ran a notebook kernel before, or a background job,
    may ignore it), and Python then installs no Ctrl-C handler; so SIGINT is the default in this
    process while the child starts."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return subprocess.Popen(command, start_new_session=True, **options)
    finally:
        signal.signal(signal.SIGINT, previous)
