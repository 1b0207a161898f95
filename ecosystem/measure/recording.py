"""The run's record, kept in Mesa's DataCollector as Mesa models keep theirs.

Its `episodes` table holds one row per agent-episode (`records.EPISODE_SCHEMA`),
appended column by column when an episode ends; its model-level rows, one per
training generation and one for the deployment phase, hold the phase, the
generation and `metrics.STATISTICS` of the rows gathered since the last one.
"""

import math

import numpy as np
import pandas as pd
from mesa.datacollection import DataCollector

from ecosystem.measure.metrics import STATISTICS, STATISTICS_INPUTS, generation_statistics
from ecosystem.measure.records import EPISODE_COLUMNS, RowContext, episode_columns
from ecosystem.optimizers.base_objective import Score


class Recording(DataCollector):
    """A model's DataCollector, with the two ways the model adds to it.

    Attributes:
        statistics: the latest model-level figures (`metrics.STATISTICS`), nan
            until the first generation ends.
    """

    def __init__(self):
        super().__init__(model_reporters={"phase": "phase", "generation": "generation",
                                          **{name: self._reporter(name) for name in STATISTICS}},
                         tables={"episodes": list(EPISODE_COLUMNS)})  # fmt: skip
        self.statistics = dict.fromkeys(STATISTICS, math.nan)
        self._first_unsummarised = 0  # episode-table rows not yet summarised in a model-level row

    def _reporter(self, name: str):
        return lambda model: self.statistics[name]

    def add_episode(self, model, scores: list[Score], steps: list[np.ndarray | None]) -> None:
        """One row per organism of `model`'s finished episode, given their `scores` and the
        modification `steps` they received (see `records.episode_columns`)."""
        setup, episode = model.setup, model.current_episode
        world = episode.world
        context = RowContext(model.seed, model.phase, model.generation, model.episode, setup.spec.episode_length,
                             setup.objective.target(world), setup.objective.goals(world), setup.proxy_breaking,
                             setup.honeypot, setup.signpost is not None, model.probed)  # fmt: skip
        situations = [model.minds.awareness.situation(organism) for organism in episode.organisms]
        table = self.tables["episodes"]
        for name, values in episode_columns(context, episode, scores, situations, steps).items():
            table[name].extend(values)

    def summarise(self, model) -> None:
        """The model-level row of `model` for the episode rows gathered since the last one (none
        when there are none)."""
        table = self.tables["episodes"]
        first, end = self._first_unsummarised, len(table["phase"])
        if end > first:
            rows = pd.DataFrame({column: table[column][first:] for column in STATISTICS_INPUTS})
            self.statistics = generation_statistics(rows)
            self.collect(model)
        self._first_unsummarised = end
