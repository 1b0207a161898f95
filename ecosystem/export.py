"""Write a run's results to a folder: CSVs, the parameters as JSON.

Knows nothing of the model: it takes `records.Results` and writes them. The
files are written under temporary names and renamed at the end, so a folder
never holds half a run.
"""

import json
import platform
from importlib.metadata import version
from pathlib import Path

from ecosystem.version import __version__
from ecosystem.measure.records import Results

CSV_FILES = {"episodes": "agents.csv", "generations": "generations.csv", "summary": "summary.csv"}
PARAMS_FILE = "params.json"
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


def write_text(text: str, path: Path) -> None:
    """Write a file via a temporary name, so that it is either whole or absent."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text)
    temporary.replace(path)


def write_csv(frame, path: Path) -> None:
    """Write a table as CSV with a fixed float format, via a temporary file."""
    write_text(csv_text(frame), path)


def write_results(results: Results, folder: Path, params: dict, seeds: list[int]) -> list[Path]:
    """Write agents.csv, generations.csv, summary.csv and params.json (with the `seeds` run) to `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for attribute, name in CSV_FILES.items():
        write_csv(getattr(results, attribute), folder / name)
        written.append(folder / name)
    record = {"seeds": list(seeds), "params": params, "versions": package_versions()}
    (folder / PARAMS_FILE).write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
    written.append(folder / PARAMS_FILE)
    return written
