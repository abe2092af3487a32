"""Treats any remainder shorter than 1e-8 as zero instead of VERY_SMALL."""

import numpy as np

VERY_SMALL = 1e-14


def gs_basis(A):
    B = np.array(A, dtype=float)
    for j in range(B.shape[1]):
        Q = B[:, :j]
        r = B[:, j] - Q @ (Q.T @ B[:, j])
        norm = np.linalg.norm(r)
        B[:, j] = 0.0 if norm < 1e-8 else r / norm
    return B
