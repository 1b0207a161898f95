"""The README says what the code does: its Python examples run, and it quotes every figure
the experiment-level tests hold (tests/reference/figures/)."""

import re
from pathlib import Path

import pytest

from claims import FIGURES, quoted, stored_figures

TESTS = Path(__file__).resolve().parent
README = (TESTS.parent / "README.md").read_text()
PYTHON_BLOCKS = re.findall(r"```python\n(.*?)```", README, flags=re.S)


def held_figures():
    """Every figure a claim test holds, as stored in tests/reference/figures/: (where, its quote)."""
    for path in sorted(FIGURES.glob("*.csv")):
        for name, figure in stored_figures(path.stem).items():
            yield f"{path.stem}: {name}", quoted(figure)


def test_the_readme_has_python_examples():
    assert len(PYTHON_BLOCKS) >= 2


@pytest.mark.parametrize("block", PYTHON_BLOCKS, ids=[f"example{i}" for i in range(len(PYTHON_BLOCKS))])
def test_every_python_example_in_the_readme_runs(block, capsys):
    exec(compile(block, "README.md", "exec"), {"__name__": "readme_example"})
    assert capsys.readouterr().out.strip()  # each example prints what it shows


@pytest.mark.parametrize(("name", "text"), list(held_figures()))
def test_every_figure_a_claim_test_holds_is_quoted_in_the_readme(name, text):
    assert text in README, f"{name} = {text} is not in the README"
