"""The claims of the design, in order: the one list every tool reads.

The report measures and judges each, `plot` adds each one's figures to a
finished sweep's, the page offers each one's scenes, the specs in `runs/`
are checked against each one's conditions, and the claim tests apply each
one's criterion. Adding a claim is a new module declaring a `Claim` and one
line here.
"""

from ecosystem.experiments import adversarial, deception, diversity, four_kinds, learning, outer_inner, proxies, shift
from ecosystem.experiments.claim import Claim
from ecosystem.validation import refusal

CLAIMS: tuple[Claim, ...] = (
    diversity.CLAIM,
    proxies.CLAIM,
    shift.CLAIM,
    adversarial.CLAIM,
    learning.CLAIM,
    deception.CLAIM,
    outer_inner.CLAIM,
    four_kinds.CLAIM,
)
SPECS = sorted({claim.spec for claim in CLAIMS})


def claim(key: str) -> Claim:
    """The claim with `key` ("1" ... "7", "four kinds"); ValueError naming the keys otherwise."""
    for each in CLAIMS:
        if each.key == key:
            return each
    raise refusal("claim", key, "one of " + ", ".join(c.key for c in CLAIMS))
