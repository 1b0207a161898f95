"""Command line: `python -m ecosystem run [--flag value ...]`.

Every model parameter is a flag (`--population 200`, `--cognition-cost 0.01`);
`--seed` and `--name` choose the seed and the output folder. Bad values give a
one-line error and exit status 2, before anything is written.
"""

import argparse
import sys
import time
import types
import typing
from dataclasses import fields
from pathlib import Path

import pandas as pd

from .experiment import results, run
from .export import write_csv, write_results
from .metrics import outcome_table, weight_table
from .params import ModelParams
from .plots import caption_for, headline_figure

RESULTS_ROOT = Path("runs") / "results"
FIGURE_FILE = "headline.png"


def _flag_type(annotation):
    """The concrete type of a parameter annotation such as `int | None`."""
    if isinstance(annotation, types.UnionType):
        return next(t for t in typing.get_args(annotation) if t is not type(None))
    return annotation


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected an integer >= 0, got {text}")
    return value


class OneLineErrorParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr and exit status 2."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineErrorParser(prog="python -m ecosystem", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=OneLineErrorParser)
    run_parser = commands.add_parser(
        "run",
        help="evolve, shift, and report: the headline experiment",
        description="Train plants and animals by evolution, shift to deployment, print the outcome "
        "table and write CSVs, a figure and params.json to runs/results/NAME/.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    run_parser.add_argument("--seed", type=_positive_int, default=0, help="seed of the run's random numbers")
    run_parser.add_argument("--name", default="headline", help="output folder under runs/results/")
    run_parser.add_argument("--out", type=Path, default=RESULTS_ROOT, help="root folder for results")
    run_parser.add_argument("--quiet", action="store_true", help="no progress bar")
    model = run_parser.add_argument_group("model parameters")
    for field in fields(ModelParams):
        model.add_argument(
            "--" + field.name.replace("_", "-"),
            type=_flag_type(field.type),
            default=field.default,
            help=field.metadata["help"],
        )
    bench_parser = commands.add_parser(
        "bench",
        help="time this model side by side with Mesa's example models",
        description="Time the model at a small and a large configuration, interleaved with Mesa's "
        "BoltzmannWealth and WolfSheep; measure scaling with population and maze size and memory per "
        "organism. Prints the tables and writes CSVs and bench.png to OUT.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    bench_parser.add_argument("--repeats", type=_positive_int, default=5, help="interleaved repeats per subject")
    bench_parser.add_argument("--out", type=Path, default=RESULTS_ROOT / "bench", help="folder for the results")
    return parser


def command_bench(args: argparse.Namespace) -> int:
    from .bench import plot_benchmark, run_benchmark

    if args.repeats < 1:
        raise ValueError(f"repeats={args.repeats!r} is not allowed: expected an integer >= 1")
    tables = run_benchmark(args.repeats, progress=lambda text: print(text, file=sys.stderr))
    args.out.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        write_csv(table, args.out / f"{name}.csv")
    plot_benchmark(tables, args.out / "bench.png")
    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.float_format", "{:,.3g}".format):
        for name in ("throughput", "population", "maze_size", "summary"):
            print(f"\n{name}\n{tables[name].to_string(index=False)}")
    print(f"\nwrote {args.out}/")
    return 0


def command_run(args: argparse.Namespace) -> int:
    params = {f.name: getattr(args, f.name) for f in fields(ModelParams)}
    if "/" in args.name or args.name in ("", ".", ".."):
        raise ValueError(f"name={args.name!r} is not allowed: expected a folder name without '/'")
    ModelParams(**params)  # refuse bad values before any work or file
    started = time.perf_counter()
    model = run(args.seed, progress=not args.quiet, **params)
    tables = results(model)
    folder = args.out / args.name
    written = write_results(tables, folder, params, args.seed)
    figure = headline_figure(tables.episodes, tables.generations, caption_for(args.seed, params))
    figure.savefig(folder / FIGURE_FILE, dpi=110, bbox_inches="tight")
    written.append(folder / FIGURE_FILE)
    print(report(tables, args.seed, time.perf_counter() - started))
    print("\nwrote " + ", ".join(str(p) for p in written))
    return 0


def report(tables, seed: int, seconds: float) -> str:
    """The text a person reads after a run: outcomes, then the evolved objectives."""
    summary = tables.summary.iloc[0]
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        outcomes = outcome_table(tables.episodes).round(3).to_string()
        weights = weight_table(tables.episodes).round(2).to_string()
    return "\n".join([
        f"seed {seed}: {summary['generations']} generations in {seconds:.1f} s; "
        f"animals hold {summary['final_share_animals']:.0%} of the final population",
        "",
        "Outcomes by phase and kind (train: the last quarter of generations; deploy: the frozen population)",
        outcomes,
        "",
        "Mesa-objective weights of deployed animals, by outcome (proxy_margin = exit - max(green, corner))",
        weights,
    ])  # fmt: skip


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    commands = {"run": command_run, "bench": command_bench}
    try:
        return commands[args.command](args)
    except ValueError as error:
        print(f"{parser.prog} {args.command}: error: {error}", file=sys.stderr)
        return 2
