"""The package version, in a module of its own so that writing results needs no other part of the package."""

__version__ = "0.2.0"
