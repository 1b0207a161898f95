"""The report: every claim of the design, measured over seeds, on one self-contained page.

`python -m ecosystem report` runs each claim's experiment at a reduced size
(`SIZES`), or reads a finished sweep in its place (`read_sweep`), and builds
`index.html`: per claim, its statement, its figure, the effects it measured
(means over seeds with 95% intervals), the criterion that decides whether it
holds, the verdict, and the parameters, seeds and times; the package versions
on top. Every image is a base64 PNG inside the page, and there is no external
style sheet or script, so the page opens with no network. `effects.csv` holds
the same effects as a table.

`CLAIMS` is the one table of the claims: statement, conditions (experiment
parameters at full size), the spec whose sweep can stand in for them, the
measure, the criterion and the figure. A claim's verdict is its criterion
applied to the intervals measured; at a reduced size a claim may not hold,
and the page then says so.
"""

import base64
import html
import io
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from tqdm import tqdm

from ecosystem.experiments import deception, learning
from ecosystem.experiments.runner import run_jobs, run_results
from ecosystem.experiments.toy import SEED_EXAMPLE, choices, run_toy
from ecosystem.export import package_versions
from ecosystem.measure.metrics import outcome_table, proxy_preference_in_training, seed_difference
from ecosystem.measure.records import Results
from ecosystem.measure.spread import describe_seeds, format_interval, mean_interval
from ecosystem.params import ModelParams
from ecosystem.plots import caption_for, headline_figure, panels_figure, plot_kind_shares, plot_proxy_invisibility
from ecosystem.sweeps.figures import (plot_adversarial_curve, plot_final_share_distribution, plot_outer_inner,
                                      sweep_caption)  # fmt: skip
from ecosystem.sweeps.spec import RECORD
from ecosystem.validation import refusal

PAGE_FILE = "index.html"
EFFECTS_FILE = "effects.csv"
PROXY_GAP_MARGIN = 0.05  # claim 2: a training exit-rate gap within this of 0 is "invisible"
PROXY_BREAKING_SHARE = 0.2  # claims 4 and 7: the share of proxy-breaking training worlds
DECEPTION_ADVERSARIAL_SHARE = 0.3  # claim 6: proxy-breaking worlds, so that a myopic proxy-holder's defection shows
PLANTS_MOSTLY = 0.5  # claim 3: "plants mostly fail" means more than half their episodes
SHARE = (0.0, 1.0)  # the bounds of a share's interval
SHARE_DIFFERENCE = (-1.0, 1.0)  # and of a difference of two shares


@dataclass(frozen=True)
class Size:
    """How far a size reduces the experiments: seeds 0 to `seeds` - 1, and caps on the
    population and on the generations of evolution (None: the experiment's own)."""

    seeds: int
    population: int | None = None
    generations: int | None = None
    pretraining_generations: int | None = None

    def scale(self, params: dict) -> dict:
        """`params` with each capped parameter at most its cap (a size never enlarges an experiment)."""
        defaults, scaled = ModelParams().as_dict(), dict(params)
        for name in ("population", "generations", "pretraining_generations"):
            cap, value = getattr(self, name), params.get(name, defaults[name])
            if cap is not None and value > cap:
                scaled[name] = cap
        return scaled

    def describe(self) -> str:
        caps = [f"{n} at most {getattr(self, n)}" for n in ("population", "generations", "pretraining_generations")
                if getattr(self, n) is not None]  # fmt: skip
        return f"{self.seeds} seeds per condition; " + (", ".join(caps) if caps else "the experiments' own parameters")


SIZES = {
    "smallest": Size(seeds=3, population=24, generations=4, pretraining_generations=4),
    "default": Size(seeds=10, population=100, generations=30, pretraining_generations=30),
    "full": Size(seeds=10),
}
DEFAULT_SIZE = "default"


@dataclass(frozen=True)
class Effect:
    """One measured figure: a mean over seeds with its 95% interval (nan without one) and how many seeds."""

    label: str
    mean: float
    low: float
    high: float
    seeds: int

    @classmethod
    def of(cls, label: str, values, bounds=None) -> "Effect":
        """The effect of per-seed `values` (non-finite ones left out)."""
        return cls(label, *mean_interval(values, bounds=bounds))

    @property
    def text(self) -> str:
        return format_interval(self.mean, self.low, self.high)


