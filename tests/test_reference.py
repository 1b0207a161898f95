"""Optimisations must not change results: a small run matches a stored reference.

The reference was written by the model before any speed work, and written
again three times since, each time for a change meant to alter results:

- when a fix to the outcome classifier changed some outcomes (commit "Fix: an
  animal that wanted the exit is never labelled goal misgeneralization");
- when outcomes came to be judged by intent both ways, with the new columns
  (base, pursued and walked-to targets, alignment, why an episode ended),
  and organisms came to be created with Mesa's `create_agents`, one kind
  after the other, which changes the order of every later random draw;
- when animals came to pursue the nearest of equally valued targets (two
  identical apples) instead of the first listed, so that an animal whose
  objective is the base objective is not counted as misaligned for going
  to the farther of two identical goals.

Its files were also rewritten six times without any change of behaviour,
when columns were added: by adversarial training (`adversarial_world`; in the
summary the adversary's parameters and the count of training episodes), by
lifetimes and modification (preferred target, reason, honeypot, perceived
phase, horizon, awareness, modifications; in the summary their parameters),
by world models of the base objective (kind of objective, signpost,
estimates; in the summary their parameters and the final share of pointers),
by probes (`probed`; in the summary the count of probed episodes), by
situational awareness from observation (`awareness_reliability` replaced by
the signs an animal reads, `attends`, and `novel_signs`; in the summary the
parameters `knowledge`, `attended_signs`, `cue` and `honeypot_realism`
in place of `awareness`), and by judging animals by what lay within their
search (`reach_outcome`).
Each time every earlier column of every file was checked identical to the
stored one before.

It is written by (then the run's other files removed):

    python -m ecosystem run --quiet --population 30 --generations 4 \\
        --deploy-episodes 2 --seed 3 --seeds 1 --out tests --name reference

Regenerate it only when a change is meant to alter the model's behaviour, and
say so in the commit.
"""

from pathlib import Path

import pandas as pd
import pytest

from ecosystem.experiments.runner import results, run
from ecosystem.export import CSV_FILES, write_results

REFERENCE = Path(__file__).parent / "reference"
PARAMS = dict(population=30, generations=4, deploy_episodes=2)
SEED = 3


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fresh")
    model = run(SEED, **PARAMS)
    write_results(results(model), folder, model.params.as_dict(), [SEED])
    return folder


@pytest.mark.parametrize("name", CSV_FILES.values())
def test_results_match_the_stored_reference_byte_for_byte(fresh, name):
    assert (fresh / name).read_bytes() == (REFERENCE / name).read_bytes()


def test_the_reference_exercises_both_kinds_in_both_phases():
    agents = pd.read_csv(REFERENCE / "agents.csv")
    assert set(zip(agents["phase"], agents["kind"])) == {
        (phase, kind) for phase in ("train", "deploy") for kind in ("plant", "animal")
    }
