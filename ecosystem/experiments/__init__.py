"""Experiments: running a model to its tables, one module per claim."""
