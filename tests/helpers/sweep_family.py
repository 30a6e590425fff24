"""A user-defined sweep family for the tests: a 2 x 2 Jordan block that takes a while to
build (so that a worker can be killed while it holds cells), and one that fails."""

import time

import numpy as np


def slow_jordan(a: float, seed: int, delay: float = 0.0):
    time.sleep(delay)
    return np.array([[a, 1.0 + seed], [0.0, a]])


def broken(a: float, seed: int):
    if seed == 1:
        raise ValueError("this cell is broken on purpose")
    return np.array([[a, 1.0], [0.0, a]])
