"""The claim tests' figures are held exactly, and one run with --update-figures stores them afresh
and requotes them in the README (see `claims.HeldFigures`); here on files of a temporary folder."""

import pytest

from ecosystem.measure.spread import Interval

import claims


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setattr(claims, "FIGURES", tmp_path / "figures")
    monkeypatch.setattr(claims, "README", tmp_path / "README.md")
    claims.README.write_text("Goal misgeneralization falls from 0.54 [0.42, 0.66] to 0.17 [0.07, 0.26].\n")
    stored = claims.HeldFigures("toy", updating=True)
    stored.hold("before", Interval(0.54, 0.42, 0.66, 10))
    stored.hold("after", Interval(0.17, 0.07, 0.26, 10))
    stored.store()
    return tmp_path


def test_the_same_figures_hold_and_any_change_fails_naming_the_command(folder):
    held = claims.HeldFigures("toy", updating=False)
    held.hold("before", Interval(0.54, 0.42, 0.66, 10))
    with pytest.raises(AssertionError, match="python tests/reference_figures.py"):
        held.hold("after", Interval(0.17, 0.07, 0.2600001, 10))  # a change far below the quoted digits
    with pytest.raises(AssertionError, match="no stored figure"):
        held.hold("unknown", Interval(0.1, 0.0, 0.2, 10))


def test_updating_stores_the_figures_and_requotes_only_those_that_changed(folder):
    updated = claims.HeldFigures("toy", updating=True)
    updated.hold("before", Interval(0.54, 0.42, 0.66, 10))
    updated.hold("after", Interval(0.21, 0.1, 0.3, 10))
    updated.store()
    assert claims.README.read_text() == "Goal misgeneralization falls from 0.54 [0.42, 0.66] to 0.21 [0.10, 0.30].\n"
    assert claims.stored_figures("toy") == {"before": (0.54, 0.42, 0.66), "after": (0.21, 0.1, 0.3)}


def test_updating_refuses_when_a_stored_figure_was_not_measured_again(folder):
    partial = claims.HeldFigures("toy", updating=True)
    partial.hold("before", Interval(0.54, 0.42, 0.66, 10))
    with pytest.raises(AssertionError, match="were not measured"):
        partial.store()


def test_a_quote_the_readme_gives_for_two_figures_is_left_for_a_hand_edit(folder):
    claims.README.write_text("Before 0.54 [0.42, 0.66]; after 0.17 [0.07, 0.26]; elsewhere 0.17 [0.07, 0.26].\n")
    updated = claims.HeldFigures("toy", updating=True)
    updated.hold("before", Interval(0.5, 0.4, 0.6, 10))
    updated.hold("after", Interval(0.21, 0.1, 0.3, 10))
    with pytest.warns(UserWarning, match="2 times"):
        updated.store()
    assert claims.README.read_text() == "Before 0.50 [0.40, 0.60]; after 0.17 [0.07, 0.26]; elsewhere 0.17 [0.07, 0.26].\n"
