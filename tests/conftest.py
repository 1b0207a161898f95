"""The claim tests' figures fixture, and the option that stores their figures afresh."""

import pytest

from claims import HeldFigures


def pytest_addoption(parser):
    parser.addoption("--update-figures", action="store_true",
                     help="measure the claim tests' figures afresh: store them in tests/reference/figures/ and "
                          "rewrite the README's quotes of them (python tests/reference_figures.py does it)")  # fmt: skip


@pytest.fixture(scope="module")
def figures(request):
    """The figures of the claim test module under way (see `claims.HeldFigures`)."""
    updating = request.config.getoption("--update-figures")
    held = HeldFigures(request.module.__name__.removeprefix("test_claim_"), updating)
    yield held
    if updating:
        held.store()
