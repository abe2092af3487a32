"""Computes the step once at the start and repeats it, instead of at every new point."""

import numpy as np


def fit(x, y, mu0, sig0, aggression, steps):
    step = steepest_step(x, y, mu0, sig0, aggression)  # noqa: F821
    path = [np.array([mu0, sig0], dtype=float)]
    for _ in range(steps):
        path.append(path[-1] + step)
    return np.array(path)
