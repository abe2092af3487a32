"""Iterates with L alone, forgetting the damping: M = L."""

import numpy as np


def page_rank(L, d=0.85, tol=0.01):
    n = L.shape[0]
    r = np.full(n, 100.0 / n)
    while True:
        r_next = L @ r
        if np.linalg.norm(r_next - r) <= tol:
            return r_next
        r = r_next
