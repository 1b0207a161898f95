"""The report: every claim of the design, measured over seeds and judged by its criterion.

`python -m ecosystem report` runs each claim's experiment at a reduced size
(`sizes.SIZES`), or reads a finished sweep in its place (`read_sweep`), and keeps,
per claim, the effects it measured (means over seeds with 95% intervals),
the verdict, its figure, and the parameters, seeds and times it came from;
`report_page` writes them as one self-contained page, and `effects_table` as
`effects.csv`.

The claims come from `experiments.registry.CLAIMS`, each with its
statement, conditions, measure, criterion and figure. A claim's verdict is
its criterion applied to the intervals measured; at a reduced size a claim
may not hold, and the page then says so.
"""

import io
import time
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from tqdm import tqdm

from ecosystem.experiments.claim import Claim, Effect
from ecosystem.experiments.registry import CLAIMS, SPECS
from ecosystem.experiments.runner import run_jobs, run_results
from ecosystem.experiments.sizes import DEFAULT_SIZE, SIZE_PARAMETERS, SIZES
from ecosystem.export import package_versions
from ecosystem.measure.records import Results
from ecosystem.measure.spread import format_interval
from ecosystem.params import ModelParams
from ecosystem.plots import caption_for
from ecosystem.sweeps.figures import sweep_caption
from ecosystem.sweeps.record import RECORD, read_record
from ecosystem.validation import refusal
from ecosystem.version import provenance

EFFECTS_FILE = "effects.csv"


@dataclass(frozen=True)
class Source:
    """Where a claim's tables came from: runs at a size, or a finished sweep's folder."""

    seeds: list[int]
    conditions: dict[str, str]  # condition name -> its parameters, in words
    caption: str
    sweep: Path | None = None
    seconds: float = 0.0  # model-run time summed over its runs (0 for a sweep)


@dataclass(frozen=True)
class ClaimResult:
    claim: Claim
    source: Source
    effects: dict[str, Effect]
    holds: bool
    figure_png: bytes
    seconds: float  # to measure and draw


def _key(params: dict) -> tuple:
    """Conditions with the same parameters, defaults included, run once."""
    return tuple(sorted(ModelParams(**params).as_dict().items()))


def _in_words(params: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in params.items()) or "defaults"


def _conditions_caption(seeds: list[int], conditions: dict[str, dict]) -> str:
    """The seeds and the parameters every condition shares (`caption_for`), then each condition's own."""
    common = {k: v for k, v in next(iter(conditions.values())).items()
              if all(c.get(k, object()) == v for c in conditions.values())}  # fmt: skip
    own = {name: {k: v for k, v in params.items() if k not in common} for name, params in conditions.items()}
    if len(conditions) == 1:
        return caption_for(seeds, common)
    return caption_for(seeds, common) + "; " + "; ".join(f"{name}: {_in_words(p)}" for name, p in own.items())


def _matching(frame: pd.DataFrame, swept: list[str], params: dict) -> pd.DataFrame:
    """The rows of a sweep table whose swept parameters have the values of `params` (defaults for the rest)."""
    values = ModelParams().as_dict() | params
    mask = np.ones(len(frame), dtype=bool)
    for name in swept:
        mask &= (frame[name] == values[name]).to_numpy()
    return frame[mask].reset_index(drop=True)


@dataclass(frozen=True)
class SweepTables:
    """A finished sweep read for the report: its folder, record, the claims it covers and their conditions' tables."""

    folder: Path
    record: dict
    claims: tuple[Claim, ...]
    runs: dict[str, Results] = field(default_factory=dict)


def read_sweep(folder: Path) -> SweepTables:
    """Read a finished sweep whose spec is one of SPECS, selecting each covered claim's conditions;
    refuse (ValueError, one line) a folder that is not one, that lacks a table, or whose parameters
    depart from a covered claim's conditions (`Claim.departures`)."""
    folder = Path(folder)
    record_path = folder / RECORD
    if not record_path.is_file() or not (folder / "summary.csv").is_file():
        raise refusal("from", str(folder), f"a finished sweep's results folder (with {RECORD} and summary.csv)")
    try:
        record = read_record(folder)
        spec, swept, status = record["spec"], list(record["swept"]), record["status"]
    except (ValueError, KeyError, TypeError):
        raise refusal("from", str(folder), f"a finished sweep's results folder; its {RECORD} is unreadable") from None
    if status != "complete":
        raise refusal("from", str(folder), f"a finished sweep's results folder; this sweep is {status}")
    claims = tuple(c for c in CLAIMS if c.spec == spec)
    if not claims:
        raise refusal("from", str(folder), "a sweep of one of the specs " + ", ".join(SPECS) + f"; this one is {spec!r}")
    needed = sorted({table for claim in claims for table in claim.tables})
    files = {"summary": "summary.csv", "generations": "generations.csv", "agents": "agents.csv"}
    missing = [files[t] for t in needed if not (folder / files[t]).is_file()]
    if missing:
        raise refusal("from", str(folder), f"a sweep that kept {', '.join(files[t] for t in needed)} (claim "
                      f"{', '.join(c.key for c in claims)}); it has no {', '.join(missing)}")  # fmt: skip
    frames = {t: pd.read_csv(folder / files[t]) for t in needed}
    varied = {name: frames["summary"][name].unique().tolist() for name in swept if name in frames["summary"]}
    runs = {}
    for claim in claims:
        departures = claim.departures(record.get("fixed", {}), varied, reducible=SIZE_PARAMETERS)
        if departures:
            raise refusal("from", str(folder), f"a sweep that runs claim {claim.key}'s conditions; it has "
                          + "; ".join(departures))  # fmt: skip
        for name, params in claim.conditions.items():
            selected = {t: _matching(frames[t], swept, params) for t in needed}
            if not len(selected["summary"]):
                raise refusal("from", str(folder), f"a sweep with claim {claim.key}'s condition {name!r} "
                              f"({_in_words({k: v for k, v in params.items() if k in swept})})")  # fmt: skip
            empty = pd.DataFrame()
            runs[name] = Results(selected.get("agents", empty), selected.get("generations", empty), selected["summary"])
    return SweepTables(folder, record, claims, runs)


