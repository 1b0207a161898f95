"""A world model of the base objective: what an animal believes the base objective rewards.

The estimate is Bayesian linear regression of reward on features. The base
objectives here reward ending an episode on a goal, and a goal is one
feature (`exit`, or a colour), so the reward of ending on a target with
features phi is theta . phi for a weight vector theta over `FEATURES` that
is 1 on that feature and 0 elsewhere. An animal starts from the prior
theta ~ N(m0, PRIOR_SD^2 I), its innate guess m0 being its genome's weights
(so that evolution can shape what a learner believes at birth, as in Hinton
and Nowlan's model), and updates it, within its life, from:

- outcomes: the features of what it (or another animal it watches) ended
  an episode on, and whether the base objective rewarded it (1 or 0), with
  noise OUTCOME_NOISE_SD: the likelihood y ~ N(theta . phi, sd^2);
- signposts: a statement of theta itself, feature by feature, with noise
  `sd` (the seed's "Wikipedia page on ethics"): a direct observation of
  each theta_f, strong evidence when `sd` is small.

The posterior is Gaussian, with precision P = P0 + sum phi phi^T / sd^2
(+ diag(1 / sd^2) per signpost), P0 = I / PRIOR_SD^2, and mean P^-1 b,
b = P0 m0 + sum y phi / sd^2 (+ stated / sd^2). The base objective may
change, so evidence ages: before each episode's evidence the posterior is
flattened toward the prior, P <- m P + (1 - m) P0 and b <- m b + (1 - m) P0 m0,
with the run's `memory` m, so that evidence k episodes old weighs m^k (the
Bayesian filter of weights that drift; m = 1 keeps everything). Evidence that never tells two features apart leaves the
estimate undecided between them: in training the exit is green and in the
corner, so outcomes alone put the same weight on green, corner and exit,
with a wide posterior on their differences, until a world breaks the
coincidence or a signpost states it.
"""

from dataclasses import dataclass, field

import numpy as np

from ecosystem.world.constants import FEATURES

PRIOR_SD = 1.0
OUTCOME_NOISE_SD = 0.5


_PRIOR_PRECISION = np.eye(len(FEATURES)) / PRIOR_SD**2


@dataclass
class Belief:
    """The posterior over the base objective's weights, as precision and precision-weighted mean.

    Attributes:
        innate: (features,) the prior mean m0.
        precision: (features x features) P.
        weighted: (features,) b = P mean.
    """

    innate: np.ndarray = field(default_factory=lambda: np.zeros(len(FEATURES)))
    precision: np.ndarray = field(default_factory=lambda: _PRIOR_PRECISION.copy())
    weighted: np.ndarray | None = None

    def __post_init__(self):
        self.innate = np.asarray(self.innate, dtype=float)
        if self.weighted is None:
            self.weighted = _PRIOR_PRECISION @ self.innate

    def forget(self, memory: float) -> None:
        """Age the evidence by one episode (see the module docstring)."""
        self.precision = memory * self.precision + (1.0 - memory) * _PRIOR_PRECISION
        self.weighted = memory * self.weighted + (1.0 - memory) * (_PRIOR_PRECISION @ self.innate)

    def observe(self, features: np.ndarray, rewarded: bool, noise_sd: float = OUTCOME_NOISE_SD) -> None:
        """One outcome: ending on a target with `features` was (or was not) rewarded."""
        features = np.asarray(features, dtype=float)
        self.precision = self.precision + np.outer(features, features) / noise_sd**2
        self.weighted = self.weighted + float(rewarded) * features / noise_sd**2

    def read(self, stated: np.ndarray, noise_sd: float) -> None:
        """A signpost: the base objective's weight on every feature, each stated with noise `noise_sd`."""
        self.precision = self.precision + np.eye(len(FEATURES)) / noise_sd**2
        self.weighted = self.weighted + np.asarray(stated, dtype=float) / noise_sd**2

    @property
    def mean(self) -> np.ndarray:
        """The estimate of the base objective's weights (the posterior mean)."""
        return np.linalg.solve(self.precision, self.weighted)

    @property
    def sd(self) -> np.ndarray:
        """The posterior standard deviation of each weight."""
        return np.sqrt(np.diag(np.linalg.inv(self.precision)))



def learn_from_outcomes(beliefs: list[Belief | None], outcomes: list[tuple[np.ndarray, bool] | None],
                        observed_others: int) -> None:  # fmt: skip
    """Every belief learns from the outcomes of an episode: one belief per organism, in the
    episode's order (None for an organism without a world model), and one outcome each (the
    features of what it ended on and whether the base objective rewarded it; None when it
    ended on nothing). Each sees its own organism's outcome and those of the `observed_others`
    organisms after it, counting on from the first after the last."""
    count = len(beliefs)
    for row, belief in enumerate(beliefs):
        if belief is None:
            continue
        for seen in range(row, row + 1 + observed_others):
            outcome = outcomes[seen % count]
            if outcome is not None:
                belief.observe(*outcome)
