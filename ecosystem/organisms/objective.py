"""The mesa-objective: how an animal values what it perceives.

An animal's objective is one weight per entry of `constants.FEATURES`
(colours, kinds, the corner); a target's value is the weighted sum of its
features. In training the exit is green and in the corner, so the weights on
`green`, `corner` and `exit` are never told apart by selection: the *proxy
margin*, w_exit minus the larger proxy weight, says which one an animal will
follow once they come apart (negative: a proxy wins).
"""

from enum import StrEnum

import numpy as np

from ecosystem.world.constants import FEATURE_INDEX
from ecosystem.world.world import World

class ObjectiveKind(StrEnum):
    """What an animal's terminal objective is (a gene: evolution can choose)."""

    INTERNAL = "internal"  # its weights: they change only by selection or modification
    POINTER = "pointer"  # its world model's current estimate of the base objective (corrigible)
    DECEPTIVE = "deceptive"  # its weights, planning over episodes with the estimate as its model of training

    @property
    def has_world_model(self) -> bool:
        return self != ObjectiveKind.INTERNAL


OBJECTIVE_KINDS = tuple(ObjectiveKind)
PROXY_FEATURES = ("green", "corner")  # what coincides with the exit in training
NO_TARGET = -1  # `best_targets`' answer where nothing is allowed
TIE_DECIMALS = 9  # values equal to this many decimals are equal, so that rounding error never breaks a tie


def target_values(world: World, weights: np.ndarray) -> np.ndarray:
    """The value of each of `world.targets` under the objective `weights`: (targets,) for
    one objective of shape (features,), (animals, targets) for a stack of them."""
    return weights @ world.target_features.T


def best_targets(values: np.ndarray, allowed: np.ndarray, distances: np.ndarray) -> np.ndarray:
    """Per row of `values` (animals x targets), the index of the highest value among the
    `allowed` entries, or NO_TARGET where none is allowed. Among equally valued targets
    (identical apples, say; equal to TIE_DECIMALS decimals) the nearest wins (`distances`, per
    target), then the first listed: a planner that values two things alike goes to the one it
    reaches sooner."""
    masked = np.where(allowed, np.round(values, TIE_DECIMALS), -np.inf)
    tied = allowed & (masked == masked.max(axis=-1, keepdims=True))
    best = np.argmin(np.where(tied, distances.astype(float), np.inf), axis=-1)
    return np.where(allowed.any(axis=-1), best, NO_TARGET)


def proxy_margin(weights: np.ndarray) -> np.ndarray:
    """w_exit minus the larger proxy weight, over the last axis of `weights` (feature order)."""
    weights = np.asarray(weights, dtype=float)
    proxies = weights[..., [FEATURE_INDEX[f] for f in PROXY_FEATURES]].max(axis=-1)
    return weights[..., FEATURE_INDEX["exit"]] - proxies
