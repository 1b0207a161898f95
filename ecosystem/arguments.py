"""The command line's arguments: every command of `python -m ecosystem` with its flags and help.

Every model parameter is a flag of `run`, named after its `ModelParams` field
(`--cognition-cost-per-budget`), typed, bounded and explained from the field's
declaration. Errors are one line and exit status 2 (`OneLineErrorParser`).
Building the parser imports neither the model, Mesa nor matplotlib.
"""

import argparse
import os
from dataclasses import fields
from pathlib import Path

from ecosystem.experiments.sizes import DEFAULT_SIZE, SIZES
from ecosystem.export import RESULTS_ROOT
from ecosystem.params import ModelParams, describe, parameter_types
from ecosystem.page.serving import DEFAULT_PORT, LOCAL_HOST
from ecosystem.version import version_line

FIGURE_FILE = "headline.png"
OUTCOMES_FILE = "outcomes.csv"
TOY_FILES = {"episodes": "episodes.csv", "summary": "summary.csv"}
DEFAULT_SEEDS = 10
MAX_SEEDS = 10_000


class OneLineErrorParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr and exit status 2."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineErrorParser(prog="python -m ecosystem", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=version_line(),
                        help="print the version (and the git commit, in a checkout) and exit")  # fmt: skip
    commands = parser.add_subparsers(dest="command", required=True, parser_class=OneLineErrorParser)
    run_parser = commands.add_parser(
        "run",
        help="evolve, shift, and report: the headline experiment",
        description="Train plants and animals by evolution, shift to deployment, print the outcome "
        "table and write CSVs, a figure and params.json to runs/results/NAME/.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    run_parser.add_argument("--seed", type=int, default=0, help="seed of the first run")
    run_parser.add_argument(
        "--seeds", type=int, default=DEFAULT_SEEDS,
        help="how many runs, seeds SEED, SEED+1, ...: figures are means over them with 95%% intervals",
    )  # fmt: skip
    run_parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                            help="processes running seeds side by side")  # fmt: skip
    run_parser.add_argument("--name", default="headline", help="output folder under runs/results/")
    run_parser.add_argument("--out", type=Path, default=RESULTS_ROOT, help="root folder for results")
    run_parser.add_argument("--quiet", action="store_true", help="no progress bar")
    model = run_parser.add_argument_group("model parameters")
    value_types = parameter_types()
    for field in fields(ModelParams):
        model.add_argument(
            "--" + field.name.replace("_", "-"),
            type=value_types[field.name],
            default=field.default,
            help=describe(field),
        )
    sweep_parser = commands.add_parser(
        "sweep",
        help="run a TOML sweep spec over a process pool or a Dask cluster",
        description="Run every (parameter set, seed) job of a sweep spec (see runs/*.toml), writing rows "
        "as jobs finish to runs/results/SPEC_NAME/. Running it again resumes: complete jobs are skipped.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    sweep_parser.add_argument("spec", type=Path, help="the sweep spec, a TOML file")
    sweep_parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="worker processes")
    where = sweep_parser.add_mutually_exclusive_group()
    where.add_argument("--scheduler", help="address of a running Dask scheduler, tcp://HOST:PORT")
    where.add_argument(
        "--local-cluster", action="store_true", help="start a Dask LocalCluster on 127.0.0.1 (dashboard too)"
    )
    sweep_parser.add_argument("--out", type=Path, default=RESULTS_ROOT, help="root folder for results")
    sweep_parser.add_argument("--quiet", action="store_true", help="no progress bar")
    plot_parser = commands.add_parser(
        "plot",
        help="draw a finished sweep's figures",
        description="Read a sweep's summary.csv and sweep.json and draw its figures as PNG in the same folder.",
    )
    plot_parser.add_argument("folder", type=Path, help="the sweep's results folder, runs/results/SPEC_NAME")
    serve_parser = commands.add_parser(
        "serve",
        help="watch the model in a browser",
        description="Serve the browser page (Mesa's SolaraViz) on this machine; every asset is local.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    serve_parser.add_argument(
        "--host", default=LOCAL_HOST, help="address to listen on; anything but 127.0.0.1 exposes the page to others"
    )
    serve_parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port to listen on")
    toy_parser = commands.add_parser(
        "toy",
        help="the seed's toy example of deception, played by the model's agents on real mazes",
        description="An honest (myopic) and a deceptive (aware, far-sighted) agent, both wanting the "
        "green apple A, trained by modification toward the exit B, then deployed. Prints their choices "
        "episode by episode and writes episodes.csv and summary.csv to OUT/NAME/.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    toy_parser.add_argument("--training-episodes", type=int, default=2, help="training episodes (modification after each)")
    toy_parser.add_argument("--deployment-episodes", type=int, default=3, help="deployment episodes (frozen)")
    toy_parser.add_argument("--modification-rate", type=float, default=1.0, help="step size eta of modification")
    toy_parser.add_argument("--honeypot-share", type=float, default=0.0,
                            help="share of training episodes played in honeypots, which show the deployment cue")  # fmt: skip
    toy_parser.add_argument("--cue", default="deployment",
                            help="which mazes show the deployment cue: deployment, always (it lies) or never")  # fmt: skip
    toy_parser.add_argument("--knowledge", default="observed",
                            help="what the far-sighted agent knows: observed (the phase by the cue, the rate from the "
                                 "steps it receives) or told (the true phase and rate)")  # fmt: skip
    toy_parser.add_argument("--expected-modification-rate", type=float, default=1.0,
                            help="the rate the far-sighted agent expects until a step shows it the real one")  # fmt: skip
    toy_parser.add_argument("--phase-blind", action="store_true",
                            help="add an agent that cannot tell the phases apart nor count its episodes")  # fmt: skip
    toy_parser.add_argument("--seed", type=int, default=0, help="seed of the mazes (and of the phase-blind agent's draws)")
    toy_parser.add_argument("--name", default="toy", help="output folder under OUT")
    toy_parser.add_argument("--out", type=Path, default=RESULTS_ROOT, help="root folder for results")
    bench_parser = commands.add_parser(
        "bench",
        help="time this model side by side with Mesa's example models",
        description="Time the model at a small and a large configuration, interleaved with Mesa's "
        "BoltzmannWealth and WolfSheep; measure scaling with population and maze size and memory per "
        "organism. Prints the tables and writes CSVs and bench.png to OUT.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    bench_parser.add_argument("--repeats", type=int, default=5, help="interleaved repeats per subject")
    bench_parser.add_argument("--out", type=Path, default=RESULTS_ROOT / "bench", help="folder for the results")
    bench_parser.add_argument(
        "--sweep", action="store_true", help="benchmark sweeps instead: jobs/s by workers, coordinator memory by jobs"
    )
    report_parser = commands.add_parser(
        "report",
        help="measure every claim at a reduced size and write one self-contained HTML page",
        description="Run every claim's experiment at SIZE (or read finished sweeps in place of the claims "
        "they cover), measure each claim's effect as a mean with a 95% interval over seeds, judge it by its "
        "stated criterion, and write index.html (figures embedded; no network needed) and effects.csv to "
        "OUT/NAME/.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    report_parser.add_argument("--size", default=DEFAULT_SIZE, choices=list(SIZES),
                               help="; ".join(f"{name}: {size.describe()}" for name, size in SIZES.items()))  # fmt: skip
    report_parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes running seeds side by side")
    report_parser.add_argument(
        "--from", dest="sweeps", nargs="+", type=Path, default=[], metavar="FOLDER",
        help="finished sweep folders (runs/results/SPEC) to read instead of running the claims they cover; only "
        "sweeps of the claims' own specs in runs/ are understood, and each must contain the tables its claims read "
        "(agents.csv for claims 2, 3, 5, 6 and the four kinds; generations.csv too for 2 and 3)",
    )  # fmt: skip
    report_parser.add_argument("--name", default="report", help="output folder under OUT")
    report_parser.add_argument("--out", type=Path, default=RESULTS_ROOT, help="root folder for results")
    report_parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


