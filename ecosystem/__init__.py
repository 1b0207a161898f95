"""The learned-optimization ecosystem: inner alignment as an agent-based model.

Evolution (the base optimizer) shapes heuristic plants and planning animals
(mesa-optimizers) in training mazes, then the environment shifts and the model
shows who generalizes, who flails and who competently pursues the wrong goal.

The public names, for use from Python as `from ecosystem import EcosystemModel`:

- `EcosystemModel`: the Mesa model (every parameter of `ModelParams` is a
  keyword argument, so `mesa.batch_run` drives it);
- `ModelParams`, `PRESETS` and `preset`: its parameters and the environment
  presets (the shift as data);
- `run_seeds`: the headline experiment, one run per seed, to its tables
  (`Results`); `outcome_table`: its outcomes as means over seeds with 95%
  intervals;
- `sweep`: a sweep spec run as `python -m ecosystem sweep` runs it;
- `provenance`: the package version and git commit that results record.
"""

from importlib import import_module

from ecosystem.version import __version__

# Each public name and the module that defines it. They are imported on first use
# (PEP 562), so that a sweep worker importing one module does not load them all.
_PUBLIC = {
    "EcosystemModel": "ecosystem.model",
    "ModelParams": "ecosystem.params",
    "PRESETS": "ecosystem.world.environment",
    "preset": "ecosystem.world.environment",
    "Results": "ecosystem.measure.records",
    "outcome_table": "ecosystem.measure.metrics",
    "run_seeds": "ecosystem.experiments.headline",
    "provenance": "ecosystem.version",
    "sweep": "ecosystem.sweeps.runner",
}
__all__ = ["__version__", *_PUBLIC]


def __dir__() -> list[str]:
    """The public names (imported on first use, so not yet in the module's namespace) and the module's own."""
    return sorted({*__all__, *(name for name in globals() if name.startswith("__"))})


def __getattr__(name: str):
    if name not in _PUBLIC:
        raise AttributeError(f"module 'ecosystem' has no attribute {name!r}")
    return getattr(import_module(_PUBLIC[name]), name)
