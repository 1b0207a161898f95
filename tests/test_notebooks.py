"""The notebooks run from top to bottom on a small run's CSVs."""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from ecosystem.cli import main as ecosystem_cli

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def execute(name: str) -> nbformat.NotebookNode:
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    return notebook


def test_headline_notebook_draws_its_figures(tmp_path, monkeypatch):
    args = ["run", "--quiet", "--population", "30", "--generations", "4", "--deploy-episodes", "2"]
    assert ecosystem_cli([*args, "--out", str(tmp_path), "--name", "small"]) == 0
    monkeypatch.setenv("ECOSYSTEM_RESULTS", str(tmp_path / "small"))
    notebook = execute("headline.ipynb")
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 3
