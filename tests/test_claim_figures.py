"""Every claim, measured as the report measures it at the reference size (seeds 0-9): its own
criterion holds (but for the claims named in FULL_SIZE_ONLY, which it fails there), its figures
are exactly the stored ones, and the README quotes those.

The stored figures and the README's table are written by `python tests/reference_figures.py`.
"""

import pytest

from ecosystem.experiments.registry import CLAIMS
from ecosystem.export import csv_text
from ecosystem.report import build_report, effects_markdown, effects_table

from claims import README
from reference_figures import EFFECTS, REFERENCE_SIZE, readme_table, stored_effects

# The report at the reference size takes about 160 s alone on 2 cores, 265 s beside other tests: a wide margin.
pytestmark = pytest.mark.timeout(1800)

# Claims whose criterion the reference size is too small to meet, each with where it is applied at
# full size instead. A claim that comes to hold here is taken off.
FULL_SIZE_ONLY = {
    "6": "tests/test_claim_deception.py: with 100 organisms, the interval of what being told the phase adds to the "
         "deception contrast reaches below 0",
}


@pytest.fixture(scope="module")
def report():
    return build_report(REFERENCE_SIZE, workers=2)


@pytest.mark.slow
@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.key)
def test_every_claim_meets_its_own_criterion_at_the_reference_size(report, claim):
    result = next(r for r in report.results if r.claim.key == claim.key)
    assert claim.holds(result.effects) != (claim.key in FULL_SIZE_ONLY), {k: e.text for k, e in result.effects.items()}


@pytest.mark.slow
def test_the_claims_figures_are_exactly_the_stored_ones(report):
    assert csv_text(effects_table(report)) == EFFECTS.read_text()


def test_the_stored_figures_cover_every_claim_and_say_which_held_when_they_were_stored():
    stored = stored_effects()
    assert list(stored["claim"].unique()) == [claim.key for claim in CLAIMS]
    assert (stored["holds"] != stored["claim"].isin(FULL_SIZE_ONLY)).all()


def test_the_readme_quotes_the_stored_figures():
    assert readme_table(README.read_text()) == effects_markdown(stored_effects())
