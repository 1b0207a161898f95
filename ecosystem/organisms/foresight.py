"""Planning over episodes: which target an animal pursues, given what it expects of its life.

A myopic animal (horizon 1) pursues what its mesa-objective ranks first. A
far-sighted one searches the rest of its life as it believes it to be: how
many of its remaining episodes are training (in which the base optimizer
modifies it after ending anywhere but on a base goal; see
`optimizers.modification`; it expects to reach what it pursues, so that
pursuing an option means ending on it) and how many are deployment
(frozen). It values what it would pursue in each of the next `horizon`
episodes by its *current* objective. A future self that was modified
pursues whatever *its* objective then makes best, which the current self may
value little; so the search is a game between selves, solved by backward
induction (dynamic programming over the episode index and the modifications
received so far, which fix a self's weights). Deception is whatever this
search returns when pursuing the base target now protects the objective for
later; nothing here knows what the phases are for.

The worlds to come it forecasts as it believes them to be, not as copies of
the one under way: each offers the kinds of target this one does, at
distances it cannot know beforehand. Distances only break ties (the nearer
of two options valued alike), so a future self torn between options is
expected to take each with equal chance, and a plan is worth its expected
value. One tie rule holds for every self (see `lifetime_plan`): among plans
worth the same, the option now that it ranks higher on its own.

Targets with the same features (two red apples) are one option, the nearest
of them standing for all: they are valued alike and modify alike.

`phase_blind_defection` solves the other case of the toy example: an agent
that cannot tell training from deployment nor count its episodes, and so
must act alike in every episode.
"""

from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cache

import numpy as np
from ecosystem.organisms.objective import TIE_DECIMALS
from ecosystem.world.maze import UNREACHABLE
from ecosystem.world.world import World

MAX_LIFETIME = 50  # episodes a far-sighted animal can plan over: the search grows with the length of life
LIFELONG = MAX_LIFETIME  # the horizon "to the end of life": no life is longer
TIE_TOLERANCE = 10.0**-TIE_DECIMALS  # plans worth less than this apart are worth the same


class Reason(StrEnum):
    """Why an animal pursued what it did, from its own objective and the base goals."""

    OWN_TARGET = "own_target"  # what its objective ranks first, which the base objective does not reward
    COMPLIED = "complied"  # a base goal its objective does not rank first: pursued to avoid modification
    WANTED_IT = "wanted_it"  # a base goal its objective ranks first anyway
    # Neither its first choice nor a base goal: it chose how it would be modified, giving up a
    # weight it cares little about to protect the one it cares about (gradient hacking).
    STEERED = "steered"


@dataclass(frozen=True)
class Outlook:
    """What an animal believes about the rest of its life at the start of an episode.

    Attributes:
        training_left: episodes it believes remain in training, this one included
            (0 when it believes it is deployed).
        episodes_left: episodes it believes remain in its life, this one included.
        modification_rate: the step size it believes the base optimizer modifies with
            (0 when nothing modifies it).
    """

    training_left: int
    episodes_left: int
    modification_rate: float


@dataclass(frozen=True)
class Options:
    """The distinct things one world offers to pursue, shared by every animal planning in it.

    Attributes:
        targets: for each option, the index into `world.targets` of its nearest target.
        features: (options x features) what each option is.
        distances: maze distance from the start to each option.
        goals: whether the base objective rewards ending on each option.
        base: the option of the base target (what the base objective scores highest).
    """

    targets: np.ndarray
    features: np.ndarray
    distances: np.ndarray
    goals: np.ndarray
    base: int | None

    @classmethod
    def of(cls, world: World, base_goals: np.ndarray, base_target: int | None) -> "Options":
        """The options of `world` (reachable targets, one per distinct feature vector)."""
        reachable = np.flatnonzero(world.target_distances != UNREACHABLE)
        by_nearness = reachable[np.argsort(world.target_distances[reachable], kind="stable")]
        chosen = {}
        for index in by_nearness.tolist():
            chosen.setdefault(world.target_features[index].tobytes(), index)
        targets = np.array(sorted(chosen.values()), dtype=int)
        base = None
        if base_target is not None:
            key = world.target_features[base_target].tobytes()
            base = int(np.flatnonzero(targets == chosen[key])[0])
        return cls(targets, world.target_features[targets], world.target_distances[targets],
                   np.asarray(base_goals)[targets], base)  # fmt: skip


