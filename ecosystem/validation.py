"""Checks that refuse bad parameters early, naming the parameter, the value
and what is allowed, so that no run starts from a value it cannot honour."""

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import ClassVar
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
    """Return `value` if it names one visible folder: non-empty, no '/', not starting with '.'
    (hidden names are kept for the folders a run is built in and set aside in, which a later
    run removes; see `export.staging_folder`)."""
    if not isinstance(value, str) or not value or "/" in value or value.startswith("."):
        raise refusal(name, value, "a folder name without '/' that does not start with '.'")
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


@dataclass(frozen=True)
class Linked:
    """A bound that another field of the same record sets: `offset + sign * record.<name>`
    (`Linked("population")`: at most the population; `Linked("pointer_share", 1, -1)`: at most
    1 - pointer_share)."""

    name: str
    offset: float = 0
    sign: int = 1

    def value(self, record):
        return self.offset + self.sign * getattr(record, self.name)

    def __str__(self) -> str:
        if self.sign < 0:
            return f"{self.offset:g} - {self.name}"
        return self.name + (f" + {self.offset:g}" if self.offset > 0 else f" - {-self.offset:g}" if self.offset else "")


def _bound(bound, record):
    return bound.value(record) if isinstance(bound, Linked) else bound


@dataclass(frozen=True)
class Range:
    """Values in [low, high] (no upper bound if `high` is None); a bound may be `Linked`."""

    low: float | Linked
    high: float | Linked | None = None
    noun: ClassVar[str] = "a number"
    checker: ClassVar[Callable] = staticmethod(check_float)

    def check(self, name: str, value, record):
        """Return `value` as given (an int for a float field stays an int) if it lies in range."""
        self.checker(name, value, _bound(self.low, record), _bound(self.high, record))
        return value

    def __str__(self) -> str:
        return f"{self.noun} >= {self.low}" if self.high is None else f"{self.noun} in [{self.low}, {self.high}]"


class Integer(Range):
    """An integer in [low, high] (`check_int`)."""

    noun = "an integer"
    checker = staticmethod(check_int)


class Number(Range):
    """A finite number in [low, high] (`check_float`)."""


@dataclass(frozen=True)
class Choice:
    """One of the named `options`; with `kind` (an enum), the value is returned as that enum."""

    options: tuple[str, ...]
    kind: type | None = None

    def check(self, name: str, value, record):
        chosen = check_choice(name, value, self.options)
        return self.kind(chosen) if self.kind else chosen

    def __str__(self) -> str:
        return "one of " + ", ".join(str(option) for option in self.options)
