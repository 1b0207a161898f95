"""The README says what the code does: its Python examples run, and the figures it
quotes are the ones the experiment-level tests hold."""

import ast
import re
from pathlib import Path

import pytest

from claims import Measured

TESTS = Path(__file__).resolve().parent
README = (TESTS.parent / "README.md").read_text()
PYTHON_BLOCKS = re.findall(r"```python\n(.*?)```", README, flags=re.S)


def measured_figures():
    """Every `Measured(mean, low, high)` written in a claim test, read from its source (a test
    module is never imported by another): (where, figure)."""
    for path in sorted(TESTS.glob("test_claim_*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == Measured.__name__:
                yield f"{path.name}:{node.lineno}", Measured(*(ast.literal_eval(arg) for arg in node.args))


def test_the_readme_has_python_examples():
    assert len(PYTHON_BLOCKS) >= 2


@pytest.mark.parametrize("block", PYTHON_BLOCKS, ids=[f"example{i}" for i in range(len(PYTHON_BLOCKS))])
def test_every_python_example_in_the_readme_runs(block, capsys):
    exec(compile(block, "README.md", "exec"), {"__name__": "readme_example"})
    assert capsys.readouterr().out.strip()  # each example prints what it shows


@pytest.mark.parametrize(("name", "figure"), list(measured_figures()), ids=lambda v: v if isinstance(v, str) else "")
def test_every_figure_a_claim_test_holds_is_quoted_in_the_readme(name, figure):
    assert figure.text in README, f"{name} = {figure.text} is not in the README"
