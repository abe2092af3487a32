"""Orthonormalises the rows of A instead of its columns."""

import numpy as np

VERY_SMALL = 1e-14


def gs_basis(A):
    B = np.array(A, dtype=float).T.copy()
    for j in range(B.shape[1]):
        Q = B[:, :j]
        r = B[:, j] - Q @ (Q.T @ B[:, j])
        norm = np.linalg.norm(r)
        B[:, j] = 0.0 if norm < VERY_SMALL else r / norm
    return B.T
