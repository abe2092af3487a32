"""Subtracts only the projection onto the previous vector, not onto all earlier ones."""

import numpy as np

VERY_SMALL = 1e-14


def gs_basis(A):
    B = np.array(A, dtype=float)
    for j in range(B.shape[1]):
        if j > 0:
            B[:, j] = B[:, j] - (B[:, j - 1] @ B[:, j]) * B[:, j - 1]
        norm = np.linalg.norm(B[:, j])
        B[:, j] = 0.0 if norm < VERY_SMALL else B[:, j] / norm
    return B
