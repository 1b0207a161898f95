"""Sweep specs: a declarative TOML file that expands into a list of jobs.

A spec names fixed parameters, swept parameters (a full factorial `grid` of
listed values, and/or a Latin-hypercube sample of numeric `ranges`), how many
replicate seeds each parameter set gets, and which tables to keep:

    name = "diversity_vs_cognition"     # optional; default: the file's stem
    root_seed = 2026                     # replicate seeds derive from it
    replicates = 20
    outputs = ["summary", "generations"] # and optionally "agents"

    [fixed]
    population = 200

    [grid]
    diversity = [0.0, 0.25, 0.5, 0.75, 1.0]
    cognition_cost_per_budget = [0.0, 0.002, 0.005]

    [latin_hypercube]
    samples = 8
    ranges = { loop_fraction = [0.0, 0.3] }

Every parameter set of the grid is combined with every Latin-hypercube sample
and every replicate seed. Replicate seeds are spawned from `root_seed` with
numpy's SeedSequence, so replicate r has the same seed in every parameter set
(common random numbers) and job seeds never depend on job order. Everything is
checked before any job runs; an error names the key, the value and what is
allowed.
"""

import hashlib
import itertools
import json
import math
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np
from scipy.stats import qmc

from ecosystem.params import ModelParams, parameter_hint, parameter_types
from ecosystem.validation import check_folder_name, check_int, refusal

TABLES = ("summary", "generations", "agents")
DEFAULT_OUTPUTS = ("summary", "generations")
TOP_LEVEL_KEYS = ("name", "root_seed", "replicates", "outputs", "fixed", "grid", "latin_hypercube")
MAX_JOBS = 1_000_000
PARAMETER_TYPES = parameter_types()


@dataclass(frozen=True)
class Job:
    """One model run of a sweep: its position, parameters and seed."""

    job_id: int
    replicate: int
    seed: int
    params: dict


@dataclass(frozen=True)
class SweepSpec:
    """A validated sweep spec (see the module docstring)."""

    name: str
    root_seed: int
    replicates: int
    outputs: tuple[str, ...]
    fixed: dict
    grid: dict
    lhs_samples: int
    lhs_ranges: dict
    source: str

    @property
    def swept(self) -> tuple[str, ...]:
        """Names of the parameters that vary across jobs, grid first."""
        return (*self.grid, *self.lhs_ranges)

    def parameter_sets(self) -> list[dict]:
        """Every combination of grid values and Latin-hypercube samples."""
        grid_points = [dict(zip(self.grid, values)) for values in itertools.product(*self.grid.values())]
        return [{**self.fixed, **g, **s} for g in grid_points for s in self.lhs_points()]

    def lhs_points(self) -> list[dict]:
        """The Latin-hypercube samples of `ranges` (one empty point when there are none)."""
        if not self.lhs_ranges:
            return [{}]
        sampler = qmc.LatinHypercube(d=len(self.lhs_ranges), rng=np.random.default_rng(self.root_seed))
        lows, highs = zip(*self.lhs_ranges.values())
        points = qmc.scale(sampler.random(self.lhs_samples), lows, highs)
        def typed(name, value):
            return round(float(value)) if PARAMETER_TYPES[name] is int else float(value)

        return [{name: typed(name, v) for name, v in zip(self.lhs_ranges, row)} for row in points]

    def seed(self, replicate: int) -> int:
        """The seed of a replicate: the root SeedSequence's spawned child number `replicate`.

        Built from the child's spawn key directly, so no list of all seeds is kept.
        """
        child = np.random.SeedSequence(self.root_seed, spawn_key=(replicate,))
        return int(child.generate_state(1)[0])

    @property
    def job_count(self) -> int:
        """How many jobs `jobs()` yields, counted without building them."""
        grid_points = math.prod(len(values) for values in self.grid.values())
        return grid_points * max(self.lhs_samples, 1) * self.replicates

    def jobs(self) -> Iterator[Job]:
        """Every (parameter set, replicate) pair, numbered in a fixed order.

        A generator, so that a sweep of millions of jobs never holds them all.
        """
        pairs = itertools.product(self.parameter_sets(), range(self.replicates))
        return (Job(i, r, self.seed(r), params) for i, (params, r) in enumerate(pairs))

    def digest(self) -> str:
        """A fingerprint of everything that decides the jobs, their order and their rows, and of
        nothing else: comments, layout, key quoting, `1` for `1.0` and parameters stated at their
        default do not change it; the order of grid lines and ranges (which numbers the jobs and
        orders the columns) does."""
        held = {f.name: f.default for f in fields(ModelParams) if f.name not in self.swept}
        decisive = [self.root_seed, self.replicates, list(self.outputs), sorted({**held, **self.fixed}.items()),
                    list(self.grid.items()), self.lhs_samples, list(self.lhs_ranges.items())]  # fmt: skip
        return hashlib.sha256(json.dumps(decisive).encode()).hexdigest()

    def job_key(self, job: Job) -> str:
        """A fingerprint of one job and the rows it writes: its number, replicate, seed and
        parameters, the swept columns and the tables kept."""
        decisive = [job.job_id, job.replicate, job.seed, sorted(job.params.items()), self.swept, self.outputs]
        return hashlib.sha256(json.dumps(decisive).encode()).hexdigest()


