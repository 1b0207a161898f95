"""The base optimizer's operators: selection and mutation."""

from dataclasses import replace

import numpy as np
import pytest

from ecosystem.world.constants import AgentKind
from ecosystem.optimizers.evolution import elite_indices, next_generation, select_parents, selection_probabilities
from ecosystem.organisms.genome import MAX_PLANNING_BUDGET, mutate, mutate_route, random_genome


def genomes(n, seed=0):
    rng = np.random.default_rng(seed)
    return [random_genome(AgentKind.ANIMAL if i % 2 else AgentKind.PLANT, rng) for i in range(n)]


def test_selection_probabilities_rise_with_fitness_and_sum_to_one():
    p = selection_probabilities(np.array([0.0, 0.5, 1.0, 1.2]), strength=10.0)
    assert p.sum() == pytest.approx(1.0)
    assert list(p) == sorted(p)
    assert p[3] / p[2] == pytest.approx(np.exp(10.0 * 0.2))


def test_zero_strength_is_uniform_selection():
    p = selection_probabilities(np.array([0.0, 3.0, -2.0]), strength=0.0)
    assert np.allclose(p, 1 / 3)


def test_selection_sees_how_much_better_not_only_which():
    rng = np.random.default_rng(0)
    close = select_parents(np.array([1.0, 1.01]), 10_000, 10.0, rng)
    far = select_parents(np.array([1.0, 1.5]), 10_000, 10.0, rng)
    assert 0.45 < (close == 1).mean() < 0.58
    assert (far == 1).mean() > 0.98


def test_elites_are_the_fittest_and_survive_unchanged():
    population = genomes(10)
    fitness = np.arange(10, dtype=float)[::-1].copy()
    assert list(elite_indices(fitness, 3)) == [0, 1, 2]
    nxt = next_generation(
        population, fitness, np.random.default_rng(1),
        strength=10.0, elites=3, mutation_scale=0.1, kind_flip_rate=0.0,
    )  # fmt: skip
    assert len(nxt) == len(population)
    assert nxt[:3] == population[:3]  # the very same genomes
    for child in nxt[3:]:
        steps = [np.abs(child.objective - parent.objective).max() for parent in population]
        assert min(steps) > 0  # every offspring is mutated: it copies no parent's objective


def test_mutation_changes_every_weight_gene_and_keeps_shapes():
    parent = genomes(1)[0]
    child = mutate(parent, np.random.default_rng(2), scale=0.1, kind_flip_rate=0.0)
    for gene in ("objective", "direction_weights", "colour_weights"):
        before, after = getattr(parent, gene), getattr(child, gene)
        assert after.shape == before.shape and (after != before).all()
    assert child.revisit_weight != parent.revisit_weight
    assert child.route_weight != parent.route_weight
    assert child.kind is parent.kind


def test_mutation_scale_sets_the_size_of_the_steps():
    parent = genomes(1)[0]
    rng = np.random.default_rng(3)
    steps = np.array([mutate(parent, rng, 0.1, 0.0).objective - parent.objective for _ in range(2000)])
    assert steps.std() == pytest.approx(0.1, rel=0.05)


def test_kind_flips_at_the_given_rate():
    parent = genomes(1)[0]
    rng = np.random.default_rng(4)
    assert all(mutate(parent, rng, 0.1, 1.0).kind is not parent.kind for _ in range(20))
    assert all(mutate(parent, rng, 0.1, 0.0).kind is parent.kind for _ in range(200))
    flips = np.mean([mutate(parent, rng, 0.1, 0.2).kind is not parent.kind for _ in range(3000)])
    assert 0.17 < flips < 0.23


def test_planning_budget_stays_within_bounds():
    rng = np.random.default_rng(5)
    g = genomes(1)[0]
    low = replace(g, planning_budget=0)
    high = replace(g, planning_budget=MAX_PLANNING_BUDGET)
    assert all(mutate(low, rng, 0.1, 0.0).planning_budget >= 0 for _ in range(200))
    assert all(mutate(high, rng, 0.1, 0.0).planning_budget <= MAX_PLANNING_BUDGET for _ in range(200))


def test_route_edits_append_change_or_drop_one_move():
    rng = np.random.default_rng(6)
    assert len(mutate_route((), rng)) == 1
    route = (0, 1, 2, 3)
    for _ in range(100):
        edited = mutate_route(route, rng)
        assert len(edited) in (3, 4, 5)
        assert edited[: min(len(edited), 4) - 1] == route[: min(len(edited), 4) - 1] or len(edited) == 4


def test_operators_are_deterministic_given_the_generator():
    population, fitness = genomes(20), np.linspace(0, 1, 20)
    kwargs = dict(strength=10.0, elites=2, mutation_scale=0.1, kind_flip_rate=0.05)
    a = next_generation(population, fitness, np.random.default_rng(9), **kwargs)
    b = next_generation(population, fitness, np.random.default_rng(9), **kwargs)
    assert [g.kind for g in a] == [g.kind for g in b]
    assert all(np.array_equal(x.objective, y.objective) and x.route == y.route for x, y in zip(a, b))
