"""The claims' reference figures, stored once and quoted by the README from the stored files.

`tests/reference/effects.csv` holds every effect the report measures at
REFERENCE_SIZE, exactly as `python -m ecosystem report --size default`
writes them, and the README's table of the claims is rendered from that
same file, between two markers. `tests/reference/figures/` holds the
figures the claim test modules hold (see `claims`), which they store, and
requote in the README, when run with `--update-figures`. All are written by
one command, run from the repository's root when a change is meant to alter
a claim's figures (say so in the commit):

    python tests/reference_figures.py
"""

import re
import subprocess
import sys

import pandas as pd

from claims import README, TESTS
from ecosystem.export import csv_text
from ecosystem.report import build_report, effects_markdown, effects_table

ROOT = TESTS.parent
REFERENCE_SIZE = "default"
EFFECTS = ROOT / "tests" / "reference" / "effects.csv"
BEGIN, END = "<!-- claims table: written by tests/reference_figures.py -->", "<!-- end of claims table -->"
README_TABLE = re.compile(re.escape(BEGIN) + r"\n(.*?)" + re.escape(END), flags=re.S)


def measured_effects(workers: int = 2) -> str:
    """The report's effects at REFERENCE_SIZE, as the CSV text it writes."""
    return csv_text(effects_table(build_report(REFERENCE_SIZE, workers)))


def stored_effects() -> pd.DataFrame:
    return pd.read_csv(EFFECTS, dtype={"claim": str})


def readme_table(readme: str) -> str:
    """The claims table between the README's markers ('' without them)."""
    found = README_TABLE.search(readme)
    return found.group(1) if found else ""


def store_claim_test_figures() -> None:
    """Run every claim test module with `--update-figures` (see `claims.HeldFigures.store`); the
    report's own test, which reads EFFECTS, runs after EFFECTS is written."""
    modules = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "tests").glob("test_claim_*.py")
                     if path.name != "test_claim_figures.py")  # fmt: skip
    subprocess.run([sys.executable, "-m", "pytest", "-q", "--update-figures", *modules], cwd=ROOT, check=True)


if __name__ == "__main__":
    store_claim_test_figures()
    EFFECTS.write_text(measured_effects())
    readme = README.read_text()
    if not README_TABLE.search(readme):
        raise SystemExit(f"README.md has no claims table between {BEGIN!r} and {END!r}")
    README.write_text(README_TABLE.sub(lambda _: f"{BEGIN}\n{effects_markdown(stored_effects())}{END}", readme))
    print(f"wrote tests/reference/figures/, {EFFECTS.relative_to(ROOT)} and the README's quotes and claims table")
