"""The README says what the code does: its Python examples run, and the figures it
quotes are the ones the experiment-level tests hold."""

import re
from pathlib import Path

import pytest

import test_claim_adversarial
import test_claim_competition
import test_claim_deception
import test_claim_deception_evolution
import test_claim_diversity
import test_claim_four_kinds
import test_claim_headline
import test_claim_honeypots
import test_claim_learning
import test_claim_outer_inner
import test_claim_probing
from claims import Measured

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()
PYTHON_BLOCKS = re.findall(r"```python\n(.*?)```", README, flags=re.S)


def measured_figures():
    modules = (test_claim_headline, test_claim_diversity, test_claim_adversarial, test_claim_outer_inner,
               test_claim_deception, test_claim_deception_evolution, test_claim_honeypots, test_claim_learning,
               test_claim_competition, test_claim_four_kinds, test_claim_probing)  # fmt: skip
    for module in modules:
        for name, value in vars(module).items():
            figures = value.values() if isinstance(value, dict) else [value]
            for figure in figures:
                if isinstance(figure, Measured):
                    yield f"{module.__name__}.{name}", figure


def test_the_readme_has_python_examples():
    assert len(PYTHON_BLOCKS) >= 2


@pytest.mark.parametrize("block", PYTHON_BLOCKS, ids=[f"example{i}" for i in range(len(PYTHON_BLOCKS))])
def test_every_python_example_in_the_readme_runs(block, capsys):
    exec(compile(block, "README.md", "exec"), {"__name__": "readme_example"})
    assert capsys.readouterr().out.strip()  # each example prints what it shows


@pytest.mark.parametrize(("name", "figure"), list(measured_figures()), ids=lambda v: v if isinstance(v, str) else "")
def test_every_figure_a_claim_test_holds_is_quoted_in_the_readme(name, figure):
    assert figure.text in README, f"{name} = {figure.text} is not in the README"
