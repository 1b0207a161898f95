"""Write a run's results to a folder: CSVs, the parameters as JSON.

Knows nothing of the model: it takes `records.Results` and writes them. A
run's files are written into a hidden staging folder beside their final
place and the staging folder is renamed into place in one step, so a results
folder is whole or absent: never two runs mixed, never a file cut short
(a killed run's hidden folder is removed by the next run beside it).
Where the results would go is checked before any work, so a run never fails
at its end for want of a place to put them.
"""

import json
import os
import platform
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ecosystem.version import __version__, provenance
from ecosystem.validation import refusal

if TYPE_CHECKING:  # the tables it writes; importing them would import the model
    from ecosystem.measure.records import Results

RESULTS_ROOT = Path("runs") / "results"  # where results go by default, relative to the working folder
CSV_FILES = {"episodes": "agents.csv", "generations": "generations.csv", "summary": "summary.csv"}
PARAMS_FILE = "params.json"
TEMPORARY = ".tmp"  # the suffix of a file being written, renamed to its own name once whole
VERSIONED_PACKAGES = ("mesa", "numpy", "pandas", "matplotlib")


def package_versions() -> dict[str, str]:
    """Versions of Python, this package and the libraries results depend on."""
    return {
        "python": platform.python_version(),
        "ecosystem": __version__,
        **{name: version(name) for name in VERSIONED_PACKAGES},
    }


def csv_text(frame) -> str:
    """A table as CSV text, with the float format every output file uses."""
    return frame.to_csv(index=False, float_format="%.6g", lineterminator="\n")


@contextmanager
def whole_file(path: Path) -> Iterator[TextIO]:
    """A temporary file beside `path` to write its text into: renamed to `path` when the block
    ends without error and removed when it fails, so `path` is whole or absent. A process killed
    meanwhile leaves it behind, for `remove_temporaries`."""
    temporary = path.with_name(path.name + TEMPORARY)
    try:
        with temporary.open("w") as file:
            yield file
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)


def write_text(text: str, path: Path) -> None:
    """Write a file via a temporary name, so that it is either whole or absent."""
    with whole_file(path) as file:
        file.write(text)


def remove_temporaries(folder: Path) -> None:
    """Remove the temporary files of `whole_file` that processes killed while writing into `folder`
    left behind; only while no other process writes there."""
    for leftover in folder.glob("*" + TEMPORARY):
        leftover.unlink(missing_ok=True)


def write_csv(frame, path: Path) -> None:
    """Write a table as CSV with a fixed float format, via a temporary file."""
    write_text(csv_text(frame), path)


def write_results(results: "Results", folder: Path, params: dict, seeds: list[int]) -> None:
    """Write agents.csv, generations.csv, summary.csv and params.json (with the `seeds` run, and
    the version and commit of the code, `provenance()`) to `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for attribute, name in CSV_FILES.items():
        write_csv(getattr(results, attribute), folder / name)
    record = {"seeds": list(seeds), "params": params, "versions": package_versions(), **provenance()}
    write_text(json.dumps(record, indent=2, sort_keys=True) + "\n", folder / PARAMS_FILE)


def check_destination(name: str, folder: Path) -> None:
    """Refuse a results folder that could not be put in place: a path naming an existing
    file or lying under one, or too long for the file system (checked before any work)."""
    folder = Path(folder).absolute()
    existing = next(p for p in (folder, *folder.parents) if os.path.exists(p))
    name_max, path_max = os.pathconf(existing, "PC_NAME_MAX"), os.pathconf(existing, "PC_PATH_MAX")
    if len(os.fsencode(folder)) >= path_max or any(len(os.fsencode(part)) > name_max for part in folder.parts):
        raise refusal(name, str(folder), f"a path of fewer than {path_max} bytes, each name at most {name_max}")
    if not existing.is_dir():
        raise refusal(name, str(folder), f"a folder, but {existing} is a file")


def make_folder(name: str, folder: Path) -> Path:
    """Create `folder` (and its parents) or refuse in one line, naming why it cannot be."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise refusal(name, str(folder), f"a folder this user can create ({error.strerror})") from None
    return folder


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's, and running
        pass
    return True


def _remove_leftovers(parent: Path) -> None:
    """Remove hidden staging and set-aside folders of runs killed before they could (named by pid)."""
    for leftover in [*parent.glob(".staging-*-*"), *parent.glob(".replaced-*-*")]:
        pid = leftover.name.split("-")[1]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(leftover, ignore_errors=True)


def staging_folder(name: str, folder: Path) -> Path:
    """A new, empty hidden folder beside `folder`, to build a run's files in (see `publish`)."""
    make_folder(name, folder.parent)
    _remove_leftovers(folder.parent)
    try:
        return Path(tempfile.mkdtemp(prefix=f".staging-{os.getpid()}-", dir=folder.parent))
    except OSError as error:
        raise refusal(name, str(folder), f"a folder this user can write in ({error.strerror})") from None


def publish(staging: Path, folder: Path) -> bool:
    """Move a finished staging folder to `folder` by renames; return whether a folder was replaced.

    An earlier folder is first renamed aside and removed only after the new one is
    in place, so `folder` holds either one whole run or nothing, whenever the
    process stops.
    """
    replaced = folder.exists()
    if replaced:
        aside = Path(tempfile.mkdtemp(prefix=f".replaced-{os.getpid()}-", dir=folder.parent))
        folder.replace(aside / folder.name)
    staging.replace(folder)
    if replaced:
        shutil.rmtree(aside)
    return replaced


@dataclass
class Stage:
    """A folder being built by `staged`: where to write, and once published, what happened."""

    path: Path  # the hidden staging folder to write the files in
    files: list[str] = field(default_factory=list)  # the names published, sorted
    replaced: bool = False  # whether publishing replaced an earlier folder


@contextmanager
def staged(name: str, folder: Path) -> Iterator[Stage]:
    """Build a folder's files in a hidden staging folder beside it (`staging_folder`), and
    `publish` them as `folder` when the block ends without error; the staging folder is
    removed whatever happens, so `folder` holds the earlier whole run or this one, never a mix.

        with staged("out", folder) as stage:
            write_csv(table, stage.path / "table.csv")
        print(stage.files, stage.replaced)
    """
    stage = Stage(staging_folder(name, folder))
    try:
        yield stage
        stage.files = sorted(p.name for p in stage.path.iterdir())
        stage.replaced = publish(stage.path, folder)
    finally:
        shutil.rmtree(stage.path, ignore_errors=True)  # gone already once published
