"""The phase diagram's reference: distinct worlds, and the fit of its constants."""

import numpy as np
import pandas as pd
import pytest

from ecosystem.experiments.phase_diagram import ReferenceFit, compare_with_reference, distinct_worlds, fit_reference


def test_distinct_worlds_run_from_one_fixed_world_to_one_per_episode():
    assert distinct_worlds(0.0, 60) == 1.0
    assert distinct_worlds(1.0, 60) == 60.0
    assert distinct_worlds(0.5, 61) == pytest.approx(31.0)


def synthetic_sweep(truth: ReferenceFit, seeds: int, rng: np.random.Generator) -> pd.DataFrame:
    """Runs whose takeover is drawn from the reference itself, on the shipped sweep's grid."""
    rows = []
    for diversity in (0.0, 0.1, 0.25, 0.5, 1.0):
        for overhead in (0.0, 0.1, 0.2, 0.4):
            p = truth.probability(distinct_worlds(diversity, 60), overhead)
            for _ in range(seeds):
                took_over = rng.random() < p
                rows.append({"diversity": diversity, "cognition_overhead": overhead, "generations": 30,
                             "episodes_per_generation": 2, "final_share_animals": 0.99 if took_over else 0.01})  # fmt: skip
    return pd.DataFrame(rows)


def test_the_fit_recovers_the_constants_of_a_sweep_drawn_from_the_reference():
    truth = ReferenceFit(h=0.005, c0=0.05, k=20.0, runs=0)
    fit = fit_reference(synthetic_sweep(truth, 400, np.random.default_rng(0)))
    assert fit.h == pytest.approx(truth.h, rel=0.15)
    assert fit.c0 == pytest.approx(truth.c0, abs=0.02)
    assert fit.boundary(0.2) == pytest.approx(truth.boundary(0.2), rel=0.1)


def test_cells_far_from_the_reference_are_flagged():
    truth = ReferenceFit(h=0.005, c0=0.05, k=20.0, runs=0)
    sweep = synthetic_sweep(truth, 20, np.random.default_rng(1))
    fixed_world = (sweep["diversity"] == 0.0) & (sweep["cognition_overhead"] == 0.4)
    sweep.loc[fixed_world, "final_share_animals"] = 0.99  # planners win where the reference says they cannot
    cells = compare_with_reference(sweep, truth)
    flagged = cells[~cells["agrees"]]
    assert ((flagged["diversity"] == 0.0) & (flagged["cognition_overhead"] == 0.4)).any()
    assert len(flagged) <= 3  # elsewhere the reference's own draws mostly agree with it