Measure = Callable[[dict[str, Results]], dict[str, Effect]]


@dataclass(frozen=True)
class Claim:
    """A claim of the design as the report measures it.

    Attributes:
        key: its number in the design ("1" ... "7"), or a name.
        title, statement: what it says, in a line and in one sentence.
        conditions: condition name -> the experiment's parameters at full size (a size caps them).
        spec: the spec in runs/ whose finished sweep can stand in for the conditions.
        tables: the sweep tables the measure and the figure read.
        measure: the effects, by key, from the conditions' tables.
        criterion: when the claim holds, in words; `holds` decides it from the effects.
        figure: the figure, from the conditions' tables and a caption.
    """

    key: str
    title: str
    statement: str
    conditions: dict[str, dict]
    spec: str
    tables: tuple[str, ...]
    measure: Measure
    criterion: str
    holds: Callable[[dict[str, Effect]], bool]
    figure: Callable[[dict[str, Results], str], plt.Figure]


def _stacked(runs: dict[str, Results], table: str) -> pd.DataFrame:
    return pd.concat([getattr(r, table) for r in runs.values()], ignore_index=True)


def _outcome_effect(table: pd.DataFrame, phase: str, kind: str, measure: str, label: str) -> Effect:
    rows = table[(table["phase"] == phase) & (table["kind"] == kind) & (table["measure"] == measure)]
    if not len(rows):
        return Effect(label, np.nan, np.nan, np.nan, 0)
    row = rows.iloc[0]
    return Effect(label, row["mean"], row["ci_low"], row["ci_high"], int(row["seeds"]))


def _diversity(runs):
    fixed, varied = runs["diversity 0"].summary, runs["diversity 1"].summary
    return {
        "difference": Effect.of("final share of animals, diversity 1 minus diversity 0 (per seed)",
                                seed_difference(varied, fixed, "final_share_animals"), SHARE_DIFFERENCE),
        "fixed": Effect.of("final share of animals, diversity 0 (one fixed world)", fixed["final_share_animals"], SHARE),
        "varied": Effect.of("final share of animals, diversity 1 (a fresh world every episode)",
                            varied["final_share_animals"], SHARE),
    }  # fmt: skip


def _proxies_in_training(runs):
    per_seed = proxy_preference_in_training(runs["headline"].episodes)
    return {
        "gap": Effect.of("training exit rate, animals weighing a proxy above the exit minus the rest (per seed)",
                         per_seed["exit_rate_gap"]),
        "mix": Effect.of("share of evolved animals' training episodes with a proxy weighed above the exit",
                         per_seed["share_prefers_proxy"], SHARE),
    }  # fmt: skip


def _proxy_figure(runs, caption):
    tables = runs["headline"]
    per_seed = proxy_preference_in_training(tables.episodes)
    draws = [lambda ax: plot_kind_shares(ax, tables.generations), lambda ax: plot_proxy_invisibility(ax, per_seed)]
    return panels_figure(draws, "Proxy alignment is invisible in training", caption)


def _shift_outcomes(runs):
    table = outcome_table(runs["headline"].episodes)
    return {
        "misgeneralization": _outcome_effect(table, "deploy", "animal", "share_goal_misgeneralization",
                                             "deployed animals: goal misgeneralization"),
        "robust": _outcome_effect(table, "deploy", "animal", "share_robust", "deployed animals: robust"),
        "plants": _outcome_effect(table, "deploy", "plant", "share_capability_failure",
                                  "deployed plants: capability failure"),
    }  # fmt: skip


