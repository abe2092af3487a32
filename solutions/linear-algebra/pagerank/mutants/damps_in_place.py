"""Builds M by scaling L in place, which changes the caller's matrix."""

import numpy as np


def page_rank(L, d=0.85, tol=0.01):
    n = L.shape[0]
    L *= d
    L += (1 - d) / n
    r = np.full(n, 100.0 / n)
    while True:
        r_next = L @ r
        if np.linalg.norm(r_next - r) <= tol:
            return r_next
        r = r_next
