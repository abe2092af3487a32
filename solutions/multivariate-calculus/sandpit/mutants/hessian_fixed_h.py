"""Ignores the h argument of hessian and always uses a step of 1e-3."""

import numpy as np


def hessian(f, p, h=1e-3):
    h = 1e-3
    p = np.asarray(p, dtype=float)
    e = np.eye(2) * h
    f0 = f(p)
    H = np.zeros((2, 2))
    for i in range(2):
        H[i, i] = (f(p + e[i]) - 2 * f0 + f(p - e[i])) / h**2
    H[0, 1] = H[1, 0] = (
        f(p + e[0] + e[1]) - f(p + e[0] - e[1]) - f(p - e[0] + e[1]) + f(p - e[0] - e[1])
    ) / (4 * h**2)
    return H
