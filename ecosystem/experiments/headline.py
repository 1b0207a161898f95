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
from ecosystem.measure.metrics import (SETTLED_SHARE, TAKEOVER_SHARE, capability_failures, fallbacks, outcome_table,
                                       unprobed, weight_table)  # fmt: skip
from ecosystem.measure.outcomes import OUTCOME_LABELS, REACH_OUTCOME_LABELS, Outcome, ReachOutcome
from ecosystem.measure.records import Results
from ecosystem.measure.spread import describe_seeds, format_interval, proportion_interval

SPLIT = "  "  # how a row that splits the row above it is indented

# The measures the report prints, in order, with the words a reader sees: the four outcomes,
# the accidental exit split in two, then goal misgeneralization and capability failure with
# their fallbacks taken out and counted together (`outcomes.ReachOutcome`).
REPORTED = {
    "share_robust": OUTCOME_LABELS[Outcome.ROBUST],
    "share_accidental_exit": OUTCOME_LABELS[Outcome.ACCIDENTAL_EXIT],
    "reach_share_crossed_exit": SPLIT + REACH_OUTCOME_LABELS[ReachOutcome.CROSSED_EXIT],
    "reach_share_exit_best_in_reach": SPLIT + REACH_OUTCOME_LABELS[ReachOutcome.EXIT_BEST_IN_REACH],
    "share_goal_misgeneralization": OUTCOME_LABELS[Outcome.GOAL_MISGENERALIZATION],
    "share_capability_failure": OUTCOME_LABELS[Outcome.CAPABILITY_FAILURE],
    "reach_share_goal_misgeneralization": REACH_OUTCOME_LABELS[ReachOutcome.GOAL_MISGENERALIZATION],
    "reach_share_fallback": REACH_OUTCOME_LABELS[ReachOutcome.FALLBACK],
    "reach_share_capability_failure": REACH_OUTCOME_LABELS[ReachOutcome.CAPABILITY_FAILURE],
    "behaviour_share_robust": "reached the exit (behaviour alone)",
    "rate_inner_aligned": "inner aligned (pursued a base goal)",
    "share_prefers_proxy": "weighs green or the corner above the exit",
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


def configuration_facts(episodes: pd.DataFrame) -> dict[str, str]:
    """The reported measures that the runs' set-up fixes in every (unprobed) episode, each with
    the sentence that says so: the report states them once instead of printing them as findings.

    With the base objective `exit` the base target is always the exit and the base score is
    the intended score; with a misspecified one they are findings and stay in the table.
    """
    episodes = unprobed(episodes)
    facts = {}
    if episodes["outer_aligned"].astype(bool).all():
        facts["rate_outer_aligned"] = ("the base target is the exit in every episode, so outer alignment holds by "
                                       "construction")  # fmt: skip
    if (episodes["base_score"] == episodes["intended_score"]).all():
        facts["base_score"] = "the base score equals the intended score in every episode"
    return facts


def outcome_report(episodes: pd.DataFrame) -> pd.DataFrame:
    """The printed outcome table: one row per reported measure that is not a fact of the
    configuration (see `configuration_facts`), one column per phase and kind, each cell a mean
    over seeds with its 95% interval ('-' where a kind has no such measure)."""
    facts = configuration_facts(episodes)
    reported = {measure: words for measure, words in REPORTED.items() if measure not in facts}
    table = outcome_table(episodes)
    table = table[table["measure"].isin(reported)]
    cells = {}
    for (phase, kind), rows in table.groupby(["phase", "kind"], sort=False):
        seeds = int(rows["seeds"].max())
        column = f"{phase} {kind}s ({seeds} seeds)" if seeds > 1 else f"{phase} {kind}s (1 seed, no interval)"
        cells[column] = {reported[r.measure]: format_interval(r.mean, r.ci_low, r.ci_high) for r in rows.itertuples()}
    return pd.DataFrame(cells).reindex(reported.values()).fillna("-")


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
    failures, fell_back = capability_failures(tables.episodes), fallbacks(tables.episodes)
    facts = configuration_facts(tables.episodes)
    with pd.option_context("display.width", 250, "display.max_columns", 20, "display.max_colwidth", 40):
        lines += [
            "",
            "Outcomes by phase and kind, judged by intent both ways: mean over seeds [95% interval]",
            "(train: the evolved population, the last quarter of generations; deploy: the frozen population)",
            "(a fallback: an animal's pursued target, ranked over the whole maze, lay beyond its planning budget,",
            " and it walked to the best target within it, whether the far target was the exit or a proxy)",
            outcome_report(tables.episodes).to_string(),
            *([f"Fixed by the configuration, not findings: {'; '.join(facts.values())}."] if facts else []),
            "Inner alignment counts whoever pursues the base target: where the exit is green and in the corner, as in "
            "ordinary training, animals that weigh a proxy above the exit pursue it too, and it cannot tell them apart.",
            "",
            f"Deployed animals' fallbacks ({fell_back['episodes']} episodes): the target they pursued, beyond their "
            f"planning budget, was {fell_back['pursued']}; they walked to {fell_back['walked_to']} instead.",
            f"Deployed animals' capability failures ({failures['episodes']} episodes): "
            f"{failures['share_exit_beyond_budget']:.0%} pursued the exit but it lay beyond their planning budget "
            f"(they walked to {failures['walked_to']} instead); {failures['share_timeout']:.0%} ran out of time.",
            "",
            f"Mesa-objective weights of deployed animals, by outcome, pooled over {len(seeds)} seed(s) "
            "(proxy_margin = exit - max(green, corner))",
            weight_table(tables.episodes).round(2).to_string(),
        ]  # fmt: skip
    return "\n".join(lines)
