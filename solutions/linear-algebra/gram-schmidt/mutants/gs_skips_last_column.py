"""Loops over range(n - 1), leaving the last column of A untouched."""

import numpy as np

VERY_SMALL = 1e-14


def gs_basis(A):
    B = np.array(A, dtype=float)
    for j in range(B.shape[1] - 1):
        Q = B[:, :j]
        r = B[:, j] - Q @ (Q.T @ B[:, j])
        norm = np.linalg.norm(r)
        B[:, j] = 0.0 if norm < VERY_SMALL else r / norm
    return B
