"""Plants' whole episodes, played by a compiled kernel.

A plant acts on what it sees from its own cell and on the visits it paid,
never on other organisms, so each plant's episode is known as soon as the
world is: the kernel plays every plant to its end at once, tick by tick in
compiled code (numba), and the episode then reads each tick's move from the
result. It adds the terms of a move's score in the order `PlantPolicy`
states, in float64, so its choices are the same as adding them with numpy
array by array, bit for bit.
"""

import numpy as np
from numba import njit

from ecosystem.organisms.episode import STOP


@njit(cache=True)
def play_plants(direction_weights, revisit_weights, route_weights, routes, colour_weights, colour_order,
                neighbours, gains, start, exit_cell, length):  # fmt: skip
    """The cell each plant moves to at every tick of an episode of `length` ticks (plants x ticks),
    STOP from the tick it stops on: nowhere to go. A plant that reaches `exit_cell` stays there
    (its later entries are STOP too). See `PlantPolicy` for the score of a move."""
    plants, directions = direction_weights.shape
    moves = np.full((plants, length), STOP, dtype=np.int32)
    visits = np.zeros(neighbours.shape[0], dtype=np.int64)
    for plant in range(plants):
        visits[:] = 0
        visits[start] = 1
        position = start
        for tick in range(length):
            best, best_score = STOP, -np.inf
            for direction in range(directions):
                neighbour = neighbours[position, direction]
                if neighbour == STOP:
                    continue
                score = direction_weights[plant, direction] + revisit_weights[plant] * visits[neighbour]
                if tick < routes.shape[1]:
                    score = score + (route_weights[plant] if routes[plant, tick] == direction else 0.0)
                for colour in colour_order:
                    score = score + (colour_weights[plant, colour] if gains[position, direction, colour] else 0.0)
                if best == STOP or score > best_score:
                    best, best_score = neighbour, score
            if best == STOP:
                break
            moves[plant, tick] = best
            visits[best] += 1
            position = best
            if position == exit_cell:
                break
    return moves
