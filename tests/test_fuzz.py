"""Fuzzing every `run` flag and every spec key: a value is either refused in one line with
exit 2 and nothing written, or accepted and safe (no NaN or inf, no traceback).

Calls run in this process; an accepted `run` stops just before the model runs
(the runs at the edges of what is accepted are in
`test_the_edges_of_every_accepted_range_give_finite_results`).
"""

import re
import tempfile
import tomllib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecosystem.experiments import headline
from ecosystem.experiments.runner import run_results
from ecosystem.export import csv_text
from ecosystem.params import MAX_COGNITION_COST, MAX_MUTATION_SCALE, MAX_SELECTION_STRENGTH, ModelParams
from ecosystem.sweeps.spec import PARAMETER_TYPES, TOP_LEVEL_KEYS, parse_spec

from cli_helpers import TINY, call

# Every flag of `run` that takes a value, as its help lists them (a flag, then its metavar or choices).
RUN_FLAGS = list(dict.fromkeys(re.findall(r"^  (--[a-z][a-z-]*) (?:[A-Z_]+|\{)", call("run", "--help")[1], flags=re.M)))
FEW = settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
TEXTS = st.one_of(
    st.sampled_from(["", " ", "nan", "inf", "-inf", "1e308", "-1e308", "1e-320", "-0", "0", "1", "2", "-1", "0.5",
                     "1.5", "99999999999999999999", "exit", "green", "training", "../x", "a/b", ".", "\x00"]),
    st.integers(-10**6, 10**6).map(str), st.floats(allow_nan=True, allow_infinity=True).map(repr), st.text(max_size=8),
)  # fmt: skip
TOML_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-2**63, 2**63 - 1), st.floats(), st.text(max_size=6)),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=2),
    max_leaves=5,
).filter(lambda v: v is not None)


class Accepted(Exception):
    """Raised in place of running the model: the command line accepted every value."""


def no_run(seeds, params, **options):
    ModelParams(**params)
    raise Accepted


@FEW
@given(flag=st.sampled_from(RUN_FLAGS), value=TEXTS)
def test_every_run_flag_refuses_in_one_line_or_accepts_a_safe_value(flag, value):
    with tempfile.TemporaryDirectory() as root, pytest.MonkeyPatch.context() as patch:
        patch.setattr(headline, "run_seeds", no_run)  # the command line imports it once the values pass
        (Path(root) / "cwd").mkdir()
        patch.chdir(Path(root) / "cwd")  # a fuzzed relative `--out`, even `../x`, stays in `root`
        out = Path(root) / "out"
        args = ["run", "--quiet", "--workers", "1", "--seeds", "1", "--out", str(out), flag, value]
        try:
            status, _, stderr = call(*args)
        except Accepted:
            return
        lines = stderr.strip().splitlines()
        assert status == 2 and len(lines) == 1 and "error" in lines[0], (flag, value, stderr)
        assert not out.exists()


def spec_with(path: list[str], value) -> dict:
    raw = tomllib.loads(TINY)
    table = raw
    for key in path[:-1]:
        table = table.setdefault(key, {}) if isinstance(table.get(key, {}), dict) else table
    table[path[-1]] = value
    return raw


SPEC_PATHS = st.one_of(
    st.sampled_from(TOP_LEVEL_KEYS).map(lambda k: [k]),
    st.tuples(st.sampled_from(["fixed", "grid"]), st.sampled_from(sorted(PARAMETER_TYPES))).map(list),
    st.sampled_from(["samples", "ranges"]).map(lambda k: ["latin_hypercube", k]),
    st.sampled_from(sorted(PARAMETER_TYPES)).map(lambda k: ["latin_hypercube", "ranges", k]),
)


@FEW
@given(path=SPEC_PATHS, value=TOML_VALUES)
def test_every_spec_key_refuses_in_one_line_or_gives_valid_jobs(path, value):
    raw = spec_with(path, value)
    if len(path) > 1 and path[0] == "latin_hypercube" and "samples" not in raw["latin_hypercube"]:
        raw["latin_hypercube"]["samples"] = 2
    try:
        spec = parse_spec(raw, "fuzz")
    except ValueError as error:
        message = str(error)
        assert "\n" not in message and ("not allowed" in message or "refused" in message), message
        return
    for params in spec.parameter_sets():
        ModelParams.from_kwargs(params)  # every accepted parameter set makes a valid model


def test_a_refused_spec_writes_nothing_from_the_command_line(tmp_path):
    spec = tmp_path / "bad.toml"
    spec.write_text(TINY.replace("[fixed]", "[fixed]\nmutation_scale = 1e308"))
    status, _, stderr = call("sweep", str(spec), "--out", str(tmp_path / "out"), "--quiet")
    assert status == 2 and len(stderr.strip().splitlines()) == 1 and "mutation_scale" in stderr
    assert not (tmp_path / "out").exists()


EDGES = {
    "cognition_overhead": (0.0, MAX_COGNITION_COST),
    "cognition_cost_per_budget": (0.0, MAX_COGNITION_COST),
    "selection_strength": (0.0, MAX_SELECTION_STRENGTH),
    "mutation_scale": (0.0, MAX_MUTATION_SCALE),
    "initial_animal_share": (0.0, 1.0),
    "kind_flip_rate": (0.0, 1.0),
    "diversity": (0.0, 1.0),
    "loop_fraction": (0.0, 1.0),
}
TINY_RUN = {"population": 6, "generations": 3, "deploy_episodes": 1, "maze_size": 7, "episode_length": 20}


@settings(max_examples=25, deadline=None, database=None)
@given(corner=st.fixed_dictionaries({name: st.sampled_from(edge) for name, edge in EDGES.items()}), seed=st.integers(0, 3))
def test_the_edges_of_every_accepted_range_give_finite_results(corner, seed):
    """Case 7: at every combination of the edges of what is accepted, all numbers stay finite
    (NaN is only ever an empty cell for a kind that is absent)."""
    tables = run_results(seed, {**TINY_RUN, **corner})
    for frame in (tables.episodes, tables.generations, tables.summary):
        assert not np.isinf(frame.select_dtypes("number").to_numpy(dtype=float)).any()
        assert not {"inf", "-inf", "nan"} & set(csv_text(frame).replace("\n", ",").split(","))
    assert np.isfinite(tables.episodes["fitness"]).all()


def test_the_run_flags_cover_every_parameter():
    assert {f"--{name.replace('_', '-')}" for name in PARAMETER_TYPES} <= set(RUN_FLAGS)