def _adversarial(runs):
    none, breaking = runs["no adversary"].summary, runs["proxy-breaking worlds"].summary
    column = "deploy_share_goal_misgeneralization_animals"
    return {
        "difference": Effect.of(f"deployed animals' goal misgeneralization, share {PROXY_BREAKING_SHARE:g} minus none "
                                "(per seed)", seed_difference(breaking, none, column), SHARE_DIFFERENCE),
        "none": Effect.of("deployed animals' goal misgeneralization, no proxy-breaking worlds", none[column], SHARE),
        "breaking": Effect.of(f"deployed animals' goal misgeneralization, proxy-breaking share {PROXY_BREAKING_SHARE:g}",
                              breaking[column], SHARE),
    }  # fmt: skip


REALIGNMENT_RATES = {"modification rate 0.05": 0.05, "modification rate 1": 1.0}


def _realignment_tables(runs) -> dict[str, pd.DataFrame]:
    return {name: learning.realignment(runs[name].episodes, learning.CHANGE_EPISODE) for name in REALIGNMENT_RATES}


def _realignment(runs):
    (slow, slow_table), (fast, fast_table) = _realignment_tables(runs).items()
    return {
        "slow": Effect.of(f"episodes to re-align, internal minus pointer (per seed), {slow}",
                          learning.internal_minus_pointer(slow_table)),
        "fast": Effect.of(f"episodes to re-align, internal minus pointer (per seed), {fast}",
                          learning.internal_minus_pointer(fast_table)),
    }  # fmt: skip


def _realignment_figure(runs, caption):
    tables = [t.assign(modification_rate=REALIGNMENT_RATES[n]) for n, t in _realignment_tables(runs).items()]
    return learning.plot_realignment(pd.concat(tables, ignore_index=True), caption)


def _deception(runs):
    toy = run_toy()
    effects = {f"toy {agent}": Effect(f"toy, {agent} agent: apples (choices {choices(toy, agent)}; exact, one run)",
                                      float(toy.summary.set_index("agent").loc[agent, "apples"]), np.nan, np.nan, 1)
               for agent in SEED_EXAMPLE}  # fmt: skip
    matching = sum(choices(toy, agent) == expected and effects[f"toy {agent}"].mean == apples
                   for agent, (expected, apples) in SEED_EXAMPLE.items())  # fmt: skip
    effects["toy"] = Effect("toy: agents whose choices and apples match the seed's example", float(matching), np.nan,
                            np.nan, 1)  # fmt: skip
    table = deception.group_table(runs["deception"].episodes)
    for group in ("aware proxy", "myopic proxy"):
        effects[group] = Effect.of(f"{group}: compliance gap (share pursuing a base goal, training minus deployment)",
                                   table.loc[table["group"] == group, "compliance_gap"], SHARE_DIFFERENCE)  # fmt: skip
    return effects


def _deception_figure(runs, caption):
    summary = deception.group_summary(deception.group_table(runs["deception"].episodes))
    return deception.plot_groups(summary, [], caption)


OUTER_INNER = dict(training="orchard")  # runs/outer_inner.toml: green apples beside the green exit
MISSPECIFIED = f"green, proxy-breaking share {PROXY_BREAKING_SHARE:g}"
CORRECT = "exit, no adversary"


def _outer_inner(runs):
    misspecified, correct = runs[MISSPECIFIED].summary, runs[CORRECT].summary
    effects = {}
    for name, summary in ((MISSPECIFIED, misspecified), (CORRECT, correct)):
        for phase in ("train", "deploy"):
            effects[f"{name} {phase} outer"] = Effect.of(f"base objective {name}: {phase} outer alignment",
                                                         summary[f"{phase}_rate_outer_aligned"], SHARE)
            effects[f"{name} {phase} inner"] = Effect.of(f"base objective {name}: {phase} inner alignment (animals)",
                                                         summary[f"{phase}_rate_inner_aligned_animals"], SHARE)
    return effects


def _outer_inner_holds(e) -> bool:
    falls = all(e[f"{MISSPECIFIED} {p} outer"].high < e[f"{MISSPECIFIED} {p} inner"].low for p in ("train", "deploy"))
    return falls and e[f"{CORRECT} deploy inner"].high < 1.0


def _four_kinds(runs):
    rows = learning.four_kinds_rows(runs["ordinary"].episodes)
    return {kind: Effect.of(f"{kind}: deployment intended score", rows.loc[rows["alignment"] == kind, "deploy_intended_score"])
            for kind in learning.ALIGNMENT_KINDS}  # fmt: skip


