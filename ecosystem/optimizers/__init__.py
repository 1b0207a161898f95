"""Base optimizers: the base objective they select on, and evolution between generations."""
