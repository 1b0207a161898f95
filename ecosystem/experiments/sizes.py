"""The sizes at which the report runs the claims: how many seeds, and how far each size reduces
an experiment (`python -m ecosystem report --size`). Kept apart from the report so that the
command line can offer them without importing the model."""

from dataclasses import dataclass

from ecosystem.params import ModelParams

SIZE_PARAMETERS = ("population", "generations", "pretraining_generations")  # what a reduced size caps


@dataclass(frozen=True)
class Size:
    """How far a size reduces the experiments: seeds 0 to `seeds` - 1, and caps on the
    population and on the generations of evolution (None: the experiment's own)."""

    seeds: int
    population: int | None = None
    generations: int | None = None
    pretraining_generations: int | None = None

    def scale(self, params: dict) -> dict:
        """`params` with each capped parameter at most its cap (a size never enlarges an experiment)."""
        defaults, scaled = ModelParams().as_dict(), dict(params)
        for name in SIZE_PARAMETERS:
            cap, value = getattr(self, name), params.get(name, defaults[name])
            if cap is not None and value > cap:
                scaled[name] = cap
        return scaled

    def describe(self) -> str:
        caps = [f"{n} at most {getattr(self, n)}" for n in SIZE_PARAMETERS
                if getattr(self, n) is not None]  # fmt: skip
        return f"{self.seeds} seeds per condition; " + (", ".join(caps) if caps else "the experiments' own parameters")


SIZES = {
    "smallest": Size(seeds=3, population=24, generations=4, pretraining_generations=4),
    "default": Size(seeds=10, population=100, generations=30, pretraining_generations=30),
    "full": Size(seeds=10),
}
DEFAULT_SIZE = "default"