def believed_options(options: Options, estimate: np.ndarray) -> Options:
    """`options` as an animal with a world model sees them: the base target is what its
    `estimate` of the base objective's weights values most (the nearest on ties), and that
    is the one goal it believes pursuing spares it modification."""
    base = ranking(options.features @ np.asarray(estimate, dtype=float), options.distances)[0]
    return replace(options, goals=np.arange(len(options.targets)) == base, base=base)


def ranking(values, distances) -> list[int]:
    """Options from most to least valued (to TIE_DECIMALS), the nearer first among equal values
    (as `objective.best_targets`), then the first listed."""
    return sorted(range(len(values)), key=lambda i: (-round(float(values[i]), TIE_DECIMALS), distances[i], i))


def lifetime_plan(options: Options, weights: np.ndarray, outlook: Outlook, horizon: int) -> tuple[int, ...]:
    """The options a self with `weights` expects to pursue in each episode it believes remains.

    The first entry is what it pursues now, in the world under way. The rest
    is what it expects its future selves (modified or not) to pursue in the
    worlds to come, which it forecasts as it believes them to be: each offers
    the options this one does (the same kinds of target), at distances it
    cannot know yet. So of several options a future self would take alike,
    each is equally likely to be the nearer and so the one taken; where a
    future episode may see one of several, the likeliest stands for them here
    (the first listed among equally likely ones).

    Each self maximises the expected sum of its own values of what is
    pursued in the episode at hand and the next `horizon - 1`, taking the
    later selves' play as given. One tie rule: among plans worth the same (to
    TIE_TOLERANCE), it takes the one whose option now it ranks higher on its
    own (`ranking`: the more valued, then the nearer, then the first listed),
    the order a myopic animal chooses by.

    Two cases need no search, because nothing can beat taking an option it
    values most in every episode: a self past its training, and a self whose
    most valued options are all base goals (modification would only push it
    further that way). The search runs in plain Python over the episode
    index and the modifications received so far, which fix a self's weights:
    a world offers a handful of options, so the per-state cost is what matters.
    """
    n, count = outlook.episodes_left, len(options.targets)
    if n <= 0 or not count:
        return ()
    values = (options.features @ np.asarray(weights, dtype=float)).tolist()
    goals = options.goals.tolist()
    modifies = options.base is not None and outlook.modification_rate != 0
    if modifies:
        steps = outlook.modification_rate * (options.features[options.base] - options.features)
        shifts = (steps @ options.features.T).tolist()  # shifts[c][o]: change in o's value per step after pursuing c

    def choice(episode: int, modifications: tuple[int, ...], distances: list | None = None) -> tuple[list, dict]:
        """The options the self at `episode`, modified `modifications[c]` times after pursuing c,
        may take under the tie rule (the one it takes, when it sees the world's `distances`), and
        for each what it expects its later selves to pursue (prospects, see `ahead`)."""
        own = list(values)
        for pursued, times in enumerate(modifications):
            if times:
                own = [v + times * d for v, d in zip(own, shifts[pursued])]
        rounded = [round(v, TIE_DECIMALS) for v in own]
        top = max(rounded)
        most = [o for o in range(count) if rounded[o] == top]
        if episode >= outlook.training_left or not modifies or all(goals[o] for o in most):
            # It stays as it is, and so every later self takes one of `most`, each equally likely.
            later = mixture([(o,) for o in most]) * (n - episode - 1)
            tied, after = most, dict.fromkeys(most, later)
        else:
            after = {o: ahead(episode + 1, modifications if goals[o] else
                              modifications[:o] + (modifications[o] + 1,) + modifications[o + 1 :])
                     for o in range(count)}  # fmt: skip
            window = min(horizon, n - episode) - 1
            worth = [own[o] + expected(after[o][:window], own) for o in range(count)]
            best = max(worth)
            equal = [o for o in range(count) if worth[o] >= best - TIE_TOLERANCE]
            top = max(rounded[o] for o in equal)
            tied = [o for o in equal if rounded[o] == top]
        if distances is not None:
            tied = [min(tied, key=lambda o: (distances[o], o))]
        return tied, after

    def expected(prospects: tuple, own: list[float]) -> float:
        """The expected sum of the values `own` of what `prospects` pursue."""
        return sum(own[p] if isinstance(p, int) else sum(c * v for c, v in zip(p, own)) for p in prospects)

    def mixture(sequences: list[tuple]) -> tuple:
        """Equally likely sequences of prospects as one: where they differ, each option's chance."""
        if len(sequences) == 1:
            return sequences[0]
        mixed = []
        for prospects in zip(*sequences):
            if all(p == prospects[0] for p in prospects):
                mixed.append(prospects[0])
                continue
            chances = [0.0] * count
            for p in prospects:
                for o, chance in (((p, 1.0),) if isinstance(p, int) else enumerate(p)):
                    chances[o] += chance / len(prospects)
            mixed.append(tuple(chances))
        return tuple(mixed)

    @cache
    def ahead(episode: int, modifications: tuple[int, ...]) -> tuple:
        """What the selves from `episode` on are expected to pursue, seen before their worlds are:
        per episode a prospect, the option (an index) or each option's chance (a tuple)."""
        if episode >= n:
            return ()
        tied, after = choice(episode, modifications)
        return mixture([(o, *after[o]) for o in tied])

    [first], after = choice(0, (0,) * count, options.distances.tolist())
    return (first, *(p if isinstance(p, int) else p.index(max(p)) for p in after[first]))


