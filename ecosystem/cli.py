"""Command line: `python -m ecosystem run|sweep|plot|serve|bench|toy|report [...]`.

Every model parameter is a flag of `run` (`--population 200`,
`--cognition-cost-per-budget 0.01`); `--seed`, `--seeds` and `--workers` choose
the seeds and how many run side by side, `--name` the output folder. Bad values give a
one-line error and exit status 2, before anything is written.

Each command imports what it runs when it runs, so that `--help` and a refusal
answer at once, without loading the model, Mesa or matplotlib.
"""

import argparse
import os
import signal
import sys
import time
from dataclasses import fields
from pathlib import Path

from ecosystem.experiments.sizes import DEFAULT_SIZE, SIZES
from ecosystem.export import RESULTS_ROOT, check_destination, staged, write_csv, write_results, write_text
from ecosystem.params import ModelParams, describe, parameter_types
from ecosystem.page.serving import DEFAULT_PORT, LOCAL_HOST, check_listen_address, start_server, stop_server
from ecosystem.validation import check_folder_name, check_installed, check_int
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


def command_report(args: argparse.Namespace) -> int:
    check_int("workers", args.workers, 1)
    check_folder_name("name", args.name)
    folder = args.out / args.name
    check_destination("out", folder)
    from ecosystem.report import EFFECTS_FILE, build_report, covered_claims, effects_table, read_sweep
    from ecosystem.report_page import PAGE_FILE, render_page

    sweeps = [read_sweep(path) for path in args.sweeps]
    covered_claims(sweeps)  # refuse two sweeps for one claim before any work
    report = build_report(args.size, args.workers, sweeps, progress=not args.quiet)
    command = f"python -m ecosystem report --size {args.size} --workers {args.workers}" + "".join(
        f" --from {path}" for path in args.sweeps)  # fmt: skip
    with staged("out", folder) as stage:
        write_text(render_page(report, command), stage.path / PAGE_FILE)
        write_csv(effects_table(report), stage.path / EFFECTS_FILE)
    for result in report.results:
        print(f"claim {result.claim.key}: {'holds' if result.holds else 'does not hold at this size'}")
    print(f"\n{report.size} size, in {report.seconds:.1f} s; wrote {folder / PAGE_FILE}, {folder / EFFECTS_FILE}")
    if stage.replaced:
        print(f"replaced the earlier report in {folder}/")
    return 0


def command_sweep(args: argparse.Namespace) -> int:
    from ecosystem.sweeps.runner import sweep

    started = time.perf_counter()
    try:
        report = sweep(args.spec, args.out, args.workers, args.scheduler, args.local_cluster, progress=not args.quiet)
    except KeyboardInterrupt:
        print("\ninterrupted: run the same command again to resume", file=sys.stderr)
        return 130
    print(
        f"{report.folder.name}: {report.completed} jobs run, {report.already_complete} already complete, "
        f"{len(report.failed)} failed, of {report.total}, in {time.perf_counter() - started:.1f} s "
        f"on {report.backend}; results in {report.folder}/"
    )
    for note in report.notes:
        print(note, file=sys.stderr)
    for job_id, reason in sorted(report.failed.items()):
        print(f"job {job_id} failed: {reason}", file=sys.stderr)
    return 1 if report.failed else 0


def command_plot(args: argparse.Namespace) -> int:
    from ecosystem.sweeps.figures import draw_sweep_figures

    for path in draw_sweep_figures(args.folder):
        print(f"wrote {path}")
    return 0


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def command_serve(args: argparse.Namespace) -> int:
    check_installed("page", "solara", "ipyvuetify", "solara_assets")
    check_listen_address(args.host, args.port)
    server = start_server(args.host, args.port)
    signal.signal(signal.SIGTERM, _interrupt)  # SIGTERM stops the server as Ctrl-C does
    try:
        print(f"serving the ecosystem page at http://{args.host}:{args.port}/ (Ctrl-C to stop)", flush=True)
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        stop_server(server)


def command_bench(args: argparse.Namespace) -> int:
    import pandas as pd

    from ecosystem.bench import plot_benchmark, run_benchmark
    from ecosystem.sweeps.bench import run_sweep_benchmark

    check_int("repeats", args.repeats, 1)
    progress = lambda text: print(text, file=sys.stderr)  # noqa: E731
    if args.sweep:
        tables = run_sweep_benchmark(repeats=min(args.repeats, 2), progress=progress)
    else:
        tables = run_benchmark(args.repeats, progress=progress)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        write_csv(table, args.out / f"{name}.csv")
    if not args.sweep:
        plot_benchmark(tables, args.out / "bench.png")
    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.float_format", "{:,.3g}".format):
        for name, table in tables.items():
            if name != "samples":
                print(f"\n{name}\n{table.to_string(index=False)}")
    print(f"\nwrote {args.out}/")
    return 0


def command_toy(args: argparse.Namespace) -> int:
    from ecosystem.experiments.toy import run_toy, toy_report

    check_folder_name("name", args.name)
    check_int("seed", args.seed, 0)
    folder = args.out / args.name
    check_destination("out", folder)
    result = run_toy(args.training_episodes, args.deployment_episodes, args.modification_rate, args.honeypot_share,
                     args.phase_blind, args.seed, args.cue, knowledge=args.knowledge,
                     expected_modification_rate=args.expected_modification_rate)  # fmt: skip
    with staged("out", folder) as stage:
        write_csv(result.episodes, stage.path / TOY_FILES["episodes"])
        write_csv(result.summary, stage.path / TOY_FILES["summary"])
    print(toy_report(result))
    print(f"\nwrote {folder / TOY_FILES['episodes']}, {folder / TOY_FILES['summary']}")
    return 0


def command_run(args: argparse.Namespace) -> int:
    params = {f.name: getattr(args, f.name) for f in fields(ModelParams)}
    check_folder_name("name", args.name)
    check_int("seed", args.seed, 0)
    check_int("seeds", args.seeds, 1, MAX_SEEDS)
    check_int("workers", args.workers, 1)
    ModelParams(**params)  # refuse bad values before any work or file
    folder = args.out / args.name
    check_destination("out", folder)
    from ecosystem.experiments.headline import headline_report, run_seeds  # the model, once the values are good
    from ecosystem.measure.metrics import outcome_table
    from ecosystem.plots import caption_for, headline_figure

    seeds = list(range(args.seed, args.seed + args.seeds))
    with staged("out", folder) as stage:  # every file is built aside, then moved into place at once
        started = time.perf_counter()
        tables = run_seeds(seeds, params, workers=args.workers, progress=not args.quiet)
        write_results(tables, stage.path, params, seeds)
        write_csv(outcome_table(tables.episodes), stage.path / OUTCOMES_FILE)
        figure = headline_figure(tables.episodes, tables.generations, caption_for(seeds, params))
        figure.savefig(stage.path / FIGURE_FILE, dpi=110, bbox_inches="tight")
    print(headline_report(tables, time.perf_counter() - started))
    print("\nwrote " + ", ".join(str(folder / name) for name in stage.files))
    if stage.replaced:
        print(f"replaced the earlier results in {folder}/")
    return 0


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    commands = {
        "run": command_run,
        "sweep": command_sweep,
        "plot": command_plot,
        "serve": command_serve,
        "bench": command_bench,
        "toy": command_toy,
        "report": command_report,
    }
    try:
        return commands[args.command](args)
    except ValueError as error:
        print(f"{parser.prog} {args.command}: error: {error}", file=sys.stderr)
        return 2
