"""Speed benchmark: this model side by side with Mesa's own example models.

Everything is measured in one process, interleaved (each repeat times every
subject once, in turn), so that the load of a shared machine hits all alike;
the figures that matter are the ratios.

An *agent-step* is one agent acting in one tick. For Mesa's models that is
every agent their `step()` activates; for ours it is every organism still
moving in its episode (organisms that have stopped at the exit or at their
target cost nothing and are not counted).
"""

import gc
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ecosystem.model import EcosystemModel
from ecosystem.optimizers.base_objective import BaseObjective, GoalObjective
from ecosystem.organisms.agents import AnimalPolicy
from ecosystem.organisms.foresight import LIFELONG, Outlook, lifetime_plan
from ecosystem.world.environment import preset, proxy_breaking

POPULATIONS = (250, 500, 1000, 2000, 4000)
MAZE_SIZES = (9, 13, 19, 25, 31)
SIZE_POPULATION = 500
MEMORY_POPULATIONS = (1000, 4000)
FORESIGHT_POPULATION = 200


@dataclass(frozen=True)
class Subject:
    """A model to time: how to build it, and how many agents act in its next tick."""

    name: str
    build: Callable[[int], object]
    acting: Callable[[object], int]
    ticks: int


def ecosystem_acting(model: EcosystemModel) -> int:
    """Organisms that will act in the model's next tick: those not yet stopped in the current episode."""
    return int(np.count_nonzero(~model.current_episode.done))


def ecosystem(name: str, ticks: int, **params) -> Subject:
    return Subject(name, lambda seed: EcosystemModel(rng=seed, **params), ecosystem_acting, ticks)


def mesa_subjects() -> list[Subject]:
    """Mesa's bundled BoltzmannWealth (1,000 agents) and WolfSheep (defaults)."""
    from mesa.examples.advanced.wolf_sheep.agents import Sheep, Wolf
    from mesa.examples.advanced.wolf_sheep.model import WolfSheep, WolfSheepScenario
    from mesa.examples.basic.boltzmann_wealth_model.model import BoltzmannScenario, BoltzmannWealth

    return [
        Subject(
            "mesa BoltzmannWealth (1,000 agents)",
            lambda seed: BoltzmannWealth(BoltzmannScenario(n=1000, rng=seed)),
            lambda model: len(model.agents),
            200,
        ),
        Subject(
            "mesa WolfSheep (defaults)",
            lambda seed: WolfSheep(WolfSheepScenario(rng=seed)),
            lambda model: len(model.agents_by_type[Sheep]) + len(model.agents_by_type[Wolf]),
            200,
        ),
    ]


SMALL = ecosystem("ecosystem small (100 in 9x9)", 400, population=100, maze_size=9)
LARGE = ecosystem("ecosystem large (2,000 in 31x31)", 150, population=2000, maze_size=31, episode_length=150)


def time_subject(subject: Subject, seed: int) -> tuple[float, int]:
    """Seconds spent in `step()` over the subject's ticks, and agent-steps done."""
    model = subject.build(seed)
    seconds, agent_steps = 0.0, 0
    for _ in range(subject.ticks):
        agent_steps += subject.acting(model)
        started = time.perf_counter()
        model.step()
        seconds += time.perf_counter() - started
    return seconds, agent_steps


def throughput(subjects: list[Subject], repeats: int) -> pd.DataFrame:
    """Agent-steps per second of every subject, interleaved over `repeats`."""
    rows = []
    for repeat in range(repeats):
        for subject in subjects:
            gc.collect()
            seconds, agent_steps = time_subject(subject, seed=repeat)
            rows.append({"subject": subject.name, "repeat": repeat, "agent_steps_per_s": agent_steps / seconds})
    return pd.DataFrame(rows)


def tick_costs(params: dict, ticks: int, repeats: int) -> dict:
    """Median over repeats of the time per tick and per agent-step of our model."""
    subject = ecosystem("", ticks, **params)
    timings = [time_subject(subject, seed) for seed in range(repeats)]
    return {
        "seconds_per_tick": float(np.median([seconds / ticks for seconds, _ in timings])),
        "us_per_agent_step": float(np.median([1e6 * seconds / steps for seconds, steps in timings])),
    }


def planning_microseconds(populations=POPULATIONS, repeats: int = 3) -> list[dict]:
    """Time an animal spends planning at the start of an episode, by population.

    Every animal of a population plans in the same world; the distance fields
    and paths are shared, so the time per animal should not grow with the
    population.
    """
    spec = preset("training")
    world = spec.sample_world(np.random.default_rng(0))
    rows = []
    for population in populations:
        animals = list(EcosystemModel(rng=0, population=population, initial_animal_share=1.0).agents)
        AnimalPolicy(animals[:1], world, spec.episode_length, {})  # fill the world's shared caches first
        timings = []
        for _ in range(repeats):
            started = time.perf_counter()
            AnimalPolicy(animals, world, spec.episode_length, {})
            timings.append(time.perf_counter() - started)
        rows.append({"population": population, "planning_us_per_animal": 1e6 * min(timings) / population})
    return rows


