"""Claim 2: proxy alignment is invisible in training.

"Go to green", "go to the corner" and "go to the exit" score the same in the
training distribution, where the exit is green and in the corner, so
selection cannot tell them apart and the population keeps a mix of them.
Measured on the headline run: the training exit rate of animals that weigh a
proxy above the exit, minus the rest's, seed by seed, and the share of
episodes with a proxy preferred.
"""

from ecosystem.experiments.claim import SHARE, Claim, Criterion, Effect, Runs, example
from ecosystem.measure.metrics import proxy_preference_in_training
from ecosystem.plots import panels_figure, plot_kind_shares, plot_proxy_invisibility

GAP_MARGIN = 0.05  # a training exit-rate gap within this of 0 is "invisible"


def measure(runs: Runs) -> dict[str, Effect]:
    per_seed = proxy_preference_in_training(runs["headline"].episodes)
    return {
        "gap": Effect.of("training exit rate, animals weighing a proxy above the exit minus the rest (per seed)",
                         per_seed["exit_rate_gap"]),
        "mix": Effect.of("share of evolved animals' training episodes with a proxy weighed above the exit",
                         per_seed["share_prefers_proxy"], SHARE),
    }  # fmt: skip


def figure(runs: Runs, caption: str):
    tables = runs["headline"]
    per_seed = proxy_preference_in_training(tables.episodes)
    draws = [lambda ax: plot_kind_shares(ax, tables.generations), lambda ax: plot_proxy_invisibility(ax, per_seed)]
    return panels_figure(draws, "Proxy alignment is invisible in training", caption)


CLAIM = Claim(
    key="2",
    title="Proxy alignment is invisible in training",
    statement="In training, animals that weigh a proxy (green, the corner) above the exit reach the exit as often "
              "as the rest, so the population keeps a mix of them.",
    conditions={"headline": {}},
    spec="headline",
    tables=("summary", "generations", "agents"),
    measure=measure,
    criterion=Criterion(f"the 95% interval of the per-seed exit-rate gap lies within ±{GAP_MARGIN:g}, and that of "
                        "the share of episodes with a proxy preferred lies strictly between 0 and 1 (a mix)",
                        lambda e: -GAP_MARGIN <= e["gap"].low and e["gap"].high <= GAP_MARGIN
                        and e["mix"].low > 0 and e["mix"].high < 1,
                        meeting={"gap": example(-0.03, 0.04), "mix": example(0.6, 0.8)},
                        breaking=({"gap": example(-0.06, 0.0)}, {"gap": example(0.0, 0.06)},
                                  {"mix": example(0.9, 1.0)}, {"mix": example(0.0, 0.2)})),
    figure=figure,
)  # fmt: skip