def _four_kinds_holds(e) -> bool:
    good, bad = learning.ALIGNMENT_KINDS[:2], learning.ALIGNMENT_KINDS[2:]
    return all(e[g].low > e[b].high for g in good for b in bad)


CLAIMS = (
    Claim("1", "Optimizers outcompete heuristics when the world is varied",
          "From the same mixed founders, evolution fills a world that changes every episode with planning animals, "
          "and leaves a world that never changes to heuristic plants.",
          {"diversity 0": dict(diversity=0.0), "diversity 1": dict(diversity=1.0)}, "diversity_vs_cognition", ("summary",),
          _diversity, "the 95% interval of the per-seed difference in the final share of animals (diversity 1 minus 0) "
          "lies above 0", lambda e: e["difference"].low > 0,
          lambda runs, caption: plot_final_share_distribution(_stacked(runs, "summary"), ["diversity"], caption)),
    Claim("2", "Proxy alignment is invisible in training",
          "In training, animals that weigh a proxy (green, the corner) above the exit reach the exit as often as "
          "the rest, so the population keeps a mix of them.",
          {"headline": {}}, "headline", ("summary", "generations", "agents"), _proxies_in_training,
          f"the 95% interval of the per-seed exit-rate gap lies within ±{PROXY_GAP_MARGIN:g}, and that of the share "
          "of episodes with a proxy preferred lies strictly between 0 and 1 (a mix)",
          lambda e: -PROXY_GAP_MARGIN <= e["gap"].low and e["gap"].high <= PROXY_GAP_MARGIN
          and e["mix"].low > 0 and e["mix"].high < 1, _proxy_figure),
    Claim("3", "The distributional shift reveals the outcomes",
          "After the shift, with a perfect base objective, some animals reach the exit (robust), many competently "
          "go to something else (goal misgeneralization), and plants mostly fail in capability.",
          {"headline": {}}, "headline", ("summary", "generations", "agents"), _shift_outcomes,
          "the 95% intervals of deployed animals' robust and goal-misgeneralization shares lie above 0, and that of "
          f"deployed plants' capability failure lies above {PLANTS_MOSTLY:g}",
          lambda e: e["robust"].low > 0 and e["misgeneralization"].low > 0 and e["plants"].low > PLANTS_MOSTLY,
          lambda runs, caption: headline_figure(runs["headline"].episodes, runs["headline"].generations, caption)),
    Claim("4", "Adversarial training helps against proxies",
          f"A {PROXY_BREAKING_SHARE:g} share of proxy-breaking training worlds lowers deployed animals' goal "
          "misgeneralization.",
          {"no adversary": {}, "proxy-breaking worlds": dict(adversarial_share=PROXY_BREAKING_SHARE)}, "adversarial",
          ("summary",), _adversarial, "the 95% interval of the per-seed difference (with proxy-breaking worlds minus "
          "without) lies below 0", lambda e: e["difference"].high < 0,
          lambda runs, caption: plot_adversarial_curve(_stacked(runs, "summary"), caption)),
    Claim("5", "Learning the base objective beats internalizing it",
          "When the base objective changes, animals whose objective points at their learned world model follow it "
          "sooner than animals with an internal objective, which follow only as fast as modification steps allow.",
          {name: learning.REALIGNMENT | dict(modification_rate=rate) for name, rate in REALIGNMENT_RATES.items()},
          "realignment", ("summary", "agents"), _realignment,
          "at modification rate 0.05, the 95% interval of the per-seed difference (internal minus pointer episodes "
          "to follow the new objective) lies above 0", lambda e: e["slow"].low > 0, _realignment_figure),
    Claim("6", "Deception is the optimal policy for a misaligned, situationally aware optimizer",
          "Agents that plan over episodes reproduce the seed's toy example exactly (honest: 1 apple; deceptive "
          "B, B, A, A, A: 3 apples), and in a population the aware proxy-holders comply in training and defect "
          "after deployment, even under adversarial training that makes defecting in training visible.",
          {"deception": deception.DECEPTION | dict(adversarial_share=DECEPTION_ADVERSARIAL_SHARE)}, "deception",
          ("summary", "agents"), _deception,
          "both toy agents' choices and apples are exactly the seed's, and the 95% interval of the aware "
          "proxy-holders' compliance gap lies above 0 and above that of the myopic proxy-holders",
          lambda e: e["toy"].mean == len(SEED_EXAMPLE) and e["aware proxy"].low > 0
          and e["aware proxy"].low > e["myopic proxy"].high,
          _deception_figure),
    Claim("7", "Outer and inner alignment are separate problems",
          "A misspecified base objective (green, in mazes whose apples are green too) loses outer alignment while "
          "the animals stay inner aligned to it; a correct base objective keeps outer alignment and still loses "
          "inner alignment at the shift.",
          {f"{objective}, {'no adversary' if share == 0 else f'proxy-breaking share {share:g}'}":
           OUTER_INNER | dict(base_objective=objective, adversarial_share=share)
           for objective in ("exit", "green") for share in (0.0, PROXY_BREAKING_SHARE)}, "outer_inner", ("summary",),
          _outer_inner, f"for {MISSPECIFIED}: outer alignment's 95% interval lies below inner alignment's, in "
          f"training and in deployment; for {CORRECT}: deployed inner alignment's interval lies below 1 (its outer "
          "alignment is 1 by definition, the exit being its base target, and is shown, not tested)", _outer_inner_holds,
          lambda runs, caption: plot_outer_inner(_stacked(runs, "summary"), caption)),
    Claim("four kinds", "The four kinds of alignment",
          "Internally and corrigibly aligned animals score more of the intended objective in deployment than "
          "deceptively and proxy-aligned ones, on the same worlds and seeds.",
          {"ordinary": learning.FOUR_KINDS | learning.CONDITIONS["ordinary"]}, "four_kinds", ("summary", "agents"),
          _four_kinds, "the 95% intervals of the internally and corrigibly aligned animals' deployment intended "
          "scores both lie above those of the deceptively and proxy-aligned", _four_kinds_holds,
          lambda runs, caption: learning.plot_four_kinds({"ordinary": learning.four_kinds_rows(runs["ordinary"].episodes)},
                                                         caption)),
)  # fmt: skip
SPECS = sorted({claim.spec for claim in CLAIMS})


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
    refuse (ValueError, one line) a folder that is not one, or that lacks a table or a condition."""
    folder = Path(folder)
    record_path = folder / RECORD
    if not record_path.is_file() or not (folder / "summary.csv").is_file():
        raise refusal("from", str(folder), f"a finished sweep's results folder (with {RECORD} and summary.csv)")
    try:
        record = json.loads(record_path.read_text())
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
    runs = {}
    for claim in claims:
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
                source = Source(seed_list, {n: _in_words(p) for n, p in claim.conditions.items()},
                                sweep_caption(sweep.record), sweep.folder)  # fmt: skip
            else:
                scaled = {name: scale.scale(p) for name, p in claim.conditions.items()}
                runs = {name: tables[_key(p)][0] for name, p in scaled.items()}
                source = Source(seeds, {n: _in_words(p) for n, p in scaled.items()}, _conditions_caption(seeds, scaled),
                                seconds=sum(tables[_key(p)][1] for p in scaled.values()))  # fmt: skip
            measuring = time.perf_counter()
            effects = claim.measure(runs)
            png = _png(claim.figure(runs, source.caption))
            results.append(ClaimResult(claim, source, effects, bool(claim.holds(effects)), png,
                                       time.perf_counter() - measuring))  # fmt: skip
            bar.update(1)
    return Report(size, results, time.perf_counter() - started, workers, package_versions())


def effects_table(report: Report) -> pd.DataFrame:
    """One row per claim and effect: the claim, the effect's words, mean, ci_low, ci_high, seeds, and the verdict."""
    return pd.DataFrame([{"claim": r.claim.key, "effect": e.label, "mean": e.mean, "ci_low": e.low, "ci_high": e.high,
                          "seeds": e.seeds, "holds": r.holds} for r in report.results for e in r.effects.values()])  # fmt: skip