def foresight_microseconds(population: int = FORESIGHT_POPULATION, repeats: int = 3) -> float:
    """Time a far-sighted animal spends planning over the rest of its life at the start of an
    episode, per animal: the first of 6 training episodes (then 10 deployment ones) in a
    proxy-breaking world, where planning has most to weigh (see `foresight.lifetime_plan`)."""
    rng = np.random.default_rng(0)
    world = proxy_breaking(preset("training"))[0].sample_world(rng)
    options = GoalObjective.of(BaseObjective.EXIT).options(world)
    outlook = Outlook(training_left=6, episodes_left=16, modification_rate=1.0)
    objectives = [o.objective for o in EcosystemModel(rng=0, population=population, pretraining_generations=10).agents]
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        for objective in objectives:
            lifetime_plan(options, objective, outlook, LIFELONG)
        timings.append(time.perf_counter() - started)
    return 1e6 * min(timings) / population


def scaling_exponent(populations, seconds) -> float:
    """Slope of log(time per tick) against log(population)."""
    return float(np.polyfit(np.log(populations), np.log(seconds), 1)[0])


def bytes_per_organism(populations=MEMORY_POPULATIONS, ticks: int = 45) -> float:
    """Extra peak memory per organism of a model run for one episode (tracemalloc)."""
    peaks = []
    for population in populations:
        gc.collect()
        tracemalloc.start()
        model = EcosystemModel(rng=0, population=population)
        for _ in range(ticks):
            model.step()
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        del model
    return (peaks[-1] - peaks[0]) / (populations[-1] - populations[0])


def run_benchmark(repeats: int = 5, progress: Callable[[str], None] = print) -> dict[str, pd.DataFrame]:
    """Every measurement of the benchmark, as tables."""
    progress("throughput, interleaved ...")
    samples = throughput([SMALL, LARGE, *mesa_subjects()], repeats)
    table = samples.groupby("subject", sort=False)["agent_steps_per_s"].agg(
        median="median", low="min", high="max"
    )
    for reference in table.index[table.index.str.startswith("mesa")]:
        short = reference.split()[1]
        table[f"ratio_to_{short}"] = table["median"] / table.loc[reference, "median"]
    progress("scaling with population ...")
    population_rows = [{"population": n, **tick_costs({"population": n}, 90, 3)} for n in POPULATIONS]
    progress("scaling with maze size ...")
    size_rows = [
        {"maze_size": s, **tick_costs({"population": SIZE_POPULATION, "maze_size": s, "episode_length": 5 * s}, 90, 3)}
        for s in MAZE_SIZES
    ]
    progress("planning and memory ...")
    by_population = pd.DataFrame(population_rows).merge(pd.DataFrame(planning_microseconds()), on="population")
    extras = pd.DataFrame([{
        "population_exponent": scaling_exponent(by_population["population"], by_population["seconds_per_tick"]),
        "bytes_per_organism": bytes_per_organism(),
        "foresight_us_per_animal": foresight_microseconds(),
    }])  # fmt: skip
    extras["foresight_to_planning"] = extras["foresight_us_per_animal"] / by_population["planning_us_per_animal"].median()
    return {
        "throughput": table.reset_index(),
        "samples": samples,
        "population": by_population,
        "maze_size": pd.DataFrame(size_rows),
        "summary": extras,
    }


def plot_benchmark(tables: dict[str, pd.DataFrame], path: Path) -> None:
    """Three panels: agent-steps/s per subject, time per tick against population and maze size."""
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, 3, figsize=(16, 4.5), layout="constrained")
    throughput_table = tables["throughput"]
    errors = [throughput_table["median"] - throughput_table["low"], throughput_table["high"] - throughput_table["median"]]
    axes[0].barh(throughput_table["subject"], throughput_table["median"], xerr=errors, color="#bc6c25")
    axes[0].set(title="Agent-steps per second\n(median and range over repeats)", xlabel="agent-steps / s")
    axes[0].invert_yaxis()
    population = tables["population"]
    exponent = tables["summary"]["population_exponent"].iloc[0]
    axes[1].loglog(population["population"], population["seconds_per_tick"] * 1e3, "o-")
    axes[1].set_xticks(population["population"], [f"{n:,}" for n in population["population"]])
    axes[1].minorticks_off()
    axes[1].set(title=f"Time per tick against population\n(fitted exponent {exponent:.2f})",
                xlabel="organisms (log scale)", ylabel="ms per tick (log scale)")  # fmt: skip
    size = tables["maze_size"]
    axes[2].plot(size["maze_size"], size["us_per_agent_step"], "o-")
    axes[2].set(title=f"Time per agent-step against maze size\n({SIZE_POPULATION} organisms)",
                xlabel="maze size (cells per side)", ylabel="microseconds per agent-step", ylim=(0, None))  # fmt: skip
    figure.savefig(path, dpi=100)
    plt.close(figure)
