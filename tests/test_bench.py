"""The benchmark's pieces work on tiny settings (timings themselves are not asserted)."""

import numpy as np
import pytest

from ecosystem.bench import (
    SMALL, Subject, bytes_per_organism, ecosystem, foresight_microseconds, planning_microseconds, scaling_exponent,
    throughput,
)  # fmt: skip


def test_scaling_exponent_recovers_a_power_law():
    populations = np.array([250, 500, 1000, 2000])
    assert scaling_exponent(populations, 3e-6 * populations**1.5) == pytest.approx(1.5)


def test_throughput_counts_only_organisms_still_moving():
    tiny = Subject(SMALL.name, SMALL.build, SMALL.acting, ticks=30)
    samples = throughput([tiny], repeats=2)
    assert list(samples["repeat"]) == [0, 1]
    assert (samples["agent_steps_per_s"] > 0).all()
    model = tiny.build(0)
    model.step()
    moving = tiny.acting(model)
    assert moving == sum(not o.done for o in model.agents) <= len(model.agents)


def test_ecosystem_subjects_take_model_parameters():
    subject = ecosystem("x", 3, population=12, maze_size=9)
    assert subject.build(0).params.population == 12


def test_memory_per_organism_is_measured():
    assert bytes_per_organism(populations=(20, 60), ticks=5) > 0


def test_planning_is_timed_per_animal_for_myopic_and_far_sighted_animals():
    rows = planning_microseconds(populations=(10, 20), repeats=1)
    assert [r["population"] for r in rows] == [10, 20] and all(r["planning_us_per_animal"] > 0 for r in rows)
    assert foresight_microseconds(population=10, repeats=1) > 0
