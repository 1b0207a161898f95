"""`sweep.json`: what a sweep ran, with which code and versions, and how it went.

A sweep writes its record when it starts, with the status `running`, and again
when it ends: `complete`, `incomplete` (some jobs failed) or `interrupted`
(Ctrl-C, or any error that stopped it). A sweep killed outright (SIGKILL,
SIGTERM, a power cut) cannot write its end, so `read_record` derives it: a
sweep recorded as running whose folder no sweep holds (`store.held`) was
interrupted. The next sweep into the folder writes the record afresh.
"""

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ecosystem.export import package_versions, write_text
from ecosystem.sweeps.spec import SweepSpec
from ecosystem.sweeps.store import held
from ecosystem.version import provenance

RECORD = "sweep.json"  # in a sweep's results folder


@dataclass
class SweepReport:
    """What a sweep did."""

    folder: Path
    total: int
    already_complete: int
    completed: int = 0
    failed: dict[int, str] = field(default_factory=dict)
    status: str = "running"
    notes: list[str] = field(default_factory=list)  # repairs made to the stored results, one line each
    backend: str = ""  # where the jobs ran (`Backend.description`)


def write_record(spec: SweepSpec, report: SweepReport, started: str) -> None:
    """Write the spec, seeds, versions, times and counts of a sweep into its folder's record."""
    record = {
        "spec": spec.name,
        "digest": spec.digest(),
        "source": spec.source,
        "root_seed": spec.root_seed,
        "replicates": spec.replicates,
        "replicate_seeds": "numpy SeedSequence(root_seed, spawn_key=(replicate,)).generate_state(1)[0]",
        "fixed": spec.fixed,
        "swept": list(spec.swept),
        "outputs": list(spec.outputs),
        "backend": report.backend,
        "status": report.status,
        "jobs": report.total,
        "complete": report.already_complete + report.completed,
        "completed_this_run": report.completed,
        "skipped_as_complete": report.already_complete,
        "failed": {str(k): v for k, v in sorted(report.failed.items())},
        "started": started,
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": package_versions(),
        **provenance(),
    }
    write_text(json.dumps(record, indent=2) + "\n", report.folder / RECORD)


def read_record(folder: Path) -> dict:
    """A sweep's record as written, except that a sweep recorded as running whose folder no
    sweep holds reads as interrupted: it was killed before it could say so."""
    record = json.loads((Path(folder) / RECORD).read_text())
    if isinstance(record, dict) and record.get("status") == "running" and not held(folder):
        record["status"] = "interrupted"
    return record
