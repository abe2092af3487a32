"""Uses forward differences for every second derivative."""

import numpy as np


def hessian(f, p, h=1e-3):
    p = np.asarray(p, dtype=float)
    e = np.eye(2) * h
    H = np.zeros((2, 2))
    for i in range(2):
        for j in range(2):
            H[i, j] = (f(p + e[i] + e[j]) - f(p + e[i]) - f(p + e[j]) + f(p)) / h**2
    return H
