"""Checks that refuse bad parameters early, naming the parameter, the value
and what is allowed, so that no run starts from a value it cannot honour."""

import math
from collections.abc import Iterable
from numbers import Integral, Real


def refusal(name: str, value, allowed: str) -> ValueError:
    """The one-line error every check raises: '<name>=<value> is not allowed: expected <allowed>'."""
    return ValueError(f"{name}={value!r} is not allowed: expected {allowed}")


def check_int(name: str, value, low: int, high: int | None = None) -> int:
    """Return `value` if it is an integer in [low, high], else raise ValueError."""
    allowed = f"an integer >= {low}" if high is None else f"an integer in [{low}, {high}]"
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise refusal(name, value, allowed)
    if value < low or (high is not None and value > high):
        raise refusal(name, value, allowed)
    return int(value)


def check_float(name: str, value, low: float, high: float | None = None) -> float:
    """Return `value` as a float if it is a finite number in [low, high]."""
    allowed = f"a number >= {low}" if high is None else f"a number in [{low}, {high}]"
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
        raise refusal(name, value, allowed)
    if value < low or (high is not None and value > high):
        raise refusal(name, value, allowed)
    return float(value)


def check_choice(name: str, value, choices: Iterable[str]) -> str:
    """Return `value` if it is one of `choices` (strings)."""
    choices = tuple(str(c) for c in choices)
    if not isinstance(value, str) or value not in choices:
        raise refusal(name, value, "one of " + ", ".join(choices))
    return value


def check_folder_name(name: str, value) -> str:
    """Return `value` if it names one folder: non-empty, no '/', not '.' or '..'."""
    if not isinstance(value, str) or not value or "/" in value or value in (".", ".."):
        raise refusal(name, value, "a folder name without '/'")
    return value


def check_installed(extra: str, *modules: str) -> None:
    """Refuse in one line when a module an optional extra brings (`pip install -e '.[extra]'`) is missing."""
    from importlib.util import find_spec

    missing = [module for module in modules if find_spec(module) is None]
    if missing:
        raise ValueError(
            f"this needs the '{extra}' extra (missing: {', '.join(missing)}): "
            f"pip install -e '.[{extra}]' (or pip install 'ecosystem[{extra}]')"
        )
