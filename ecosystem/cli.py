"""Command line: `python -m ecosystem run|sweep|plot|serve|bench|toy|report [...]`.

Every model parameter is a flag of `run` (`--population 200`,
`--cognition-cost-per-budget 0.01`); `--seed`, `--seeds` and `--workers` choose
the seeds and how many run side by side, `--name` the output folder. Bad values give a
one-line error and exit status 2, before anything is written.

Each command imports what it runs when it runs, so that `--help` and a refusal
answer at once, without loading the model, Mesa or matplotlib.
"""

import argparse
import signal
import sys
import time
from dataclasses import fields

from ecosystem.arguments import FIGURE_FILE, MAX_SEEDS, OUTCOMES_FILE, TOY_FILES, build_parser
from ecosystem.export import check_destination, staged, write_csv, write_results, write_text
from ecosystem.params import ModelParams
from ecosystem.page.serving import check_listen_address, start_server, stop_server
from ecosystem.validation import check_folder_name, check_installed, check_int


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