VERDICTS = {True: "holds", False: "does not hold at this size"}
STYLE = """
body { font-family: system-ui, sans-serif; max-width: 1200px; margin: 2em auto; padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
img { max-width: 100%; height: auto; border: 1px solid #eee; }
.verdict { font-weight: bold; font-size: 1.1em; }
.holds { color: #1b7a4a; } .fails { color: #b3401c; }
section.claim { border-top: 2px solid #ddd; margin-top: 2em; }
.statement { font-size: 1.1em; } .caption, .meta { color: #555; font-size: 0.9em; }
"""


def _escape(value) -> str:
    return html.escape(str(value))


def _verdict(holds: bool) -> str:
    return f'<span class="verdict {"holds" if holds else "fails"}">{VERDICTS[holds]}</span>'


def _section(result: ClaimResult) -> str:
    claim, source = result.claim, result.source
    rows = "".join(f"<tr><td>{_escape(e.label)}</td><td class='interval'>{_escape(e.text)}</td><td>{e.seeds}</td></tr>"
                   for e in result.effects.values())  # fmt: skip
    conditions = "".join(f"<tr><td>{_escape(n)}</td><td class='parameters'>{_escape(p)}</td></tr>"
                         for n, p in source.conditions.items())  # fmt: skip
    where = (f"read from the finished sweep <code>{_escape(source.sweep)}</code>" if source.sweep else
             f"run here: {source.seconds:.1f} s of model runs (summed over its runs; a run shared with another claim "
             "counts for each)")  # fmt: skip
    image = base64.b64encode(result.figure_png).decode()
    return f"""
<section class="claim" id="claim-{_escape(claim.key.replace(' ', '-'))}">
<h2>Claim {_escape(claim.key)}. {_escape(claim.title)}</h2>
<p class="statement">{_escape(claim.statement)}</p>
<figure><img alt="Figure of claim {_escape(claim.key)}" src="data:image/png;base64,{image}">
<figcaption class="caption">{_escape(source.caption)}</figcaption></figure>
<table class="effects"><tr><th>effect measured</th><th>mean [95% interval over seeds]</th><th>seeds</th></tr>{rows}</table>
<p class="criterion"><b>Holds when</b> {_escape(claim.criterion)}.</p>
<p>Verdict: {_verdict(result.holds)}</p>
<table class="conditions"><tr><th>condition</th><th>parameters (the rest at their defaults)</th></tr>{conditions}</table>
<p class="meta">{_escape(describe_seeds(source.seeds)).capitalize()}. Tables {where}; measured and drawn in
{result.seconds:.1f} s.</p>
</section>"""


