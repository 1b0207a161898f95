"""The cost of cognition: what an animal pays in fitness for being able to plan.

A fixed overhead for being a planner at all, plus a rate per unit of planning
budget. Overhead plus a small rate separated the regimes of heuristics and
optimizers cleanly; a purely proportional cost blurred them.
"""


def cognition_cost(planning_budget: int, overhead: float, per_budget: float) -> float:
    """Total fitness paid by an animal with `planning_budget`: overhead + per_budget x budget."""
    return overhead + per_budget * planning_budget
