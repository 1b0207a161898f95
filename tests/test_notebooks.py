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


def test_sweep_analysis_notebook_draws_its_figures(tmp_path, monkeypatch):
    spec = tmp_path / "tiny.toml"
    spec.write_text(
        "replicates = 2\n[fixed]\npopulation = 8\ngenerations = 2\ndeploy_episodes = 1\n"
        "[grid]\ndiversity = [0.0, 1.0]\ncognition_overhead = [0.0, 0.2]\n"
    )
    assert ecosystem_cli(["sweep", str(spec), "--quiet", "--workers", "1", "--out", str(tmp_path)]) == 0
    monkeypatch.setenv("ECOSYSTEM_SWEEP_RESULTS", str(tmp_path / "tiny"))
    notebook = execute("sweep_analysis.ipynb")
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 4  # the heatmaps, the distribution of final shares, one outcome figure per swept parameter


@pytest.mark.parametrize(
    ("notebook", "spec_text", "figures"),
    [
        ("adversarial.ipynb", "[grid]\nadversarial_share = [0.0, 0.2]\nadversary = [\"random\", \"regret\"]\n", 1),
        ("outer_inner.ipynb", "[fixed]\ntraining = \"orchard\"\n[grid]\nbase_objective = [\"exit\", \"green\"]\n"
                              "adversarial_share = [0.0, 0.2]\n", 1),
    ],
)
def test_the_claim_notebooks_draw_their_figures(tmp_path, monkeypatch, notebook, spec_text, figures):
    spec = tmp_path / "tiny.toml"
    small = "replicates = 2\n[fixed]\npopulation = 8\ngenerations = 2\ndeploy_episodes = 1\n"
    spec.write_text(small + spec_text.replace("[fixed]\n", ""))
    assert ecosystem_cli(["sweep", str(spec), "--quiet", "--workers", "1", "--out", str(tmp_path)]) == 0
    monkeypatch.setenv("ECOSYSTEM_SWEEP_RESULTS", str(tmp_path / "tiny"))
    executed = execute(notebook)
    outputs = [o for cell in executed.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert len([o for o in outputs if "image/png" in o.get("data", {})]) == figures


def test_the_deception_notebook_draws_its_figures(tmp_path, monkeypatch):
    lifetime = ("replicates = 2\noutputs = [\"summary\", \"agents\"]\n[fixed]\npopulation = 16\ndeploy_episodes = 2\n"
                "far_sighted_share = 0.5\n")
    specs = {
        "deception": lifetime + "pretraining_generations = 2\ngenerations = 1\nbase_optimizer = \"modification\"\n"
                                "episodes_per_generation = 3\n[grid]\nadversarial_share = [0.0, 0.5]\n",
        "honeypots": lifetime + "pretraining_generations = 2\ngenerations = 1\nbase_optimizer = \"modification\"\n"
                                "episodes_per_generation = 3\nadversarial_share = 0.5\n"
                                "honeypot_share = 0.5\n[grid]\nhoneypot_realism = [1, 5]\nattended_signs = [1, 5]\n",
        "deception_evolution": lifetime + "generations = 3\nbase_optimizer = \"both\"\n[grid]\nadversarial_share = [0.0, 0.5]\n",
    }  # fmt: skip
    check_notebook_over_sweeps("deception.ipynb", specs, {"deception_groups.png", "honeypots.png", "deceiver_share.png"},
                               tmp_path, monkeypatch)  # fmt: skip


def test_the_four_kinds_notebook_draws_its_figures(tmp_path, monkeypatch):
    small = ("replicates = 2\noutputs = [\"summary\", \"agents\"]\n[fixed]\npopulation = 16\ntraining = \"flags\"\n"
             "deployment = \"flags\"\n")
    specs = {
        "realignment": (small + "generations = 1\nbase_optimizer = \"modification\"\nepisodes_per_generation = 4\n"
                        "deploy_episodes = 1\nsecond_base_objective = \"blue\"\nobjective_change_every = 2\n"
                        "pointer_share = 0.5\nsignpost_share = 1.0\n[grid]\nmodification_rate = [0.1, 1.0]\n"),
        "learning_vs_internalizing": (small + "generations = 3\ndeploy_episodes = 1\nsecond_base_objective = \"blue\"\n"
                                      "pointer_share = 0.5\n[grid]\nobjective_change_every = [0, 2]\n"
                                      "world_model_cost = [0.0, 0.1]\n"),
        "four_kinds": (small + "generations = 1\nbase_optimizer = \"modification\"\nepisodes_per_generation = 4\n"
                       "deploy_episodes = 2\npointer_share = 0.25\ndeceptive_share = 0.25\nsecond_base_objective = \"blue\"\n"
                       "[grid]\nadversarial_share = [0.0, 0.3]\nhoneypot_share = [0.0, 0.5]\nobjective_change_every = [0, 3]\n"),
    }  # fmt: skip
    check_notebook_over_sweeps("four_kinds.ipynb", specs, {"realignment.png", "pointer_takeover.png", "four_kinds.png"},
                               tmp_path, monkeypatch)  # fmt: skip


def check_notebook_over_sweeps(notebook: str, specs: dict[str, str], figures: set[str], tmp_path, monkeypatch) -> None:
    """Run each tiny sweep of `specs` (name: spec text) and `plot` it, check that the figures
    named were drawn, then run the notebook on those sweeps: no error, one image per figure."""
    for name, text in specs.items():
        (tmp_path / f"{name}.toml").write_text(text)
        assert ecosystem_cli(["sweep", str(tmp_path / f"{name}.toml"), "--quiet", "--workers", "1", "--out", str(tmp_path)]) == 0
        assert ecosystem_cli(["plot", str(tmp_path / name)]) == 0
    assert {p.name for p in tmp_path.glob("*/*.png")} >= figures
    monkeypatch.setenv("ECOSYSTEM_SWEEP_ROOT", str(tmp_path))
    executed = execute(notebook)
    outputs = [o for cell in executed.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert len([o for o in outputs if "image/png" in o.get("data", {})]) == len(figures)