def covered_claims(sweeps: list[SweepTables]) -> dict[str, SweepTables]:
    """Claim key -> the sweep that stands in for its runs; refuse two sweeps for one claim."""
    covered = {}
    for sweep in sweeps:
        for claim in sweep.claims:
            if claim.key in covered:
                raise refusal("from", str(sweep.folder), f"one sweep per claim; claim {claim.key} is already read from "
                              f"{covered[claim.key].folder}")  # fmt: skip
            covered[claim.key] = sweep
    return covered


def _timed_run(seed: int, params: dict) -> tuple[Results, float]:
    started = time.perf_counter()
    return run_results(seed, params), time.perf_counter() - started


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=80, bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()


@dataclass(frozen=True)
class Report:
    """What `build_report` measured: per claim its result, and how the whole was made."""

    size: str
    results: list[ClaimResult]
    seconds: float
    workers: int
    versions: dict[str, str]
    commit: str | None  # the git commit it was built from (see `version.provenance`)


def build_report(size: str = DEFAULT_SIZE, workers: int = 1, sweeps: list[SweepTables] = (),
                 progress: bool = False) -> Report:  # fmt: skip
    """Run the conditions of every claim no sweep covers at `size` (each distinct set of parameters
    once, on `workers` processes), then measure, judge and draw every claim."""
    started = time.perf_counter()
    scale, covered = SIZES[size], covered_claims(list(sweeps))
    seeds = list(range(scale.seeds))
    to_run = [c for c in CLAIMS if c.key not in covered]
    distinct = {_key(scale.scale(p)): scale.scale(p) for c in to_run for p in c.conditions.values()}
    jobs = [(seed, params) for params in distinct.values() for seed in seeds]
    with tqdm(total=len(jobs) + len(CLAIMS), unit="step", desc="model runs", disable=not progress) as bar:
        finished = iter(run_jobs(jobs, workers, bar, task=_timed_run))
        tables = {}
        for key in distinct:
            runs = [next(finished) for _ in seeds]
            tables[key] = (Results.stack([r for r, _ in runs]), sum(s for _, s in runs))
        results = []
        for claim in CLAIMS:
            bar.set_description(f"claim {claim.key}")
            if claim.key in covered:
                sweep = covered[claim.key]
                runs = {name: sweep.runs[name] for name in claim.conditions}
                seed_list = sorted(int(s) for s in runs[next(iter(runs))].summary["seed"])
                sized = {k: v for k, v in sweep.record.get("fixed", {}).items() if k in SIZE_PARAMETERS}  # as it ran
                source = Source(seed_list, {n: _in_words(p | sized) for n, p in claim.conditions.items()},
                                sweep_caption(sweep.record), sweep.folder)  # fmt: skip
            else:
                scaled = {name: scale.scale(p) for name, p in claim.conditions.items()}
                runs = {name: tables[_key(p)][0] for name, p in scaled.items()}
                source = Source(seeds, {n: _in_words(p) for n, p in scaled.items()}, _conditions_caption(seeds, scaled),
                                seconds=sum(tables[_key(p)][1] for p in scaled.values()))  # fmt: skip
            measuring = time.perf_counter()
            effects = claim.measure(runs)
            png = _png(claim.figure(runs, source.caption))
            results.append(ClaimResult(claim, source, effects, claim.holds(effects), png,
                                       time.perf_counter() - measuring))  # fmt: skip
            bar.update(1)
    return Report(size, results, time.perf_counter() - started, workers, package_versions(), provenance()["commit"])


def effects_table(report: Report) -> pd.DataFrame:
    """One row per claim and effect: the claim, the effect's words, mean, ci_low, ci_high, seeds, and the verdict."""
    return pd.DataFrame([{"claim": r.claim.key, "effect": e.label, "mean": e.mean, "ci_low": e.low, "ci_high": e.high,
                          "seeds": e.seeds, "holds": r.holds} for r in report.results for e in r.effects.values()])  # fmt: skip


def effects_markdown(effects: pd.DataFrame) -> str:
    """An `effects_table` as a Markdown table (the README's), the verdict on each claim's first row."""
    lines = ["| claim | effect measured | mean [95% interval over seeds] | seeds | verdict |", "|---|---|---|---|---|"]
    previous = None
    for row in effects.itertuples():
        first = row.claim != previous
        verdict = ("holds" if row.holds else "does not hold") if first else ""
        interval = format_interval(row.mean, row.ci_low, row.ci_high)
        lines.append(f"| {row.claim if first else ''} | {row.effect} | {interval} | {row.seeds} | {verdict} |")
        previous = row.claim
    return "\n".join(lines) + "\n"
