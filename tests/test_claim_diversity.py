"""Evolution decides between heuristics and optimizers (claim 1 of the design).

From the same mixed founders, a world that never changes is won by plants;
the headline test shows that a new maze every episode is won by animals.
"""

import pytest

from claims import episodes_over_seeds, final_share

pytestmark = pytest.mark.slow


def test_plants_hold_the_population_in_a_world_that_never_changes():
    episodes = episodes_over_seeds(diversity=0.0)
    assert final_share(episodes, "plant").mean() > 0.5
