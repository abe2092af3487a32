"""Runs a fixed 100 iterations instead of stopping when the change is at most tol."""

import numpy as np


def page_rank(L, d=0.85, tol=0.01):
    n = L.shape[0]
    M = d * L + (1 - d) / n * np.ones((n, n))
    r = np.full(n, 100.0 / n)
    for _ in range(100):
        r = M @ r
    return r
