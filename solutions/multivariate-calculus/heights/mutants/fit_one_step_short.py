"""Loops range(steps - 1) times, so the path has one step too few."""

import numpy as np


def fit(x, y, mu0, sig0, aggression, steps):
    path = [np.array([mu0, sig0], dtype=float)]
    for _ in range(steps - 1):
        mu, sig = path[-1]
        path.append(path[-1] + steepest_step(x, y, mu, sig, aggression))  # noqa: F821
    return np.array(path)
