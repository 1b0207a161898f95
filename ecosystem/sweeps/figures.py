"""Draw a finished sweep's figures from its results folder."""

import json
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from ecosystem.plots import plot_sweep_heatmaps, plot_sweep_outcomes
from ecosystem.sweeps.runner import RECORD


def sweep_caption(record: dict) -> str:
    """Spec name, replicates, root seed and the parameters held fixed."""
    held = ", ".join(f"{k}={v}" for k, v in record["fixed"].items()) or "defaults"
    return (f"sweep {record['spec']}: {record['replicates']} seeds per point from root seed "
            f"{record['root_seed']}; means over seeds and other swept parameters; fixed: {held}")  # fmt: skip


def draw_sweep_figures(folder: Path) -> list[Path]:
    """Heatmaps over the first two swept parameters, and outcome curves for each one."""
    folder = Path(folder)
    record_path, summary_path = folder / RECORD, folder / "summary.csv"
    if not record_path.exists() or not summary_path.exists():
        raise ValueError(f"folder={str(folder)!r} is not allowed: expected a finished sweep's results folder")
    record = json.loads(record_path.read_text())
    summary = pd.read_csv(summary_path)
    swept = record["swept"]
    caption = sweep_caption(record)
    figures = {}
    if len(swept) >= 2:
        figures[f"heatmap_{swept[0]}_{swept[1]}.png"] = plot_sweep_heatmaps(summary, swept[0], swept[1], caption)
    for parameter in swept:
        figures[f"outcomes_by_{parameter}.png"] = plot_sweep_outcomes(summary, parameter, caption)
    for name, figure in figures.items():
        figure.savefig(folder / name, dpi=110, bbox_inches="tight")
        plt.close(figure)
    return [folder / name for name in figures]
