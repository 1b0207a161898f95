"""A sweep's results database: one SQLite file in its results folder.

Why a database rather than a folder of part files: SQLite (standard library)
commits each job's rows in one transaction, so a kill at any moment leaves
every job either wholly stored or absent, with no temporary files, markers or
renames to keep consistent. Each job's rows are keyed by a fingerprint of the
job (`SweepSpec.job_key`: its number, seed and parameters), so resuming is a
query. The spec's fingerprint is stored beside them, so the database itself
refuses rows of a different spec, whatever happened to `sweep.json`.

The store repairs itself rather than trusting what it reads. Each part (one
job's text of one table) is stored with its row count and a SHA-256 of its job
key, table name and text (`fingerprint`), so a part copied from another job or
table does not verify. A part that cannot be read or decoded, is not text, or
does not verify is damage: its job is deleted and runs again. A database
SQLite finds damaged, or one whose damage cannot even be deleted, is moved
aside (`results.sqlite.damaged-*`) and the sweep starts afresh; so is one
written before parts' hashes covered their job (`results.sqlite.outdated-*`),
whose parts cannot be verified that way.

One sweep holds a folder at a time: an exclusive `flock` on the folder itself,
taken before anything is read or written and released by the kernel when the
process ends, however it ends. No file in the folder can be deleted to free it.
A second sweep into the same folder is refused at once with one line, rather
than waiting an unknown time; `held` tells a reader whether a sweep holds it.

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
FORMAT = "2"  # how parts are fingerprinted; databases without it hashed the text alone
# What reading a damaged database raises: SQLite's errors, or a UnicodeDecodeError when the
# message of one quotes damaged text.
DAMAGE = (sqlite3.DatabaseError, UnicodeDecodeError)
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS parts (
    job_key TEXT NOT NULL, job_id INTEGER NOT NULL, output TEXT NOT NULL,
    rows INTEGER NOT NULL, sha256 TEXT NOT NULL, text TEXT NOT NULL,
    PRIMARY KEY (job_key, output)
);
"""


def fingerprint(key: str, output: str, text: str) -> tuple[int, str]:
    """What a stored part must match: its CSV text's row count (header excluded) and the SHA-256
    of its job key, table name and text, so that it verifies only as that job's table."""
    return text.count("\n") - 1, hashlib.sha256(f"{key}\n{output}\n{text}".encode()).hexdigest()


