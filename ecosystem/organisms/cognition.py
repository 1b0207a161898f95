"""The cost of cognition: what an animal pays in fitness for being able to plan.

A fixed overhead for being a planner at all, plus a rate per unit of planning
budget, plus the upkeep of a world model of the base objective for the
kinds of objective that hold one. Overhead plus a small rate separated the
regimes of heuristics and optimizers cleanly; a purely proportional cost
blurred them.
"""


def cognition_cost(planning_budget: int, overhead: float, per_budget: float, world_model: float = 0.0) -> float:
    """Total fitness paid per episode by an animal with `planning_budget`: overhead + per_budget x
    budget, plus `world_model` (the cost of its world model, 0 for one without)."""
    return overhead + per_budget * planning_budget + world_model
