"""The package version, and where a result's code came from.

In a module of its own, with only the standard library, so that writing
results needs no other part of the package.
"""

import subprocess
from functools import cache
from pathlib import Path

__version__ = "0.2.0"

PACKAGE_FOLDER = Path(__file__).resolve().parent
DIRTY = "-dirty"  # appended to the commit when tracked files differ from it, as `git describe --dirty` does


def _git(*args: str) -> str | None:
    """The output of a git command run in this package's folder, or None if it fails or git is absent."""
    try:
        done = subprocess.run(["git", *args], cwd=PACKAGE_FOLDER, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


@cache
def git_commit() -> str | None:
    """The commit this package's code was checked out at, with `-dirty` if tracked files were changed since.

    None outside a git checkout of this project (an installed wheel, an unpacked
    archive), and for a checkout of another repository that happens to hold the
    package somewhere inside it.
    """
    top = _git("rev-parse", "--show-toplevel")
    if top is None or Path(top).resolve() != PACKAGE_FOLDER.parent:
        return None
    commit = _git("rev-parse", "HEAD")
    if commit is None:
        return None
    changed = _git("status", "--porcelain", "--untracked-files=no")
    return commit + (DIRTY if changed else "")


def provenance() -> dict[str, str | None]:
    """What produced a result: {"version": the package version, "commit": `git_commit()`}.

    Written into every `params.json` and `sweep.json`; call it to record the same
    in any other output.
    """
    return {"version": __version__, "commit": git_commit()}


def version_line() -> str:
    """`--version`'s answer: the version, and the commit where there is one."""
    commit = git_commit()
    return f"ecosystem {__version__}" + (f" (commit {commit})" if commit else "")