def _check_value(key: str, name: str, value):
    """A parameter value of the parameter's type, returned as that type (an int given for a
    float parameter becomes a float, so `1` and `1.0` are the same spec)."""
    expected = PARAMETER_TYPES[name]
    allowed = (int, float) if expected is float else (expected,)
    if isinstance(value, bool) or not isinstance(value, allowed):
        raise refusal(key, value, f"a {expected.__name__} for parameter {name}")
    return expected(value)


def _check_name(key: str, name: str) -> None:
    if name not in PARAMETER_TYPES:
        raise refusal(key, name, parameter_hint(name))


def _table(raw: dict, key: str) -> dict:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        raise refusal(key, value, "a table")
    return value


def parse_spec(raw: dict, default_name: str, source: str = "") -> SweepSpec:
    """Validate a spec's TOML data and build the SweepSpec."""
    for key in raw:
        if key not in TOP_LEVEL_KEYS:
            raise refusal(key, raw[key], "no such key; the keys are " + ", ".join(TOP_LEVEL_KEYS))
    name = check_folder_name("name", raw.get("name", default_name))
    root_seed = check_int("root_seed", raw.get("root_seed", 0), 0)
    replicates = check_int("replicates", raw.get("replicates", 1), 1)
    outputs = raw.get("outputs", list(DEFAULT_OUTPUTS))
    if not isinstance(outputs, list) or not outputs or any(o not in TABLES for o in outputs):
        raise refusal("outputs", outputs, "a non-empty list drawn from " + ", ".join(TABLES))
    fixed = _table(raw, "fixed")
    for param, value in fixed.items():
        _check_name(f"fixed.{param}", param)
    fixed = {param: _check_value(f"fixed.{param}", param, value) for param, value in fixed.items()}
    grid = _table(raw, "grid")
    for param, values in grid.items():
        _check_name(f"grid.{param}", param)
        if not isinstance(values, list) or not values:
            raise refusal(f"grid.{param}", values, "a non-empty list of values")
    grid = {param: [_check_value(f"grid.{param}", param, v) for v in values] for param, values in grid.items()}
    lhs = _table(raw, "latin_hypercube")
    lhs_samples, lhs_ranges = _parse_lhs(lhs)
    for param in set(fixed) & set(grid) | set(fixed) & set(lhs_ranges) | set(grid) & set(lhs_ranges):
        raise refusal(param, param, "each parameter in one of fixed, grid and latin_hypercube only")
    spec = SweepSpec(name, root_seed, replicates, tuple(outputs), fixed, grid, lhs_samples, lhs_ranges, source)
    jobs = spec.job_count
    if jobs > MAX_JOBS:
        raise refusal("replicates", replicates, f"at most {MAX_JOBS:,} jobs in all, not {jobs:,}")
    for params in spec.parameter_sets():
        try:
            ModelParams.from_kwargs(params)  # every parameter set must make a valid model
        except ValueError as error:
            raise ValueError(f"a parameter set of the spec is refused: {error}") from None
    return spec


def _parse_lhs(lhs: dict) -> tuple[int, dict]:
    for key in lhs:
        if key not in ("samples", "ranges"):
            raise refusal(f"latin_hypercube.{key}", lhs[key], "samples or ranges")
    ranges = lhs.get("ranges", {})
    if not isinstance(ranges, dict):
        raise refusal("latin_hypercube.ranges", ranges, "a table of [low, high] pairs")
    if not ranges:
        if lhs:
            raise refusal("latin_hypercube.ranges", ranges, "at least one parameter range")
        return 0, {}
    samples = lhs.get("samples")
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 1:
        raise refusal("latin_hypercube.samples", samples, "an integer >= 1")
    checked = {}
    for param, bounds in ranges.items():
        key = f"latin_hypercube.ranges.{param}"
        _check_name(key, param)
        if PARAMETER_TYPES[param] not in (int, float):
            raise refusal(key, bounds, "a numeric parameter")
        numeric = isinstance(bounds, list) and len(bounds) == 2 and all(
            isinstance(b, (int, float)) and not isinstance(b, bool) and math.isfinite(b) for b in bounds
        )
        if not numeric or not bounds[0] < bounds[1]:
            raise refusal(key, bounds, "a non-empty range [low, high] of finite numbers with low < high")
        checked[param] = (float(bounds[0]), float(bounds[1]))
    return samples, checked


def load_spec(path: Path) -> SweepSpec:
    """Read and validate a TOML spec file."""
    try:
        text = Path(path).read_text()
        raw = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"spec={str(path)!r} is not allowed: expected a readable TOML file ({error})") from None
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"spec={str(path)!r} is not allowed: expected valid TOML ({error})") from None
    return parse_spec(raw, Path(path).stem, text)
