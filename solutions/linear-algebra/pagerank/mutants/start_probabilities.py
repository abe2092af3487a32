"""Starts from 1/n (probabilities) instead of 100/n."""

import numpy as np


def page_rank(L, d=0.85, tol=0.01):
    n = L.shape[0]
    M = d * L + (1 - d) / n * np.ones((n, n))
    r = np.full(n, 1.0 / n)
    while True:
        r_next = M @ r
        if np.linalg.norm(r_next - r) <= tol:
            return r_next
        r = r_next
