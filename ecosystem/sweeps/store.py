"""A sweep's results database: one SQLite file in its results folder.

Why a database rather than a folder of part files: SQLite (standard library)
commits each job's rows in one transaction, so a kill at any moment leaves
every job either wholly stored or absent, with no temporary files, markers or
renames to keep consistent. Each job's rows are keyed by a fingerprint of the
job (`SweepSpec.job_key`: its number, seed and parameters), so resuming is a
query, and rows of another job can never be taken for this one. The spec's
fingerprint is stored beside them, so the database itself refuses rows of a
different spec, whatever happened to `sweep.json`. Every job's text is stored
with its row count and SHA-256 and checked before it is trusted; a job whose
rows do not match is deleted and run again, and a database SQLite itself
finds damaged is moved aside and the sweep starts afresh.

One sweep holds a folder at a time: an exclusive `flock` on the folder itself,
taken before anything is read or written and released by the kernel when the
process ends, however it ends. No file in the folder can be deleted to free it.
A second sweep into the same folder is refused at once with one line, rather
than waiting an unknown time.

Writes use WAL mode, so readers (a test, a notebook) can look alongside.
"""

import fcntl
import hashlib
import os
import sqlite3
from contextlib import contextmanager
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from ecosystem.validation import refusal

DATABASE = "results.sqlite"
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS parts (
    job_key TEXT NOT NULL, job_id INTEGER NOT NULL, output TEXT NOT NULL,
    rows INTEGER NOT NULL, sha256 TEXT NOT NULL, text TEXT NOT NULL,
    PRIMARY KEY (job_key, output)
);
"""


def fingerprint(text: str) -> tuple[int, str]:
    """A table's CSV text's row count (header excluded) and SHA-256: what a stored part must match."""
    return text.count("\n") - 1, hashlib.sha256(text.encode()).hexdigest()


def _locked(folder: Path, operation: int) -> int | None:
    """A descriptor of `folder` holding a `flock` of `operation`; None if another holds a conflicting one."""
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(descriptor, operation | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        return None
    return descriptor


class ResultStore:
    """The results database of one sweep's folder, held by this process alone (see the module docstring).

    Use as a context manager: the lock is taken on entry and released on exit.
    `notes` collects one line per repair made (a damaged job deleted, a damaged
    database moved aside), for the user to read.
    """

    def __init__(self, folder: Path, digest: str, outputs: tuple[str, ...]):
        self.folder, self.digest, self.outputs = folder, digest, outputs
        self.notes: list[str] = []

    def __enter__(self) -> "ResultStore":
        self.lock = _locked(self.folder, fcntl.LOCK_EX)
        if self.lock is None:
            raise refusal(
                "results", str(self.folder), "a folder no other sweep is writing to; another one is running there"
            )
        try:
            self.connection = self._open()
        except sqlite3.DatabaseError as error:
            self._set_aside(error)
            self.connection = self._open()
        try:
            self._check_digest()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        self.connection.close()
        os.close(self.lock)  # releases the flock

    def _open(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.folder / DATABASE, isolation_level=None)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.executescript(SCHEMA)
            problems = [row[0] for row in connection.execute("PRAGMA quick_check")]
            if problems != ["ok"]:
                raise sqlite3.DatabaseError("; ".join(problems[:3]))
        except BaseException:
            connection.close()
            raise
        return connection

    def _set_aside(self, error: Exception) -> None:
        """Move a database SQLite finds damaged (with its WAL files) aside, keeping it for a post-mortem."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        for suffix in ("", "-wal", "-shm"):
            path = self.folder / (DATABASE + suffix)
            if path.exists():
                path.replace(self.folder / f"{DATABASE}.damaged-{stamp}{suffix}")
        self.notes.append(f"{self.folder / DATABASE} was damaged ({error}): moved aside; every job runs again")

    def _check_digest(self) -> None:
        """Refuse a database of another spec; claim an empty one for this spec."""
        with self.transaction():
            row = self.connection.execute("SELECT value FROM meta WHERE key = 'digest'").fetchone()
            if row is None:
                self.connection.execute("INSERT INTO meta VALUES ('digest', ?)", (self.digest,))
            elif row[0] != self.digest:
                raise refusal(
                    "results", str(self.folder),
                    "a folder of this spec, but it holds a sweep of a different spec; rename the spec or remove that folder",
                )  # fmt: skip

    @contextmanager
    def transaction(self):
        """`BEGIN IMMEDIATE` (the write lock is taken at once) ... `COMMIT`, or `ROLLBACK` on error."""
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        self.connection.execute("COMMIT")

    def complete(self, keys: Iterable[tuple[int, str]]) -> set[str]:
        """The keys, among (job id, key) pairs, of jobs with every output stored intact.

        A job with a missing, extra or damaged part is deleted, so that it runs again.
        """
        complete = set()
        for job_id, key in keys:
            parts = self.connection.execute(
                "SELECT output, rows, sha256, text FROM parts WHERE job_key = ?", (key,)
            ).fetchall()
            if not parts:
                continue
            damaged = sorted(out for out, rows, sha, text in parts if (rows, sha) != fingerprint(text))
            missing = sorted(set(self.outputs) - {part[0] for part in parts})
            if damaged or missing:
                with self.transaction():
                    self.connection.execute("DELETE FROM parts WHERE job_key = ?", (key,))
                what = ", ".join([f"{o} rows damaged" for o in damaged] + [f"{o} rows missing" for o in missing])
                self.notes.append(f"job {job_id}: {what}; it runs again")
            else:
                complete.add(key)
        return complete

    def store(self, job_id: int, key: str, texts: dict[str, str]) -> None:
        """Store every table of a finished job in one transaction: all of them or none."""
        with self.transaction():
            self.connection.execute("DELETE FROM parts WHERE job_key = ?", (key,))
            for output, text in texts.items():
                rows, sha = fingerprint(text)
                self.connection.execute(
                    "INSERT INTO parts VALUES (?, ?, ?, ?, ?, ?)", (key, job_id, output, rows, sha, text)
                )

    def texts(self, output: str, keys: Iterable[str]) -> Iterator[str]:
        """Each job's CSV text of one table, in the order of `keys` (checked by `complete`)."""
        for key in keys:
            query = "SELECT text FROM parts WHERE job_key = ? AND output = ?"
            yield self.connection.execute(query, (key, output)).fetchone()[0]
