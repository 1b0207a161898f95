"""Run one model from start to finish and gather its tidy results.

Used by the command line, the sweeps and the tests alike, so that every way
of running the model produces the same tables from the same seed; and the
process pool that runs seeds side by side, whose workers never outlive the
process that started them.
"""

import concurrent.futures as cf
import multiprocessing
import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack

import pandas as pd
from tqdm import tqdm

from ecosystem.measure.metrics import STATISTICS, run_summary
from ecosystem.measure.records import EPISODE_COLUMNS, Results
from ecosystem.model import EcosystemModel
from ecosystem.processes import exit_with_parent
from ecosystem.world.constants import TRAIN


def run(seed: int, progress: bool = False, **params) -> EcosystemModel:
    """Build a model (validating `params`) and play it, an episode at a time, until it stops.

    With `progress`, a bar on stderr counts generations and the deployment.
    """
    model = EcosystemModel(rng=seed, **params)
    with tqdm(total=model.params.generations + 1, unit="gen", disable=not progress, leave=False) as bar:
        while model.running:
            before = model.generation, model.phase
            model.play_episode()
            if (model.generation, model.phase) != before or not model.running:
                bar.update(1)
                bar.set_description(where(model))
    return model


def where(model: EcosystemModel) -> str:
    """Where a run is, in words: 'training, generation 3/30, episode 2'."""
    if model.phase == TRAIN:
        return f"training, generation {model.generation + 1}/{model.params.generations}, episode {model.episode + 1}"
    deploy_episodes = model.params.deploy_episodes
    return f"deployment, episode {min(model.episode + 1, deploy_episodes)}/{deploy_episodes}"


def results(model: EcosystemModel) -> Results:
    """Tidy tables of a model's run, read from its DataCollector."""
    collector = model.datacollector
    episodes = collector.get_table_dataframe("episodes")[list(EPISODE_COLUMNS)]
    generations = collector.get_model_vars_dataframe()[["phase", "generation", *STATISTICS]]
    generations.insert(0, "seed", model.seed)
    summary = {"seed": model.seed, **model.params.as_dict(), **run_summary(episodes, generations)}
    return Results(episodes, generations.reset_index(drop=True), pd.DataFrame([summary]))


def run_results(seed: int, params: dict) -> Results:
    """The tables of one run: what a worker process computes for one seed."""
    return results(run(seed, **params))


def worker_pool(workers: int) -> cf.ProcessPoolExecutor:
    """A pool of `workers` spawned processes (no fork of a threaded parent) that exit with it."""
    spawn = multiprocessing.get_context("spawn")
    return cf.ProcessPoolExecutor(
        max_workers=workers, mp_context=spawn, initializer=exit_with_parent, initargs=(os.getpid(),)
    )


def run_jobs(jobs: list[tuple[int, dict]], workers: int = 1, bar: tqdm | None = None,
             task: Callable = run_results) -> Iterator:
    """`task(seed, params)` for each (seed, params) job, yielded in job order.

    With several jobs and `workers` > 1 they run on a spawn process pool (see
    `worker_pool`); the results are the same whatever the number of workers.
    `bar`, if given, counts the jobs as they come back.
    """
    with ExitStack() as stack:
        mapping = map if workers <= 1 or len(jobs) < 2 else stack.enter_context(worker_pool(min(workers, len(jobs)))).map
        for finished in mapping(task, *zip(*jobs)):  # in job order, as they finish
            if bar is not None:
                bar.update(1)
            yield finished
