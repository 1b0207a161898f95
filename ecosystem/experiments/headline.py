"""The headline experiment (claims 2 and 3): proxies invisible in training, three outcomes after the shift.

Evolution trains plants and animals in small mazes where the exit is green
and in the corner; the world then shifts. One run is one seed, and seeds vary
a lot, so the experiment runs several seeds (on a process pool when there are
cores to spare) and reports every figure as a mean over seeds with its 95%
interval.
"""

import pandas as pd
from tqdm import tqdm

from ecosystem.experiments.runner import results, run, run_jobs
from ecosystem.measure.metrics import SETTLED_SHARE, TAKEOVER_SHARE, capability_failures, outcome_table, weight_table
from ecosystem.measure.records import Results
from ecosystem.measure.spread import describe_seeds, format_interval, proportion_interval

# The measures the report prints, in order, with the words a reader sees.
REPORTED = {
    "share_robust": "robust (pursued the exit, reached it)",
    "share_accidental_exit": "reached the exit by accident",
    "share_goal_misgeneralization": "goal misgeneralization",
    "share_capability_failure": "capability failure",
    "behaviour_share_robust": "reached the exit (behaviour alone)",
    "rate_inner_aligned": "inner aligned (pursued a base goal)",
    "rate_outer_aligned": "outer aligned (base target is the exit)",
    "intended_score": "intended score",
    "base_score": "base score",
}


def run_seeds(seeds: list[int], params: dict, workers: int = 1, progress: bool = False) -> Results:
    """Run one model per seed and stack their tables in seed order.

    With several seeds and `workers` > 1, seeds run on a spawn process pool;
    the tables are the same whatever the number of workers.
    """
    if len(seeds) == 1:
        return results(run(seeds[0], progress=progress, **params))
    with tqdm(total=len(seeds), unit="seed", disable=not progress, leave=False, desc="seeds") as bar:
        return Results.stack(list(run_jobs([(seed, params) for seed in seeds], workers, bar)))


def outcome_report(episodes: pd.DataFrame) -> pd.DataFrame:
    """The printed outcome table: one row per reported measure, one column per phase and kind,
    each cell a mean over seeds with its 95% interval."""
    table = outcome_table(episodes)
    table = table[table["measure"].isin(REPORTED)]
    cells = {}
    for (phase, kind), rows in table.groupby(["phase", "kind"], sort=False):
        seeds = int(rows["seeds"].max())
        column = f"{phase} {kind}s ({seeds} seeds)" if seeds > 1 else f"{phase} {kind}s (1 seed, no interval)"
        cells[column] = {REPORTED[r.measure]: format_interval(r.mean, r.ci_low, r.ci_high) for r in rows.itertuples()}
    return pd.DataFrame(cells).reindex(REPORTED.values()).fillna("-")


def headline_report(tables: Results, seconds: float) -> str:
    """The text a person reads after the main job: takeover, outcomes, capability failures, objectives."""
    summary = tables.summary
    seeds = list(summary["seed"])
    shares = summary["final_share_animals"]
    took_over = int((shares > TAKEOVER_SHARE).sum())
    generations = f"{summary['generations'].iloc[0]} generations" + (" each" if len(seeds) > 1 else "")
    lines = [f"{describe_seeds(seeds)}: {generations}, in {seconds:.1f} s"]
    if len(seeds) > 1:
        p, low, high = proportion_interval(took_over, len(seeds))
        settled = int(((shares < 1 - SETTLED_SHARE) | (shares > SETTLED_SHARE)).sum())
        lines.append(f"planners took over (> {TAKEOVER_SHARE:.0%} animals at the end of training) in {took_over} of "
                     f"{len(seeds)} runs: P = {format_interval(p, low, high)} (Wilson 95%); {settled} of {len(seeds)} "
                     f"runs ended below {1 - SETTLED_SHARE:.0%} or above {SETTLED_SHARE:.0%} animals")  # fmt: skip
    else:
        lines.append(f"animals hold {shares.iloc[0]:.0%} of the final population (one seed: no interval)")
    failures = capability_failures(tables.episodes)
    with pd.option_context("display.width", 250, "display.max_columns", 20, "display.max_colwidth", 40):
        lines += [
            "",
            "Outcomes by phase and kind, judged by intent both ways: mean over seeds [95% interval]",
            "(train: the evolved population, the last quarter of generations; deploy: the frozen population)",
            outcome_report(tables.episodes).to_string(),
            "",
            f"Deployed animals' capability failures ({failures['episodes']} episodes): "
            f"{failures['share_exit_beyond_budget']:.0%} pursued the exit but it lay beyond their planning budget "
            f"(they walked to {failures['walked_to']} instead); {failures['share_timeout']:.0%} ran out of time.",
            "",
            f"Mesa-objective weights of deployed animals, by outcome, pooled over {len(seeds)} seed(s) "
            "(proxy_margin = exit - max(green, corner))",
            weight_table(tables.episodes).round(2).to_string(),
        ]  # fmt: skip
    return "\n".join(lines)
