"""Records only the points after each step, leaving the starting point out of the path."""

import numpy as np


def fit(x, y, mu0, sig0, aggression, steps):
    point = np.array([mu0, sig0], dtype=float)
    path = []
    for _ in range(steps):
        point = point + steepest_step(x, y, point[0], point[1], aggression)  # noqa: F821
        path.append(point)
    return np.array(path).reshape(-1, 2)
