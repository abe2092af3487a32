"""Uses 0.85 inside the loop whatever d is passed."""

import numpy as np


def page_rank(L, d=0.85, tol=0.01):
    n = L.shape[0]
    M = 0.85 * L + 0.15 / n * np.ones((n, n))
    r = np.full(n, 100.0 / n)
    while True:
        r_next = M @ r
        if np.linalg.norm(r_next - r) <= tol:
            return r_next
        r = r_next