def reason(world: World, pursued: int | None, preferred: int | None, base_goals: np.ndarray) -> Reason | None:
    """Why an animal pursued target `pursued` of `world` when its objective ranks `preferred`
    first (see `Reason`); None when it pursued nothing."""
    if pursued is None:
        return None
    if base_goals[pursued]:
        return Reason.WANTED_IT if base_goals[preferred] else Reason.COMPLIED
    same = np.array_equal(world.target_features[pursued], world.target_features[preferred])
    return Reason.OWN_TARGET if same else Reason.STEERED


@dataclass(frozen=True)
class PhaseBlindPlan:
    """A phase-blind agent's best stationary policy (see `phase_blind_defection`)."""

    defect_probability: float  # chance, in every episode, of pursuing its own target
    expected_value: float  # expected value, by its current objective, of its whole life


def phase_blind_defection(own_value: float, base_value: float, training: int, deployment: int) -> PhaseBlindPlan:
    """The best probability of defecting for an agent that acts alike in every episode.

    It cannot tell training from deployment nor count its episodes, so its
    policy is one probability p of pursuing its own target (defecting) rather
    than the base target, the same in every episode. It knows there are
    `training` training episodes, then `deployment` deployment ones, and that
    defecting in training gets it modified into a self that pursues the base
    target from then on (the caller checks that one step does make it prefer
    the base target). By its current objective, its own target is worth
    `own_value` and the base target `base_value`, so with L episodes in all
    the expected value of p is

        E(p) = sum over training episodes t < training of
                   (1-p)^t [p (v_own + (L-t-1) v_base) + (1-p) v_base]
             + (1-p)^training * deployment * (p v_own + (1-p) v_base).

    Maximised over [0, 1] by bounded scalar search, keeping the best of the
    search and the two ends.
    """
    from scipy.optimize import minimize_scalar  # here, so that every model run need not load scipy

    lifetime = training + deployment

    def expected(p: float) -> float:
        stay = 1.0 - p
        act = p * own_value + stay * base_value
        caught = sum(stay**t * (p * (own_value + (lifetime - t - 1) * base_value) + stay * base_value)
                     for t in range(training))  # fmt: skip
        return caught + stay**training * deployment * act

    found = minimize_scalar(lambda p: -expected(p), bounds=(0.0, 1.0), method="bounded", options={"xatol": 1e-10})
    best = max((0.0, 1.0, float(found.x)), key=expected)
    return PhaseBlindPlan(best, expected(best))


def phase_blind_choice(options: Options, weights: np.ndarray, rate: float, training: int, deployment: int,
                       draw: float) -> int | None:  # fmt: skip
    """The option a phase-blind agent pursues this episode, given a uniform `draw` in [0, 1):
    its first choice with its best defection probability (`phase_blind_defection`), else
    the base target. ValueError if one step of modification at `rate` would not make it
    prefer the base target, the case the probability is worked out for."""
    if not len(options.targets):
        return None
    weights = np.asarray(weights, dtype=float)
    values = options.features @ weights
    first = ranking(values, options.distances)[0]
    if options.base is None or options.goals[first]:
        return first
    modified = options.features @ (weights + rate * (options.features[options.base] - options.features[first]))
    if ranking(modified, options.distances)[0] != options.base:
        raise ValueError(f"modification_rate={rate!r} is not allowed for a phase-blind agent: expected a step "
                         "large enough that one modification makes it prefer the base target")  # fmt: skip
    plan = phase_blind_defection(float(values[first]), float(values[options.base]), training, deployment)
    return first if draw < plan.defect_probability else options.base