def _locked(folder: Path, operation: int) -> int | None:
    """A descriptor of `folder` holding a `flock` of `operation`; None if another holds a conflicting one."""
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(descriptor, operation | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        return None
    return descriptor


def held(folder: Path) -> bool:
    """Whether a sweep holds `folder` now (the probe shares the lock for an instant)."""
    descriptor = _locked(folder, fcntl.LOCK_SH)
    if descriptor is None:
        return True
    os.close(descriptor)
    return False


@contextmanager
def transaction(connection: sqlite3.Connection):
    """`BEGIN IMMEDIATE` (the write lock is taken at once) ... `COMMIT`, or `ROLLBACK` on error."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


class OutdatedStore(Exception):
    """A database written before parts' hashes covered their job: its parts cannot be verified."""


class ResultStore:
    """The results database of one sweep's folder, held by this process alone (see the module docstring).

    Use as a context manager: the lock is taken on entry and released on exit.
    `notes` collects one line per repair made (a damaged job deleted, a damaged
    or outdated database moved aside), for the user to read.
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
            try:
                self.connection = self._connect()
            except DAMAGE as error:
                self.connection = self._start_afresh("damaged", f"was damaged ({error})")
            except OutdatedStore:
                self.connection = self._start_afresh("outdated", "was written before parts' hashes covered their job")
        except BaseException:
            os.close(self.lock)
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        self.connection.close()
        os.close(self.lock)  # releases the flock

    def _connect(self) -> sqlite3.Connection:
        """The database, checked by SQLite and claimed for this spec (`_claim`); closed if either fails.

        The check is `integrity_check` rather than `quick_check`, which skips whether each index
        matches its table: with a damaged index, one query finds a part another misses. It
        costs about a third more (0.6 s against 0.45 s for 330 MB here).
        """
        connection = sqlite3.connect(self.folder / DATABASE, isolation_level=None)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.executescript(SCHEMA)
            problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                raise sqlite3.DatabaseError("; ".join(problems[:3]))
            self._claim(connection)
        except BaseException:
            connection.close()
            raise
        return connection

    def _claim(self, connection: sqlite3.Connection) -> None:
        """Refuse a database of another spec; claim an empty one for this spec and format."""
        with transaction(connection):
            meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
            if not meta:
                connection.executemany("INSERT INTO meta VALUES (?, ?)", [("digest", self.digest), ("format", FORMAT)])
            elif meta.get("digest") != self.digest:
                raise refusal(
                    "results", str(self.folder),
                    "a folder of this spec, but it holds a sweep of a different spec; rename the spec or remove that folder",
                )  # fmt: skip
            elif meta.get("format") != FORMAT:
                raise OutdatedStore

    def _start_afresh(self, label: str, why: str) -> sqlite3.Connection:
        """Move the database (with its WAL files) aside as `results.sqlite.<label>-<time>`, kept for a
        post-mortem, and open a new, empty one: every job runs again."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        for suffix in ("", "-wal", "-shm"):
            path = self.folder / (DATABASE + suffix)
            if path.exists():
                path.replace(self.folder / f"{DATABASE}.{label}-{stamp}{suffix}")
        self.notes.append(f"{self.folder / DATABASE} {why}: moved aside; every job runs again")
        return self._connect()

    def complete(self, keys: Iterable[tuple[int, str]]) -> set[str]:
        """The keys, among (job id, key) pairs, of jobs with every output stored intact.

        A job with a part missing or damaged is deleted, so that it runs again; a
        database whose damage cannot even be deleted is moved aside and every job runs again.
        """
        try:
            return {key for job_id, key in keys if self._intact(job_id, key)}
        except DAMAGE as error:
            self.connection.close()
            self.connection = self._start_afresh("damaged", f"was damaged ({error})")
            return set()

    def _intact(self, job_id: int, key: str) -> bool:
        """Whether every part of a job is stored and verifies; a job stored in part or damaged is deleted."""
        query = "SELECT output, rows, sha256, text FROM parts WHERE job_key = ?"
        try:
            parts = self.connection.execute(query, (key,)).fetchall()
        except DAMAGE:  # text that does not decode as UTF-8, a page SQLite cannot read
            problems = ["rows unreadable"]
        else:
            if not parts:
                return False
            stored = [part[0] for part in parts]
            damaged = sorted(str(out) for out, rows, sha, text in parts
                             if not isinstance(text, str) or (rows, sha) != fingerprint(key, out, text))  # fmt: skip
            missing = [out for out in self.outputs if out not in stored]
            problems = [f"{out} rows damaged" for out in damaged] + [f"{out} rows missing" for out in missing]
        if problems:
            with transaction(self.connection):
                self.connection.execute("DELETE FROM parts WHERE job_key = ?", (key,))
            self.notes.append(f"job {job_id}: {', '.join(problems)}; it runs again")
        return not problems

    def store(self, job_id: int, key: str, texts: dict[str, str]) -> None:
        """Store every table of a finished job in one transaction: all of them or none."""
        with transaction(self.connection):
            self.connection.execute("DELETE FROM parts WHERE job_key = ?", (key,))
            for output, text in texts.items():
                rows, sha = fingerprint(key, output, text)
                self.connection.execute(
                    "INSERT INTO parts VALUES (?, ?, ?, ?, ?, ?)", (key, job_id, output, rows, sha, text)
                )

    def texts(self, output: str, keys: Iterable[str]) -> Iterator[str]:
        """Each job's CSV text of one table, in the order of `keys` (checked by `complete`)."""
        for key in keys:
            query = "SELECT text FROM parts WHERE job_key = ? AND output = ?"
            yield self.connection.execute(query, (key, output)).fetchone()[0]
