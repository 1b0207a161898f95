"""Job functions for sweep tests; importable by worker processes."""

import os
import signal
from pathlib import Path

from ecosystem.sweeps.runner import run_job

SENTINEL = "ECOSYSTEM_TEST_KILL_SENTINEL"


def die_once(job, outputs, swept):
    """Run the job, except that the worker running job 1 first dies once (SIGKILL).

    The sentinel file named by the environment variable is removed before the
    kill, so the job succeeds when it is retried.
    """
    sentinel = Path(os.environ[SENTINEL])
    if job.job_id == 1 and sentinel.exists():
        sentinel.unlink()
        os.kill(os.getpid(), signal.SIGKILL)
    return run_job(job, outputs, swept)
