"""The package as a researcher installs it: importable from any folder, headless
without the page's libraries, its lock file within its stated ranges, and CI
running the README's own test command."""

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from ecosystem.version import __version__

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PAGE_MODULES = ("solara", "ipyvuetify", "ipywidgets", "reacton", "altair", "starlette", "solara_assets")


def python(code: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run `code` in a fresh interpreter in `cwd`, with no PYTHONPATH to lean on."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def locked_versions() -> dict[str, str]:
    lines = (ROOT / "constraints.txt").read_text().splitlines()
    pins = (line.split("==") for line in lines if line and not line.startswith("#"))
    return {name.lower().replace("_", "-"): version for name, version in pins}


def test_a_script_outside_the_repository_imports_the_installed_package(tmp_path):
    script = tmp_path / "analysis.py"
    script.write_text("import ecosystem\nprint(ecosystem.__version__)\nprint(ecosystem.ModelParams().population)\n")
    done = python(script.read_text(), tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [__version__, str(200)]


def test_a_headless_run_imports_none_of_the_pages_libraries(tmp_path):
    code = (
        "import sys\nfrom ecosystem.cli import main\n"
        "main(['run', '--quiet', '--seeds', '1', '--workers', '1', '--population', '8', '--generations', '1',"
        " '--deploy-episodes', '1', '--out', '.'])\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({PAGE_MODULES!r})))\n"
    )
    done = python(code, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"


@pytest.mark.parametrize("argv", [["--help"], ["run", "--population", "-3"], ["report", "--workers", "0"]])
def test_help_and_refusals_answer_without_importing_the_model_or_its_plots(tmp_path, argv):
    code = (
        "import sys\nfrom ecosystem.cli import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'mesa', 'matplotlib', 'pandas', 'scipy'}))\n"
    )
    done = python(code, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"


def test_every_locked_version_lies_in_the_range_pyproject_states():
    locked = locked_versions()
    optional = PYPROJECT["project"]["optional-dependencies"]
    stated = [*PYPROJECT["project"]["dependencies"], *(r for extra in optional.values() for r in extra)]
    for requirement in map(Requirement, stated):
        name = requirement.name.lower()
        if name == "ecosystem":  # dev names the other extras
            continue
        assert name in locked, f"{name} has no locked version in constraints.txt"
        assert requirement.specifier.contains(locked[name]), f"{name}=={locked[name]} is outside {requirement}"


def test_ci_runs_the_readmes_test_command_word_for_word():
    readme_setup = (ROOT / "README.md").read_text().split("```bash\n", 1)[1].split("```", 1)[0].splitlines()
    assert len(readme_setup) == 2
    assert all("pip install -c constraints.txt -e " in line for line in readme_setup)  # both install the package
    assert readme_setup[1] in (ROOT / ".ci" / "run").read_text().splitlines()


def test_version_names_the_package_version_and_the_checkouts_commit():
    done = subprocess.run([sys.executable, "-m", "ecosystem", "--version"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    assert done.stdout.startswith(f"ecosystem {__version__} (commit {head}")


def test_provenance_names_no_commit_outside_a_git_checkout(tmp_path, monkeypatch):
    from ecosystem import version

    (tmp_path / "ecosystem").mkdir()
    monkeypatch.setattr(version, "PACKAGE_FOLDER", tmp_path / "ecosystem")
    version.git_commit.cache_clear()
    try:
        assert version.provenance() == {"version": __version__, "commit": None}
    finally:
        version.git_commit.cache_clear()


def test_the_citation_file_cites_this_version():
    citation = (ROOT / "CITATION.cff").read_text()
    assert "cff-version: 1.2.0" in citation
    assert f'version: "{__version__}"' in citation
    assert f"## [{__version__}]" in (ROOT / "CHANGELOG.md").read_text()


def test_dir_lists_every_public_name():
    import ecosystem

    assert set(ecosystem.__all__) <= set(dir(ecosystem))
    assert {"EcosystemModel", "ModelParams", "sweep", "provenance"} <= set(ecosystem.__all__)


def test_help_of_model_params_states_every_parameters_meaning_range_and_default():
    from dataclasses import fields

    from ecosystem.params import ModelParams

    for spec in fields(ModelParams):
        line = next(line for line in ModelParams.__doc__.splitlines() if line.strip().startswith(spec.name + " ("))
        assert f"default {spec.default!r}): {spec.metadata['help']}. Allowed: {spec.metadata['allowed']}." in line


@pytest.mark.parametrize(("mistyped", "meant"), [("popluation", "population"), ("cognition_cost", "cognition_cost_per_budget")])
def test_a_mistyped_parameter_name_gets_the_nearest_one_suggested(mistyped, meant):
    from ecosystem.params import ModelParams

    with pytest.raises(ValueError, match=rf"^{mistyped}=1 is not a model parameter: expected a model parameter "
                                         rf"\(did you mean '{meant}'\?\)$"):  # fmt: skip
        ModelParams.from_kwargs({mistyped: 1})