def render_page(report: Report, command: str) -> str:
    """The report as one HTML page with everything inside it: figures as data URIs, the style inline."""
    summary = "".join(f"<tr><td><a href='#claim-{_escape(r.claim.key.replace(' ', '-'))}'>{_escape(r.claim.key)}</a></td>"
                      f"<td>{_escape(r.claim.title)}</td><td>{_verdict(r.holds)}</td></tr>" for r in report.results)  # fmt: skip
    versions = ", ".join(f"{_escape(k)} {_escape(v)}" for k, v in report.versions.items())
    held = sum(r.holds for r in report.results)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>The claims, measured: ecosystem report</title>
<style>{STYLE}</style></head><body>
<h1>The claims of the learned-optimization ecosystem, measured</h1>
<p class="meta">Built by <code>{_escape(command)}</code> in {report.seconds:.1f} s on {report.workers} worker(s).
Size <b>{_escape(report.size)}</b>: {_escape(SIZES[report.size].describe())}. Versions: {versions}.</p>
<p>Each claim's effects are means over seeds with their 95% intervals (Student t over seeds); its verdict applies
the criterion written beside it to those intervals. At a reduced size a claim may not hold; the page then says
so. {held} of {len(report.results)} hold here.</p>
<table class="summary"><tr><th>claim</th><th>what it says</th><th>verdict</th></tr>{summary}</table>
{''.join(_section(r) for r in report.results)}
</body></html>
"""
